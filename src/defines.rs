//! The macros libaudit.h adds to <linux/audit.h>: message types, and the kernel's constants that
//! older kernel headers lack. cbindgen writes each as a `#define`.
//!
//! `#[cfg(not(kernel_defines = "X"))]` marks a fallback: rustc never sets that cfg, so Rust always
//! has the constant, while cbindgen writes it inside `#if !defined(X)` ([defines] in
//! cbindgen.toml), so the kernel's own definition wins, as in the original header.
//!
//! These are the header's text, not the library's constants: Rust code uses linux_audit::wire,
//! the one home of each kernel constant, and tests/header.rs fails where a name defined in both
//! has different values.

use std::ffi::c_int;

// Messages from trusted user space applications (1100-1199).
pub const AUDIT_FIRST_USER_MSG: c_int = 1100;
pub const AUDIT_LAST_USER_MSG: c_int = 1199;
pub const AUDIT_USER_AUTH: c_int = 1100;
pub const AUDIT_USER_ACCT: c_int = 1101;
pub const AUDIT_USER_MGMT: c_int = 1102;
pub const AUDIT_CRED_ACQ: c_int = 1103;
pub const AUDIT_CRED_DISP: c_int = 1104;
pub const AUDIT_USER_START: c_int = 1105;
pub const AUDIT_USER_END: c_int = 1106;
pub const AUDIT_USER_AVC: c_int = 1107;
pub const AUDIT_USER_CHAUTHTOK: c_int = 1108;
pub const AUDIT_USER_ERR: c_int = 1109;
pub const AUDIT_CRED_REFR: c_int = 1110;
pub const AUDIT_USYS_CONFIG: c_int = 1111;
pub const AUDIT_USER_LOGIN: c_int = 1112;
pub const AUDIT_USER_LOGOUT: c_int = 1113;
pub const AUDIT_ADD_USER: c_int = 1114;
pub const AUDIT_DEL_USER: c_int = 1115;
pub const AUDIT_ADD_GROUP: c_int = 1116;
pub const AUDIT_DEL_GROUP: c_int = 1117;
pub const AUDIT_DAC_CHECK: c_int = 1118;
pub const AUDIT_CHGRP_ID: c_int = 1119;
pub const AUDIT_TEST: c_int = 1120;
pub const AUDIT_TRUSTED_APP: c_int = 1121;
pub const AUDIT_USER_SELINUX_ERR: c_int = 1122;
pub const AUDIT_USER_CMD: c_int = 1123;
pub const AUDIT_USER_TTY: c_int = 1124;
pub const AUDIT_CHUSER_ID: c_int = 1125;
pub const AUDIT_GRP_AUTH: c_int = 1126;
pub const AUDIT_SYSTEM_BOOT: c_int = 1127;
pub const AUDIT_SYSTEM_SHUTDOWN: c_int = 1128;
pub const AUDIT_SYSTEM_RUNLEVEL: c_int = 1129;
pub const AUDIT_SERVICE_START: c_int = 1130;
pub const AUDIT_SERVICE_STOP: c_int = 1131;
pub const AUDIT_GRP_MGMT: c_int = 1132;
pub const AUDIT_GRP_CHAUTHTOK: c_int = 1133;
pub const AUDIT_MAC_CHECK: c_int = 1134;
pub const AUDIT_ACCT_LOCK: c_int = 1135;
pub const AUDIT_ACCT_UNLOCK: c_int = 1136;
pub const AUDIT_USER_DEVICE: c_int = 1137;
pub const AUDIT_SOFTWARE_UPDATE: c_int = 1138;

// The audit daemon's own messages (1200-1299).
pub const AUDIT_FIRST_DAEMON: c_int = 1200;
pub const AUDIT_LAST_DAEMON: c_int = 1299;
pub const AUDIT_DAEMON_RECONFIG: c_int = 1204;
pub const AUDIT_DAEMON_ROTATE: c_int = 1205;
pub const AUDIT_DAEMON_RESUME: c_int = 1206;
pub const AUDIT_DAEMON_ACCEPT: c_int = 1207;
pub const AUDIT_DAEMON_CLOSE: c_int = 1208;
pub const AUDIT_DAEMON_ERR: c_int = 1209;

