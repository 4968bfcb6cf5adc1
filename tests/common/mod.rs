//! Shared by the integration tests: our library built and staged as libaudit.so.1, the lock that
//! serialises everything touching kernel audit state, and a guard that puts that state back.
#![allow(dead_code)] // each test binary uses its own part of this module

use std::fs;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread::sleep;
use std::time::{Duration, Instant};

use linux_audit::Line;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the integration tests put what they build (never cargo's own target dir, whose lock
/// `cargo test` holds).
pub fn work_dir() -> PathBuf {
    let dir = repo().join("target").join("it");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The command that builds the library we ship, as build-aux/cargo-build.py (meson) and
/// scripts/demo run it: `cargo rustc --release --lib --crate-type cdylib`. Plain `cargo build`
/// compiles the lib as cdylib and rlib together, and cargo skips LTO for such a unit (`lto` in
/// Cargo.toml is silently ignored): the .so would be bigger, with a GOT entry and a relocation
/// for every internal call.
pub fn cargo_build_library(target_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["rustc", "--release", "--lib", "--crate-type", "cdylib", "--target-dir"])
        .arg(target_dir)
        .current_dir(repo());
    cmd
}

/// Builds the library into `target_dir` (`line`: LIBAUDIT_COMPAT, else as build.rs chooses) and
/// stages it as `libaudit.so.1` in `stage`, written to disk (synced: a mapping of dirty
/// page-cache pages would count as private dirty memory in the benchmarks).
pub fn build_and_stage(target_dir: &Path, line: Option<&str>, stage: &Path) {
    let mut cmd = cargo_build_library(target_dir);
    if let Some(line) = line {
        cmd.env("LIBAUDIT_COMPAT", line);
    }
    let status = cmd.status().expect("cargo rustc");
    assert!(status.success(), "building the cdylib failed ({line:?})");
    fs::create_dir_all(stage).unwrap();
    let staged = stage.join("libaudit.so.1");
    let _ = fs::remove_file(&staged);
    fs::copy(target_dir.join("release/libaudit.so"), &staged).unwrap();
    fs::File::open(&staged).and_then(|f| f.sync_all()).unwrap();
}

/// A directory holding our release build as `libaudit.so.1`, for LD_LIBRARY_PATH. Built once
/// per test process.
pub fn ours() -> &'static Path {
    static STAGE: OnceLock<PathBuf> = OnceLock::new();
    STAGE.get_or_init(|| {
        let stage = work_dir().join("ours");
        build_and_stage(&work_dir().join("cargo"), None, &stage);
        stage
    })
}

fn line_index(line: Line) -> usize {
    Line::ALL.iter().position(|l| *l == line).unwrap()
}

/// A directory holding our release build for `line` (LIBAUDIT_COMPAT=<line>, in its own target
/// dir target/it/lines/<line>) as `libaudit.so.1`: target/it/ours-<line>/. Built once per test
/// process and line.
pub fn ours_for(line: Line) -> &'static Path {
    static STAGES: [OnceLock<PathBuf>; Line::ALL.len()] = [const { OnceLock::new() }; Line::ALL.len()];
    STAGES[line_index(line)].get_or_init(|| {
        let stage = work_dir().join(format!("ours-{line}"));
        build_and_stage(&work_dir().join("lines").join(line.version()), Some(line.version()), &stage);
        stage
    })
}

/// H_LINE of c-tests/harness.h, which a C program is compiled with for `line`: 4.2.1 is 40201.
pub fn h_line(line: Line) -> u32 {
    let v: Vec<u32> = line.version().split('.').map(|n| n.parse().unwrap()).collect();
    v[0] * 10000 + v[1] * 100 + v[2]
}

/// Exit status of scripts/oracle when a line has no source: skip that line.
const ORACLE_SKIP: i32 = 77;

/// The oracle of `line` (scripts/oracle: upstream's build, cached; lib/, include/, bin/,
/// test/), or None when the line has no source here: then the reason and how to provide it are
/// printed and the caller skips the line. Any other failure of the build panics.
pub fn oracle(line: Line) -> Option<&'static Path> {
    static DIRS: [OnceLock<Option<PathBuf>>; Line::ALL.len()] = [const { OnceLock::new() }; Line::ALL.len()];
    DIRS[line_index(line)]
        .get_or_init(|| {
            let out = Command::new(repo().join("scripts/oracle"))
                .arg(line.version())
                .stderr(std::process::Stdio::inherit())
                .output()
                .expect("scripts/oracle");
            match out.status.code() {
                Some(0) => Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())),
                Some(ORACLE_SKIP) => {
                    println!(
                        "SKIPPED line {line}: scripts/oracle {line} has no source for it (its message above says \
                         how to provide one: ../shared/oracles/audit-userspace-{line}.tar.gz or ORACLE_SOURCES)"
                    );
                    None
                }
                _ => panic!("scripts/oracle {line} failed: {}", out.status),
            }
        })
        .as_deref()
}

