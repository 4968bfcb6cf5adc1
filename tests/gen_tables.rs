//! Generates linux-audit/src/tables/data.rs, the lookup tables, from two sources:
//! - the installed libaudit.so.1 (3.0.9), probed through dlopen: every string stored in the
//!   library's file is offered to each name-to-number function (every name a lookup accepts is
//!   stored there, since the original compares against its own string tables), then every number
//!   found, plus wide sweeps, to each number-to-name function;
//! - /usr/include/linux/io_uring.h, continued by tests/data/io_uring_ops.txt (the members newer
//!   kernels add), for the io_uring operations (upstream's, 4.2 on; numbered by their place in
//!   `enum io_uring_op`).
//!
//! All names go into one blob of NUL-terminated strings (a name that ends another shares its
//! bytes); each table holds spans of it (offset | length << 16), by name and by number, and
//! places its names in an open-addressed hash table by the crate's own `name_hash`.
//!
//! `cargo test --test gen_tables -- --ignored` rewrites the file; `data_is_current` (part of the
//! ordinary `cargo test`) fails when the committed file is not what the sources give. Being a
//! test, it builds the crate first: after changing `Table`'s fields, patch data.rs by hand once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::{CStr, CString, c_char, c_int, c_uint, c_void};
use std::fmt::Write;
use std::path::PathBuf;

const LIBRARY: &str = "/usr/lib/x86_64-linux-gnu/libaudit.so.1";
const IO_URING_H: &str = "/usr/include/linux/io_uring.h";
/// `enum io_uring_op` members past the installed header's, as "number IORING_OP_NAME" lines.
const NEWER_URING_OPS: &str = "tests/data/io_uring_ops.txt";
/// The io_uring operations upstream names (lib/uringop_table.h, newest): those the kernel audits
/// (the others are marked audit_skip in io_uring/opdef.c and never produce records).
const AUDITED_URING_OPS: &[&str] = &[
    "sendmsg",
    "recvmsg",
    "accept",
    "connect",
    "fallocate",
    "openat",
    "close",
    "openat2",
    "shutdown",
    "renameat",
    "unlinkat",
    "mkdirat",
    "symlinkat",
    "linkat",
    "msg_ring",
    "fsetxattr",
    "setxattr",
    "fgetxattr",
    "getxattr",
    "uring_cmd",
    "sendmsg_zc",
    "waitid",
    "futex_wait",
    "futex_wake",
    "futex_waitv",
    "fixed_fd_install",
    "ftruncate",
    "bind",
    "listen",
];
/// Longer names are rejected without a search (linux-audit/src/tables/mod.rs folds into a buffer this big).
const NAME_MAX: usize = 64;

fn output() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("linux-audit/src/tables/data.rs")
}

struct Library(*mut c_void);

impl Library {
    fn open() -> Library {
        let path = CString::new(LIBRARY).unwrap();
        // SAFETY: dlopen of the system library with a valid path.
        let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        assert!(!handle.is_null(), "dlopen {LIBRARY}");
        Library(handle)
    }

    /// # Safety
    /// `F` is the function pointer type matching the symbol's C prototype.
    unsafe fn get<F: Copy>(&self, name: &str) -> F {
        let c = CString::new(name).unwrap();
        // SAFETY: valid handle and name.
        let p = unsafe { libc::dlsym(self.0, c.as_ptr()) };
        assert!(!p.is_null(), "{name} missing");
        // SAFETY: per the contract, F is a function pointer of the symbol's type.
        unsafe { std::mem::transmute_copy(&p) }
    }
}

type S2i = unsafe extern "C" fn(*const c_char) -> c_int;
type I2s = unsafe extern "C" fn(c_int) -> *const c_char;

fn string(p: *const c_char) -> Option<Vec<u8>> {
    // SAFETY: the library returns NULL or a pointer to a static string.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes().to_vec())
}

