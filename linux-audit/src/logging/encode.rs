//! The hex encoding of "untrusted" values that the kernel also uses: a value holding a space,
//! a double quote, a control character, DEL or any byte >= 0x80 is written as uppercase hex
//! without quotes; any other value goes in double quotes.

/// Whether `value` must be hex encoded. Bytes >= 0x80 count as control characters, because the
/// original compares them as (signed) chars below 0x21.
pub fn needs_encoding(value: &[u8]) -> bool {
    value.iter().any(|&b| b == b'"' || !(0x21..0x7f).contains(&b))
}

use crate::Line;
use crate::bytes::Bytes;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Two uppercase hex digits per byte; None when memory is short (as for every value built
/// here).
pub(crate) fn encode(value: &[u8]) -> Option<Vec<u8>> {
    let mut out = Bytes::zeroed(value.len().checked_mul(2)?).ok()?;
    encode_into(value, out.as_mut_slice());
    Some(out.into_vec())
}

fn hex(b: u8) -> [u8; 2] {
    [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]
}

/// `encode` into `out`, which holds at least two bytes per byte of `value`; returns the length.
pub fn encode_into(value: &[u8], out: &mut [u8]) -> usize {
    for (pair, &b) in out.chunks_exact_mut(2).zip(value) {
        if let [high, low] = pair {
            [*high, *low] = hex(b);
        }
    }
    2 * value.len()
}

/// A value as it goes into a record: hex when it needs encoding, else in double quotes.
pub(crate) fn quote_or_encode(value: &[u8]) -> Option<Vec<u8>> {
    if needs_encoding(value) { encode(value) } else { quoted(value) }
}

pub(crate) fn quoted(value: &[u8]) -> Option<Vec<u8>> {
    let mut out = Bytes::new();
    out.push(b"\"").ok()?;
    out.push(value).ok()?;
    out.push(b"\"").ok()?;
    Some(out.into_vec())
}

/// What snprintf(buf, `size`, "\"%s\"", value) keeps: `bounded(quoted(value), size)`, without
/// copying more of `value` than fits.
pub(crate) fn quoted_bounded(value: &[u8], size: usize) -> Option<Vec<u8>> {
    Some(bounded(quoted(value.get(..size).unwrap_or(value))?, size))
}

/// audit_encode_nv_string: `name=HEX` when the `value` (its first `vlen` bytes) needs encoding,
/// else `name="value"`, where the quoted form takes `text`, the value up to its NUL, as the
/// original prints it with %s (from 4.1 on, the first `vlen` bytes as well); `name="?"`
/// without a value. Written into memory `alloc` gives
/// for the whole string (its length; with a NUL after it), so that a value of any size is
/// copied once, into the caller's string; None (nothing written) when `alloc` gives nothing
/// or the length overflows.
pub fn nv_string<'m>(
    name: &[u8],
    value: Option<(&[u8], &[u8])>,
    line: Line,
    alloc: impl FnOnce(usize) -> Option<&'m mut [u8]>,
) -> Option<&'m mut [u8]> {
    let (encoded, body): (bool, &[u8]) = match value {
        Some((bytes, _)) if needs_encoding(bytes) => (true, bytes),
        Some((bytes, _)) if line >= Line::V4_1_2 => (false, bytes),
        Some((_, text)) => (false, text),
        None => (false, b"?"),
    };
    let len =
        if encoded { body.len().checked_mul(2)? } else { body.len().checked_add(2)? }.checked_add(name.len() + 1)?;
    let out = alloc(len)?;
    let (head, rest) = out.split_at_mut_checked(name.len())?;
    copy(head, name);
    let (equals, rest) = rest.split_first_mut()?;
    *equals = b'=';
    if encoded {
        encode_into(body, rest);
    } else {
        let (quote, rest) = rest.split_first_mut()?;
        *quote = b'"';
        let (text, last) = rest.split_at_mut_checked(body.len())?;
        copy(text, body);
        *last.first_mut()? = b'"';
    }
    Some(out)
}

/// Copies what fits of `from` to the start of `to`.
fn copy(to: &mut [u8], from: &[u8]) {
    for (slot, &b) in to.iter_mut().zip(from) {
        *slot = b;
    }
}

/// What snprintf(buf, size, ...) keeps of `text`: at most size - 1 bytes.
pub(crate) fn bounded(mut text: Vec<u8>, size: usize) -> Vec<u8> {
    text.truncate(size.saturating_sub(1));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_rule_over_all_bytes() {
        for b in 0..=255u8 {
            let expected = b == b'"' || !(0x21..0x7f).contains(&b);
            assert_eq!(needs_encoding(&[b'a', b]), expected, "byte {b:#x}");
        }
        assert!(!needs_encoding(b""));
    }

    #[test]
    fn encodes_uppercase_hex() {
        assert_eq!(encode(b"a b\xff\0").unwrap(), b"612062FF00");
        assert_eq!(quote_or_encode(b"root").unwrap(), b"\"root\"");
        assert_eq!(quote_or_encode(b"a\"b").unwrap(), b"612262");
    }

    fn nv(name: &[u8], value: Option<(&[u8], &[u8])>) -> Vec<u8> {
        nv_in(name, value, Line::V3_0_9)
    }

    fn nv_in(name: &[u8], value: Option<(&[u8], &[u8])>, line: Line) -> Vec<u8> {
        let mut buf = Vec::new();
        nv_string(name, value, line, |len| {
            buf.resize(len, 0);
            Some(&mut buf[..])
        })
        .expect("written")
        .to_vec()
    }

    #[test]
    fn nv_strings() {
        assert_eq!(nv(b"acct", Some((b"bob", b"bob"))), b"acct=\"bob\"");
        assert_eq!(nv(b"acct", Some((b"b b", b"b b"))), b"acct=622062");
        assert_eq!(nv(b"acct", Some((b"ab", b"abcd"))), b"acct=\"abcd\"");
        assert_eq!(nv(b"acct", None), b"acct=\"?\"");
        // Nothing is written when the memory cannot be had.
        assert!(nv_string(b"acct", None, Line::NEWEST, |_| None).is_none());
        // 4.1 on, a shorter vlen limits the quoted value too.
        assert_eq!(nv_in(b"acct", Some((b"ab", b"abcd")), Line::V4_1_2), b"acct=\"ab\"");
        assert_eq!(nv_in(b"acct", Some((b"ab", b"abcd")), Line::V4_0_2), b"acct=\"abcd\"");
    }

    #[test]
    fn bounded_copies_what_fits() {
        assert_eq!(quoted_bounded(b"abcdef", 5).unwrap(), b"\"abc");
        assert_eq!(quoted_bounded(b"ab", 5).unwrap(), b"\"ab\"");
        let mut out = [0u8; 6];
        assert_eq!(encode_into(b"a\xff ", &mut out), 6);
        assert_eq!(&out, b"61FF20");
    }
}
