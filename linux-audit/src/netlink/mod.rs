//! Talking to the kernel's audit subsystem over NETLINK_AUDIT: requests, their ACKs, replies.
//!
//! Unlike the original, a request waits for the ACK carrying its own sequence number, and on
//! the common path costs two syscalls: the sendto, and one recvfrom that finds the ACK the
//! kernel queued while handling the sendto. Anything else read on the way is kept for
//! audit_get_reply, or, while a thread is inside audit_get_reply on the fd, left in the socket
//! for it (see fdstate).

#[doc(hidden)] // public for tests/fuzz.rs, which fuzzes its bookkeeping directly; not API
pub mod fdstate;

use fdstate::Kept;
use std::mem::MaybeUninit;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicI32, Ordering};

use crate::diag::{Diagnostics, Level};
use crate::sys;
pub(crate) use crate::sys::Errno;
use crate::wire::*;

/// The original polls 500 ms at most 81 times for an ACK before giving up with EAGAIN.
const ACK_TIMEOUT_MS: u64 = 81 * 500;
const ACK_POLL_MS: i32 = 500;
/// While other threads wait on the same fd, one of them may read our ACK: look again soon.
const SHARED_FD_POLL_MS: i32 = 5;
/// A datagram left for a thread inside audit_get_reply is taken within microseconds.
const LEFT_FOR_READER_MS: i32 = 1;

/// The size of libaudit's `struct audit_message`, the receive buffer of audit_get_reply: a
/// header and MAX_AUDIT_MESSAGE_LENGTH bytes, padded to the header's 4-byte alignment.
pub const RECEIVE_SIZE: usize = nlmsg_align(NLMSG_HDRLEN + MAX_AUDIT_MESSAGE_LENGTH);

pub fn open() -> Result<RawFd, Errno> {
    let fd = sys::open_audit_socket()?;
    fdstate::forget(fd);
    Ok(fd)
}

/// Closes an audit socket (negative fds are ignored): close(2)'s error, e.g. EBADF for a
/// descriptor that is not open.
pub fn close(fd: RawFd) -> Result<(), Errno> {
    if fd < 0 {
        return Ok(());
    }
    fdstate::forget(fd);
    sys::close(fd)
}

static SEQUENCE: AtomicI32 = AtomicI32::new(0);

/// The next request's sequence number: 1, 2, ... i32::MAX, then 1 again (never 0 or negative,
/// so that audit_send's return value stays positive).
fn next_sequence() -> u32 {
    let previous = SEQUENCE
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |s| Some(if s == i32::MAX { 1 } else { s + 1 }))
        .unwrap_or_default();
    if previous == i32::MAX { 1 } else { previous as u32 + 1 }
}

/// A request that failed: the errno, and its sequence number if it got as far as having one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failed {
    pub errno: Errno,
    pub seq: Option<u32>,
}

/// The outcome of a request the kernel accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub seq: u32,
    /// The ACK's error field when it is not negative: 0, or a value the kernel returns through
    /// it (AUDIT_SET with the lost counter reset answers with the old count).
    pub ack: i32,
}

/// The largest payload a request may carry.
pub const MAX_PAYLOAD: usize = (MAX_AUDIT_MESSAGE_LENGTH & !3) - NLMSG_HDRLEN;

/// A request datagram built in place: its payload is written once, after room for the header,
/// which each `send` fills in, so that the same payload can be sent again as another type.
pub(crate) struct Request {
    buf: [MaybeUninit<u8>; RECEIVE_SIZE],
    /// Payload bytes written, from NLMSG_HDRLEN on.
    len: usize,
}

impl Default for Request {
    fn default() -> Self {
        Self::new()
    }
}

impl Request {
    /// The payload the buffer holds: MAX_AUDIT_MESSAGE_LENGTH, more than `send` accepts.
    const CAPACITY: usize = RECEIVE_SIZE - NLMSG_HDRLEN;

    pub(crate) fn new() -> Self {
        // SAFETY: an array of MaybeUninit needs no initialisation (an array-repeat of
        // MaybeUninit::uninit() compiles to a 9 KB memset).
        Request { buf: unsafe { MaybeUninit::uninit().assume_init() }, len: 0 }
    }

