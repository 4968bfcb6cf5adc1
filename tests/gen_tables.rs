//! Generates linux-audit/src/tables/lines/<line>.rs, the lookup tables of each release line,
//! from that line's own libaudit.so.1 (the oracle of `scripts/oracle <line>`), probed through
//! dlopen: every string stored in the library's file is offered to each name-to-number function
//! (every name a lookup accepts is stored there, since the original compares against its own
//! string tables), then every number found, plus wide sweeps, to each number-to-name function.
//!
//! Per line, all names go into one blob of NUL-terminated strings (a name that ends another
//! shares its bytes); each table holds spans of it (offset | length << 16), by name and by number,
//! and places its names in an open-addressed hash table by the crate's own `name_hash`.
//!
//! `cargo test --test gen_tables -- --ignored` rewrites the files of every line whose oracle is
//! available; `data_is_current_<line>` (part of the ordinary `cargo test`) fails when the committed
//! file is not what that line's library gives, and is skipped (with a message) when
//! `scripts/oracle` cannot provide the line (exit status 77). Being a test, it builds the crate
//! first: after changing `Table`'s or `Set`'s fields, patch the files by hand once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::{CStr, CString, c_char, c_int, c_uint, c_void};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use linux_audit::Line;

/// Longer names are rejected without a search (linux-audit/src/tables/mod.rs folds into a buffer this big).
const NAME_MAX: usize = 64;

/// The file of a line's tables: lines/v4_2_1.rs for 4.2.1.
fn output(line: Line) -> PathBuf {
    let file = format!("v{}.rs", line.version().replace('.', "_"));
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("linux-audit/src/tables/lines").join(file)
}

/// The line's oracle library, or None (with the reason printed) when `scripts/oracle` cannot
/// provide the line.
fn oracle_library(line: Line) -> Option<PathBuf> {
    let repo = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(Path::new(repo).join("scripts/oracle")).arg(line.version()).output().unwrap();
    if out.status.code() == Some(77) {
        eprintln!("line {line} skipped: no oracle ({})", String::from_utf8_lossy(&out.stderr).trim());
        return None;
    }
    assert!(out.status.success(), "scripts/oracle {line}: {}", String::from_utf8_lossy(&out.stderr));
    let dir = String::from_utf8(out.stdout).unwrap();
    Some(Path::new(dir.trim()).join("lib/libaudit.so.1"))
}

struct Library(*mut c_void);

impl Library {
    /// Each line's library is a different file, so each is loaded apart (RTLD_LOCAL: its own
    /// internal calls bind to itself).
    fn open(path: &Path) -> Library {
        let c = CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: dlopen of an oracle's libaudit.so.1 with a valid path.
        let handle = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        assert!(!handle.is_null(), "dlopen {}", path.display());
        Library(handle)
    }

    /// # Safety
    /// `F` is the function pointer type matching the symbol's C prototype.
    unsafe fn find<F: Copy>(&self, name: &str) -> Option<F> {
        let c = CString::new(name).unwrap();
        // SAFETY: valid handle and name.
        let p = unsafe { libc::dlsym(self.0, c.as_ptr()) };
        // SAFETY: per the contract, F is a function pointer of the symbol's type.
        (!p.is_null()).then(|| unsafe { std::mem::transmute_copy(&p) })
    }

    /// # Safety
    /// As `find`.
    unsafe fn get<F: Copy>(&self, name: &str) -> F {
        // SAFETY: per the contract.
        unsafe { self.find(name) }.unwrap_or_else(|| panic!("{name} missing"))
    }
}

type S2i = unsafe extern "C" fn(*const c_char) -> c_int;
type I2s = unsafe extern "C" fn(c_int) -> *const c_char;

fn string(p: *const c_char) -> Option<Vec<u8>> {
    // SAFETY: the library returns NULL or a pointer to a static string.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes().to_vec())
}

