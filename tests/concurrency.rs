//! Every piece of state the library shares between threads, used from 16 threads at once through
//! the exported C functions (linked from the rlib): requests and replies on one shared fd and on
//! one fd each (the sequence counter, fdstate's stash and ACK hand-over, fds opened and closed
//! meanwhile), the caches filled by the first calls (features, exe=, hostname=, the account
//! message's exe=), the message mode, table lookups, and rule building with the `_audit_*`
//! variables. Each call's outcome is checked, so the test stands on its own; scripts/tsan runs it
//! under ThreadSanitizer, with std instrumented too, to prove the absence of data races.
//!
//! One test in this binary on purpose: its first calls are the process's first, so the caches
//! are filled concurrently.

mod common;

use std::ffi::{CStr, CString, c_char, c_int};
use std::mem::MaybeUninit;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use audit::control::{audit_get_features, audit_request_status, set_aumessage_mode};
use audit::defines::AUDIT_USER_CHAUTHTOK;
use audit::logging::{audit_log_acct_message, audit_log_user_message};
use audit::lookup::{
    audit_detect_machine, audit_msg_type_to_name, audit_name_to_msg_type, audit_name_to_syscall, audit_syscall_to_name,
};
use audit::message::MSG_QUIET;
use audit::netlink::{audit_close, audit_get_reply, audit_open, audit_send};
use audit::rules::{
    audit_add_watch, audit_rule_create_data, audit_rule_fieldpair_data, audit_rule_free_data,
    audit_rule_syscallbyname_data,
};
use audit::types::audit_reply;
use linux_audit::tables::MACH_86_64;
use linux_audit::wire::AUDIT_FILTER_EXIT;
use linux_audit::wire::{AUDIT_GET, AUDIT_USER};

const THREADS: usize = 16;
const ROUNDS: usize = 25;

unsafe extern "C" {
    // The C shim's variadic export (src/audit_msg.c), linked into the rlib.
    fn audit_msg(priority: c_int, fmt: *const c_char, ...);
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// A receive buffer no burst of replies in this test can fill.
fn roomy(fd: c_int) -> c_int {
    let big: c_int = 16 << 20;
    // SAFETY: setsockopt on a socket of ours.
    unsafe { libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, (&big as *const c_int).cast(), 4) };
    fd
}

/// Reads up to `at_most` replies for `fd` (received or kept by an ACK wait); all must be status
/// replies. Returns how many. With `wait`, a missing reply is waited for up to 2 s: the kernel
/// sends status replies from a thread of its own, so one may come after its request's ACK.
fn take_replies(fd: c_int, at_most: usize, wait: bool) -> usize {
    let mut rep = Box::new(MaybeUninit::<audit_reply>::zeroed());
    let mut n = 0;
    while n < at_most {
        // SAFETY: a writable audit_reply.
        let rc = unsafe { audit_get_reply(fd, rep.as_mut_ptr(), 1, 0) };
        if rc == -libc::EAGAIN {
            let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            // SAFETY: poll on a pollfd we own.
            if wait && unsafe { libc::poll(&mut pfd, 1, 2000) } > 0 {
                continue;
            }
            break;
        }
        assert!(rc > 0, "audit_get_reply: {rc}");
        // SAFETY: audit_get_reply filled it.
        let kind = unsafe { rep.assume_init_ref() }.type_;
        assert_eq!(kind, i32::from(AUDIT_GET), "only status replies are queued");
        n += 1;
    }
    n
}

/// The steps of one round, in an order rotated per thread and round: each kind of call meets
/// every other right after the barrier, before any lock taken in between orders them.
const STEPS: usize = 5;

/// One thread's work: every round a refused request and a status request (its reply taken now
/// or later, by any thread), two log messages, the message mode and features, lookups, and two
/// rules built.
fn worker(t: usize, fd: c_int, tag: &str, replies_taken: &AtomicUsize) -> u32 {
    let mut features = 0;
    for i in 0..ROUNDS {
        for step in (0..STEPS).map(|s| (s + t + i) % STEPS) {
            match step {
                0 => {
                    set_aumessage_mode(MSG_QUIET.into(), ((t + i) % 2) as u32);
                    // SAFETY: a format without conversions; quiet mode drops it anyway.
                    unsafe { audit_msg(libc::LOG_DEBUG, c"tsan".as_ptr()) };
                    features = audit_get_features();
                }
                1 => requests(t, i, fd, replies_taken),
                2 => log_messages(t, i, fd, tag),
                3 => lookups(),
                _ => build_rules(t, i),
            }
        }
    }
    features
}

fn requests(t: usize, i: usize, fd: c_int, replies_taken: &AtomicUsize) {
    // SAFETY: three readable bytes.
    let rc = unsafe { audit_send(fd, 999, c"xx".as_ptr().cast(), 3) };
    assert_eq!((rc, errno()), (-libc::EINVAL, libc::EINVAL), "thread {t} round {i}: refused request");
    assert!(audit_request_status(fd) > 0, "thread {t} round {i}: status request");
    if i % 4 == 0 {
        replies_taken.fetch_add(take_replies(fd, 2, false), Ordering::Relaxed);
    }
}

