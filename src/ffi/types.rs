//! The enum typedefs of libaudit.h, as the integers C passes for them. Rust enums would make an
//! out-of-range value from a C caller undefined behaviour; these accept any value, as C does.
#![allow(non_camel_case_types)]

use std::ffi::c_uint;

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