/// Every NUL-terminated run of printable ASCII in the library's file, with all its suffixes.
fn candidates(library: &Path) -> Vec<CString> {
    let image = std::fs::read(library).unwrap();
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
        write!(out, "static NAMES: [u8; {}] = *b\"", self.text.len()).unwrap();
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
    writeln!(out, "static {ident}: Table = Table {{\n    text: &NAMES,\n    fold: Fold::{:?},\n    names: &[", t.fold)
        .unwrap();
    for chunk in t.by_name.iter().collect::<Vec<_>>().chunks(8) {
        let line: Vec<String> = chunk.iter().map(|(s, n)| format!("({}, {n})", names.span(s))).collect();
        writeln!(out, "        {},", line.join(", ")).unwrap();
    }
    if t.by_name.is_empty() {
        // No names, no slots: the lookup answers None without hashing.
        assert!(index == Index::Inline);
        out.push_str("    ],\n    slots: &[],\n    by_number: ByNumber::Sorted(&[]),\n};\n\n");
        return;
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

/// The tables of one line, from its library: the text of lines/<line>.rs.
fn generate(line: Line, library: &Path) -> String {
    let lib = Library::open(library);
    let candidates = candidates(library);
    // SAFETY: each type matches the prototype in libaudit.h.
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

    let simple = |s: S2i, i: I2s| {
        // SAFETY: the lookups take a NUL-terminated string or a number.
        probe(&candidates, |c| found(unsafe { s(c.as_ptr()) }), |n| string(unsafe { i(n) }), small())
    };
    let mut out = format!(
        "//! Generated by tests/gen_tables.rs from {line}'s libaudit.so.1 (`scripts/oracle {line}`): do not edit.\n\
         //! `cargo test --test gen_tables -- --ignored` regenerates it.\n\n\
         use super::super::{{ByNumber, Fold, Span, Table, Tables}};\n\
         use crate::Line;\n\n"
    );

    // io_uring operations: 3.1 on; none before.
    // SAFETY: the prototypes of libaudit.h (3.1 on).
    let uring: Option<(S2i, I2s)> = unsafe { lib.find("audit_name_to_uringop").zip(lib.find("audit_uringop_to_name")) };
    let uringop = match uring {
        Some((s, i)) => simple(s, i),
        None => Probed { fold: Fold::Lower, by_name: BTreeMap::new(), by_number: BTreeMap::new() },
    };

    // Syscalls: one table per distinct answer; several machines share one (the ppc family). A
    // machine answered by the io_uring operations (MACH_IO_URING, 3.1 on) is that table.
    let machine_name = i2s("audit_machine_to_name");
    let mut syscall_tables: Vec<(String, Vec<i32>, Probed)> = Vec::new();
    let mut uring_machines = Vec::new();
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
        if t == uringop {
            uring_machines.push(machine);
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
    let named = |s: &str, i: &str| simple(s2i(s), i2s(i));
    let mut others: Vec<(&str, &str, Probed)> = vec![
        ("FIELD", "Rule fields (AUDIT_*)", named("audit_name_to_field", "audit_field_to_name")),
        ("FLAG", "Rule lists (AUDIT_FILTER_*)", named("audit_name_to_flag", "audit_flag_to_name")),
        ("ACTION", "Rule actions", named("audit_name_to_action", "audit_action_to_name")),
        ("MACHINE", "Machines (MACH_*)", named("audit_name_to_machine", "audit_machine_to_name")),
        ("FTYPE", "File types (S_IF*)", named("audit_name_to_ftype", "audit_ftype_to_name")),
        ("FSTYPE", "File system magic numbers", named("audit_name_to_fstype", "audit_fstype_to_name")),
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

    // Errno names: 0 means unknown; a leading '-' negates. From 4.0 a negative number is named
    // as its absolute value: a flag of the set, not entries.
    let (s, i) = (s2i("audit_name_to_errno"), i2s("audit_errno_to_name"));
    // SAFETY: a number only.
    let errno_name = |n| string(unsafe { i(n) });
    let errno = probe(
        &candidates,
        // SAFETY: a NUL-terminated string.
        |c| Some(unsafe { s(c.as_ptr()) }).filter(|&n| n > 0 && !c.to_bytes().starts_with(b"-")),
        errno_name,
        0..70000,
    );
    let negative_errnos = errno_name(-1).is_some();
    for n in 1..70000 {
        let mirrored = if negative_errnos { errno_name(n) } else { None };
        assert_eq!(errno_name(-n), mirrored, "errno -{n}");
    }
    others.push(("ERRNO", "Errno names", errno));

    let op = i2s("audit_operator_to_symbol");
    // SAFETY: a number only.
    let ops = probe_numbers(|n| string(unsafe { op(n) }), small().chain((0..256).map(|k| k << 24)));
    others.push(("OPERATOR", "Rule operators (symbols only)", ops));

    let all = syscall_tables.iter().map(|(_, _, t)| t).chain(others.iter().map(|(_, _, t)| t)).chain([&uringop]);
    let names = Names::new(all.flat_map(|t| t.by_name.keys()));

    // Each machine's table (MACH_*), from 0.
    let mut by_machine: BTreeMap<i32, &str> = syscall_tables
        .iter()
        .flat_map(|(ident, machines, _)| machines.iter().map(move |&m| (m, ident.as_str())))
        .collect();
    by_machine.extend(uring_machines.iter().map(|&m| (m, "URINGOP")));
    let last = *by_machine.keys().last().unwrap();
    assert!(*by_machine.keys().next().unwrap() >= 0);

    // SAFETY: prototypes from libaudit.h.
    let (m2e, e2m): (unsafe extern "C" fn(c_int) -> c_uint, unsafe extern "C" fn(c_uint) -> c_int) =
        unsafe { (lib.get("audit_machine_to_elf"), lib.get("audit_elf_to_machine")) };
    let mut elves = BTreeSet::new();
    let mut machine_elf = String::new();
    for machine in -1000..1000 {
        // SAFETY: a number only.
        let elf = unsafe { m2e(machine) };
        if elf != 0 {
            // SAFETY: a number only.
            assert_eq!(unsafe { e2m(elf) }, machine);
            assert!(elves.insert(elf));
            writeln!(machine_elf, "        ({machine}, {elf:#010x}),").unwrap();
        }
    }

    writeln!(out, "/// Release line {line}'s tables.\npub(crate) static SET: Tables = Tables {{\n    text: &NAMES,")
        .unwrap();
    out.push_str("    syscalls: &[\n");
    for machine in 0..=last {
        match by_machine.get(&machine) {
            Some(ident) => writeln!(out, "        Some(&{ident}),").unwrap(),
            None => out.push_str("        None,\n"),
        }
    }
    // An array of indexes: number-to-name from C is then two range checks and two loads.
    out.push_str("    ],\n    syscall_by_number: &[\n");
    for machine in 0..=last {
        match by_machine.get(&machine) {
            Some(ident) => writeln!(out, "        {ident}_BY_NUMBER,").unwrap(),
            None => out.push_str("        &[],\n"),
        }
    }
    out.push_str("    ],\n");
    for (ident, _, _) in &others {
        writeln!(out, "    {}: &{ident},", ident.to_ascii_lowercase()).unwrap();
    }
    writeln!(out, "    uringop: &URINGOP,\n    machine_elf: &[\n{machine_elf}    ],").unwrap();
    let variant = format!("V{}", line.version().replace('.', "_"));
    writeln!(out, "    line: Line::{variant},\n    negative_errnos: {negative_errnos},\n}};\n").unwrap();

    names.emit(&mut out);
    for (ident, machines, t) in &syscall_tables {
        emit_table(&mut out, &names, ident, &format!("Syscalls of machines {machines:?}"), t, Index::Shared);
    }
    for (ident, what, t) in &others {
        emit_table(&mut out, &names, ident, what, t, Index::Inline);
    }
    let what = match uring_machines.as_slice() {
        [] => "io_uring operations".to_owned(),
        machines => format!("io_uring operations (also the syscalls of machines {machines:?})"),
    };
    let index = if uring_machines.is_empty() { Index::Inline } else { Index::Shared };
    emit_table(&mut out, &names, "URINGOP", &what, &uringop, index);
    out
}

/// Checks that a line's committed tables are what its library gives; skipped without an oracle.
fn check_current(line: Line) {
    let Some(library) = oracle_library(line) else {
        return;
    };
    let committed = std::fs::read_to_string(output(line)).unwrap_or_default();
    assert!(
        committed == generate(line, &library),
        "{} is stale: cargo test --test gen_tables -- --ignored",
        output(line).display()
    );
}

#[test]
fn data_is_current_3_0_9() {
    check_current(Line::V3_0_9);
}

#[test]
fn data_is_current_3_1_2() {
    check_current(Line::V3_1_2);
}

#[test]
fn data_is_current_4_0_2() {
    check_current(Line::V4_0_2);
}

#[test]
fn data_is_current_4_1_2() {
    check_current(Line::V4_1_2);
}

#[test]
fn data_is_current_4_2_1() {
    check_current(Line::V4_2_1);
}

#[test]
#[ignore = "rewrites linux-audit/src/tables/lines/*.rs"]
fn regenerate() {
    for line in Line::ALL {
        if let Some(library) = oracle_library(line) {
            std::fs::write(output(line), generate(line, &library)).unwrap();
        }
    }
}
