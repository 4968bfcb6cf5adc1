//! include/<line>/: the headers each release line installs (libaudit.h; from 4.0.2 also
//! audit_logging.h and audit-records.h), generated from what cbindgen writes from src/
//! (cbindgen.toml) and the line's differences cbindgen cannot write, committed, and checked
//! against that line's original headers (scripts/oracle): every macro and value, every
//! prototype file by file, and compiling as C89, C11, C17 and C++.
//!
//! `REGENERATE_HEADER=1 cargo test --test header` rewrites every line's headers instead.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use linux_audit::Line;

const REGENERATE: &str = "REGENERATE_HEADER=1 cargo test --test header";

/// A C face source as cbindgen must read it: each `export! { ... }` (src/lib.rs) written out as
/// the function the macro makes. cbindgen does not expand macros; the signature, documentation
/// and `#[unsafe(no_mangle)]` are what the header is made of, and the macro keeps the first two
/// as they are written.
fn exports_expanded(source: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in source.lines() {
        let line = match line {
            "export! {" => {
                inside = true;
                continue;
            }
            "}" if inside => {
                inside = false;
                continue;
            }
            _ if !inside => line.to_string(),
            _ => {
                let line = line.strip_prefix("    ").unwrap_or(line);
                if line.starts_with("#[on_panic(") {
                    "#[unsafe(no_mangle)]".to_string()
                } else if let Some(rest) = line.strip_prefix("pub unsafe fn ") {
                    format!("pub unsafe extern \"C\" fn {rest}")
                } else if let Some(rest) = line.strip_prefix("pub fn ") {
                    format!("pub extern \"C\" fn {rest}")
                } else {
                    line.to_string()
                }
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The C face's sources, with its exports expanded, where cbindgen reads them.
fn expanded_sources() -> PathBuf {
    let dir = common::work_dir().join("header").join(format!("src-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    for entry in fs::read_dir(common::repo().join("src")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = fs::read_to_string(&path).unwrap();
            fs::write(dir.join(path.file_name().unwrap()), exports_expanded(&source)).unwrap();
        }
    }
    dir
}

/// What cbindgen writes from src/: every declaration of every line, one file.
fn cbindgen_output() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let config = cbindgen::Config::from_file(common::repo().join("cbindgen.toml")).expect("cbindgen.toml");
        let bindings = cbindgen::Builder::new()
            .with_config(config)
            .with_src(expanded_sources().join("lib.rs"))
            .generate()
            .expect("cbindgen");
        let mut out = Vec::new();
        bindings.write(&mut out);
        String::from_utf8(out).unwrap()
    })
}

/// The headers each line installs (4.0 split libaudit.h into three; libaudit.h includes the
/// other two).
fn header_files(line: Line) -> &'static [&'static str] {
    if line >= Line::V4_0_2 { &["libaudit.h", "audit_logging.h", "audit-records.h"] } else { &["libaudit.h"] }
}

/// Where a line's headers are committed.
fn include_dir(line: Line) -> PathBuf {
    common::repo().join("include").join(line.version())
}

/// The functions 4.x declares in audit_logging.h rather than libaudit.h.
const LOGGING: &[&str] = &[
    "audit_open",
    "audit_close",
    "audit_value_needs_encoding",
    "audit_encode_value",
    "audit_encode_nv_string",
    "audit_log_user_message",
    "audit_log_user_comm_message",
    "audit_log_acct_message",
    "audit_log_user_avc_message",
    "audit_log_semanage_message",
    "audit_log_user_command",
];

