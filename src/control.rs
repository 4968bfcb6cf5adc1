//! Status, settings, features, signal info, capabilities, loginuid and session, messages.

use std::ffi::{c_char, c_int, c_uint};
use std::sync::atomic::{AtomicU64, Ordering};

use super::types::{audit_reply, auditfail_t, debug_message_t, message_t, rep_wait_t};
use super::{c_bytes, printed, seq_or_errno, set_errno, zero_or_errno};
use crate::compat::LINE;
use crate::message::{self, AuditMsg};
use linux_audit::control::{self, CAP_AUDIT_CONTROL, CAP_AUDIT_READ, CAP_AUDIT_WRITE, Setting};
use linux_audit::errormsg::{self, EAU_FIELDNOSUPPORT};
use linux_audit::wire::{AUDIT_FEATURE_BITMAP_LOST_RESET, AUDIT_FEATURE_LOGINUID_IMMUTABLE};

/// The kernel's feature bitmap, probed once per process as the original does (0 if it cannot be
/// had), and the errno the probe left if this call made it and it failed. Concurrent first
/// calls each probe (nothing waits: a child forked meanwhile never hangs), and agree.
pub(crate) fn features() -> (u32, Option<c_int>) {
    // The bitmap, with bit 32 set once it is known.
    static FEATURES: AtomicU64 = AtomicU64::new(0);
    const KNOWN: u64 = 1 << 32;
    let known = FEATURES.load(Ordering::Acquire);
    if known & KNOWN != 0 {
        return (known as u32, None);
    }
    let (bitmap, errno) = {
        // The probe talks to the kernel; the rule builders (`pure`) ask for it.
        let _no_cancellation = linux_audit::cancel::Section::guard();
        control::probe_features(message::status_program(), &AuditMsg)
    };
    FEATURES.store(KNOWN | u64::from(bitmap), Ordering::Release);
    (bitmap, errno)
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_request_status(fd: c_int) -> c_int {
        seq_or_errno(control::request_status(fd, message::status_program(), &AuditMsg))
    }
}

export! {
    #[on_panic(-1, cancellation_point)]
    pub fn audit_is_enabled(fd: c_int) -> c_int {
        let (value, errno) = control::is_enabled(fd, message::status_program(), &AuditMsg);
        if let Some(errno) = errno {
            set_errno(errno);
        }
        value
    }
}

