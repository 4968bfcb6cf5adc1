//! Where the library's own diagnostics go: set_aumessage_mode chooses stderr, syslog or nothing
//! (the default), and whether LOG_DEBUG messages pass. audit_msg (audit_msg.c) and the
//! diagnostics of the core ([`AuditMsg`]) share this one setting.

use std::ffi::{CStr, CString, c_int};
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

use crate::compat::LINE;
use linux_audit::Line;

pub use libc::{LOG_DEBUG, LOG_ERR, LOG_WARNING};
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
    // syslog and stderr are cancellation points; `pure` exports print only through here.
    let _no_cancellation = linux_audit::cancel::Section::guard();
    let text = CString::new(fmt::format(args).replace('\0', "")).unwrap_or_default();
    if mode == MSG_SYSLOG {
        // SAFETY: "%s" with one NUL-terminated string.
        unsafe { libc::syslog(priority, c"%s".as_ptr(), text.as_ptr()) };
    } else {
        write_stderr_line(&text);
    }
}

/// Emits one diagnostic made of byte strings (names as the caller gave them, not UTF-8
/// checked) as audit_msg("%s%s...") would.
pub(crate) fn log_pieces(priority: c_int, pieces: &[&[u8]]) {
    let Some(mode) = route(priority) else { return };
    // syslog and stderr are cancellation points; `pure` exports print only through here.
    let _no_cancellation = linux_audit::cancel::Section::guard();
    if mode == MSG_SYSLOG {
        let text: Vec<u8> = pieces.concat().into_iter().filter(|&b| b != 0).collect();
        let text = CString::new(text).unwrap_or_default();
        // SAFETY: "%s" with one NUL-terminated string.
        unsafe { libc::syslog(priority, c"%s".as_ptr(), text.as_ptr()) };
    } else {
        write_stderr_pieces(pieces);
    }
}

unsafe extern "C" {
    static mut stderr: *mut libc::FILE;
}

/// Writes through C's own stderr stream, so our lines interleave correctly with the host's.
pub(crate) fn write_stderr_line(text: &CStr) {
    write_stderr_pieces(&[text.to_bytes()]);
}

/// Writes `pieces` one after another, then a newline, to C's stderr stream: each straight from
/// where it is (a text of any size costs no copy).
pub(crate) fn write_stderr_pieces(pieces: &[&[u8]]) {
    // SAFETY: glibc's stderr stream is valid for the life of the process; fwrite reads exactly
    // the piece's bytes.
    unsafe {
        let stream = stderr;
        for piece in pieces {
            libc::fwrite(piece.as_ptr().cast(), 1, piece.len(), stream);
        }
        libc::fputc(b'\n' as c_int, stream);
    }
}

/// The program name 4.1 and later put before the failure message of the status request:
/// 4.1's is the basename of an empty buffer, "."; 4.2's the basename of the executable (of the
/// first 255 bytes readlink gives), "unknown" when that cannot be read. Found once per process,
/// as the original keeps it in a static buffer; never waited for (a child forked while another
/// thread was finding it finds it again). None before 4.1.
pub(crate) fn status_program() -> Option<&'static str> {
    static NAME: AtomicPtr<String> = AtomicPtr::new(std::ptr::null_mut());
    if LINE < Line::V4_1_2 {
        return None;
    }
    if LINE < Line::V4_2_1 {
        return Some(".");
    }
    let mut name = NAME.load(Ordering::Acquire);
    if name.is_null() {
        let found = Box::into_raw(Box::new(match std::fs::read_link("/proc/self/exe") {
            Ok(path) => {
                let path = path.as_os_str().as_bytes();
                String::from_utf8_lossy(posix_basename(&path[..path.len().min(255)])).into_owned()
            }
            Err(_) => "unknown".to_owned(),
        }));
        name = match NAME.compare_exchange(std::ptr::null_mut(), found, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => found,
            Err(first) => {
                // SAFETY: `found` came from Box::into_raw above and was not published.
                drop(unsafe { Box::from_raw(found) });
                first
            }
        };
    }
    // SAFETY: a published name is never freed or changed.
    Some(unsafe { &*name }.as_str())
}

/// POSIX basename (libgen.h): the last component, trailing slashes ignored; "." for an empty
/// path, "/" for one of slashes only.
fn posix_basename(path: &[u8]) -> &[u8] {
    let trimmed = match path.iter().rposition(|&b| b != b'/') {
        Some(last) => &path[..=last],
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
