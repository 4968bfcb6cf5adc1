//! Links libaudit.so.1: SONAME, the chosen release line's exported symbol set from abi/exports,
//! and the one C function stable Rust cannot define (the variadic audit_msg).
use std::{env, fs, path::PathBuf, process::Command};

// The core's Line, the one list of release lines, compiled into the build script too.
#[path = "linux-audit/src/line.rs"]
#[allow(dead_code)]
mod line;
use line::Line;

/// The release line to build: LIBAUDIT_COMPAT if set (an unknown value fails the build, listing
/// the lines); else the line at or below the libaudit installed on this machine (pkg-config), so
/// that a distribution's build reproduces the library it replaces; else the newest.
fn chosen_line() -> (Line, String) {
    println!("cargo:rerun-if-env-changed=LIBAUDIT_COMPAT");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    if let Ok(wanted) = env::var("LIBAUDIT_COMPAT") {
        match wanted.parse() {
            Ok(line) => return (line, "LIBAUDIT_COMPAT".into()),
            Err(e) => panic!("LIBAUDIT_COMPAT: {e}"),
        }
    }
    let installed =
        Command::new("pkg-config").args(["--modversion", "audit"]).output().ok().filter(|o| o.status.success());
    if let Some(out) = installed {
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if let Some(line) = Line::at_or_below(&version) {
            return (line, format!("the installed libaudit is {version}"));
        }
    }
    (Line::NEWEST, "no libaudit installed to follow: the newest".into())
}

/// Whether the C library the linker will use defines GLIBC_ABI_DT_RELR (glibc 2.36 on).
fn libc_applies_relr() -> bool {
    let compiler = cc::Build::new().cargo_metadata(false).get_compiler();
    let libc = Command::new(compiler.path()).arg("-print-file-name=libc.so.6").output();
    let Some(path) =
        libc.ok().filter(|o| o.status.success()).map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    else {
        return false;
    };
    // A bare name: the compiler did not find it.
    let path = PathBuf::from(path);
    if !path.is_absolute() {
        return false;
    }
    let needle = b"GLIBC_ABI_DT_RELR";
    fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}

/// The directory of the C compiler's libgcc_eh.a, on GNU targets that have one.
fn static_unwinder() -> Option<PathBuf> {
    if env::var("CARGO_CFG_TARGET_ENV").ok()? != "gnu" {
        return None;
    }
    let compiler = cc::Build::new().cargo_metadata(false).get_compiler();
    let out = Command::new(compiler.path()).arg("-print-file-name=libgcc_eh.a").output().ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    // A bare name: the compiler did not find it.
    (out.status.success() && path.is_absolute() && path.exists()).then(|| path.parent().unwrap().to_path_buf())
}

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let (line, why) = chosen_line();
    println!(
        "cargo:warning=libaudit-rs: building the {line} release line ({why}); LIBAUDIT_COMPAT=<line> chooses another"
    );
    fs::write(out.join("line.rs"), format!("pub const LINE: linux_audit::Line = linux_audit::Line::{line:?};\n"))
        .unwrap();
    println!("cargo:rerun-if-changed=abi/exports");
    println!("cargo:rerun-if-changed=src/audit_msg.c");

    // The line's ABI. rustc's version script, the library's only one (the GNU linker refuses a
    // second), exports every Rust definition with #[no_mangle]; the names of abi/exports that
    // this line does not export are made hidden in the object itself (src/lib.rs includes the
    // directives). No version node: no line versions its symbols.
    let abi = fs::read_to_string("abi/exports").expect("abi/exports");
    let mut hidden = String::new();
    for entry in abi.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        // name kind size lines...
        let fields: Vec<_> = entry.split_whitespace().collect();
        if !fields[3..].contains(&line.version()) {
            hidden.push_str(&format!("    \".hidden {}\",\n", fields[0]));
        }
    }
    let directives = if hidden.is_empty() { String::new() } else { format!("std::arch::global_asm!(\n{hidden});\n") };
    fs::write(out.join("hidden.rs"), directives).unwrap();

    // audit_msg's body (src/message.rs exports it).
    cc::Build::new()
        .file("src/audit_msg.c")
        .warnings(true)
        .extra_warnings(true)
        .cargo_metadata(false)
        .compile("audit_msg");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=audit_msg");

    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libaudit.so.1");
    // Like the original: resolve our own calls at load, and refuse undefined references.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-z,now");
    // The relative relocations (pointers in our own tables and vtables) packed as
    // DT_RELR: a few hundred bytes instead of 24 per relocation, applied faster at load
    // (bench/analysis.md, memory and load time). Only where the C library can apply them
    // (glibc 2.36 on: the linker then adds the GLIBC_ABI_DT_RELR dependency that keeps an
    // older glibc from loading the library half-relocated).
    if libc_applies_relr() {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs");
    }
    // The GNU linker, not rust-lld: lld keeps whatever a personality routine in .eh_frame
    // references, and std's (linked whether or not anything unwinds) reaches all of std's panic
    // machinery, half the library; ld.bfd drops it with the functions that nothing calls
    // (bench/analysis.md, size).
    println!("cargo:rustc-cdylib-link-arg=-fuse-ld=bfd");
    // Except when instrumented (cargo-fuzz's --cfg fuzzing, -Zsanitizer): the instrumentation's
    // hooks are defined by the program that loads the library.
    if env::var_os("CARGO_CFG_FUZZING").is_none() && env::var_os("CARGO_CFG_SANITIZE").is_none() {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,defs");
        // std's references to the unwinder (_Unwind_*) resolved from libgcc_eh.a, the static
        // twin of libgcc_s.so.1: ld.bfd decides --as-needed before it drops unused code, so
        // references that go with that code would still make libgcc_s.so.1 a dependency, and
        // loading it would be most of our load time (bench/analysis.md). Where panics abort,
        // nothing of it is left after --gc-sections; where they unwind (tests), it is the
        // unwinder, its symbols local (rustc's version script).
        if let Some(dir) = static_unwinder() {
            println!("cargo:rustc-link-search=native={}", dir.display());
            println!("cargo:rustc-link-lib=static:-bundle=gcc_eh");
        }
    }
}