/// tests/data/lines-known-differences: the (line, check) pairs where ours built for that line
/// is known to differ from the line's original, while the fixes are under way. A listed pair
/// must still differ (the list only shrinks); an unlisted one must agree.
pub struct KnownDifferences {
    pairs: Vec<(Line, String)>,
    /// Which pairs a test judged: a listed pair no test judges (a renamed or removed check)
    /// is reported by `unjudged`.
    judged: Mutex<Vec<bool>>,
}

impl KnownDifferences {
    pub const PATH: &str = "tests/data/lines-known-differences";

    pub fn load() -> Self {
        let text = fs::read_to_string(repo().join(Self::PATH)).unwrap_or_default();
        let pairs: Vec<(Line, String)> = text
            .lines()
            .map(|l| l.split('#').next().unwrap().trim())
            .filter(|l| !l.is_empty())
            .map(|l| {
                let mut words = l.split_whitespace();
                let line = words.next().unwrap().parse().unwrap_or_else(|e| panic!("{}: {l}: {e}", Self::PATH));
                let check = words.next().unwrap_or_else(|| panic!("{}: {l}: no check named", Self::PATH));
                (line, check.to_string())
            })
            .collect();
        let judged = Mutex::new(vec![false; pairs.len()]);
        KnownDifferences { pairs, judged }
    }

    /// The listed pairs of `lines` whose check starts with `prefix` that no test judged.
    pub fn unjudged(&self, prefix: &str, lines: &[Line]) -> Vec<String> {
        let judged = self.judged.lock().unwrap();
        self.pairs
            .iter()
            .zip(judged.iter())
            .filter(|((line, check), seen)| !**seen && check.starts_with(prefix) && lines.contains(line))
            .map(|((line, check), _)| format!("{line} {check}"))
            .collect()
    }

    pub fn listed(&self, line: Line, check: &str) -> bool {
        self.pairs.iter().any(|(l, c)| *l == line && c == check)
    }

    /// Judges one check's outcome against the list: Ok with a note for the report, or Err.
    pub fn judge(&self, line: Line, check: &str, problems: Result<(), String>) -> Result<String, String> {
        if let Some(i) = self.pairs.iter().position(|(l, c)| *l == line && c == check) {
            self.judged.lock().unwrap()[i] = true;
        }
        match (problems, self.listed(line, check)) {
            (Ok(()), false) => Ok("ok".into()),
            (Ok(()), true) => Err(format!(
                "agrees with the original now, but {} lists \"{line} {check}\" as a known difference: remove it",
                Self::PATH
            )),
            (Err(why), true) => Ok(format!("known difference ({}):\n{}", Self::PATH, summary(&why))),
            (Err(why), false) => Err(why),
        }
    }
}

/// The first lines of a long difference report.
pub fn summary(text: &str) -> String {
    const MAX: usize = 12;
    let lines: Vec<&str> = text.lines().collect();
    const WIDTH: usize = 200;
    let mut out = String::new();
    for l in lines.iter().take(MAX) {
        match l.char_indices().nth(WIDTH) {
            Some((cut, _)) => out.push_str(&format!("    {}... ({} bytes)\n", &l[..cut], l.len())),
            None => out.push_str(&format!("    {l}\n")),
        }
    }
    if lines.len() > MAX {
        out.push_str(&format!("    ... ({} more lines)\n", lines.len() - MAX));
    }
    out
}

/// The lines where two transcripts differ, numbered, the original's then ours.
pub fn line_diff(theirs: &str, ours: &str) -> String {
    let (a, b): (Vec<_>, Vec<_>) = (theirs.lines().collect(), ours.lines().collect());
    let mut out = String::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied(), b.get(i).copied());
        if x != y {
            out.push_str(&format!(
                "line {}:\n  original: {}\n  ours:     {}\n",
                i + 1,
                x.unwrap_or("<none>"),
                y.unwrap_or("<none>")
            ));
        }
    }
    out
}

