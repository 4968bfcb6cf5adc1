//! The benchmark suite: `scripts/bench` (installs strace and valgrind, then runs
//! `cargo bench --bench suite`); `-- --quick` for fewer repetitions.
//!
//! Runs bench/driver.c against the system's libaudit.so.1 and ours in one run, on the same inputs,
//! interleaved (system then ours, ours then system on alternate repetitions), and writes
//! BENCHMARKS.md and bench/ratios.svg: medians of per-repetition ratios, instruction counts under
//! callgrind, syscalls per operation under strace, and shared object sizes.
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

use rig::Outcome;

const SYSTEM_LIB: &str = "/usr/lib/x86_64-linux-gnu/libaudit.so.1";

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Lib {
    System,
    Ours,
    /// Library-free benchmarks (the ceilings).
    Neither,
}

/// One wall-time benchmark: the driver's name, a batch size, and the ratio it should reach.
struct Spec {
    bench: &'static str,
    label: &'static str,
    batch: u64,
    target: Option<f64>,
}

const fn spec(bench: &'static str, label: &'static str, batch: u64, target: Option<f64>) -> Spec {
    Spec { bench, label, batch, target }
}

const DISABLED: &[Spec] = &[
    spec("ceiling", "ceiling: raw sendto + recvfrom", 200, None),
    spec("send", "audit_send(AUDIT_USER), one fd", 200, Some(1.6)),
    spec("log", "audit_log_user_message, one fd", 200, Some(1.6)),
    spec("log_deduce", "audit_log_user_message, NULL host/addr/tty", 200, None),
    spec("ceiling_open", "ceiling: raw socket, sendto, recvfrom, close", 50, None),
    spec("open_send_close", "open, audit_send, close", 50, Some(1.4)),
    spec("open_log_close", "open, audit_log_user_message, close", 50, Some(1.4)),
    spec("status", "audit_request_status + reply", 20, None),
    spec("syscall_from_name", "audit_name_to_syscall", 10000, Some(2.0)),
    spec("syscall_to_name", "audit_syscall_to_name", 10000, Some(2.0)),
    spec("type_from_name", "audit_name_to_msg_type", 10000, Some(2.0)),
    spec("type_to_name", "audit_msg_type_to_name", 10000, Some(2.0)),
    spec("field_from_name", "audit_name_to_field", 10000, Some(2.0)),
    spec("field_to_name", "audit_field_to_name", 10000, Some(2.0)),
    spec("rule", "rule building (7 fields + syscall)", 1000, None),
    spec("load", "library load time (dlopen RTLD_NOW)", 20, None),
];

const ENABLED: &[Spec] = &[
    spec("ceiling", "ceiling: raw sendto + recvfrom", 200, None),
    spec("send", "audit_send(AUDIT_USER), one fd", 200, Some(1.3)),
    spec("log", "audit_log_user_message, one fd", 200, Some(1.3)),
    spec("ceiling_open", "ceiling: raw socket, sendto, recvfrom, close", 50, None),
    spec("open_log_close", "open, audit_log_user_message, close", 50, None),
];

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
    ours: PathBuf,
    reps: usize,
    seconds: f64,
    work: PathBuf,
}