/// The attributes a line's header puts after a prototype's parameters (cbindgen cannot).
fn attributes(line: Line, function: &str) -> &'static str {
    let before_421 = line < Line::V4_2_1;
    match function {
        _ if line < Line::V4_0_2 => "",
        "audit_open"
        | "audit_get_reply"
        | "audit_setloginuid"
        | "audit_set_pid"
        | "audit_set_enabled"
        | "audit_set_failure"
        | "audit_set_feature"
        | "audit_set_loginuid_immutable"
        | "audit_log_user_message"
        | "audit_log_user_comm_message"
        | "audit_log_acct_message"
        | "audit_log_user_command" => " __wur",
        "audit_format_signal_info" => " __attr_access ((__write_only__, 1, 2))",
        "audit_value_needs_encoding" if before_421 => " __attr_access ((__read_only__, 1, 2)) __wur",
        "audit_value_needs_encoding" => " __attr_access ((__read_only__, 1)) __wur",
        "audit_encode_value" if before_421 => {
            " __attr_access ((__write_only__, 1)) __attr_access ((__read_only__, 2, 3))"
        }
        "audit_encode_value" => " __attr_access ((__write_only__, 1)) __attr_access ((__read_only__, 2))",
        "audit_encode_nv_string" if before_421 => " __attr_access ((__read_only__, 2, 3)) __attr_dealloc_free",
        "audit_encode_nv_string" => " __attr_access ((__read_only__, 2)) __attr_dealloc_free",
        "audit_rule_create_data" if line >= Line::V4_1_2 => {
            " __attribute_malloc__ __attr_dealloc (audit_rule_free_data, 1)"
        }
        _ => "",
    }
}

/// Parameters a line's header types differently from ours (the same ABI: pointers).
fn retyped(line: Line, function: &str) -> Option<(&'static str, &'static str)> {
    match function {
        "audit_format_signal_info" if line >= Line::V4_0_2 => Some((
            "char *op, struct audit_reply *rep, char *res",
            "const char *op, const struct audit_reply *rep, const char *res",
        )),
        "audit_rule_fieldpair_data" | "audit_rule_interfield_comp_data" if line >= Line::V4_1_2 => {
            Some(("const char *pair", "char *pair"))
        }
        _ => None,
    }
}

/// The functions a line's headers declare: its exports (abi/exports) that cbindgen writes,
/// but set_aumessage_mode from 4.1.2 on (still exported, no longer declared).
fn declared(line: Line, function: &str) -> bool {
    let exports = fs::read_to_string(common::repo().join("abi/exports")).unwrap();
    let listed = exports
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .any(|f| f.first() == Some(&function) && f[3..].contains(&line.version()));
    listed && !(function == "set_aumessage_mode" && line >= Line::V4_1_2)
}

/// The function a block of cbindgen's output declares, if it is a prototype.
fn prototype_name(block: &str) -> Option<&str> {
    let decl = block.lines().last()?;
    (!decl.starts_with(['#', '/']) && decl.ends_with(");"))
        .then(|| decl.split('(').next().unwrap().rsplit([' ', '*']).next().unwrap())
}

/// The fallbacks of the attribute macros 4.x's headers use (glibc's sys/cdefs.h defines them).
const ATTRIBUTE_FALLBACKS: &str = "#ifndef __attr_access\n# define __attr_access(x)\n#endif\n#ifndef __wur\n# define __wur\n#endif\n#ifndef __attr_dealloc\n# define __attr_dealloc(dealloc, argno)\n#endif\n#ifndef __attr_dealloc_free\n# define __attr_dealloc_free\n#endif\n#ifndef __attribute_malloc__\n# define __attribute_malloc__\n#endif\n";

