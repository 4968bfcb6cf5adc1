//! What the library knows about each audit socket between calls: datagrams it consumed while
//! looking for an ACK (handed to the next audit_get_reply), and ACKs read by one thread on
//! behalf of another thread waiting on the same fd.
//!
//! The common path (one thread, the ACK first in the queue) never takes the lock for reading:
//! `BUSY` counts fds that have anything stored. The states live in a short list (a process has
//! few audit sockets) and stay, emptied, until their fd is forgotten, so that registering a
//! request neither hashes nor allocates.

use std::collections::VecDeque;
use std::mem::MaybeUninit;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
struct FdState {
    /// Datagrams from the kernel that arrived ahead of an ACK, oldest first.
    stash: VecDeque<Box<[u8]>>,
    /// Sequence numbers of requests waiting for their ACK on this fd.
    pending: Vec<u32>,
    /// ACKs read by another thread: (sequence, error field).
    acks: Vec<(u32, i32)>,
}

impl FdState {
    fn is_empty(&self) -> bool {
        self.stash.is_empty() && self.pending.is_empty() && self.acks.is_empty()
    }
}

static STATES: Mutex<Vec<(RawFd, FdState)>> = Mutex::new(Vec::new());
static BUSY: AtomicUsize = AtomicUsize::new(0);

fn states() -> MutexGuard<'static, Vec<(RawFd, FdState)>> {
    // A panic while holding the lock leaves consistent data (every update is one statement).
    STATES.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `f` on the fd's state, creating it if needed; BUSY counts the states not empty.
fn with<R>(fd: RawFd, f: impl FnOnce(&mut FdState) -> R) -> R {
    let mut list = states();
    let i = match list.iter().position(|(f, _)| *f == fd) {
        Some(i) => i,
        None => {
            list.push((fd, FdState::default()));
            list.len() - 1
        }
    };
    let state = &mut list[i].1;
    let was_empty = state.is_empty();
    let result = f(state);
    match (was_empty, state.is_empty()) {
        (true, false) => {
            BUSY.fetch_add(1, Ordering::AcqRel);
        }
        (false, true) => {
            BUSY.fetch_sub(1, Ordering::AcqRel);
        }
        _ => {}
    }
    result
}

fn anything_stored() -> bool {
    BUSY.load(Ordering::Acquire) != 0
}

/// Forgets everything about `fd`: it was closed, or a new socket got its number.
pub fn forget(fd: RawFd) {
    let mut list = states();
    if let Some(i) = list.iter().position(|(f, _)| *f == fd) {
        if !list.swap_remove(i).1.is_empty() {
            BUSY.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// Marks `seq` as awaited on `fd`; returns how many requests now wait on it.
pub fn await_ack(fd: RawFd, seq: u32) -> usize {
    with(fd, |s| {
        s.pending.push(seq);
        s.pending.len()
    })
}

/// Ends the wait for `seq`; returns its ACK if another thread stored it.
pub fn stop_awaiting(fd: RawFd, seq: u32) -> Option<i32> {
    with(fd, |s| {
        s.pending.retain(|&p| p != seq);
        take(&mut s.acks, seq)
    })
}

fn take(acks: &mut Vec<(u32, i32)>, seq: u32) -> Option<i32> {
    let i = acks.iter().position(|&(s, _)| s == seq)?;
    Some(acks.swap_remove(i).1)
}

/// The ACK for `seq` if another thread already read it.
pub fn take_ack(fd: RawFd, seq: u32) -> Option<i32> {
    if !anything_stored() {
        return None;
    }
    with(fd, |s| take(&mut s.acks, seq))
}

/// Stores an ACK for another waiter on `fd`. Returns false when nobody waits for `seq`
/// (a stale ACK: the caller drops it).
pub fn deliver_ack(fd: RawFd, seq: u32, error: i32) -> bool {
    if !anything_stored() {
        return false;
    }
    with(fd, |s| {
        let awaited = s.pending.contains(&seq);
        if awaited {
            s.acks.push((seq, error));
        }
        awaited
    })
}

/// Keeps a datagram for the next audit_get_reply on `fd`.
pub fn stash(fd: RawFd, datagram: &[u8]) {
    with(fd, |s| s.stash.push_back(datagram.into()))
}

/// Copies the oldest stashed datagram into `out`, removing it unless `peek`; returns its length.
pub fn unstash(fd: RawFd, out: &mut [MaybeUninit<u8>], peek: bool) -> Option<usize> {
    if !anything_stored() {
        return None;
    }
    with(fd, |s| {
        let datagram = s.stash.front()?;
        let n = datagram.len().min(out.len());
        for (slot, byte) in out.iter_mut().zip(&datagram[..n]) {
            slot.write(*byte);
        }
        if !peek {
            s.stash.pop_front();
        }
        Some(n)
    })
}
