//! The benchmark suite: `scripts/bench [--quick] [<line>|--all]` (installs strace and valgrind,
//! then runs `cargo bench --bench suite -- ...`); `--quick` for fewer repetitions.
//!
//! For each release line asked for (default: the line the default build chooses, as build.rs
//! does), runs bench/driver.c against that line's original and ours built for that line
//! (LIBAUDIT_COMPAT) in one run, on the same inputs, interleaved (original then ours, ours then
//! original on alternate repetitions). The original is the system's libaudit.so.1 for the
//! installed line, else the line's oracle build (scripts/oracle). Writes BENCHMARKS.md and
//! bench/ratios.svg: for the default line (or the first asked for) the full tables (medians of
//! per-repetition ratios, instruction counts under callgrind, syscalls per operation under
//! strace, sizes, private dirty memory); for every line a row of the headline ratios.
//!
//! Every driver run holds the machine-wide kernel lock (its messages must not land in another
//! test's capture of kernel records). The auditing-enabled phase holds it throughout and restores
//! the kernel's state afterwards, also on failure or Ctrl-C.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../bench/rig.rs"]
mod rig;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use std::{env, fs};

use linux_audit::Line;
use rig::{CEILING_TARGET, LOAD_TARGET, LOOKUP_TARGET, Outcome, RULE_TARGET, Spec};

const SYSTEM_LIB: &str = "/usr/lib/x86_64-linux-gnu/libaudit.so.1";

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Lib {
    System,
    Ours,
    /// Library-free benchmarks (the ceilings).
    Neither,
}

/// Ours at most this many times the original (size, private dirty memory).
const SIZE_TARGET: f64 = 2.0;
const DIRTY_TARGET: f64 = 1.5;

/// The lookups with a target (audit_syscall_to_name is an array load either way).
const LOOKUPS: &[&str] = &["syscall_from_name", "type_from_name", "type_to_name", "field_from_name", "field_to_name"];

/// What the other lines of `--all` measure: the headline benchmarks, without the enabled phase,
/// callgrind and strace (which do not depend on the line's tables).
const HEADLINE: &[&str] = &[
    "ceiling",
    "send",
    "log",
    "ceiling_open",
    "open_log_close",
    "syscall_from_name",
    "syscall_to_name",
    "type_from_name",
    "type_to_name",
    "field_from_name",
    "field_to_name",
    "rule",
    "load",
];

/// What the enabled phase measures: sending.
const ENABLED: &[&str] = &["ceiling", "send", "log", "ceiling_open", "open_log_close"];

/// Benchmarks whose instructions callgrind counts, with their iteration counts.
const CALLGRIND: &[(&str, u64)] = &[
    ("ceiling", 2000),
    ("send", 2000),
    ("log", 2000),
    ("log_deduce", 2000),
    ("open_send_close", 500),
    ("open_log_close", 500),
    ("status", 200),
    ("syscall_from_name", 20000),
    ("syscall_to_name", 20000),
    ("type_from_name", 20000),
    ("type_to_name", 20000),
    ("field_from_name", 20000),
    ("field_to_name", 20000),
    ("rule", 2000),
];

/// Benchmarks whose syscalls strace counts.
const STRACE: &[&str] =
    &["ceiling", "ceiling_open", "send", "log", "log_deduce", "open_send_close", "open_log_close", "status"];
const STRACE_ITERS: u64 = 500;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn note_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Ctrl-C and friends end the run between driver runs, so that held kernel state is restored.
fn catch_signals() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: installs a handler that only stores to an atomic.
        unsafe { libc::signal(sig, (note_signal as *const ()).expose_provenance()) };
    }
}

fn check_interrupted() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        panic!("interrupted: kernel state is being restored");
    }
}

struct Suite {
    driver: PathBuf,
    /// The directory of our libaudit.so.1 for this line.
    ours: PathBuf,
    /// The directory of the line's original libaudit.so.1; None: the system's.
    original: Option<PathBuf>,
    reps: usize,
    seconds: f64,
    work: PathBuf,
}