/// A line's headers, (file name, text) each: cbindgen's output cut to what the line declares,
/// with what cbindgen cannot write (the line's enums, attributes, retyped parameters), and for
/// 4.x split as upstream splits it: the record types in audit-records.h, the logging
/// functions in audit_logging.h.
fn generate(line: Line) -> Vec<(&'static str, String)> {
    let v = line.version();
    let mut text = cbindgen_output().replace(
        "/* libaudit.h: the C API of libaudit-rs, a drop-in replacement for libaudit.so.1.",
        &format!("/* libaudit.h: the C API of libaudit-rs, a drop-in replacement for libaudit.so.1, the {v} line."),
    );
    let mut machines = String::from("\tMACH_PPC64LE");
    if line >= Line::V3_1_2 {
        machines.push_str(",\n\tMACH_IO_URING");
    }
    if line >= Line::V4_1_2 {
        machines.push_str(",\n\tMACH_RISCV32,\n\tMACH_RISCV64");
        for gone in [
            "typedef enum { MSG_STDERR, MSG_SYSLOG, MSG_QUIET } message_t;\n",
            "typedef enum { DBG_NO, DBG_YES } debug_message_t;\n",
        ] {
            assert!(text.contains(gone), "cbindgen.toml no longer writes {gone}");
            text = text.replacen(gone, "", 1);
        }
    }
    text = text.replacen("\tMACH_PPC64LE\n} machine_t;", &format!("{machines}\n}} machine_t;"), 1);
    if line >= Line::V4_0_2 {
        // audit-records.h, included first, defines it (as the kernel does): 4.x does not undo it.
        text = text.replacen("#undef AUDIT_FEATURE_CHANGE\n\n", "", 1);
        text = text.replacen(
            "#include <syslog.h>\n",
            &format!("#include <syslog.h>\n{ATTRIBUTE_FALLBACKS}#include <audit_logging.h>\n"),
            1,
        );
    }

    let (mut main, mut logging, mut records) = (Vec::new(), Vec::new(), Vec::new());
    let mut in_records = false;
    for block in text.split("\n\n") {
        let Some(name) = prototype_name(block) else {
            in_records |= line >= Line::V4_0_2 && block.contains("#define AUDIT_FIRST_USER_MSG ");
            if in_records {
                records.push(block.to_string());
                in_records = !block.contains("#define AUDIT_ANOM_CREAT ");
            } else {
                main.push(block.to_string());
            }
            continue;
        };
        if !declared(line, name) {
            continue;
        }
        let mut block = block.to_string();
        if let Some((ours, theirs)) = retyped(line, name) {
            assert!(block.contains(ours), "{name}: cbindgen no longer writes {ours:?}");
            block = block.replacen(ours, theirs, 1);
        }
        let attributes = attributes(line, name);
        block = format!("{}){attributes};", block.strip_suffix(");").unwrap());
        if line >= Line::V4_0_2 && LOGGING.contains(&name) { logging.push(block) } else { main.push(block) }
    }
    // __attr_dealloc names the deallocator, which must be declared first.
    if line >= Line::V4_1_2 {
        let at = |blocks: &[String], name| blocks.iter().position(|b| prototype_name(b) == Some(name)).unwrap();
        let free = main.remove(at(&main, "audit_rule_free_data"));
        main.insert(at(&main, "audit_rule_create_data"), free);
    }
    let mut files = vec![("libaudit.h", main.join("\n\n"))];
    if line >= Line::V4_0_2 {
        let note = |file: &str, what: &str| {
            format!(
                "/* {file}: {what} of libaudit-rs, the {v} line (audit 4.0 and later install it beside\n * libaudit.h).\n *\n * Generated from cbindgen's output for src/ by tests/header.rs: do not edit. To regenerate:\n *     {REGENERATE}\n */\n"
            )
        };
        // 4.0.2's does not include <sys/types.h> (for uid_t): included alone it needs it first.
        let types = if line >= Line::V4_1_2 { "#include <sys/types.h>\n" } else { "" };
        files.push((
            "audit_logging.h",
            format!(
                "{}#ifndef _AUDIT_LOGGING_H\n#define _AUDIT_LOGGING_H\n\n#include <features.h>\n{types}#include <audit-records.h>\n\n{ATTRIBUTE_FALLBACKS}\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n\n{}\n\n#ifdef __cplusplus\n}}\n#endif\n\n#endif /* _AUDIT_LOGGING_H */\n",
                note("audit_logging.h", "the logging functions"),
                logging.join("\n\n")
            ),
        ));
        files.push((
            "audit-records.h",
            format!(
                "{}#ifndef _AUDIT_RECORDS_H\n#define _AUDIT_RECORDS_H\n\n#include <linux/audit.h>\n\n{}\n\n#endif /* _AUDIT_RECORDS_H */\n",
                note("audit-records.h", "the record types"),
                records.join("\n\n")
            ),
        ));
    }
    assert_eq!(files.iter().map(|f| f.0).collect::<Vec<_>>(), header_files(line));
    files
}