fn set(fd: c_int, setting: Setting, value: u32) -> c_int {
    seq_or_errno(control::set(fd, setting, value, &AuditMsg))
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_enabled(fd: c_int, enabled: u32) -> c_int {
        set(fd, Setting::Enabled, enabled)
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_failure(fd: c_int, failure: u32) -> c_int {
        set(fd, Setting::Failure, failure)
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_rate_limit(fd: c_int, limit: u32) -> c_int {
        set(fd, Setting::RateLimit, limit)
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_backlog_limit(fd: c_int, limit: u32) -> c_int {
        set(fd, Setting::BacklogLimit, limit)
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_backlog_wait_time(fd: c_int, bwt: u32) -> c_int {
        set(fd, Setting::BacklogWaitTime, bwt)
    }
}

export! {
    /// Registers `pid` as the audit daemon: 1 on success (after waiting briefly for an error reply
    /// unless WAIT_NO), or -errno.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_pid(fd: c_int, pid: u32, wmode: rep_wait_t) -> c_int {
        let rc = seq_or_errno(control::set(fd, Setting::Pid, pid, &AuditMsg));
        if rc < 0 {
            return rc;
        }
        if wmode != 0 {
            if let Some(errno) = control::drain_one_reply(fd, &AuditMsg) {
                set_errno(errno);
            }
        }
        1
    }
}

export! {
    /// 0, or the lost count the kernel reset (errno set to its negation, as the original does), or
    /// -errno; -EAU_FIELDNOSUPPORT where the kernel cannot reset it.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_reset_lost(fd: c_int) -> c_int {
        match features() {
            (bitmap, _) if bitmap & AUDIT_FEATURE_BITMAP_LOST_RESET != 0 => {
                zero_or_errno(control::set(fd, Setting::ResetLost, 0, &AuditMsg))
            }
            (_, probe_errno) => {
                if let Some(e) = probe_errno {
                    set_errno(e);
                }
                -EAU_FIELDNOSUPPORT
            }
        }
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_reset_backlog_wait_time_actual(fd: c_int) -> c_int {
        zero_or_errno(control::set(fd, Setting::ResetBacklogWaitTimeActual, 0, &AuditMsg))
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_request_features(fd: c_int) -> c_int {
        seq_or_errno(control::request_features(fd, &AuditMsg))
    }
}

export! {
    #[on_panic(0, cancellation_point)]
    pub fn audit_get_features() -> u32 {
        let (bitmap, probe_errno) = features();
        if let Some(e) = probe_errno {
            set_errno(e);
        }
        bitmap
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_feature(fd: c_int, feature: c_uint, value: c_uint, lock: c_uint) -> c_int {
        seq_or_errno(control::set_feature(fd, feature, value != 0, lock != 0, &AuditMsg))
    }
}

export! {
    /// Irreversible until reboot on a real kernel.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_set_loginuid_immutable(fd: c_int) -> c_int {
        // The core, not the export: an export inside another's boundary could end the thread
        // inside catch_unwind.
        seq_or_errno(control::set_feature(fd, AUDIT_FEATURE_LOGINUID_IMMUTABLE, true, true, &AuditMsg))
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_request_rules_list_data(fd: c_int) -> c_int {
        seq_or_errno(control::request_rules_list(fd, &AuditMsg))
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_request_signal_info(fd: c_int) -> c_int {
        seq_or_errno(control::request_signal_info(fd, &AuditMsg))
    }
}

export! {
    /// Formats a signal_info reply ("op=... auid=... uid=... ses=... pid=... [subj=...] res=...")
    /// into `buf` as snprintf(buf, len, ...) would, and returns `buf`.
    ///
    /// # Safety
    /// `buf` is NULL or has `len` writable bytes; `rep` is NULL or a reply whose signal_info points
    /// into its own message; `op` and `res` are NULL or strings.
    #[on_panic(buf, pure)]
    pub unsafe fn audit_format_signal_info(
        buf: *mut c_char,
        len: c_int,
        op: *mut c_char,
        rep: *mut audit_reply,
        res: *mut c_char,
    ) -> *mut c_char {
        // SAFETY: per the contract; the original crashes on NULL, we return buf untouched.
        let Some(rep) = (unsafe { rep.as_ref() }) else {
            return buf;
        };
        // SAFETY: every member of the payload union is a pointer: this reads the one stored there.
        let info = unsafe { rep.payload.signal_info };
        if info.is_null() || buf.is_null() || len <= 0 {
            return buf;
        }
        // SAFETY: a non-NULL signal_info points to the reply's audit_sig_info (the contract).
        let (auid, pid) = unsafe { ((*info).uid, (*info).pid) };
        // The context follows uid and pid when the reply is longer than header + 8 bytes.
        // SAFETY: the context is the NUL-terminated string the kernel put after uid and pid.
        let ctx = (rep.len != 24).then(|| unsafe { c_bytes((&raw const (*info).ctx).cast()) }.unwrap_or_default());
        // SAFETY: per the contract, op and res are NULL or strings.
        let (op, res) = unsafe { (printed(c_bytes(op)), printed(c_bytes(res))) };
        // The text, cut to len - 1 bytes, then a NUL: only what is written is touched.
        let (out, room) = (buf.cast::<u8>(), len as usize - 1);
        let mut n = 0;
        control::format_signal_info(op, auid, pid, ctx, res, &mut |piece| {
            for &b in piece.iter().take(room - n) {
                // SAFETY: n < room < len: inside the caller's buffer (the contract).
                unsafe { *out.add(n) = b };
                n += 1;
            }
        });
        // SAFETY: n <= room < len.
        unsafe { *out.add(n) = 0 };
        buf
    }
}

export! {
    #[on_panic(0)]
    pub fn audit_can_control() -> c_int {
        control::capable(CAP_AUDIT_CONTROL) as c_int
    }
}

export! {
    #[on_panic(0)]
    pub fn audit_can_write() -> c_int {
        control::capable(CAP_AUDIT_WRITE) as c_int
    }
}

export! {
    #[on_panic(0)]
    pub fn audit_can_read() -> c_int {
        control::capable(CAP_AUDIT_READ) as c_int
    }
}

export! {
    /// The loginuid, or (uid_t)-1 with errno from the failure (0 when the file was malformed).
    #[on_panic(u32::MAX, cancellation_point)]
    pub fn audit_getloginuid() -> libc::uid_t {
        set_errno(0);
        control::loginuid().unwrap_or_else(|e| {
            set_errno(e);
            u32::MAX
        })
    }
}

export! {
    /// 0 on success, 1 on failure (errno from the failing call).
    #[on_panic(1, cancellation_point)]
    pub fn audit_setloginuid(uid: libc::uid_t) -> c_int {
        set_errno(0);
        match control::set_loginuid(uid, &AuditMsg) {
            Ok(()) => 0,
            Err(e) => {
                set_errno(e);
                1
            }
        }
    }
}

export! {
    /// The session id, or (uint32_t)-2 with errno from the failure.
    #[on_panic(u32::MAX - 1, cancellation_point)]
    pub fn audit_get_session() -> u32 {
        set_errno(0);
        control::session().unwrap_or_else(|e| {
            set_errno(e);
            u32::MAX - 1
        })
    }
}

export! {
    /// Prints the message for a -EAU_* rule-building error to stderr, with `opt` placed in it.
    ///
    /// # Safety
    /// `opt` is NULL or a string.
    #[on_panic((), cancellation_point)]
    pub unsafe fn audit_number_to_errmsg(errnumber: c_int, opt: *const c_char) {
        // SAFETY: per the contract.
        if let Some(pieces) = errormsg::line(errnumber, printed(unsafe { c_bytes(opt) }), LINE) {
            message::write_stderr_pieces(&pieces);
        }
    }
}

export! {
    /// Reads failure_action from /etc/libaudit.conf: 0 if read, 1 on error; `*failmode` is set
    /// either way.
    ///
    /// # Safety
    /// `failmode` is NULL or writable.
    #[on_panic(1, cancellation_point)]
    pub unsafe fn get_auditfail_action(failmode: *mut auditfail_t) -> c_int {
        let (ok, action) = control::failure_action(control::CONFIG_FILE, LINE, &AuditMsg);
        // SAFETY: per the contract; the original crashes on NULL.
        if let Some(out) = unsafe { failmode.as_mut() } {
            *out = action;
        }
        c_int::from(!ok)
    }
}

export! {
    #[on_panic((), pure)]
    pub fn set_aumessage_mode(mode: message_t, debug: debug_message_t) {
        message::set_mode(mode, debug)
    }
}

export! {
    /// For audit_msg.c: 0 drop, 1 stderr, 2 syslog, plus 4 where audit_msg leaves errno as the
    /// caller had it (4.0 and later). Hidden from the dynamic symbol table by the C side's
    /// visibility declaration.
    #[on_panic(0, pure)]
    pub fn libaudit_rs_message_route(priority: c_int) -> c_int {
        let route = match message::route(priority) {
            None => 0,
            Some(message::MSG_SYSLOG) => 2,
            Some(_) => 1,
        };
        if LINE >= linux_audit::Line::V4_0_2 { route | 4 } else { route }
    }
}
