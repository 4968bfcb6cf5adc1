//! The hex encoding of "untrusted" values that the kernel also uses: a value holding a space,
//! a double quote, a control character, DEL or any byte >= 0x80 is written as uppercase hex
//! without quotes; any other value goes in double quotes.

/// Whether `value` must be hex encoded. Bytes >= 0x80 count as control characters, because the
/// original compares them as (signed) chars below 0x21.
pub fn needs_encoding(value: &[u8]) -> bool {
    value.iter().any(|&b| b == b'"' || !(0x21..0x7f).contains(&b))
}

/// Two uppercase hex digits per byte.
pub fn encode(value: &[u8]) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    value.iter().flat_map(|&b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]).collect()
}

/// A value as it goes into a record: hex when it needs encoding, else in double quotes.
pub fn quote_or_encode(value: &[u8]) -> Vec<u8> {
    if needs_encoding(value) { encode(value) } else { quoted(value) }
}

pub fn quoted(value: &[u8]) -> Vec<u8> {
    [b"\"", value, b"\""].concat()
}

/// audit_encode_nv_string: `name=HEX` when the `value` (its first `vlen` bytes) needs encoding,
/// else `name="value"`, where the quoted form takes `text`, the value up to its NUL, as the
/// original prints it with %s; `name="?"` without a value.
pub fn nv_string(name: &[u8], value: Option<(&[u8], &[u8])>) -> Vec<u8> {
    match value {
        Some((bytes, _)) if needs_encoding(bytes) => [name, b"=", &encode(bytes)].concat(),
        Some((_, text)) => [name, b"=", &quoted(text)].concat(),
        None => [name, b"=\"?\""].concat(),
    }
}

/// What snprintf(buf, size, ...) keeps of `text`: at most size - 1 bytes.
pub fn bounded(mut text: Vec<u8>, size: usize) -> Vec<u8> {
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
        assert_eq!(encode(b"a b\xff\0"), b"612062FF00");
        assert_eq!(quote_or_encode(b"root"), b"\"root\"");
        assert_eq!(quote_or_encode(b"a\"b"), b"612262");
    }

    #[test]
    fn nv_strings() {
        assert_eq!(nv_string(b"acct", Some((b"bob", b"bob"))), b"acct=\"bob\"");
        assert_eq!(nv_string(b"acct", Some((b"b b", b"b b"))), b"acct=622062");
        assert_eq!(nv_string(b"acct", Some((b"ab", b"abcd"))), b"acct=\"abcd\"");
        assert_eq!(nv_string(b"acct", None), b"acct=\"?\"");
    }
}
