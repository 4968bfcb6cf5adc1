//! A scripted socket (feature `scripted-socket`, for fuzzing and tests only): the datagrams and
//! errors a kernel could answer with, in order, and a virtual clock, so that the request path
//! (the ACK wait, what it keeps, its deadline) runs without a kernel and without waiting.
//!
//! While a script is installed on the calling thread for an fd, sys's send, receive, poll and
//! pause on that fd go to it, and the ACK wait reads its clock; every other fd, and every other
//! thread, is untouched. An ACK in the script names its request relative to the last request
//! sent on the fd (the sequence numbers come from the process-wide counter).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::mem::MaybeUninit;
use std::os::fd::RawFd;
use std::time::Duration;

use crate::sys::Errno;
use crate::wire::{NLMSG_ERROR, NLMSG_HDRLEN};

/// What the scripted socket holds next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A datagram from netlink port `port` (0: the kernel).
    Datagram { data: Vec<u8>, port: u32 },
    /// An ACK (NLMSG_ERROR from the kernel) for the last request sent plus `delta`, with `error`.
    Ack { delta: i32, error: i32 },
    /// The kernel's answer of type `msg_type` (not an ACK: a status, a rule...) to the last
    /// request sent plus `delta`, as [`answer`] makes it.
    Answer { delta: i32, msg_type: u16 },
    /// The next receive fails with this errno (EINTR, ENOBUFS, ...).
    Error(Errno),
    /// Nothing is readable until this much virtual time has passed.
    Pause(Duration),
}

/// The socket's state, and what was sent on it.
pub struct Script {
    fd: RawFd,
    incoming: VecDeque<Incoming>,
    /// Every datagram sent, in order.
    pub sent: Vec<Vec<u8>>,
    /// Virtual time since the script was installed.
    pub elapsed: Duration,
    /// Receives made (each consumes or peeks one entry).
    pub receives: usize,
}

thread_local! {
    static SCRIPT: RefCell<Option<Script>> = const { RefCell::new(None) };
}

/// Installs a script for `fd` on the calling thread (replacing any).
pub fn install(fd: RawFd, incoming: Vec<Incoming>) {
    let script = Script { fd, incoming: incoming.into(), sent: Vec::new(), elapsed: Duration::ZERO, receives: 0 };
    SCRIPT.with(|s| *s.borrow_mut() = Some(script));
}

/// Removes the calling thread's script and returns it.
pub fn remove() -> Option<Script> {
    SCRIPT.with(|s| s.borrow_mut().take())
}

fn with<R>(fd: RawFd, f: impl FnOnce(&mut Script) -> R) -> Option<R> {
    SCRIPT.with(|s| s.borrow_mut().as_mut().filter(|script| script.fd == fd).map(f))
}

/// A script is installed for `fd` on the calling thread.
#[cfg(miri)]
pub(crate) fn holds(fd: RawFd) -> bool {
    with(fd, |_| ()).is_some()
}

/// The virtual clock in milliseconds, while a script is installed.
pub(crate) fn now_ms() -> Option<u64> {
    SCRIPT.with(|s| s.borrow().as_ref().map(|script| script.elapsed.as_millis() as u64))
}

pub(crate) fn send(fd: RawFd, datagram: &[u8]) -> Option<Result<usize, Errno>> {
    with(fd, |s| {
        s.sent.push(datagram.to_vec());
        Ok(datagram.len())
    })
}

/// A receive: the datagram's length and sender port, or the errno.
pub(crate) fn recv(fd: RawFd, buf: &mut [MaybeUninit<u8>], flags: i32) -> Option<Result<(usize, u32), Errno>> {
    with(fd, |s| {
        s.receives += 1;
        loop {
            let next = match s.incoming.front() {
                None => return Err(libc::EAGAIN),
                Some(&Incoming::Pause(d)) if flags & libc::MSG_DONTWAIT == 0 => {
                    // A blocking receive waits the pause out.
                    s.pass(d);
                    continue;
                }
                Some(Incoming::Pause(_)) => return Err(libc::EAGAIN),
                Some(next) => next.clone(),
            };
            if flags & libc::MSG_PEEK == 0 || matches!(next, Incoming::Error(_)) {
                s.incoming.pop_front();
            }
            let (data, port) = match next {
                Incoming::Error(e) => return Err(e),
                Incoming::Datagram { data, port } => (data, port),
                Incoming::Ack { delta, error } => (ack(s.last_seq().wrapping_add_signed(delta), error), 0),
                Incoming::Answer { delta, msg_type } => (answer(s.last_seq().wrapping_add_signed(delta), msg_type), 0),
                Incoming::Pause(_) => unreachable!("handled above"),
            };
            let n = data.len().min(buf.len());
            for (slot, &byte) in buf.iter_mut().zip(&data[..n]) {
                slot.write(byte);
            }
            return Ok((n, port));
        }
    })
}

/// poll on `fd` for up to `timeout_ms`: no time passes if something is readable; else the
/// time until it is, at most the timeout.
pub(crate) fn poll(fd: RawFd, timeout_ms: i32) -> Option<()> {
    with(fd, |s| {
        let timeout = Duration::from_millis(timeout_ms.max(0) as u64);
        match s.incoming.front() {
            Some(Incoming::Pause(d)) => s.pass((*d).min(timeout)),
            Some(_) => {}
            None => s.pass(timeout),
        }
    })
}

/// A pause of `timeout_ms` on the calling thread.
pub(crate) fn pause(timeout_ms: i32) -> Option<()> {
    SCRIPT.with(|s| s.borrow_mut().as_mut().map(|s| s.pass(Duration::from_millis(timeout_ms.max(0) as u64))))
}

impl Script {
    /// Lets `time` pass: a pause at the head of the script shrinks by it.
    fn pass(&mut self, time: Duration) {
        self.elapsed += time;
        if let Some(Incoming::Pause(d)) = self.incoming.front_mut() {
            *d = d.saturating_sub(time);
            if d.is_zero() {
                self.incoming.pop_front();
            }
        }
    }

    /// The sequence number of the last request sent (0 before any).
    fn last_seq(&self) -> u32 {
        self.sent.last().and_then(|d| d.get(8..12)).map_or(0, |b| u32::from_ne_bytes(b.try_into().unwrap()))
    }
}

/// A datagram's netlink header: `len` bytes in all, of `msg_type`, for request `seq`.
fn header(len: usize, msg_type: u16, seq: u32) -> Vec<u8> {
    let mut d = Vec::with_capacity(len);
    d.extend_from_slice(&(len as u32).to_ne_bytes());
    d.extend_from_slice(&msg_type.to_ne_bytes());
    d.extend_from_slice(&[0; 2]);
    d.extend_from_slice(&seq.to_ne_bytes());
    d.extend_from_slice(&[0; 4]);
    d
}

/// The kernel's answer of type `msg_type` to request `seq`, with a 4-byte payload.
pub fn answer(seq: u32, msg_type: u16) -> Vec<u8> {
    let mut d = header(NLMSG_HDRLEN + 4, msg_type, seq);
    d.extend_from_slice(b"ans\0");
    d
}

/// An ACK datagram for `seq` carrying `error`.
fn ack(seq: u32, error: i32) -> Vec<u8> {
    let mut d = header(2 * NLMSG_HDRLEN + 4, NLMSG_ERROR, seq);
    d.extend_from_slice(&error.to_ne_bytes());
    // The request's header, as the kernel echoes it (here only its sequence number).
    d.extend_from_slice(&[0; 8]);
    d.extend_from_slice(&seq.to_ne_bytes());
    d.extend_from_slice(&[0; 4]);
    d
}
