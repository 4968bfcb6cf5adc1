//! The ACK timeout: a request whose ACK never comes fails with -EAGAIN after the original's
//! 81 polls of 500 ms (40.5 s), not sooner and not never. tests/c/ack_timeout.c swallows the
//! library's requests in an interposed sendto(), so nothing reaches the kernel.
//!
//! 40 s is too long for every CI run: ignored by default. Run it with
//! `cargo test --test ack_timeout -- --ignored --nocapture` (ours), adding
//! `LIBAUDIT_ACK_TIMEOUT_ORIGINAL=1` to time the installed original as well (another 40 s, in
//! parallel). docs/reliability.md records the measured times.

mod common;

use std::process::Command;

fn timed(library_dir: Option<&std::path::Path>, exe: &std::path::Path) -> std::thread::JoinHandle<(i32, String, f64)> {
    let mut cmd = Command::new(exe);
    cmd.env_remove("LD_PRELOAD").env_remove("LD_LIBRARY_PATH");
    if let Some(dir) = library_dir {
        cmd.env("LD_LIBRARY_PATH", dir);
    }
    std::thread::spawn(move || {
        let out = cmd.output().expect("run ack_timeout");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        // "rc=-11 errno=EAGAIN after 40.52 s"
        let field =
            |name: &str| text.split(name).nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or("").to_string();
        (field("rc=").parse().unwrap(), field("errno="), field("after ").parse().unwrap())
    })
}

#[test]
#[ignore = "takes 40 s: cargo test --test ack_timeout -- --ignored"]
fn a_request_without_an_ack_gives_up_after_40_seconds() {
    let exe = common::work_dir().join("ack_timeout");
    let out = Command::new("cc")
        .args(["-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror", "-rdynamic"])
        .arg(common::repo().join("tests/c/ack_timeout.c"))
        .args(["-laudit", "-ldl", "-o"])
        .arg(&exe)
        .output()
        .expect("cc");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ours = timed(Some(common::ours()), &exe);
    let original = std::env::var_os("LIBAUDIT_ACK_TIMEOUT_ORIGINAL").map(|_| timed(None, &exe));
    for (who, run) in [("ours", Some(ours)), ("original", original)] {
        let Some(run) = run else { continue };
        let (rc, errno, seconds) = run.join().unwrap();
        eprintln!("{who}: rc={rc} errno={errno} after {seconds:.2} s");
        assert_eq!((rc, errno.as_str()), (-libc::EAGAIN, "EAGAIN"), "{who}");
        // 81 waits of 500 ms; the original's polls add a little each.
        assert!((40.0..45.0).contains(&seconds), "{who}: gave up after {seconds} s");
    }
}
