//! Each release line's own tools (built with its oracle, scripts/oracle: bin/) on ours built for
//! that line (common::ours_for), against the same tools on the line's own library: auditctl
//! (status and controls, rule and watch forms, refusals, `-R` a rules file, `-m`), ausearch and
//! aureport over a log of records (tests/data/lines-audit.log: syscalls of every line's newest
//! tables, other machines, io_uring operations, logins), `ausyscall --dump` for several
//! machines, aulast, and auditd receiving and writing events. Transcripts (exit status, standard
//! output and error, the rules the kernel holds afterwards) must be identical; kernel state is
//! locked and restored around each run. Then upstream's own library tests of each line
//! (test/lookup_test; 4.2.1's test/audit_logging_test) on ours.
//!
//! The tools run as `LD_LIBRARY_PATH=<ours for the line>:<oracle>/lib <oracle>/bin/<tool>` (so
//! libauparse, the line's own, loads our libaudit) against `LD_LIBRARY_PATH=<oracle>/lib`.
//! Known differences: tests/data/lines-known-differences (`tools/<run>`, `upstream/<test>`).
//!
//! `cargo test --test consumers_lines -- FILTER` runs the checks whose "<line>/<check>" contains
//! FILTER (`4.2.1/`, `ausyscall`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use linux_audit::Line;

/// The two sides of a comparison for one line.
struct Sides {
    line: Line,
    oracle: &'static Path,
    ours: &'static Path,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lib {
    Original,
    Ours,
}

impl Sides {
    fn library_path(&self, lib: Lib) -> String {
        let theirs = self.oracle.join("lib");
        match lib {
            Lib::Original => theirs.display().to_string(),
            Lib::Ours => format!("{}:{}", self.ours.display(), theirs.display()),
        }
    }

    fn command(&self, lib: Lib, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_remove("LD_PRELOAD")
            .env("LD_LIBRARY_PATH", self.library_path(lib))
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .stdin(Stdio::null())
            .current_dir(common::repo());
        cmd
    }

    fn tool(&self, name: &str) -> PathBuf {
        self.oracle.join("bin").join(name)
    }

    /// One run of a line's tool: "$ tool args", "exit=N", its standard output and error.
    fn run(&self, lib: Lib, tool: &str, args: &[&str]) -> String {
        let out = self.command(lib, &self.tool(tool)).args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"));
        let text = |b: &[u8]| String::from_utf8_lossy(b).lines().map(|l| normalise(l) + "\n").collect::<String>();
        format!(
            "$ {tool} {}\nexit={}\nstdout:\n{}stderr:\n{}",
            args.join(" "),
            out.status.code().map_or_else(|| format!("{}", out.status), |c| c.to_string()),
            text(&out.stdout),
            text(&out.stderr)
        )
    }

    /// The kernel's rules as the line's auditctl on the line's library lists them.
    fn listing(&self) -> String {
        self.run(Lib::Original, "auditctl", &["-l"])
    }
}

/// Counters that move on their own become N.
fn normalise(line: &str) -> String {
    let counter = ["lost ", "backlog ", "backlog_wait_time_actual "].iter().any(|p| line.starts_with(p));
    if counter { common::numbers_as_n(line) } else { line.to_string() }
}

fn delete_all() {
    Command::new("auditctl").arg("-D").env_remove("LD_LIBRARY_PATH").output().expect("auditctl -D");
}

/// Compares two transcripts line by line.
fn compare(theirs: &str, ours: &str) -> Result<(), String> {
    if theirs == ours { Ok(()) } else { Err(format!("transcripts differ:\n{}", common::line_diff(theirs, ours))) }
}

/// Runs `session` with each library from the same kernel state (locked, restored, rules deleted
/// before and after) and compares what it returns.
fn kernel_session(sides: &Sides, session: impl Fn(&Sides, Lib) -> String) -> Result<(), String> {
    let (theirs, ours) = kernel_transcripts(sides, session);
    compare(&theirs, &ours)
}