/// Every NUL-terminated run of printable ASCII in the library's file, with all its suffixes.
fn candidates() -> Vec<CString> {
    let image = std::fs::read(LIBRARY).unwrap();
    let mut out = BTreeSet::new();
    for run in image.split(|&b| b == 0) {
        let start = run.iter().rposition(|b| !(0x20..0x7f).contains(b)).map_or(0, |i| i + 1);
        let run = &run[start..];
        for i in 0..run.len() {
            if run.len() - i < NAME_MAX {
                out.insert(run[i..].to_vec());
            }
        }
    }
    out.into_iter().map(|v| CString::new(v).unwrap()).collect()
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Fold {
    Lower,
    Upper,
    Exact,
}

impl Fold {
    fn apply(self, s: &[u8]) -> Vec<u8> {
        match self {
            Fold::Lower => s.to_ascii_lowercase(),
            Fold::Upper => s.to_ascii_uppercase(),
            Fold::Exact => s.to_vec(),
        }
    }
}

/// One table as the original answers it.
#[derive(PartialEq)]
struct Probed {
    fold: Fold,
    by_name: BTreeMap<Vec<u8>, i32>,
    by_number: BTreeMap<i32, Vec<u8>>,
}

/// Probes a name table: `s2i` says which candidates it accepts (and their numbers), `i2s` is
/// swept over every number found plus `sweep`.
fn probe(
    candidates: &[CString],
    s2i: impl Fn(&CStr) -> Option<i32>,
    i2s: impl Fn(i32) -> Option<Vec<u8>>,
    sweep: impl Iterator<Item = i32>,
) -> Probed {
    let accepted: BTreeMap<Vec<u8>, i32> =
        candidates.iter().filter_map(|c| Some((c.to_bytes().to_vec(), s2i(c)?))).collect();
    let numbers: BTreeSet<i32> = accepted.values().copied().chain(sweep).collect();
    let by_number: BTreeMap<i32, Vec<u8>> = numbers.into_iter().filter_map(|n| Some((n, i2s(n)?))).collect();
    // The stored names are in one case; lookups fold to it.
    let upper = by_number.values().any(|s| s.iter().any(u8::is_ascii_uppercase));
    let fold = if upper { Fold::Upper } else { Fold::Lower };
    let by_name: BTreeMap<Vec<u8>, i32> = accepted.into_iter().filter(|(s, _)| fold.apply(s) == *s).collect();
    for (s, &n) in &by_name {
        let other = if fold == Fold::Upper { s.to_ascii_lowercase() } else { s.to_ascii_uppercase() };
        assert_eq!(s2i(&CString::new(other).unwrap()), Some(n), "case-insensitive lookup of {s:?}");
    }
    for (n, s) in &by_number {
        assert_eq!(by_name.get(s), Some(n), "{s:?} is named for {n} but not found by name");
    }
    Probed { fold, by_name, by_number }
}

/// Sweeps a number-to-name function that has no name-to-number counterpart.
fn probe_numbers(i2s: impl Fn(i32) -> Option<Vec<u8>>, sweep: impl Iterator<Item = i32>) -> Probed {
    let by_number: BTreeMap<i32, Vec<u8>> = sweep.filter_map(|n| Some((n, i2s(n)?))).collect();
    let by_name = by_number.iter().map(|(&n, s)| (s.clone(), n)).collect::<BTreeMap<_, _>>();
    assert_eq!(by_name.len(), by_number.len());
    Probed { fold: Fold::Exact, by_name, by_number }
}

/// The io_uring operations upstream names, numbered by their place in the kernel's enum.
fn uring_ops() -> Probed {
    let header = std::fs::read_to_string(IO_URING_H).unwrap();
    let body = header.split("enum io_uring_op {").nth(1).unwrap().split("};").next().unwrap();
    let lines =
        body.lines().map(str::trim).filter_map(|l| l.strip_prefix("IORING_OP_")).map(|l| l.trim_end_matches(','));
    let mut ops: Vec<&str> = lines.filter(|&op| op != "LAST").collect();
    let newer = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(NEWER_URING_OPS)).unwrap();
    for line in newer.lines().filter(|l| !l.starts_with('#')) {
        let (number, member) = line.split_once(' ').unwrap();
        let (number, op) = (number.parse::<usize>().unwrap(), member.strip_prefix("IORING_OP_").unwrap());
        match ops.get(number) {
            Some(&known) => assert_eq!(known, op, "{NEWER_URING_OPS} disagrees with {IO_URING_H}"),
            None => {
                assert_eq!(number, ops.len(), "{NEWER_URING_OPS} skips a number");
                ops.push(op);
            }
        }
    }
    let mut by_name = BTreeMap::new();
    for (number, op) in ops.into_iter().enumerate() {
        assert!(!op.contains('='), "explicit value in enum io_uring_op: {op}");
        let name = op.to_ascii_lowercase();
        if AUDITED_URING_OPS.contains(&name.as_str()) {
            by_name.insert(name.into_bytes(), number as i32);
        }
    }
    assert_eq!(by_name.len(), AUDITED_URING_OPS.len(), "{IO_URING_H} and {NEWER_URING_OPS} lack some operations");
    let by_number = by_name.iter().map(|(s, &n)| (n, s.clone())).collect();
    Probed { fold: Fold::Lower, by_name, by_number }
}