/// Nanoseconds per operation of each repetition, by (phase, bench, library).
type Samples = HashMap<(bool, &'static str, Lib), Vec<Option<f64>>>;

impl Suite {
    fn lib_dir(&self, lib: Lib) -> Option<&Path> {
        match lib {
            Lib::Ours => Some(&self.ours),
            Lib::System => self.original.as_deref(),
            Lib::Neither => None,
        }
    }

    /// The library file of `lib` (System: the original).
    fn lib_file(&self, lib: Lib) -> PathBuf {
        match self.lib_dir(lib) {
            Some(dir) => dir.join("libaudit.so.1"),
            None => PathBuf::from(SYSTEM_LIB),
        }
    }

    /// Whether the driver's run of `lib` loaded the library meant.
    fn check_library(&self, lib: Lib, path: &str) {
        match self.lib_dir(lib) {
            Some(dir) => assert!(Path::new(path).starts_with(dir), "the {lib:?} run loaded {path}, not from {dir:?}"),
            None if lib == Lib::System => {
                assert!(path.starts_with("/lib") || path.starts_with("/usr/lib"), "the system run loaded {path}")
            }
            None => {}
        }
    }

    /// Private dirty memory in kB of the library's mappings after one open, log, close: (as
    /// smaps counts it, the part still writable, the part copied on write).
    fn dirty(&self, lib: Lib) -> Option<[f64; 3]> {
        let cmd = rig::driver(&self.driver, self.lib_dir(lib), "dirty", 1, None);
        let out = {
            let _lock = common::kernel_lock();
            rig::run_line(cmd).unwrap_or_else(|e| panic!("{e}"))
        };
        check_interrupted();
        if let Outcome::Missing(_) = rig::parse(&out).unwrap() {
            return None;
        }
        let field = |key: &str| -> f64 {
            out.split_whitespace()
                .find_map(|w| w.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
                .unwrap_or_else(|| panic!("no {key} in {out:?}"))
        };
        Some([field("dirty_kb"), field("rw_kb"), field("anon_kb")])
    }

    /// One timed driver run; None when the library lacks the function. A run that found the
    /// kernel's enabled flag other than expected (someone changed it without the lock) is
    /// repeated.
    fn measure(&self, bench: &str, lib: Lib, batch: u64, expect_enabled: i32) -> Option<f64> {
        for _ in 0..10 {
            let cmd = rig::driver(&self.driver, self.lib_dir(lib), bench, batch, Some(self.seconds));
            let outcome = {
                let _lock = (expect_enabled == 0).then(common::kernel_lock);
                rig::run(cmd)
            };
            check_interrupted();
            match outcome.unwrap_or_else(|e| panic!("{e}")) {
                Outcome::Missing(_) => return None,
                Outcome::Measured { enabled, .. } if enabled != expect_enabled => {
                    eprintln!(
                        "  {bench}: the kernel's enabled flag is {enabled}, not {expect_enabled}: measuring again"
                    );
                    std::thread::sleep(std::time::Duration::from_secs(1));
                }
                Outcome::Measured { iters, ns, lib: path, .. } => {
                    self.check_library(lib, &path);
                    return Some(ns as f64 / iters as f64);
                }
            }
        }
        panic!("{bench}: the kernel's enabled flag stayed other than {expect_enabled}");
    }

    /// Every benchmark of `specs` (only those in `only`, if given), `reps` times.
    fn phase(&self, only: Option<&[&str]>, enabled: bool, samples: &mut Samples) {
        let specs: Vec<&Spec> = rig::benches(only).collect();
        for rep in 0..self.reps {
            for (i, s) in specs.iter().enumerate() {
                let libs: &[Lib] = if rig::library_free(s.bench) {
                    &[Lib::Neither]
                } else if (rep + i) % 2 == 0 {
                    &[Lib::System, Lib::Ours]
                } else {
                    &[Lib::Ours, Lib::System]
                };
                for &lib in libs {
                    let value = self.measure(s.bench, lib, s.batch, enabled as i32);
                    samples.entry((enabled, s.bench, lib)).or_default().push(value);
                }
            }
            eprintln!("  repetition {}/{} done", rep + 1, self.reps);
        }
    }

    /// Instructions per operation in the timed region, under callgrind.
    fn callgrind(&self, bench: &str, lib: Lib, iters: u64) -> Option<f64> {
        let out_file = self.work.join("callgrind.out");
        let mut cmd = rig::driver(&self.driver, self.lib_dir(lib), bench, iters, None);
        let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
        let envs: Vec<_> = cmd.get_envs().map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned()))).collect();
        cmd = Command::new("valgrind");
        cmd.args(["--tool=callgrind", "--collect-atstart=no", "--toggle-collect=timed_region"])
            .arg(format!("--callgrind-out-file={}", out_file.display()))
            .arg(&self.driver)
            .args(args)
            .stdin(std::process::Stdio::null());
        for (k, v) in envs {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let out = {
            let _lock = common::kernel_lock();
            cmd.output().expect("valgrind")
        };
        check_interrupted();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "callgrind {bench}: {}", String::from_utf8_lossy(&out.stderr));
        if let Outcome::Missing(_) = rig::parse(stdout.trim()).unwrap() {
            return None;
        }
        let text = fs::read_to_string(&out_file).expect("callgrind output");
        let total: f64 = text
            .lines()
            .find_map(|l| l.strip_prefix("totals:"))
            .or_else(|| text.lines().find_map(|l| l.strip_prefix("summary:")))?
            .trim()
            .parse()
            .ok()?;
        Some(total / iters as f64)
    }

    /// Syscalls per operation by name, from strace -c of runs with STRACE_ITERS and with none.
    fn syscalls(&self, bench: &str, lib: Lib) -> Option<Vec<(String, f64)>> {
        let count = |iters: u64| -> Option<(HashMap<String, u64>, u64)> {
            let file = self.work.join("strace.out");
            let cmd = rig::driver(&self.driver, self.lib_dir(lib), bench, iters, None);
            let mut strace = Command::new("strace");
            strace.args(["-c", "-U", "name,calls", "-o"]).arg(&file).arg(cmd.get_program()).args(cmd.get_args());
            for (k, v) in cmd.get_envs() {
                match v {
                    Some(v) => strace.env(k, v),
                    None => strace.env_remove(k),
                };
            }
            let out = {
                let _lock = common::kernel_lock();
                strace.stdin(std::process::Stdio::null()).output().expect("strace")
            };
            check_interrupted();
            assert!(out.status.success(), "strace {bench}: {}", String::from_utf8_lossy(&out.stderr));
            let Outcome::Measured { iters, warmup, .. } =
                rig::parse(String::from_utf8_lossy(&out.stdout).trim()).unwrap()
            else {
                return None;
            };
            let calls = fs::read_to_string(&file)
                .unwrap()
                .lines()
                .filter_map(|l| {
                    let mut w = l.split_whitespace();
                    let (name, calls) = (w.next()?, w.next()?.parse().ok()?);
                    (name != "total").then(|| (name.to_string(), calls))
                })
                .collect();
            Some((calls, iters + warmup))
        };
        let (base, _) = count(0)?;
        let (with, n) = count(STRACE_ITERS)?;
        let mut per_op: Vec<(String, f64)> = with
            .into_iter()
            .map(|(name, c)| {
                let extra = c.saturating_sub(*base.get(&name).unwrap_or(&0));
                (name, extra as f64 / n as f64)
            })
            .filter(|(_, v)| *v >= 0.01)
            .collect();
        per_op.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(per_op)
    }
}