/// The original's and our transcripts of `session`, each from the same kernel state.
fn kernel_transcripts(sides: &Sides, session: impl Fn(&Sides, Lib) -> String) -> (String, String) {
    let guard = common::KernelGuard::new();
    let run = |lib| {
        delete_all();
        let transcript = session(sides, lib);
        delete_all();
        common::restore(&guard.saved);
        transcript
    };
    (run(Lib::Original), run(Lib::Ours))
}

fn auditctl_commands(sides: &Sides, lib: Lib, commands: &[&[&str]]) -> String {
    let mut out = String::new();
    for args in commands {
        out += &sides.run(lib, "auditctl", args);
    }
    out + &sides.listing()
}

fn auditctl_status(sides: &Sides) -> Result<(), String> {
    kernel_session(sides, |s, lib| {
        auditctl_commands(s, lib, &[&["-s"], &["-l"], &["-b", "320"], &["-r", "100"], &["-s"], &["-e", "3"]])
    })
}

fn auditctl_rules(sides: &Sides) -> Result<(), String> {
    let dir = common::work_dir().join(format!("lines-rules-{}", sides.line));
    fs::create_dir_all(&dir).unwrap();
    let watched = dir.join("watched");
    fs::write(&watched, "x").unwrap();
    let watched = watched.to_str().unwrap().to_string();
    let path_rule = format!("path={watched}");
    let result = kernel_session(sides, |s, lib| {
        auditctl_commands(
            s,
            lib,
            &[
                common::ADD_ACCESS,
                common::ADD_PERM_MOD,
                &["-a", "exit,always", "-F", "arch=x86_64", "-S", "59", "-F", "uid=root", "-F", "a0&0x10"],
                &["-a", "always,exit", "-S", "open", "-k", "no-arch"],
                &["-a", "always,exit", "-F", "arch=b64", "-S", "execve", "-C", "uid!=euid", "-F", "euid=0"],
                &["-a", "always,exit", "-F", "arch=b64", "-S", "all", "-F", "exe=/usr/bin/sudo", "-k", "sudo"],
                &["-a", "always,exit", "-F", &path_rule, "-F", "perm=wa", "-k", "watched-file"],
                &["-a", "always,exclude", "-F", "msgtype=CWD"],
                &["-a", "always,user", "-F", "uid=0", "-F", "msgtype=USER_LOGIN"],
                &["-w", "/etc/passwd", "-p", "wa", "-k", "identity"],
                &["-w", &watched],
                &["-a", "always,exit", "-F", "bogus=1"],
                &["-a", "always,exit", "-S", "bogus"],
                &["-a", "always,exit", "-F", "arch=sparc", "-S", "open"],
                &["-a", "always,exit", "-F", "path=/x", "-F", "perm=rwxq"],
                &["-a", "always,exclude", "-F", "ppid=1"],
                &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "uid=no-such-user"],
                &["-W", "/etc/passwd", "-p", "wa", "-k", "identity"],
                &["-d", "always,exit", "-S", "open", "-k", "no-arch"],
                &["-l", "-k", "sudo"],
            ],
        )
    });
    fs::remove_dir_all(&dir).ok();
    result
}

fn auditctl_rules_file(sides: &Sides) -> Result<(), String> {
    let file = common::repo().join("tests/data/cis-stig.rules");
    let file = file.to_str().unwrap().to_string();
    kernel_session(sides, |s, lib| auditctl_commands(s, lib, &[&["-R", &file]]))
}

fn auditctl_message(sides: &Sides) -> Result<(), String> {
    kernel_session(sides, |s, lib| auditctl_commands(s, lib, &[&["-m", "libaudit-rs lines test"], &["-m"]]))
}

const MACHINES: &[&str] = &["x86_64", "i386", "aarch64", "arm", "ppc64", "ppc64le", "s390x", "s390", "riscv64"];

