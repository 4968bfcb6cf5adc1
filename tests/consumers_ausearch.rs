//! Real consumers of the lookup tables: the system's ausearch and aureport (through the system's
//! libauparse.so.0, which then loads whichever libaudit.so.1 comes first) read an audit log made
//! of real kernel records, once with the system's libaudit and once with ours: every output must
//! be identical.
//!
//! The log: auditing is enabled for a moment (under the kernel lock, state restored) with a rule
//! on a workload run under an unusual gid, the workload runs (file and socket syscalls, failures,
//! a login uid change, a crash), user-space records of many types are sent, and everything the
//! kernel emits on the readlog multicast group is written in auditd's raw log format.

mod common;

use std::fs;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const KEY: &str = "libaudit-rs-consumers";
const WORKLOAD_GID: &str = "54321";
const NETLINK_AUDIT: i32 = 9;
const AUDIT_EOE: u16 = 1320;

fn auditctl(args: &[&str]) {
    let out = Command::new("auditctl").args(args).env_remove("LD_LIBRARY_PATH").output().expect("auditctl");
    assert!(out.status.success(), "auditctl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn netlink(groups: u32) -> OwnedFd {
    // SAFETY: plain socket calls on a socket we own.
    unsafe {
        let fd = libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, NETLINK_AUDIT);
        assert!(fd >= 0, "netlink socket");
        let fd = OwnedFd::from_raw_fd(fd);
        if groups != 0 {
            let mut addr: libc::sockaddr_nl = std::mem::zeroed();
            addr.nl_family = libc::AF_NETLINK as u16;
            addr.nl_groups = groups;
            let len = std::mem::size_of_val(&addr) as u32;
            assert_eq!(libc::bind(fd.as_raw_fd(), (&raw const addr).cast(), len), 0, "bind readlog");
            // Room for every record of the workload: they are read only after it ends.
            let size: libc::c_int = 32 << 20;
            let size_len = std::mem::size_of_val(&size) as u32;
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUFFORCE,
                (&raw const size).cast(),
                size_len,
            );
        }
        fd
    }
}

/// Sends a user-space record of `kind` to the kernel, which logs it with our credentials.
fn user_record(fd: &OwnedFd, kind: u16, text: &str) {
    let mut msg = vec![0u8; 16];
    msg.extend_from_slice(text.as_bytes());
    msg.push(0);
    let len = msg.len() as u32;
    msg[0..4].copy_from_slice(&len.to_ne_bytes());
    msg[4..6].copy_from_slice(&kind.to_ne_bytes());
    msg[6..8].copy_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes());
    // SAFETY: sendto of our buffer to the kernel's address.
    let sent = unsafe {
        let mut addr: libc::sockaddr_nl = std::mem::zeroed();
        addr.nl_family = libc::AF_NETLINK as u16;
        let len = std::mem::size_of_val(&addr) as u32;
        libc::sendto(fd.as_raw_fd(), msg.as_ptr().cast(), msg.len(), 0, (&raw const addr).cast(), len)
    };
    assert_eq!(sent, msg.len() as isize, "user record {kind}");
}

/// Every record on the readlog socket until it stays quiet for `quiet`, as auditd's log lines.
fn collect(fd: &OwnedFd, quiet: Duration) -> String {
    let mut log = String::new();
    let mut buf = vec![0u8; 9000];
    loop {
        let mut pfd = libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: poll and recv on our socket into our buffer.
        if unsafe { libc::poll(&mut pfd, 1, quiet.as_millis() as i32) } <= 0 {
            return log;
        }
        // SAFETY: as above.
        let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
        assert!(n >= 0, "readlog: {}", std::io::Error::last_os_error());
        if n < 16 {
            continue;
        }
        let kind = u16::from_ne_bytes([buf[4], buf[5]]);
        if kind == AUDIT_EOE {
            continue; // auditd ends events on it but does not write it
        }
        let text = String::from_utf8_lossy(&buf[16..n as usize]);
        let text = text.trim_end_matches('\0').trim_end_matches('\n');
        // Named as the installed auditd (3.0.9) names them.
        let name = linux_audit::tables::Tables::of(linux_audit::Line::V3_0_9)
            .msg_type_to_name(kind.into())
            .map_or_else(|| format!("UNKNOWN[{kind}]"), |n| n.to_string_lossy().into_owned());
        log.push_str(&format!("type={name} msg={text}\n"));
    }
}

