//! Runs every C program in c-tests/ for every release line (3.0.9 .. 4.2.1): compiled against
//! THAT line's real header (the line's oracle, scripts/oracle: -I <oracle>/include, -DH_LINE for
//! harness.h), run once on the line's original libaudit.so.1 and once on ours built for the line
//! (common::ours_for), and requires identical standard output and a zero exit status from both.
//! Kernel audit state is locked, checked and restored around each run. A line without an oracle
//! source is skipped with a message (for 3.0.9 the system's library, which the survey found
//! identical to upstream's 3.0.9, stands in). Pairs listed in tests/data/lines-known-differences
//! must differ (a summary is printed); a listed pair that agrees fails, so the list only shrinks.
//!
//! `cargo test --test c_conformance -- FILTER` runs the programs whose "<line>/<file name>"
//! contains FILTER: `lookup`, `4.2.1/`, `4.0.2/rules_build`.

mod common;

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{fs, thread};

use linux_audit::Line;

const TIMEOUT: Duration = Duration::from_secs(180);

/// The original a line's programs are compiled against and run on.
struct Original {
    /// The line's oracle directory; None: the system's header and library (3.0.9 only).
    oracle: Option<&'static Path>,
}

impl Original {
    fn for_line(line: Line) -> Option<Original> {
        match common::oracle(line) {
            Some(dir) => Some(Original { oracle: Some(dir) }),
            None if line == Line::V3_0_9 => {
                println!("line 3.0.9: the system's libaudit (Debian's 3.0.9) stands in for the oracle");
                Some(Original { oracle: None })
            }
            None => None,
        }
    }

    fn lib(&self) -> Option<PathBuf> {
        self.oracle.map(|o| o.join("lib"))
    }
}

