//! What the library knows about each audit socket between calls: datagrams it consumed while
//! looking for an ACK (handed to the next audit_get_reply), ACKs read by one thread on behalf
//! of another thread waiting on the same fd, requests settled by the kernel's answer before
//! their ACK came (that late ACK is swallowed by whoever reads it), and the threads inside
//! audit_get_reply on it.
//!
//! Bounded. A state exists while it holds something (kept datagrams, requests waiting for their
//! ACK in the table, ACKs read for them, settled requests, threads inside audit_get_reply), in a
//! table hashed by fd; once empty it is removed, except that up to `RETAINED` empty ones stay so
//! that a busy fd does not allocate per request. At most `KEPT_MAX` datagrams are kept per fd: beyond, the oldest is
//! dropped, and the next audit_get_reply on the fd fails once with ENOBUFS, as a receive does
//! after the socket's buffer overflowed (the original leaves those datagrams in the socket, whose
//! buffer the kernel bounds). ACKs are never kept there: an awaited one goes to its waiter, a
//! stale one is dropped; so no ACK a request waits for is lost to the bound, and the newest
//! datagrams (the replies to the latest requests) are the ones kept.
//!
//! The common path (one thread, the ACK first in the queue) takes no lock: a request waits for
//! its ACK in one of 64 slots claimed by compare-and-swap (see `Slot`; the table only when every
//! slot is taken), `BUSY` counts fds that have anything stored, `READERS` the threads inside
//! audit_get_reply.
//!
//! A reader may be blocked in recvfrom, where it never sees the stash: while one is registered
//! on an fd, an ACK wait leaves datagrams that are not ACKs in the socket (see `Turn`). Nothing
//! is stashed unseen: an ACK wait that consumes without the lock does so only while it counts
//! in `CONSUMING` and after seeing no reader; a reader counts in `READERS` first, then waits for
//! `CONSUMING` to drain before it looks at the stash (both sides SeqCst: one sees the other).
//! An ACK wait that holds the lock stashes under it, and readers look under it.
//!
//! Signals and fork. The lock is a flag that a waiting thread spins on: it is held for a table
//! update or one non-blocking receive, never across a blocking call. A thread never waits for it
//! while it holds it itself or counts in `CONSUMING`: then it is a signal handler that
//! interrupted the library on the same thread, and its call takes the plain path, as the
//! original's would: audit_get_reply receives from the socket without looking at what is kept,
//! an ACK wait consumes what comes and drops what it cannot file. In a child after fork, a
//! handler (pthread_atfork) frees the lock and forgets the threads the child does not have (its
//! readers, requests and ACKs); if the lock was held at the fork, the table may be half updated,
//! and the child forgets it whole.

use std::cell::{Cell, UnsafeCell};
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize, Ordering};

use crate::bytes::{try_copy, try_push};

/// The most datagrams kept per fd, and the most bytes they may hold together: about what the
/// socket's default receive buffer (rmem_default, 208 KB of kernel memory per datagram's size
/// plus overhead) would have held for the original.
pub const KEPT_MAX: usize = 1024;
pub const KEPT_BYTES: usize = 256 * 1024;
/// Empty states kept for reuse.
const RETAINED: usize = 16;
/// Requests settled without their ACK remembered per fd: beyond, the oldest is forgotten (its
/// ACK, should it still come, is then handed out as any stale ACK is).
pub const SETTLED_MAX: usize = 4;

/// The sequence numbers of requests settled by the kernel's answer (see `Request::send`) whose
/// ACK has not been read yet, oldest first; a fixed array, so that recording one never allocates.
#[derive(Default)]
struct Settled {
    seqs: [u32; SETTLED_MAX],
    len: usize,
}

impl Settled {
    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Remembers `seq`, forgetting the oldest when full.
    fn insert(&mut self, seq: u32) {
        if self.len >= SETTLED_MAX {
            self.seqs.rotate_left(1);
            self.len = SETTLED_MAX - 1;
        }
        // Always Some (len < SETTLED_MAX): `get_mut`, not indexing, so no panic path is linked.
        if let Some(slot) = self.seqs.get_mut(self.len) {
            *slot = seq;
            self.len += 1;
        }
    }

