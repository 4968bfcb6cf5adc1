//! The kernel's wire structures and constants, laid out as in <linux/audit.h> and
//! <linux/netlink.h> (x86_64: audit_rule_data 1040 bytes; c-tests/layout.c checks every offset
//! against the real header).
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};

/// The largest message libaudit sends or receives after the netlink header (MAX_AUDIT_MESSAGE_LENGTH
/// of libaudit.h).
pub const MAX_AUDIT_MESSAGE_LENGTH: usize = 8970;

pub const NETLINK_AUDIT: c_int = 9;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLM_F_REQUEST: u16 = 1;
pub const NLM_F_ACK: u16 = 4;
pub const NLMSG_HDRLEN: usize = std::mem::size_of::<nlmsghdr>();

pub const AUDIT_GET: u16 = 1000;
pub const AUDIT_SET: u16 = 1001;
pub const AUDIT_LIST_RULES: u16 = 1013;
pub const AUDIT_SIGNAL_INFO: u16 = 1010;
pub const AUDIT_USER: u16 = 1005;
pub const AUDIT_LOGIN: u16 = 1006;
pub const AUDIT_GET_FEATURE: u16 = 1019;
pub const AUDIT_SET_FEATURE: u16 = 1018;
pub const AUDIT_KERNEL: u16 = 2000;
pub const AUDIT_FIRST_USER_MSG: u16 = 1100;
// Record types of trusted user-space programs (1100-1199) that the records of this crate carry.
pub const AUDIT_USER_AUTH: u16 = 1100;
pub const AUDIT_USER_ACCT: u16 = 1101;
pub const AUDIT_USER_MGMT: u16 = 1102;
pub const AUDIT_CRED_ACQ: u16 = 1103;
pub const AUDIT_CRED_DISP: u16 = 1104;
pub const AUDIT_USER_START: u16 = 1105;
pub const AUDIT_USER_END: u16 = 1106;
pub const AUDIT_USER_CHAUTHTOK: u16 = 1108;
pub const AUDIT_USER_ERR: u16 = 1109;
pub const AUDIT_CRED_REFR: u16 = 1110;
pub const AUDIT_USER_LOGIN: u16 = 1112;
pub const AUDIT_USER_LOGOUT: u16 = 1113;
pub const AUDIT_ADD_USER: u16 = 1114;
pub const AUDIT_DEL_USER: u16 = 1115;
pub const AUDIT_ADD_GROUP: u16 = 1116;
pub const AUDIT_DEL_GROUP: u16 = 1117;
pub const AUDIT_TRUSTED_APP: u16 = 1121;
pub const AUDIT_USER_CMD: u16 = 1123;
pub const AUDIT_GRP_MGMT: u16 = 1132;
pub const AUDIT_LAST_USER_MSG: u16 = 1199;
pub const AUDIT_FIRST_USER_MSG2: u16 = 2100;
pub const AUDIT_LAST_USER_MSG2: u16 = 2999;
pub const AUDIT_FIRST_EVENT: u16 = 1300;
pub const AUDIT_INTEGRITY_LAST_MSG: u16 = 1899;

pub const AUDIT_STATUS_ENABLED: u32 = 0x0001;
pub const AUDIT_STATUS_FAILURE: u32 = 0x0002;
pub const AUDIT_STATUS_PID: u32 = 0x0004;
pub const AUDIT_STATUS_RATE_LIMIT: u32 = 0x0008;
pub const AUDIT_STATUS_BACKLOG_LIMIT: u32 = 0x0010;
pub const AUDIT_STATUS_BACKLOG_WAIT_TIME: u32 = 0x0020;
pub const AUDIT_STATUS_LOST: u32 = 0x0040;
pub const AUDIT_STATUS_BACKLOG_WAIT_TIME_ACTUAL: u32 = 0x0080;
pub const AUDIT_FEATURE_BITMAP_LOST_RESET: u32 = 0x0000_0020;
pub const AUDIT_FEATURE_LOGINUID_IMMUTABLE: u32 = 1;
pub const AUDIT_MAX_FIELDS: usize = 64;
pub const AUDIT_BITMASK_SIZE: usize = 64;

