//! User-space audit records and the value encoders.

use std::ffi::{c_char, c_int, c_uint, c_void};
use std::os::fd::RawFd;
use std::sync::atomic::AtomicU8;
use std::sync::atomic::Ordering::Relaxed;

use super::{c_bytes, errno, printed, set_errno};
use crate::compat::LINE;
use crate::message::AuditMsg;
use linux_audit::logging::{self, Logged, Origin, ProgramName, Roles, Sender, encode};
use linux_audit::tables::Tables;

/// Sets errno as the original leaves it and returns the result.
fn returned(logged: Logged) -> c_int {
    if let Some(errno) = logged.errno {
        set_errno(errno);
    }
    logged.rc
}

fn syslog_error(line: &[u8]) {
    crate::message::syslog(libc::LOG_ERR, &[line]);
}

/// # Safety
/// Each pointer is NULL or a NUL-terminated string.
unsafe fn origin<'a>(host: *const c_char, addr: *const c_char, tty: *const c_char) -> Origin<'a> {
    // SAFETY: per the contract.
    unsafe { Origin { host: c_bytes(host), addr: c_bytes(addr), tty: c_bytes(tty) } }
}

/// audit_log_acct_message's program name sticks for the life of the process, as the original's.
static PROGRAM_NAME: ProgramName = ProgramName::new();

unsafe extern "C" {
    /// audit_send as the dynamic linker resolves it: ours, unless the program or a preloaded
    /// library defines its own, which then receives the records of the audit_log_* functions, as
    /// with the original (whose internal calls go through its exported symbols; upstream's
    /// logging test relies on it). An import of our own export: called through the GOT, not
    /// bound to our definition, since the symbol is global and the library is not linked with
    /// -Bsymbolic (tests/interpose.rs checks the relocation and the interposition).
    #[link_name = "audit_send"]
    fn audit_send_resolved(fd: c_int, msg_type: c_int, data: *const c_void, size: c_uint) -> c_int;
}

/// audit_send's value and the errno it leaves: the original clears errno before it sends.
fn through_audit_send(fd: RawFd, msg_type: i32, payload: &[u8]) -> (i32, i32) {
    set_errno(0);
    // SAFETY: audit_send reads `size` bytes of `data`, which the payload holds (a record is at
    // most MAX_AUDIT_MESSAGE_LENGTH bytes, so the size fits).
    let rc = unsafe { audit_send_resolved(fd, msg_type, payload.as_ptr().cast(), payload.len() as c_uint) };
    (rc, errno())
}

/// Whether audit_send resolves to a definition in our own object: 0 not known yet, 1 ours, 2 another
/// (the program's or a preloaded library's). The dynamic linker fills the GOT entry at load time,
/// so the answer does not change; racing first calls compute the same.
static AUDIT_SEND_IS_OURS: AtomicU8 = AtomicU8::new(0);

/// How the audit_log_* functions send their records: through audit_send as resolved; when that
/// is our own, straight to the socket, framed in place (what our audit_send does, without framing
/// the record a second time and crossing the export boundary again).
fn sender() -> Sender<'static> {
    let mut known = AUDIT_SEND_IS_OURS.load(Relaxed);
    if known == 0 {
        let resolved = audit_send_resolved as *const c_void;
        known = if same_object(resolved, through_audit_send as *const c_void) { 1 } else { 2 };
        AUDIT_SEND_IS_OURS.store(known, Relaxed);
    }
    if known == 1 { Sender::Netlink } else { Sender::Function(&through_audit_send) }
}

/// Whether two code addresses lie in the same loaded object.
fn same_object(a: *const c_void, b: *const c_void) -> bool {
    let base = |addr: *const c_void| {
        // SAFETY: Dl_info is plain data; dladdr fills it for an address of loaded code.
        let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
        // SAFETY: a valid pointer to writable Dl_info.
        (unsafe { libc::dladdr(addr, &mut info) } != 0).then_some(info.dli_fbase)
    };
    matches!((base(a), base(b)), (Some(x), Some(y)) if x == y)
}