/// Every number in `line` as N (counters and pids that change from run to run).
pub fn numbers_as_n(line: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('N');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

/// The FILTER of `cargo test --test NAME -- FILTER` for the tests with their own main.
pub fn filter_arg() -> Option<String> {
    std::env::args().skip(1).find(|a| !a.starts_with('-'))
}

/// The outcomes of the checks of a run over the release lines (harness = false tests), judged
/// against the known differences, printed as cargo's harness prints tests.
#[derive(Default)]
pub struct Tally {
    pub passed: usize,
    pub listed: usize,
    pub failed: usize,
}

impl Tally {
    /// Judges `outcome` of `check` on `line`, which took `took` seconds, and prints it; a failure
    /// with `failure(why)`.
    pub fn judge(
        &mut self,
        known: &KnownDifferences,
        line: Line,
        check: &str,
        outcome: Result<(), String>,
        took: f64,
        failure: impl Fn(&str) -> String,
    ) {
        match known.judge(line, check, outcome) {
            Ok(note) if note == "ok" => {
                self.passed += 1;
                println!("test {line} {check} ... ok ({took:.1} s)");
            }
            Ok(note) => {
                self.listed += 1;
                println!("test {line} {check} ... {note}");
            }
            Err(why) => {
                self.failed += 1;
                println!("test {line} {check} ... FAILED\n{}", failure(&why));
            }
        }
    }

    /// "N identical, N known differences, N failed", for the report of one line.
    pub fn counts(&self) -> String {
        format!("{} identical, {} known differences, {} failed", self.passed, self.listed, self.failed)
    }

    pub fn add(&mut self, other: &Tally) {
        (self.passed, self.listed, self.failed) =
            (self.passed + other.passed, self.listed + other.listed, self.failed + other.failed);
    }

    /// Ends the test: without a filter, each listed pair of `prefixes` and the lines that ran
    /// that no check judged fails; then each line's report (`times`) and the totals, under
    /// `name`. Exits 0 only if nothing failed.
    pub fn finish(
        mut self,
        name: &str,
        known: &KnownDifferences,
        filtered: bool,
        prefixes: &[&str],
        lines_run: &[Line],
        times: &[String],
    ) -> ! {
        if !filtered {
            for stale in prefixes.iter().flat_map(|p| known.unjudged(p, lines_run)) {
                self.failed += 1;
                println!("{} lists \"{stale}\", which no check of this test is: remove it", KnownDifferences::PATH);
            }
        }
        println!();
        for t in times {
            println!("{name} {t}");
        }
        println!("{name}: {} passed, {} known differences, {} failed", self.passed, self.listed, self.failed);
        std::process::exit(if self.failed == 0 { 0 } else { 1 });
    }
}

/// Held while a test may touch kernel audit state: by every test in this process (a mutex)
/// and across processes and worktrees on this machine (flock).
pub struct KernelLock {
    _file: fs::File,
    _guard: MutexGuard<'static, ()>,
}

pub fn kernel_lock() -> KernelLock {
    static IN_PROCESS: Mutex<()> = Mutex::new(());
    let guard = IN_PROCESS.lock().unwrap_or_else(|p| p.into_inner());
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open("/run/lock/libaudit-rs-kernel.lock")
        .or_else(|_| fs::File::create(std::env::temp_dir().join("libaudit-rs-kernel.lock")))
        .expect("lock file");
    // SAFETY: flock on a file we own.
    assert_eq!(unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) }, 0);
    KernelLock { _file: file, _guard: guard }
}

/// The kernel audit state a test may change, as `auditctl -s` and `auditctl -l` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditState {
    pub status: Vec<(String, String)>,
    pub rules: String,
}

const RESTORABLE: &[&str] = &["enabled", "failure", "pid", "rate_limit", "backlog_limit", "backlog_wait_time"];

fn auditctl(args: &[&str]) -> String {
    // The system's auditctl with the system's library: the reference we restore with.
    let out = Command::new("auditctl")
        .args(args)
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .output()
        .expect("auditctl");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn audit_state() -> AuditState {
    let status = auditctl(&["-s"])
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(k, _)| RESTORABLE.contains(k))
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect();
    AuditState { status, rules: auditctl(&["-l"]) }
}

/// Puts back what differs from `saved`. Never writes enabled 2 or failure 2.
pub fn restore(saved: &AuditState) {
    let now = audit_state();
    for ((key, want), (_, have)) in saved.status.iter().zip(&now.status) {
        if want == have {
            continue;
        }
        let flag = match key.as_str() {
            "enabled" if want != "2" => "-e",
            "failure" if want != "2" => "-f",
            "rate_limit" => "-r",
            "backlog_limit" => "-b",
            "backlog_wait_time" => "--backlog_wait_time",
            "pid" => {
                // Unregister whatever daemon a test left behind.
                if want == "0" {
                    unregister_audit_pid();
                }
                continue;
            }
            _ => continue,
        };
        auditctl(&[flag, want]);
    }
    if now.rules != saved.rules && saved.rules.trim() == "No rules" {
        auditctl(&["-D"]);
    }
}