// Ranges: kernel events, SELinux, AppArmor, kernel crypto, kernel anomalies, integrity.
pub const AUDIT_FIRST_EVENT: c_int = 1300;
pub const AUDIT_LAST_EVENT: c_int = 1399;

pub const AUDIT_FIRST_SELINUX: c_int = 1400;
pub const AUDIT_LAST_SELINUX: c_int = 1499;

pub const AUDIT_FIRST_APPARMOR: c_int = 1500;
pub const AUDIT_LAST_APPARMOR: c_int = 1599;

// AppArmor events (1500-1599).
#[cfg(not(kernel_defines = "AUDIT_AA"))]
pub const AUDIT_AA: c_int = 1500;
pub const AUDIT_APPARMOR_AUDIT: c_int = 1501;
pub const AUDIT_APPARMOR_ALLOWED: c_int = 1502;
pub const AUDIT_APPARMOR_DENIED: c_int = 1503;
pub const AUDIT_APPARMOR_HINT: c_int = 1504;
pub const AUDIT_APPARMOR_STATUS: c_int = 1505;
pub const AUDIT_APPARMOR_ERROR: c_int = 1506;
pub const AUDIT_APPARMOR_KILL: c_int = 1507;

pub const AUDIT_FIRST_KERN_CRYPTO_MSG: c_int = 1600;
pub const AUDIT_LAST_KERN_CRYPTO_MSG: c_int = 1699;

pub const AUDIT_FIRST_KERN_ANOM_MSG: c_int = 1700;
pub const AUDIT_LAST_KERN_ANOM_MSG: c_int = 1799;

pub const AUDIT_INTEGRITY_FIRST_MSG: c_int = 1800;
pub const AUDIT_INTEGRITY_LAST_MSG: c_int = 1899;

// Integrity events (1800-1899).
#[cfg(not(kernel_defines = "AUDIT_INTEGRITY_DATA"))]
pub const AUDIT_INTEGRITY_DATA: c_int = 1800;
pub const AUDIT_INTEGRITY_METADATA: c_int = 1801;
pub const AUDIT_INTEGRITY_STATUS: c_int = 1802;
pub const AUDIT_INTEGRITY_HASH: c_int = 1803;
pub const AUDIT_INTEGRITY_PCR: c_int = 1804;
pub const AUDIT_INTEGRITY_RULE: c_int = 1805;
#[cfg(not(kernel_defines = "AUDIT_INTEGRITY_EVM_XATTR"))]
pub const AUDIT_INTEGRITY_EVM_XATTR: c_int = 1806;
#[cfg(not(kernel_defines = "AUDIT_INTEGRITY_POLICY_RULE"))]
pub const AUDIT_INTEGRITY_POLICY_RULE: c_int = 1807;

// User space anomaly records (2100-2199).
pub const AUDIT_FIRST_ANOM_MSG: c_int = 2100;
pub const AUDIT_LAST_ANOM_MSG: c_int = 2199;
pub const AUDIT_ANOM_LOGIN_FAILURES: c_int = 2100;
pub const AUDIT_ANOM_LOGIN_TIME: c_int = 2101;
pub const AUDIT_ANOM_LOGIN_SESSIONS: c_int = 2102;
pub const AUDIT_ANOM_LOGIN_ACCT: c_int = 2103;
pub const AUDIT_ANOM_LOGIN_LOCATION: c_int = 2104;
pub const AUDIT_ANOM_MAX_DAC: c_int = 2105;
pub const AUDIT_ANOM_MAX_MAC: c_int = 2106;
pub const AUDIT_ANOM_AMTU_FAIL: c_int = 2107;
pub const AUDIT_ANOM_RBAC_FAIL: c_int = 2108;
pub const AUDIT_ANOM_RBAC_INTEGRITY_FAIL: c_int = 2109;
pub const AUDIT_ANOM_CRYPTO_FAIL: c_int = 2110;
pub const AUDIT_ANOM_ACCESS_FS: c_int = 2111;
pub const AUDIT_ANOM_EXEC: c_int = 2112;
pub const AUDIT_ANOM_MK_EXEC: c_int = 2113;
pub const AUDIT_ANOM_ADD_ACCT: c_int = 2114;
pub const AUDIT_ANOM_DEL_ACCT: c_int = 2115;
pub const AUDIT_ANOM_MOD_ACCT: c_int = 2116;
pub const AUDIT_ANOM_ROOT_TRANS: c_int = 2117;
pub const AUDIT_ANOM_LOGIN_SERVICE: c_int = 2118;
pub const AUDIT_ANOM_LOGIN_ROOT: c_int = 2119;
pub const AUDIT_ANOM_ORIGIN_FAILURES: c_int = 2120;
pub const AUDIT_ANOM_SESSION: c_int = 2121;