    /// Forgets `seq`; true if it was remembered.
    fn take(&mut self, seq: u32) -> bool {
        let Some(remembered) = self.seqs.get_mut(..self.len) else { return false };
        let Some(i) = remembered.iter().position(|&s| s == seq) else {
            return false;
        };
        if let Some(after) = remembered.get_mut(i..) {
            after.rotate_left(1);
        }
        self.len -= 1;
        true
    }
}

#[derive(Default)]
struct FdState {
    /// Datagrams from the kernel that arrived ahead of an ACK, oldest first.
    stash: Vec<Vec<u8>>,
    /// Their bytes together.
    bytes: usize,
    /// Kept datagrams were dropped (the bound, or memory): reported once, as ENOBUFS.
    dropped: bool,
    /// Sequence numbers of requests waiting for their ACK on this fd.
    pending: Vec<u32>,
    /// ACKs read by another thread: (sequence, error field).
    acks: Vec<(u32, i32)>,
    /// Requests settled by the kernel's answer whose late ACK is to be swallowed.
    settled: Settled,
    /// Threads inside audit_get_reply on this fd.
    readers: usize,
}

impl FdState {
    /// Nothing stored (readers aside): what BUSY counts.
    fn is_empty(&self) -> bool {
        self.stash.is_empty()
            && !self.dropped
            && self.pending.is_empty()
            && self.acks.is_empty()
            && self.settled.is_empty()
    }

    /// Keeps a datagram, dropping the oldest beyond KEPT_MAX datagrams or KEPT_BYTES bytes; one
    /// that memory cannot be had for is dropped too.
    fn keep(&mut self, datagram: &[u8]) {
        while self.stash.len() >= KEPT_MAX || (self.bytes + datagram.len() > KEPT_BYTES && !self.stash.is_empty()) {
            self.pop();
            self.dropped = true;
        }
        match try_copy(datagram).map(|copy| try_push(&mut self.stash, copy)) {
            Some(Ok(())) => self.bytes += datagram.len(),
            _ => self.dropped = true,
        }
    }

    /// Drops the oldest datagram (at most KEPT_MAX move down).
    fn pop(&mut self) {
        if self.stash.is_empty() {
            return;
        }
        // The oldest moves to the end, and goes.
        self.stash.rotate_left(1);
        if let Some(oldest) = self.stash.pop() {
            self.bytes -= oldest.len();
        }
    }
}

/// The states, sorted by fd (a binary search finds one; a few dozen exist at most in practice:
/// a state goes once empty). Grown only with try_reserve (see `insert`).
type States = Vec<(RawFd, FdState)>;

const fn no_states() -> States {
    Vec::new()
}

/// The fd's state, created if `create` (None when memory for it is short).
fn find(states: &mut States, fd: RawFd, create: bool) -> Option<&mut FdState> {
    let at = match states.binary_search_by_key(&fd, |(f, _)| *f) {
        Ok(at) => at,
        Err(at) if create => {
            try_push(states, (fd, FdState::default())).ok()?;
            // The new state moves from the end to its place.
            let tail = states.get_mut(at..)?;
            if !tail.is_empty() {
                tail.rotate_right(1);
            }
            at
        }
        Err(_) => return None,
    };
    states.get_mut(at).map(|(_, s)| s)
}

fn get(states: &States, fd: RawFd) -> Option<&FdState> {
    let at = states.binary_search_by_key(&fd, |(f, _)| *f).ok()?;
    states.get(at).map(|(_, s)| s)
}

/// Removes the fd's state, returning it.
fn remove(states: &mut States, fd: RawFd) -> Option<FdState> {
    let at = states.binary_search_by_key(&fd, |(f, _)| *f).ok()?;
    // The state moves to the end, and goes.
    let tail = states.get_mut(at..)?;
    if !tail.is_empty() {
        tail.rotate_left(1);
    }
    states.pop().map(|(_, s)| s)
}

/// The table and its lock.
struct Table {
    held: AtomicBool,
    states: UnsafeCell<States>,
}

// SAFETY: `states` is only reached through a `Locked`, which exists while `held` is set by
// its thread (acquired with Acquire, released with Release), or by the fork handler while the
// child has one thread.
unsafe impl Sync for Table {}

