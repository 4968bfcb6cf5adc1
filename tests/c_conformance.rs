//! Runs every C program in c-tests/ (compiled against the REAL /usr/include/libaudit.h) twice:
//! with the system's libaudit.so.1 and with ours, and requires identical standard output and a
//! zero exit status from both. Kernel audit state is locked, checked and restored around each.
//!
//! `cargo test --test c_conformance -- NAME` runs the programs whose file name contains NAME.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use std::{fs, thread};

const TIMEOUT: Duration = Duration::from_secs(180);

fn compile(source: &Path, out_dir: &Path) -> Result<PathBuf, String> {
    let c = common::repo().join("c-tests");
    let exe = out_dir.join(source.file_stem().unwrap());
    let out = Command::new("cc")
        .args(["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror", "-rdynamic"])
        .arg("-I")
        .arg(&c)
        .arg(source)
        .arg(c.join("harness.c"))
        .args(["-laudit", "-ldl", "-o"])
        .arg(&exe)
        .output()
        .map_err(|e| format!("cc: {e}"))?;
    if !out.status.success() {
        return Err(format!("compiling {} failed:\n{}", source.display(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(exe)
}

/// Runs `exe`, killing it after TIMEOUT.
fn run(exe: &Path, library_dir: Option<&Path>) -> Output {
    let mut cmd = Command::new(exe);
    cmd.env_remove("LD_PRELOAD")
        .env_remove("LD_LIBRARY_PATH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = library_dir {
        cmd.env("LD_LIBRARY_PATH", dir);
    }
    cmd.current_dir(common::repo());
    let child = cmd.spawn().expect("spawn");
    let pid = child.id();
    let killer = thread::spawn(move || {
        thread::sleep(TIMEOUT);
        // SAFETY: kill on a pid we spawned; harmless if it already ended.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    });
    let out = child.wait_with_output().expect("wait");
    drop(killer); // the sleeper thread ends with the process
    out
}

fn describe(label: &str, out: &Output) -> String {
    format!(
        "--- {label}: {}\nstdout:\n{}stderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn line_diff(a: &str, b: &str) -> String {
    let (a, b): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
    let mut out = String::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied(), b.get(i).copied());
        if x != y {
            out.push_str(&format!(
                "line {}:\n  system: {}\n  ours:   {}\n",
                i + 1,
                x.unwrap_or("<none>"),
                y.unwrap_or("<none>")
            ));
        }
    }
    out
}

fn check(source: &Path, out_dir: &Path) -> Result<(), String> {
    let exe = compile(source, out_dir)?;
    let guard = common::KernelGuard::new();
    let system = run(&exe, None);
    let system_changes = guard.changes();
    common::restore(&guard.saved);
    let ours = run(&exe, Some(common::ours()));
    let our_changes = guard.changes();
    drop(guard);

    let mut problems = Vec::new();
    if !String::from_utf8_lossy(&ours.stderr).contains("/target/it/ours/libaudit.so.1") {
        problems.push("our library was not the one loaded".to_string());
    }
    if !system.status.success() {
        problems.push(describe("system library run failed", &system));
    }
    if !ours.status.success() {
        problems.push(describe("our library run failed", &ours));
    }
    if system.stdout != ours.stdout {
        problems.push(format!(
            "outputs differ:\n{}",
            line_diff(&String::from_utf8_lossy(&system.stdout), &String::from_utf8_lossy(&ours.stdout))
        ));
    }
    for (who, changes) in [("system", system_changes), ("ours", our_changes)] {
        if !changes.is_empty() {
            problems.push(format!("the {who} run left kernel audit state changed: {changes:?}"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let out_dir = common::work_dir().join("c");
    fs::create_dir_all(&out_dir).unwrap();
    let mut sources: Vec<PathBuf> = fs::read_dir(common::repo().join("c-tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "c") && p.file_stem().is_some_and(|s| s != "harness"))
        .filter(|p| filter.as_ref().is_none_or(|f| p.file_name().unwrap().to_string_lossy().contains(f.as_str())))
        .collect();
    sources.sort();
    common::ours();
    let (mut passed, mut failed) = (0, 0);
    for source in &sources {
        let name = source.file_name().unwrap().to_string_lossy();
        match check(source, &out_dir) {
            Ok(()) => {
                passed += 1;
                println!("test c-tests/{name} ... ok");
            }
            Err(why) => {
                failed += 1;
                println!("test c-tests/{name} ... FAILED\n{why}");
            }
        }
    }
    println!("\nc-tests: {passed} passed, {failed} failed");
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