/// The library-free loop that bounds a benchmark: the same syscalls' minimum, without a library.
fn ceiling_of(bench: &str) -> Option<&'static str> {
    match bench {
        "send" | "log" | "log_deduce" => Some("ceiling"),
        "open_send_close" | "open_log_close" => Some("ceiling_open"),
        _ => None,
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// A ratio's median and range over repetitions.
#[derive(Clone, Copy)]
struct Ratio {
    median: f64,
    min: f64,
    max: f64,
}

fn ratio_of(pairs: impl Iterator<Item = f64>) -> Option<Ratio> {
    let mut v: Vec<f64> = pairs.filter(|r| r.is_finite() && *r > 0.0).collect();
    if v.is_empty() {
        return None;
    }
    let median = median(&mut v);
    Some(Ratio { median, min: v[0], max: v[v.len() - 1] })
}

/// Per-repetition speed ratios of `a` over `b` (b's time / a's time).
fn paired(a: &[Option<f64>], b: &[Option<f64>]) -> Option<Ratio> {
    ratio_of(a.iter().zip(b).filter_map(|(a, b)| Some(b.as_ref()? / a.as_ref()?)))
}

fn med(samples: &[Option<f64>]) -> Option<f64> {
    let mut v: Vec<f64> = samples.iter().flatten().copied().collect();
    (!v.is_empty()).then(|| median(&mut v))
}

fn shell(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()))
        .unwrap_or_else(|| "unknown".into())
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn stripped_size(path: &Path, work: &Path) -> u64 {
    let copy = work.join("stripped.so");
    let status = Command::new("strip").arg("--strip-all").arg("-o").arg(&copy).arg(path).status().expect("strip");
    assert!(status.success());
    fs::metadata(&copy).unwrap().len()
}

fn fmt_ratio(r: Option<Ratio>) -> String {
    match r {
        Some(r) => format!("**{:.2}** ({:.2}–{:.2})", r.median, r.min, r.max),
        None => "n/a".into(),
    }
}

fn verdict(r: Option<Ratio>, target: Option<f64>) -> String {
    match (r, target) {
        (_, None) => "".into(),
        (None, Some(t)) => format!("≥ {t} — n/a (not yet exported)"),
        (Some(r), Some(t)) => format!("≥ {t} — {}", if r.median >= t { "met" } else { "**missed**" }),
    }
}

