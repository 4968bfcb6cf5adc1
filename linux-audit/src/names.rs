//! The name/number tables of the C library (as `ausyscall`, `auditctl` and `ausearch` use
//! them), per release line: every lookup takes the [`Line`] whose tables to read.
//!
//! ```
//! use linux_audit::{Line, Machine, names};
//!
//! assert_eq!(names::syscall_number(Line::NEWEST, Machine::X86_64, "openat"), Some(257));
//! assert_eq!(names::syscall_name(Line::NEWEST, Machine::X86_64, 257), Some("openat"));
//! assert_eq!(names::machine("b64"), Some(Machine::X86_64).filter(|_| cfg!(target_arch = "x86_64")));
//! assert_eq!(names::field_number(Line::NEWEST, "auid"), Some(9));
//! assert_eq!(names::message_type_name(Line::NEWEST, 1100), Some("USER_AUTH"));
//! assert_eq!(names::errno_number(Line::NEWEST, "EPERM"), Some(1));
//! ```

use std::ffi::CStr;

use crate::Line;
use crate::tables::{self, Tables};

/// A machine whose syscalls the tables name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Machine {
    /// i386
    X86,
    /// x86_64
    X86_64,
    /// ppc64
    Ppc64,
    /// ppc
    Ppc,
    /// s390x
    S390x,
    /// s390
    S390,
    /// arm (32-bit)
    Arm,
    /// aarch64
    Aarch64,
    /// ppc64le
    Ppc64le,
    /// riscv32
    Riscv32,
    /// riscv64
    Riscv64,
}

const MACHINES: &[(Machine, i32)] = &[
    (Machine::X86, 0),
    (Machine::X86_64, 1),
    (Machine::Ppc64, 3),
    (Machine::Ppc, 4),
    (Machine::S390x, 5),
    (Machine::S390, 6),
    (Machine::Arm, 8),
    (Machine::Aarch64, 9),
    (Machine::Ppc64le, 10),
    (Machine::Riscv32, 12),
    (Machine::Riscv64, 13),
];

impl Machine {
    fn raw(self) -> i32 {
        MACHINES.iter().find(|m| m.0 == self).map_or(-1, |m| m.1)
    }

    fn from_raw(raw: i32) -> Option<Machine> {
        MACHINES.iter().find(|m| m.1 == raw).map(|m| m.0)
    }

    /// The machine this program runs on, if the tables know it.
    pub fn current() -> Option<Machine> {
        Tables::of(Line::NEWEST).detect_machine().and_then(Machine::from_raw)
    }

    /// Its name in the tables of `line` ("x86_64", "i386"...).
    pub fn name(self, line: Line) -> Option<&'static str> {
        text(Tables::of(line).machine_to_name(self.raw()))
    }

    /// Its AUDIT_ARCH_* value (the `arch=` of a rule).
    pub fn audit_arch(self, line: Line) -> Option<u32> {
        Tables::of(line).machine_to_elf(self.raw())
    }
}

fn text(name: Option<&'static CStr>) -> Option<&'static str> {
    name.and_then(|n| n.to_str().ok())
}

/// The machine an architecture name gives, as auditctl's `arch=` reads it: a machine name
/// ("x86_64", "aarch64"...) or "b32"/"b64" for this machine's.
pub fn machine(arch: &str) -> Option<Machine> {
    Tables::of(Line::NEWEST).determine_machine(arch.as_bytes()).and_then(Machine::from_raw)
}

/// A syscall's number on `machine`.
pub fn syscall_number(line: Line, machine: Machine, name: &str) -> Option<i32> {
    Tables::of(line).name_to_syscall(name.as_bytes(), machine.raw())
}

/// A syscall's name on `machine`.
pub fn syscall_name(line: Line, machine: Machine, number: i32) -> Option<&'static str> {
    text(Tables::of(line).syscall_to_name(number, machine.raw()))
}

/// A rule field's number (AUDIT_UID...).
pub fn field_number(line: Line, name: &str) -> Option<i32> {
    Tables::of(line).name_to_field(name.as_bytes()).filter(|&f| f >= 0)
}

/// A rule field's name.
pub fn field_name(line: Line, field: i32) -> Option<&'static str> {
    text(Tables::of(line).field_to_name(field))
}

/// A record type's number ("USER_LOGIN" is 1112).
pub fn message_type_number(line: Line, name: &str) -> Option<i32> {
    Tables::of(line).name_to_msg_type(name.as_bytes())
}

/// A record type's name.
pub fn message_type_name(line: Line, kind: i32) -> Option<&'static str> {
    text(Tables::of(line).msg_type_to_name(kind))
}

/// An errno's number by name ("EPERM").
pub fn errno_number(line: Line, name: &str) -> Option<i32> {
    Tables::of(line).name_to_errno(name.as_bytes())
}

/// An errno's name ("EPERM").
pub fn errno_name(line: Line, errno: i32) -> Option<&'static str> {
    text(Tables::of(line).errno_to_name(errno))
}

/// A file type's number (the `filetype=` of a rule: "file", "dir"...).
pub fn file_type_number(line: Line, name: &str) -> Option<i32> {
    Tables::of(line).name_to_ftype(name.as_bytes())
}

/// A file type's name.
pub fn file_type_name(line: Line, file_type: i32) -> Option<&'static str> {
    text(Tables::of(line).ftype_to_name(file_type))
}

/// An io_uring operation's number.
pub fn io_uring_op_number(line: Line, name: &str) -> Option<i32> {
    Tables::of(line).name_to_uringop(name.as_bytes())
}

/// An io_uring operation's name.
pub fn io_uring_op_name(line: Line, op: i32) -> Option<&'static str> {
    text(Tables::of(line).uringop_to_name(op))
}

// MACHINES mirrors the tables' MACH_* numbers.
const _: () = assert!(tables::MACH_86_64 == 1);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machines_round_trip() {
        for &(m, _) in MACHINES {
            let name = m.name(Line::NEWEST).unwrap();
            assert_eq!(machine(name), Some(m), "{name}");
        }
        assert_eq!(machine("bogus"), None);
        assert_eq!(Machine::X86_64.audit_arch(Line::NEWEST), Some(0xc000_003e));
    }

    #[test]
    fn lookups_are_options() {
        assert_eq!(syscall_number(Line::NEWEST, Machine::Aarch64, "nosuch"), None);
        assert_eq!(field_name(Line::NEWEST, 9), Some("auid"));
        assert_eq!(message_type_number(Line::NEWEST, "USER_LOGIN"), Some(1112));
        assert_eq!(errno_name(Line::NEWEST, 1), Some("EPERM"));
    }
}
