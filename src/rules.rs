//! Rule building and the rule, watch and tree requests; the exported `_audit_*` variables.
//!
//! Rules live in the caller's malloc'd memory: `struct audit_rule_data` followed by `buflen`
//! bytes of strings. The fixed part is handed to the safe core (src/rules) as a reference; when
//! a string is appended the allocation grows here with realloc, as the original does, so the
//! caller can still free() it (or audit_rule_free_data it).
#![allow(non_upper_case_globals)]

use std::ffi::{c_char, c_int};
use std::ptr;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicI32, AtomicU32};

use super::{c_bytes, errno, fail, seq_or_errno, set_errno};
use crate::compat::LINE;
use crate::message::{self, AuditMsg, LOG_ERR};
use crate::writable::{self, Memory};
use linux_audit::bytes::Bytes;
use linux_audit::diag::Diagnostics;
use linux_audit::netlink::{Failed, Sent};
use linux_audit::rules::{self, Added, Flag, RULE_SIZE, Split, State};
use linux_audit::tables::Tables;
use linux_audit::wire::audit_rule_data;

// The original's process-wide rule-building state. auditctl links them with copy relocations,
// so the dynamic linker makes every reference, ours included, use the executable's copy: we
// must reach them through the GOT (never PC-relative to our own definition). tests/
// consumers_auditctl.rs proves it with auditctl; rustc emits GOT loads for exported statics.
// Atomics with the layout of C's unsigned int and int: threads building rules at once share
// them (as in the original), and relaxed loads and stores make that defined behaviour, where
// plain or volatile accesses are a data race (ThreadSanitizer, tests/concurrency.rs). On x86-64
// and the other targets they are the same instructions as the original's plain accesses.
#[unsafe(no_mangle)]
pub static _audit_elf: AtomicU32 = AtomicU32::new(0);
#[unsafe(no_mangle)]
pub static _audit_syscalladded: AtomicI32 = AtomicI32::new(0);
#[unsafe(no_mangle)]
pub static _audit_permadded: AtomicI32 = AtomicI32::new(0);
#[unsafe(no_mangle)]
pub static _audit_archadded: AtomicI32 = AtomicI32::new(0);
#[unsafe(no_mangle)]
pub static _audit_exeadded: AtomicI32 = AtomicI32::new(0);
#[unsafe(no_mangle)]
pub static _audit_filterfsadded: AtomicI32 = AtomicI32::new(0);

/// The exported variables as the core's rule-building [`State`]: each is read and written
/// where the original's code reads and writes it, so each call sees what the host program
/// stored in between, and a field that needs none of them (a number) touches none.
struct Exported;

fn flag_variable(flag: Flag) -> &'static AtomicI32 {
    match flag {
        Flag::Syscall => &_audit_syscalladded,
        Flag::Perm => &_audit_permadded,
        Flag::Arch => &_audit_archadded,
        Flag::Exe => &_audit_exeadded,
        Flag::FilterFs => &_audit_filterfsadded,
    }
}

impl State for Exported {
    fn elf(&self) -> u32 {
        _audit_elf.load(Relaxed)
    }

    fn set_elf(&mut self, elf: u32) {
        _audit_elf.store(elf, Relaxed);
    }

    fn added(&self, flag: Flag) -> bool {
        flag_variable(flag).load(Relaxed) != 0
    }

    fn mark(&mut self, flag: Flag) {
        flag_variable(flag).store(1, Relaxed);
    }
}

export! {
    #[on_panic(ptr::null_mut(), pure)]
    pub fn audit_rule_create_data() -> *mut audit_rule_data {
        // SAFETY: a zeroed allocation of the fixed part and room for strings, from libc so the
        // caller may free() it.
        unsafe { libc::calloc(1, RULE_SIZE + RULE_ROOM).cast() }
    }
}

/// Room for strings (a key, a path) that a new rule gets beyond its fixed part, so that adding
/// them needs no realloc (append_text). Invisible to callers: the rule is theirs to free().
const RULE_ROOM: usize = 256;

export! {
    /// Zeroes the fixed part of a rule (NULL is ignored; the original crashes).
    ///
    /// # Safety
    /// `rule` is NULL or points to at least the fixed part of a rule.
    #[on_panic((), pure)]
    pub unsafe fn audit_rule_init_data(rule: *mut audit_rule_data) {
        // SAFETY: per the contract.
        unsafe {
            if !rule.is_null() {
                ptr::write_bytes(rule.cast::<u8>(), 0, RULE_SIZE);
            }
        }
    }
}