/// The blob of every name, each followed by its NUL, and where each name starts in it.
struct Names {
    text: Vec<u8>,
    at: HashMap<Vec<u8>, usize>,
}

impl Names {
    /// Longest names first, so that a name ending a longer one (`open` in `fsopen`) is found
    /// within it.
    fn new<'a>(all: impl Iterator<Item = &'a Vec<u8>>) -> Names {
        let mut names: Vec<&Vec<u8>> = all.collect::<BTreeSet<_>>().into_iter().collect();
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let mut blob = Names { text: Vec::new(), at: HashMap::new() };
        for name in names {
            if blob.at.contains_key(name) {
                continue;
            }
            let start = blob.text.len();
            blob.text.extend_from_slice(name);
            blob.text.push(0);
            for i in 0..name.len() {
                blob.at.entry(name[i..].to_vec()).or_insert(start + i);
            }
        }
        assert!(blob.text.len() <= usize::from(u16::MAX), "offsets are u16");
        blob
    }

    /// The span of a name: its offset, plus its length << 16 (linux-audit/src/tables/mod.rs `Span`).
    fn span(&self, name: &[u8]) -> usize {
        assert!(!name.is_empty() && name.len() < NAME_MAX);
        self.at[name] | name.len() << 16
    }

    fn emit(&self, out: &mut String) {
        writeln!(out, "/// Every name, NUL-terminated; the tables hold spans of it.").unwrap();
        write!(out, "pub(crate) static NAMES: [u8; {}] = *b\"", self.text.len()).unwrap();
        let mut line = 0;
        for name in self.text.split_inclusive(|&b| b == 0) {
            if line > 100 {
                out.push_str("\\\n    ");
                line = 0;
            }
            let text = std::str::from_utf8(&name[..name.len() - 1]).unwrap();
            assert!(!text.contains(['"', '\\']));
            write!(out, "{text}\\0").unwrap();
            line += text.len() + 2;
        }
        out.push_str("\";\n\n");
    }
}

/// Where each name lives in the table's open-addressed slots (1 + its position in the
/// bytewise order), as linux-audit/src/tables/mod.rs looks for it: from its hash on, the first free slot.
/// At most two thirds of the slots are used.
fn slots(names: &[&Vec<u8>]) -> Vec<usize> {
    let size = (names.len() * 3 / 2 + 1).next_power_of_two();
    let mut slots = vec![0; size];
    for (position, name) in names.iter().enumerate() {
        let mut slot = linux_audit::tables::slot(linux_audit::tables::name_hash(name), size);
        while slots[slot] != 0 {
            slot = (slot + 1) & (size - 1);
        }
        slots[slot] = position + 1;
    }
    slots
}