// User space responses to anomalies (2200-2299).
pub const AUDIT_FIRST_ANOM_RESP: c_int = 2200;
pub const AUDIT_LAST_ANOM_RESP: c_int = 2299;
pub const AUDIT_RESP_ANOMALY: c_int = 2200;
pub const AUDIT_RESP_ALERT: c_int = 2201;
pub const AUDIT_RESP_KILL_PROC: c_int = 2202;
pub const AUDIT_RESP_TERM_ACCESS: c_int = 2203;
pub const AUDIT_RESP_ACCT_REMOTE: c_int = 2204;
pub const AUDIT_RESP_ACCT_LOCK_TIMED: c_int = 2205;
pub const AUDIT_RESP_ACCT_UNLOCK_TIMED: c_int = 2206;
pub const AUDIT_RESP_ACCT_LOCK: c_int = 2207;
pub const AUDIT_RESP_TERM_LOCK: c_int = 2208;
pub const AUDIT_RESP_SEBOOL: c_int = 2209;
pub const AUDIT_RESP_EXEC: c_int = 2210;
pub const AUDIT_RESP_SINGLE: c_int = 2211;
pub const AUDIT_RESP_HALT: c_int = 2212;
pub const AUDIT_RESP_ORIGIN_BLOCK: c_int = 2213;
pub const AUDIT_RESP_ORIGIN_BLOCK_TIMED: c_int = 2214;
pub const AUDIT_RESP_ORIGIN_UNBLOCK_TIMED: c_int = 2215;

// User space labeled security (LSPP) events (2300-2399).
pub const AUDIT_FIRST_USER_LSPP_MSG: c_int = 2300;
pub const AUDIT_LAST_USER_LSPP_MSG: c_int = 2399;
pub const AUDIT_USER_ROLE_CHANGE: c_int = 2300;
pub const AUDIT_ROLE_ASSIGN: c_int = 2301;
pub const AUDIT_ROLE_REMOVE: c_int = 2302;
pub const AUDIT_LABEL_OVERRIDE: c_int = 2303;
pub const AUDIT_LABEL_LEVEL_CHANGE: c_int = 2304;
pub const AUDIT_USER_LABELED_EXPORT: c_int = 2305;
pub const AUDIT_USER_UNLABELED_EXPORT: c_int = 2306;
pub const AUDIT_DEV_ALLOC: c_int = 2307;
pub const AUDIT_DEV_DEALLOC: c_int = 2308;
pub const AUDIT_FS_RELABEL: c_int = 2309;
pub const AUDIT_USER_MAC_POLICY_LOAD: c_int = 2310;
pub const AUDIT_ROLE_MODIFY: c_int = 2311;
pub const AUDIT_USER_MAC_CONFIG_CHANGE: c_int = 2312;
pub const AUDIT_USER_MAC_STATUS: c_int = 2313;

// User space crypto events (2400-2499).
pub const AUDIT_FIRST_CRYPTO_MSG: c_int = 2400;
pub const AUDIT_CRYPTO_TEST_USER: c_int = 2400;
pub const AUDIT_CRYPTO_PARAM_CHANGE_USER: c_int = 2401;
pub const AUDIT_CRYPTO_LOGIN: c_int = 2402;
pub const AUDIT_CRYPTO_LOGOUT: c_int = 2403;
pub const AUDIT_CRYPTO_KEY_USER: c_int = 2404;
pub const AUDIT_CRYPTO_FAILURE_USER: c_int = 2405;
pub const AUDIT_CRYPTO_REPLAY_USER: c_int = 2406;
pub const AUDIT_CRYPTO_SESSION: c_int = 2407;
pub const AUDIT_CRYPTO_IKE_SA: c_int = 2408;
pub const AUDIT_CRYPTO_IPSEC_SA: c_int = 2409;