export! {
    /// # Safety
    /// `rule` is NULL or a rule from malloc (audit_rule_create_data or the add functions).
    #[on_panic((), pure)]
    pub unsafe fn audit_rule_free_data(rule: *mut audit_rule_data) {
        // SAFETY: per the contract.
        unsafe { libc::free(rule.cast()) }
    }
}

export! {
    /// # Safety
    /// `rule` is NULL (-1) or points to at least the fixed part of a rule.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_rule_syscall_data(rule: *mut audit_rule_data, scall: c_int) -> c_int {
        // SAFETY: per the contract.
        let Some(rule) = (unsafe { rule.as_mut() }) else { return -1 };
        rules::syscall(rule, scall, &mut Exported, LINE)
    }
}

export! {
    /// # Safety
    /// `rule` is NULL or points to at least the fixed part of a rule; `scall` is NULL or a string.
    #[on_panic(-1, pure)]
    pub unsafe fn audit_rule_syscallbyname_data(rule: *mut audit_rule_data, scall: *const c_char) -> c_int {
        // SAFETY: per the contract; NULLs give -1 where the original crashes.
        let (Some(rule), Some(name)) = (unsafe { rule.as_mut() }, unsafe { c_bytes(scall) }) else {
            return -1;
        };
        let outcome = rules::add_syscall_by_name(Tables::of(LINE), rule, name, &mut Exported, LINE);
        if let Some(e) = outcome.errno {
            set_errno(e);
        }
        outcome.value
    }
}

export! {
    /// The syscall argument of auditctl's `-S` (exported from 4.0.2 on; 4.x auditctl imports
    /// it): one name or number, or several separated by commas (empty items skipped), each
    /// added as audit_rule_syscallbyname_data adds it. That function's result for a single
    /// item; for a list, 0, or the first item's failure: -1 (an unknown name) becomes -3 after
    /// the message "Syscall name unknown: <item>" (the caller's "error reported"), others as
    /// they are.
    ///
    /// # Safety
    /// `optarg` is NULL (-1; the original crashes) or a string; `rule` as for
    /// audit_rule_syscallbyname_data.
    #[on_panic(-1)]
    pub unsafe fn _audit_parse_syscall(optarg: *const c_char, rule: *mut audit_rule_data) -> c_int {
        // SAFETY: per the contract.
        let Some(list) = (unsafe { c_bytes(optarg) }) else { return -1 };
        if !list.contains(&b',') {
            // SAFETY: per the contract.
            return unsafe { audit_rule_syscallbyname_data(rule, optarg) };
        }
        // The items, each NUL-terminated in a copy, as strtok_r leaves them (the original's
        // strdup failing: -1 with errno ENOMEM).
        let mut items = Bytes::new();
        if items.push(list).and_then(|()| items.push_byte(0)).is_err() {
            set_errno(libc::ENOMEM);
            return -1;
        }
        for b in items.as_mut_slice().iter_mut().filter(|b| **b == b',') {
            *b = 0;
        }
        // Each item is followed by a NUL in `items`: a comma's, or the last one.
        for item in items.as_slice().split(|&b| b == 0).filter(|item| !item.is_empty()) {
            // SAFETY: per the contract; `item` is a string (a NUL follows it).
            match unsafe { audit_rule_syscallbyname_data(rule, item.as_ptr().cast()) } {
                0 => {}
                -1 => {
                    message::log_pieces(LOG_ERR, &[b"Syscall name unknown: ", item]);
                    return -3;
                }
                failed => return failed,
            }
        }
        0
    }
}

export! {
    /// # Safety
    /// As audit_rule_syscallbyname_data.
    #[on_panic(-1)]
    pub unsafe fn audit_rule_io_uringbyname_data(rule: *mut audit_rule_data, scall: *const c_char) -> c_int {
        // SAFETY: per the contract.
        let (Some(rule), Some(name)) = (unsafe { rule.as_mut() }, unsafe { c_bytes(scall) }) else {
            return -1;
        };
        let outcome = rules::add_uringop_by_name(Tables::of(LINE), rule, name, &mut Exported);
        if let Some(e) = outcome.errno {
            set_errno(e);
        }
        outcome.value
    }
}

