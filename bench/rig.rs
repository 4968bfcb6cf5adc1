//! Builds and runs the benchmark driver (bench/driver.c) against either library. Shared by the
//! suite (benches/suite.rs, `cargo bench`) and its smoke test (tests/bench_smoke.rs).
#![allow(dead_code)] // each includer uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One wall-time benchmark: the driver's name, a batch size, the ratio to the original it should
/// reach, and the fraction of its library-free ceiling it should reach.
pub struct Spec {
    pub bench: &'static str,
    pub label: &'static str,
    pub batch: u64,
    pub target: Option<f64>,
    pub ceiling_target: Option<f64>,
}

const fn spec(bench: &'static str, label: &'static str, batch: u64, target: Option<f64>) -> Spec {
    Spec { bench, label, batch, target, ceiling_target: None }
}

/// Issue 14: sending at 0.95 of the raw syscalls' speed.
pub const CEILING_TARGET: f64 = 0.95;

const fn at_ceiling(bench: &'static str, label: &'static str, batch: u64) -> Spec {
    Spec { bench, label, batch, target: None, ceiling_target: Some(CEILING_TARGET) }
}

pub const LOOKUP_TARGET: f64 = 2.0;
pub const RULE_TARGET: f64 = 1.5;
pub const LOAD_TARGET: f64 = 1.0;

/// Every benchmark the driver knows, in report order (the suite measures subsets of it by name).
pub const BENCHES: &[Spec] = &[
    spec("ceiling", "ceiling: raw sendto + recvfrom", 200, None),
    at_ceiling("send", "audit_send(AUDIT_USER), one fd", 200),
    at_ceiling("log", "audit_log_user_message, one fd", 200),
    spec("log_deduce", "audit_log_user_message, NULL host/addr/tty", 200, None),
    spec("ceiling_open", "ceiling: raw socket, sendto, recvfrom, close", 50, None),
    at_ceiling("open_send_close", "open, audit_send, close", 50),
    at_ceiling("open_log_close", "open, audit_log_user_message, close", 50),
    spec("status", "audit_request_status + reply", 20, None),
    spec("syscall_from_name", "audit_name_to_syscall", 10000, Some(LOOKUP_TARGET)),
    spec("syscall_to_name", "audit_syscall_to_name", 10000, None),
    spec("type_from_name", "audit_name_to_msg_type", 10000, Some(LOOKUP_TARGET)),
    spec("type_to_name", "audit_msg_type_to_name", 10000, Some(LOOKUP_TARGET)),
    spec("field_from_name", "audit_name_to_field", 10000, Some(LOOKUP_TARGET)),
    spec("field_to_name", "audit_field_to_name", 10000, Some(LOOKUP_TARGET)),
    spec("rule", "rule building (7 fields + syscall)", 1000, Some(RULE_TARGET)),
    spec("load", "library load time (dlopen RTLD_NOW)", 20, Some(LOAD_TARGET)),
];

/// The benchmarks in `only` (all if None), in report order.
pub fn benches(only: Option<&[&str]>) -> impl Iterator<Item = &'static Spec> {
    BENCHES.iter().filter(move |s| only.is_none_or(|o| o.contains(&s.bench)))
}

/// Benchmarks that do not use the library under test (run once per repetition, not per library):
/// the physical limits of the sending patterns.
pub fn library_free(bench: &str) -> bool {
    matches!(bench, "ceiling" | "ceiling_open")
}

/// Compiles the driver against the real libaudit.h into `out_dir`.
pub fn compile_driver(repo: &Path, out_dir: &Path) -> PathBuf {
    std::fs::create_dir_all(out_dir).unwrap();
    let exe = out_dir.join("driver");
    let out = Command::new("cc")
        .args(["-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror"])
        .arg(repo.join("bench/driver.c"))
        .args(["-ldl", "-o"])
        .arg(&exe)
        .output()
        .expect("cc");
    assert!(out.status.success(), "compiling bench/driver.c failed:\n{}", String::from_utf8_lossy(&out.stderr));
    exe
}

/// The driver running `bench` against the system library (`ours` None) or the libaudit.so.1 in
/// `ours`: ITERS iterations, or batches of ITERS for `seconds`.
pub fn driver(exe: &Path, ours: Option<&Path>, bench: &str, iters: u64, seconds: Option<f64>) -> Command {
    let mut cmd = Command::new(exe);
    cmd.arg(bench).arg(iters.to_string());
    if let Some(s) = seconds {
        cmd.arg(s.to_string());
    }
    cmd.env_remove("LD_PRELOAD").env_remove("LD_LIBRARY_PATH").stdin(Stdio::null());
    if let Some(dir) = ours {
        cmd.env("LD_LIBRARY_PATH", dir);
    }
    cmd
}

/// One line of driver output.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Measured {
        iters: u64,
        warmup: u64,
        ns: u64,
        enabled: i32,
        lib: String,
    },
    /// The library does not export this function yet.
    Missing(String),
}

pub fn parse(line: &str) -> Result<Outcome, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let field = |key: &str| {
        words
            .iter()
            .find_map(|w| w.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .ok_or_else(|| format!("no {key} in {line:?}"))
    };
    if words.get(1) == Some(&"n/a") {
        return Ok(Outcome::Missing(field("missing")?.to_string()));
    }
    let number = |key: &str| field(key)?.parse::<i64>().map_err(|e| format!("{key} in {line:?}: {e}"));
    Ok(Outcome::Measured {
        iters: number("iters")? as u64,
        warmup: number("warmup")? as u64,
        ns: number("ns")? as u64,
        enabled: number("enabled")? as i32,
        lib: field("lib")?.to_string(),
    })
}

/// Runs a driver command to completion and parses its output.
pub fn run(cmd: Command) -> Result<Outcome, String> {
    parse(&run_line(cmd)?)
}

/// Runs a driver command to completion: its line of output.
pub fn run_line(mut cmd: Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("running the driver: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "driver {:?} failed: {}\n{stdout}{}",
            cmd.get_args().collect::<Vec<_>>(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(stdout.trim().to_string())
}
