//! What the library knows about each audit socket between calls: datagrams it consumed while
//! looking for an ACK (handed to the next audit_get_reply), ACKs read by one thread on behalf
//! of another thread waiting on the same fd, and the threads inside audit_get_reply on it.
//!
//! The common path (one thread, the ACK first in the queue) never takes the lock for reading:
//! `BUSY` counts fds that have anything stored, `READERS` the threads inside audit_get_reply.
//! The states live in a short list (a process has few audit sockets) and stay, emptied, until
//! their fd is forgotten, so that registering a request neither hashes nor allocates.
//!
//! A reader may be blocked in recvfrom, where it never sees the stash: while one is registered
//! on an fd, an ACK wait leaves datagrams that are not ACKs in the socket (see `Turn`). Nothing
//! is stashed unseen: an ACK wait that consumes without the lock does so only while it counts
//! in `CONSUMING` and after seeing no reader; a reader counts in `READERS` first, then waits for
//! `CONSUMING` to drain before it looks at the stash (both sides SeqCst: one sees the other).
//! An ACK wait that holds the lock stashes under it, and readers look under it.

use std::collections::VecDeque;
use std::mem::MaybeUninit;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
struct FdState {
    /// Datagrams from the kernel that arrived ahead of an ACK, oldest first.
    stash: VecDeque<Box<[u8]>>,
    /// Sequence numbers of requests waiting for their ACK on this fd.
    pending: Vec<u32>,
    /// ACKs read by another thread: (sequence, error field).
    acks: Vec<(u32, i32)>,
    /// Threads inside audit_get_reply on this fd: raised under the lock, lowered without it.
    readers: Arc<AtomicUsize>,
}

impl FdState {
    fn is_empty(&self) -> bool {
        self.stash.is_empty() && self.pending.is_empty() && self.acks.is_empty()
    }
}

type States = Vec<(RawFd, FdState)>;

static STATES: Mutex<States> = Mutex::new(Vec::new());
static BUSY: AtomicUsize = AtomicUsize::new(0);
/// Threads inside audit_get_reply, on any fd.
static READERS: AtomicUsize = AtomicUsize::new(0);
/// ACK waits receiving without the lock (having seen no reader).
static CONSUMING: AtomicUsize = AtomicUsize::new(0);

fn states() -> MutexGuard<'static, States> {
    // A panic while holding the lock leaves consistent data (every update is one statement).
    STATES.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `f` on the fd's state, creating it if needed.
fn with<R>(fd: RawFd, f: impl FnOnce(&mut FdState) -> R) -> R {
    with_in(&mut states(), fd, f)
}

/// `with` on a locked list; BUSY counts the states not empty.
fn with_in<R>(list: &mut States, fd: RawFd, f: impl FnOnce(&mut FdState) -> R) -> R {
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
    with(fd, |s| deliver_in(s, seq, error))
}

fn deliver_in(s: &mut FdState, seq: u32, error: i32) -> bool {
    let awaited = s.pending.contains(&seq);
    if awaited {
        s.acks.push((seq, error));
    }
    awaited
}

/// Copies the oldest stashed datagram into `out`, removing it unless `peek`; returns its length.
fn unstash_in(s: &mut FdState, out: &mut [MaybeUninit<u8>], peek: bool) -> Option<usize> {
    let datagram = s.stash.front()?;
    let n = datagram.len().min(out.len());
    for (slot, byte) in out.iter_mut().zip(&datagram[..n]) {
        slot.write(*byte);
    }
    if !peek {
        s.stash.pop_front();
    }
    Some(n)
}

/// A thread inside audit_get_reply on an fd, from before it first looks at the stash until it
/// has received; registered while it lives.
pub struct Reader {
    fd: RawFd,
    on_fd: Arc<AtomicUsize>,
}

impl Reader {
    /// Registers a reader of `fd` and takes the oldest stashed datagram into `out` (removing it
    /// unless `peek`), in one lock. After this, no ACK wait stashes a datagram without the lock.
    pub fn enter(fd: RawFd, out: &mut [MaybeUninit<u8>], peek: bool) -> (Reader, Option<usize>) {
        READERS.fetch_add(1, Ordering::SeqCst);
        // An ACK wait that saw no reader receives and stashes in a moment: let it finish.
        while CONSUMING.load(Ordering::SeqCst) != 0 {
            std::thread::yield_now();
        }
        with(fd, |s| {
            s.readers.fetch_add(1, Ordering::SeqCst);
            (Reader { fd, on_fd: s.readers.clone() }, unstash_in(s, out, peek))
        })
    }

    /// The oldest stashed datagram, as `enter` takes it.
    pub fn unstash(&self, out: &mut [MaybeUninit<u8>], peek: bool) -> Option<usize> {
        if !anything_stored() {
            return None;
        }
        with(self.fd, |s| unstash_in(s, out, peek))
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.on_fd.fetch_sub(1, Ordering::SeqCst);
        READERS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One receive of an ACK wait and the handling of what it got. Without readers in the process
/// it holds no lock, only a count in CONSUMING; otherwise it holds the lock, and tells whether
/// a reader is registered on the fd: then only ACKs may be consumed.
pub struct Turn {
    fd: RawFd,
    locked: Option<MutexGuard<'static, States>>,
    reader_here: bool,
}

impl Turn {
    pub fn take(fd: RawFd) -> Turn {
        if READERS.load(Ordering::SeqCst) == 0 {
            CONSUMING.fetch_add(1, Ordering::SeqCst);
            if READERS.load(Ordering::SeqCst) == 0 {
                return Turn { fd, locked: None, reader_here: false };
            }
            CONSUMING.fetch_sub(1, Ordering::SeqCst);
        }
        let list = states();
        let reader_here = list.iter().any(|(f, s)| *f == fd && s.readers.load(Ordering::SeqCst) != 0);
        Turn { fd, locked: Some(list), reader_here }
    }

    /// A thread is inside audit_get_reply on the fd: datagrams that are not ACKs are its own.
    pub fn reader_here(&self) -> bool {
        self.reader_here
    }

    fn with<R>(&mut self, f: impl FnOnce(&mut FdState) -> R) -> R {
        match &mut self.locked {
            Some(list) => with_in(list, self.fd, f),
            None => with(self.fd, f),
        }
    }

    /// Keeps a datagram for the next audit_get_reply on the fd.
    pub fn stash(&mut self, datagram: &[u8]) {
        self.with(|s| s.stash.push_back(datagram.into()))
    }

    /// `deliver_ack` within the turn.
    pub fn deliver_ack(&mut self, seq: u32, error: i32) -> bool {
        if self.locked.is_none() && !anything_stored() {
            return false;
        }
        self.with(|s| deliver_in(s, seq, error))
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if self.locked.is_none() {
            CONSUMING.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