fn ausyscall(sides: &Sides) -> Result<(), String> {
    let transcript = |lib| {
        let mut out = sides.run(lib, "ausyscall", &["--dump"]);
        for m in MACHINES {
            out += &sides.run(lib, "ausyscall", &[m, "--dump"]);
        }
        out += &sides.run(lib, "ausyscall", &["x86_64", "cachestat"]);
        out += &sides.run(lib, "ausyscall", &["aarch64", "451"]);
        out
    };
    compare(&transcript(Lib::Original), &transcript(Lib::Ours))
}

fn log_file() -> String {
    common::repo().join("tests/data/lines-audit.log").to_str().unwrap().to_string()
}

fn ausearch_aureport(sides: &Sides) -> Result<(), String> {
    let log = log_file();
    let transcript = |lib| {
        let mut out = String::new();
        for args in [
            &["-if", &log, "-i"][..],
            &["-if", &log, "--raw"],
            &["-if", &log, "-sc", "openat", "-i"],
            &["-if", &log, "-m", "URINGOP", "-i"],
            &["-if", &log, "-k", "lines", "--format", "csv"],
            &["-if", &log, "-ua", "1000", "--format", "text"],
        ] {
            out += &sides.run(lib, "ausearch", args);
        }
        for args in [
            &["-if", &log, "--summary", "-i"][..],
            &["-if", &log, "-s", "-i"],
            &["-if", &log, "-s", "--summary", "-i"],
            &["-if", &log, "-m", "-i"],
            &["-if", &log, "-au", "-i"],
            &["-if", &log, "-l", "-i"],
            &["-if", &log, "-x", "-i"],
            &["-if", &log, "-e", "-i"],
        ] {
            out += &sides.run(lib, "aureport", args);
        }
        out
    };
    compare(&transcript(Lib::Original), &transcript(Lib::Ours))
}

fn aulast(sides: &Sides) -> Result<(), String> {
    let log = log_file();
    // --extract writes aulast.log into the working directory: compared too.
    let dir = common::work_dir().join(format!("lines-aulast-{}", sides.line));
    fs::create_dir_all(&dir).unwrap();
    let transcript = |lib| {
        let _ = fs::remove_file(dir.join("aulast.log"));
        let mut extract = sides.command(lib, &sides.tool("aulast"));
        let out = extract.args(["-f", &log, "--extract"]).current_dir(&dir).output().expect("aulast");
        sides.run(lib, "aulast", &["-f", &log])
            + &format!("$ aulast --extract\nexit={:?}\n", out.status.code())
            + &fs::read_to_string(dir.join("aulast.log")).unwrap_or_else(|e| format!("aulast.log: {e}\n"))
    };
    let result = compare(&transcript(Lib::Original), &transcript(Lib::Ours));
    fs::remove_dir_all(&dir).ok();
    result
}

/// The line's auditd in the foreground: registered, receiving a user message (the line's
/// auditctl -m) and a watch's records, stopped. Returns what must agree: its exit, and the
/// record types it wrote with the tagged records' fields that do not vary between runs.
fn auditd_session(sides: &Sides, lib: Lib) -> String {
    // One directory for both runs (they are sequential): its path shows in auditd's messages.
    let dir = common::work_dir().join(format!("lines-auditd-{}", sides.line));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    // The 4.1.2 oracle's auditd makes its run directory at the unexpanded path
    // "${localstatedir}/run/audit", relative to its working directory: give it one here.
    fs::create_dir_all(dir.join("${localstatedir}/run")).unwrap();
    let mut auditd = sides.command(lib, &sides.tool("auditd"));
    auditd.current_dir(&dir);
    let daemon = match common::Auditd::start(auditd, &dir) {
        Ok(daemon) => daemon,
        Err(why) => return why,
    };
    let auditctl = |args: &[&str]| sides.run(lib, "auditctl", args);
    let mut out = daemon.events(auditctl, "libaudit-rs-lines", "libaudit-rs lines auditd test");
    let (status, log) = daemon.stop();
    out += &format!("auditd exit: {status}\nregistered after: {}\n", common::registered_pid());
    out += &format!("record types: {:?}\n", common::record_types(&log));
    for needle in ["libaudit-rs lines auditd test", "key=\"libaudit-rs-lines\""] {
        out += &format!("logged {needle}: {}\n", log.contains(needle));
    }
    fs::remove_dir_all(&dir).ok();
    out
}

