//! The dynamic symbol table of our libaudit.so.1, for every release line, against abi/exports
//! (the one list of each line's exports) and against that line's original (`nm -D` of the
//! oracle build, scripts/oracle; a line without one is skipped with a message): exactly the
//! line's names exported (no Rust internals, nothing of another line), functions as FUNC and
//! data objects as OBJECT symbols of the listed size, SONAME libaudit.so.1, no symbol versions
//! (no line has any). A name on the list that nothing defines, or a `no_mangle` definition the
//! list lacks, shows here as missing or unlisted on every line it concerns.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use linux_audit::Line;

const SYSTEM_LIBRARY: &str = "/usr/lib/x86_64-linux-gnu/libaudit.so.1";

fn tool(program: &str, args: &[&str], library: &Path) -> String {
    let out = Command::new(program).args(args).arg(library).output().expect(program);
    assert!(out.status.success(), "{program} {args:?} {}", library.display());
    String::from_utf8(out.stdout).unwrap()
}

/// An export as abi/exports lists it.
#[derive(Debug, PartialEq)]
struct Export {
    /// FUNC or OBJECT, as readelf says.
    kind: &'static str,
    /// A data object's size in bytes.
    size: Option<u64>,
}

/// abi/exports for `line`: name -> kind and size.
fn listed(line: Line) -> BTreeMap<String, Export> {
    fs::read_to_string(common::repo().join("abi/exports"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<_> = l.split_whitespace().collect();
            let kind = match f[1] {
                "func" => "FUNC",
                "data" => "OBJECT",
                other => panic!("abi/exports: kind {other} of {}", f[0]),
            };
            for version in &f[3..] {
                version.parse::<Line>().unwrap_or_else(|e| panic!("abi/exports: {}: {e}", f[0]));
            }
            f[3..].contains(&line.version()).then(|| (f[0].to_string(), Export { kind, size: f[2].parse().ok() }))
        })
        .collect()
}

/// Defined dynamic symbols as readelf shows them: name (with any @version) -> (type, size).
fn defined_symbols(library: &Path) -> BTreeMap<String, (String, u64)> {
    tool("readelf", &["-W", "--dyn-syms"], library)
        .lines()
        .filter_map(|l| {
            // Num: Value Size Type Bind Vis Ndx Name
            let f: Vec<_> = l.split_whitespace().collect();
            (f.len() >= 8 && f[0].ends_with(':') && f[6] != "UND" && f[6] != "Ndx")
                .then(|| (f[7].to_string(), (f[3].to_string(), f[2].parse().unwrap_or(u64::MAX))))
        })
        .collect()
}

/// nm's view, as the brief of the project states it: the defined names.
fn nm_names(library: &Path) -> Vec<String> {
    tool("nm", &["-D", "--defined-only"], library)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .map(String::from)
        .collect()
}

/// Our library built for `line` (common::ours_for: once per test process, since the tests run in
/// parallel and one must not restage the file while another runs a program on it).
fn ours_for(line: Line) -> PathBuf {
    common::ours_for(line).to_path_buf()
}

/// The line's original (common::oracle: scripts/oracle), or None (no source here).
fn oracle(line: Line) -> Option<PathBuf> {
    common::oracle(line).map(Path::to_path_buf)
}

/// What is wrong with `library` as the `line` line's libaudit.so.1 (empty: nothing).
fn problems(line: Line, library: &Path) -> Vec<String> {
    let list = listed(line);
    let mut wrong = Vec::new();
    let names = nm_names(library);
    for name in names.iter().filter(|n| !list.contains_key(*n)) {
        wrong.push(format!("{name}: exported but not listed for {line} in abi/exports"));
    }
    for name in list.keys().filter(|n| !names.contains(n)) {
        wrong.push(format!("{name}: listed for {line} but not exported"));
    }
    for (name, (kind, size)) in defined_symbols(library) {
        if name.contains('@') {
            wrong.push(format!("{name}: a versioned export"));
        }
        if let Some(export) = list.get(&name) {
            if export.kind != kind {
                wrong.push(format!("{name}: {kind}, not {}", export.kind));
            }
            if export.size.is_some_and(|s| s != size) {
                wrong.push(format!("{name}: {size} bytes, listed as {:?}", export.size));
            }
        }
    }
    let dynamic = tool("readelf", &["-d"], library);
    if !dynamic.contains("Library soname: [libaudit.so.1]") {
        wrong.push(format!("SONAME:\n{dynamic}"));
    }
    // Version definitions would tie callers to our version names; no line has any.
    if dynamic.contains("(VERDEF)") {
        wrong.push(format!("defines symbol versions:\n{dynamic}"));
    }
    wrong
}

