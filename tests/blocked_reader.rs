//! Deviation N3's hand-over between threads sharing one fd: a thread blocked in
//! audit_get_reply(GET_REPLY_BLOCKING) gets every reply, although another thread's ACK waits
//! read the same socket. The kernel sends each status reply from a thread of its own, so it
//! comes before or after its request's ACK, or during the next request's ACK wait: each round
//! sends a burst of requests, and all orders occur over the rounds. A watchdog ends each wait: a
//! reply the reader never sees fails the test instead of hanging it.

mod common;

use std::mem::MaybeUninit;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use audit::control::audit_request_status;
use audit::netlink::{audit_close, audit_get_reply, audit_open};
use audit::types::audit_reply;
use linux_audit::wire::AUDIT_GET;

const ROUNDS: usize = 300;
const BURST: usize = 4;
const GET_REPLY_BLOCKING: u32 = 0;
/// How long a reply may take to reach the blocked reader.
const WATCHDOG: Duration = Duration::from_secs(3);

#[test]
fn a_blocked_reader_gets_every_reply() {
    // Only status requests; the lock keeps other tests from disabling audit meanwhile.
    let _guard = common::KernelGuard::new();
    let fd = audit_open();
    assert!(fd >= 0, "audit_open");
    let (replies, received) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut rep = Box::new(MaybeUninit::<audit_reply>::zeroed());
        for _ in 0..ROUNDS * BURST {
            // SAFETY: a writable audit_reply.
            let rc = unsafe { audit_get_reply(fd, rep.as_mut_ptr(), GET_REPLY_BLOCKING, 0) };
            // SAFETY: zeroed, and filled by audit_get_reply.
            let kind = unsafe { rep.assume_init_ref() }.type_;
            if replies.send((rc, kind)).is_err() {
                return;
            }
        }
    });
    for round in 0..ROUNDS {
        for _ in 0..BURST {
            assert!(audit_request_status(fd) > 0, "round {round}: status request");
        }
        for _ in 0..BURST {
            // On failure the reader stays blocked; the test process ends anyway.
            let (rc, kind) = received
                .recv_timeout(WATCHDOG)
                .unwrap_or_else(|_| panic!("round {round}: the blocked reader got no reply within {WATCHDOG:?}"));
            assert!(rc > 0 && kind == i32::from(AUDIT_GET), "round {round}: reply {rc}, type {kind}");
        }
    }
    reader.join().unwrap();
    audit_close(fd);
}