// Rules: netlink request types, filter lists, fields, operators, permissions, feature bits.
pub const AUDIT_ADD_RULE: u16 = 1011;
pub const AUDIT_DEL_RULE: u16 = 1012;
pub const AUDIT_TRIM: u16 = 1014;
pub const AUDIT_MAKE_EQUIV: u16 = 1015;

pub const AUDIT_FILTER_USER: i32 = 0;
pub const AUDIT_FILTER_EXIT: i32 = 4;
pub const AUDIT_FILTER_EXCLUDE: i32 = 5;
pub const AUDIT_FILTER_FS: i32 = 6;
pub const AUDIT_ALWAYS: u32 = 2;

pub const AUDIT_PID: u32 = 0;
pub const AUDIT_UID: u32 = 1;
pub const AUDIT_EUID: u32 = 2;
pub const AUDIT_SUID: u32 = 3;
pub const AUDIT_FSUID: u32 = 4;
pub const AUDIT_GID: u32 = 5;
pub const AUDIT_EGID: u32 = 6;
pub const AUDIT_SGID: u32 = 7;
pub const AUDIT_FSGID: u32 = 8;
pub const AUDIT_LOGINUID: u32 = 9;
pub const AUDIT_ARCH: u32 = 11;
pub const AUDIT_MSGTYPE: u32 = 12;
pub const AUDIT_SUBJ_USER: u32 = 13;
pub const AUDIT_SUBJ_ROLE: u32 = 14;
pub const AUDIT_SUBJ_TYPE: u32 = 15;
pub const AUDIT_SUBJ_SEN: u32 = 16;
pub const AUDIT_SUBJ_CLR: u32 = 17;
pub const AUDIT_PPID: u32 = 18;
pub const AUDIT_OBJ_USER: u32 = 19;
pub const AUDIT_OBJ_ROLE: u32 = 20;
pub const AUDIT_OBJ_TYPE: u32 = 21;
pub const AUDIT_OBJ_LEV_LOW: u32 = 22;
pub const AUDIT_OBJ_LEV_HIGH: u32 = 23;
pub const AUDIT_SESSIONID: u32 = 25;
pub const AUDIT_FSTYPE: u32 = 26;
pub const AUDIT_DEVMAJOR: u32 = 100;
pub const AUDIT_DEVMINOR: u32 = 101;
pub const AUDIT_INODE: u32 = 102;
pub const AUDIT_EXIT: u32 = 103;
pub const AUDIT_SUCCESS: u32 = 104;
pub const AUDIT_WATCH: u32 = 105;
pub const AUDIT_PERM: u32 = 106;
pub const AUDIT_DIR: u32 = 107;
pub const AUDIT_FILETYPE: u32 = 108;
pub const AUDIT_OBJ_UID: u32 = 109;
pub const AUDIT_OBJ_GID: u32 = 110;
pub const AUDIT_FIELD_COMPARE: u32 = 111;
pub const AUDIT_EXE: u32 = 112;
pub const AUDIT_SADDR_FAM: u32 = 113;
pub const AUDIT_ARG0: u32 = 200;
pub const AUDIT_ARG3: u32 = 203;
pub const AUDIT_FILTERKEY: u32 = 210;

pub const AUDIT_BIT_MASK: u32 = 0x0800_0000;
pub const AUDIT_LESS_THAN: u32 = 0x1000_0000;
pub const AUDIT_GREATER_THAN: u32 = 0x2000_0000;
pub const AUDIT_NOT_EQUAL: u32 = 0x3000_0000;
pub const AUDIT_EQUAL: u32 = 0x4000_0000;
pub const AUDIT_BIT_TEST: u32 = AUDIT_BIT_MASK | AUDIT_EQUAL;
pub const AUDIT_LESS_THAN_OR_EQUAL: u32 = AUDIT_LESS_THAN | AUDIT_EQUAL;
pub const AUDIT_GREATER_THAN_OR_EQUAL: u32 = AUDIT_GREATER_THAN | AUDIT_EQUAL;

