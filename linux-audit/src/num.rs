//! C's strtol and strtoul in the C locale, the one reading of numbers the original's callers
//! expect: rule values (base 0), record types, loginuid and session (base 10), architectures
//! (base 16). Their quirks are part of the ABI (leading blanks and a sign are accepted, "0x"
//! means hex, in base 0 a leading 0 means octal, parsing stops at the first stray byte,
//! overflow saturates), and callers often keep only the low 32 bits.

/// A number as C read it: the value and whether it overflowed (errno ERANGE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parsed<T> {
    pub value: T,
    pub overflow: bool,
}

/// The base a number is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// Base 0: "0x" means hex, a leading 0 octal, else decimal.
    Detect,
    Decimal,
    /// Base 16: an optional "0x" prefix.
    Hex,
}

/// The magnitude of the leading number (saturating at u64::MAX, with the overflow flag), and
/// whether a minus sign preceded it.
fn magnitude(s: &[u8], base: Base) -> (u64, bool, bool) {
    match base {
        Base::Detect | Base::Decimal => plain_decimal(s).unwrap_or_else(|| scan(s, base)),
        Base::Hex => scan(s, base),
    }
}

/// [`magnitude`] of any number, in C's steps.
fn scan(s: &[u8], base: Base) -> (u64, bool, bool) {
    let mut i = s.iter().take_while(|&&b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')).count();
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    // "0x" is a prefix only when a hex digit follows; else the "0" is the number.
    let hex_prefix = matches!((s.get(i), s.get(i + 1), s.get(i + 2)),
        (Some(b'0'), Some(b'x' | b'X'), Some(d)) if d.is_ascii_hexdigit());
    let radix = match base {
        Base::Decimal => 10,
        Base::Hex | Base::Detect if hex_prefix => {
            i += 2;
            16
        }
        Base::Hex => 16,
        Base::Detect if s.get(i) == Some(&b'0') => 8,
        Base::Detect => 10,
    };
    let mut value: u64 = 0;
    let mut overflow = false;
    for &b in &s[i.min(s.len())..] {
        let Some(digit) = (b as char).to_digit(radix) else {
            break;
        };
        match value.checked_mul(u64::from(radix)).and_then(|v| v.checked_add(u64::from(digit))) {
            Some(v) => value = v,
            None => overflow = true,
        }
    }
    if overflow { (u64::MAX, true, negative) } else { (value, false, negative) }
}

/// [`magnitude`] of what rule values almost always are, in base 0 and 10 alike: an optional
/// minus sign, then "0" alone, or a digit other than 0 (no octal, no hex prefix) and at most 18
/// more digits (fewer than 10^19 < 2^64: no overflow), up to the end or a stray byte. None for
/// anything else.
#[inline]
fn plain_decimal(s: &[u8]) -> Option<(u64, bool, bool)> {
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    if digits == b"0" {
        return Some((0, false, negative));
    }
    if !matches!(digits.first(), Some(b'1'..=b'9')) || digits.len() > 19 {
        return None;
    }
    let mut value = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            break;
        }
        value = value * 10 + u64::from(b - b'0');
    }
    Some((value, false, negative))
}

/// strtoul(s, NULL, base) on a 64-bit target.
pub(crate) fn strtoul(s: &[u8], base: Base) -> Parsed<u64> {
    match magnitude(s, base) {
        (_, true, _) => Parsed { value: u64::MAX, overflow: true },
        (m, false, negative) => Parsed { value: if negative { m.wrapping_neg() } else { m }, overflow: false },
    }
}

/// strtol(s, NULL, base) on a 64-bit target.
pub(crate) fn strtol(s: &[u8], base: Base) -> Parsed<i64> {
    let (m, overflow, negative) = magnitude(s, base);
    let limit = if negative { i64::MIN.unsigned_abs() } else { i64::MAX as u64 };
    if overflow || m > limit {
        return Parsed { value: if negative { i64::MIN } else { i64::MAX }, overflow: true };
    }
    Parsed { value: if negative { (m as i64).wrapping_neg() } else { m as i64 }, overflow: false }
}

/// isdigit() of a rule value's first byte (C locale).
pub(crate) fn starts_with_digit(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_digit)
}

