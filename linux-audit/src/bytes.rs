//! Byte strings built without a path to a panic or an abort: [`Bytes`] grows only with
//! `try_reserve` (a failed allocation is an error the caller returns, ENOMEM for the C face),
//! and [`Lossy`] prints bytes as text without copying them. The C face's code calls no panic
//! or allocation-failure path of core, alloc or std (scripts/panic-paths lists any), the first
//! step towards leaving std's panic machinery, most of the library's size, unlinked
//! (bench/analysis.md, size).

use std::cell::UnsafeCell;
use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

/// Memory for a byte string could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory;

/// A growable byte string whose growth can fail (instead of aborting the process as `Vec`'s
/// does).
#[derive(Default)]
pub struct Bytes(Vec<u8>);

impl Bytes {
    pub const fn new() -> Bytes {
        Bytes(Vec::new())
    }

    /// Appends `more`.
    pub fn push(&mut self, more: &[u8]) -> Result<(), OutOfMemory> {
        self.0.try_reserve(more.len()).map_err(|_| OutOfMemory)?;
        let spare = self.0.spare_capacity_mut();
        // Always Some: try_reserve left room for `more`.
        let Some(room) = spare.get_mut(..more.len()) else { return Err(OutOfMemory) };
        for (slot, &b) in room.iter_mut().zip(more) {
            slot.write(b);
        }
        // SAFETY: the `more.len()` bytes after the end were just written.
        unsafe { self.0.set_len(self.0.len() + more.len()) };
        Ok(())
    }

    /// `len` zero bytes, to be written in place (`as_mut_slice`).
    pub fn zeroed(len: usize) -> Result<Bytes, OutOfMemory> {
        let mut v = Vec::new();
        v.try_reserve_exact(len).map_err(|_| OutOfMemory)?;
        for slot in v.spare_capacity_mut().iter_mut().take(len) {
            slot.write(0);
        }
        // SAFETY: the first `len` bytes were just written (try_reserve_exact made room for them).
        unsafe { v.set_len(len) };
        Ok(Bytes(v))
    }

    /// Appends one byte.
    pub fn push_byte(&mut self, b: u8) -> Result<(), OutOfMemory> {
        self.push(&[b])
    }

    /// Appends what `args` prints.
    pub fn push_fmt(&mut self, args: fmt::Arguments<'_>) -> Result<(), OutOfMemory> {
        fmt::write(self, args).map_err(|_| OutOfMemory)
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Write for Bytes {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

/// Bytes found once per process and kept for its life (std's OnceLock, without a wait that a
/// forked child could hang in, or a poisoning that panics). Threads that find it at the same
/// time each find it; the first keeps its copy, the others' copies live on unused.
pub struct OnceBytes {
    /// 0: empty, 1: being set, 2: set.
    state: AtomicU8,
    value: UnsafeCell<&'static [u8]>,
}

// SAFETY: `value` is written once, by the thread that moved `state` from 0 to 1, before it
// stores 2 (Release); it is read only after loading 2 (Acquire).
unsafe impl Sync for OnceBytes {}

impl Default for OnceBytes {
    fn default() -> OnceBytes {
        OnceBytes::new()
    }
}

impl OnceBytes {
    pub const fn new() -> OnceBytes {
        OnceBytes { state: AtomicU8::new(0), value: UnsafeCell::new(&[]) }
    }

    pub fn get(&self) -> Option<&'static [u8]> {
        // SAFETY: set (see Sync).
        (self.state.load(Ordering::Acquire) == 2).then(|| unsafe { *self.value.get() })
    }

    /// Keeps `found` (memory that lives as long as the process) unless something is kept
    /// already; returns `found`.
    pub fn keep(&self, found: &'static [u8]) -> &'static [u8] {
        if self.state.compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            // SAFETY: this thread alone writes (see Sync).
            unsafe { *self.value.get() = found };
            self.state.store(2, Ordering::Release);
        }
        found
    }
}

/// `v.push(x)`, failing instead of aborting when memory is short (Vec's own growth path, and
/// the abort it ends in, is never linked).
pub fn try_push<T>(v: &mut Vec<T>, x: T) -> Result<(), OutOfMemory> {
    v.try_reserve(1).map_err(|_| OutOfMemory)?;
    // Always Some: try_reserve left room for one more.
    let Some(slot) = v.spare_capacity_mut().first_mut() else { return Err(OutOfMemory) };
    slot.write(x);
    // SAFETY: the element after the end was just written.
    unsafe { v.set_len(v.len() + 1) };
    Ok(())
}

/// A copy of `bytes`, or None when memory is short.
pub fn try_copy(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut copy = Bytes::new();
    copy.push(bytes).ok()?;
    Some(copy.into_vec())
}

/// Prints bytes as text, each invalid UTF-8 sequence as U+FFFD (String::from_utf8_lossy's
/// reading, without its copy).
pub struct Lossy<'a>(pub &'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

/// The decimal digits of a number, with its sign, in a buffer of their own (no formatting
/// machinery).
pub struct Decimal {
    digits: [u8; 21],
    start: usize,
}

impl Decimal {
    pub fn new(n: u64) -> Decimal {
        let mut digits = [0u8; 21];
        let mut start = digits.len();
        let mut n = n;
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            start -= 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Decimal { digits, start }
    }

    pub fn signed(n: i64) -> Decimal {
        let mut d = Decimal::new(n.unsigned_abs());
        if n < 0 {
            // 20 digits at most: the first byte is free for the sign.
            d.start -= 1;
            if let Some(sign) = d.digits.get_mut(d.start) {
                *sign = b'-';
            }
        }
        d
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.digits.get(self.start..).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_and_format() {
        let mut b = Bytes::new();
        b.push(b"op=").unwrap();
        b.push_fmt(format_args!("{} {}", 42, -7)).unwrap();
        b.push_byte(b'!').unwrap();
        assert_eq!(b.as_slice(), b"op=42 -7!");
    }

    #[test]
    fn decimals() {
        for n in [0, 7, 10, 4294967295, u64::MAX] {
            assert_eq!(Decimal::new(n).as_bytes(), n.to_string().as_bytes());
        }
        for n in [0, -1, 42, i64::MIN, i64::MAX] {
            assert_eq!(Decimal::signed(n).as_bytes(), n.to_string().as_bytes());
        }
    }

    #[test]
    fn lossy() {
        assert_eq!(Lossy(b"a\xffb").to_string(), "a\u{FFFD}b");
    }
}