    /// Writes the payload, replacing any written before.
    pub(crate) fn write(&mut self, f: impl FnOnce(&mut PayloadWriter)) {
        let area = self.buf.last_chunk_mut().expect("the buffer holds a header and a payload");
        let mut payload = PayloadWriter { area, len: 0 };
        f(&mut payload);
        self.len = payload.len;
    }

    pub(crate) fn payload(&self) -> &[u8] {
        // SAFETY: `write` initialised the `len` bytes after the header.
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr().add(NLMSG_HDRLEN).cast(), self.len) }
    }

    /// Writes the header and the zero padding to NLMSG_SPACE: the datagram as sent. The payload
    /// fits (checked by `refusal`).
    fn frame(&mut self, msg_type: u16, seq: u32) -> &[u8] {
        let total = nlmsg_space(self.len).expect("size checked by the caller");
        let header = nlmsghdr {
            nlmsg_len: total as u32,
            nlmsg_type: msg_type,
            nlmsg_flags: NLM_F_REQUEST | NLM_F_ACK,
            nlmsg_seq: seq,
            nlmsg_pid: 0,
        };
        self.buf[..NLMSG_HDRLEN].copy_from_slice(as_uninit(&header_bytes(&header)));
        // At most 3 bytes of padding; the buffer has room for 4 after any payload that fits.
        let padding = NLMSG_HDRLEN + self.len;
        self.buf[padding..padding + 4].copy_from_slice(as_uninit(&[0; 4]));
        // SAFETY: the header, the payload and the padding: the first `total` bytes.
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr().cast(), total) }
    }

    /// Sends the payload as a request of `msg_type` and waits for its ACK. The error is a
    /// positive errno; an ACK carrying a negative error is returned as that errno.
    pub(crate) fn send(&mut self, fd: RawFd, msg_type: u16, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
        if let Some(refused) = refusal(fd, self.len) {
            return Err(refused);
        }
        let seq = next_sequence();
        let datagram = self.frame(msg_type, seq);

        let sharers = fdstate::await_ack(fd, seq);
        let outcome = match sys::send_to_kernel(fd, datagram) {
            Ok(n) if n == datagram.len() => wait_for_ack(fd, seq, sharers > 1, diag),
            Ok(0) => Ok(Settled::Ack(0)),
            Ok(_) => Err(libc::EINVAL),
            Err(e) => Err(e),
        };
        let stored = fdstate::stop_awaiting(fd, seq, outcome == Ok(Settled::Answered));
        // An ACK another thread stored for us answers the request, whatever the wait saw after.
        let ack = match (outcome, stored) {
            (Ok(Settled::Ack(ack)), _) => Ok(ack),
            (_, Some(ack)) => Ok(ack),
            // The kernel answers only a request it accepted.
            (Ok(Settled::Answered), None) => Ok(0),
            (Err(e), None) => Err(e),
        };
        match ack {
            Ok(ack) if ack >= 0 => Ok(Sent { seq, ack }),
            Ok(negative) => Err(Failed { errno: -negative, seq: Some(seq) }),
            Err(errno) => Err(Failed { errno, seq: Some(seq) }),
        }
    }
}

/// The payload of a request being written: a cursor over the datagram after its header, so
/// that a writer puts each byte in place once.
pub(crate) struct PayloadWriter<'r> {
    area: &'r mut [MaybeUninit<u8>; Request::CAPACITY],
    /// The first `len` bytes of `area` are written.
    len: usize,
}

impl PayloadWriter<'_> {
    /// Appends what fits of `bytes`.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        let Some(room) = self.area.get_mut(self.len..) else { return };
        let n = bytes.len().min(room.len());
        if let (Some(to), Some(from)) = (room.get_mut(..n), bytes.get(..n)) {
            to.copy_from_slice(as_uninit(from));
            self.len += n;
        }
    }

    /// Appends `byte` if it fits.
    pub(crate) fn push_byte(&mut self, byte: u8) {
        if let Some(slot) = self.area.get_mut(self.len) {
            slot.write(byte);
            self.len += 1;
        }
    }

    /// Keeps the first `len` bytes.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// Appends zeros until there are `size` bytes (or the buffer is full).
    fn zero_to(&mut self, size: usize) {
        let end = size.clamp(self.len, Request::CAPACITY);
        self.area[self.len..end].fill(MaybeUninit::new(0));
        self.len = end;
    }
}