/// Overwrites the operator in the caller's pair with NULs, as the original does (callers see
/// their string end at the field name). If those bytes are read-only, as for a string literal
/// passed where the header says `const char *`, the original crashes; they are left alone.
/// Where they lie is known without a system call for the caller's stack, the brk heap and the
/// loaded objects (src/writable.rs, which argues why that is sound); elsewhere the kernel is
/// asked.
///
/// # Safety
/// `pair` points to a string of which `split` covers a part.
unsafe fn clear_operator(pair: *const c_char, split: Split) {
    let start = pair.wrapping_add(split.at).cast_mut().cast::<u8>();
    // Where callers' pairs lie in practice (auditctl's argv, a buffer of their own), at once.
    if writable::on_this_stack(start.addr(), start.addr().wrapping_add(split.len)) {
        // SAFETY: the bytes belong to the caller's string, in its frames of this stack.
        unsafe { clear(start, split.len) };
        return;
    }
    // SAFETY: as for this function.
    unsafe { clear_operator_by_page(start, split.len) }
}

/// Writes NULs over `len` bytes at `at`: an operator's one or two (write_bytes would call memset).
///
/// # Safety
/// `at..at + len` is writable; `len` is 1 or 2.
unsafe fn clear(at: *mut u8, len: usize) {
    // SAFETY: per the contract.
    unsafe {
        at.write(0);
        if len > 1 {
            at.add(1).write(0);
        }
    }
}

/// [`clear_operator`] for an operator elsewhere than this stack: each of the (one or two) pages
/// it lies on is classified, and asked of the kernel where that is unknown.
///
/// # Safety
/// `start..start + len` lies within a caller's string; `len` is 1 or 2.
#[cold]
#[inline(never)]
unsafe fn clear_operator_by_page(start: *mut u8, len: usize) {
    let end = start.wrapping_add(len);
    let mut at = start;
    while at < end {
        // One look per page: the operator (1 or 2 bytes) may straddle two.
        let page_end = at.map_addr(|a| (a | (PROBE_PAGE - 1)) + 1);
        let len = end.addr().min(page_end.addr()) - at.addr();
        let writable = match writable::classify(at.addr(), len) {
            Memory::Writable => true,
            Memory::ReadOnly => false,
            // SAFETY: `at..at + len` lies within the caller's string.
            Memory::Unknown => unsafe { writable_by_kernel(at, len) },
        };
        if writable {
            // SAFETY: the bytes belong to the caller's string, and the kernel just wrote to them
            // or they lie in memory mapped writable (src/writable.rs: only a page the host made
            // read-only itself there would fault, as the original, which always writes, does).
            unsafe { clear(at, len) };
        }
        at = at.wrapping_add(len);
    }
}

/// A page size no system has a smaller one of: a probe within it never spans two pages.
const PROBE_PAGE: usize = 4096;

/// Whether `len` (at most 8) bytes at `at`, within one page, can be written, asked of the
/// kernel with the cheapest call that writes exactly `len` bytes to a caller's address and fails
/// with EFAULT, writing nothing, where it cannot: rt_sigpending, which copies the first `len`
/// bytes of the pending signal mask (the caller's bytes are overwritten right after). A third of
/// a microsecond, against a microsecond and a half for process_vm_writev (and getpid for its
/// pid). Where the call is refused (seccomp), true: the original writes unconditionally. The
/// caller's errno is kept.
///
/// A thread making the page read-only between the probe and the write would crash the host, as
/// it would by unmapping the string while the library reads it.
///
/// # Safety
/// `at..at + len` is readable.
unsafe fn writable_by_kernel(at: *mut u8, len: usize) -> bool {
    let saved = errno();
    // SAFETY: the kernel checks the address and writes at most `len` bytes.
    let rc = unsafe { libc::syscall(libc::SYS_rt_sigpending, at, len) };
    let writable = rc == 0 || errno() != libc::EFAULT;
    set_errno(saved);
    writable
}