/// Where a table's dense number-to-name index is written.
#[derive(PartialEq)]
enum Index {
    /// In the table, from its smallest number.
    Inline,
    /// From 0, as the const `<ident>_BY_NUMBER` that `SYSCALL_BY_NUMBER` also holds.
    Shared,
}

fn emit_spans(out: &mut String, indent: &str, spans: &[usize]) {
    for chunk in spans.chunks(16) {
        let line: Vec<String> = chunk.iter().map(usize::to_string).collect();
        writeln!(out, "{indent}{},", line.join(", ")).unwrap();
    }
}

fn emit_table(out: &mut String, names: &Names, ident: &str, what: &str, t: &Probed, index: Index) {
    writeln!(out, "/// {what}: {} names, {} numbers.", t.by_name.len(), t.by_number.len()).unwrap();
    writeln!(out, "pub(crate) static {ident}: Table = Table {{\n    fold: Fold::{:?},\n    names: &[", t.fold).unwrap();
    for chunk in t.by_name.iter().collect::<Vec<_>>().chunks(8) {
        let line: Vec<String> = chunk.iter().map(|(s, n)| format!("({}, {n})", names.span(s))).collect();
        writeln!(out, "        {},", line.join(", ")).unwrap();
    }
    out.push_str("    ],\n    slots: &[\n");
    let slots = slots(&t.by_name.keys().collect::<Vec<_>>());
    for chunk in slots.chunks(20) {
        let line: Vec<String> = chunk.iter().map(usize::to_string).collect();
        writeln!(out, "        {},", line.join(", ")).unwrap();
    }
    out.push_str("    ],\n");
    let (mut min, max) = (*t.by_number.keys().next().unwrap(), *t.by_number.keys().last().unwrap());
    if index == Index::Shared {
        assert!(min >= 0, "{ident} has negative numbers");
        min = 0;
    }
    let count = (max as i64 - min as i64 + 1) as usize;
    let spans = || -> Vec<usize> { (min..=max).map(|n| t.by_number.get(&n).map_or(0, |s| names.span(s))).collect() };
    if index == Index::Shared {
        assert!(count <= 8 * t.by_number.len(), "{ident} is sparse");
        writeln!(out, "    by_number: ByNumber::Direct {{ min: 0, index: {ident}_BY_NUMBER }},\n}};\n").unwrap();
        writeln!(out, "const {ident}_BY_NUMBER: &[Span] = &[").unwrap();
        emit_spans(out, "    ", &spans());
        out.push_str("];\n\n");
    } else if count <= 8 * t.by_number.len() {
        writeln!(out, "    by_number: ByNumber::Direct {{\n        min: {min},\n        index: &[").unwrap();
        emit_spans(out, "            ", &spans());
        out.push_str("        ],\n    },\n};\n\n");
    } else {
        out.push_str("    by_number: ByNumber::Sorted(&[\n");
        for (n, s) in &t.by_number {
            writeln!(out, "        ({n}, {}),", names.span(s)).unwrap();
        }
        out.push_str("    ]),\n};\n\n");
    }
}