static TABLE: Table = Table { held: AtomicBool::new(false), states: UnsafeCell::new(no_states()) };
static BUSY: AtomicUsize = AtomicUsize::new(0);
/// Threads inside audit_get_reply, on any fd.
static READERS: AtomicUsize = AtomicUsize::new(0);
/// ACK waits receiving without the lock (having seen no reader).
static CONSUMING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread holds the lock, or is taking it.
    static HOLDING: Cell<bool> = const { Cell::new(false) };
    /// This thread counts in CONSUMING.
    static CONSUMING_HERE: Cell<bool> = const { Cell::new(false) };
}

/// The lock, held while it lives.
struct Locked(());

impl Deref for Locked {
    type Target = States;
    fn deref(&self) -> &States {
        // SAFETY: this thread holds the lock (see Table).
        unsafe { &*TABLE.states.get() }
    }
}

impl DerefMut for Locked {
    fn deref_mut(&mut self) -> &mut States {
        // SAFETY: this thread holds the lock (see Table).
        unsafe { &mut *TABLE.states.get() }
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        TABLE.held.store(false, Ordering::Release);
        HOLDING.set(false);
    }
}

/// This thread is already inside the library's bookkeeping: a signal handler interrupted it.
fn reentered() -> bool {
    HOLDING.get() || CONSUMING_HERE.get()
}

/// Takes the lock; None when this thread must not wait for it (see `reentered`).
fn lock() -> Option<Locked> {
    at_fork();
    if reentered() {
        return None;
    }
    // Marked before the wait: a signal handler that interrupts it must not wait for it either.
    HOLDING.set(true);
    let mut spins = 0u32;
    while TABLE.held.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
        spins += 1;
        if spins < 64 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
    Some(Locked(()))
}

/// Registers `in_child` (once). Miri has no fork (nor pthread_atfork).
fn at_fork() {
    #[cfg(not(miri))]
    {
        use std::sync::atomic::AtomicU8;
        // 0: not registered, 1: being registered, 2: registered. A thread that finds it being
        // registered waits the moment it takes (not a std Once: its poisoning can panic).
        static AT_FORK: AtomicU8 = AtomicU8::new(0);
        if AT_FORK.load(Ordering::Acquire) != 2 {
            if AT_FORK.compare_exchange(0, 1, Ordering::AcqRel, Ordering::Acquire).is_ok() {
                // SAFETY: registers a handler that is sound in the child (see in_child).
                unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
                AT_FORK.store(2, Ordering::Release);
            }
            while AT_FORK.load(Ordering::Acquire) != 2 {
                std::thread::yield_now();
            }
        }
    }
}

/// pthread_atfork's child handler: the child has only the thread that forked.
#[cfg(not(miri))]
extern "C" fn in_child() {
    for slot in &WAITERS {
        slot.key.store(FREE, Ordering::Relaxed);
    }
    WAITING.store(0, Ordering::Relaxed);
    let was_held = TABLE.held.swap(false, Ordering::Relaxed);
    HOLDING.set(false);
    CONSUMING_HERE.set(false);
    READERS.store(0, Ordering::Relaxed);
    CONSUMING.store(0, Ordering::Relaxed);
    // SAFETY: the child's only thread runs this; nothing holds the lock any more.
    let states = unsafe { &mut *TABLE.states.get() };
    if was_held {
        // Possibly half updated by a thread the child does not have: never read, never freed.
        std::mem::forget(std::mem::replace(states, no_states()));
    } else {
        for (_, s) in states.iter_mut() {
            s.readers = 0;
            s.pending.clear();
            s.acks.clear();
        }
        states.retain(|(_, s)| !s.is_empty());
    }
    BUSY.store(states.len(), Ordering::Relaxed);
}