/// What both pair functions do around their core function `add`: read the caller's pair where
/// it is (never copied: it may be of any size) and the rule; `done` finishes a success (while the
/// pair is still read); then the operator is cleared in the caller's string, as the original
/// leaves it, and errno left as the original leaves it. A NULL pair gives the original's
/// -EAU_FILTERMISSING, a NULL rule our -EFAULT.
///
/// # Safety
/// `rulep` is NULL or points to NULL or to a rule; `pair` is NULL or a string.
unsafe fn pair_data<'a, T>(
    rulep: *mut *mut audit_rule_data,
    pair: *const c_char,
    add: impl FnOnce(&'a [u8], &'a mut audit_rule_data) -> rules::Outcome<T>,
    done: impl FnOnce(T) -> c_int,
) -> c_int {
    // SAFETY: per the contract.
    let Some(text) = (unsafe { c_bytes(pair) }) else {
        return -linux_audit::errormsg::EAU_FILTERMISSING;
    };
    // SAFETY: per the contract.
    let Some(rule) = (unsafe { rule_at(rulep) }) else {
        return fail(libc::EFAULT);
    };
    let outcome = add(text, rule);
    let rc = match outcome.result {
        Ok(added) => done(added),
        Err(e) => e,
    };
    // The pair is no longer read: its operator may be cleared.
    if let Some(split) = outcome.split {
        // SAFETY: the split lies within the caller's string.
        unsafe { clear_operator(pair, split) };
    }
    if let Some(e) = outcome.errno {
        set_errno(e);
    }
    rc
}

/// The message of a failed realloc (before 4.0 it ends in a newline of its own).
fn realloc_failed() {
    let end = if LINE >= linux_audit::Line::V4_0_2 { "" } else { "\n" };
    message::log(LOG_ERR, format_args!("Cannot realloc memory!{end}"));
}

/// The rule behind `rulep`, when both pointers are set.
///
/// # Safety
/// `rulep` is NULL or points to NULL or to a rule.
unsafe fn rule_at<'a>(rulep: *mut *mut audit_rule_data) -> Option<&'a mut audit_rule_data> {
    // SAFETY: per the contract.
    unsafe { rulep.as_ref().and_then(|&r| r.as_mut()) }
}

/// Grows the rule at `*rulep` by `text` and completes the pending string field. On failure
/// the rule is freed and `*rulep` set to NULL, as the original does.
///
/// # Safety
/// `*rulep` is a malloc'd rule whose `buflen` bytes of strings follow its fixed part.
unsafe fn append_text(rulep: *mut *mut audit_rule_data, text: &[u8]) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        let rule = *rulep;
        let offset = RULE_SIZE + (*rule).buflen as usize;
        let size = offset + text.len();
        // The allocation may hold the text already (RULE_ROOM; malloc_usable_size is what the
        // allocator guarantees, its own or one interposed with it).
        let grown = if libc::malloc_usable_size(rule.cast()) >= size {
            rule
        } else {
            libc::realloc(rule.cast(), size).cast::<audit_rule_data>()
        };
        if grown.is_null() {
            libc::free(rule.cast());
            *rulep = ptr::null_mut();
            realloc_failed();
            return -3;
        }
        *rulep = grown;
        let tail = std::slice::from_raw_parts_mut(grown.cast::<u8>().add(offset), text.len());
        rules::append_text(&mut *grown, tail, text);
        0
    }
}

export! {
    /// Adds "field op value" (auditctl's -F) for filter list `flags`: 0 or a negative -EAU_*
    /// number (-3 if growing the rule failed; it is then freed and `*rulep` is NULL). The
    /// operator in `pair` is overwritten with NULs, as the original does.
    ///
    /// # Safety
    /// `rulep` points to a malloc'd rule (NULL pointers give -EFAULT; the original crashes);
    /// `pair` is NULL or a string.
    #[on_panic(-libc::EFAULT, pure)]
    pub unsafe fn audit_rule_fieldpair_data(
        rulep: *mut *mut audit_rule_data,
        pair: *const c_char,
        flags: c_int,
    ) -> c_int {
        // Some fields depend on the kernel's features: the process's one probe, made when first needed.
        let features = || crate::control::features().0;
        let add = |text, rule| rules::fieldpair(Tables::of(LINE), rule, text, flags, LINE, &mut Exported, &features, &AuditMsg);
        let done = |added| match added {
            Added::Done => 0,
            // SAFETY: *rulep is the caller's malloc'd rule.
            Added::Text(value) => unsafe { append_text(rulep, value) },
        };
        // SAFETY: per the contract.
        unsafe { pair_data(rulep, pair, add, done) }
    }
}