/// A value "-N": a minus sign directly followed by a digit.
pub(crate) fn is_negative_number(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && s[1].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_and_prefixes() {
        assert_eq!(strtoul(b"42", Base::Detect).value, 42);
        assert_eq!(strtoul(b"0x1F", Base::Detect).value, 31);
        assert_eq!(strtoul(b"010", Base::Detect).value, 8);
        assert_eq!(strtoul(b"09", Base::Detect).value, 0); // octal stops at 9
        assert_eq!(strtoul(b"0x", Base::Detect).value, 0);
        assert_eq!(strtoul(b"0xg", Base::Detect).value, 0);
        assert_eq!(strtoul(b"12abc", Base::Detect).value, 12);
        assert_eq!(strtoul(b"  \t7", Base::Detect).value, 7);
        assert_eq!(strtoul(b"+7", Base::Detect).value, 7);
        assert_eq!(strtoul(b"", Base::Detect).value, 0);
        assert_eq!(strtoul(b"x", Base::Detect).value, 0);
    }

    #[test]
    fn signs_and_overflow() {
        assert_eq!(strtoul(b"-1", Base::Detect), Parsed { value: u64::MAX, overflow: false });
        assert_eq!(strtoul(b"18446744073709551615", Base::Detect), Parsed { value: u64::MAX, overflow: false });
        assert_eq!(strtoul(b"18446744073709551616", Base::Detect), Parsed { value: u64::MAX, overflow: true });
        assert_eq!(strtoul(b"-18446744073709551616", Base::Detect), Parsed { value: u64::MAX, overflow: true });
        assert_eq!(strtol(b"-1", Base::Detect).value, -1);
        assert_eq!(strtol(b"9223372036854775807", Base::Detect), Parsed { value: i64::MAX, overflow: false });
        assert_eq!(strtol(b"9223372036854775808", Base::Detect), Parsed { value: i64::MAX, overflow: true });
        assert_eq!(strtol(b"-9223372036854775808", Base::Detect), Parsed { value: i64::MIN, overflow: false });
        assert_eq!(strtol(b"-9223372036854775809", Base::Detect), Parsed { value: i64::MIN, overflow: true });
        assert_eq!(strtol(b"-0x10", Base::Detect).value, -16);
    }

    #[test]
    fn decimal_and_hex_bases() {
        assert_eq!(strtol(b"010", Base::Decimal).value, 10);
        assert_eq!(strtol(b"0x10", Base::Decimal).value, 0);
        assert_eq!(strtol(b"  -12abc", Base::Decimal), Parsed { value: -12, overflow: false });
        assert_eq!(strtoul(b"-1", Base::Decimal), Parsed { value: u64::MAX, overflow: false });
        assert!(strtoul(b"99999999999999999999", Base::Decimal).overflow);
        assert_eq!(strtoul(b" 0xc000003e", Base::Hex), Parsed { value: 0xc000003e, overflow: false });
        assert_eq!(strtoul(b"c000003e", Base::Hex).value, 0xc000003e);
        assert_eq!(strtoul(b"010", Base::Hex).value, 16);
        assert_eq!(strtoul(b"0x", Base::Hex).value, 0);
        assert_eq!(strtoul(b"-1", Base::Hex), Parsed { value: u64::MAX, overflow: false });
        assert_eq!(strtoul(b"10000000000000000", Base::Hex), Parsed { value: u64::MAX, overflow: true });
    }

    /// The shortcut for plain decimals reads what C's steps read, wherever it applies.
    #[test]
    fn plain_decimals_as_scanned() {
        let mut checked = 0;
        for text in [
            &b"1"[..],
            b"9",
            b"-1",
            b"-13",
            b"1000",
            b"4294967295",
            b"-4294967296",
            b"12abc",
            b"-7 ",
            b"1234567890123456789",
            b"9999999999999999999",
            b"-9999999999999999999",
            b"99999999999999999999",
            b"0",
            b"-0",
            b"07",
            b"00",
            b"0x1",
            b"0 ",
            b"+1",
            b" 1",
            b"-",
            b"",
            b"a1",
            b"1x2",
            b"--1",
        ] {
            if let Some(plain) = plain_decimal(text) {
                assert_eq!(plain, scan(text, Base::Detect), "{text:?}");
                assert_eq!(plain, scan(text, Base::Decimal), "{text:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 15);
        // Beyond 19 digits (overflow possible) and in base 16, C's steps.
        assert_eq!(plain_decimal(b"99999999999999999999"), None);
        assert_eq!(strtoul(b"99", Base::Hex).value, 0x99);
    }

    #[test]
    fn value_shapes() {
        assert!(starts_with_digit(b"0"));
        assert!(!starts_with_digit(b"-1"));
        assert!(is_negative_number(b"-1"));
        assert!(!is_negative_number(b"-"));
        assert!(!is_negative_number(b"-x"));
    }
}