/// Why a request of `size` payload bytes on `fd` is not even sent.
fn refusal(fd: RawFd, size: usize) -> Option<Failed> {
    let errno = if fd < 0 {
        libc::EBADF
    } else if size > MAX_PAYLOAD {
        libc::EINVAL
    } else {
        return None;
    };
    Some(Failed { errno, seq: None })
}

fn as_uninit(bytes: &[u8]) -> &[MaybeUninit<u8>] {
    // SAFETY: MaybeUninit<u8> has the layout of u8, and initialised bytes are valid for it.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast(), bytes.len()) }
}

fn header_bytes(h: &nlmsghdr) -> [u8; NLMSG_HDRLEN] {
    let mut b = [0u8; NLMSG_HDRLEN];
    b[0..4].copy_from_slice(&h.nlmsg_len.to_ne_bytes());
    b[4..6].copy_from_slice(&h.nlmsg_type.to_ne_bytes());
    b[6..8].copy_from_slice(&h.nlmsg_flags.to_ne_bytes());
    b[8..12].copy_from_slice(&h.nlmsg_seq.to_ne_bytes());
    b[12..16].copy_from_slice(&h.nlmsg_pid.to_ne_bytes());
    b
}

/// Reads the netlink header at the start of a datagram, if it is long enough to hold one.
pub fn parse_header(datagram: &[u8]) -> Option<nlmsghdr> {
    let b = datagram.get(..NLMSG_HDRLEN)?;
    let u32_at = |i: usize| u32::from_ne_bytes(b[i..i + 4].try_into().unwrap());
    Some(nlmsghdr {
        nlmsg_len: u32_at(0),
        nlmsg_type: u16::from_ne_bytes([b[4], b[5]]),
        nlmsg_flags: u16::from_ne_bytes([b[6], b[7]]),
        nlmsg_seq: u32_at(8),
        nlmsg_pid: u32_at(12),
    })
}

/// NLMSG_OK: the header fits the datagram and claims no more than was received.
pub(crate) fn nlmsg_ok(header: &nlmsghdr, received: usize) -> bool {
    received >= NLMSG_HDRLEN && header.nlmsg_len as usize >= NLMSG_HDRLEN && header.nlmsg_len as usize <= received
}

/// The error field of an NLMSG_ERROR datagram.
fn ack_error(datagram: &[u8]) -> Option<i32> {
    let b = datagram.get(NLMSG_HDRLEN..NLMSG_HDRLEN + 4)?;
    Some(i32::from_ne_bytes(b.try_into().unwrap()))
}

/// Sends one request of `size` payload bytes and waits for its ACK (see `Request::send`).
/// `payload` None, or shorter than `size`, is followed by zeros, as the original sends for a
/// NULL data pointer.
pub fn request(
    fd: RawFd,
    msg_type: u16,
    payload: Option<&[u8]>,
    size: usize,
    diag: &dyn Diagnostics,
) -> Result<Sent, Failed> {
    if let Some(refused) = refusal(fd, size) {
        return Err(refused);
    }
    let mut request = Request::new();
    request.write(|p| {
        p.push(payload.map_or(&[][..], |data| &data[..size.min(data.len())]));
        p.zero_to(size);
    });
    request.send(fd, msg_type, diag)
}

/// What the ACK wait makes of one received datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)] // public for the integration tests (tests/fuzz.rs), not API
pub enum Seen {
    /// Not from the kernel: dropped.
    Spoofed,
    /// An ACK (NLMSG_ERROR) for the request `seq`, with its error field.
    Ack { seq: u32, error: i32 },
    /// Anything else from the kernel: kept for audit_get_reply.
    Other,
}

/// Sorts one datagram read while waiting for an ACK. Pure, so that it can be fuzzed.
#[doc(hidden)] // public for the integration tests (tests/fuzz.rs), not API
pub fn sort_received(data: &[u8], address_ok: bool, sender_port: u32) -> Seen {
    if !address_ok || sender_port != 0 {
        return Seen::Spoofed;
    }
    match parse_header(data) {
        Some(h) if h.nlmsg_type == NLMSG_ERROR && nlmsg_ok(&h, data.len()) => {
            Seen::Ack { seq: h.nlmsg_seq, error: ack_error(data).unwrap_or(0) }
        }
        _ => Seen::Other,
    }
}

