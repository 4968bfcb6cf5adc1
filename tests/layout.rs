//! c-tests/layout.c prints the layout of every structure of libaudit.h and the values and sizes
//! of its enums, as each release line's header has them. For every line, compiled against that
//! line's real header (its oracle's include/, scripts/oracle; for 3.0.9 without an oracle, the
//! system's) and against ours, include/<line>/, it must print the same; and the Rust definitions
//! must match each line's real header's layout, field by field. A line without an oracle source
//! is skipped with a message.

mod common;

use std::collections::BTreeMap;
use std::mem::{align_of, offset_of, size_of};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use audit::types::*;
use linux_audit::Line;
use linux_audit::wire::{audit_features, audit_rule_data, audit_status, nlmsgerr, nlmsghdr};

/// A line's real header and library: its oracle directory, or None for the system's (3.0.9
/// only, when its oracle has no source). None outside: the line is skipped.
fn original(line: Line) -> Option<Option<&'static Path>> {
    match common::oracle(line) {
        Some(dir) => Some(Some(dir)),
        None if line == Line::V3_0_9 => {
            println!("line 3.0.9: the system's libaudit.h (Debian's 3.0.9) stands in for the oracle's");
            Some(None)
        }
        None => None,
    }
}

/// Builds c-tests/layout.c for `line` against its real header or ours (include/<line>/) and
/// runs it on the line's original library: only the header differs between the two.
fn layout(line: Line, oracle: Option<&Path>, ours: bool) -> String {
    let repo = common::repo();
    let c = repo.join("c-tests");
    // One executable per call: the tests run in parallel.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let exe = common::work_dir().join(format!("layout-{}-{line}-{ours}-{n}", std::process::id()));
    let mut cc = Command::new("cc");
    cc.args(["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror"])
        .arg(format!("-DH_LINE={}", common::h_line(line)))
        .arg("-I")
        .arg(&c);
    if ours {
        cc.arg("-I").arg(repo.join("include").join(line.version()));
    }
    if let Some(oracle) = oracle {
        cc.arg("-I").arg(oracle.join("include")).arg("-L").arg(oracle.join("lib"));
    }
    let out = cc
        .arg(c.join("layout.c"))
        .arg(c.join("harness.c"))
        .args(["-laudit", "-ldl", "-o"])
        .arg(&exe)
        .output()
        .expect("cc");
    assert!(
        out.status.success(),
        "compiling layout.c for {line} (ours: {ours}):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut run = Command::new(&exe);
    run.env_remove("LD_PRELOAD");
    match oracle {
        Some(oracle) => run.env("LD_LIBRARY_PATH", oracle.join("lib")),
        None => run.env_remove("LD_LIBRARY_PATH"),
    };
    let run = run.output().unwrap();
    assert!(run.status.success(), "layout for {line} (ours: {ours}) failed");
    String::from_utf8(run.stdout).unwrap()
}

#[test]
fn our_header_lays_out_everything_as_the_real_one() {
    let mut checked = Vec::new();
    for line in Line::ALL {
        let Some(oracle) = original(line) else { continue };
        let (real, ours) = (layout(line, oracle, false), layout(line, oracle, true));
        assert!(real.lines().count() > 80, "layout.c printed too little for {line}:\n{real}");
        for (r, o) in real.lines().zip(ours.lines()) {
            assert_eq!(r, o, "{line}: real header vs ours");
        }
        assert_eq!(real.lines().count(), ours.lines().count(), "{line}: real header vs ours");
        checked.push(format!("{line}: {} lines", real.lines().count()));
    }
    println!("identical layouts: {}", checked.join(", "));
    assert!(!checked.is_empty(), "no line could be checked");
}

/// `(C name, offset, size)` of a Rust field.
macro_rules! field {
    ($t:ident, $c:literal, $f:ident) => {
        (concat!(stringify!($t), ".", $c), offset_of!($t, $f), {
            fn size<T, F>(_: fn(&T) -> &F) -> usize {
                size_of::<F>()
            }
            size(|s: &$t| &s.$f)
        })
    };
}

/// `(C name, size, alignment)` of a Rust type.
macro_rules! sized {
    ($t:ident) => {
        (concat!("sizeof struct ", stringify!($t)), size_of::<$t>(), align_of::<$t>())
    };
}

#[test]
fn rust_definitions_lay_out_as_the_real_header() {
    let mut checked = 0;
    for line in Line::ALL {
        let Some(oracle) = original(line) else { continue };
        rust_definitions_lay_out_as(line, &layout(line, oracle, false));
        checked += 1;
    }
    assert!(checked > 0, "no line could be checked");
}

/// The Rust definitions against what layout.c printed for `line`'s real header.
fn rust_definitions_lay_out_as(line: Line, printed: &str) {
    let printed: BTreeMap<&str, (usize, usize)> = printed
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.rsplit_once(' ')?;
            let (name, first) = name.rsplit_once(' ')?;
            Some((name, (first.parse().ok()?, rest.parse().ok()?)))
        })
        .collect();
    let payload = offset_of!(audit_reply, payload);
    let pointer = size_of::<*mut u8>();
    let rust = [
        sized!(audit_reply),
        field!(audit_reply, "type", type_),
        field!(audit_reply, "len", len),
        field!(audit_reply, "nlh", nlh),
        field!(audit_reply, "msg", msg),
        // Rust names the anonymous union; each member is a pointer at its start.
        ("audit_reply.status", payload, pointer),
        ("audit_reply.ruledata", payload, pointer),
        ("audit_reply.message", payload, pointer),
        ("audit_reply.error", payload, pointer),
        ("audit_reply.signal_info", payload, pointer),
        ("audit_reply.features", payload, pointer),
        sized!(audit_message),
        field!(audit_message, "nlh", nlh),
        field!(audit_message, "data", data),
        sized!(audit_sig_info),
        field!(audit_sig_info, "uid", uid),
        field!(audit_sig_info, "pid", pid),
        field!(audit_sig_info, "ctx", ctx),
        sized!(audit_dispatcher_header),
        field!(audit_dispatcher_header, "ver", ver),
        field!(audit_dispatcher_header, "hlen", hlen),
        field!(audit_dispatcher_header, "type", r#type),
        field!(audit_dispatcher_header, "size", size),
        sized!(audit_status),
        field!(audit_status, "mask", mask),
        field!(audit_status, "enabled", enabled),
        field!(audit_status, "failure", failure),
        field!(audit_status, "pid", pid),
        field!(audit_status, "rate_limit", rate_limit),
        field!(audit_status, "backlog_limit", backlog_limit),
        field!(audit_status, "lost", lost),
        field!(audit_status, "backlog", backlog),
        field!(audit_status, "feature_bitmap", feature_bitmap),
        field!(audit_status, "backlog_wait_time", backlog_wait_time),
        field!(audit_status, "backlog_wait_time_actual", backlog_wait_time_actual),
        sized!(audit_rule_data),
        field!(audit_rule_data, "flags", flags),
        field!(audit_rule_data, "action", action),
        field!(audit_rule_data, "field_count", field_count),
        field!(audit_rule_data, "mask", mask),
        field!(audit_rule_data, "fields", fields),
        field!(audit_rule_data, "values", values),
        field!(audit_rule_data, "fieldflags", fieldflags),
        field!(audit_rule_data, "buflen", buflen),
        field!(audit_rule_data, "buf", buf),
        sized!(audit_features),
        field!(audit_features, "vers", vers),
        field!(audit_features, "mask", mask),
        field!(audit_features, "features", features),
        field!(audit_features, "lock", lock),
        sized!(nlmsghdr),
        field!(nlmsghdr, "nlmsg_len", nlmsg_len),
        field!(nlmsghdr, "nlmsg_type", nlmsg_type),
        field!(nlmsghdr, "nlmsg_flags", nlmsg_flags),
        field!(nlmsghdr, "nlmsg_seq", nlmsg_seq),
        field!(nlmsghdr, "nlmsg_pid", nlmsg_pid),
        sized!(nlmsgerr),
        field!(nlmsgerr, "error", error),
        field!(nlmsgerr, "msg", msg),
        // The enum typedefs, which the exports take as these integers.
        ("sizeof machine_t", size_of::<machine_t>(), align_of::<machine_t>()),
        ("sizeof auditfail_t", size_of::<auditfail_t>(), align_of::<auditfail_t>()),
        ("sizeof reply_t", size_of::<reply_t>(), align_of::<reply_t>()),
        ("sizeof rep_wait_t", size_of::<rep_wait_t>(), align_of::<rep_wait_t>()),
    ];
    // Up to 4.0 only: 4.1 dropped them from the header (set_aumessage_mode, which takes them,
    // stays exported).
    let messages = [
        ("sizeof message_t", size_of::<message_t>(), align_of::<message_t>()),
        ("sizeof debug_message_t", size_of::<debug_message_t>(), align_of::<debug_message_t>()),
    ];
    let header_has_messages = line < Line::V4_1_2;
    for (name, ..) in messages {
        assert_eq!(printed.contains_key(name), header_has_messages, "{line}: {name} printed");
    }
    let mut wrong = Vec::new();
    for (name, a, b) in rust.into_iter().chain(messages.into_iter().filter(|_| header_has_messages)) {
        match printed.get(name) {
            Some(&c) if c == (a, b) => {}
            c => wrong.push(format!("{name}: Rust {a} {b}, C {c:?}")),
        }
    }
    assert!(wrong.is_empty(), "{line}: Rust layouts differ from the real header's:\n{}", wrong.join("\n"));
}