/// Nanoseconds per operation of each repetition, by (phase, bench, library).
type Samples = HashMap<(bool, &'static str, Lib), Vec<Option<f64>>>;

impl Suite {
    fn lib_dir(&self, lib: Lib) -> Option<&Path> {
        (lib == Lib::Ours).then_some(self.ours.as_path())
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
                    check_library(lib, &path);
                    return Some(ns as f64 / iters as f64);
                }
            }
        }
        panic!("{bench}: the kernel's enabled flag stayed other than {expect_enabled}");
    }

    fn phase(&self, specs: &'static [Spec], enabled: bool, samples: &mut Samples) {
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

fn check_library(lib: Lib, path: &str) {
    match lib {
        Lib::Ours => assert!(path.contains("/ours/"), "our run loaded {path}"),
        Lib::System => {
            assert!(path.starts_with("/lib") || path.starts_with("/usr/lib"), "the system run loaded {path}")
        }
        Lib::Neither => {}
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

fn verdict_line(r: Option<Ratio>, target: f64) -> String {
    match r {
        None => format!("≥ {target} — n/a (not yet exported)"),
        Some(r) => format!(
            "{:.3} (range {:.2}–{:.2}) against ≥ {target} — {}",
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

fn main() {
    let quick = env::args().any(|a| a == "--quick");
    let started = Instant::now();
    let repo = common::repo();
    let work = common::work_dir().join("bench");
    fs::create_dir_all(&work).unwrap();
    catch_signals();
    let load_start = loadavg();

    eprintln!("building our library and the driver");
    let suite = Suite {
        driver: rig::compile_driver(&repo, &work),
        ours: common::ours().to_path_buf(),
        reps: if quick { 3 } else { 7 },
        seconds: if quick { 0.1 } else { 0.2 },
        work: work.clone(),
    };

    let mut samples = Samples::new();
    eprintln!("wall time, auditing disabled ({} repetitions)", suite.reps);
    suite.phase(DISABLED, false, &mut samples);

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
        suite.phase(ENABLED, true, &mut samples);
        let lost = lost_count() - lost_before;
        drop(guard);
        lost
    };

    eprintln!("instruction counts (callgrind)");
    let instructions: Vec<_> = CALLGRIND
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
    let syscalls: Vec<_> = STRACE
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

    let system_size = fs::metadata(SYSTEM_LIB).unwrap().len();
    let ours_lib = suite.ours.join("libaudit.so.1");
    let ours_size = fs::metadata(&ours_lib).unwrap().len();
    let ours_stripped = stripped_size(&ours_lib, &work);
    let system_stripped = stripped_size(Path::new(SYSTEM_LIB), &work);

    let report = Report {
        quick,
        samples: &samples,
        instructions: &instructions,
        syscalls: &syscalls,
        sizes: (system_size, system_stripped, ours_size, ours_stripped),
        lost,
        load: (load_start, loadavg()),
        seconds: started.elapsed().as_secs_f64(),
        reps: suite.reps,
        repo: &repo,
    };
    let (markdown, chart) = report.render();
    fs::write(repo.join("BENCHMARKS.md"), markdown).unwrap();
    fs::write(repo.join("bench/ratios.svg"), chart).unwrap();
    eprintln!("wrote BENCHMARKS.md and bench/ratios.svg in {:.0} s", started.elapsed().as_secs_f64());
}

fn lost_count() -> i64 {
    shell("auditctl", &["-s"]).lines().find_map(|l| l.strip_prefix("lost ")?.trim().parse().ok()).unwrap_or(0)
}

type Counts = Vec<(&'static str, Option<f64>, Option<f64>)>;
type Calls = Vec<(&'static str, Option<Vec<(String, f64)>>, Option<Vec<(String, f64)>>)>;

struct Report<'a> {
    quick: bool,
    samples: &'a Samples,
    instructions: &'a Counts,
    syscalls: &'a Calls,
    /// System as installed, system stripped, ours as built, ours stripped.
    sizes: (u64, u64, u64, u64),
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

    fn table(&self, out: &mut String, specs: &'static [Spec], enabled: bool, bars: &mut Vec<Bar>) {
        out.push_str("| benchmark | system | ours | ours/system speed | target | ours/ceiling | best possible (ceiling/system) |\n|---|---|---|---|---|---|---|\n");
        for s in specs {
            if rig::library_free(s.bench) {
                let _ =
                    writeln!(out, "| {} | {} | | | | | |", s.label, ops(med(self.get(enabled, s.bench, Lib::Neither))));
                continue;
            }
            let (sys, ours) = (self.get(enabled, s.bench, Lib::System), self.get(enabled, s.bench, Lib::Ours));
            let ratio = paired(ours, sys);
            let ceiling = ceiling_of(s.bench).map(|c| self.get(enabled, c, Lib::Neither)).unwrap_or(&[]);
            let to_ceiling = paired(ours, ceiling);
            let ceiling_target = matches!(s.bench, "send" | "log");
            let ceiling_cell = match to_ceiling {
                Some(r) if ceiling_target => format!(
                    "{} {}",
                    fmt_ratio(Some(r)),
                    if r.median >= 0.9 { "(≥ 0.9 met)" } else { "(≥ 0.9 **missed**)" }
                ),
                _ if ceiling.is_empty() => "".into(),
                r => fmt_ratio(r),
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
            if ceiling_target {
                bars.push(Bar {
                    label: format!("{} vs ceiling{phase}", s.bench),
                    ratio: to_ceiling,
                    target: Some(0.9),
                });
            }
        }
    }

    /// Every target with its verdict, for the top of the report.
    fn summary(&self, bars: &[Bar]) -> String {
        let mut out = String::from("## Targets (ours/system, same run)\n\n");
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
        let command = if self.quick { "scripts/bench --quick" } else { "scripts/bench" };
        let _ = writeln!(md, "# Benchmarks: libaudit-rs against the system libaudit.so.1\n");
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
            "- the run took {:.0} s; {} repetitions of every wall-time benchmark, each run of the driver measuring batches for at least {} s",
            self.seconds,
            self.reps,
            if self.quick { 0.1 } else { 0.2 }
        );
        let _ = writeln!(
            md,
            "\nThe machine is shared: other jobs ran during the run, so wall times are noisy. Each repetition runs \
             the system library and ours back to back (alternating which goes first); a ratio is the median of \
             the per-repetition ratios, with their range in parentheses. Instruction counts (callgrind) are \
             exact and do not depend on load. Speed ratios above 1 mean ours is faster.\n"
        );
        let _ = writeln!(md, "![ratios](bench/ratios.svg)\n");
        let summary_at = md.len();

        let _ = writeln!(md, "## Wall time, auditing disabled\n");
        self.table(&mut md, DISABLED, false, &mut bars);
        let _ = writeln!(md, "\nLoad time: a fresh child process times its dlopen of the library (RTLD_NOW).\n");
        let _ = writeln!(md, "## Wall time, auditing enabled\n");
        let _ = writeln!(
            md,
            "`auditctl -e 1 -b 8192` under the kernel lock, restored afterwards; no auditd, so the kernel's own \
             thread consumes the records. The kernel counted {} records lost during this phase (both libraries \
             alike: a full backlog drops records before they are queued).\n",
            self.lost
        );
        self.table(&mut md, ENABLED, true, &mut bars);

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
        md.push_str("| | system | ours | ours/system |\n|---|---|---|---|\n");
        let _ = writeln!(md, "| as installed / as built | {sys} | {ours} | {:.2} |", ours as f64 / sys as f64);
        let _ = writeln!(
            md,
            "| strip --strip-all | {sys_stripped} | {ours_stripped} | {:.2} |",
            ours_stripped as f64 / sys_stripped as f64
        );
        let size_ratio = sys as f64 / ours as f64;
        let _ = writeln!(
            md,
            "\nTarget: ours no more than 2× the system's ({}).\n",
            if ours as f64 <= 2.0 * sys as f64 { "met" } else { "**missed**" }
        );
        bars.push(Bar {
            label: "shared object size: system/ours".into(),
            ratio: Some(Ratio { median: size_ratio, min: size_ratio, max: size_ratio }),
            target: Some(0.5),
        });

        if let Ok(analysis) = fs::read_to_string(self.repo.join("bench/analysis.md")) {
            md.push_str(&analysis);
        }
        md.insert_str(summary_at, &self.summary(&bars));
        (md, svg(&bars, "libaudit-rs vs system libaudit.so.1 (ratio > 1: ours better)"))
    }
}

/// A count per operation without noise digits: 2 rather than 2.00.
fn trim(n: f64) -> String {
    if (n - n.round()).abs() < 0.005 { format!("{}", n.round()) } else { format!("{n:.2}") }
}
