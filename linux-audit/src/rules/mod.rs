//! Building audit rules: the fixed part of `struct audit_rule_data` (syscall mask, up to 64
//! field/operator/value triples) plus its variable `buf` of string values, as auditctl and other
//! callers assemble them, and the requests that add and delete them.
//!
//! The core works on the fixed part in place; where a string value must be appended, it says so
//! and the C layer grows the caller's allocation (the caller owns it, and may free() it).
//! The process-wide state the original keeps in exported variables (`_audit_elf` and the
//! `_audit_*added` flags, which auditctl reads and writes) is reached through [`State`]: a
//! [`Globals`] value, or the C library's variables themselves.

mod fields;

use std::os::fd::RawFd;

use crate::Line;
use crate::bytes::{Bytes, Lossy};
use crate::control::{self, priority};
use crate::diag::{Diagnostics, Level};
use crate::netlink::{self, Failed, MAX_PAYLOAD, Sent};
use crate::num;
use crate::sys;
use crate::tables::{self, Tables};
use crate::wire::*;

pub use fields::{Added, Outcome, Split, compare, fieldpair};

/// The fixed part of a rule, before `buf`.
pub const RULE_SIZE: usize = std::mem::size_of::<audit_rule_data>();

/// The original's process-wide rule-building state, exported as C variables: the ELF machine
/// of the rule being built (0: this machine), and which kinds of field were added so far.
/// Only non-zero matters for the flags; the library itself only ever sets them to 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Globals {
    pub elf: u32,
    pub syscall_added: i32,
    pub perm_added: i32,
    pub arch_added: i32,
    pub exe_added: i32,
    pub filterfs_added: i32,
}

/// One of the flags of [`Globals`]: which kind of field a rule has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Syscall,
    Perm,
    Arch,
    Exe,
    FilterFs,
}

/// Where the rule-building state is kept and how it is reached: a [`Globals`] value (Rust
/// callers), or the C library's exported variables themselves, each read and written where the
/// original reads and writes it (so a rule's numeric fields touch none of them).
pub trait State {
    /// The ELF machine of the rule being built (0: this machine).
    fn elf(&self) -> u32;
    fn set_elf(&mut self, elf: u32);
    /// Whether `flag` is set (non-zero).
    fn added(&self, flag: Flag) -> bool;
    /// Sets `flag` (to 1, as the original does).
    fn mark(&mut self, flag: Flag);
}

impl Globals {
    fn flag(&mut self, flag: Flag) -> &mut i32 {
        match flag {
            Flag::Syscall => &mut self.syscall_added,
            Flag::Perm => &mut self.perm_added,
            Flag::Arch => &mut self.arch_added,
            Flag::Exe => &mut self.exe_added,
            Flag::FilterFs => &mut self.filterfs_added,
        }
    }
}

impl State for Globals {
    fn elf(&self) -> u32 {
        self.elf
    }

    fn set_elf(&mut self, elf: u32) {
        self.elf = elf;
    }

    fn added(&self, flag: Flag) -> bool {
        let mut copy = *self;
        *copy.flag(flag) != 0
    }

    fn mark(&mut self, flag: Flag) {
        *self.flag(flag) = 1;
    }
}

/// The slot the next field goes into, if there is room for one more (the original keeps the
/// last of the 64 slots free).
fn next_slot(rule: &audit_rule_data) -> Option<usize> {
    let n = rule.field_count as usize;
    (n < AUDIT_MAX_FIELDS - 1).then_some(n)
}

/// audit_rule_syscall_data: sets syscall `nr` in the mask (0), or -1 if it is beyond the mask.
/// From 3.1 on, a set bit also sets `syscall_added`.
pub fn syscall(rule: &mut audit_rule_data, nr: i32, globals: &mut dyn State, line: Line) -> i32 {
    let value = add_syscall(rule, nr);
    if value == 0 && line >= Line::V3_1_2 {
        globals.mark(Flag::Syscall);
    }
    value
}

