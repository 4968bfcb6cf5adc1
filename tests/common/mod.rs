//! Shared by the integration tests: our library built and staged as libaudit.so.1, the lock that
//! serialises everything touching kernel audit state, and a guard that puts that state back.
#![allow(dead_code)] // each test binary uses its own part of this module

use std::fs;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

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