#[test]
fn committed_headers_are_what_cbindgen_writes() {
    let regenerate = std::env::var_os("REGENERATE_HEADER").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for line in Line::ALL {
        let dir = include_dir(line);
        for (file, fresh) in generate(line) {
            let path = dir.join(file);
            if regenerate {
                // Renamed into place: the other tests of this file may be reading it.
                fs::create_dir_all(&dir).unwrap();
                let tmp = path.with_extension("h.new");
                fs::write(&tmp, &fresh).unwrap();
                fs::rename(&tmp, &path).unwrap();
                continue;
            }
            let committed = fs::read_to_string(&path).unwrap_or_default();
            if committed != fresh {
                let first = committed.lines().zip(fresh.lines()).position(|(a, b)| a != b);
                let at = first.unwrap_or(committed.lines().count().min(fresh.lines().count()));
                stale.push(format!(
                    "include/{line}/{file} (first difference at line {}:\n  committed: {}\n  generated: {}\n)",
                    at + 1,
                    committed.lines().nth(at).unwrap_or("<end>"),
                    fresh.lines().nth(at).unwrap_or("<end>"),
                ));
            }
        }
        // Nothing else in the line's directory: it is what the line installs.
        let present: BTreeSet<String> =
            fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        let wanted: BTreeSet<String> = header_files(line).iter().map(|f| f.to_string()).collect();
        assert_eq!(present, wanted, "include/{line}/");
    }
    assert!(
        stale.is_empty(),
        "not what cbindgen writes from src/:\n{}\nRegenerate them with:\n    {REGENERATE}",
        stale.join("\n")
    );
}

/// The line's original headers: its oracle's include/ (scripts/oracle); for 3.0.9 without one,
/// the system's (Debian 12's libaudit-dev, the same header). None: no source here, skip.
fn real_include(line: Line) -> Option<PathBuf> {
    let out = Command::new(common::repo().join("scripts/oracle"))
        .arg(line.version())
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("scripts/oracle");
    match out.status.code() {
        Some(0) => Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("include")),
        Some(77) if line == Line::V3_0_9 => Some("/usr/include".into()),
        Some(77) => {
            println!("SKIPPED the {line} line: scripts/oracle {line} has no source for it");
            None
        }
        _ => panic!("scripts/oracle {line} failed: {}", out.status),
    }
}

/// Every line whose original headers are here: (line, ours, theirs).
fn lines() -> Vec<(Line, PathBuf, PathBuf)> {
    Line::ALL.into_iter().filter_map(|line| real_include(line).map(|real| (line, include_dir(line), real))).collect()
}

/// A fresh path in target/it/header for a file a test writes (the tests run in parallel).
fn scratch(suffix: &str) -> PathBuf {
    static FILES: AtomicUsize = AtomicUsize::new(0);
    let dir = common::work_dir().join("header");
    fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}-{}{suffix}", std::process::id(), FILES.fetch_add(1, Ordering::Relaxed)))
}

/// Runs the C compiler on `source` with `include` first on the path.
fn cc(args: &[&str], source: &str, include: &Path) -> std::process::Output {
    let file = scratch(".c");
    fs::write(&file, source).unwrap();
    let out = Command::new("cc").arg("-I").arg(include).args(args).arg(&file).output().expect("cc");
    assert!(out.status.success(), "cc {args:?} {} failed:\n{}", file.display(), String::from_utf8_lossy(&out.stderr));
    out
}

/// Every macro defined after `#include <file>`: name -> "(params) body" or " body".
fn macros(file: &str, include: &Path) -> BTreeMap<String, String> {
    let out = cc(&["-dM", "-E"], &format!("#include <{file}>\n"), include);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .map(|l| {
            let end = l.find([' ', '(']).unwrap_or(l.len());
            (l[..end].to_string(), l[end..].to_string())
        })
        .collect()
}

