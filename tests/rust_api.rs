//! The Rust API of linux-audit against the real kernel: its records are the ones the C face
//! writes for the same inputs (read back from the kernel's readlog group), its status is the
//! kernel's, and its errors are the kernel's refusals.
//!
//! Holds the kernel lock, turns auditing on, and puts the audit state back on drop.

mod common;

use std::ffi::CString;
use std::process::{Command, Stdio};
use std::time::Duration;

use linux_audit::wire::{AUDIT_ADD_USER, AUDIT_USER_CMD, AUDIT_USER_LOGIN, AUDIT_USER_START};
use linux_audit::{Account, AcctMessage, Enabled, Error, Socket, Terminal, UserCommand, UserMessage};

fn audit_on() -> common::KernelGuard {
    let guard = common::KernelGuard::new();
    let status = Command::new("auditctl").args(["-e", "1"]).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
    guard
}

/// The records of this process, with the audit(time:serial) stamp left out.
fn own_records(log: &common::Readlog, kind: u16) -> Vec<String> {
    let own = format!(" pid={} ", std::process::id());
    log.drain(Duration::from_millis(300))
        .into_iter()
        .filter(|(k, text)| *k == kind && text.contains(&own))
        .map(|(_, text)| text[text.find("): ").expect("a stamp")..].to_string())
        .collect()
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

#[test]
fn records_equal_the_c_face_s() {
    let _guard = audit_on();
    let audit = Socket::open().unwrap();
    assert_eq!(audit.status().unwrap().enabled, Enabled::On);
    let fd = audit::netlink::audit_open();
    assert!(fd >= 0);

    let log = common::Readlog::open();
    let seq = UserCommand::new("/usr/bin/id -u 'x y'").terminal(Terminal::Named(b"pts/7")).send(&audit).unwrap();
    assert!(seq > 0);
    // SAFETY: NUL-terminated strings that outlive the call.
    let rc = unsafe {
        audit::logging::audit_log_user_command(
            fd,
            AUDIT_USER_CMD.into(),
            c("/usr/bin/id -u 'x y'").as_ptr(),
            c("pts/7").as_ptr(),
            1,
        )
    };
    assert!(rc > 0);
    let records = own_records(&log, AUDIT_USER_CMD);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0], records[1]);
    assert!(records[0].contains(" cmd=2F7573722F62696E2F6964202D75202778207927 "), "{}", records[0]);

    let login = UserMessage::new(AUDIT_USER_LOGIN, "op=login acct=\"alice\"")
        .host("ssh.example")
        .addr("192.0.2.1")
        .terminal(Terminal::Named(b"ssh"))
        .success(false);
    login.send(&audit).unwrap();
    // SAFETY: NUL-terminated strings that outlive the call.
    let rc = unsafe {
        audit::logging::audit_log_user_message(
            fd,
            AUDIT_USER_LOGIN.into(),
            c("op=login acct=\"alice\"").as_ptr(),
            c("ssh.example").as_ptr(),
            c("192.0.2.1").as_ptr(),
            c("ssh").as_ptr(),
            0,
        )
    };
    assert!(rc > 0);
    let records = own_records(&log, AUDIT_USER_LOGIN);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0], records[1]);
    assert!(records[0].contains(" hostname=ssh.example addr=192.0.2.1 terminal=ssh res=failed"), "{}", records[0]);
    audit::netlink::audit_close(fd);
}

/// Where the C face hides a refusal (returns 0), the Rust API reports it: as nobody, EPERM;
/// in a user namespace, where the kernel's audit is not reachable, ECONNREFUSED.
#[test]
fn refusals_are_errors() {
    let exe = std::env::current_exe().unwrap();
    let nobody: &[&str] = &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
    let namespace: &[&str] = &["unshare", "-U", "-r"];
    for (wrapper, expect) in [(nobody, libc::EPERM), (namespace, libc::ECONNREFUSED)] {
        let out = Command::new(wrapper[0])
            .args(&wrapper[1..])
            .arg(&exe)
            .args(["--exact", "refused", "--ignored"])
            .env("RUST_API_EXPECT", expect.to_string())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && stdout.contains("1 passed"), "{wrapper:?}: {stdout}");
    }
}

#[test]
#[ignore = "run by refusals_are_errors, without privilege or without audit"]
fn refused() {
    let expect: i32 = std::env::var("RUST_API_EXPECT").unwrap().parse().unwrap();
    let audit = Socket::open().unwrap();
    let error = UserCommand::new("/bin/true").send(&audit).unwrap_err();
    assert_eq!(error, Error::Os(expect));
    assert_eq!(error.audit_unavailable(), expect == libc::ECONNREFUSED);
    let error = UserMessage::new(AUDIT_USER_LOGIN, "op=login").send(&audit).unwrap_err();
    assert_eq!(error, Error::Os(expect));
}

