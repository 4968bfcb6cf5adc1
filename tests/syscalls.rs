//! The cost of a request (deviation N4): under strace, our library makes exactly one sendto and
//! one recvfrom per successful audit_send of a user message (auditing enabled or disabled) and
//! per audit_request_status. The system library's count is printed for the record. Also
//! deviation N2: the socket is opened close-on-exec without a separate fcntl.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

const ROUNDS: usize = 5;

/// Writes a marker to stderr before and after each call, so strace's log splits per call.
const PROGRAM: &str = r#"
#include <libaudit.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
extern int audit_send(int fd, int type, const void *data, unsigned int size);

static void mark(const char *m) { write(2, m, strlen(m)); }

int main(void)
{
	struct audit_reply rep;
	int fd = audit_open(), i, enabled;
	if (fd < 0)
		return 2;
	for (enabled = 0; enabled <= 1; enabled++) {
		if (audit_set_enabled(fd, enabled) <= 0)
			return 3;
		for (i = 0; i < ROUNDS; i++) {
			mark(enabled ? "<user-enabled>" : "<user-disabled>");
			if (audit_send(fd, AUDIT_USER, "syscall count", 14) <= 0)
				return 4;
			mark("<end>");
		}
	}
	if (audit_set_enabled(fd, 0) <= 0)
		return 3;
	for (i = 0; i < ROUNDS; i++) {
		mark("<status>");
		if (audit_request_status(fd) <= 0)
			return 5;
		mark("<end>");
		if (audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) <= 0 || rep.type != AUDIT_GET)
			return 6;
	}
	audit_close(fd);
	return 0;
}
"#;

/// Deviation N2: the socket is created close-on-exec in the one call, with no fcntl after.
fn opens_close_on_exec_atomically(log: &Path) -> bool {
    let trace = fs::read_to_string(log).unwrap();
    let socket = trace.lines().find(|l| l.contains("socket(AF_NETLINK")).unwrap_or_default();
    socket.contains("SOCK_CLOEXEC") && !trace.contains("fcntl(")
}

/// Per marked section: its label and the syscalls (names) made inside it.
fn sections(trace: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut open: Option<(String, Vec<String>)> = None;
    for line in trace.lines() {
        // "1234 call(...)" with -o and -f, or "[pid 1234] call(...)".
        let line = line.strip_prefix("[pid").map_or(line, |rest| rest.split_once(']').map_or(rest, |(_, l)| l));
        let line = line.trim_start().trim_start_matches(|c: char| c.is_ascii_digit()).trim_start();
        let Some((name, rest)) = line.split_once('(') else {
            continue;
        };
        if name == "write" {
            if let Some(label) = rest.split('"').nth(1).filter(|l| l.starts_with('<')) {
                if label == "<end>" {
                    out.extend(open.take());
                } else {
                    open = Some((label.to_string(), Vec::new()));
                }
            }
            continue;
        }
        if let Some((_, calls)) = open.as_mut() {
            calls.push(name.to_string());
        }
    }
    out
}

fn trace_with(exe: &Path, library_dir: Option<&Path>, log: &Path) -> Vec<(String, Vec<String>)> {
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-e", "trace=%network,poll,ppoll,write,fcntl", "-o"]).arg(log).arg(exe);
    cmd.env_remove("LD_PRELOAD").env_remove("LD_LIBRARY_PATH");
    if let Some(dir) = library_dir {
        cmd.env("LD_LIBRARY_PATH", dir);
    }
    let out = cmd.output().expect("strace (apt-get install strace)");
    assert!(out.status.success(), "traced program failed: {out:?}");
    sections(&fs::read_to_string(log).unwrap())
}

fn summary(sections: &[(String, Vec<String>)]) -> String {
    let mut labels: Vec<&str> = sections.iter().map(|(l, _)| l.as_str()).collect();
    labels.dedup();
    labels
        .iter()
        .map(|label| {
            let calls: Vec<String> = sections.iter().filter(|(l, _)| l == label).map(|(_, c)| c.join("+")).collect();
            format!("{label}: {}", calls.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn one_sendto_and_one_recvfrom_per_request() {
    let dir = common::work_dir().join("syscalls");
    fs::create_dir_all(&dir).unwrap();
    let source = dir.join("count.c");
    fs::write(&source, PROGRAM.replace("ROUNDS", &ROUNDS.to_string())).unwrap();
    let exe = dir.join("count");
    let cc = Command::new("cc").arg("-O1").arg(&source).args(["-laudit", "-o"]).arg(&exe).output().unwrap();
    assert!(cc.status.success(), "{}", String::from_utf8_lossy(&cc.stderr));
    let ours = common::ours();

    let _guard = common::KernelGuard::new();
    let system = trace_with(&exe, None, &dir.join("system.strace"));
    println!("system library, per call:\n{}", summary(&system));
    let mine = trace_with(&exe, Some(ours), &dir.join("ours.strace"));
    println!("our library, per call:\n{}", summary(&mine));

    assert!(!opens_close_on_exec_atomically(&dir.join("system.strace")), "the original: socket, then fcntl");
    assert!(opens_close_on_exec_atomically(&dir.join("ours.strace")), "ours: SOCK_CLOEXEC in socket()");
    assert_eq!(mine.len(), 3 * ROUNDS, "every marked call traced");
    for (label, calls) in &mine {
        assert_eq!(calls, &["sendto", "recvfrom"], "{label}: exactly sendto + one recvfrom");
    }
}