fn generate() -> String {
    let lib = Library::open();
    let candidates = candidates();
    // SAFETY: each type matches the prototype in /usr/include/libaudit.h.
    let (sc_s2i, sc_i2s): (
        unsafe extern "C" fn(*const c_char, c_int) -> c_int,
        unsafe extern "C" fn(c_int, c_int) -> *const c_char,
    ) = unsafe { (lib.get("audit_name_to_syscall"), lib.get("audit_syscall_to_name")) };
    // SAFETY: each name is a function of the S2i prototype in libaudit.h.
    let s2i = |f: &str| -> S2i { unsafe { lib.get(f) } };
    // SAFETY: each name is a function of the I2s prototype in libaudit.h.
    let i2s = |f: &str| -> I2s { unsafe { lib.get(f) } };
    let found = |v: c_int| (v != -1).then_some(v);
    let small = || -1000..70000;

    let simple = |s: &str, i: &str| {
        let (s, i) = (s2i(s), i2s(i));
        // SAFETY: the lookups take a NUL-terminated string or a number.
        probe(&candidates, |c| found(unsafe { s(c.as_ptr()) }), |n| string(unsafe { i(n) }), small())
    };
    let mut out = String::from(
        "//! Generated by tests/gen_tables.rs from the installed libaudit.so.1 (3.0.9) and the kernel's\n\
         //! io_uring.h with tests/data/io_uring_ops.txt: do not edit.\n\
         //! `cargo test --test gen_tables -- --ignored` regenerates it.\n\n\
         use super::{ByNumber, Fold, Span, Table};\n\n",
    );

    // Syscalls: one table per distinct answer; several machines share one (the ppc family).
    let machine_name = i2s("audit_machine_to_name");
    let mut syscall_tables: Vec<(String, Vec<i32>, Probed)> = Vec::new();
    for machine in -8..32 {
        let t = probe(
            &candidates,
            // SAFETY: a NUL-terminated string and a machine number.
            |c| found(unsafe { sc_s2i(c.as_ptr(), machine) }),
            // SAFETY: numbers only.
            |n| string(unsafe { sc_i2s(n, machine) }),
            (-1000..5000).chain((0..256).map(|k| k << 24)),
        );
        if t.by_name.is_empty() {
            assert!(t.by_number.is_empty());
            continue;
        }
        match syscall_tables.iter_mut().find(|(_, _, other)| *other == t) {
            Some((_, machines, _)) => machines.push(machine),
            None => {
                // SAFETY: a number only.
                let name = String::from_utf8(string(unsafe { machine_name(machine) }).unwrap()).unwrap();
                syscall_tables.push((format!("SYSCALL_{}", name.to_ascii_uppercase()), vec![machine], t));
            }
        }
    }
    // (identifier, description, table), in the order written.
    let mut others: Vec<(&str, &str, Probed)> = vec![
        ("FIELD", "Rule fields (AUDIT_*)", simple("audit_name_to_field", "audit_field_to_name")),
        ("FLAG", "Rule lists (AUDIT_FILTER_*)", simple("audit_name_to_flag", "audit_flag_to_name")),
        ("ACTION", "Rule actions", simple("audit_name_to_action", "audit_action_to_name")),
        ("MACHINE", "Machines (MACH_*)", simple("audit_name_to_machine", "audit_machine_to_name")),
        ("FTYPE", "File types (S_IF*)", simple("audit_name_to_ftype", "audit_ftype_to_name")),
        ("FSTYPE", "File system magic numbers", simple("audit_name_to_fstype", "audit_fstype_to_name")),
    ];

    // Message types: the lookup also parses numbers, so a name counts only if it names its number.
    let (s, i) = (s2i("audit_name_to_msg_type"), i2s("audit_msg_type_to_name"));
    // SAFETY: a number only.
    let name_of = |n| string(unsafe { i(n) });
    let msg = probe(
        &candidates,
        |c| {
            // SAFETY: a NUL-terminated string.
            found(unsafe { s(c.as_ptr()) })
                .filter(|&n| name_of(n).is_some_and(|s| s.eq_ignore_ascii_case(c.to_bytes())))
        },
        name_of,
        small(),
    );
    others.push(("MSG_TYPE", "Record types (AUDIT_*)", msg));

    // Errno names: 0 means unknown; a leading '-' negates.
    let (s, i) = (s2i("audit_name_to_errno"), i2s("audit_errno_to_name"));
    let errno = probe(
        &candidates,
        // SAFETY: a NUL-terminated string.
        |c| Some(unsafe { s(c.as_ptr()) }).filter(|&n| n > 0 && !c.to_bytes().starts_with(b"-")),
        // SAFETY: a number only.
        |n| string(unsafe { i(n) }),
        small(),
    );
    others.push(("ERRNO", "Errno names", errno));

    let op = i2s("audit_operator_to_symbol");
    // SAFETY: a number only.
    let ops = probe_numbers(|n| string(unsafe { op(n) }), small().chain((0..256).map(|k| k << 24)));
    others.push(("OPERATOR", "Rule operators (symbols only)", ops));

    others.push(("URINGOP", "io_uring operations (upstream's, 4.2 on)", uring_ops()));

    let all = syscall_tables.iter().map(|(_, _, t)| t).chain(others.iter().map(|(_, _, t)| t));
    let names = Names::new(all.flat_map(|t| t.by_name.keys()));
    names.emit(&mut out);
    for (ident, machines, t) in &syscall_tables {
        emit_table(&mut out, &names, ident, &format!("Syscalls of machines {machines:?}"), t, Index::Shared);
    }
    out.push_str("/// The syscall table of a machine (MACH_*).\npub(crate) fn syscall_table(machine: i32) -> Option<&'static Table> {\n    match machine {\n");
    for (ident, machines, _) in &syscall_tables {
        let arms: Vec<String> = machines.iter().map(i32::to_string).collect();
        writeln!(out, "        {} => Some(&{ident}),", arms.join(" | ")).unwrap();
    }
    out.push_str("        _ => None,\n    }\n}\n\n");
    // An array, not a match: number-to-name from C is then two range checks and two loads.
    let by_machine: BTreeMap<i32, &str> = syscall_tables
        .iter()
        .flat_map(|(ident, machines, _)| machines.iter().map(move |&m| (m, ident.as_str())))
        .collect();
    let last = *by_machine.keys().last().unwrap();
    assert!(*by_machine.keys().next().unwrap() >= 0);
    writeln!(out, "/// Each machine's (MACH_*) syscall names by number, from 0 (its table's index); empty for none.")
        .unwrap();
    writeln!(out, "pub(crate) static SYSCALL_BY_NUMBER: [&[Span]; {}] = [", last + 1).unwrap();
    for machine in 0..=last {
        match by_machine.get(&machine) {
            Some(ident) => writeln!(out, "    {ident}_BY_NUMBER,").unwrap(),
            None => out.push_str("    &[],\n"),
        }
    }
    out.push_str("];\n\n");
    for (ident, what, t) in &others {
        emit_table(&mut out, &names, ident, what, t, Index::Inline);
    }

    // SAFETY: prototypes from libaudit.h.
    let (m2e, e2m): (unsafe extern "C" fn(c_int) -> c_uint, unsafe extern "C" fn(c_uint) -> c_int) =
        unsafe { (lib.get("audit_machine_to_elf"), lib.get("audit_elf_to_machine")) };
    out.push_str(
        "/// Machines (MACH_*) and their AUDIT_ARCH_* values.\npub(crate) static MACHINE_ELF: &[(i32, u32)] = &[\n",
    );
    let mut elves = BTreeSet::new();
    for machine in -1000..1000 {
        // SAFETY: a number only.
        let elf = unsafe { m2e(machine) };
        if elf != 0 {
            // SAFETY: a number only.
            assert_eq!(unsafe { e2m(elf) }, machine);
            assert!(elves.insert(elf));
            writeln!(out, "    ({machine}, {elf:#010x}),").unwrap();
        }
    }
    out.push_str("];\n");
    out
}

#[test]
fn data_is_current() {
    let committed = std::fs::read_to_string(output()).unwrap_or_default();
    assert!(
        committed == generate(),
        "linux-audit/src/tables/data.rs is stale: cargo test --test gen_tables -- --ignored"
    );
}

#[test]
#[ignore = "rewrites linux-audit/src/tables/data.rs"]
fn regenerate() {
    std::fs::write(output(), generate()).unwrap();
}