/// Settings change what the kernel reports; the guard puts the old values back.
#[test]
fn settings_read_back() {
    let guard = audit_on();
    let audit = Socket::open().unwrap();
    let before = audit.status().unwrap();
    audit.set_backlog_limit(before.backlog_limit + 7).unwrap();
    audit.set_rate_limit(before.rate_limit + 3).unwrap();
    audit.set_backlog_wait_time(before.backlog_wait_time + 11).unwrap();
    let after = audit.status().unwrap();
    assert_eq!(after.backlog_limit, before.backlog_limit + 7);
    assert_eq!(after.rate_limit, before.rate_limit + 3);
    assert_eq!(after.backlog_wait_time, before.backlog_wait_time + 11);
    audit.set_enabled(false).unwrap();
    assert_eq!(audit.status().unwrap().enabled, Enabled::Off);
    audit.set_enabled(true).unwrap();
    assert_eq!(audit.status().unwrap().enabled, Enabled::On);
    if before.feature_bitmap & linux_audit::wire::AUDIT_FEATURE_BITMAP_LOST_RESET != 0 {
        // The count the kernel had when it reset it: at least what it had before.
        assert!(audit.reset_lost().unwrap() >= before.lost);
    }
    drop(guard);
    assert_eq!(Socket::open().unwrap().status().unwrap().backlog_limit, before.backlog_limit);
}

/// Account records and records with comm=, through the Rust API and the C exports.
#[test]
fn account_and_comm_records_equal_the_c_face_s() {
    let _guard = audit_on();
    let audit = Socket::open().unwrap();
    let fd = audit::netlink::audit_open();
    assert!(fd >= 0);
    let log = common::Readlog::open();
    AcctMessage::new(AUDIT_ADD_USER, "adding user", Account::Name(b"new user"))
        .program("useradd")
        .terminal(Terminal::None)
        .send(&audit)
        .unwrap();
    // SAFETY: NUL-terminated strings that outlive the call; NULL host and address.
    let rc = unsafe {
        audit::logging::audit_log_acct_message(
            fd,
            AUDIT_ADD_USER.into(),
            c("useradd").as_ptr(),
            c("adding user").as_ptr(),
            c("new user").as_ptr(),
            u32::MAX,
            std::ptr::null(),
            std::ptr::null(),
            c("").as_ptr(),
            1,
        )
    };
    assert!(rc > 0);
    let records = own_records(&log, AUDIT_ADD_USER);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0], records[1]);
    assert!(records[0].contains("op=adding user acct=6E65772075736572 exe=\"useradd\""), "{}", records[0]);

    UserMessage::new(AUDIT_USER_START, "op=session").comm(Some(b"cron")).send(&audit).unwrap();
    // SAFETY: NUL-terminated strings that outlive the call; NULL host, address and terminal.
    let rc = unsafe {
        audit::logging::audit_log_user_comm_message(
            fd,
            AUDIT_USER_START.into(),
            c("op=session").as_ptr(),
            c("cron").as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            1,
        )
    };
    assert!(rc > 0);
    let records = own_records(&log, AUDIT_USER_START);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0], records[1]);
    assert!(records[0].contains("op=session comm=\"cron\" exe="), "{}", records[0]);
    audit::netlink::audit_close(fd);
}