pub const AUDIT_PERM_EXEC: u32 = 1;
pub const AUDIT_PERM_WRITE: u32 = 2;
pub const AUDIT_PERM_READ: u32 = 4;
pub const AUDIT_PERM_ATTR: u32 = 8;

pub const AUDIT_FEATURE_BITMAP_EXECUTABLE_PATH: u32 = 0x04;
pub const AUDIT_FEATURE_BITMAP_EXCLUDE_EXTEND: u32 = 0x08;
pub const AUDIT_FEATURE_BITMAP_SESSIONID_FILTER: u32 = 0x10;
pub const AUDIT_FEATURE_BITMAP_FILTER_FS: u32 = 0x40;

pub const AUDIT_MAX_KEY_LEN: usize = 256;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nlmsghdr {
    pub nlmsg_len: u32,
    pub nlmsg_type: u16,
    pub nlmsg_flags: u16,
    pub nlmsg_seq: u32,
    pub nlmsg_pid: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct nlmsgerr {
    pub error: c_int,
    pub msg: nlmsghdr,
}

/// `struct audit_status`; `feature_bitmap` shares its slot with `version` in the kernel's union.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct audit_status {
    pub mask: u32,
    pub enabled: u32,
    pub failure: u32,
    pub pid: u32,
    pub rate_limit: u32,
    pub backlog_limit: u32,
    pub lost: u32,
    pub backlog: u32,
    pub feature_bitmap: u32,
    pub backlog_wait_time: u32,
    pub backlog_wait_time_actual: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct audit_features {
    pub vers: u32,
    pub mask: u32,
    pub features: u32,
    pub lock: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct audit_rule_data {
    pub flags: u32,
    pub action: u32,
    pub field_count: u32,
    pub mask: [u32; AUDIT_BITMASK_SIZE],
    pub fields: [u32; AUDIT_MAX_FIELDS],
    pub values: [u32; AUDIT_MAX_FIELDS],
    pub fieldflags: [u32; AUDIT_MAX_FIELDS],
    pub buflen: u32,
    pub buf: [c_char; 0],
}

impl audit_rule_data {
    /// A rule with nothing in it: what audit_rule_create_data's calloc gives.
    pub const EMPTY: audit_rule_data = audit_rule_data {
        flags: 0,
        action: 0,
        field_count: 0,
        mask: [0; AUDIT_BITMASK_SIZE],
        fields: [0; AUDIT_MAX_FIELDS],
        values: [0; AUDIT_MAX_FIELDS],
        fieldflags: [0; AUDIT_MAX_FIELDS],
        buflen: 0,
        buf: [],
    };
}

/// NLMSG_ALIGN: netlink aligns every message to 4 bytes.
pub const fn nlmsg_align(len: usize) -> usize {
    (len + 3) & !3
}

/// NLMSG_SPACE: the aligned size of a message carrying `payload` bytes, or None past usize.
pub const fn nlmsg_space(payload: usize) -> Option<usize> {
    match payload.checked_add(NLMSG_HDRLEN + 3) {
        Some(n) => Some(n & !3),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn sizes_match_the_c_abi() {
        assert_eq!(size_of::<nlmsghdr>(), 16);
        assert_eq!(size_of::<audit_status>(), 44);
        assert_eq!(size_of::<audit_rule_data>(), 1040);
        assert_eq!(offset_of!(audit_rule_data, buf), 1040);
    }

    #[test]
    fn nlmsg_space_aligns_and_refuses_overflow() {
        assert_eq!(nlmsg_space(0), Some(16));
        assert_eq!(nlmsg_space(1), Some(20));
        assert_eq!(nlmsg_space(8952), Some(8968));
        assert_eq!(nlmsg_space(usize::MAX), None);
    }
}