pub const AUDIT_LAST_CRYPTO_MSG: c_int = 2499;

// Virtual machine and container events (2500-2599).
pub const AUDIT_FIRST_VIRT_MSG: c_int = 2500;
pub const AUDIT_VIRT_CONTROL: c_int = 2500;
pub const AUDIT_VIRT_RESOURCE: c_int = 2501;
pub const AUDIT_VIRT_MACHINE_ID: c_int = 2502;
pub const AUDIT_VIRT_INTEGRITY_CHECK: c_int = 2503;
pub const AUDIT_VIRT_CREATE: c_int = 2504;
pub const AUDIT_VIRT_DESTROY: c_int = 2505;
pub const AUDIT_VIRT_MIGRATE_IN: c_int = 2506;
pub const AUDIT_VIRT_MIGRATE_OUT: c_int = 2507;

pub const AUDIT_LAST_VIRT_MSG: c_int = 2599;

// The whole second user space range (2100-2999).
#[cfg(not(kernel_defines = "AUDIT_FIRST_USER_MSG2"))]
pub const AUDIT_FIRST_USER_MSG2: c_int = 2100;
pub const AUDIT_LAST_USER_MSG2: c_int = 2999;

// Kernel message types newer than some kernel headers.
#[cfg(not(kernel_defines = "AUDIT_SET_FEATURE"))]
pub const AUDIT_SET_FEATURE: c_int = 1018;

#[cfg(not(kernel_defines = "AUDIT_GET_FEATURE"))]
pub const AUDIT_GET_FEATURE: c_int = 1019;

#[cfg(not(kernel_defines = "AUDIT_MMAP"))]
pub const AUDIT_MMAP: c_int = 1323;

#[cfg(not(kernel_defines = "AUDIT_NETFILTER_PKT"))]
pub const AUDIT_NETFILTER_PKT: c_int = 1324;
#[cfg(not(kernel_defines = "AUDIT_NETFILTER_CFG"))]
pub const AUDIT_NETFILTER_CFG: c_int = 1325;

#[cfg(not(kernel_defines = "AUDIT_SECCOMP"))]
pub const AUDIT_SECCOMP: c_int = 1326;

#[cfg(not(kernel_defines = "AUDIT_PROCTITLE"))]
pub const AUDIT_PROCTITLE: c_int = 1327;

pub const AUDIT_FEATURE_CHANGE: c_int = 1328;

#[cfg(not(kernel_defines = "AUDIT_REPLACE"))]
pub const AUDIT_REPLACE: c_int = 1329;

#[cfg(not(kernel_defines = "AUDIT_KERN_MODULE"))]
pub const AUDIT_KERN_MODULE: c_int = 1330;

#[cfg(not(kernel_defines = "AUDIT_FANOTIFY"))]
pub const AUDIT_FANOTIFY: c_int = 1331;

#[cfg(not(kernel_defines = "AUDIT_TIME_INJOFFSET"))]
pub const AUDIT_TIME_INJOFFSET: c_int = 1332;

#[cfg(not(kernel_defines = "AUDIT_TIME_ADJNTPVAL"))]
pub const AUDIT_TIME_ADJNTPVAL: c_int = 1333;

#[cfg(not(kernel_defines = "AUDIT_BPF"))]
pub const AUDIT_BPF: c_int = 1334;

#[cfg(not(kernel_defines = "AUDIT_EVENT_LISTENER"))]
pub const AUDIT_EVENT_LISTENER: c_int = 1335;

#[cfg(not(kernel_defines = "AUDIT_URINGOP"))]
pub const AUDIT_URINGOP: c_int = 1336;

#[cfg(not(kernel_defines = "AUDIT_OPENAT2"))]
pub const AUDIT_OPENAT2: c_int = 1337;

#[cfg(not(kernel_defines = "AUDIT_MAC_CALIPSO_ADD"))]
pub const AUDIT_MAC_CALIPSO_ADD: c_int = 1418;

#[cfg(not(kernel_defines = "AUDIT_MAC_CALIPSO_DEL"))]
pub const AUDIT_MAC_CALIPSO_DEL: c_int = 1419;

#[cfg(not(kernel_defines = "AUDIT_ANOM_LINK"))]
pub const AUDIT_ANOM_LINK: c_int = 1702;