/// Rules built in Rust are added, listed back equal, and deleted; the kernel's refusals and
/// the rule-building errors are typed. The guard puts the rules back, also on failure.
#[test]
fn rules_add_list_delete() {
    use linux_audit::{Action, List, Operator, Rule};
    let guard = common::KernelGuard::new();
    let audit = Socket::open().unwrap();
    let before = audit.rules().unwrap();

    let syscall = Rule::new(List::Exit, Action::Always)
        .field("arch=b64")
        .unwrap()
        .syscall("openat")
        .unwrap()
        .syscall("unlinkat")
        .unwrap()
        .field_op("uid", Operator::GreaterOrEqual, "1000")
        .unwrap()
        .field("exit=-EPERM")
        .unwrap()
        .key("rust-api-syscall")
        .unwrap();
    let watch =
        Rule::watch("/etc/libaudit-rs-rust-api").unwrap().permissions("wa").unwrap().key("rust-api-watch").unwrap();
    let user = Rule::new(List::User, Action::Never).field("auid=12345").unwrap();

    for rule in [&syscall, &watch, &user] {
        audit.add_rule(rule).unwrap();
    }
    assert_eq!(audit.add_rule(&syscall), Err(Error::Os(libc::EEXIST)));
    let listed = audit.rules().unwrap();
    assert_eq!(listed.len(), before.len() + 3, "{listed:#?}");
    for rule in [&syscall, &watch, &user] {
        assert!(listed.contains(rule), "{rule:?} not in {listed:#?}");
    }
    let shown = Command::new("auditctl").arg("-l").env_remove("LD_LIBRARY_PATH").output().unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("-S openat,unlinkat -F exit=-EPERM -F uid>=1000 -F key=rust-api-syscall")
            || shown.contains("uid>=1000") && shown.contains("key=rust-api-syscall"),
        "{shown}"
    );
    assert!(shown.contains("-w /etc/libaudit-rs-rust-api -p wa -k rust-api-watch"), "{shown}");

    for rule in [&syscall, &watch, &user] {
        audit.delete_rule(rule).unwrap();
    }
    assert_eq!(audit.delete_rule(&user), Err(Error::Os(libc::ENOENT)));
    assert_eq!(audit.rules().unwrap(), before);
    assert_eq!(guard.changes(), Vec::<String>::new());
}

/// A semanage record from the builder is the C face's for the same inputs; features and
/// signal info read typed.
#[test]
fn semanage_features_signal_info() {
    use linux_audit::{SeRoles, SemanageMessage};
    const AUDIT_ROLE_ASSIGN: u16 = 2300;
    let _guard = audit_on();
    let audit = Socket::open().unwrap();
    let fd = audit::netlink::audit_open();
    assert!(fd >= 0);
    let log = common::Readlog::open();
    SemanageMessage::new(AUDIT_ROLE_ASSIGN, "login", Account::Name(b"alice"))
        .program("semanage")
        .new_roles(SeRoles { seuser: Some(b"staff_u"), role: Some(b"staff_r"), range: Some(b"s0") })
        .old_roles(SeRoles { seuser: Some(b"user_u"), ..Default::default() })
        .terminal(Terminal::Named(b"pts/3"))
        .send(&audit)
        .unwrap();
    // SAFETY: NUL-terminated strings (or NULL) that outlive the call.
    let rc = unsafe {
        let null = std::ptr::null();
        audit::logging::audit_log_semanage_message(
            fd,
            AUDIT_ROLE_ASSIGN.into(),
            c("semanage").as_ptr(),
            c("login").as_ptr(),
            c("alice").as_ptr(),
            0,
            c("staff_u").as_ptr(),
            c("staff_r").as_ptr(),
            c("s0").as_ptr(),
            c("user_u").as_ptr(),
            null,
            null,
            null,
            null,
            c("pts/3").as_ptr(),
            1,
        )
    };
    assert!(rc > 0);
    let records = own_records(&log, AUDIT_ROLE_ASSIGN);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0], records[1]);
    assert!(records[0].contains(" new-seuser=staff_u new-role=staff_r new-range=s0 exe=semanage "), "{}", records[0]);
    audit::netlink::audit_close(fd);

    let features = audit.features().unwrap();
    assert_eq!(features.version, 1);
    // No daemon signalled here, or auditd: either way a typed answer.
    match audit.signal_info() {
        Ok(info) => assert!(info.format("test", "success").starts_with("op=test auid=")),
        Err(e) => assert!(e.raw_os_error().is_some(), "{e:?}"),
    }
}

/// A user AVC record from the builder is the C face's for the same inputs.
#[test]
fn user_avc_equals_the_c_face_s() {
    const AUDIT_USER_AVC: u16 = 1107;
    let _guard = audit_on();
    let audit = Socket::open().unwrap();
    let fd = audit::netlink::audit_open();
    assert!(fd >= 0);
    let log = common::Readlog::open();
    let text = "avc:  denied  { send_msg } for scontext=a tcontext=b tclass=dbus";
    linux_audit::UserAvc::new(text, 1000).terminal(Terminal::Named(b"pts/4")).send(&audit).unwrap();
    // SAFETY: NUL-terminated strings (or NULL) that outlive the call.
    let rc = unsafe {
        let null = std::ptr::null();
        audit::logging::audit_log_user_avc_message(
            fd,
            AUDIT_USER_AVC.into(),
            c(text).as_ptr(),
            null,
            null,
            c("pts/4").as_ptr(),
            1000,
        )
    };
    assert!(rc > 0);
    let records = own_records(&log, AUDIT_USER_AVC);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0], records[1]);
    assert!(records[0].contains(" sauid=1000 "), "{}", records[0]);
    audit::netlink::audit_close(fd);
}