/// File, socket and process activity under WORKLOAD_GID, with failures, a login and a crash.
const WORKLOAD: &str = r#"
set +e
echo 1000 > /proc/self/loginuid
mkdir d; touch d/f; mv d/f d/g; chmod 600 d/g; ln -s g d/l; cat d/missing; rm -r d
ls /nonexistent; cat /etc/hostname > /dev/null
exec 3<>/dev/tcp/127.0.0.1/9 ; true
sh -c 'kill -SEGV $$'
true
"#;

fn make_log(dir: &Path) -> String {
    let guard = common::KernelGuard::new();
    let readlog = netlink(1);
    let user = netlink(0);
    auditctl(&["-e", "1"]);
    let rule = [
        "-a",
        "always,exit",
        "-F",
        "arch=b64",
        "-S",
        "openat,execve,unlinkat,mkdir,rename,renameat2,chmod,fchmodat,symlinkat,connect,kill",
        "-F",
        &format!("gid={WORKLOAD_GID}"),
        "-k",
        KEY,
    ];
    auditctl(&rule);
    let status = Command::new("setpriv")
        .args(["--regid", WORKLOAD_GID, "--clear-groups", "bash", "-c", WORKLOAD])
        .current_dir(dir)
        .env_remove("LD_LIBRARY_PATH")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("workload");
    assert!(status.code().is_some(), "workload did not run");
    for (kind, text) in [
        (
            1100,
            r#"op=PAM:authentication grantors=pam_unix acct="alice" exe="/usr/bin/login" hostname=host1 addr=192.0.2.1 terminal=tty1 res=success"#,
        ),
        (
            1100,
            r#"op=PAM:authentication grantors=? acct="mallory" exe="/usr/sbin/sshd" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed"#,
        ),
        (
            1101,
            r#"op=PAM:accounting grantors=pam_permit acct="alice" exe="/usr/bin/login" hostname=host1 addr=192.0.2.1 terminal=tty1 res=success"#,
        ),
        (
            1103,
            r#"op=PAM:setcred grantors=pam_env,pam_unix acct="alice" exe="/usr/bin/login" hostname=host1 addr=192.0.2.1 terminal=tty1 res=success"#,
        ),
        (
            1105,
            r#"op=PAM:session_open grantors=pam_unix acct="alice" exe="/usr/bin/login" hostname=host1 addr=192.0.2.1 terminal=tty1 res=success"#,
        ),
        (1112, r#"op=login id=1000 exe="/usr/bin/login" hostname=host1 addr=192.0.2.1 terminal=tty1 res=success"#),
        (1112, r#"op=login acct="mallory" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=sshd res=failed"#),
        (1123, r#"cwd="/root" cmd=6C73202D6C202F726F6F74 exe="/usr/bin/sudo" terminal=pts/1 res=success"#),
        (1114, r#"op=adding user id=1001 exe="/usr/sbin/useradd" hostname=? addr=? terminal=pts/1 res=success"#),
        (
            1108,
            r#"op=PAM:chauthtok grantors=pam_unix acct="alice" exe="/usr/bin/passwd" hostname=? addr=? terminal=pts/1 res=success"#,
        ),
        (
            1106,
            r#"op=PAM:session_close grantors=pam_unix acct="alice" exe="/usr/bin/login" hostname=host1 addr=192.0.2.1 terminal=tty1 res=success"#,
        ),
        (
            1104,
            r#"op=PAM:setcred grantors=pam_unix acct="alice" exe="/usr/bin/login" hostname=host1 addr=192.0.2.1 terminal=tty1 res=success"#,
        ),
        (2100, r#"op=login acct="mallory" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=sshd res=failed"#),
        (2999, r#"op=unnamed-type res=success"#),
    ] {
        user_record(&user, kind, text);
    }
    let log = collect(&readlog, Duration::from_millis(500));
    auditctl(&["-D", "-k", KEY]);
    auditctl(&["-e", "0"]);
    drop(guard);
    log
}

fn run(tool: &str, args: &[&str], log: &Path, library_dir: Option<&Path>) -> Output {
    let mut cmd = Command::new(tool);
    cmd.arg("-if")
        .arg(log)
        .args(args)
        .env_remove("LD_PRELOAD")
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    match library_dir {
        Some(dir) => cmd.env("LD_LIBRARY_PATH", dir),
        None => cmd.env_remove("LD_LIBRARY_PATH"),
    };
    cmd.output().expect(tool)
}

#[test]
fn ausearch_and_aureport_agree() {
    let ours = common::ours();
    let loaded = Command::new("ldd").arg("/usr/sbin/ausearch").env("LD_LIBRARY_PATH", ours).output().unwrap();
    assert!(String::from_utf8_lossy(&loaded.stdout).contains(&*ours.to_string_lossy()), "ausearch would not load ours");

    let dir = common::work_dir().join("consumers");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let log = make_log(&dir);
    let log_path = dir.join("audit.log");
    fs::write(&log_path, &log).unwrap();
    for expected in [
        "type=SYSCALL",
        "type=PATH",
        "type=EXECVE",
        "type=USER_LOGIN",
        "type=LOGIN",
        "type=ANOM_ABEND",
        "type=UNKNOWN[2999]",
    ] {
        assert!(log.contains(expected), "{} lacks {expected}", log_path.display());
    }

    let runs: &[(&str, &[&str])] = &[
        ("ausearch", &["-i"]),
        ("ausearch", &["--raw"]),
        ("ausearch", &["--format", "csv", "--extra-keys", "--extra-time"]),
        ("ausearch", &["--format", "text"]),
        ("ausearch", &["-i", "-sc", "openat"]),
        ("ausearch", &["-i", "-sc", "257"]),
        ("ausearch", &["-i", "-sc", "MKDIR"]),
        ("ausearch", &["-i", "-m", "USER_LOGIN,USER_AUTH"]),
        ("ausearch", &["-i", "-m", "UNKNOWN[2999]"]),
        ("ausearch", &["-i", "-m", "2999"]),
        ("ausearch", &["-i", "-m", "anom_abend"]),
        ("ausearch", &["-i", "-k", KEY, "--success", "no"]),
        ("ausearch", &["-i", "-e", "-ENOENT"]),
        ("ausearch", &["-i", "-e", "-2"]),
        ("ausearch", &["-i", "--arch", "b64"]),
        ("ausearch", &["-i", "--arch", "x86_64", "-ge", WORKLOAD_GID]),
        ("ausearch", &["-i", "-ul", "1000"]),
        ("aureport", &[]),
        ("aureport", &["-i"]),
        ("aureport", &["-s", "-i"]),
        ("aureport", &["-s", "--summary", "-i"]),
        ("aureport", &["-x", "-i"]),
        ("aureport", &["-x", "--summary"]),
        ("aureport", &["-f", "-i"]),
        ("aureport", &["-f", "--summary", "--failed"]),
        ("aureport", &["-u", "-i"]),
        ("aureport", &["-l", "-i"]),
        ("aureport", &["-au", "-i"]),
        ("aureport", &["-m", "-i"]),
        ("aureport", &["-c", "-i"]),
        ("aureport", &["-e", "-i"]),
        ("aureport", &["-e", "--summary", "-i"]),
        ("aureport", &["-k", "-i"]),
        ("aureport", &["-n", "-i"]),
        ("aureport", &["-p", "-i"]),
        ("aureport", &["-t"]),
        ("aureport", &["-h", "-i"]),
        ("aureport", &["-tm", "-i"]),
        ("aureport", &["--comm", "-i"]),
        ("aureport", &["--failed", "-i"]),
    ];
    let mut problems = Vec::new();
    for (tool, args) in runs {
        let system = run(tool, args, &log_path, None);
        let ours = run(tool, args, &log_path, Some(ours));
        if system.stdout.is_empty() {
            problems.push(format!("{tool} {args:?}: no output with the system library"));
        }
        if (&system.stdout, &system.stderr, system.status) != (&ours.stdout, &ours.stderr, ours.status) {
            problems.push(format!(
                "{tool} {args:?} differs\n--- system ({}):\n{}{}\n--- ours ({}):\n{}{}",
                system.status,
                String::from_utf8_lossy(&system.stdout),
                String::from_utf8_lossy(&system.stderr),
                ours.status,
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&ours.stderr)
            ));
        }
    }
    println!("{} consumer runs compared over {} log lines", runs.len(), log.lines().count());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