/// Sets syscall `nr` in the mask; -1 if it is beyond the mask. Unlike the original, a negative
/// number is refused instead of setting a bit outside the mask.
pub fn add_syscall(rule: &mut audit_rule_data, nr: i32) -> i32 {
    let Ok(nr) = usize::try_from(nr) else {
        return -1;
    };
    match rule.mask.get_mut(nr / 32) {
        Some(word) => {
            *word |= 1 << (nr % 32);
            0
        }
        None => -1,
    }
}

fn add_all(rule: &mut audit_rule_data) -> i32 {
    rule.mask = [!0; AUDIT_BITMASK_SIZE];
    0
}

/// A syscall or io_uring operation given by number: the digits C's strtol reads, kept as an
/// int, and whether strtol overflowed (it then leaves errno ERANGE, and the int is -1 or 0).
fn number(name: &[u8]) -> Option<(i32, bool)> {
    num::starts_with_digit(name).then(|| {
        let parsed = num::strtol(name, num::Base::Detect);
        (parsed.value as i32, parsed.overflow)
    })
}

/// Sets the bit of a number found by name or read as digits, as the original does: -1 for a
/// negative one or none; strtol's ERANGE is left in errno whatever the result.
fn add_found(
    rule: &mut audit_rule_data,
    name: &[u8],
    found: Option<i32>,
    globals: &mut dyn State,
    line: Line,
) -> tables::Outcome {
    let (nr, errno) = match found {
        Some(nr) => (Some(nr), None),
        None => match number(name) {
            Some((nr, overflow)) => (Some(nr), overflow.then_some(libc::ERANGE)),
            None => (None, None),
        },
    };
    let value = match nr {
        Some(nr) if nr >= 0 => syscall(rule, nr, globals, line),
        _ => -1,
    };
    tables::Outcome { value, errno }
}

/// audit_rule_syscallbyname_data: "all", a syscall name of the rule's machine (`globals.elf`,
/// or this machine's when 0), or a number. -2 when the machine is unknown, -1 for an unknown
/// name. A number or name (not "all") sets `syscall_added` from 3.1 on, as [`syscall`] does.
pub fn add_syscall_by_name(
    tables: &Tables,
    rule: &mut audit_rule_data,
    name: &[u8],
    globals: &mut dyn State,
    line: Line,
) -> tables::Outcome {
    if name == b"all" {
        return tables::Outcome { value: add_all(rule), errno: None };
    }
    let elf = globals.elf();
    let machine = if elf == 0 { tables.detect_machine() } else { tables.elf_to_machine(elf) };
    let Some(machine) = machine else {
        return tables::Outcome { value: -2, errno: None };
    };
    add_found(rule, name, tables.name_to_syscall(name, machine), globals, line)
}

/// The syscalls of a permission class that a perm field adds, from 4.0 on, to a rule with an
/// arch (upstream's permtab of each line), separated by commas.
fn perm_syscalls(perm: u32, line: Line) -> &'static [u8] {
    let newer = line >= Line::V4_1_2;
    match perm {
        AUDIT_PERM_EXEC if line >= Line::V4_2_1 => b"execve,execveat",
        AUDIT_PERM_EXEC => b"execve",
        AUDIT_PERM_WRITE if newer => {
            b"rename,mkdir,rmdir,creat,link,unlink,symlink,mknod,mkdirat,mknodat,unlinkat,renameat,linkat,\
symlinkat,renameat2,acct,swapon,quotactl,quotactl_fd,truncate,ftruncate,bind,fallocate,open,openat,openat2"
        }
        AUDIT_PERM_WRITE => {
            b"rename,mkdir,rmdir,creat,link,unlink,symlink,mknod,mkdirat,mknodat,unlinkat,renameat,linkat,\
symlinkat,renameat2,acct,swapon,quotactl,truncate,ftruncate,bind,fallocate,open,openat,openat2"
        }
        AUDIT_PERM_READ if line >= Line::V4_2_1 => {
            b"readlink,quotactl,quotactl_fd,listxattr,listxattrat,llistxattr,flistxattr,getxattr,getxattrat,\
lgetxattr,fgetxattr,readlinkat,open,openat,openat2,file_getattr,stat,lstat,fstat,newfstatat,statx"
        }
        AUDIT_PERM_READ if newer => {
            b"readlink,quotactl,listxattr,listxattrat,llistxattr,flistxattr,getxattr,getxattrat,lgetxattr,\
fgetxattr,readlinkat,open,openat,openat2,file_getattr"
        }
        AUDIT_PERM_READ => {
            b"readlink,quotactl,listxattr,llistxattr,flistxattr,getxattr,lgetxattr,fgetxattr,readlinkat,open,\
openat,openat2"
        }
        AUDIT_PERM_ATTR if newer => {
            b"chmod,fchmod,chown,lchown,fchown,setxattr,setxattrat,lsetxattr,fsetxattr,removexattr,removexattrat,\
lremovexattr,fremovexattr,fchownat,fchmodat,fchmodat2,file_setattr,link,linkat"
        }
        _ => {
            b"chmod,fchmod,chown,lchown,fchown,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr,\
fchownat,fchmodat,link,linkat"
        }
    }
}

