//! Where the library's own diagnostics go: set_aumessage_mode chooses stderr, syslog or nothing
//! (the default), and whether LOG_DEBUG messages pass. audit_msg (audit_msg.c) and the
//! diagnostics of the core ([`AuditMsg`]) share this one setting.

use std::ffi::c_int;
use std::fmt;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

use crate::compat::LINE;
use linux_audit::Line;

pub use libc::{LOG_DEBUG, LOG_ERR, LOG_WARNING};
use linux_audit::bytes::Bytes;
use linux_audit::diag::{Diagnostics, Level};
pub use linux_audit::sys::strerror;

/// message_t of libaudit.h.
pub const MSG_STDERR: u8 = 0;
pub const MSG_SYSLOG: u8 = 1;
pub const MSG_QUIET: u8 = 2;

// The caller's mode in the low half, the debug flag in the high half: one atomic, so a reader
// never sees half an update.
static SETTING: AtomicU64 = AtomicU64::new(MSG_QUIET as u64);

/// Keeps the raw values a C caller passed: like the original, any mode but quiet or syslog
/// writes to stderr, and any non-zero debug lets LOG_DEBUG through.
pub(crate) fn set_mode(mode: u32, debug: u32) {
    SETTING.store(u64::from(mode) | u64::from(debug != 0) << 32, Ordering::Relaxed);
}

/// Where a message of `priority` goes now: Some(MSG_STDERR or MSG_SYSLOG), or None.
pub(crate) fn route(priority: c_int) -> Option<u8> {
    let setting = SETTING.load(Ordering::Relaxed);
    let debug = setting >> 32 != 0;
    match setting as u32 {
        m if m == u32::from(MSG_QUIET) => None,
        _ if priority == LOG_DEBUG && !debug => None,
        m if m == u32::from(MSG_SYSLOG) => Some(MSG_SYSLOG),
        _ => Some(MSG_STDERR),
    }
}

/// Emits one diagnostic as audit_msg would.
pub(crate) fn log(priority: c_int, args: fmt::Arguments<'_>) {
    let Some(mode) = route(priority) else { return };
    // Without the memory for it, the message is dropped (audit_msg's vasprintf would fail too).
    let mut text = Bytes::new();
    if text.push_fmt(args).is_err() {
        return;
    }
    emit(priority, mode, &[text.as_slice()]);
}

/// Sends `pieces` to syslog as one message, without the NULs inside (dropped if memory is
/// short).
pub(crate) fn syslog(priority: c_int, pieces: &[&[u8]]) {
    emit(priority, MSG_SYSLOG, pieces);
}

/// Sends `pieces`, one message without the NULs inside, where `mode` says: to stderr straight
/// from where they are; to syslog as one NUL-terminated copy (dropped if memory is short).
fn emit(priority: c_int, mode: u8, pieces: &[&[u8]]) {
    // syslog and stderr are cancellation points; `pure` exports print only through here.
    let _no_cancellation = linux_audit::cancel::Section::guard();
    if mode != MSG_SYSLOG {
        return write_stderr_pieces(pieces);
    }
    let mut text = Bytes::new();
    for piece in pieces {
        for part in piece.split(|&b| b == 0) {
            if text.push(part).is_err() {
                return;
            }
        }
    }
    if text.push_byte(0).is_err() {
        return;
    }
    // SAFETY: "%s" with one NUL-terminated string (the NULs inside were left out).
    unsafe { libc::syslog(priority, c"%s".as_ptr(), text.as_slice().as_ptr()) };
}

/// Emits one diagnostic made of byte strings (names as the caller gave them, not UTF-8
/// checked) as audit_msg("%s%s...") would.
pub(crate) fn log_pieces(priority: c_int, pieces: &[&[u8]]) {
    let Some(mode) = route(priority) else { return };
    emit(priority, mode, pieces);
}

unsafe extern "C" {
    static mut stderr: *mut libc::FILE;
    /// audit_msg.c's audit_msg (hidden).
    fn libaudit_rs_audit_msg();
}

/// audit_msg(int priority, const char *fmt, ...), the one variadic export: stable Rust cannot
/// define a C-variadic function, so src/audit_msg.c does, and this is its exported name, a jump
/// that leaves the arguments, the stack and the vector-register count as the caller set them
/// (its return goes straight back to the caller). A Rust definition, so that the name is in
/// rustc's list of exports, the library's only one (build.rs). No boundary of its own: the C
/// function cannot panic, and its cancellation points (vsyslog, vfprintf) are the original's.
///
/// # Safety
/// As C's audit_msg: `fmt` is NULL or a printf format whose conversions match the arguments.
#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn audit_msg() {
    std::arch::naked_asm!("jmp {}", sym libaudit_rs_audit_msg)
}

/// As on x86_64.
///
/// # Safety
/// As on x86_64.
#[cfg(target_arch = "aarch64")]
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn audit_msg() {
    std::arch::naked_asm!("b {}", sym libaudit_rs_audit_msg)
}