fn auditd(sides: &Sides) -> Result<(), String> {
    let (theirs, ours) = kernel_transcripts(sides, |s, lib| match common::registered_pid() {
        0 => auditd_session(s, lib),
        // Under the kernel lock, only a daemon outside the tests can be registered.
        pid => panic!("an audit daemon (pid {pid}) is registered; not starting one"),
    });
    if !theirs.contains("logged libaudit-rs lines auditd test: true") {
        return Err(format!("the original's auditd session failed:\n{theirs}"));
    }
    compare(&theirs, &ours)
}

/// Upstream's test/<name> of the line (built against the oracle) on ours: it must pass there
/// as it does on the original, with the same output.
fn upstream(sides: &Sides, name: &str) -> Result<(), String> {
    let exe = sides.oracle.join("test").join(name);
    let run = |lib| {
        let out = sides.command(lib, &exe).output().unwrap_or_else(|e| panic!("{name}: {e}"));
        format!(
            "exit={}\nstdout:\n{}stderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let (theirs, ours) = (run(Lib::Original), run(Lib::Ours));
    if !theirs.starts_with("exit=exit status: 0\n") {
        return Err(format!("fails on the original:\n{theirs}"));
    }
    compare(&theirs, &ours)
}

type Check = fn(&Sides) -> Result<(), String>;

fn main() {
    let filter = common::filter_arg();
    let known = common::KnownDifferences::load();
    let checks: &[(&str, Check)] = &[
        ("tools/auditctl-status", auditctl_status),
        ("tools/auditctl-rules", auditctl_rules),
        ("tools/auditctl-rules-file", auditctl_rules_file),
        ("tools/auditctl-message", auditctl_message),
        ("tools/ausyscall", ausyscall),
        ("tools/ausearch-aureport", ausearch_aureport),
        ("tools/aulast", aulast),
        ("tools/auditd", auditd),
        ("upstream/lookup_test", |s| upstream(s, "lookup_test")),
        ("upstream/audit_logging_test", |s| upstream(s, "audit_logging_test")),
    ];
    let mut total = common::Tally::default();
    let mut times = Vec::new();
    let mut lines_run = Vec::new();
    for line in Line::ALL {
        let selected: Vec<&(&str, Check)> = checks
            .iter()
            .filter(|(name, _)| filter.as_ref().is_none_or(|f| format!("{line}/{name}").contains(f.as_str())))
            .collect();
        if selected.is_empty() {
            continue;
        }
        let Some(oracle) = common::oracle(line) else { continue };
        lines_run.push(line);
        let sides = Sides { line, oracle, ours: common::ours_for(line) };
        let started = Instant::now();
        let mut tally = common::Tally::default();
        for (name, check) in selected {
            if name.starts_with("upstream/") && !oracle.join("test").join(&name["upstream/".len()..]).exists() {
                continue; // audit_logging_test: 4.2.1's only
            }
            let took = Instant::now();
            let outcome = check(&sides);
            tally.judge(&known, line, name, outcome, took.elapsed().as_secs_f64(), common::summary);
        }
        let secs = started.elapsed().as_secs_f64();
        times.push(format!("line {line}: {}, in {secs:.1} s", tally.counts()));
        total.add(&tally);
    }
    total.finish("consumers", &known, filter.is_some(), &["tools/", "upstream/"], &lines_run, &times)
}
