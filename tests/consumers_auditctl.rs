//! The real audit tools on our library: auditctl (status, controls, rules of every kind, watches,
//! a benchmark-style rules file), autrace, and auditd in the foreground. Every scenario runs
//! with the system library and with ours (LD_LIBRARY_PATH); the transcripts (exit codes,
//! standard output and error, and the rules the kernel holds afterwards, listed by the system's
//! auditctl) must be identical. The tools are linked BIND_NOW: a symbol missing from our build
//! stops them at load.
//!
//! auditctl keeps the library's `_audit_*` variables in its own executable (copy relocations);
//! the arch and syscall scenarios only come out right if our code reads and writes that copy.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lib {
    System,
    Ours,
}

fn command(lib: Lib, program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_remove("LD_PRELOAD").env_remove("LD_LIBRARY_PATH").stdin(Stdio::null());
    if lib == Lib::Ours {
        cmd.env("LD_LIBRARY_PATH", common::ours());
    }
    cmd
}

/// Numbers that change from run to run (counters, pids) become N.
fn normalise(line: &str, volatile: bool) -> String {
    let counter = ["lost ", "lost: ", "backlog ", "backlog_wait_time_actual "].iter().any(|p| line.starts_with(p));
    if volatile || counter { common::numbers_as_n(line) } else { line.to_string() }
}