/// A target without float noise: 0.67, not 0.6666666666666666.
fn num(t: f64) -> String {
    let s = format!("{t:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn verdict_line(r: Option<Ratio>, target: f64) -> String {
    let shown = num(target);
    match r {
        None => format!("≥ {shown} — n/a (not yet exported)"),
        Some(r) => format!(
            "{:.3} (range {:.2}–{:.2}) against ≥ {shown} — {}",
            r.median,
            r.min,
            r.max,
            if r.median >= target { "met" } else { "**missed**" }
        ),
    }
}

fn ops(ns: Option<f64>) -> String {
    match ns {
        None => "n/a (not yet exported)".into(),
        Some(ns) if ns >= 1000.0 => format!("{:.0} /s ({:.2} µs)", 1e9 / ns, ns / 1000.0),
        Some(ns) => format!("{:.2} M/s ({:.1} ns)", 1e3 / ns, ns),
    }
}

/// A bar of the chart: label, ratio, target.
struct Bar {
    label: String,
    ratio: Option<Ratio>,
    target: Option<f64>,
}

/// Horizontal bars of ratios (> 1: ours better), with their range, the target and the 1.0 line.
fn svg(bars: &[Bar], title: &str) -> String {
    let (left, width, row, top) = (330.0, 420.0, 26.0, 50.0);
    let max = bars.iter().filter_map(|b| Some(b.ratio?.max.max(b.target.unwrap_or(0.0)))).fold(2.5f64, f64::max).ceil();
    let x = |v: f64| left + width * v / max;
    let height = top + row * bars.len() as f64 + 40.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" viewBox="0 0 {w} {height}" font-family="sans-serif" font-size="12">"#,
        w = left + width + 90.0
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(s, r#"<text x="10" y="22" font-size="15" font-weight="bold">{title}</text>"#);
    let bottom = top + row * bars.len() as f64;
    for tick in 0..=(max as usize) {
        let tx = x(tick as f64);
        let _ = writeln!(s, r##"<line x1="{tx}" y1="{}" x2="{tx}" y2="{bottom}" stroke="#ddd"/>"##, top - 6.0);
        let _ = writeln!(s, r#"<text x="{tx}" y="{}" text-anchor="middle">{tick}×</text>"#, bottom + 16.0);
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let _ =
            writeln!(s, r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#, left - 8.0, y + 15.0, escape(&b.label));
        match b.ratio {
            Some(r) => {
                let colour = match b.target {
                    Some(t) if r.median >= t => "#3a8f3a",
                    Some(_) => "#c0504d",
                    None => "#4f81bd",
                };
                let _ = writeln!(
                    s,
                    r#"<rect x="{left}" y="{}" width="{:.1}" height="16" fill="{colour}"/>"#,
                    y + 3.0,
                    x(r.median) - left
                );
                let _ = writeln!(
                    s,
                    r#"<line x1="{:.1}" y1="{}" x2="{:.1}" y2="{}" stroke="black"/>"#,
                    x(r.min),
                    y + 11.0,
                    x(r.max),
                    y + 11.0
                );
                let _ = writeln!(
                    s,
                    r#"<text x="{:.1}" y="{}">{:.2}</text>"#,
                    x(r.max.max(r.median)) + 6.0,
                    y + 15.0,
                    r.median
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    r##"<text x="{}" y="{}" fill="#888">n/a (not yet exported)</text>"##,
                    left + 6.0,
                    y + 15.0
                );
            }
        }
        if let Some(t) = b.target {
            let _ = writeln!(
                s,
                r#"<line x1="{0:.1}" y1="{1}" x2="{0:.1}" y2="{2}" stroke="black" stroke-width="2" stroke-dasharray="3,2"/>"#,
                x(t),
                y + 1.0,
                y + 21.0
            );
        }
    }
    let _ = writeln!(s, r#"<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="black"/>"#, x(1.0), top - 6.0, bottom);
    let _ = writeln!(
        s,
        r##"<text x="10" y="{}" fill="#555">bars: median ratio (whisker: range over repetitions); dashed: target; green met, red missed, blue no target</text>"##,
        bottom + 34.0
    );
    s.push_str("</svg>\n");
    s
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The command line after `--`: `[--quick] [<line>|--all]` (cargo adds `--bench`).
fn parse_args() -> (bool, Vec<Line>) {
    let (mut quick, mut lines) = (false, Vec::new());
    for arg in env::args().skip(1) {
        match arg.as_str() {
            "--quick" => quick = true,
            "--bench" => {}
            "--all" => lines = Line::ALL.to_vec(),
            line => match line.parse::<Line>() {
                Ok(line) if !lines.contains(&line) => lines.push(line),
                Ok(_) => {}
                Err(e) => panic!("usage: scripts/bench [--quick] [<line>|--all]: {e}"),
            },
        }
    }
    if lines.is_empty() {
        lines.push(default_line());
    }
    // The default line first: its run fills the full tables.
    lines.sort_by_key(|&l| l != default_line());
    (quick, lines)
}

/// The line of the libaudit installed here (pkg-config), whose library is the system's.
fn installed_line() -> Option<Line> {
    Line::at_or_below(&shell("pkg-config", &["--modversion", "audit"]))
}

/// The line the default build makes, as build.rs chooses: LIBAUDIT_COMPAT, else the installed
/// libaudit's line, else the newest.
fn default_line() -> Line {
    match env::var("LIBAUDIT_COMPAT") {
        Ok(wanted) => wanted.parse().unwrap_or_else(|e| panic!("LIBAUDIT_COMPAT: {e}")),
        Err(_) => installed_line().unwrap_or(Line::NEWEST),
    }
}

/// The line's original: None for the system's libaudit.so.1 (the installed line's), else the
/// lib/ directory of scripts/oracle's build; Err when neither is here (scripts/oracle has said
/// why).
fn original(line: Line) -> Result<Option<PathBuf>, String> {
    if installed_line() == Some(line) && Path::new(SYSTEM_LIB).exists() {
        return Ok(None);
    }
    match common::oracle(line) {
        Some(dir) => Ok(Some(dir.join("lib"))),
        None => Err(format!("scripts/oracle {line} has no source for it (no original to compare with)")),
    }
}

/// Private dirty memory in kB (as smaps counts it, the part still writable, the part copied on
/// write) of each repetition: the original's, ours.
type Dirty = (Vec<Option<[f64; 3]>>, Vec<Option<[f64; 3]>>);

/// What one line's run measured, for the table of lines.
struct LineRun {
    line: Line,
    /// Where the original came from.
    original: String,
    samples: Samples,
    /// Stripped sizes: original, ours.
    sizes: (u64, u64),
    /// Private dirty memory (dirty, writable, copied) of each repetition: original, ours.
    dirty: Dirty,
}

impl Suite {
    /// The private dirty memory of both libraries, once per repetition (it does not vary, but
    /// the repetitions show that).
    fn dirty_both(&self) -> Dirty {
        (0..self.reps).map(|_| (self.dirty(Lib::System), self.dirty(Lib::Ours))).unzip()
    }
}

fn main() {
    let (quick, lines) = parse_args();
    let started = Instant::now();
    let repo = common::repo();
    let work = common::work_dir().join("bench");
    fs::create_dir_all(&work).unwrap();
    catch_signals();
    let load_start = loadavg();
    eprintln!("lines: {}", lines.iter().map(|l| l.version()).collect::<Vec<_>>().join(" "));

    eprintln!("building the driver");
    let driver = rig::compile_driver(&repo, &work);
    let reps = if quick { 3 } else { 7 };
    // The other lines' headline rows: fewer repetitions, so that --all stays near 10 minutes.
    let other_reps = if quick { 3 } else { 5 };
    let seconds = if quick { 0.1 } else { 0.2 };
    let mut runs = Vec::new();
    let mut full = None;
    for (index, &line) in lines.iter().enumerate() {
        let original = match original(line) {
            Ok(dir) => dir,
            Err(e) => {
                eprintln!("{line}: skipped: {e}");
                continue;
            }
        };
        eprintln!("== the {line} line: building ours (LIBAUDIT_COMPAT={line})");
        let ours = if line == default_line() { common::ours() } else { common::ours_for(line) }.to_path_buf();
        let reps = if index == 0 { reps } else { other_reps };
        let suite = Suite { driver: driver.clone(), ours, original, reps, seconds, work: work.clone() };
        let original_file = suite.lib_file(Lib::System);
        let described = match &suite.original {
            None => "system".to_string(),
            Some(_) => "oracle".to_string(),
        };
        eprintln!("{line}: the original: {}", original_file.display());
        eprintln!("{line}: ours {} against {described}", suite.ours.display());
        let mut samples = Samples::new();
        let primary = index == 0;
        eprintln!("wall time, auditing disabled ({} repetitions)", suite.reps);
        suite.phase((!primary).then_some(HEADLINE), false, &mut samples);
        eprintln!("private dirty memory");
        let dirty = suite.dirty_both();
        let ours_file = suite.lib_file(Lib::Ours);
        let sizes = (stripped_size(&original_file, &work), stripped_size(&ours_file, &work));
        if primary {
            full = Some(full_run(&suite, &mut samples, &original_file, &ours_file));
        }
        runs.push(LineRun { line, original: described, samples, sizes, dirty });
    }
    let Some(first) = runs.first() else { panic!("no line had an original to compare with") };
    let (instructions, syscalls, lost, sizes) = full.expect("the first line's full run");

    let report = Report {
        quick,
        line: first.line,
        original: &first.original,
        samples: &first.samples,
        instructions: &instructions,
        syscalls: &syscalls,
        sizes,
        dirty: &first.dirty,
        lost,
        load: (load_start, loadavg()),
        seconds: started.elapsed().as_secs_f64(),
        reps,
        repo: &repo,
        runs: &runs,
    };
    let (markdown, chart) = report.render();
    fs::write(repo.join("BENCHMARKS.md"), markdown).unwrap();
    fs::write(repo.join("bench/ratios.svg"), chart).unwrap();
    eprintln!("wrote BENCHMARKS.md and bench/ratios.svg in {:.0} s", started.elapsed().as_secs_f64());
}

/// What only the first line measures: the enabled phase, instructions, syscalls, sizes as
/// installed.
fn full_run(suite: &Suite, samples: &mut Samples, original: &Path, ours: &Path) -> (Counts, Calls, i64, Sizes) {
    eprintln!("wall time, auditing enabled (kernel lock held; state restored afterwards)");
    let lost = {
        let guard = common::KernelGuard::new();
        let lost_before = lost_count();
        let set = Command::new("auditctl")
            .args(["-e", "1", "-b", "8192"])
            .env_remove("LD_LIBRARY_PATH")
            .output()
            .expect("auditctl");
        assert!(set.status.success(), "auditctl -e 1 -b 8192 failed");
        suite.phase(Some(ENABLED), true, samples);
        let lost = lost_count() - lost_before;
        drop(guard);
        lost
    };

    eprintln!("instruction counts (callgrind)");
    let instructions: Counts = CALLGRIND
        .iter()
        .map(|&(bench, iters)| {
            if rig::library_free(bench) {
                let c = suite.callgrind(bench, Lib::Neither, iters);
                (bench, c, c)
            } else {
                (bench, suite.callgrind(bench, Lib::System, iters), suite.callgrind(bench, Lib::Ours, iters))
            }
        })
        .collect();

    eprintln!("syscalls per operation (strace)");
    let syscalls: Calls = STRACE
        .iter()
        .map(|&bench| {
            if rig::library_free(bench) {
                let c = suite.syscalls(bench, Lib::Neither);
                (bench, c.clone(), c)
            } else {
                (bench, suite.syscalls(bench, Lib::System), suite.syscalls(bench, Lib::Ours))
            }
        })
        .collect();

    let sizes = (
        fs::metadata(original).unwrap().len(),
        stripped_size(original, &suite.work),
        fs::metadata(ours).unwrap().len(),
        stripped_size(ours, &suite.work),
    );
    (instructions, syscalls, lost, sizes)
}

fn lost_count() -> i64 {
    shell("auditctl", &["-s"]).lines().find_map(|l| l.strip_prefix("lost ")?.trim().parse().ok()).unwrap_or(0)
}

type Counts = Vec<(&'static str, Option<f64>, Option<f64>)>;
/// Original as installed, original stripped, ours as built, ours stripped.
type Sizes = (u64, u64, u64, u64);
type Calls = Vec<(&'static str, Option<Vec<(String, f64)>>, Option<Vec<(String, f64)>>)>;

struct Report<'a> {
    quick: bool,
    /// The line of the full tables, and where its original came from.
    line: Line,
    original: &'a str,
    samples: &'a Samples,
    instructions: &'a Counts,
    syscalls: &'a Calls,
    sizes: Sizes,
    dirty: &'a Dirty,
    /// Every line's run, the first being the full tables' line.
    runs: &'a [LineRun],
    lost: i64,
    load: (String, String),
    seconds: f64,
    reps: usize,
    repo: &'a Path,
}

impl Report<'_> {
    fn get(&self, enabled: bool, bench: &'static str, lib: Lib) -> &[Option<f64>] {
        self.samples.get(&(enabled, bench, lib)).map(Vec::as_slice).unwrap_or(&[])
    }

    fn table(&self, out: &mut String, only: Option<&[&str]>, enabled: bool, bars: &mut Vec<Bar>) {
        out.push_str("| benchmark | original | ours | ours/original speed | target | ours/ceiling | best possible (ceiling/original) |\n|---|---|---|---|---|---|---|\n");
        for s in rig::benches(only) {
            if rig::library_free(s.bench) {
                let _ =
                    writeln!(out, "| {} | {} | | | | | |", s.label, ops(med(self.get(enabled, s.bench, Lib::Neither))));
                continue;
            }
            let (sys, ours) = (self.get(enabled, s.bench, Lib::System), self.get(enabled, s.bench, Lib::Ours));
            let ratio = paired(ours, sys);
            let ceiling = ceiling_of(s.bench).map(|c| self.get(enabled, c, Lib::Neither)).unwrap_or(&[]);
            let to_ceiling = paired(ours, ceiling);
            let ceiling_cell = match (to_ceiling, s.ceiling_target) {
                (Some(r), Some(t)) => format!(
                    "{} {}",
                    fmt_ratio(Some(r)),
                    if r.median >= t { format!("(≥ {t} met)") } else { format!("(≥ {t} **missed**)") }
                ),
                _ if ceiling.is_empty() => "".into(),
                (r, _) => fmt_ratio(r),
            };
            let best = if ceiling.is_empty() { "".into() } else { fmt_ratio(paired(ceiling, sys)) };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                s.label,
                ops(med(sys)),
                ops(med(ours)),
                fmt_ratio(ratio),
                verdict(ratio, s.target),
                ceiling_cell,
                best
            );
            let phase = if enabled { " [enabled]" } else { "" };
            bars.push(Bar { label: format!("{}{phase}", s.label), ratio, target: s.target });
            if s.ceiling_target.is_some() {
                bars.push(Bar {
                    label: format!("{} vs ceiling{phase}", s.bench),
                    ratio: to_ceiling,
                    target: s.ceiling_target,
                });
            }
        }
    }

    /// Every target with its verdict, for the top of the report.
    fn summary(&self, bars: &[Bar]) -> String {
        let mut out = format!("## Targets, the {} line (ours/original, same run)\n\n", self.line);
        for b in bars {
            if let Some(t) = b.target {
                let _ = writeln!(out, "- {}: {}", b.label, verdict_line(b.ratio, t));
            }
        }
        for (bench, _, ours) in self.syscalls {
            if matches!(*bench, "send" | "log") {
                let total = ours.as_ref().map(|c| c.iter().map(|(_, n)| n).sum::<f64>());
                let verdict = match total {
                    None => "n/a (not yet exported)".to_string(),
                    Some(n) if (n - 2.0).abs() < 0.01 => "2: met".to_string(),
                    Some(n) => format!("{}: **missed**", trim(n)),
                };
                let _ = writeln!(out, "- syscalls per message, {bench}: exactly 2 — {verdict}");
            }
        }
        out.push('\n');
        out
    }

    fn render(&self) -> (String, String) {
        let mut md = String::new();
        let mut bars = Vec::new();
        let mut command = String::from("scripts/bench");
        if self.quick {
            command.push_str(" --quick");
        }
        if self.runs.len() == Line::ALL.len() {
            command.push_str(" --all");
        } else if self.runs.len() > 1 || self.line != default_line() {
            for run in self.runs {
                let _ = write!(command, " {}", run.line);
            }
        }
        let _ = writeln!(md, "# Benchmarks: libaudit-rs against the original libaudit.so.1 of each release line\n");
        let _ = writeln!(
            md,
            "Generated by `{command}` (`cargo bench --bench suite`: benches/suite.rs driving bench/driver.c; edit those, not this file, \
             except bench/analysis.md which is appended verbatim).\n"
        );
        let _ = writeln!(md, "## Machine\n");
        let _ = writeln!(md, "- date: {}", shell("date", &["-u", "+%Y-%m-%d %H:%M UTC"]));
        let _ = writeln!(md, "- CPU: {} ({} cores online)", cpu_model(), shell("nproc", &[]));
        let _ =
            writeln!(md, "- kernel: {}; {}", shell("uname", &["-r"]), shell("sh", &["-c", "ldd --version | head -1"]));
        let _ = writeln!(md, "- {}", shell("rustc", &["-V"]));
        let _ = writeln!(
            md,
            "- commit: {}",
            shell("git", &["-C", &self.repo.display().to_string(), "describe", "--always", "--dirty"])
        );
        let _ = writeln!(md, "- load average at start: {}; at end: {}", self.load.0, self.load.1);
        let _ = writeln!(
            md,
            "- the run took {:.0} s; {} repetitions of every wall-time benchmark ({} for the other lines' rows), each run of the driver measuring batches for at least {} s",
            self.seconds,
            self.reps,
            if self.quick { 3 } else { 5 },
            if self.quick { 0.1 } else { 0.2 }
        );
        let _ = writeln!(
            md,
            "- the full tables: the {} line, ours built for it against the {} library; the table of lines: every line measured",
            self.line, self.original
        );
        let _ = writeln!(
            md,
            "\nThe machine is shared: other jobs ran during the run, so wall times are noisy. Each repetition runs \
             the original library and ours back to back (alternating which goes first); a ratio is the median of \
             the per-repetition ratios, with their range in parentheses. Instruction counts (callgrind) are \
             exact and do not depend on load. Speed ratios above 1 mean ours is faster. The original is the \
             system's libaudit.so.1 for the installed line, else upstream's library of the line built by \
             scripts/oracle.\n"
        );
        let _ = writeln!(md, "![ratios](bench/ratios.svg)\n");
        let summary_at = md.len();
        self.lines_table(&mut md);

        let _ = writeln!(md, "## Wall time, auditing disabled\n");
        self.table(&mut md, None, false, &mut bars);
        let _ = writeln!(md, "\nLoad time: a fresh child process times its dlopen of the library (RTLD_NOW).\n");
        let _ = writeln!(md, "## Wall time, auditing enabled\n");
        let _ = writeln!(
            md,
            "`auditctl -e 1 -b 8192` under the kernel lock, restored afterwards; no auditd, so the kernel's own \
             thread consumes the records. The kernel counted {} records lost during this phase (both libraries \
             alike: a full backlog drops records before they are queued).\n",
            self.lost
        );
        self.table(&mut md, Some(ENABLED), true, &mut bars);

        let _ = writeln!(md, "\n## Instructions per operation (callgrind, user space only, auditing disabled)\n");
        md.push_str("| benchmark | system | ours | system/ours |\n|---|---|---|---|\n");
        for (bench, sys, ours) in self.instructions {
            let count =
                |c: &Option<f64>| c.map(|c| format!("{c:.0}")).unwrap_or_else(|| "n/a (not yet exported)".into());
            let ratio = match (sys, ours) {
                (Some(s), Some(o)) if !rig::library_free(bench) => format!("{:.2}", s / o),
                _ => "".into(),
            };
            let _ = writeln!(md, "| {bench} | {} | {} | {ratio} |", count(sys), count(ours));
        }

        let _ = writeln!(md, "\n## Syscalls per operation (strace -c, {STRACE_ITERS} operations minus none)\n");
        md.push_str("| benchmark | system | ours |\n|---|---|---|\n");
        for (bench, sys, ours) in self.syscalls {
            let calls = |c: &Option<Vec<(String, f64)>>| match c {
                None => "n/a (not yet exported)".into(),
                Some(c) => {
                    let total: f64 = c.iter().map(|(_, n)| n).sum();
                    let each: Vec<String> = c.iter().map(|(name, n)| format!("{name} {}", trim(*n))).collect();
                    format!("**{}**: {}", trim(total), each.join(", "))
                }
            };
            let ours_cell = if rig::library_free(bench) { "(no library)".into() } else { calls(ours) };
            let _ = writeln!(md, "| {bench} | {} | {ours_cell} |", calls(sys));
        }
        let _ = writeln!(md, "\nTarget: exactly 2 syscalls per message on the success path (send, log).\n");

        let (sys, sys_stripped, ours, ours_stripped) = self.sizes;
        let _ = writeln!(md, "## Shared object size\n");
        md.push_str("| | original | ours | ours/original |\n|---|---|---|---|\n");
        let _ = writeln!(md, "| as installed / as built | {sys} | {ours} | {:.2} |", ours as f64 / sys as f64);
        let _ = writeln!(
            md,
            "| strip --strip-all | {sys_stripped} | {ours_stripped} | {:.2} |",
            ours_stripped as f64 / sys_stripped as f64
        );
        let size_ratio = sys_stripped as f64 / ours_stripped as f64;
        let _ = writeln!(
            md,
            "\nTarget: ours no more than {SIZE_TARGET}× the original's, both stripped ({}).\n",
            if 1.0 / size_ratio <= SIZE_TARGET { "met" } else { "**missed**" }
        );
        bars.push(Bar {
            label: "shared object size: original/ours".into(),
            ratio: Some(Ratio { median: size_ratio, min: size_ratio, max: size_ratio }),
            target: Some(1.0 / SIZE_TARGET),
        });

        let _ = writeln!(md, "## Private dirty memory\n");
        let _ = writeln!(
            md,
            "`/proc/self/smaps` of a process that loaded the library (dlopen, RTLD_NOW) and called audit_open, \
             audit_log_user_message and audit_close once: Private_Dirty summed over the library's own mappings, in kB \
             (the staged file synced first: dirty page-cache pages would count too). Of it: in mappings still writable \
             (.data, .bss), the rest being RELRO (relocated, then made read-only); and Anonymous, the pages \
             copied on write.\n"
        );
        md.push_str("| | Private_Dirty | of which writable | Anonymous |\n|---|---|---|---|\n");
        for (who, values) in [("original", &self.dirty.0), ("ours", &self.dirty.1)] {
            let cell = |i: usize| fmt_plain(ratio_of(values.iter().flatten().map(|v| v[i])), "kB");
            let _ = writeln!(md, "| {who} | {} | {} | {} |", cell(0), cell(1), cell(2));
        }
        let dirty = dirty_ratio(self.dirty);
        let _ = writeln!(
            md,
            "\nTarget: ours no more than {DIRTY_TARGET}× the original's: {}.\n",
            le_verdict(dirty, DIRTY_TARGET)
        );
        bars.push(Bar {
            label: "private dirty memory: original/ours".into(),
            ratio: dirty.map(|r| Ratio { median: 1.0 / r.median, min: 1.0 / r.max, max: 1.0 / r.min }),
            target: Some(1.0 / DIRTY_TARGET),
        });

        if let Ok(analysis) = fs::read_to_string(self.repo.join("bench/analysis.md")) {
            md.push_str(&analysis);
        }
        md.insert_str(summary_at, &self.summary(&bars));
        (
            md,
            svg(
                &bars,
                &format!("libaudit-rs vs the original libaudit.so.1, {} line (ratio > 1: ours better)", self.line),
            ),
        )
    }

    /// A row per line: the headline ratios with their ranges and the issue's targets.
    fn lines_table(&self, md: &mut String) {
        let _ = writeln!(md, "## Every release line (ours/original, same run)\n");
        let _ = writeln!(
            md,
            "Ours built for the line (LIBAUDIT_COMPAT) against the line's original (system: the installed \
             libaudit.so.1; oracle: upstream's, built by scripts/oracle), auditing disabled: median \
             (range over repetitions), then the target. Speed: above 1 ours is faster; vs ceiling: ours against \
             the raw syscalls without a library; lookups: the weakest of the five with a target \
             (audit_syscall_to_name excepted); size (stripped) and private dirty memory: ours/original, below \
             is better.\n"
        );
        md.push_str(
            "| line | original | send | log | send vs ceiling | log vs ceiling | open-log-close | open-log-close vs ceiling | \
             lookups (weakest) | rule building | .so size | private dirty | load time |\n\
             |---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
        );
        for run in self.runs {
            let get = |bench: &str, lib: Lib| -> &[Option<f64>] {
                run.samples.iter().find(|((e, b, l), _)| !*e && *b == bench && *l == lib).map_or(&[], |(_, v)| v)
            };
            let speed = |bench: &str| paired(get(bench, Lib::Ours), get(bench, Lib::System));
            let to_ceiling = |bench: &str, ceiling: &str| paired(get(bench, Lib::Ours), get(ceiling, Lib::Neither));
            let ge = |r: Option<Ratio>, t: f64| format!("{} {}", fmt_ratio(r), ge_mark(r, t));
            let weakest =
                LOOKUPS.iter().filter_map(|b| Some((*b, speed(b)?))).min_by(|a, b| a.1.median.total_cmp(&b.1.median));
            let lookups = match weakest {
                Some((bench, r)) => format!("{} {bench} {}", fmt_ratio(Some(r)), ge_mark(Some(r), LOOKUP_TARGET)),
                None => "n/a".into(),
            };
            let size = run.sizes.1 as f64 / run.sizes.0 as f64;
            let size = Ratio { median: size, min: size, max: size };
            let dirty = dirty_ratio(&run.dirty);
            let dirty_kb =
                |values: &Vec<Option<[f64; 3]>>| med(&values.iter().map(|v| v.map(|v| v[0])).collect::<Vec<_>>());
            let dirty_cell = match (dirty_kb(&run.dirty.1), dirty_kb(&run.dirty.0)) {
                (Some(o), Some(s)) => {
                    format!("{o:.0}/{s:.0} kB = {} {}", fmt_ratio(dirty), le_mark(dirty, DIRTY_TARGET))
                }
                _ => "n/a".into(),
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {}/{} KB = **{:.2}** {} | {} | {} |",
                run.line,
                run.original,
                fmt_ratio(speed("send")),
                fmt_ratio(speed("log")),
                ge(to_ceiling("send", "ceiling"), CEILING_TARGET),
                ge(to_ceiling("log", "ceiling"), CEILING_TARGET),
                fmt_ratio(speed("open_log_close")),
                ge(to_ceiling("open_log_close", "ceiling_open"), CEILING_TARGET),
                lookups,
                ge(speed("rule"), RULE_TARGET),
                run.sizes.1 / 1024,
                run.sizes.0 / 1024,
                size.median,
                le_mark(Some(size), SIZE_TARGET),
                dirty_cell,
                ge(speed("load"), LOAD_TARGET),
            );
        }
        md.push('\n');
    }
}

/// Ours/original private dirty memory per repetition.
fn dirty_ratio(dirty: &Dirty) -> Option<Ratio> {
    ratio_of(dirty.0.iter().zip(&dirty.1).filter_map(|(s, o)| Some(o.as_ref()?[0] / s.as_ref()?[0])))
}

/// "(≥ t met)" or "(≥ t **missed**)".
fn ge_mark(r: Option<Ratio>, t: f64) -> String {
    match r {
        Some(r) if r.median >= t => format!("(≥ {t} met)"),
        Some(_) => format!("(≥ {t} **missed**)"),
        None => String::new(),
    }
}

/// "(≤ t× met)" or "(≤ t× **missed**)", for ratios where lower is better.
fn le_mark(r: Option<Ratio>, t: f64) -> String {
    match r {
        Some(r) if r.median <= t => format!("(≤ {t}× met)"),
        Some(_) => format!("(≤ {t}× **missed**)"),
        None => String::new(),
    }
}

fn le_verdict(r: Option<Ratio>, t: f64) -> String {
    match r {
        Some(r) => format!(
            "{:.2} (range {:.2}–{:.2}): {}",
            r.median,
            r.min,
            r.max,
            if r.median <= t { "met" } else { "**missed**" }
        ),
        None => "n/a".into(),
    }
}

/// A median with its range and unit: "24 (24–24) kB".
fn fmt_plain(r: Option<Ratio>, unit: &str) -> String {
    match r {
        Some(r) => format!("**{:.0}** ({:.0}–{:.0}) {unit}", r.median, r.min, r.max),
        None => "n/a".into(),
    }
}

/// A count per operation without noise digits: 2 rather than 2.00.
fn trim(n: f64) -> String {
    if (n - n.round()).abs() < 0.005 { format!("{}", n.round()) } else { format!("{n:.2}") }
}