/// Runs `f` on the fd's state in a locked table, creating the state if `create`; BUSY counts
/// the states not empty, and states left empty and unused go (beyond RETAINED).
fn with_in<R>(states: &mut States, fd: RawFd, create: bool, f: impl FnOnce(&mut FdState) -> R) -> Option<R> {
    let state = find(states, fd, create)?;
    let was_empty = state.is_empty();
    let result = f(state);
    let (empty, unused) = (state.is_empty(), state.readers == 0);
    match (was_empty, empty) {
        (true, false) => {
            BUSY.fetch_add(1, Ordering::AcqRel);
        }
        (false, true) => {
            BUSY.fetch_sub(1, Ordering::AcqRel);
        }
        _ => {}
    }
    if empty && unused && states.len() > RETAINED {
        remove(states, fd);
    }
    Some(result)
}

/// `with_in` under the lock; None when re-entered (the plain path) or when the state is absent
/// and not to be created.
fn with<R>(fd: RawFd, create: bool, f: impl FnOnce(&mut FdState) -> R) -> Option<R> {
    with_in(&mut *lock()?, fd, create, f)
}

fn anything_stored() -> bool {
    BUSY.load(Ordering::Acquire) != 0
}

/// Forgets everything about `fd`: it was closed, or a new socket got its number.
pub fn forget(fd: RawFd) {
    if let Some(mut states) = lock() {
        if remove(&mut states, fd).is_some_and(|s| !s.is_empty()) {
            BUSY.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// Requests waiting for their ACK, without a lock: a slot is claimed (compare-and-swap) by a
/// request from before its sendto until its wait ends, and an ACK read by another thread is
/// handed over in it. The table holds the requests that find every slot taken.
///
/// A slot's key: FREE, or the request's sequence number (high half) and, in the low half, its
/// fd + 1 while it waits, DELIVERING while another thread writes the ACK's error field into
/// `ack`, DELIVERED once it is there. Sequence numbers are unique to a request (process-wide),
/// so a stale key never matches another request. Only the waiter frees its slot.
struct Slot {
    key: AtomicU64,
    ack: AtomicI32,
}

const SLOTS: usize = 64;
const FREE: u64 = 0;
const DELIVERING: u32 = u32::MAX;
const DELIVERED: u32 = u32::MAX - 1;

#[allow(clippy::declare_interior_mutable_const)] // only to repeat the initialiser
const FREE_SLOT: Slot = Slot { key: AtomicU64::new(FREE), ack: AtomicI32::new(0) };
static WAITERS: [Slot; SLOTS] = [FREE_SLOT; SLOTS];
/// Slots claimed: while 0, no ACK can be handed over through them.
static WAITING: AtomicUsize = AtomicUsize::new(0);

fn key(seq: u32, low: u32) -> u64 {
    u64::from(seq) << 32 | u64::from(low)
}

fn waiting_key(fd: RawFd, seq: u32) -> u64 {
    // fd ≥ 0 (requests on a negative fd are refused before they are sent): fd + 1 is below
    // DELIVERED.
    key(seq, fd as u32 + 1)
}

/// A request waiting for its ACK: where it is registered.
pub struct Waiting {
    fd: RawFd,
    seq: u32,
    /// Its slot; None if it is in the table (or, re-entered with every slot taken, nowhere).
    slot: Option<&'static Slot>,
    ended: bool,
}

/// Marks `seq` as awaited on `fd`, in a free slot or else in the table (on the plain path with
/// every slot taken, or without memory for it, nothing is recorded).
pub fn await_ack(fd: RawFd, seq: u32) -> Waiting {
    at_fork();
    let start = seq as usize % SLOTS;
    let waiting = waiting_key(fd, seq);
    for i in 0..SLOTS {
        let slot = &WAITERS[(start + i) % SLOTS];
        if slot.key.load(Ordering::Relaxed) == FREE
            && slot.key.compare_exchange(FREE, waiting, Ordering::AcqRel, Ordering::Relaxed).is_ok()
        {
            WAITING.fetch_add(1, Ordering::SeqCst);
            // A sequence number used again (after 2^31 requests) names a new request.
            if anything_stored() {
                with(fd, false, |s| s.settled.take(seq));
            }
            return Waiting { fd, seq, slot: Some(slot), ended: false };
        }
    }
    with(fd, true, |s| {
        s.settled.take(seq);
        // Without memory to record it, the wait goes on as on the plain path.
        let _ = try_push(&mut s.pending, seq);
    });
    Waiting { fd, seq, slot: None, ended: false }
}

/// How many requests wait for their ACK on the fd (asked only when an ACK is slow to come).
pub fn sharers(fd: RawFd) -> usize {
    let in_slots = WAITERS.iter().filter(|s| s.key.load(Ordering::Relaxed) as u32 == fd as u32 + 1).count();
    in_slots + if anything_stored() { with(fd, false, |s| s.pending.len()).unwrap_or(0) } else { 0 }
}

impl Waiting {
    /// The ACK another thread handed over, if it did; the slot stays claimed.
    fn delivered(&self, slot: &Slot) -> Option<i32> {
        loop {
            let key = slot.key.load(Ordering::Acquire);
            if key == self::key(self.seq, DELIVERED) {
                return Some(slot.ack.load(Ordering::Relaxed));
            }
            if key != self::key(self.seq, DELIVERING) {
                return None;
            }
            // Another thread is between two stores.
            std::hint::spin_loop();
        }
    }

    /// The ACK for the request if another thread already read it, taken: the request waits on
    /// (a later ACK for it would be handed over too), as in the table.
    pub fn take_ack(&self) -> Option<i32> {
        match self.slot {
            Some(slot) => {
                let ack = self.delivered(slot)?;
                // Only this request changes a delivered key.
                slot.key.store(waiting_key(self.fd, self.seq), Ordering::Release);
                Some(ack)
            }
            None if !anything_stored() => None,
            None => with(self.fd, false, |s| take(&mut s.acks, self.seq)).flatten(),
        }
    }

    /// Ends the wait; returns its ACK if another thread stored it. `answered`: the wait ended at
    /// the kernel's answer to the request, not at its ACK; unless the ACK was stored, the request
    /// is then remembered as settled, so that its ACK, if it still comes, is swallowed by
    /// whoever reads it (`deliver_ack`) rather than handed to a caller of audit_get_reply. An ACK
    /// read before the wait ends comes back here; one read after is swallowed: the request is
    /// settled before its slot (or its entry in the table, in the same lock) is freed.
    pub fn stop(mut self, answered: bool) -> Option<i32> {
        self.end(answered)
    }

    fn end(&mut self, answered: bool) -> Option<i32> {
        if std::mem::replace(&mut self.ended, true) {
            return None;
        }
        let (fd, seq) = (self.fd, self.seq);
        let Some(slot) = self.slot else {
            return with(fd, false, |s| {
                s.pending.retain(|&p| p != seq);
                let ack = take(&mut s.acks, seq);
                if answered && ack.is_none() {
                    s.settled.insert(seq);
                }
                ack
            })
            .flatten();
        };
        if answered {
            with(fd, true, |s| s.settled.insert(seq));
        }
        let freed = slot.key.compare_exchange(waiting_key(fd, seq), FREE, Ordering::AcqRel, Ordering::Acquire).is_ok();
        let ack = if freed { None } else { self.delivered(slot) };
        if ack.is_some() {
            // Only this request changes a delivered key.
            slot.key.store(FREE, Ordering::Release);
        }
        // Neither: a child's fork handler freed the slot under a wait that was in progress at
        // the fork, and it may be another request's by now.
        if freed || ack.is_some() {
            WAITING.fetch_sub(1, Ordering::SeqCst);
        }
        if answered && ack.is_some() {
            with(fd, false, |s| s.settled.take(seq));
        }
        ack
    }
}

impl Drop for Waiting {
    /// A wait left without `stop` (a panic unwinding through it) still frees its slot.
    fn drop(&mut self) {
        self.end(false);
    }
}

/// Hands an ACK to the request that waits for it in a slot: false if none does.
fn deliver_to_slot(fd: RawFd, seq: u32, error: i32) -> bool {
    if WAITING.load(Ordering::SeqCst) == 0 {
        return false;
    }
    let waiting = waiting_key(fd, seq);
    for slot in &WAITERS {
        // Acquire: a slot freed by a request its answer settled is seen with the settlement in
        // the table (recorded before the slot was freed), where the ACK is then swallowed.
        if slot.key.load(Ordering::Acquire) == waiting
            && slot.key.compare_exchange(waiting, key(seq, DELIVERING), Ordering::AcqRel, Ordering::Relaxed).is_ok()
        {
            slot.ack.store(error, Ordering::Relaxed);
            slot.key.store(key(seq, DELIVERED), Ordering::Release);
            return true;
        }
    }
    false
}

fn take(acks: &mut Vec<(u32, i32)>, seq: u32) -> Option<i32> {
    let i = acks.iter().position(|&(s, _)| s == seq)?;
    Some(acks.swap_remove(i).1)
}

/// Stores an ACK for another waiter on `fd`, or swallows the late ACK of a request settled by
/// the kernel's answer. Returns false when nobody waits for `seq` and it was not settled so
/// (a stale ACK: an ACK wait drops it, audit_get_reply hands it out).
pub fn deliver_ack(fd: RawFd, seq: u32, error: i32) -> bool {
    if deliver_to_slot(fd, seq, error) {
        return true;
    }
    if !anything_stored() {
        return false;
    }
    with(fd, false, |s| deliver_in(s, seq, error)).unwrap_or(false)
}

fn deliver_in(s: &mut FdState, seq: u32, error: i32) -> bool {
    if s.pending.contains(&seq) {
        return try_push(&mut s.acks, (seq, error)).is_ok();
    }
    s.settled.take(seq)
}

/// What a reader finds kept for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Nothing: receive from the socket.
    Nothing,
    /// A datagram of this length, copied into the reader's buffer.
    Datagram(usize),
    /// Kept datagrams were dropped since the last reader: report ENOBUFS (once).
    Dropped,
}

/// Copies the oldest stashed datagram into `out`, removing it unless `peek`.
fn unstash_in(s: &mut FdState, out: &mut [MaybeUninit<u8>], peek: bool) -> Kept {
    if s.dropped {
        if !peek {
            s.dropped = false;
        }
        return Kept::Dropped;
    }
    let Some(datagram) = s.stash.first() else {
        return Kept::Nothing;
    };
    let n = datagram.len().min(out.len());
    for (slot, byte) in out.iter_mut().zip(datagram) {
        slot.write(*byte);
    }
    if !peek {
        s.pop();
    }
    Kept::Datagram(n)
}

/// A thread inside audit_get_reply on an fd, from before it first looks at the stash until it
/// has received; registered while it lives (unless on the plain path).
pub struct Reader {
    fd: RawFd,
    registered: bool,
}

impl Reader {
    /// Registers a reader of `fd` and takes what is kept for it into `out` (removing it unless
    /// `peek`), in one lock. After this, no ACK wait stashes a datagram without the lock. On
    /// the plain path (re-entered), nothing is registered and nothing kept is looked at.
    pub fn enter(fd: RawFd, out: &mut [MaybeUninit<u8>], peek: bool) -> (Reader, Kept) {
        let plain = (Reader { fd, registered: false }, Kept::Nothing);
        if reentered() {
            return plain;
        }
        READERS.fetch_add(1, Ordering::SeqCst);
        // An ACK wait that saw no reader receives and stashes in a moment: let it finish.
        while CONSUMING.load(Ordering::SeqCst) != 0 {
            std::thread::yield_now();
        }
        let entered = with(fd, true, |s| {
            s.readers += 1;
            unstash_in(s, out, peek)
        });
        match entered {
            Some(kept) => (Reader { fd, registered: true }, kept),
            None => {
                READERS.fetch_sub(1, Ordering::SeqCst);
                plain
            }
        }
    }

    /// What is kept, as `enter` takes it; asked after this reader handed an ACK over. Always
    /// under the lock (no `BUSY` shortcut): an ACK wait holding the lock in its turn may be
    /// about to stash what followed that ACK, and a slot's hand-over does not wait for the turn
    /// as the table's does.
    pub(crate) fn unstash(&self, out: &mut [MaybeUninit<u8>], peek: bool) -> Kept {
        if !self.registered {
            return Kept::Nothing;
        }
        with(self.fd, false, |s| unstash_in(s, out, peek)).unwrap_or(Kept::Nothing)
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        if self.registered {
            with(self.fd, false, |s| s.readers = s.readers.saturating_sub(1));
            READERS.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// One receive of an ACK wait and the handling of what it got. Without readers in the process
/// it holds no lock, only a count in CONSUMING; otherwise it holds the lock, and tells whether
/// a reader is registered on the fd: then only ACKs may be consumed. Re-entered, it holds
/// neither (the plain path).
pub struct Turn {
    fd: RawFd,
    mode: Mode,
}

enum Mode {
    /// `was`: CONSUMING_HERE before (a signal handler's turn inside an interrupted one).
    Consuming {
        was: bool,
    },
    Locked {
        states: Locked,
        reader_here: bool,
    },
    Plain,
}

impl Turn {
    pub fn take(fd: RawFd) -> Turn {
        if HOLDING.get() {
            return Turn { fd, mode: Mode::Plain };
        }
        if READERS.load(Ordering::SeqCst) == 0 {
            CONSUMING.fetch_add(1, Ordering::SeqCst);
            if READERS.load(Ordering::SeqCst) == 0 {
                let was = CONSUMING_HERE.replace(true);
                return Turn { fd, mode: Mode::Consuming { was } };
            }
            CONSUMING.fetch_sub(1, Ordering::SeqCst);
        }
        match lock() {
            Some(states) => {
                let reader_here = get(&states, fd).is_some_and(|s| s.readers != 0);
                Turn { fd, mode: Mode::Locked { states, reader_here } }
            }
            None => Turn { fd, mode: Mode::Plain },
        }
    }

    /// A thread is inside audit_get_reply on the fd: datagrams that are not ACKs are its own.
    pub(crate) fn reader_here(&self) -> bool {
        matches!(self.mode, Mode::Locked { reader_here: true, .. })
    }

    fn with<R>(&mut self, create: bool, f: impl FnOnce(&mut FdState) -> R) -> Option<R> {
        match &mut self.mode {
            Mode::Locked { states, .. } => with_in(&mut *states, self.fd, create, f),
            // Counting in CONSUMING does not hold the lock: this thread may take it.
            Mode::Consuming { was: false } => {
                CONSUMING_HERE.set(false);
                let result = with(self.fd, create, f);
                CONSUMING_HERE.set(true);
                result
            }
            // Inside an interrupted turn of this thread, which may hold the lock.
            Mode::Consuming { was: true } | Mode::Plain => None,
        }
    }

    /// Keeps a datagram for the next audit_get_reply on the fd (dropped on the plain path).
    pub fn stash(&mut self, datagram: &[u8]) {
        self.with(true, |s| s.keep(datagram));
    }

    /// `deliver_ack` within the turn.
    pub(crate) fn deliver_ack(&mut self, seq: u32, error: i32) -> bool {
        if deliver_to_slot(self.fd, seq, error) {
            return true;
        }
        if matches!(self.mode, Mode::Consuming { .. }) && !anything_stored() {
            return false;
        }
        self.with(false, |s| deliver_in(s, seq, error)).unwrap_or(false)
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Mode::Consuming { was } = self.mode {
            CONSUMING_HERE.set(was);
            CONSUMING.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// How many fds have a state.
#[cfg(test)]
fn states_held() -> usize {
    lock().map_or(0, |states| states.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_do_not_outlive_their_use() {
        let mut out = [MaybeUninit::uninit(); 64];
        let base = 1_000_000;
        for fd in base..base + 50_000 {
            assert_eq!(await_ack(fd, 7).stop(false), None);
            let (reader, kept) = Reader::enter(fd, &mut out, false);
            assert_eq!(kept, Kept::Nothing);
            drop(reader);
        }
        assert!(states_held() <= RETAINED + 8, "{} states held", states_held());
    }

    /// Requests wait in slots until every slot is taken, then in the table; an ACK is handed
    /// over through either.
    #[test]
    fn acks_are_handed_over_in_slots_and_in_the_table() {
        let fd = 3_000_001;
        let mut waiting = Vec::new();
        while waiting.last().is_none_or(|w: &Waiting| w.slot.is_some()) {
            waiting.push(await_ack(fd, 1000 + waiting.len() as u32));
            assert!(waiting.len() <= SLOTS + 1);
        }
        let n = waiting.len() as u32;
        assert_eq!(sharers(fd), n as usize);
        assert!(deliver_ack(fd, 1000 + n - 1, -5), "in the table");
        assert!(deliver_ack(fd, 1000, -6), "in a slot");
        assert!(!deliver_ack(fd, 999, -7), "nobody waits for it");
        assert!(!deliver_ack(fd + 1, 1001, -7), "another fd");
        assert_eq!(waiting[0].take_ack(), Some(-6));
        assert_eq!(waiting[0].take_ack(), None, "taken");
        assert!(deliver_ack(fd, 1000, -8), "still waiting");
        assert_eq!(waiting[1].take_ack(), None);
        assert_eq!(waiting.last().unwrap().take_ack(), Some(-5));
        for (i, w) in waiting.into_iter().enumerate() {
            assert_eq!(w.stop(false), (i == 0).then_some(-8));
        }
        assert_eq!(sharers(fd), 0);
        forget(fd);
    }

    #[test]
    fn late_acks_of_answered_requests_are_swallowed_once_and_bounded() {
        let fd = 3_000_000;
        // Settled by the answer: its late ACK is swallowed once; then it is a stale ACK again.
        assert_eq!(await_ack(fd, 1).stop(true), None);
        assert!(deliver_ack(fd, 1, 0));
        assert!(!deliver_ack(fd, 1, 0));
        // An ACK stored before the wait ended is the request's: nothing is left to swallow.
        let waiting = await_ack(fd, 2);
        assert!(deliver_ack(fd, 2, -libc::EPERM));
        assert_eq!(waiting.stop(true), Some(-libc::EPERM));
        assert!(!deliver_ack(fd, 2, 0));
        // Ended by its ACK (or a timeout): nothing remembered.
        assert_eq!(await_ack(fd, 3).stop(false), None);
        assert!(!deliver_ack(fd, 3, 0));
        // At most SETTLED_MAX per fd, the oldest forgotten.
        let seqs = 10..10 + SETTLED_MAX as u32 + 2;
        for seq in seqs.clone() {
            await_ack(fd, seq).stop(true);
        }
        let swallowed: Vec<bool> = seqs.map(|seq| deliver_ack(fd, seq, 0)).collect();
        assert_eq!(swallowed, [false, false, true, true, true, true]);
        // Waiting again with the same sequence number: a new request, which gets its ACK.
        await_ack(fd, 20).stop(true);
        let waiting = await_ack(fd, 20);
        assert!(deliver_ack(fd, 20, 0));
        assert_eq!(waiting.stop(false), Some(0));
        assert!(!deliver_ack(fd, 20, 0));
        // The state goes with the last settled request.
        await_ack(fd, 21).stop(true);
        forget(fd);
        assert!(!deliver_ack(fd, 21, 0));
    }

    #[test]
    fn kept_datagrams_are_bounded_and_the_newest_stay() {
        let fd = 2_000_000;
        for i in 0..KEPT_MAX + 10 {
            Turn::take(fd).stash(&[i as u8; 3]);
        }
        let mut out = [MaybeUninit::uninit(); 8];
        assert_eq!(Reader::enter(fd, &mut out, true).1, Kept::Dropped);
        assert_eq!(Reader::enter(fd, &mut out, false).1, Kept::Dropped);
        assert_eq!(Reader::enter(fd, &mut out, false).1, Kept::Datagram(3));
        // SAFETY: the datagram's 3 bytes were written.
        assert_eq!(unsafe { out[0].assume_init() }, 10);
        for _ in 1..KEPT_MAX {
            assert!(matches!(Reader::enter(fd, &mut out, false).1, Kept::Datagram(3)));
        }
        assert_eq!(Reader::enter(fd, &mut out, false).1, Kept::Nothing);
        // And by bytes: 8 KB datagrams, the newest KEPT_BYTES of them.
        for i in 0..100 {
            Turn::take(fd).stash(&[i; 8192]);
        }
        assert_eq!(Reader::enter(fd, &mut out, false).1, Kept::Dropped);
        let mut n = 0;
        while let Kept::Datagram(8) = Reader::enter(fd, &mut out, false).1 {
            n += 1;
        }
        assert_eq!(n, KEPT_BYTES / 8192);
        forget(fd);
    }
}