#[cfg(not(kernel_defines = "AUDIT_ANOM_CREAT"))]
pub const AUDIT_ANOM_CREAT: c_int = 1703;

// Separates the keys of a rule in its key field.
pub const AUDIT_KEY_SEPARATOR: u8 = 0x01;

// Rule filter lists.
#[cfg(not(kernel_defines = "AUDIT_FILTER_FS"))]
pub const AUDIT_FILTER_FS: u32 = 0x06;
/// Old kernels' AUDIT_FILTER_TYPE.
#[cfg(not(kernel_defines = "AUDIT_FILTER_EXCLUDE"))]
pub const AUDIT_FILTER_EXCLUDE: u32 = 0x05;
pub const AUDIT_FILTER_MASK: u32 = 0x07;
pub const AUDIT_FILTER_UNSET: u32 = 0x80;

// audit_status mask bit.
#[cfg(not(kernel_defines = "AUDIT_STATUS_LOST"))]
pub const AUDIT_STATUS_LOST: u32 = 0x0040;

// Bits of audit_status.feature_bitmap: what the kernel supports.
#[cfg(not(kernel_defines = "AUDIT_FEATURE_BITMAP_BACKLOG_LIMIT"))]
pub const AUDIT_FEATURE_BITMAP_BACKLOG_LIMIT: u32 = 0x00000001;
#[cfg(not(kernel_defines = "AUDIT_FEATURE_BITMAP_BACKLOG_WAIT_TIME"))]
pub const AUDIT_FEATURE_BITMAP_BACKLOG_WAIT_TIME: u32 = 0x00000002;
#[cfg(not(kernel_defines = "AUDIT_FEATURE_BITMAP_EXECUTABLE_PATH"))]
pub const AUDIT_FEATURE_BITMAP_EXECUTABLE_PATH: u32 = 0x00000004;
#[cfg(not(kernel_defines = "AUDIT_FEATURE_BITMAP_EXCLUDE_EXTEND"))]
pub const AUDIT_FEATURE_BITMAP_EXCLUDE_EXTEND: u32 = 0x00000008;
#[cfg(not(kernel_defines = "AUDIT_FEATURE_BITMAP_SESSIONID_FILTER"))]
pub const AUDIT_FEATURE_BITMAP_SESSIONID_FILTER: u32 = 0x00000010;
#[cfg(not(kernel_defines = "AUDIT_FEATURE_BITMAP_LOST_RESET"))]
pub const AUDIT_FEATURE_BITMAP_LOST_RESET: u32 = 0x00000020;
#[cfg(not(kernel_defines = "AUDIT_FEATURE_BITMAP_FILTER_FS"))]
pub const AUDIT_FEATURE_BITMAP_FILTER_FS: u32 = 0x00000040;

// Rule fields.
#[cfg(not(kernel_defines = "AUDIT_OBJ_UID"))]
pub const AUDIT_OBJ_UID: c_int = 109;
#[cfg(not(kernel_defines = "AUDIT_OBJ_GID"))]
pub const AUDIT_OBJ_GID: c_int = 110;
#[cfg(not(kernel_defines = "AUDIT_FIELD_COMPARE"))]
pub const AUDIT_FIELD_COMPARE: c_int = 111;
#[cfg(not(kernel_defines = "AUDIT_EXE"))]
pub const AUDIT_EXE: c_int = 112;
#[cfg(not(kernel_defines = "AUDIT_SADDR_FAM"))]
pub const AUDIT_SADDR_FAM: c_int = 113;

#[cfg(not(kernel_defines = "AUDIT_SESSIONID"))]
pub const AUDIT_SESSIONID: c_int = 25;

#[cfg(not(kernel_defines = "AUDIT_FSTYPE"))]
pub const AUDIT_FSTYPE: c_int = 26;