fn unregister_audit_pid() {
    // SAFETY: plain socket calls; the struct is audit_status with mask AUDIT_STATUS_PID, pid 0.
    unsafe {
        let fd = libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 9);
        if fd < 0 {
            return;
        }
        let mut msg = [0u8; 16 + 44];
        msg[0..4].copy_from_slice(&60u32.to_ne_bytes());
        msg[4..6].copy_from_slice(&1001u16.to_ne_bytes());
        msg[6..8].copy_from_slice(&5u16.to_ne_bytes());
        msg[16..20].copy_from_slice(&4u32.to_ne_bytes());
        let mut addr: libc::sockaddr_nl = std::mem::zeroed();
        addr.nl_family = libc::AF_NETLINK as u16;
        libc::sendto(
            fd,
            msg.as_ptr().cast(),
            msg.len(),
            0,
            (&addr as *const libc::sockaddr_nl).cast(),
            std::mem::size_of_val(&addr) as u32,
        );
        libc::close(fd);
    }
}

/// Holds the kernel lock and restores the audit state on drop, also when the test panics.
pub struct KernelGuard {
    pub saved: AuditState,
    _lock: KernelLock,
}

impl KernelGuard {
    pub fn new() -> Self {
        let lock = kernel_lock();
        KernelGuard { saved: audit_state(), _lock: lock }
    }

    /// What changed since the guard was taken (empty if nothing).
    pub fn changes(&self) -> Vec<String> {
        let now = audit_state();
        let mut out: Vec<String> = self
            .saved
            .status
            .iter()
            .zip(&now.status)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("{} {} -> {}", a.0, a.1, b.1))
            .collect();
        if now.rules != self.saved.rules {
            out.push(format!("rules changed:\n{}", now.rules));
        }
        out
    }
}

impl Drop for KernelGuard {
    fn drop(&mut self) {
        restore(&self.saved);
    }
}

/// A socket on the kernel's readlog multicast group.
pub struct Readlog(OwnedFd);

impl Readlog {
    pub fn open() -> Readlog {
        // SAFETY: plain socket calls on a socket we own.
        unsafe {
            let fd = libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, libc::NETLINK_AUDIT);
            assert!(fd >= 0, "netlink socket");
            let fd = OwnedFd::from_raw_fd(fd);
            let mut addr: libc::sockaddr_nl = std::mem::zeroed();
            addr.nl_family = libc::AF_NETLINK as u16;
            addr.nl_groups = 1;
            let rc = libc::bind(
                fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_nl).cast(),
                size_of::<libc::sockaddr_nl>() as u32,
            );
            assert_eq!(rc, 0, "bind to the readlog group");
            Readlog(fd)
        }
    }

    /// Every record until none came for `quiet`: (type, text).
    pub fn drain(&self, quiet: Duration) -> Vec<(u16, String)> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 9000];
        loop {
            let mut pfd = libc::pollfd { fd: self.0.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd; recv into a buffer we own.
            let n = unsafe {
                if libc::poll(&mut pfd, 1, quiet.as_millis() as i32) <= 0 {
                    return out;
                }
                libc::recv(self.0.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0)
            };
            if n < 16 {
                continue;
            }
            let msg_type = u16::from_ne_bytes([buf[4], buf[5]]);
            let text = String::from_utf8_lossy(&buf[16..n as usize]);
            out.push((msg_type, text.trim_end_matches('\0').to_string()));
        }
    }
}

/// Syscall rules the auditctl scenarios of the consumer tests add: both arches, a list of
/// syscalls, operators, names for values.
pub const ADD_ACCESS: &[&str] = &[
    "-a",
    "always,exit",
    "-F",
    "arch=b64",
    "-S",
    "openat,open_by_handle_at",
    "-F",
    "exit=-EACCES",
    "-F",
    "auid>=1000",
    "-F",
    "auid!=unset",
    "-k",
    "access",
];
pub const ADD_PERM_MOD: &[&str] =
    &["-a", "always,exit", "-F", "arch=b32", "-S", "chmod", "-S", "fchmod", "-F", "auid>=1000", "-k", "perm_mod"];