/// What a perm field adds besides its value, from 4.0 on: on a rule with an arch, the syscalls
/// of the permission's class (`perm`, one AUDIT_PERM_* bit), as a comma-separated `-S` list
/// adds them; without an arch, only a note that such a rule is slower. From 4.1 on, names the
/// arch does not have are left out first (all of them unknown: the list as it is, with a
/// warning). 0, or the first failing name's result (-3 after the message "Syscall name unknown:
/// NAME" for an unknown one). Bits set before a failure stay.
pub(crate) fn add_perm_syscalls(
    tables: &Tables,
    rule: &mut audit_rule_data,
    perm: u32,
    globals: &mut dyn State,
    line: Line,
    diag: &dyn Diagnostics,
) -> i32 {
    if globals.elf() == 0 {
        diag.report(Level::Info, format_args!("perm used without an arch is slower"));
        return 0;
    }
    let all = perm_syscalls(perm, line);
    let machine = tables.elf_to_machine(globals.elf());
    let known = |name: &&[u8]| machine.is_some_and(|m| tables.name_to_syscall(name, m).is_some());
    let mut filtered = line >= Line::V4_1_2;
    if filtered && !all.split(|&b| b == b',').any(|name| known(&name)) {
        diag.report(Level::Warning, format_args!("Filtering syscalls failed; using original syscalls."));
        filtered = false;
    }
    let names = all.split(|&b| b == b',').filter(|name| !filtered || known(name));
    let listed = names.clone().nth(1).is_some();
    for name in names {
        match add_syscall_by_name(tables, rule, name, globals, line).value {
            0 => {}
            -1 => {
                diag.report(Level::Error, format_args!("Syscall name unknown: {}", Lossy(name)));
                // A list reports its failures as "already reported"; a single name as itself.
                return if listed { -3 } else { -1 };
            }
            failed => return failed,
        }
    }
    globals.mark(Flag::Syscall);
    0
}

/// The operations "all" covers on a line: the named ones below this bound. Upstream loops up to
/// IORING_OP_LAST, and lib/libaudit.c falls back to 37 when that is no macro; in
/// <linux/io_uring.h> it is an enumerator, never a macro, so every line's library was built with
/// 37 whatever its kernel headers (measured on each line's libaudit.so.1: "all" sets operations
/// 9 10 13 16-19 28 34-36, 11 of the line's 22 to 30 names). 0 before 3.1: no io_uring rules.
fn uring_all_bound(line: Line) -> i32 {
    match line {
        Line::V3_0_9 => 0,
        Line::V3_1_2 | Line::V4_0_2 | Line::V4_1_2 | Line::V4_2_1 => 37,
    }
}