// Values of the AUDIT_FIELD_COMPARE field: which two ids a rule compares.
#[cfg(not(kernel_defines = "AUDIT_COMPARE_UID_TO_OBJ_UID"))]
pub const AUDIT_COMPARE_UID_TO_OBJ_UID: c_int = 1;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_GID_TO_OBJ_GID"))]
pub const AUDIT_COMPARE_GID_TO_OBJ_GID: c_int = 2;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_EUID_TO_OBJ_UID"))]
pub const AUDIT_COMPARE_EUID_TO_OBJ_UID: c_int = 3;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_EGID_TO_OBJ_GID"))]
pub const AUDIT_COMPARE_EGID_TO_OBJ_GID: c_int = 4;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_AUID_TO_OBJ_UID"))]
pub const AUDIT_COMPARE_AUID_TO_OBJ_UID: c_int = 5;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_SUID_TO_OBJ_UID"))]
pub const AUDIT_COMPARE_SUID_TO_OBJ_UID: c_int = 6;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_SGID_TO_OBJ_GID"))]
pub const AUDIT_COMPARE_SGID_TO_OBJ_GID: c_int = 7;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_FSUID_TO_OBJ_UID"))]
pub const AUDIT_COMPARE_FSUID_TO_OBJ_UID: c_int = 8;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_FSGID_TO_OBJ_GID"))]
pub const AUDIT_COMPARE_FSGID_TO_OBJ_GID: c_int = 9;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_UID_TO_AUID"))]
pub const AUDIT_COMPARE_UID_TO_AUID: c_int = 10;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_UID_TO_EUID"))]
pub const AUDIT_COMPARE_UID_TO_EUID: c_int = 11;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_UID_TO_FSUID"))]
pub const AUDIT_COMPARE_UID_TO_FSUID: c_int = 12;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_UID_TO_SUID"))]
pub const AUDIT_COMPARE_UID_TO_SUID: c_int = 13;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_AUID_TO_FSUID"))]
pub const AUDIT_COMPARE_AUID_TO_FSUID: c_int = 14;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_AUID_TO_SUID"))]
pub const AUDIT_COMPARE_AUID_TO_SUID: c_int = 15;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_AUID_TO_EUID"))]
pub const AUDIT_COMPARE_AUID_TO_EUID: c_int = 16;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_EUID_TO_SUID"))]
pub const AUDIT_COMPARE_EUID_TO_SUID: c_int = 17;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_EUID_TO_FSUID"))]
pub const AUDIT_COMPARE_EUID_TO_FSUID: c_int = 18;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_SUID_TO_FSUID"))]
pub const AUDIT_COMPARE_SUID_TO_FSUID: c_int = 19;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_GID_TO_EGID"))]
pub const AUDIT_COMPARE_GID_TO_EGID: c_int = 20;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_GID_TO_FSGID"))]
pub const AUDIT_COMPARE_GID_TO_FSGID: c_int = 21;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_GID_TO_SGID"))]
pub const AUDIT_COMPARE_GID_TO_SGID: c_int = 22;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_EGID_TO_FSGID"))]
pub const AUDIT_COMPARE_EGID_TO_FSGID: c_int = 23;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_EGID_TO_SGID"))]
pub const AUDIT_COMPARE_EGID_TO_SGID: c_int = 24;
#[cfg(not(kernel_defines = "AUDIT_COMPARE_SGID_TO_FSGID"))]
pub const AUDIT_COMPARE_SGID_TO_FSGID: c_int = 25;

// ELF machines and audit architectures missing from older headers.
#[cfg(not(kernel_defines = "EM_ARM"))]
pub const EM_ARM: c_int = 40;
#[cfg(not(kernel_defines = "EM_AARCH64"))]
pub const EM_AARCH64: c_int = 183;

#[cfg(not(kernel_defines = "AUDIT_ARCH_AARCH64"))]
pub const AUDIT_ARCH_AARCH64: u32 = 0xC000_00B7_u32;

#[cfg(not(kernel_defines = "AUDIT_ARCH_PPC64LE"))]
pub const AUDIT_ARCH_PPC64LE: u32 = 0xC000_0015_u32;

// Separates event data from enrichment fields in a record.
pub const AUDIT_INTERP_SEPARATOR: u8 = 0x1D;

/// The largest datagram libaudit builds or receives (PATH_MAX*2 + CONTEXT_SIZE*2 + 11 + 256 + 1).
pub const MAX_AUDIT_MESSAGE_LENGTH: usize = 8970;

// Values of audit_dispatcher_header.ver.
/// The event text starts with `msg='`.
pub const AUDISP_PROTOCOL_VER: u32 = 0;
/// The daemon already put node and type in the text, before `msg=`.
pub const AUDISP_PROTOCOL_VER2: u32 = 1;