/// A kernel datagram other than an ACK that answers request `seq` (a status, a rule list, a
/// signal info...): the kernel answers only a request it accepted, so the request succeeded even
/// if its ACK never reaches this reader: a forked child reading the shared socket may have
/// consumed it. The original's check_ack takes any non-ACK datagram at the head for success,
/// ours only one that answers this request, and only where no thread of ours reads the fd (one
/// that does hands the ACK over). The ACK, should it come after all, is swallowed (fdstate).
fn answers(data: &[u8], seq: u32) -> bool {
    parse_header(data).is_some_and(|h| nlmsg_ok(&h, data.len()) && h.nlmsg_seq == seq)
}

/// How an ACK wait ended well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settled {
    /// The request's own ACK, with its error field.
    Ack(i32),
    /// The kernel's answer to the request, its ACK not read (`answers`).
    Answered,
}

/// What one receive of the ACK wait came to.
enum Step {
    Acked(i32),
    /// The kernel's answer to the request, kept for audit_get_reply.
    Answered,
    /// A datagram filed (kept, handed over or dropped): read on.
    Filed,
    /// Nothing to read for the ACK wait.
    Empty(Idle),
    Overrun,
    Failed(Errno),
}

/// Why the ACK wait found nothing to read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Idle {
    /// The socket is empty.
    Quiet,
    /// The socket is empty, and a reader of the fd may hand over our ACK.
    ReaderHere,
    /// Only datagrams left for a reader of the fd (not ACKs) are at the head.
    LeftForReader,
}

/// Reads datagrams until the ACK for `seq` comes, keeping whatever else arrives first, or,
/// while a thread is inside audit_get_reply on the fd, leaving it in the socket for that thread.
fn wait_for_ack(fd: RawFd, seq: u32, shared: bool, diag: &dyn Diagnostics) -> Result<Settled, Errno> {
    // Started when the first receive is not our ACK: the common path reads no clock.
    let mut deadline = None;
    let mut buf = [MaybeUninit::uninit(); RECEIVE_SIZE];
    let mut overrun = false;
    loop {
        let idle = match receive_once(fd, seq, &mut buf, diag) {
            Step::Acked(error) => return Ok(Settled::Ack(error)),
            // After an overflow the request fails with ENOBUFS, as the original's does: its ACK
            // was lost, and what ACK was lost is not known.
            Step::Answered if !overrun => return Ok(Settled::Answered),
            Step::Answered => None,
            // The receive buffer overflowed: datagrams were dropped, our ACK perhaps among them.
            // The kernel queued it before sendto returned, so it is in what is left, or lost.
            Step::Overrun => {
                overrun = true;
                None
            }
            Step::Failed(e) => return Err(e),
            Step::Filed => None,
            Step::Empty(idle) => Some(idle),
        };
        // The deadline holds whatever arrives: also while datagrams keep coming.
        let deadline = *deadline.get_or_insert_with(|| sys::now_ms().saturating_add(ACK_TIMEOUT_MS));
        let left = deadline.saturating_sub(sys::now_ms());
        let Some(idle) = idle else {
            if left == 0 {
                let ack = fdstate::take_ack(fd, seq).map(Settled::Ack);
                return ack.ok_or(if overrun { libc::ENOBUFS } else { libc::EAGAIN });
            }
            continue;
        };
        // Another thread may have read our ACK and stored it.
        if let Some(ack) = fdstate::take_ack(fd, seq) {
            return Ok(Settled::Ack(ack));
        }
        if overrun && idle != Idle::LeftForReader {
            return Err(libc::ENOBUFS);
        }
        if left == 0 {
            return Err(libc::EAGAIN);
        }
        match idle {
            // The socket stays readable until the reader takes the datagram: poll would spin.
            Idle::LeftForReader => sys::pause(LEFT_FOR_READER_MS),
            _ => {
                let slice = if shared || idle == Idle::ReaderHere { SHARED_FD_POLL_MS } else { ACK_POLL_MS };
                sys::wait_readable(fd, slice.min(left.min(i32::MAX as u64 - 1) as i32 + 1));
            }
        }
    }
}