export! {
    /// 1 if the first `size` bytes of `str` hold a byte that must be hex encoded (a NUL among
    /// them counts, and ends the scan), else 0.
    ///
    /// # Safety
    /// `str` is NULL, or readable up to `size` bytes or its first NUL.
    #[on_panic(0, pure)]
    pub unsafe fn audit_value_needs_encoding(str: *const c_char, size: c_uint) -> c_int {
        if str.is_null() {
            return 0;
        }
        // SAFETY: strnlen reads no further than the contract allows.
        let len = unsafe { libc::strnlen(str, size as usize) };
        // SAFETY: strnlen found `len` readable bytes.
        let bytes = unsafe { std::slice::from_raw_parts(str.cast::<u8>(), len) };
        c_int::from(len < size as usize || encode::needs_encoding(bytes))
    }
}

export! {
    /// Writes the `size` bytes of `buf` as 2 * `size` uppercase hex digits and a NUL into `final`,
    /// and returns `final` (NULL if `final` is NULL; an empty string if `buf` is NULL).
    ///
    /// # Safety
    /// `final` is NULL or has 2 * `size` + 1 writable bytes; `buf` is NULL or has `size` readable
    /// bytes.
    #[on_panic(r#final, pure)]
    pub unsafe fn audit_encode_value(r#final: *mut c_char, buf: *const c_char, size: c_uint) -> *mut c_char {
        if r#final.is_null() {
            return r#final;
        }
        let len = if buf.is_null() {
            0
        } else {
            // SAFETY: per the contract, buf has `size` readable bytes and final 2 * size + 1
            // writable ones, which do not overlap.
            unsafe {
                let value = std::slice::from_raw_parts(buf.cast::<u8>(), size as usize);
                let out = std::slice::from_raw_parts_mut(r#final.cast::<u8>(), 2 * size as usize);
                encode::encode_into(value, out)
            }
        };
        // SAFETY: per the contract, final holds len + 1 bytes.
        unsafe { *r#final.add(len) = 0 };
        r#final
    }
}

export! {
    /// `name=HEX` or `name="value"` (`name="?"` for a NULL value) in memory from malloc, which the
    /// caller frees; NULL if out of memory. `vlen` 0 means the value's string length.
    ///
    /// # Safety
    /// `name` is NULL or a string; `value` is NULL or a string with at least `vlen` readable bytes.
    #[on_panic(std::ptr::null_mut(), pure)]
    pub unsafe fn audit_encode_nv_string(
        name: *const c_char,
        value: *const c_char,
        vlen: c_uint,
    ) -> *mut c_char {
        // SAFETY: per the contract.
        let (name, text) = unsafe { (printed(c_bytes(name)), c_bytes(value)) };
        let value = text.map(|text| {
            let len = if vlen == 0 { text.len() } else { vlen as usize };
            // SAFETY: per the contract, value has `len` readable bytes.
            (unsafe { std::slice::from_raw_parts(value.cast::<u8>(), len) }, text)
        });
        // Written straight into the caller's string; NULL with ENOMEM when malloc fails, as the
        // original's malloc and asprintf do.
        let mut string = std::ptr::null_mut();
        let written = encode::nv_string(name, value, LINE, |len| {
            // SAFETY: a fresh allocation of len + 1 bytes, handed out as the len bytes before the
            // NUL, written below.
            unsafe {
                string = libc::malloc(len.checked_add(1)?).cast::<u8>();
                if string.is_null() {
                    return None;
                }
                *string.add(len) = 0;
                Some(std::slice::from_raw_parts_mut(string, len))
            }
        });
        if written.is_none() {
            // SAFETY: NULL, or the allocation above, which nothing else holds.
            unsafe { libc::free(string.cast()) };
            set_errno(libc::ENOMEM);
            return std::ptr::null_mut();
        }
        string.cast()
    }
}

export! {
    /// # Safety
    /// `message`, `hostname`, `addr` and `tty` are NULL or strings.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_log_user_message(
        audit_fd: c_int,
        r#type: c_int,
        message: *const c_char,
        hostname: *const c_char,
        addr: *const c_char,
        tty: *const c_char,
        result: c_int,
    ) -> c_int {
        // SAFETY: per the contract.
        let (message, origin) = unsafe { (printed(c_bytes(message)), origin(hostname, addr, tty)) };
        returned(logging::user_message(audit_fd, sender(), r#type, message, None, origin, result != 0, LINE, &AuditMsg))
    }
}

export! {
    /// # Safety
    /// Every pointer is NULL or a string.
    #[allow(clippy::too_many_arguments)] // the C function's parameters
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_log_user_comm_message(
        audit_fd: c_int,
        r#type: c_int,
        message: *const c_char,
        comm: *const c_char,
        hostname: *const c_char,
        addr: *const c_char,
        tty: *const c_char,
        result: c_int,
    ) -> c_int {
        // SAFETY: per the contract.
        let (message, comm, origin) = unsafe { (printed(c_bytes(message)), c_bytes(comm), origin(hostname, addr, tty)) };
        returned(logging::user_message(audit_fd, sender(), r#type, message, Some(comm), origin, result != 0, LINE, &AuditMsg))
    }
}

export! {
    /// # Safety
    /// Every pointer is NULL or a string.
    #[allow(clippy::too_many_arguments)] // the C function's parameters
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_log_acct_message(
        audit_fd: c_int,
        r#type: c_int,
        pgname: *const c_char,
        op: *const c_char,
        name: *const c_char,
        id: c_uint,
        host: *const c_char,
        addr: *const c_char,
        tty: *const c_char,
        result: c_int,
    ) -> c_int {
        // SAFETY: per the contract.
        let (pgname, op, name, origin) =
            unsafe { (c_bytes(pgname), printed(c_bytes(op)), c_bytes(name), origin(host, addr, tty)) };
        returned(logging::acct_message(audit_fd, sender(), r#type, pgname, &PROGRAM_NAME, op, name, id, origin, result != 0, LINE, &AuditMsg))
    }
}

export! {
    /// # Safety
    /// `message`, `hostname`, `addr` and `tty` are NULL or strings.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_log_user_avc_message(
        audit_fd: c_int,
        r#type: c_int,
        message: *const c_char,
        hostname: *const c_char,
        addr: *const c_char,
        tty: *const c_char,
        uid: libc::uid_t,
    ) -> c_int {
        // SAFETY: per the contract.
        let (message, origin) = unsafe { (printed(c_bytes(message)), origin(hostname, addr, tty)) };
        match logging::user_avc_message(Tables::of(LINE), audit_fd, sender(), r#type, message, origin, uid, &AuditMsg) {
            logging::Avc::Logged(logged) => returned(logged),
            // Without the privilege to log, the record goes to syslog and 0 is returned.
            logging::Avc::Denied { errno, line } => {
                syslog_error(&line);
                returned(Logged { rc: 0, errno })
            }
        }
    }
}

export! {
    /// # Safety
    /// Every pointer is NULL or a string.
    #[allow(clippy::too_many_arguments)] // the C function's parameters
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_log_semanage_message(
        audit_fd: c_int,
        r#type: c_int,
        pgname: *const c_char,
        op: *const c_char,
        name: *const c_char,
        id: c_uint,
        new_seuser: *const c_char,
        new_role: *const c_char,
        new_range: *const c_char,
        old_seuser: *const c_char,
        old_role: *const c_char,
        old_range: *const c_char,
        host: *const c_char,
        addr: *const c_char,
        tty: *const c_char,
        result: c_int,
    ) -> c_int {
        // SAFETY: per the contract.
        let (pgname, op, name, new, old, origin) = unsafe {
            (
                c_bytes(pgname),
                printed(c_bytes(op)),
                c_bytes(name),
                Roles { seuser: c_bytes(new_seuser), role: c_bytes(new_role), range: c_bytes(new_range) },
                Roles { seuser: c_bytes(old_seuser), role: c_bytes(old_role), range: c_bytes(old_range) },
                origin(host, addr, tty),
            )
        };
        returned(logging::semanage_message(
            audit_fd,
            sender(),
            r#type,
            pgname,
            op,
            name,
            id,
            new,
            old,
            origin,
            result != 0,
            &AuditMsg,
        ))
    }
}

export! {
    /// # Safety
    /// `command` and `tty` are NULL or strings.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_log_user_command(
        audit_fd: c_int,
        r#type: c_int,
        command: *const c_char,
        tty: *const c_char,
        result: c_int,
    ) -> c_int {
        // SAFETY: per the contract.
        let (command, tty) = unsafe { (c_bytes(command), c_bytes(tty)) };
        returned(logging::user_command(audit_fd, sender(), r#type, command, tty, result != 0, &AuditMsg))
    }
}
