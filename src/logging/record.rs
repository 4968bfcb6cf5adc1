//! The text of a record, built in place: the original formats it with snprintf into a buffer of
//! MAX_AUDIT_MESSAGE_LENGTH bytes, so it keeps at most MAX_AUDIT_MESSAGE_LENGTH - 1 bytes and
//! sends them with their NUL. One buffer on the stack, written once: no allocation per record.

use std::mem::MaybeUninit;

use crate::kernel::MAX_AUDIT_MESSAGE_LENGTH;

pub struct Record {
    buf: [MaybeUninit<u8>; MAX_AUDIT_MESSAGE_LENGTH],
    /// The first `len` bytes of `buf` are written; `len` < MAX_AUDIT_MESSAGE_LENGTH.
    len: usize,
}

impl Record {
    pub fn new() -> Self {
        // SAFETY: an array of MaybeUninit needs no initialisation.
        Record { buf: unsafe { MaybeUninit::uninit().assume_init() }, len: 0 }
    }

    /// Appends what still fits of `bytes` (as snprintf drops what does not).
    pub fn push(&mut self, bytes: &[u8]) {
        let n = bytes.len().min(MAX_AUDIT_MESSAGE_LENGTH - 1 - self.len);
        // SAFETY: MaybeUninit<u8> has the layout of u8, and initialised bytes are valid for it.
        let bytes = unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<MaybeUninit<u8>>(), n) };
        self.buf[self.len..self.len + n].copy_from_slice(bytes);
        self.len += n;
    }

    fn push_byte(&mut self, byte: u8) {
        if self.len < MAX_AUDIT_MESSAGE_LENGTH - 1 {
            self.buf[self.len] = MaybeUninit::new(byte);
            self.len += 1;
        }
    }

    /// Joins "key=value" pairs, space separated, after the caller's message if there is one
    /// (even an empty message is followed by a space).
    pub fn fields(&mut self, message: Option<&[u8]>, fields: &[(&str, &[u8])]) {
        if let Some(message) = message {
            self.push(message);
        }
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 || message.is_some() {
                self.push_byte(b' ');
            }
            self.push(key.as_bytes());
            self.push_byte(b'=');
            self.push(value);
        }
    }

    pub fn text(&self) -> &[u8] {
        // SAFETY: the first `len` bytes are initialised.
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr().cast(), self.len) }
    }

    /// The text and its NUL, as sent.
    pub fn with_nul(&mut self) -> &[u8] {
        self.buf[self.len] = MaybeUninit::new(0);
        // SAFETY: the first `len` bytes are initialised, and the NUL after them.
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr().cast(), self.len + 1) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(message: Option<&[u8]>, fields: &[(&str, &[u8])]) -> Vec<u8> {
        let mut r = Record::new();
        r.fields(message, fields);
        r.text().to_vec()
    }

    #[test]
    fn records_are_bounded_like_the_original_buffer() {
        assert_eq!(record(Some(b"m"), &[("a", b"1")]), b"m a=1");
        assert_eq!(record(Some(b""), &[("a", b"1")]), b" a=1");
        assert_eq!(record(None, &[("op", b"x"), ("id", b"1")]), b"op=x id=1");
        assert_eq!(record(Some(&[b'x'; 9000]), &[]).len(), MAX_AUDIT_MESSAGE_LENGTH - 1);
        let long = record(Some(&[b'x'; MAX_AUDIT_MESSAGE_LENGTH - 3]), &[("key", b"value")]);
        assert_eq!(&long[MAX_AUDIT_MESSAGE_LENGTH - 4..], b"x k");
        let mut r = Record::new();
        r.push(&[b'y'; 9000]);
        assert_eq!(r.with_nul().len(), MAX_AUDIT_MESSAGE_LENGTH);
        assert_eq!(r.with_nul().last(), Some(&0));
    }
}