/// An auditd configuration that keeps everything in `dir` and touches nothing else on the host.
fn auditd_config(dir: &Path) {
    let plugins = dir.join("plugins.d");
    fs::create_dir_all(&plugins).unwrap();
    let conf = format!(
        "local_events = yes\nwrite_logs = yes\nlog_file = {}\nlog_group = root\nlog_format = ENRICHED\n\
         flush = INCREMENTAL_ASYNC\nfreq = 50\nmax_log_file = 8\nnum_logs = 5\npriority_boost = 0\n\
         name_format = NONE\nmax_log_file_action = ROTATE\nspace_left = 75\nspace_left_action = IGNORE\n\
         admin_space_left = 50\nadmin_space_left_action = IGNORE\ndisk_full_action = IGNORE\n\
         disk_error_action = IGNORE\nuse_libwrap = no\ntcp_listen_queue = 5\ntcp_max_per_addr = 1\n\
         tcp_client_max_idle = 0\ntransport = TCP\ndistribute_network = no\nq_depth = 1200\n\
         overflow_action = IGNORE\nmax_restarts = 10\nplugin_dir = {}\nend_of_event_timeout = 2\n",
        dir.join("audit.log").display(),
        plugins.display()
    );
    let path = dir.join("auditd.conf");
    fs::write(&path, conf).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
}

/// The pid registered as the audit daemon (0: none).
pub fn registered_pid() -> u32 {
    audit_state().status.iter().find(|(k, _)| k == "pid").and_then(|(_, v)| v.parse().ok()).unwrap_or(0)
}

/// An audit daemon in the foreground, on a configuration that keeps everything in its directory;
/// it writes its records to `stdout` there. Stopped when dropped, also when a test fails.
pub struct Auditd {
    child: Child,
    dir: PathBuf,
}

impl Auditd {
    /// Starts `auditd` (the command, with its library set) as `auditd -f -c <dir>`, and waits
    /// until it registered with the kernel; Err saying why when it exited or did not register
    /// within 15 s.
    pub fn start(mut auditd: Command, dir: &Path) -> Result<Auditd, String> {
        auditd_config(dir);
        let child = auditd
            .args(["-f", "-c"])
            .arg(dir)
            .stdout(fs::File::create(dir.join("stdout")).unwrap())
            .stderr(fs::File::create(dir.join("stderr")).unwrap())
            .spawn()
            .expect("auditd");
        let mut daemon = Auditd { child, dir: dir.to_path_buf() };
        let deadline = Instant::now() + Duration::from_secs(15);
        while registered_pid() != daemon.child.id() {
            let stderr = || fs::read_to_string(dir.join("stderr")).unwrap_or_default();
            if Instant::now() > deadline {
                return Err(format!("auditd did not register:\n{}", stderr()));
            }
            if let Some(status) = daemon.child.try_wait().unwrap() {
                return Err(format!("auditd exited: {status}\n{}", stderr()));
            }
            sleep(Duration::from_millis(100));
        }
        Ok(daemon)
    }

    /// What the consumer tests send the daemon, with `auditctl` (its transcripts returned): a
    /// watch tagged `key` on a file, a write that trips it, the user message `message`, the
    /// watch removed; then a moment for the records to arrive.
    pub fn events(&self, auditctl: impl Fn(&[&str]) -> String, key: &str, message: &str) -> String {
        let watched = self.dir.join("watched");
        let watch = watched.display().to_string();
        let mut out = auditctl(&["-w", &watch, "-p", "wa", "-k", key]);
        fs::write(&watched, "event").unwrap();
        out += &auditctl(&["-m", message]);
        out += &auditctl(&["-W", &watch, "-p", "wa", "-k", key]);
        sleep(Duration::from_millis(500));
        out
    }

    /// Stops the daemon (SIGTERM): its exit status and the records it wrote.
    pub fn stop(mut self) -> (ExitStatus, String) {
        // SAFETY: signals the daemon this test started, not yet waited for.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        (status, fs::read_to_string(self.dir.join("stdout")).unwrap())
    }
}

impl Drop for Auditd {
    fn drop(&mut self) {
        // Once waited for, its pid may be another process's.
        if let Ok(None) = self.child.try_wait() {
            // SAFETY: signals the daemon this test started, by its pid, still ours (not reaped).
            unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
            let _ = self.child.wait();
        }
    }
}

/// The record types in an audit log, sorted, each once.
pub fn record_types(log: &str) -> Vec<&str> {
    let mut types: Vec<&str> = log.lines().filter_map(|l| l.strip_prefix("type=")?.split(' ').next()).collect();
    types.sort();
    types.dedup();
    types
}