/// Receives one datagram for the ACK wait and files it: without a reader on the fd, consumes
/// whatever comes (one recvfrom on the common path), and the kernel's answer to the request
/// settles it; with one, peeks first and consumes only an ACK (any: ours, another waiter's, a
/// stale one) or a spoofed datagram.
fn receive_once(fd: RawFd, seq: u32, buf: &mut [MaybeUninit<u8>; RECEIVE_SIZE], diag: &dyn Diagnostics) -> Step {
    let mut turn = fdstate::Turn::take(fd);
    if turn.reader_here() {
        match sys::recv(fd, buf, libc::MSG_PEEK | libc::MSG_DONTWAIT) {
            // Left for the reader, even the request's own answer: the reader hands the ACK over.
            Ok(r) if sort_received(r.data, r.address_ok, r.sender_port) == Seen::Other => {
                return Step::Empty(Idle::LeftForReader);
            }
            // The head is to be consumed; a reader may take it first, and the receive below then
            // gets what follows, filed as usual: a reader takes the ACK, then looks at the stash
            // under the lock this turn holds.
            Ok(_) => {}
            Err(libc::ENOBUFS) => return Step::Overrun,
            Err(libc::EAGAIN) => return Step::Empty(Idle::ReaderHere),
            Err(e) => return Step::Failed(e),
        }
    }
    match sys::recv(fd, buf, libc::MSG_DONTWAIT) {
        Ok(r) => match sort_received(r.data, r.address_ok, r.sender_port) {
            Seen::Spoofed => {
                diag.report(Level::Error, format_args!("Spoofed packet received on audit netlink socket"));
                Step::Filed
            }
            Seen::Ack { seq: acked, error } if acked == seq => Step::Acked(error),
            // Another thread's ACK, or a stale one nobody waits for any more.
            Seen::Ack { seq: acked, error } => {
                turn.deliver_ack(acked, error);
                Step::Filed
            }
            Seen::Other => {
                turn.stash(r.data);
                // With a reader here, the head it took was an ACK, perhaps ours: it hands it over.
                if answers(r.data, seq) && !turn.reader_here() { Step::Answered } else { Step::Filed }
            }
        },
        Err(libc::ENOBUFS) => Step::Overrun,
        // The reader took what was peeked: perhaps our ACK, which it hands over.
        Err(libc::EAGAIN) if turn.reader_here() => Step::Empty(Idle::ReaderHere),
        Err(libc::EAGAIN) => Step::Empty(Idle::Quiet),
        Err(e) => Step::Failed(e),
    }
}

/// Why audit_get_reply found no usable datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyError {
    /// recvfrom failed with this errno.
    Receive(Errno),
    /// The sender's address had the wrong size (EPROTO; errno untouched).
    BadAddress,
    /// A datagram not from the kernel (EINVAL; errno untouched).
    Spoofed,
    /// The header does not fit what was received: EFBIG if the buffer was filled, else EBADE.
    /// audit_reply's header fields are still filled from what came.
    Malformed(Errno, nlmsghdr),
}

impl ReplyError {
    /// The errno audit_get_reply leaves for this failure, if it sets one.
    pub(crate) fn errno(self) -> Option<Errno> {
        match self {
            ReplyError::Receive(e) | ReplyError::Malformed(e, _) => Some(e),
            ReplyError::BadAddress | ReplyError::Spoofed => None,
        }
    }
}

/// One datagram as audit_get_reply hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub len: usize,
    pub header: nlmsghdr,
}