/// The default build (the line of the installed libaudit, 3.0.9 here) is that line's library.
#[test]
fn the_default_build_exports_its_lines_abi() {
    let library = common::ours().join("libaudit.so.1");
    // As build.rs chooses: LIBAUDIT_COMPAT, else the installed libaudit's line, else the newest.
    let line = match std::env::var("LIBAUDIT_COMPAT") {
        Ok(wanted) => wanted.parse().unwrap(),
        Err(_) => Line::at_or_below(&installed_version()).unwrap_or(Line::NEWEST),
    };
    let wrong = problems(line, &library);
    assert!(wrong.is_empty(), "the default build ({line}):\n{}", wrong.join("\n"));
    println!("default build: the {line} line, {} exports as listed", listed(line).len());
}

fn installed_version() -> String {
    let out = Command::new("pkg-config").args(["--modversion", "audit"]).output().expect("pkg-config");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Every line's build against abi/exports, and abi/exports against the line's original.
#[test]
fn every_line_exports_exactly_its_originals_abi() {
    let mut wrong = Vec::new();
    for line in Line::ALL {
        let ours = ours_for(line).join("libaudit.so.1");
        let mine = problems(line, &ours);
        wrong.extend(mine.iter().map(|p| format!("ours {line}: {p}")));
        let Some(original) = oracle(line).map(|o| o.join("lib/libaudit.so.1")) else {
            println!("SKIPPED the {line} line's original: scripts/oracle {line} has no source for it");
            continue;
        };
        let theirs = problems(line, &original);
        wrong.extend(theirs.iter().map(|p| format!("original {line}: {p}")));
        let (a, b) = (nm_names(&ours), nm_names(&original));
        if a != b {
            wrong.push(format!("{line}: nm -D names differ:\n  ours {a:?}\n  original {b:?}"));
        }
        println!(
            "{line}: {} exports ({} functions, {} data), ours = abi/exports = the original's nm -D",
            a.len(),
            listed(line).values().filter(|e| e.kind == "FUNC").count(),
            listed(line).values().filter(|e| e.kind == "OBJECT").count(),
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// abi/exports' 3.0.9 line is the system's library (Debian 12's), name for name, kind and size.
#[test]
fn the_309_line_is_the_system_librarys_abi() {
    let system = defined_symbols(Path::new(SYSTEM_LIBRARY));
    let listed: BTreeMap<_, _> = listed(Line::V3_0_9).into_iter().map(|(n, e)| (n, e.kind.to_string())).collect();
    let system: BTreeMap<_, _> = system.into_iter().map(|(n, (kind, _))| (n, kind)).collect();
    assert_eq!(listed, system, "the 3.0.9 entries of abi/exports vs {SYSTEM_LIBRARY}");
    let wrong = problems(Line::V3_0_9, Path::new(SYSTEM_LIBRARY));
    assert!(wrong.is_empty(), "{SYSTEM_LIBRARY}:\n{}", wrong.join("\n"));
}

/// _audit_parse_syscall (4.0.2 on; 4.x auditctl's -S): c-tests/rules_parse_syscall.c, compiled
/// against each such line's header, prints the same on the line's original and on ours.
#[test]
fn parse_syscall_is_the_originals() {
    let mut differ = Vec::new();
    for line in Line::ALL.into_iter().filter(|&l| l >= Line::V4_0_2) {
        let Some(original) = oracle(line) else {
            println!("SKIPPED the {line} line: scripts/oracle {line} has no source for it");
            continue;
        };
        let c = common::repo().join("c-tests");
        let exe = common::work_dir().join(format!("rules_parse_syscall-{line}"));
        let out = Command::new("cc")
            .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I"])
            .arg(original.join("include"))
            .arg(c.join("rules_parse_syscall.c"))
            .arg(c.join("harness.c"))
            .arg("-L")
            .arg(original.join("lib"))
            .args(["-laudit", "-ldl", "-o"])
            .arg(&exe)
            .output()
            .expect("cc");
        assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
        let run = |library: &Path| {
            let out = Command::new(&exe)
                .env("LD_LIBRARY_PATH", format!("{}:{}", library.display(), original.join("lib").display()))
                .output()
                .expect("rules_parse_syscall");
            assert!(out.status.success(), "{line} on {}: {out:?}", library.display());
            // The harness names the library the loader gave it: the one under test, not the
            // oracle's behind it on the path.
            let loaded = format!("harness: libaudit from {}/libaudit.so.1", library.display());
            assert!(String::from_utf8_lossy(&out.stderr).contains(&loaded), "{line}: not {loaded}: {out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        let (theirs, ours) = (run(&original.join("lib")), run(&ours_for(line)));
        assert!(theirs.lines().count() > 150, "{line}: too little output:\n{theirs}");
        if theirs == ours {
            println!("{line}: _audit_parse_syscall: {} lines of output identical", theirs.lines().count());
        } else {
            let first = theirs.lines().zip(ours.lines()).find(|(a, b)| a != b);
            differ.push(format!("{line}: first difference {first:?}"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
