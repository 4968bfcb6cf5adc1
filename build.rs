//! Links libaudit.so.1: SONAME, the exported symbol set from abi/libaudit.symbols, and the
//! one C function stable Rust cannot define (the variadic audit_msg).
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

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let (line, why) = chosen_line();
    println!(
        "cargo:warning=libaudit-rs: building the {line} release line ({why}); LIBAUDIT_COMPAT=<line> chooses another"
    );
    fs::write(out.join("line.rs"), format!("pub const LINE: linux_audit::Line = linux_audit::Line::{line:?};\n"))
        .unwrap();
    println!("cargo:rerun-if-changed=abi/libaudit.symbols");
    println!("cargo:rerun-if-changed=src/audit_msg.c");

    // The version script lists the whole ABI; rustc's own script already exports the Rust-defined
    // functions, this one adds the C-defined audit_msg. No version node: 3.0.9 has no symbol versions.
    let abi = fs::read_to_string("abi/libaudit.symbols").expect("abi/libaudit.symbols");
    let mut map = String::from("{\n  global:\n");
    for name in abi.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        map.push_str(&format!("    {};\n", name.split_whitespace().next().unwrap()));
    }
    map.push_str("  local: *;\n};\n");
    let map_path = out.join("libaudit.map");
    fs::write(&map_path, map).unwrap();

    // Nothing in Rust calls audit_msg, so the archive is linked whole for the export to exist.
    cc::Build::new()
        .file("src/audit_msg.c")
        .warnings(true)
        .extra_warnings(true)
        .cargo_metadata(false)
        .compile("audit_msg");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static:+whole-archive=audit_msg");

    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libaudit.so.1");
    println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={}", map_path.display());
    // A name of the list that nothing defines fails the link rather than silently going
    // unexported (tests/abi.rs proves it).
    println!("cargo:rustc-cdylib-link-arg=-Wl,--no-undefined-version");
    // Like the original: resolve our own calls at load, and refuse undefined references.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-z,now");
    // Except when instrumented (cargo-fuzz's --cfg fuzzing, -Zsanitizer): the instrumentation's
    // hooks are defined by the program that loads the library.
    if env::var_os("CARGO_CFG_FUZZING").is_none() && env::var_os("CARGO_CFG_SANITIZE").is_none() {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,defs");
    }
}