/// Receives one datagram into `out` (the `msg` of a struct audit_reply): first any datagram
/// kept while waiting for an ACK, then from the socket with `flags` (MSG_PEEK, MSG_DONTWAIT...).
pub fn get_reply(
    fd: RawFd,
    out: &mut [MaybeUninit<u8>; RECEIVE_SIZE],
    flags: i32,
    diag: &dyn Diagnostics,
) -> Result<Reply, ReplyError> {
    let peek = flags & libc::MSG_PEEK != 0;
    // Registered until the datagram is received, so that ACK waits leave it in the socket.
    let (reader, kept) = fdstate::Reader::enter(fd, out, peek);
    let receive_error = |e| {
        if e != libc::EAGAIN {
            diag.report(Level::Error, format_args!("Error receiving audit netlink packet ({})", sys::strerror(e)));
        }
        ReplyError::Receive(e)
    };
    let len = match kept {
        Kept::Datagram(len) => len,
        // Kept datagrams were dropped: reported as a receive after an overflow reports it.
        Kept::Dropped => return Err(receive_error(libc::ENOBUFS)),
        Kept::Nothing => loop {
            let r = sys::recv(fd, out, flags).map_err(receive_error)?;
            if !r.address_ok {
                diag.report(Level::Error, format_args!("Bad address size reading audit netlink socket"));
                return Err(ReplyError::BadAddress);
            }
            if r.sender_port != 0 {
                diag.report(Level::Error, format_args!("Spoofed packet received on audit netlink socket"));
                return Err(ReplyError::Spoofed);
            }
            // An ACK that another thread of this process is waiting for is handed to it.
            if let Some(h) = parse_header(r.data) {
                if h.nlmsg_type == NLMSG_ERROR && !peek {
                    if let Some(error) = ack_error(r.data) {
                        if fdstate::deliver_ack(fd, h.nlmsg_seq, error) {
                            // An ACK wait may have kept a datagram meanwhile.
                            match reader.unstash(out, peek) {
                                Kept::Datagram(len) => break len,
                                Kept::Dropped => return Err(receive_error(libc::ENOBUFS)),
                                Kept::Nothing => continue,
                            }
                        }
                    }
                }
            }
            break r.data.len();
        },
    };
    drop(reader);
    // The caller's header fields a short datagram did not carry read as 0 too (see check_reply).
    for slot in out.iter_mut().take(NLMSG_HDRLEN).skip(len) {
        slot.write(0);
    }
    // SAFETY: unstash or recv initialised the first `len` bytes.
    let data: &[u8] = unsafe { std::slice::from_raw_parts(out.as_ptr().cast(), len) };
    let reply = check_reply(data);
    match reply {
        Err(ReplyError::Malformed(libc::EFBIG, _)) => {
            diag.report(Level::Error, format_args!("Netlink event from kernel is too big"))
        }
        Err(_) => diag.report(Level::Error, format_args!("Netlink message from kernel was not OK")),
        Ok(_) => {}
    }
    reply
}

/// What audit_get_reply makes of the bytes of one datagram from the kernel (at most RECEIVE_SIZE:
/// a full buffer means it was truncated). Pure, so that it can be fuzzed without a socket.
#[doc(hidden)] // public for the integration tests (tests/fuzz.rs), not API
pub fn check_reply(data: &[u8]) -> Result<Reply, ReplyError> {
    let len = data.len();
    // A datagram shorter than a header: the header fields it did not carry read as 0 (the
    // original reads whatever the buffer held before).
    let mut head = [0u8; NLMSG_HDRLEN];
    head[..len.min(NLMSG_HDRLEN)].copy_from_slice(&data[..len.min(NLMSG_HDRLEN)]);
    let header = parse_header(&head).unwrap_or_default();
    if !nlmsg_ok(&header, len) {
        let errno = if len == RECEIVE_SIZE { libc::EFBIG } else { libc::EBADE };
        return Err(ReplyError::Malformed(errno, header));
    }
    Ok(Reply { len, header })
}

/// audit_get_reply without a reply buffer. The original hands recvfrom the bad address, so the
/// kernel consumes the next datagram (unless peeking) and fails with EFAULT; this does the same
/// with a buffer of its own. Returns the errno.
pub fn discard_reply(fd: RawFd, flags: i32, diag: &dyn Diagnostics) -> Errno {
    let mut scratch = [MaybeUninit::uninit(); RECEIVE_SIZE];
    let (_reader, kept) = fdstate::Reader::enter(fd, &mut scratch, flags & libc::MSG_PEEK != 0);
    let errno = match kept {
        Kept::Datagram(_) => libc::EFAULT,
        Kept::Dropped => libc::ENOBUFS,
        Kept::Nothing => match sys::recv(fd, &mut scratch, flags) {
            Ok(_) => libc::EFAULT,
            Err(e) => e,
        },
    };
    if errno != libc::EAGAIN {
        diag.report(Level::Error, format_args!("Error receiving audit netlink packet ({})", sys::strerror(errno)));
    }
    errno
}

