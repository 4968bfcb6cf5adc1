//! The text of a record, built in place: the original formats it with snprintf into a buffer of
//! MAX_AUDIT_MESSAGE_LENGTH bytes, so it keeps at most MAX_AUDIT_MESSAGE_LENGTH - 1 bytes and
//! sends them with their NUL. The text is written once, straight into the request datagram
//! after its header: no allocation and no copy per record.

use std::os::fd::RawFd;

use crate::diag::Diagnostics;
use crate::netlink::{Failed, Request, Sent};
use crate::wire::MAX_AUDIT_MESSAGE_LENGTH;

/// The longest text snprintf keeps.
const TEXT_MAX: usize = MAX_AUDIT_MESSAGE_LENGTH - 1;

pub(crate) struct Record {
    /// The text and its NUL, once `fields` has written them.
    request: Request,
}

impl Record {
    pub(crate) fn new() -> Self {
        Record { request: Request::new() }
    }

    /// Writes the text, then its NUL: the caller's message if there is one, then each field as
    /// its key as written (" key=", with the space that separates it from what comes before,
    /// even after an empty message; "key=" when it comes first) and its value. Keys written
    /// whole are one copy each. What does not fit is dropped, as snprintf drops it.
    pub(crate) fn fields(&mut self, message: Option<&[u8]>, fields: &[(&str, &[u8])]) {
        self.request.write(|r| {
            if let Some(message) = message {
                r.push(message);
            }
            for (key, value) in fields {
                r.push(key.as_bytes());
                r.push(value);
            }
            r.truncate(TEXT_MAX);
            r.push_byte(0);
        })
    }

    /// The text, without its NUL.
    pub(crate) fn text(&self) -> &[u8] {
        let sent = self.request.payload();
        &sent[..sent.len().saturating_sub(1)]
    }

    /// The text and its NUL: what is sent.
    pub(crate) fn payload(&self) -> &[u8] {
        self.request.payload()
    }

    /// Sends the text and its NUL as a request of `msg_type`; again as another type if need be.
    pub(crate) fn send(&mut self, fd: RawFd, msg_type: u16, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
        self.request.send(fd, msg_type, diag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(message: Option<&[u8]>, fields: &[(&str, &[u8])]) -> Record {
        let mut r = Record::new();
        r.fields(message, fields);
        r
    }

    fn text(message: Option<&[u8]>, fields: &[(&str, &[u8])]) -> Vec<u8> {
        record(message, fields).text().to_vec()
    }

    #[test]
    fn records_are_bounded_like_the_original_buffer() {
        assert_eq!(text(Some(b"m"), &[(" a=", b"1")]), b"m a=1");
        assert_eq!(text(Some(b""), &[(" a=", b"1")]), b" a=1");
        assert_eq!(text(None, &[("op=", b"x"), (" id=", b"1")]), b"op=x id=1");
        assert_eq!(text(Some(&[b'x'; 9000]), &[]).len(), TEXT_MAX);
        let long = text(Some(&[b'x'; MAX_AUDIT_MESSAGE_LENGTH - 3]), &[(" key=", b"value")]);
        assert_eq!(&long[MAX_AUDIT_MESSAGE_LENGTH - 4..], b"x k");
        let r = record(Some(b"m"), &[(" a=", b"1")]);
        assert_eq!(r.request.payload(), b"m a=1\0");
        let r = record(Some(&[b'y'; 9000]), &[]);
        assert_eq!(r.request.payload().len(), MAX_AUDIT_MESSAGE_LENGTH);
        assert_eq!(r.request.payload().last(), Some(&0));
    }
}