/// Each macro's value as a C program sees it, one "NAME=value" line each.
fn values(names: &[&String], include: &Path) -> String {
    let mut src = String::from("#include <libaudit.h>\n#include <stdio.h>\nint main(void)\n{\n");
    for name in names {
        src.push_str(&format!("\tprintf(\"{name}=%lld\\n\", (long long)({name}));\n"));
    }
    src.push_str("\treturn 0;\n}\n");
    let exe = scratch(".values");
    cc(&["-Wall", "-Werror", "-o", exe.to_str().unwrap()], &src, include);
    let out = Command::new(&exe).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_macro_of_the_real_headers_is_defined_with_the_same_value() {
    for (line, ours_dir, real_dir) in lines() {
        // Each header the line installs, included on its own (libaudit.h includes the others).
        for file in header_files(line) {
            let (real, ours) = (macros(file, &real_dir), macros(file, &ours_dir));
            let missing: Vec<_> = real.keys().filter(|k| !ours.contains_key(*k)).collect();
            let extra: Vec<_> = ours.keys().filter(|k| !real.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{line} {file}: ours lacks these macros of the real one: {missing:?}");
            assert!(extra.is_empty(), "{line} {file}: ours defines macros the real one does not: {extra:?}");
            // Spelled differently (cbindgen writes numbers in decimal): same value required.
            let respelled: Vec<_> = real.keys().filter(|k| real[*k] != ours[*k]).collect();
            for name in &respelled {
                assert!(
                    !real[*name].starts_with('(') && !real[*name].contains('"'),
                    "{line} {file}: {name}: {} vs {}",
                    real[*name],
                    ours[*name]
                );
            }
            if *file == "libaudit.h" {
                assert_eq!(
                    values(&respelled, &real_dir),
                    values(&respelled, &ours_dir),
                    "{line}: macros whose values differ"
                );
            } else {
                assert!(respelled.is_empty(), "{line} {file}: spelled differently: {respelled:?}");
            }
            println!(
                "{line} {file}: {} macros, all defined; {} spelled differently, same values",
                real.len(),
                respelled.len()
            );
        }

        // The fallbacks for older kernel headers are dead code here: check them against the
        // kernel's (and the original's).
        let mut checks = String::from("#include <libaudit.h>\n");
        for file in header_files(line) {
            let header = fs::read_to_string(ours_dir.join(file)).unwrap();
            let lines: Vec<&str> = header.lines().collect();
            for pair in lines.windows(2) {
                if let (Some(guarded), Some(define)) =
                    (pair[0].strip_prefix("#if !defined("), pair[1].strip_prefix("#define "))
                {
                    let (name, value) = define.split_once(' ').unwrap();
                    assert_eq!(guarded.trim_end_matches(')'), name);
                    checks.push_str(&format!("_Static_assert(({value}) == ({name}), \"fallback of {name}\");\n"));
                }
            }
        }
        assert!(checks.lines().count() > 60, "{line}: found too few fallbacks:\n{checks}");
        cc(&["-fsyntax-only", "-Wall", "-Werror"], &checks, &real_dir);
    }
}

/// The prototypes a line's headers declare, as gcc normalises them: (file, function) ->
/// declaration.
fn prototypes(line: Line, include: &Path) -> BTreeMap<(String, String), String> {
    let aux = scratch(".aux");
    cc(&["-fsyntax-only", "-aux-info", aux.to_str().unwrap()], "#include <libaudit.h>\n", include);
    let aux = fs::read_to_string(&aux).unwrap();
    let mut found = BTreeMap::new();
    for file in header_files(line) {
        let marker = format!("/* {}:", include.join(file).display());
        for l in aux.lines().filter(|l| l.starts_with(&marker)) {
            let decl = l.split_once("*/ ").unwrap().1.to_string();
            let name = decl.split(" (").next().unwrap().rsplit([' ', '*']).next().unwrap().to_string();
            found.insert((file.to_string(), name), decl);
        }
    }
    found
}

#[test]
fn prototypes_match_the_real_headers() {
    for (line, ours_dir, real_dir) in lines() {
        let (real, ours) = (prototypes(line, &real_dir), prototypes(line, &ours_dir));
        assert!(real.len() > 70, "{line}: read only {} prototypes from the real headers", real.len());
        let differ: Vec<_> = real
            .iter()
            .filter_map(|(key, decl)| match ours.get(key) {
                Some(o) if o == decl => None,
                o => Some(format!("{key:?}:\n  real: {decl}\n  ours: {o:?}")),
            })
            .chain(ours.keys().filter(|k| !real.contains_key(*k)).map(|k| format!("{k:?}: declared by ours only")))
            .collect();
        assert!(differ.is_empty(), "{line}: prototypes differ:\n{}", differ.join("\n"));

        // The same, as the compiler judges it: every real prototype redeclared against ours.
        let mut src = String::from("#include <libaudit.h>\n");
        for decl in real.values() {
            src.push_str(decl);
            src.push('\n');
        }
        cc(&["-fsyntax-only", "-Wall", "-Wextra", "-Werror"], &src, &ours_dir);
        println!("{line}: {} prototypes, all identical (file by file)", real.len());
    }
}

/// The constants of the `typedef enum`s a line's headers declare (machine_t, auditfail_t...).
fn enum_constants(include: &Path, line: Line) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for file in header_files(line) {
        let text = fs::read_to_string(include.join(file)).unwrap();
        for body in
            text.split("typedef enum").skip(1).filter_map(|t| t.split_once('{').and_then(|(_, b)| b.split_once('}')))
        {
            let members = body.0.lines().map(|l| l.split("//").next().unwrap()).collect::<String>();
            let members = members.split("/*").map(|p| p.rsplit("*/").next().unwrap()).collect::<String>();
            names.extend(
                members.split(',').map(|m| m.split('=').next().unwrap().trim().to_string()).filter(|m| !m.is_empty()),
            );
        }
    }
    names
}

/// The enum typedefs declare the same constants with the same values (machine_t gains
/// MACH_IO_URING in 3.1.2 and the riscv machines in 4.1.2; message_t goes in 4.1.2).
#[test]
fn enum_typedefs_match_the_real_headers() {
    for (line, ours_dir, real_dir) in lines() {
        let (real, ours) = (enum_constants(&real_dir, line), enum_constants(&ours_dir, line));
        assert!(real.contains("MACH_X86") && real.contains("WAIT_YES"), "{line}: read {real:?}");
        assert_eq!(ours, real, "{line}: enum constants");
        let names: Vec<&String> = real.iter().collect();
        assert_eq!(values(&names, &ours_dir), values(&names, &real_dir), "{line}: enum values");
        println!("{line}: {} enum constants, same values", names.len());
    }
}

#[test]
fn every_lines_headers_compile_as_c89_c11_and_cxx() {
    for line in Line::ALL {
        let include = include_dir(line);
        for file in header_files(line) {
            // <sys/types.h> first: 4.0.2's audit_logging.h, as the original, needs it.
            let source = format!("#include <sys/types.h>\n#include <{file}>\nint main(void) {{ return 0; }}\n");
            for std in ["-std=gnu89", "-std=c11", "-std=gnu17"] {
                cc(&[std, "-Wall", "-Wextra", "-Werror", "-fsyntax-only"], &source, &include);
            }
        }
        let source = "#include <libaudit.h>\nint main(void) { struct audit_reply r; return sizeof r == 0; }\n";
        for std in ["-std=gnu89", "-std=c11", "-std=gnu17"] {
            cc(&[std, "-Wall", "-Wextra", "-Werror", "-fsyntax-only"], source, &include);
        }
        let file = scratch(".cc");
        fs::write(&file, source).unwrap();
        let out = Command::new("c++")
            .arg("-I")
            .arg(&include)
            .args(["-Wall", "-Werror", "-fsyntax-only"])
            .arg(&file)
            .output()
            .expect("c++");
        assert!(out.status.success(), "{line} as C++:\n{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// The `pub const NAME: T = VALUE;` items of a Rust source file, with the value when it is an
/// integer literal or an `|` of names defined before it in the same file.
fn rust_constants(path: &str) -> BTreeMap<String, Option<u64>> {
    let text = fs::read_to_string(common::repo().join(path)).unwrap();
    let mut values = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        let Some((name, value)) = line.strip_prefix("pub const ").and_then(|rest| rest.split_once('=')) else {
            continue;
        };
        let name = name.split(':').next().unwrap().trim().to_string();
        let literal = |term: &str| {
            let term = term.trim().replace('_', "");
            let term = ["u16", "u32", "u64", "usize", "i32"].iter().find_map(|t| term.strip_suffix(t)).unwrap_or(&term);
            match term.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => term.parse().ok(),
            }
        };
        let terms = value.trim().trim_end_matches(';').split('|');
        let value = terms.map(|t| literal(t).or_else(|| values.get(t.trim()).copied().flatten())).sum();
        values.insert(name, value);
    }
    values
}

/// libaudit.h's macros are written as literals in src/defines.rs (cbindgen reads only this
/// crate); the core's one home of each kernel constant is linux-audit/src/wire.rs. Where both
/// define a name, the values must agree.
#[test]
fn header_macros_agree_with_the_core_constants() {
    let header = rust_constants("src/defines.rs");
    let core = rust_constants("linux-audit/src/wire.rs");
    let both: Vec<&String> = header.keys().filter(|n| core.contains_key(*n)).collect();
    // A parse that found nothing would prove nothing: the two share at least these.
    for name in ["AUDIT_FIRST_USER_MSG", "AUDIT_FILTER_FS", "AUDIT_EXE", "AUDIT_STATUS_LOST"] {
        assert!(both.contains(&&name.to_string()), "{name} is not read from both files");
    }
    let differ: Vec<_> = both.iter().filter(|n| header[**n].is_none() || header[**n] != core[**n]).collect();
    assert!(differ.is_empty(), "src/defines.rs and linux-audit/src/wire.rs disagree on {differ:?}");
    println!("{} names defined in both agree", both.len());
}

/// The boundary cannot be skipped: every function of the C face with `#[unsafe(no_mangle)]`
/// is made by `export!` (src/lib.rs), which runs it through the one boundary. Data objects
/// (`pub static`) and audit_msg's jump to its C body are the only other exports.
#[test]
fn every_exported_function_is_made_by_the_export_macro() {
    let mut exports = 0;
    for entry in fs::read_dir(common::repo().join("src")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            assert!(!t.contains("no_mangle]") || t.starts_with("#[unsafe(no_mangle)]"), "{}: {line}", path.display());
            assert!(
                !t.starts_with("#[export_name") && !t.starts_with("#[unsafe(export_name"),
                "{}: {line}",
                path.display()
            );
            if t == "#[unsafe(no_mangle)]" {
                let item = lines[i + 1..].iter().map(|l| l.trim_start()).find(|l| !l.starts_with("#[")).unwrap();
                // The macro's own template is the one function written with it.
                let in_macro = item.starts_with("pub $(unsafe)?") || item.contains("fn $name");
                // audit_msg's jump to its C body (src/message.rs), one per architecture: no
                // Rust body, nothing to guard.
                let jump = item == "pub unsafe extern \"C\" fn audit_msg() {";
                assert!(
                    item.starts_with("pub static") || in_macro || jump,
                    "{}: an export outside export!: {item}",
                    path.display()
                );
            }
            exports += usize::from(t.starts_with("#[on_panic(") && !t.starts_with("#[on_panic($"));
        }
    }
    // Every function of abi/exports (every line's) but audit_msg (written in C), and
    // audit_msg.c's helper.
    let listed = fs::read_to_string(common::repo().join("abi/exports")).unwrap();
    let functions = listed.lines().filter(|l| !l.starts_with('#') && l.split_whitespace().nth(1) == Some("func"));
    assert_eq!(exports, functions.count() - 1 + 1, "functions made by export!");
}
