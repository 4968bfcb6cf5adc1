//! C programs on our library under memory checkers: valgrind's memcheck (any error fails) and
//! AddressSanitizer (the programs built with -fsanitize=address, our library loaded into them).
//! valgrind's race detectors (helgrind, drd) cannot be used: they do not see the futex-based
//! locks of Rust's std::sync::Mutex and report every access under one (docs/reliability.md).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every c-tests program (each is run with our library only), and the threaded one.
const PROGRAMS: &[&str] = &[
    "c-tests/netlink_send.c",
    "c-tests/null_netlink_control.c",
    "c-tests/fuzz_get_reply.c",
    "c-tests/reliability_fds.c",
    "c-tests/logging_encode.c",
    "c-tests/logging_records.c",
    "c-tests/lookup_names.c",
    "c-tests/lookup_syscalls.c",
    "c-tests/rules_build.c",
    "c-tests/rules_fieldpair.c",
    "c-tests/null_logging.c",
    "c-tests/null_tables.c",
    "c-tests/null_rules.c",
    "c-tests/logging_defects.c",
    "c-tests/control_failconf.c",
    "c-tests/control_identity.c",
    "c-tests/control_messages.c",
    "c-tests/control_status.c",
    "c-tests/layout.c",
    "c-tests/logging_exe.c",
    "c-tests/logging_tty.c",
    "c-tests/netlink_fds.c",
    "c-tests/netlink_peer.c",
    "c-tests/reliability_cancel.c",
];
const THREADS: &str = "tests/c/threads.c";
/// Programs that use up their file descriptors on purpose (audit_open with none left): at exit
/// LeakSanitizer cannot open /proc/PID/task and aborts. Their leaks are checked by memcheck.
const NO_LEAK_CHECK: &[&str] = &["c-tests/netlink_fds.c"];

fn compile(source: &str, flags: &[&str], label: &str) -> PathBuf {
    let repo = common::repo();
    let out_dir = common::work_dir().join("memcheck");
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = out_dir.join(format!("{}-{label}", Path::new(source).file_stem().unwrap().to_string_lossy()));
    let mut cmd = Command::new("cc");
    cmd.args(["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror", "-rdynamic", "-I"])
        .arg(repo.join("c-tests"))
        .args(flags)
        .arg(repo.join(source));
    if source.starts_with("c-tests/") {
        cmd.arg(repo.join("c-tests/harness.c"));
    }
    let out = cmd.args(["-laudit", "-ldl", "-lpthread", "-o"]).arg(&exe).output().expect("cc");
    assert!(out.status.success(), "compiling {source}: {}", String::from_utf8_lossy(&out.stderr));
    exe
}

fn run(wrapper: &[&str], exe: &Path, asan_options: &str) -> Output {
    let mut cmd = Command::new(wrapper.first().map_or(exe.as_os_str(), |w| w.as_ref()));
    cmd.args(wrapper.iter().skip(1));
    if !wrapper.is_empty() {
        cmd.arg(exe);
    }
    cmd.env_remove("LD_PRELOAD")
        .env("LD_LIBRARY_PATH", common::ours())
        .env("LIBAUDIT_FUZZ_CASES", "500")
        .env("ASAN_OPTIONS", asan_options)
        .current_dir(common::repo())
        .output()
        .expect("run")
}

fn check(what: &str, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what}: {}\nstdout:\n{}stderr:\n{stderr}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains("/target/it/ours/libaudit.so.1") || !what.contains("c-tests"),
        "{what}: our library was not loaded"
    );
}

const MEMCHECK: &[&str] =
    &["valgrind", "-q", "--error-exitcode=99", "--track-origins=yes", "--suppressions=tests/valgrind.supp"];

#[test]
fn valgrind_memcheck() {
    let _guard = common::KernelGuard::new();
    for source in PROGRAMS.iter().copied().chain([THREADS]) {
        let exe = compile(source, &[], "plain");
        check(&format!("memcheck {source}"), &run(MEMCHECK, &exe, ""));
    }
}

#[test]
fn address_sanitizer() {
    let _guard = common::KernelGuard::new();
    for source in PROGRAMS.iter().copied().chain([THREADS]) {
        let exe = compile(source, &["-fsanitize=address", "-fno-omit-frame-pointer"], "asan");
        let options = if NO_LEAK_CHECK.contains(&source) { "detect_leaks=0" } else { "" };
        check(&format!("asan {source}"), &run(&[], &exe, options));
    }
}