/// audit_rule_io_uringbyname_data, as upstream (3.1 and later, built with io_uring support)
/// has it: "all" sets the bit of every operation with a name below [`uring_all_bound`] (not the
/// whole mask, nor the later operations), else an operation's name or a number sets its bit;
/// -1 otherwise. Setting a bit also sets `syscall_added`, as upstream's mask setter does since
/// 3.1. Neither the rule's list nor its fields are touched: the caller sends the rule to
/// AUDIT_FILTER_URING_EXIT.
pub fn add_uringop_by_name(
    tables: &Tables,
    rule: &mut audit_rule_data,
    name: &[u8],
    globals: &mut dyn State,
) -> tables::Outcome {
    if name == b"all" {
        for op in (0..uring_all_bound(tables.line())).filter(|&op| tables.uringop_to_name(op).is_some()) {
            // Below 37, every bit fits the mask.
            add_syscall(rule, op);
            globals.mark(Flag::Syscall);
        }
        return tables::Outcome { value: 0, errno: None };
    }
    let outcome = add_found(rule, name, tables.name_to_uringop(name), globals, Line::NEWEST);
    if outcome.value == 0 {
        globals.mark(Flag::Syscall);
    }
    outcome
}

/// audit_update_watch_perms: sets every permission field to `perms`, or adds one. 0, or -1
/// (an empty rule) or -2 (no room), each with its message (4.0 fixed the first one's spelling).
pub fn update_watch_perms(rule: &mut audit_rule_data, perms: i32, line: Line, diag: &dyn Diagnostics) -> i32 {
    if rule.field_count < 1 {
        let spelled = if line >= Line::V4_0_2 { "preceded" } else { "preceeded" };
        diag.report(Level::Error, format_args!("Permissions should be {spelled} by other fields"));
        return -1;
    }
    let count = (rule.field_count as usize).min(AUDIT_MAX_FIELDS);
    let mut found = false;
    for i in 0..count {
        if rule.fields[i] == AUDIT_PERM {
            rule.values[i] = perms as u32;
            found = true;
        }
    }
    if found {
        return 0;
    }
    let Some(i) = next_slot(rule) else {
        diag.report(Level::Error, format_args!("Too many fields when adding permissions"));
        return -2;
    };
    rule.fields[i] = AUDIT_PERM;
    rule.fieldflags[i] = AUDIT_EQUAL;
    rule.values[i] = perms as u32;
    rule.field_count += 1;
    0
}

/// Completes a string field that [`fieldpair`] left pending: `tail` is the part of `buf` the
/// caller just grew, right after the old `buflen`.
pub fn append_text(rule: &mut audit_rule_data, tail: &mut [u8], text: &[u8]) {
    tail.copy_from_slice(text);
    rule.buflen = rule.buflen.wrapping_add(text.len() as u32);
    rule.field_count += 1;
}

/// What audit_add_watch_dir may be asked to watch.
pub(crate) fn is_watch_type(kind: i32) -> bool {
    kind == AUDIT_WATCH as i32 || kind == AUDIT_DIR as i32
}

/// audit_add_watch_dir's checks before it reallocates: the rule must be empty (or absent) and
/// the type a watch or a directory. Logs why not (before 4.0 the messages end in a newline of
/// their own, printed as an empty line).
pub fn watch_allowed(rule: Option<&audit_rule_data>, kind: i32, line: Line, diag: &dyn Diagnostics) -> bool {
    let end = if line >= Line::V4_0_2 { "" } else { "\n" };
    if rule.is_some_and(|r| r.field_count != 0) {
        diag.report(Level::Error, format_args!("Rule is not empty{end}"));
        return false;
    }
    if !is_watch_type(kind) {
        diag.report(Level::Error, format_args!("Invalid type used{end}"));
        return false;
    }
    true
}

/// Fills a zeroed rule as a watch on `path` (its `buf` is `path`): exit list, always, every
/// syscall, all four permissions.
pub fn fill_watch(rule: &mut audit_rule_data, buf: &mut [u8], kind: i32, path: &[u8], globals: &mut dyn State) {
    rule.flags = AUDIT_FILTER_EXIT as u32;
    rule.action = AUDIT_ALWAYS;
    add_all(rule);
    rule.field_count = 2;
    rule.fields[0] = kind as u32;
    rule.values[0] = path.len() as u32;
    rule.fieldflags[0] = AUDIT_EQUAL;
    rule.buflen = path.len() as u32;
    buf.copy_from_slice(path);
    rule.fields[1] = AUDIT_PERM;
    rule.fieldflags[1] = AUDIT_EQUAL;
    rule.values[1] = AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR;
    globals.mark(Flag::Perm);
}