/// One run of a tool: "exit=N", then its standard output and error, normalised.
fn run(lib: Lib, program: &str, args: &[&str], volatile: bool) -> String {
    let out = command(lib, program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    let text = |b: &[u8]| String::from_utf8_lossy(b).lines().map(|l| normalise(l, volatile) + "\n").collect::<String>();
    format!("exit={}\nstdout:\n{}stderr:\n{}", out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn listing(lib: Lib) -> String {
    run(lib, "auditctl", &["-l"], false)
}

fn delete_all() {
    run(Lib::System, "auditctl", &["-D"], false);
}

/// Runs the auditctl commands in order with `lib`, then lists the kernel's rules with both
/// libraries (which must agree) and deletes them.
fn transcript(lib: Lib, commands: &[&[&str]]) -> String {
    delete_all();
    let mut out = String::new();
    for args in commands {
        out += &format!("$ auditctl {}\n{}", args.join(" "), run(lib, "auditctl", args, false));
    }
    let listed = listing(Lib::System);
    assert_eq!(listing(lib), listed, "auditctl -l on {lib:?} and on the system library disagree");
    out += &format!("$ auditctl -l\n{listed}");
    delete_all();
    out
}

/// The same commands with each library, from the same starting state; returns how many
/// commands were compared.
fn compare(guard: &common::KernelGuard, commands: &[&[&str]]) -> usize {
    let system = transcript(Lib::System, commands);
    common::restore(&guard.saved);
    let ours = transcript(Lib::Ours, commands);
    common::restore(&guard.saved);
    if system != ours {
        let diff: String = system
            .lines()
            .zip(ours.lines())
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("  system: {a}\n  ours:   {b}\n"))
            .collect();
        panic!("transcripts differ:\n{diff}\n--- system:\n{system}\n--- ours:\n{ours}");
    }
    commands.len()
}

#[test]
fn tools_import_nothing_we_lack() {
    let ours = common::ours().join("libaudit.so.1");
    let defined =
        String::from_utf8(Command::new("nm").args(["-D", "--defined-only"]).arg(&ours).output().unwrap().stdout)
            .unwrap();
    let defined: Vec<&str> = defined.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
    for tool in ["auditctl", "autrace", "auditd"] {
        let path =
            String::from_utf8(Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().unwrap().stdout)
                .unwrap();
        let imports = Command::new("nm").args(["-D", "--undefined-only", path.trim()]).output().unwrap();
        let missing: Vec<String> = String::from_utf8_lossy(&imports.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .filter(|s| s.contains("audit") && !defined.contains(s))
            .map(str::to_string)
            .collect();
        assert!(missing.is_empty(), "{tool} imports what our library lacks: {missing:?}");
    }
}

#[test]
fn auditctl_status_and_controls() {
    let guard = common::KernelGuard::new();
    let n = compare(
        &guard,
        &[
            &["-s"],
            &["-l"],
            &["-e", "1"],
            &["-e", "0"],
            &["-e", "3"],
            &["-b", "320"],
            &["-r", "100"],
            &["-r", "0"],
            &["--backlog_wait_time", "60000"],
            &["--backlog_wait_time", "-5"],
            &["--reset-lost"],
            &["-m", "libaudit-rs consumer test"],
            &["-f", "1"],
            &["-s"],
            &["-t"],
            &["-q", "/nonexistent-a,/nonexistent-b"],
            &["-D"],
        ],
    );
    println!("{n} auditctl control commands compared");
}

#[test]
fn auditctl_rules() {
    let guard = common::KernelGuard::new();
    let dir = scratch("rules");
    let file = dir.join("watched");
    fs::write(&file, "x").unwrap();
    let watched = file.to_str().unwrap();
    let dir_s = dir.to_str().unwrap();
    let dir_rule = format!("dir={dir_s}");
    let path_rule = format!("path={watched}");
    let delete_perm_mod = [&["-d"], &common::ADD_PERM_MOD[1..]].concat();
    let mut n = compare(
        &guard,
        &[
            // Syscall rules, both arches, numbers, operators, names for values.
            common::ADD_ACCESS,
            common::ADD_PERM_MOD,
            &[
                "-a",
                "exit,always",
                "-F",
                "arch=x86_64",
                "-S",
                "59",
                "-F",
                "uid=root",
                "-F",
                "gid=root",
                "-F",
                "a0&0x10",
                "-F",
                "a1&=0x3",
            ],
            &["-A", "never,exit", "-F", "arch=b64", "-S", "all", "-F", "pid=1"],
            &["-a", "always,exit", "-S", "open", "-k", "no-arch"],
            &["-a", "always,exit", "-F", "arch=i386", "-S", "socketcall", "-F", "a0=1", "-F", "success=0"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "execve", "-C", "uid!=euid", "-F", "euid=0", "-k", "setuid"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "kill", "-C", "auid=obj_uid", "-C", "gid!=egid"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "all", "-F", "exe=/usr/bin/sudo", "-k", "sudo"],
            &["-a", "always,exit", "-F", &path_rule, "-F", "perm=wa", "-k", "watched-file"],
            &["-a", "always,exit", "-F", &dir_rule, "-F", "perm=r", "-k", "watched-dir"],
            &[
                "-a",
                "always,exit",
                "-F",
                "arch=b64",
                "-S",
                "openat",
                "-F",
                "filetype=file",
                "-F",
                "inode!=12",
                "-F",
                "devmajor=8",
            ],
            &["-a", "always,exclude", "-F", "msgtype=CWD"],
            &["-a", "never,exclude", "-F", "msgtype>=1300", "-F", "msgtype<=1302"],
            &["-a", "always,user", "-F", "uid=0", "-F", "msgtype=USER_LOGIN"],
            &["-a", "always,task", "-F", "uid=nobody"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "socket", "-F", "saddr_fam=2", "-F", "sessionid!=unset"],
            &["-w", "/etc/passwd", "-p", "wa", "-k", "identity"],
            &["-w", "/etc/group", "-p", "rwxa"],
            &["-w", "/var/log/", "-p", "r", "-k", "logs"],
            &["-w", watched],
            // Refusals and their messages.
            &["-a", "always,exit", "-F", "bogus=1"],
            &["-a", "always,exit", "-F", "uid"],
            &["-a", "always,exit", "-F", "=1"],
            &["-a", "always,exit", "-F", "uid="],
            &["-a", "always,exit", "-S", "bogus"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "arch=b32"],
            &["-a", "always,exit", "-F", "arch=sparc", "-S", "open"],
            &["-a", "always,exit", "-F", "arch>b64", "-S", "open"],
            &["-a", "always,exit", "-F", "path=/x", "-F", "perm=rwxq"],
            &["-a", "always,exit", "-F", "path=/x", "-F", "perm!=r"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "uid=no-such-user"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "gid=no-such-group"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "exit=ENOSUCH"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "filetype=nosuch"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "msgtype=CWD"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "a0=x"],
            &["-a", "always,exit", "-F", "arch=b64", "-S", "open", "-F", "exe<=/bin/ls"],
            &["-a", "always,exclude", "-F", "ppid=1"],
            &["-a", "always,user", "-F", "path=/x"],
            &["-a", "always,task", "-S", "open"],
            &["-a", "always,exit", "-C", "uid=gid"],
            &["-a", "always,exit", "-C", "uid>euid"],
            &["-a", "always,exit", "-C", "bogus=uid"],
            &["-a", "always,user", "-C", "uid=euid"],
            &["-k", "orphan"],
            common::ADD_ACCESS,
            &["-w", "/etc/passwd", "-p", "wa", "-k", "identity"],
            &["-w", "/etc/passwd", "-p", "q"],
            &["-w", "relative/path"],
            // Deletions: by rule, by watch, one that does not exist.
            &delete_perm_mod,
            &["-W", "/etc/group", "-p", "rwxa"],
            &["-W", "/etc/nonexistent-watch"],
            &["-d", "always,exit", "-F", "arch=b64", "-S", "mknod"],
            &["-l"],
            &["-l", "-k", "identity"],
            &["-D", "-k", "logs"],
            &["-l"],
        ],
    );
    // Rules added with one library are deleted with the other: the bytes must match exactly.
    let rules: [&[&str]; 3] = [
        &["-w", "/etc/shadow", "-p", "wa", "-k", "cross"],
        &["-a", "always,exit", "-F", "arch=b32", "-S", "open,openat", "-F", "auid>=1000", "-F", "key=cross"],
        &["-a", "always,exit", "-F", &path_rule, "-F", "perm=x", "-C", "uid!=euid"],
    ];
    for (adder, deleter) in [(Lib::System, Lib::Ours), (Lib::Ours, Lib::System)] {
        delete_all();
        for rule in rules {
            assert!(run(adder, "auditctl", rule, false).starts_with("exit=0\n"), "adding {rule:?} with {adder:?}");
        }
        for rule in rules {
            let mut delete: Vec<&str> = rule.to_vec();
            delete[0] = if delete[0] == "-w" { "-W" } else { "-d" };
            let out = run(deleter, "auditctl", &delete, false);
            assert!(out.starts_with("exit=0\n"), "deleting {rule:?} added by {adder:?} with {deleter:?}: {out}");
            n += 1;
        }
        assert_eq!(listing(Lib::System), "exit=0\nstdout:\nNo rules\nstderr:\n");
    }
    common::restore(&guard.saved);
    fs::remove_dir_all(&dir).ok();
    println!("{n} auditctl rule commands compared");
}

#[test]
fn auditctl_rules_file() {
    let guard = common::KernelGuard::new();
    let file = common::repo().join("tests/data/cis-stig.rules");
    let file = file.to_str().unwrap();
    let mut listings = Vec::new();
    for loader in [Lib::System, Lib::Ours] {
        delete_all();
        let loaded = run(loader, "auditctl", &["-R", file], false);
        let by_system = listing(Lib::System);
        let by_ours = listing(Lib::Ours);
        assert_eq!(by_system, by_ours, "the two libraries list rules loaded by {loader:?} differently");
        assert!(by_system.lines().count() > 50, "the rules file did not load: {loaded}\n{by_system}");
        listings.push((loaded, by_system));
        let deleted = run(loader, "auditctl", &["-D"], false);
        assert!(deleted.contains("exit=0"), "{deleted}");
        assert_eq!(listing(Lib::System), "exit=0\nstdout:\nNo rules\nstderr:\n");
        common::restore(&guard.saved);
    }
    assert_eq!(listings[0], listings[1]);
}

#[test]
fn autrace_true() {
    let guard = common::KernelGuard::new();
    let mut runs = Vec::new();
    for lib in [Lib::System, Lib::Ours] {
        delete_all();
        runs.push((run(lib, "autrace", &["/bin/true"], true), listing(Lib::System)));
        common::restore(&guard.saved);
    }
    assert!(runs[0].0.contains("Trace complete"), "{}", runs[0].0);
    assert_eq!(runs[0], runs[1]);
}

fn scratch(name: &str) -> PathBuf {
    let dir = common::work_dir().join(format!("consumers-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// auditd in the foreground with `lib`: registered, receiving a user message and a watch's
/// records, stopped; returns the record types it logged.
fn auditd_session(lib: Lib) -> Vec<String> {
    let dir = scratch(&format!("auditd-{lib:?}"));
    let daemon = common::Auditd::start(command(lib, "auditd"), &dir).unwrap_or_else(|e| panic!("{lib:?}: {e}"));
    let auditctl = |args: &[&str]| run(lib, "auditctl", args, false);
    daemon.events(auditctl, "libaudit-rs-auditd", "libaudit-rs auditd test");
    let (status, log) = daemon.stop();
    assert!(status.success(), "auditd ({lib:?}) exit: {status}");
    assert_eq!(common::registered_pid(), 0, "auditd ({lib:?}) left itself registered");

    for line in log.lines() {
        let well_formed = line.starts_with("type=")
            && line.split_once(" msg=audit(").is_some_and(|(_, rest)| {
                let stamp = rest.split_once("):").map_or("", |s| s.0);
                stamp.split_once(':').is_some_and(|(time, serial)| {
                    time.split_once('.').is_some_and(|(s, ms)| s.parse::<u64>().is_ok() && ms.parse::<u32>().is_ok())
                        && serial.parse::<u64>().is_ok()
                })
            });
        assert!(well_formed, "auditd ({lib:?}) wrote a malformed line: {line}");
    }
    assert!(log.contains("libaudit-rs auditd test"), "auditd ({lib:?}) missed the user message:\n{log}");
    assert!(log.contains("libaudit-rs-auditd"), "auditd ({lib:?}) missed the watch:\n{log}");
    fs::remove_dir_all(&dir).ok();
    common::record_types(&log).into_iter().map(str::to_string).collect()
}

#[test]
fn auditd_foreground() {
    let guard = common::KernelGuard::new();
    assert_eq!(common::registered_pid(), 0, "another audit daemon is registered; not starting one");
    let system = auditd_session(Lib::System);
    common::restore(&guard.saved);
    let ours = auditd_session(Lib::Ours);
    common::restore(&guard.saved);
    for needed in ["DAEMON_START", "DAEMON_END", "CONFIG_CHANGE", "USER", "SYSCALL", "PATH"] {
        assert!(system.iter().any(|t| t == needed), "system run lacks {needed}: {system:?}");
        assert!(ours.iter().any(|t| t == needed), "our run lacks {needed}: {ours:?}");
    }
    delete_all();
}
