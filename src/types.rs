//! libaudit.h's own types. cbindgen reads this crate to write include/<line>/
//! (cbindgen.toml says how; tests/header.rs keeps the committed header in step).
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_uint};

use linux_audit::wire::MAX_AUDIT_MESSAGE_LENGTH;
use linux_audit::wire::{audit_features, audit_rule_data, audit_status, nlmsgerr, nlmsghdr};

// The enum typedefs, as the integers C passes for them: a Rust enum holding a value outside its
// variants is undefined behaviour, and C callers may pass any value. The header spells out the
// real `typedef enum {...}` (cbindgen.toml, after_includes).

/// MSG_STDERR, MSG_SYSLOG, MSG_QUIET.
pub type message_t = c_uint;
/// DBG_NO, DBG_YES.
pub type debug_message_t = c_uint;
/// GET_REPLY_BLOCKING, GET_REPLY_NONBLOCKING.
pub type reply_t = c_uint;
/// WAIT_NO, WAIT_YES.
pub type rep_wait_t = c_uint;
/// FAIL_IGNORE, FAIL_LOG, FAIL_TERMINATE.
pub type auditfail_t = c_uint;
/// MACH_X86 ... MACH_PPC64LE.
pub type machine_t = c_uint;

/// Who last signalled the audit daemon: the payload of an AUDIT_SIGNAL_INFO reply; the
/// sender's security context follows when it has one.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct audit_sig_info {
    pub uid: libc::uid_t,
    pub pid: libc::pid_t,
    pub ctx: [c_char; 0],
}

/// One netlink datagram as libaudit receives it: header then payload.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct audit_message {
    pub nlh: nlmsghdr,
    pub data: [c_char; MAX_AUDIT_MESSAGE_LENGTH],
}

/// The pointer union at the end of `struct audit_reply`: which member is set depends on `type`.
/// C's is anonymous, and has two members the library never sets (`login`, `conf`).
#[repr(C)]
#[derive(Clone, Copy)]
pub union audit_reply_payload {
    pub status: *mut audit_status,
    pub ruledata: *mut audit_rule_data,
    pub message: *mut c_char,
    pub error: *mut nlmsgerr,
    pub signal_info: *mut audit_sig_info,
    pub features: *mut audit_features,
}

// audit_get_reply receives straight into `msg`: the core's receive buffer is exactly its size.
const _: () = assert!(std::mem::size_of::<audit_message>() == linux_audit::netlink::RECEIVE_SIZE);

/// What audit_get_reply fills in.
#[repr(C)]
pub struct audit_reply {
    pub type_: c_int,
    pub len: c_int,
    pub nlh: *mut nlmsghdr,
    pub msg: audit_message,
    pub payload: audit_reply_payload,
}

/// What auditd puts before each event it hands to its dispatcher (versioned, fixed size).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct audit_dispatcher_header {
    /// AUDISP_PROTOCOL_VER or AUDISP_PROTOCOL_VER2.
    pub ver: u32,
    /// The length of this header.
    pub hlen: u32,
    /// The message type.
    pub r#type: u32,
    /// The length of the data that follows.
    pub size: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn sizes_match_the_c_abi() {
        assert_eq!(size_of::<audit_message>(), 8988);
        assert_eq!(size_of::<audit_reply>(), 9016);
        assert_eq!(offset_of!(audit_reply, msg), 16);
        assert_eq!(offset_of!(audit_reply, payload), 9008);
    }
}
