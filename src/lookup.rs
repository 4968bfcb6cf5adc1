//! Lookup tables: names to numbers and back. Returned strings point into static data.

use std::ffi::{CStr, c_char, c_int, c_uint};
use std::ptr;

use super::{c_bytes, set_errno};
use crate::compat::LINE;
use linux_audit::tables::{self, ARCH_UNKNOWN, Outcome};

fn c_name(name: Option<&'static CStr>) -> *const c_char {
    name.map_or(ptr::null(), CStr::as_ptr)
}

fn with_errno(outcome: Outcome) -> c_int {
    if let Some(e) = outcome.errno {
        set_errno(e);
    }
    outcome.value
}

/// A name-to-number export: -1 for NULL or an unknown name.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
unsafe fn number(name: *const c_char, lookup: impl FnOnce(&[u8]) -> Option<i32>) -> c_int {
    // SAFETY: per the contract.
    unsafe { c_bytes(name) }.and_then(lookup).unwrap_or(-1)
}

export! {
    /// # Safety
    /// `sc` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_syscall(sc: *const c_char, machine: c_int) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(sc, |n| tables::name_to_syscall(LINE, n, machine)) }
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_syscall_to_name(sc: c_int, machine: c_int) -> *const c_char {
        c_name(tables::syscall_to_name(LINE, sc, machine))
    }
}

export! {
    /// # Safety
    /// `field` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_field(field: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(field, |n| tables::name_to_field(LINE, n)) }
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_field_to_name(field: c_int) -> *const c_char {
        c_name(tables::field_to_name(LINE, field))
    }
}

export! {
    /// # Safety
    /// `flag` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_flag(flag: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(flag, |n| tables::name_to_flag(LINE, n)) }
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_flag_to_name(flag: c_int) -> *const c_char {
        c_name(tables::flag_to_name(LINE, flag))
    }
}

export! {
    /// # Safety
    /// `action` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_action(action: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(action, |n| tables::name_to_action(LINE, n)) }
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_action_to_name(action: c_int) -> *const c_char {
        c_name(tables::action_to_name(LINE, action))
    }
}

export! {
    /// The original crashes on NULL; ours returns -1.
    ///
    /// # Safety
    /// `msg_type` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_msg_type(msg_type: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { c_bytes(msg_type) }.map_or(-1, |n| with_errno(tables::msg_type_outcome(LINE, n)))
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_msg_type_to_name(msg_type: c_int) -> *const c_char {
        c_name(tables::msg_type_to_name(LINE, msg_type))
    }
}

export! {
    /// # Safety
    /// `machine` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_machine(machine: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(machine, |n| tables::name_to_machine(LINE, n)) }
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_machine_to_name(machine: c_int) -> *const c_char {
        c_name(tables::machine_to_name(LINE, machine))
    }
}

export! {
    /// 0 for an unknown machine.
    #[on_panic(0, pure)]
    pub fn audit_machine_to_elf(machine: c_int) -> c_uint {
        tables::machine_to_elf(LINE, machine).unwrap_or(0)
    }
}

export! {
    #[on_panic(-1, pure)]
    pub fn audit_elf_to_machine(elf: c_uint) -> c_int {
        tables::elf_to_machine(LINE, elf).unwrap_or(-1)
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_operator_to_symbol(op: c_int) -> *const c_char {
        c_name(tables::operator_to_symbol(LINE, op))
    }
}

export! {
    /// 0 for an unknown name (and, where the original crashes, for NULL).
    ///
    /// # Safety
    /// `error` is NULL or a NUL-terminated string.
    #[on_panic(0, pure)]
    pub unsafe fn audit_name_to_errno(error: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { c_bytes(error) }.and_then(|n| tables::name_to_errno(LINE, n)).unwrap_or(0)
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_errno_to_name(error: c_int) -> *const c_char {
        c_name(tables::errno_to_name(LINE, error))
    }
}

export! {
    /// # Safety
    /// `name` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_ftype(name: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(name, |n| tables::name_to_ftype(LINE, n)) }
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_ftype_to_name(ftype: c_int) -> *const c_char {
        c_name(tables::ftype_to_name(LINE, ftype))
    }
}

export! {
    /// # Safety
    /// `name` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_fstype(name: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(name, |n| tables::name_to_fstype(LINE, n)) }
    }
}

export! {
    #[on_panic(ptr::null(), pure)]
    pub fn audit_fstype_to_name(fstype: c_int) -> *const c_char {
        c_name(tables::fstype_to_name(LINE, fstype))
    }
}

export! {
    /// Exported from the 3.1.2 line on.
    ///
    /// # Safety
    /// `uringop` is NULL or a NUL-terminated string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_name_to_uringop(uringop: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { number(uringop, |n| tables::name_to_uringop(LINE, n)) }
    }
}

export! {
    /// Exported from the 3.1.2 line on.
    #[on_panic(ptr::null(), pure)]
    pub fn audit_uringop_to_name(uringop: c_int) -> *const c_char {
        c_name(tables::uringop_to_name(LINE, uringop))
    }
}

export! {
    /// MACH_* of this machine, or -1.
    #[on_panic(-1, pure)]
    pub fn audit_detect_machine() -> c_int {
        tables::detect_machine(LINE).unwrap_or(-1)
    }
}

export! {
    /// The machine, -4 (unknown; also for NULL, where the original crashes) or -6 (no such
    /// flavour of the machine).
    ///
    /// # Safety
    /// `arch` is NULL or a NUL-terminated string.
    #[on_panic(ARCH_UNKNOWN, pure)]
    pub unsafe fn audit_determine_machine(arch: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { c_bytes(arch) }.map_or(ARCH_UNKNOWN, |a| with_errno(tables::determine_machine_outcome(LINE, a)))
    }
}