export! {
    /// Adds a comparison of two fields (auditctl's -C): 0 or a negative -EAU_* number. The
    /// operator in `pair` is overwritten with NULs, as the original does.
    ///
    /// # Safety
    /// As audit_rule_fieldpair_data.
    #[on_panic(-libc::EFAULT, pure)]
    pub unsafe fn audit_rule_interfield_comp_data(
        rulep: *mut *mut audit_rule_data,
        pair: *const c_char,
        flags: c_int,
    ) -> c_int {
        let add = |text, rule| rules::compare(Tables::of(LINE), rule, text, flags);
        // SAFETY: per the contract.
        unsafe { pair_data(rulep, pair, add, |()| 0) }
    }
}

export! {
    /// # Safety
    /// `rule` is NULL (-1) or points to at least the fixed part of a rule.
    #[on_panic(-1)]
    pub unsafe fn audit_update_watch_perms(rule: *mut audit_rule_data, perms: c_int) -> c_int {
        // SAFETY: per the contract.
        unsafe { rule.as_mut() }.map_or(-1, |r| rules::update_watch_perms(r, perms, LINE, &AuditMsg))
    }
}

export! {
    /// # Safety
    /// As audit_add_watch_dir.
    #[on_panic(-1)]
    pub unsafe fn audit_add_watch(rulep: *mut *mut audit_rule_data, path: *const c_char) -> c_int {
        // SAFETY: per the contract.
        unsafe { audit_add_watch_dir(linux_audit::wire::AUDIT_WATCH as c_int, rulep, path) }
    }
}

export! {
    /// Makes `*rulep` (NULL or an empty malloc'd rule) a watch of `type` AUDIT_WATCH or AUDIT_DIR
    /// on `path`: 0, or -1 (a rule that is not empty, a bad type, no memory: the rule is then freed
    /// and `*rulep` NULL; NULL pointers, where the original crashes).
    ///
    /// # Safety
    /// `rulep` is NULL or points to NULL or to a malloc'd rule; `path` is NULL or a string.
    #[on_panic(-1)]
    pub unsafe fn audit_add_watch_dir(
        kind: c_int,
        rulep: *mut *mut audit_rule_data,
        path: *const c_char,
    ) -> c_int {
        // SAFETY: per the contract.
        let (Some(path), false) = (unsafe { c_bytes(path) }, rulep.is_null()) else {
            return -1;
        };
        // A copy (the path might lie in the rule that is reallocated): failing to get one is
        // failing to grow the rule.
        let Some(path) = linux_audit::bytes::try_copy(path) else {
            set_errno(libc::ENOMEM);
            return -1;
        };
        // SAFETY: per the contract, *rulep is NULL or a malloc'd rule; the realloc'd rule has
        // RULE_SIZE + path.len() bytes, all written before the slice is made.
        unsafe {
            let rule = *rulep;
            if !rules::watch_allowed(rule.as_ref(), kind, LINE, &AuditMsg) {
                return -1;
            }
            let size = RULE_SIZE + path.len();
            let grown = libc::realloc(rule.cast(), size).cast::<audit_rule_data>();
            if grown.is_null() {
                libc::free(rule.cast());
                *rulep = ptr::null_mut();
                realloc_failed();
                return -1;
            }
            *rulep = grown;
            ptr::write_bytes(grown.cast::<u8>(), 0, size);
            let buf = std::slice::from_raw_parts_mut(grown.cast::<u8>().add(RULE_SIZE), path.len());
            rules::fill_watch(&mut *grown, buf, kind, &path, &mut Exported);
        }
        0
    }
}

type RuleSender = fn(c_int, Option<&[u8]>, usize, &dyn Diagnostics) -> Result<Sent, Failed>;

/// Sets a rule's list and action and sends it: the fixed part and `buflen` bytes of strings.
///
/// # Safety
/// `rule` is NULL (-EFAULT) or a rule followed by its `buflen` bytes.
unsafe fn send_rule(fd: c_int, rule: *mut audit_rule_data, flags: c_int, action: c_int, send: RuleSender) -> c_int {
    // SAFETY: per the contract.
    let Some(r) = (unsafe { rule.as_mut() }) else {
        return fail(libc::EFAULT);
    };
    r.flags = flags as u32;
    r.action = action as u32;
    let size = rules::request_size(r);
    // SAFETY: the rule and its strings are `size` bytes; a rule too large to send is not read.
    let bytes = rules::fits_request(size).then(|| unsafe { std::slice::from_raw_parts(rule.cast::<u8>(), size) });
    seq_or_errno(send(fd, bytes, size, &AuditMsg))
}

