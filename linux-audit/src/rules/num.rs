//! C's strtol and strtoul with base 0 in the C locale: how the original reads numbers in rule
//! values. Their quirks are part of the ABI (leading blanks and a sign are accepted, "0x" means
//! hex, a leading 0 means octal, parsing stops at the first stray byte, overflow saturates), and
//! callers then keep only the low 32 bits.

/// A number as C read it: the value and whether it overflowed (errno ERANGE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed<T> {
    pub value: T,
    pub overflow: bool,
}

/// The magnitude of the leading number (saturating at u64::MAX, with the overflow flag), and
/// whether a minus sign preceded it.
fn magnitude(s: &[u8]) -> (u64, bool, bool) {
    let mut i = s.iter().take_while(|&&b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')).count();
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let radix = match (s.get(i), s.get(i + 1), s.get(i + 2)) {
        (Some(b'0'), Some(b'x' | b'X'), Some(d)) if d.is_ascii_hexdigit() => {
            i += 2;
            16
        }
        (Some(b'0'), ..) => 8,
        _ => 10,
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

/// strtoul(s, NULL, 0) on a 64-bit target.
pub fn strtoul(s: &[u8]) -> Parsed<u64> {
    match magnitude(s) {
        (_, true, _) => Parsed { value: u64::MAX, overflow: true },
        (m, false, negative) => Parsed { value: if negative { m.wrapping_neg() } else { m }, overflow: false },
    }
}

/// strtol(s, NULL, 0) on a 64-bit target.
pub fn strtol(s: &[u8]) -> Parsed<i64> {
    let (m, overflow, negative) = magnitude(s);
    let limit = if negative { i64::MIN.unsigned_abs() } else { i64::MAX as u64 };
    if overflow || m > limit {
        return Parsed { value: if negative { i64::MIN } else { i64::MAX }, overflow: true };
    }
    Parsed { value: if negative { (m as i64).wrapping_neg() } else { m as i64 }, overflow: false }
}

/// isdigit() of a rule value's first byte (C locale).
pub fn starts_with_digit(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_digit)
}

/// A value "-N": a minus sign directly followed by a digit.
pub fn is_negative_number(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && s[1].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_and_prefixes() {
        assert_eq!(strtoul(b"42").value, 42);
        assert_eq!(strtoul(b"0x1F").value, 31);
        assert_eq!(strtoul(b"010").value, 8);
        assert_eq!(strtoul(b"09").value, 0); // octal stops at 9
        assert_eq!(strtoul(b"0x").value, 0);
        assert_eq!(strtoul(b"0xg").value, 0);
        assert_eq!(strtoul(b"12abc").value, 12);
        assert_eq!(strtoul(b"  \t7").value, 7);
        assert_eq!(strtoul(b"+7").value, 7);
        assert_eq!(strtoul(b"").value, 0);
        assert_eq!(strtoul(b"x").value, 0);
    }

    #[test]
    fn signs_and_overflow() {
        assert_eq!(strtoul(b"-1"), Parsed { value: u64::MAX, overflow: false });
        assert_eq!(strtoul(b"18446744073709551615"), Parsed { value: u64::MAX, overflow: false });
        assert_eq!(strtoul(b"18446744073709551616"), Parsed { value: u64::MAX, overflow: true });
        assert_eq!(strtoul(b"-18446744073709551616"), Parsed { value: u64::MAX, overflow: true });
        assert_eq!(strtol(b"-1").value, -1);
        assert_eq!(strtol(b"9223372036854775807"), Parsed { value: i64::MAX, overflow: false });
        assert_eq!(strtol(b"9223372036854775808"), Parsed { value: i64::MAX, overflow: true });
        assert_eq!(strtol(b"-9223372036854775808"), Parsed { value: i64::MIN, overflow: false });
        assert_eq!(strtol(b"-9223372036854775809"), Parsed { value: i64::MIN, overflow: true });
        assert_eq!(strtol(b"-0x10").value, -16);
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