/// A user message and an account message, both from terminal "pts/98", which makes the library
/// add the host name; every other account message names its program.
fn log_messages(t: usize, i: usize, fd: c_int, tag: &str) {
    let message = CString::new(format!("op={tag}:{t}:{i}")).unwrap();
    let program = CString::new(format!("{tag}-{t}")).unwrap();
    // SAFETY: NUL-terminated strings or NULL.
    let (user, acct) = unsafe {
        (
            audit_log_user_message(
                fd,
                AUDIT_USER as c_int,
                message.as_ptr(),
                ptr::null(),
                ptr::null(),
                c"pts/98".as_ptr(),
                1,
            ),
            audit_log_acct_message(
                fd,
                AUDIT_USER_CHAUTHTOK,
                if i % 2 == 0 { program.as_ptr() } else { ptr::null() },
                message.as_ptr(),
                c"bob".as_ptr(),
                u32::MAX,
                ptr::null(),
                ptr::null(),
                c"pts/98".as_ptr(),
                1,
            ),
        )
    };
    assert!(user > 0 && acct > 0, "thread {t} round {i}: logging {user} {acct} errno {}", errno());
}

fn lookups() {
    // SAFETY: NUL-terminated names; returned names point into static tables.
    unsafe {
        assert_eq!(audit_name_to_syscall(c"openat".as_ptr(), MACH_86_64), 257);
        assert_eq!(CStr::from_ptr(audit_syscall_to_name(257, MACH_86_64)), c"openat");
        assert_eq!(audit_name_to_msg_type(c"USER_CHAUTHTOK".as_ptr()), AUDIT_USER_CHAUTHTOK);
        assert_eq!(CStr::from_ptr(audit_msg_type_to_name(AUDIT_USER_CHAUTHTOK)), c"USER_CHAUTHTOK");
    }
    assert_eq!(audit_detect_machine(), MACH_86_64);
}

/// A syscall rule whose arch= sets `_audit_elf` and `_audit_archadded`, and a watch (which sets
/// `_audit_permadded`) with a key. Every thread writes the same values, so each outcome is fixed.
fn build_rules(t: usize, i: usize) {
    // The library writes NULs over the caller's operator: the pairs must be writable.
    let pair = |s: &str| CString::new(s).unwrap().into_raw();
    let (arch, uid, key) = (pair("arch=b64"), pair("uid=0"), pair(&format!("key=tsan-{t}-{i}")));
    // SAFETY: rules from the library, freed by it; writable pairs reclaimed below.
    unsafe {
        let mut rule = audit_rule_create_data();
        assert_eq!(audit_rule_fieldpair_data(&mut rule, arch, AUDIT_FILTER_EXIT), 0, "thread {t}: arch=");
        assert_eq!(audit_rule_syscallbyname_data(rule, c"openat".as_ptr()), 0, "thread {t}: openat");
        assert_eq!(audit_rule_fieldpair_data(&mut rule, uid, AUDIT_FILTER_EXIT), 0, "thread {t}: uid=");
        assert_eq!((*rule).field_count, 2);
        audit_rule_free_data(rule);

        let mut watch = ptr::null_mut();
        assert_eq!(audit_add_watch(&mut watch, c"/etc/tsan-watch".as_ptr()), 0, "thread {t}: watch");
        assert_eq!(audit_rule_fieldpair_data(&mut watch, key, AUDIT_FILTER_EXIT), 0, "thread {t}: key=");
        audit_rule_free_data(watch);
        for p in [arch, uid, key] {
            drop(CString::from_raw(p));
        }
    }
}

/// All threads on one fd (`shared`) or each on its own, opened and closed while the others run.
fn run(shared: bool, tag: &str) -> u32 {
    let fd = roomy(audit_open());
    let barrier = Arc::new(Barrier::new(THREADS));
    let replies_taken = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (barrier, replies_taken, tag) = (barrier.clone(), replies_taken.clone(), tag.to_string());
            thread::spawn(move || {
                barrier.wait();
                let own = if shared { fd } else { roomy(audit_open()) };
                let taken = AtomicUsize::new(0);
                let features = worker(t, own, &tag, if shared { &replies_taken } else { &taken });
                if !shared {
                    let taken = taken.load(Ordering::Relaxed);
                    let rest = take_replies(own, ROUNDS - taken, true);
                    replies_taken.fetch_add(taken + rest, Ordering::Relaxed);
                    audit_close(own);
                }
                features
            })
        })
        .collect();
    let features: Vec<u32> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let taken = replies_taken.load(Ordering::Relaxed);
    let left = take_replies(fd, THREADS * ROUNDS - taken, true);
    // Nothing more may come.
    assert_eq!(take_replies(fd, 1, false), 0, "a reply too many");
    audit_close(fd);
    assert_eq!(taken + left, THREADS * ROUNDS, "every status reply read exactly once");
    assert!(features.iter().all(|&f| f == features[0]), "one feature bitmap: {features:?}");
    eprintln!(
        "{}: {THREADS} threads x {ROUNDS} rounds: {} requests, {} log messages, {} rules; {left} replies left at the end",
        if shared { "one shared fd" } else { "one fd each" },
        THREADS * ROUNDS * 2,
        THREADS * ROUNDS * 2,
        THREADS * ROUNDS * 2,
    );
    features[0]
}

#[test]
fn everything_at_once_from_16_threads() {
    // Only records are written; the lock keeps other tests' kernel settings (rate limits,
    // audit disabled) from changing the outcomes meanwhile.
    let _guard = common::KernelGuard::new();
    let tag = format!("librs-conc-{}", std::process::id());
    let shared = run(true, &tag);
    let separate = run(false, &tag);
    assert_eq!(shared, separate);
    assert_eq!(audit_get_features(), shared);
}
