//! The dynamic symbol table of our libaudit.so.1 against abi/libaudit.symbols and the system's
//! library: nothing exported that is not on the list (no Rust internals), SONAME libaudit.so.1,
//! no symbol versions (3.0.9 has none), functions as FUNC and data objects as OBJECT symbols of
//! the original's size; and a name on the list that nothing defines fails the link.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

const SYSTEM_LIBRARY: &str = "/usr/lib/x86_64-linux-gnu/libaudit.so.1";

fn tool(program: &str, args: &[&str], library: &Path) -> String {
    let out = Command::new(program).args(args).arg(library).output().expect(program);
    assert!(out.status.success(), "{program} {args:?} {}", library.display());
    String::from_utf8(out.stdout).unwrap()
}

/// The ABI list: name -> kind ("func" or "data").
fn abi_list() -> BTreeMap<String, String> {
    fs::read_to_string(common::repo().join("abi/libaudit.symbols"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<_> = l.split_whitespace().collect();
            (f[0].to_string(), f[1].to_string())
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

fn our_library() -> std::path::PathBuf {
    common::ours().join("libaudit.so.1")
}

#[test]
fn exports_only_what_the_abi_list_names() {
    let list = abi_list();
    // nm's view, as the brief of the project states it.
    let nm = tool("nm", &["-D", "--defined-only"], &our_library());
    let exported: Vec<&str> = nm.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
    let unlisted: Vec<_> = exported.iter().filter(|n| !list.contains_key(**n)).collect();
    assert!(unlisted.is_empty(), "exported but not on abi/libaudit.symbols: {unlisted:?}");
    let missing: Vec<_> = list.keys().filter(|n| !exported.contains(&n.as_str())).collect();
    println!("{} of {} listed symbols exported; missing: {missing:?}", exported.len(), list.len());
    assert!(missing.is_empty(), "listed but not exported: {missing:?}");
}

#[test]
fn the_list_is_the_system_librarys_abi_plus_newer_additions() {
    let system = defined_symbols(Path::new(SYSTEM_LIBRARY));
    let listed_309: Vec<_> = fs::read_to_string(common::repo().join("abi/libaudit.symbols"))
        .unwrap()
        .lines()
        .filter(|l| l.ends_with(" 3.0.9"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    let system_names: Vec<_> = system.keys().cloned().collect();
    assert_eq!(listed_309, system_names, "the 3.0.9 entries of the list vs {SYSTEM_LIBRARY}");
}

#[test]
fn soname_and_no_symbol_versions() {
    let dynamic = tool("readelf", &["-d"], &our_library());
    assert!(dynamic.contains("Library soname: [libaudit.so.1]"), "SONAME:\n{dynamic}");
    // Version definitions would tie callers to our version names; 3.0.9 has none.
    assert!(!dynamic.contains("(VERDEF)"), "our library defines symbol versions:\n{dynamic}");
    let versioned: Vec<_> = defined_symbols(&our_library()).into_keys().filter(|n| n.contains('@')).collect();
    assert!(versioned.is_empty(), "versioned exports: {versioned:?}");
}

#[test]
fn functions_and_data_objects_have_the_originals_types_and_sizes() {
    let list = abi_list();
    let system = defined_symbols(Path::new(SYSTEM_LIBRARY));
    let mut wrong = Vec::new();
    for (name, (kind, size)) in defined_symbols(&our_library()) {
        match list.get(&name).map(String::as_str) {
            Some("func") if kind != "FUNC" => wrong.push(format!("{name}: {kind}, not FUNC")),
            Some("data") if kind != "OBJECT" => wrong.push(format!("{name}: {kind}, not OBJECT")),
            Some("data") if Some(size) != system.get(&name).map(|s| s.1) => {
                wrong.push(format!("{name}: {size} bytes, the original's {:?}", system.get(&name)))
            }
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Copies what builds the library (both crates, build.rs, the ABI list) into `dir`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// A name on abi/libaudit.symbols that nothing defines fails the link (build.rs passes
/// --no-undefined-version) instead of leaving the export silently missing.
#[test]
fn the_link_fails_when_a_listed_export_is_undefined() {
    let repo = common::repo();
    let tree = common::work_dir().join("abi-undefined");
    let _ = fs::remove_dir_all(tree.join("src-tree"));
    let src = tree.join("src-tree");
    for dir in ["src", "linux-audit", "abi"] {
        copy_tree(&repo.join(dir), &src.join(dir));
    }
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        fs::copy(repo.join(file), src.join(file)).unwrap();
    }
    let list = src.join("abi/libaudit.symbols");
    let mut text = fs::read_to_string(&list).unwrap();
    text.push_str("audit_never_defined func\n");
    fs::write(&list, text).unwrap();
    // The workspace's bench and test targets are not copied: only the library is built.
    let manifest = fs::read_to_string(src.join("Cargo.toml")).unwrap();
    let sections: Vec<_> = manifest.split("\n\n").filter(|s| !s.starts_with("[[")).collect();
    fs::write(src.join("Cargo.toml"), sections.join("\n\n")).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--lib", "-p", "libaudit-rs", "--target-dir"])
        .arg(tree.join("target"))
        .current_dir(&src)
        .output()
        .expect("cargo build");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "linked with an undefined export");
    assert!(stderr.contains("audit_never_defined"), "failed for another reason:\n{stderr}");
}