/// The size of the request that carries a rule: the fixed part and `buflen` bytes of strings.
pub fn request_size(rule: &audit_rule_data) -> usize {
    RULE_SIZE + rule.buflen as usize
}

/// Whether a rule of this size can be sent at all (larger ones are refused with EINVAL before
/// their bytes are read).
pub fn fits_request(size: usize) -> bool {
    size <= MAX_PAYLOAD
}

/// AUDIT_ADD_RULE with the rule's bytes (`bytes` is None when it is too large to send).
pub fn send_add(fd: RawFd, bytes: Option<&[u8]>, size: usize, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    let result = netlink::request(fd, AUDIT_ADD_RULE, bytes, size, diag);
    if let Err(f) = result {
        if f.errno == libc::EEXIST {
            diag.report(priority(f.errno), format_args!("Error sending add rule data request (Rule exists)"));
        } else {
            let why = sys::strerror(f.errno);
            diag.report(priority(f.errno), format_args!("Error sending add rule data request ({why})"));
        }
    }
    result
}

/// AUDIT_DEL_RULE with the rule's bytes (`bytes` is None when it is too large to send).
pub fn send_delete(fd: RawFd, bytes: Option<&[u8]>, size: usize, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    let result = netlink::request(fd, AUDIT_DEL_RULE, bytes, size, diag);
    match result {
        Err(f) if f.errno == libc::ENOENT => {
            diag.report(Level::Warning, format_args!("Error sending delete rule request (No rule matches)"));
        }
        Err(f) => diag.report(
            priority(f.errno),
            format_args!("Error sending delete rule data request ({})", sys::strerror(f.errno)),
        ),
        Ok(_) => {}
    }
    result
}

/// audit_trim_subtrees: AUDIT_TRIM, no payload.
pub fn trim_subtrees(fd: RawFd, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    control::send_logged(fd, AUDIT_TRIM, None, "sending trim subtrees command", diag)
}

