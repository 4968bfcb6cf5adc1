//! Real programs that log through libaudit (sudo, PAM via pamtester, shadow's useradd, chpasswd,
//! passwd, userdel) run once with the system library and once with ours: the kernel must log
//! the same records (pids, times, serials and session ids normalised).
//!
//! Each test holds the kernel lock, turns auditing on and puts the audit state back on drop;
//! the throwaway sudoers drop-in, PAM service and user are removed on drop too, also when a
//! test fails.

mod common;

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SUDOERS: &str = "/etc/sudoers.d/libaudit-rs-logging-test";
const PAM_SERVICE: &str = "libaudit-rs-logging-test";
const USER: &str = "lauditrs-test";

/// Replaces the value of each `key=` (at a word start, also inside msg='...') with `with`.
fn replace_values(text: &str, key: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        let at_word = i == 0 || matches!(rest.as_bytes()[i - 1], b' ' | b'\'');
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        if at_word {
            let end = rest.find([' ', '\'']).unwrap_or(rest.len());
            out.push_str(with);
            rest = &rest[end..];
        }
    }
    out + rest
}

fn normalise(text: &str) -> String {
    let mut text = match (text.find("audit("), text.find("): ")) {
        (Some(a), Some(b)) if a < b => format!("{}audit(T{}", &text[..a], &text[b..]),
        _ => text.to_string(),
    };
    // Syscall arguments are mostly addresses, which ASLR changes from run to run.
    for key in ["pid=", "ppid=", "ses=", "old-ses=", "a0=", "a1=", "a2=", "a3="] {
        text = replace_values(&text, key, "N");
    }
    text
}

/// One program run: its arguments and what it reads on stdin.
struct Step<'a>(&'a [&'a str], &'a str);

/// Runs a step (with our library when `ours`) and returns the records logged by its process.
fn records_of(Step(args, input): &Step, ours: bool) -> Vec<String> {
    use std::io::Write;
    let log = common::Readlog::open();
    let mut cmd = Command::new(args[0]);
    cmd.args(&args[1..]).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).env_remove("LD_PRELOAD");
    if ours {
        cmd.env("LD_LIBRARY_PATH", common::ours());
    } else {
        cmd.env_remove("LD_LIBRARY_PATH");
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (the tests need the Debian packages sudo, pamtester and passwd)", args[0]));
    let pid = child.id();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?} (ours: {ours}) failed: {}", String::from_utf8_lossy(&out.stderr));
    let started = Instant::now();
    let records = log.drain(Duration::from_millis(500));
    assert!(started.elapsed() < Duration::from_secs(60));
    let own = format!(" pid={pid} ");
    records
        .into_iter()
        .filter(|(_, t)| t.contains(&own))
        .map(|(ty, t)| format!("type={ty} {}", normalise(&t)))
        .collect()
}

/// Confirms the dynamic loader picks our build for `binary` (and the libraries it loads).
fn assert_loads_ours(binary: &str) {
    let out = Command::new("ldd").arg(binary).env("LD_LIBRARY_PATH", common::ours()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("libaudit.so.1 => {}", common::ours().join("libaudit.so.1").display())),
        "{binary}: {text}"
    );
}

/// Runs each step with the system library, then all again with ours, and compares the records.
/// `reset` runs before each pass.
fn compare(binaries: &[&str], steps: &[Step], reset: impl Fn()) -> usize {
    for b in binaries {
        assert_loads_ours(b);
    }
    let mut passes = Vec::new();
    for ours in [false, true] {
        reset();
        let records: Vec<Vec<String>> = steps.iter().map(|s| records_of(s, ours)).collect();
        passes.push(records);
    }
    for (step, (system, ours)) in steps.iter().zip(passes[0].iter().zip(&passes[1])) {
        let differ: Vec<String> = (0..system.len().max(ours.len()))
            .filter(|&i| system.get(i) != ours.get(i))
            .map(|i| format!("record {i}:\n  system: {:?}\n  ours:   {:?}", system.get(i), ours.get(i)))
            .collect();
        assert!(differ.is_empty(), "{:?}: records differ\n{}", step.0, differ.join("\n"));
    }
    let compared = passes[0].iter().map(Vec::len).sum();
    assert!(compared > 0, "nothing logged: is auditing on?");
    compared
}

fn audit_on(guard: &common::KernelGuard) {
    assert!(guard.changes().is_empty());
    let status = Command::new("auditctl")
        .args(["-e", "1"])
        .env_remove("LD_LIBRARY_PATH")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Removes a file on drop.
struct Throwaway(&'static str);

impl Throwaway {
    fn write(path: &'static str, text: &str, mode: u32) -> Throwaway {
        use std::os::unix::fs::PermissionsExt;
        fs::write(path, text).unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
        Throwaway(path)
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        let _ = fs::remove_file(self.0);
    }
}

fn remove_user() {
    if Command::new("id").arg(USER).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()) {
        let _ = Command::new("userdel").args(["-r", USER]).env_remove("LD_LIBRARY_PATH").stderr(Stdio::null()).status();
    }
}

/// Removes the throwaway user on drop.
struct ThrowawayUser;

impl Drop for ThrowawayUser {
    fn drop(&mut self) {
        remove_user();
    }
}

#[test]
fn sudo_logs_the_same_records() {
    let guard = common::KernelGuard::new();
    audit_on(&guard);
    let _sudoers = Throwaway::write(SUDOERS, "root ALL=(nobody) NOPASSWD: /bin/true\n", 0o440);
    let n = compare(&["/usr/bin/sudo"], &[Step(&["/usr/bin/sudo", "-n", "-u", "nobody", "/bin/true"], "")], || {});
    println!("sudo: {n} records compared");
}

#[test]
fn pam_logs_the_same_records() {
    let guard = common::KernelGuard::new();
    audit_on(&guard);
    let service = format!("/etc/pam.d/{PAM_SERVICE}");
    let service: &'static str = Box::leak(service.into_boxed_str());
    let _pam = Throwaway::write(
        service,
        "auth required pam_permit.so\naccount required pam_permit.so\npassword required pam_permit.so\n\
         session required pam_loginuid.so\nsession required pam_permit.so\n",
        0o644,
    );
    let n = compare(
        &["/usr/bin/pamtester", "/lib/x86_64-linux-gnu/security/pam_loginuid.so"],
        &[Step(
            &["/usr/bin/pamtester", PAM_SERVICE, "root", "authenticate", "acct_mgmt", "open_session", "close_session"],
            "",
        )],
        || {},
    );
    println!("pamtester: {n} records compared");
}

#[test]
fn shadow_tools_log_the_same_records() {
    let guard = common::KernelGuard::new();
    audit_on(&guard);
    let _user = ThrowawayUser;
    let password = format!("{USER}:Throwaway-pw-1\n");
    let n = compare(
        &["/usr/sbin/useradd", "/usr/sbin/chpasswd", "/usr/bin/passwd", "/usr/sbin/userdel"],
        &[
            Step(&["/usr/sbin/useradd", "-M", "-s", "/usr/sbin/nologin", USER], ""),
            Step(&["/usr/sbin/chpasswd"], &password),
            Step(&["/usr/bin/passwd", "-d", USER], ""),
            Step(&["/usr/sbin/userdel", USER], ""),
        ],
        remove_user,
    );
    println!("shadow: {n} records compared");
}