/// As on x86_64.
///
/// # Safety
/// As on x86_64.
#[cfg(target_arch = "riscv64")]
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn audit_msg() {
    std::arch::naked_asm!("tail {}", sym libaudit_rs_audit_msg)
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64", target_arch = "riscv64")))]
compile_error!("audit_msg needs its jump to src/audit_msg.c written for this architecture (src/message.rs)");

/// Writes `pieces` one after another, then a newline, to C's own stderr stream (so that our
/// lines interleave correctly with the host's): each straight from where it is (a text of any
/// size costs no copy), without the NULs inside.
pub(crate) fn write_stderr_pieces(pieces: &[&[u8]]) {
    // SAFETY: glibc's stderr stream is valid for the life of the process; fwrite reads exactly
    // the piece's bytes.
    unsafe {
        let stream = stderr;
        for part in pieces.iter().flat_map(|piece| piece.split(|&b| b == 0)) {
            libc::fwrite(part.as_ptr().cast(), 1, part.len(), stream);
        }
        libc::fputc(b'\n' as c_int, stream);
    }
}

/// The program name 4.1 and later put before the failure message of the status request:
/// 4.1's is the basename of an empty buffer, "."; 4.2's the basename of the executable (of the
/// first 255 bytes readlink gives), "unknown" when that cannot be read. Found once per process,
/// as the original keeps it in a static buffer; never waited for (a child forked while another
/// thread was finding it finds it again). None before 4.1.
pub(crate) fn status_program() -> Option<&'static [u8]> {
    /// A name found, in memory from malloc that is never freed once published.
    #[repr(C)]
    struct Name {
        len: usize,
        bytes: [u8; 255],
    }
    static NAME: AtomicPtr<Name> = AtomicPtr::new(std::ptr::null_mut());
    if LINE < Line::V4_1_2 {
        return None;
    }
    if LINE < Line::V4_2_1 {
        return Some(b".");
    }
    let mut name = NAME.load(Ordering::Acquire);
    if name.is_null() {
        let mut path = [0u8; 255];
        // SAFETY: readlink writes at most path.len() bytes into path.
        let n = unsafe { libc::readlink(c"/proc/self/exe".as_ptr(), path.as_mut_ptr().cast(), path.len()) };
        let found: &[u8] = match path.get(..n.max(0) as usize) {
            Some(path) if n >= 0 => posix_basename(path),
            _ => b"unknown",
        };
        // SAFETY: malloc of a Name's size; NULL when memory is short.
        let fresh = unsafe { libc::malloc(size_of::<Name>()) }.cast::<Name>();
        if fresh.is_null() {
            return Some(b"unknown");
        }
        let mut bytes = [0u8; 255];
        for (slot, &b) in bytes.iter_mut().zip(found) {
            *slot = b;
        }
        // SAFETY: `fresh` is a new allocation of a Name's size and alignment (malloc's).
        unsafe { fresh.write(Name { len: found.len().min(255), bytes }) };
        name = match NAME.compare_exchange(std::ptr::null_mut(), fresh, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => fresh,
            Err(first) => {
                // SAFETY: `fresh` came from malloc above and was not published.
                unsafe { libc::free(fresh.cast()) };
                first
            }
        };
    }
    // SAFETY: a published name is never freed or changed.
    let name = unsafe { &*name };
    Some(name.bytes.get(..name.len).unwrap_or_default())
}

/// POSIX basename (libgen.h): the last component, trailing slashes ignored; "." for an empty
/// path, "/" for one of slashes only.
fn posix_basename(path: &[u8]) -> &[u8] {
    let trimmed = match path.iter().rposition(|&b| b != b'/') {
        Some(last) => path.get(..=last).unwrap_or(path),
        None if path.is_empty() => return b".",
        None => return b"/",
    };
    trimmed.rsplit(|&b| b == b'/').next().unwrap_or(trimmed)
}

/// The core's diagnostics, printed as audit_msg prints: where set_aumessage_mode says.
pub(crate) struct AuditMsg;

impl Diagnostics for AuditMsg {
    fn report(&self, level: Level, message: fmt::Arguments<'_>) {
        let priority = match level {
            Level::Debug => LOG_DEBUG,
            Level::Info => libc::LOG_INFO,
            Level::Warning => LOG_WARNING,
            Level::Error => LOG_ERR,
        };
        log(priority, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basenames_as_libgen() {
        assert_eq!(posix_basename(b"/usr/bin/sudo"), b"sudo");
        assert_eq!(posix_basename(b"/usr/bin/"), b"bin");
        assert_eq!(posix_basename(b"sudo"), b"sudo");
        assert_eq!(posix_basename(b"///"), b"/");
        assert_eq!(posix_basename(b""), b".");
    }

    #[test]
    fn quiet_by_default_and_debug_gated() {
        assert_eq!(route(LOG_ERR), None);
        set_mode(0, 0);
        assert_eq!(route(LOG_ERR), Some(MSG_STDERR));
        assert_eq!(route(LOG_DEBUG), None);
        set_mode(1, 1);
        assert_eq!(route(LOG_DEBUG), Some(MSG_SYSLOG));
        set_mode(7, 1);
        assert_eq!(route(LOG_ERR), Some(MSG_STDERR));
        set_mode(2, 0);
    }
}