/// Which member of audit_reply's pointer union points at the payload of a datagram of this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    Error,
    Status,
    Features,
    RuleData,
    Message,
    SignalInfo,
    None,
}

pub fn payload_kind(msg_type: u16) -> Payload {
    match msg_type {
        NLMSG_ERROR => Payload::Error,
        AUDIT_GET => Payload::Status,
        AUDIT_GET_FEATURE => Payload::Features,
        AUDIT_LIST_RULES => Payload::RuleData,
        AUDIT_USER | AUDIT_LOGIN | AUDIT_KERNEL => Payload::Message,
        AUDIT_FIRST_USER_MSG..=AUDIT_LAST_USER_MSG => Payload::Message,
        AUDIT_FIRST_USER_MSG2..=AUDIT_LAST_USER_MSG2 => Payload::Message,
        AUDIT_FIRST_EVENT..=AUDIT_INTEGRITY_LAST_MSG => Payload::Message,
        AUDIT_SIGNAL_INFO => Payload::SignalInfo,
        _ => Payload::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Silent;

    #[test]
    fn frames_header_payload_and_padding() {
        let mut r = Request::new();
        r.write(|p| p.push(b"hi\0"));
        let d = r.frame(AUDIT_USER, 7);
        assert_eq!(d.len(), 20);
        let h = parse_header(d).unwrap();
        assert_eq!((h.nlmsg_len, h.nlmsg_type, h.nlmsg_flags, h.nlmsg_seq, h.nlmsg_pid), (20, 1005, 5, 7, 0));
        assert_eq!(&d[16..], b"hi\0\0");
        // Sent again as another type: only the header changes.
        let d = r.frame(AUDIT_USER + 1, 8);
        assert_eq!((&d[4..6], &d[16..]), (&1006u16.to_ne_bytes()[..], &b"hi\0\0"[..]));
        let mut r = Request::new();
        r.write(|p| {
            p.push(b"ab");
            p.zero_to(44);
        });
        assert_eq!(r.payload().len(), 44);
        let d = r.frame(AUDIT_SET, 9);
        assert_eq!((d.len(), &d[16..18]), (60, &b"ab"[..]));
        assert!(d[18..].iter().all(|&b| b == 0));
    }

    #[test]
    fn payload_is_bounded_by_the_buffer() {
        let mut r = Request::new();
        r.write(|p| {
            p.push(&[1; 9000]);
            p.zero_to(usize::MAX);
            p.push(b"x");
            p.push_byte(2);
        });
        assert_eq!(r.payload(), &[1; Request::CAPACITY][..]);
        assert_eq!(r.send(0, AUDIT_USER, &Silent), Err(Failed { errno: libc::EINVAL, seq: None }));
        r.write(|p| {
            p.push(b"abc");
            p.truncate(1);
            p.push_byte(b'z');
            p.truncate(5);
        });
        assert_eq!(r.payload(), b"az");
        assert_eq!(r.send(-1, AUDIT_USER, &Silent), Err(Failed { errno: libc::EBADF, seq: None }));
    }

    #[test]
    fn refuses_bad_fd_and_oversize_without_sending() {
        let refused = |errno| Err(Failed { errno, seq: None });
        assert_eq!(request(-1, AUDIT_GET, None, 0, &Silent), refused(libc::EBADF));
        assert_eq!(request(0, AUDIT_USER, None, MAX_PAYLOAD + 1, &Silent), refused(libc::EINVAL));
        assert_eq!(request(0, AUDIT_USER, None, usize::MAX, &Silent), refused(libc::EINVAL));
    }

    #[test]
    fn sequence_wraps_to_one() {
        SEQUENCE.store(i32::MAX - 1, Ordering::Relaxed);
        assert_eq!(next_sequence(), i32::MAX as u32);
        assert_eq!(next_sequence(), 1);
        assert_eq!(next_sequence(), 2);
    }

    /// The request path over a scripted socket, the path Miri runs (under Miri no system call
    /// is made: sys.rs sends every socket operation to the script).
    #[cfg(any(feature = "scripted-socket", miri))]
    #[test]
    fn request_waits_for_its_own_ack_over_a_script() {
        use crate::script::{self, Incoming};
        use std::time::Duration;
        const FD: RawFd = 900_003;
        let record = |text: &[u8]| {
            let mut d = Vec::new();
            d.extend_from_slice(&((NLMSG_HDRLEN + text.len()) as u32).to_ne_bytes());
            d.extend_from_slice(&1300u16.to_ne_bytes());
            d.extend_from_slice(&[0; 10]);
            d.extend_from_slice(text);
            d
        };
        fdstate::forget(FD);
        script::install(
            FD,
            vec![
                Incoming::Ack { delta: -1, error: -libc::EPERM },
                Incoming::Datagram { data: record(b"spoofed"), port: 77 },
                Incoming::Error(libc::EINTR),
                Incoming::Datagram { data: record(b"kept"), port: 0 },
                Incoming::Pause(Duration::from_secs(2)),
                Incoming::Ack { delta: 0, error: 0 },
            ],
        );
        let sent = request(FD, AUDIT_USER, Some(b"hi\0"), 3, &Silent);
        let done = script::remove().expect("installed");
        assert_eq!(sent.map(|s| s.ack), Ok(0), "the stale ACK and the spoofed record are passed over");
        assert_eq!(done.sent.len(), 1);
        assert_eq!(&done.sent[0][NLMSG_HDRLEN..], b"hi\0\0");
        assert_eq!(done.elapsed, Duration::from_secs(2));
        // The record read ahead of the ACK is audit_get_reply's next; then the fd is not open.
        let mut out = [MaybeUninit::uninit(); RECEIVE_SIZE];
        let reply = get_reply(FD, &mut out, 0, &Silent).expect("the kept record");
        assert_eq!((reply.len, reply.header.nlmsg_type), (NLMSG_HDRLEN + 4, 1300));
        assert_eq!(get_reply(FD, &mut out, 0, &Silent), Err(ReplyError::Receive(libc::EBADF)));

        // The ACK taken by another reader of the socket (a forked child): the kernel's answer to
        // the request settles it, and stays for audit_get_reply, after the answer to an earlier
        // request; the late ACK, should it come after all, is swallowed by the reader.
        script::install(
            FD,
            vec![
                Incoming::Answer { delta: -1, msg_type: 1000 },
                Incoming::Answer { delta: 0, msg_type: 1000 },
                Incoming::Ack { delta: 0, error: -libc::EPERM },
            ],
        );
        let sent = request(FD, AUDIT_GET, None, 0, &Silent);
        assert_eq!(sent.map(|s| s.ack), Ok(0));
        for delta in [-1, 0] {
            let reply = get_reply(FD, &mut out, 0, &Silent).expect("the answers are kept");
            let seq = sent.unwrap().seq.wrapping_add_signed(delta);
            assert_eq!((reply.header.nlmsg_type, reply.header.nlmsg_seq), (1000, seq));
        }
        assert_eq!(get_reply(FD, &mut out, 0, &Silent), Err(ReplyError::Receive(libc::EAGAIN)));
        let done = script::remove().expect("installed");
        assert_eq!(done.receives, 4, "the wait ends at the answer; the reader reads the ACK, then nothing");

        // Nothing but records: the deadline holds in virtual time, and none is lost.
        script::install(FD, vec![Incoming::Pause(Duration::from_secs(60))]);
        let late = request(FD, AUDIT_USER, None, 0, &Silent);
        let done = script::remove().expect("installed");
        assert_eq!(late.map_err(|f| f.errno), Err(libc::EAGAIN));
        assert!(done.elapsed <= Duration::from_millis(41_500), "{:?}", done.elapsed);
        fdstate::forget(FD);
    }

    #[test]
    fn payload_kinds_follow_the_type_ranges() {
        assert_eq!(payload_kind(2), Payload::Error);
        assert_eq!(payload_kind(1000), Payload::Status);
        assert_eq!(payload_kind(1107), Payload::Message);
        assert_eq!(payload_kind(1300), Payload::Message);
        assert_eq!(payload_kind(1899), Payload::Message);
        assert_eq!(payload_kind(1900), Payload::None);
        assert_eq!(payload_kind(2999), Payload::Message);
        assert_eq!(payload_kind(3000), Payload::None);
    }
}
