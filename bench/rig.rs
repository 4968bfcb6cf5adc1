//! Builds and runs the benchmark driver (bench/driver.c) against either library. Shared by the
//! suite (benches/suite.rs, `cargo bench`) and its smoke test (tests/bench_smoke.rs).
#![allow(dead_code)] // each includer uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every benchmark the driver knows, in report order.
pub const BENCHES: &[&str] = &[
    "ceiling",
    "send",
    "log",
    "log_deduce",
    "open_send_close",
    "open_log_close",
    "status",
    "syscall_from_name",
    "syscall_to_name",
    "type_from_name",
    "type_to_name",
    "field_from_name",
    "field_to_name",
    "rule",
    "load",
    "ceiling_open",
];

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