/// audit_make_equivalent: AUDIT_MAKE_EQUIV with both lengths, then both paths unterminated.
pub fn make_equivalent(fd: RawFd, mount_point: &[u8], subtree: &[u8], diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    let mut payload = Bytes::new();
    for piece in
        [&(mount_point.len() as u32).to_ne_bytes()[..], &(subtree.len() as u32).to_ne_bytes()[..], mount_point, subtree]
    {
        if payload.push(piece).is_err() {
            return Err(Failed { errno: libc::ENOMEM, seq: None });
        }
    }
    control::send_logged(fd, AUDIT_MAKE_EQUIV, Some(payload.as_slice()), "sending make_equivalent command", diag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Silent;

    #[test]
    fn syscall_bits() {
        let mut r = audit_rule_data::EMPTY;
        assert_eq!(add_syscall(&mut r, 0), 0);
        assert_eq!(add_syscall(&mut r, 33), 0);
        assert_eq!(add_syscall(&mut r, 2047), 0);
        assert_eq!(add_syscall(&mut r, 2048), -1);
        assert_eq!(add_syscall(&mut r, -1), -1);
        assert_eq!((r.mask[0], r.mask[1], r.mask[63]), (1, 2, 1 << 31));
    }

    #[test]
    fn syscall_numbers_by_name_leave_strtol_errno() {
        let mut r = audit_rule_data::EMPTY;
        let x86_64 = 0xc000_003e;
        let mut g = Globals { elf: x86_64, ..Globals::default() };
        let mut by_name = |r: &mut audit_rule_data, name: &[u8]| {
            add_syscall_by_name(Tables::of(Line::V3_0_9), r, name, &mut g, Line::V3_0_9)
        };
        assert_eq!(by_name(&mut r, b"openat"), tables::Outcome { value: 0, errno: None });
        assert_eq!(r.mask[8], 1 << 1); // openat is 257 on x86_64
        assert_eq!(by_name(&mut r, b"0x10"), tables::Outcome { value: 0, errno: None });
        assert_eq!(r.mask[0], 1 << 16);
        // strtol saturates at LONG_MAX, whose low 32 bits are -1; ERANGE stays.
        assert_eq!(by_name(&mut r, b"99999999999999999999"), tables::Outcome { value: -1, errno: Some(libc::ERANGE) });
        assert_eq!(by_name(&mut r, b"9223372036854775807"), tables::Outcome { value: -1, errno: None });
        assert_eq!(by_name(&mut r, b"-1"), tables::Outcome { value: -1, errno: None });
        assert_eq!(by_name(&mut r, b"bogus"), tables::Outcome { value: -1, errno: None });
        let mut unknown = Globals { elf: 0x1234, ..Globals::default() };
        let outcome = add_syscall_by_name(Tables::of(Line::V3_0_9), &mut r, b"open", &mut unknown, Line::V3_0_9);
        assert_eq!(outcome, tables::Outcome { value: -2, errno: None });
        assert_eq!(g.syscall_added, 0);
    }

    /// 3.1 on: a syscall set by number or name (not "all") sets `syscall_added`.
    #[test]
    fn syscalls_mark_the_rule_from_3_1() {
        for (line, marked) in [(Line::V3_0_9, 0), (Line::V3_1_2, 1), (Line::NEWEST, 1)] {
            let (mut r, mut g) = (audit_rule_data::EMPTY, Globals::default());
            assert_eq!(syscall(&mut r, 2048, &mut g, line), -1);
            assert_eq!(add_syscall_by_name(Tables::of(line), &mut r, b"all", &mut g, line).value, 0);
            assert_eq!(g.syscall_added, 0);
            assert_eq!(syscall(&mut r, 5, &mut g, line), 0);
            assert_eq!(g.syscall_added, marked, "{line}");
            let mut g = Globals::default();
            assert_eq!(add_syscall_by_name(Tables::of(line), &mut r, b"7", &mut g, line).value, 0);
            assert_eq!(g.syscall_added, marked, "{line}");
        }
    }

    /// 4.0 on: a perm letter adds its class's syscalls to a rule with an arch.
    #[test]
    fn perm_syscalls_need_an_arch() {
        let notes = std::cell::RefCell::new(Vec::new());
        let diag = |level: Level, m: std::fmt::Arguments<'_>| notes.borrow_mut().push((level, m.to_string()));
        let (mut r, mut g) = (audit_rule_data::EMPTY, Globals::default());
        assert_eq!(
            add_perm_syscalls(Tables::of(Line::V4_0_2), &mut r, AUDIT_PERM_EXEC, &mut g, Line::V4_0_2, &diag),
            0
        );
        assert_eq!((r.mask, g), ([0; AUDIT_BITMASK_SIZE], Globals::default()));
        assert_eq!(notes.borrow().as_slice(), [(Level::Info, "perm used without an arch is slower".to_string())]);
        let x86_64 = 0xc000_003e;
        let mut g = Globals { elf: x86_64, ..Globals::default() };
        assert_eq!(
            add_perm_syscalls(Tables::of(Line::V4_0_2), &mut r, AUDIT_PERM_EXEC, &mut g, Line::V4_0_2, &diag),
            0
        );
        assert_eq!((r.mask[1], g.syscall_added), (1 << (59 - 32), 1)); // execve is 59
        assert_eq!(
            add_perm_syscalls(Tables::of(Line::V4_2_1), &mut r, AUDIT_PERM_EXEC, &mut g, Line::V4_2_1, &diag),
            0
        );
        assert_eq!(r.mask[10], 1 << (322 - 320)); // execveat is 322
    }

    /// Upstream's behaviour (lib/libaudit.c from 3.1 on, built with io_uring):
    /// names, numbers, "all" as the named operations, `syscall_added` on success, nothing else
    /// of the rule or the globals touched.
    #[test]
    fn uring_operations_by_name() {
        let mut r = audit_rule_data::EMPTY;
        let mut g = Globals::default();
        let outcome = |value, errno| tables::Outcome { value, errno };
        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"bogus", &mut g), outcome(-1, None));
        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"open", &mut g), outcome(-1, None));
        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"-1", &mut g), outcome(-1, None));
        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"2048", &mut g), outcome(-1, None));
        assert_eq!(
            add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"99999999999999999999", &mut g),
            outcome(-1, Some(libc::ERANGE))
        );
        assert_eq!((r.mask, g), ([0; AUDIT_BITMASK_SIZE], Globals::default()));

        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"openat", &mut g), outcome(0, None));
        assert_eq!((r.mask[0], g.syscall_added), (1 << 18, 1));
        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"OpenAt2", &mut g), outcome(0, None));
        assert_eq!(r.mask[0], 1 << 18 | 1 << 28);
        // Any number sets its bit, named or not (3 is no audited operation).
        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"3", &mut g), outcome(0, None));
        assert_eq!(add_uringop_by_name(Tables::of(Line::NEWEST), &mut r, b"0x2f", &mut g), outcome(0, None));
        assert_eq!((r.mask[0], r.mask[1]), (1 << 18 | 1 << 28 | 1 << 3, 1 << 15));
        assert_eq!((r.flags, r.action, r.field_count, g.elf, g.arch_added), (0, 0, 0, 0, 0));

        // "all": the named operations below 37 on every line, measured on each line's library
        // (the later ones, 37-57 and 64 on 4.2.1, are left out).
        const ALL_MEASURED: [i32; 11] = [9, 10, 13, 16, 17, 18, 19, 28, 34, 35, 36];
        for line in Line::ALL.into_iter().filter(|&line| line >= Line::V3_1_2) {
            let mut all = audit_rule_data::EMPTY;
            let mut g = Globals::default();
            assert_eq!(add_uringop_by_name(Tables::of(line), &mut all, b"all", &mut g), outcome(0, None));
            assert_eq!(g.syscall_added, 1);
            let set: Vec<i32> = (0..(AUDIT_BITMASK_SIZE * 32) as i32)
                .filter(|&op| all.mask[op as usize / 32] & 1 << (op % 32) != 0)
                .collect();
            assert_eq!(set, ALL_MEASURED, "line {line}");
            assert_eq!((all.mask[0], all.mask[1]), (0x100f_2600, 0x1c), "line {line}");
            assert!(Tables::of(line).uringop_to_name(37).is_some(), "line {line} names operations beyond");
        }
    }

    #[test]
    fn perms_update_or_append() {
        let mut r = audit_rule_data::EMPTY;
        let line = Line::NEWEST;
        assert_eq!(update_watch_perms(&mut r, 3, line, &Silent), -1);
        r.field_count = 1;
        assert_eq!(update_watch_perms(&mut r, 3, line, &Silent), 0);
        assert_eq!((r.field_count, r.fields[1], r.values[1], r.fieldflags[1]), (2, AUDIT_PERM, 3, AUDIT_EQUAL));
        assert_eq!(update_watch_perms(&mut r, 5, line, &Silent), 0);
        assert_eq!((r.field_count, r.values[1]), (2, 5));
        r.field_count = 63;
        r.fields[1] = 0;
        assert_eq!(update_watch_perms(&mut r, 5, line, &Silent), -2);
    }

    #[test]
    fn watch_fill() {
        let mut r = audit_rule_data::EMPTY;
        let mut g = Globals::default();
        let mut buf = [0u8; 4];
        assert!(watch_allowed(None, AUDIT_DIR as i32, Line::NEWEST, &Silent));
        assert!(!watch_allowed(None, 3, Line::NEWEST, &Silent));
        fill_watch(&mut r, &mut buf, AUDIT_WATCH as i32, b"/etc", &mut g);
        assert_eq!(&buf, b"/etc");
        assert_eq!((r.flags, r.action, r.field_count, r.buflen, r.values[1]), (4, 2, 2, 4, 15));
        assert_eq!(g.perm_added, 1);
        assert!(!watch_allowed(Some(&r), AUDIT_WATCH as i32, Line::NEWEST, &Silent));
    }
}