export! {
    /// AUDIT_ADD_RULE: the sequence number, or -errno (errno set).
    ///
    /// # Safety
    /// `rule` is NULL or a rule followed by its `buflen` bytes of strings.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_add_rule_data(
        fd: c_int,
        rule: *mut audit_rule_data,
        flags: c_int,
        action: c_int,
    ) -> c_int {
        // SAFETY: per the contract.
        unsafe { send_rule(fd, rule, flags, action, rules::send_add) }
    }
}

export! {
    /// AUDIT_DEL_RULE: the sequence number, or -errno (errno set).
    ///
    /// # Safety
    /// As audit_add_rule_data.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_delete_rule_data(
        fd: c_int,
        rule: *mut audit_rule_data,
        flags: c_int,
        action: c_int,
    ) -> c_int {
        // SAFETY: per the contract.
        unsafe { send_rule(fd, rule, flags, action, rules::send_delete) }
    }
}

export! {
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub fn audit_trim_subtrees(fd: c_int) -> c_int {
        seq_or_errno(rules::trim_subtrees(fd, &AuditMsg))
    }
}

export! {
    /// # Safety
    /// `mount_point` and `subtree` are NULL (-EFAULT; the original crashes) or strings.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_make_equivalent(fd: c_int, mount_point: *const c_char, subtree: *const c_char) -> c_int {
        // SAFETY: per the contract.
        match unsafe { (c_bytes(mount_point), c_bytes(subtree)) } {
            (Some(m), Some(s)) => seq_or_errno(rules::make_equivalent(fd, m, s, &AuditMsg)),
            _ => fail(libc::EFAULT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two pages holding "a!=b" with the operator across their boundary.
    struct Straddle(*mut u8);

    impl Straddle {
        fn new() -> Self {
            // SAFETY: a fresh private anonymous mapping of two pages.
            let base = unsafe {
                libc::mmap(
                    ptr::null_mut(),
                    2 * PROBE_PAGE,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            assert_ne!(base, libc::MAP_FAILED);
            let pair = base.cast::<u8>().wrapping_add(PROBE_PAGE - 2);
            // SAFETY: within the mapping.
            unsafe { ptr::copy_nonoverlapping(c"a!=b".as_ptr().cast(), pair, 5) };
            Straddle(pair)
        }

        fn protect(&self, pages: std::ops::Range<usize>, prot: c_int) {
            let base = self.0.wrapping_sub(PROBE_PAGE - 2);
            // SAFETY: pages of our own mapping.
            let rc = unsafe {
                libc::mprotect(base.wrapping_add(pages.start * PROBE_PAGE).cast(), pages.len() * PROBE_PAGE, prot)
            };
            assert_eq!(rc, 0);
        }

        fn clear(&self) -> [u8; 4] {
            set_errno(7);
            // SAFETY: "!=" at offset 1 of the string.
            unsafe { clear_operator(self.0.cast(), Split { at: 1, len: 2, op: 0 }) };
            assert_eq!(errno(), 7);
            // SAFETY: readable.
            unsafe { *self.0.cast::<[u8; 4]>() }
        }
    }

    impl Drop for Straddle {
        fn drop(&mut self) {
            // SAFETY: the mapping made in new().
            unsafe { libc::munmap(self.0.wrapping_sub(PROBE_PAGE - 2).cast(), 2 * PROBE_PAGE) };
        }
    }

    #[test]
    fn operator_bytes_become_nuls_where_writable() {
        assert_eq!(Straddle::new().clear(), *b"a\0\0b");
        let second_read_only = Straddle::new();
        second_read_only.protect(1..2, libc::PROT_READ);
        assert_eq!(second_read_only.clear(), *b"a\0=b");
        let read_only = Straddle::new();
        read_only.protect(0..2, libc::PROT_READ);
        assert_eq!(read_only.clear(), *b"a!=b");
    }
}