fn compile(source: &Path, out_dir: &Path, line: Line, original: &Original) -> Result<PathBuf, String> {
    let c = common::repo().join("c-tests");
    let exe = out_dir.join(source.file_stem().unwrap());
    let mut cc = Command::new("cc");
    cc.args(["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror", "-rdynamic"])
        .arg(format!("-DH_LINE={}", common::h_line(line)))
        .arg("-I")
        .arg(&c);
    if let Some(oracle) = original.oracle {
        cc.arg("-I").arg(oracle.join("include")).arg("-L").arg(oracle.join("lib"));
    }
    let out = cc
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
fn run(exe: &Path, library_dir: Option<PathBuf>) -> Output {
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
    // Through a pidfd, not the pid: once the child is reaped its pid may be another process's
    // (pids wrap within minutes here), and a late SIGKILL by pid killed other test processes.
    // SAFETY: pidfd_open on our child, not yet waited for; the fd is checked and then owned.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, libc::c_long::from(child.id()), 0) };
    assert!(pidfd >= 0, "pidfd_open: {}", std::io::Error::last_os_error());
    // SAFETY: a new descriptor nothing else owns.
    let pidfd = unsafe { OwnedFd::from_raw_fd(pidfd as i32) };
    let (done, finished) = mpsc::channel::<()>();
    let killer = thread::spawn(move || {
        if finished.recv_timeout(TIMEOUT) == Err(mpsc::RecvTimeoutError::Timeout) {
            // SAFETY: signals the process the pidfd refers to; ESRCH if it has ended.
            unsafe { libc::syscall(libc::SYS_pidfd_send_signal, pidfd.as_raw_fd(), libc::SIGKILL, 0, 0) };
        }
    });
    let out = child.wait_with_output().expect("wait");
    drop(done);
    killer.join().unwrap();
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

/// Runs `exe` on the original and on ours; returns the comparison and the time spent waiting
/// for the kernel lock (other test processes on this machine may hold it).
fn check(exe: &Path, line: Line, original: &Original) -> (Result<(), String>, Duration) {
    let ours_dir = common::ours_for(line);
    let waiting = Instant::now();
    let guard = common::KernelGuard::new();
    let waited = waiting.elapsed();
    (compare(exe, ours_dir, original, guard), waited)
}

fn compare(exe: &Path, ours_dir: &Path, original: &Original, guard: common::KernelGuard) -> Result<(), String> {
    let theirs = run(exe, original.lib());
    let their_changes = guard.changes();
    common::restore(&guard.saved);
    let ours = run(exe, Some(ours_dir.to_path_buf()));
    let our_changes = guard.changes();
    drop(guard);

    let mut problems = Vec::new();
    if !String::from_utf8_lossy(&ours.stderr).contains(&format!("{}/libaudit.so.1", ours_dir.display())) {
        problems.push("our library was not the one loaded".to_string());
    }
    if !theirs.status.success() {
        problems.push(describe("the original's run failed", &theirs));
    }
    if !ours.status.success() {
        problems.push(describe("our library's run failed", &ours));
    }
    if theirs.stdout != ours.stdout {
        problems.push(format!(
            "outputs differ:\n{}",
            common::line_diff(&String::from_utf8_lossy(&theirs.stdout), &String::from_utf8_lossy(&ours.stdout))
        ));
    }
    for (who, changes) in [("original", their_changes), ("ours", our_changes)] {
        if !changes.is_empty() {
            problems.push(format!("the {who} run left kernel audit state changed: {changes:?}"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// Compiles the line's programs, two at a time (the CI machine has two cores); our build for the
/// line is made meanwhile.
fn compile_all(sources: &[&PathBuf], out_dir: &Path, line: Line, original: &Original) -> Vec<Result<PathBuf, String>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<PathBuf, String>>>> =
        sources.iter().map(|_| std::sync::Mutex::new(None)).collect();
    thread::scope(|scope| {
        scope.spawn(|| common::ours_for(line));
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(source) = sources.get(i) else { break };
                    *results[i].lock().unwrap() = Some(compile(source, out_dir, line, original));
                }
            });
        }
    });
    results.into_iter().map(|r| r.into_inner().unwrap().unwrap()).collect()
}

fn main() {
    let filter = common::filter_arg();
    let known = common::KnownDifferences::load();
    let mut sources: Vec<PathBuf> = fs::read_dir(common::repo().join("c-tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "c") && p.file_stem().is_some_and(|s| s != "harness"))
        .collect();
    sources.sort();
    let mut total = common::Tally::default();
    let mut times = Vec::new();
    let mut lines_run = Vec::new();
    for line in Line::ALL {
        let selected: Vec<&PathBuf> = sources
            .iter()
            .filter(|p| {
                let key = format!("{line}/{}", p.file_name().unwrap().to_string_lossy());
                filter.as_ref().is_none_or(|f| key.contains(f.as_str()))
            })
            .collect();
        if selected.is_empty() {
            continue;
        }
        let Some(original) = Original::for_line(line) else { continue };
        lines_run.push(line);
        let started = Instant::now();
        let out_dir = common::work_dir().join("c").join(line.version());
        fs::create_dir_all(&out_dir).unwrap();
        let mut tally = common::Tally::default();
        let mut waited_total = Duration::ZERO;
        let executables = compile_all(&selected, &out_dir, line, &original);
        for (source, exe) in selected.iter().zip(executables) {
            let name = source.file_stem().unwrap().to_string_lossy();
            let key = format!("c-tests/{name}");
            let program_started = Instant::now();
            let outcome = match exe {
                Ok(exe) => {
                    let (outcome, waited) = check(&exe, line, &original);
                    waited_total += waited;
                    outcome
                }
                Err(why) => Err(why),
            };
            let took = program_started.elapsed().as_secs_f64();
            tally.judge(&known, line, &key, outcome, took, str::to_string);
        }
        let secs = started.elapsed().as_secs_f64();
        times.push(format!(
            "line {line}: {}, in {secs:.1} s ({:.1} s of it waiting for the kernel lock)",
            tally.counts(),
            waited_total.as_secs_f64()
        ));
        total.add(&tally);
    }
    total.finish("c-tests", &known, filter.is_some(), &["c-tests/"], &lines_run, &times)
}
