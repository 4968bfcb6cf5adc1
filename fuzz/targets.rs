//! The fuzz targets: each checks what the library makes of bytes it did not make, against the
//! installed original (3.0.9) where that can answer the same question (differential). Shared by
//! the cargo-fuzz crate (fuzz/fuzz_targets/: coverage-guided, libFuzzer) and tests/fuzz.rs
//! (seeded mutation, in `cargo test`); each included with `#[path]`, so a target is written once.
//! A target fails by panicking.
#![allow(dead_code)] // each fuzz target binary runs one of them

use std::ffi::{CString, c_char, c_int, c_void};
use std::mem::MaybeUninit;
use std::path::PathBuf;
use std::sync::OnceLock;

use audit::types::audit_reply;
use linux_audit::netlink::fdstate::{self, Kept};
use linux_audit::netlink::{self, RECEIVE_SIZE, ReplyError, Seen};
use linux_audit::wire::*;

/// One target: its seed corpus (also committed under fuzz/corpus/NAME), the longest input worth
/// trying, and the check.
pub struct Target {
    pub name: &'static str,
    pub seeds: fn() -> Vec<Vec<u8>>,
    pub max_len: usize,
    pub run: fn(&[u8]),
}

pub const TARGETS: [&Target; 8] = [
    &REPLY_PARSING,
    &ACK_WAIT_BOOKKEEPING,
    &ACK_WAIT_SCRIPTED,
    &SIGNAL_INFO_FORMAT_DIFFERENTIAL,
    &CONFIG_FILE,
    &ENCODERS_DIFFERENTIAL,
    &NAME_LOOKUPS_DIFFERENTIAL,
    &RULE_PAIRS_DIFFERENTIAL,
];

fn datagram(msg_type: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let len = (NLMSG_HDRLEN + payload.len()) as u32;
    let mut d = Vec::new();
    for word in [len.to_ne_bytes(), [msg_type as u8, (msg_type >> 8) as u8, 0, 0], seq.to_ne_bytes(), [0; 4]] {
        d.extend_from_slice(&word);
    }
    d.extend_from_slice(payload);
    d
}

/// Datagrams the kernel really sends on an audit socket.
fn kernel_datagrams() -> Vec<Vec<u8>> {
    let mut ack = 0i32.to_ne_bytes().to_vec();
    ack.extend_from_slice(&datagram(AUDIT_GET, 7, &[])[..NLMSG_HDRLEN]);
    let mut nack = (-libc::EPERM).to_ne_bytes().to_vec();
    nack.extend_from_slice(&datagram(AUDIT_SET, 8, &[0; 44])[..NLMSG_HDRLEN]);
    let status: Vec<u8> = [0u32, 1, 1, 0, 0, 64, 0, 0, 0x7f, 15000, 0].iter().flat_map(|w| w.to_ne_bytes()).collect();
    let mut signal = 0u32.to_ne_bytes().to_vec();
    signal.extend_from_slice(&1i32.to_ne_bytes());
    signal.extend_from_slice(b"unconfined\0");
    vec![
        datagram(NLMSG_ERROR, 7, &ack),
        datagram(NLMSG_ERROR, 8, &nack),
        datagram(AUDIT_GET, 7, &status),
        datagram(AUDIT_GET_FEATURE, 9, &[1, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]),
        datagram(AUDIT_SIGNAL_INFO, 10, &signal),
        datagram(1107, 0, b"audit(1700000000.123:42): pid=1 uid=0 msg='op=test res=success'"),
        datagram(NLMSG_DONE, 11, &[]),
    ]
}

/// audit_get_reply's checks (`check_reply`), the ACK wait's sorting (`sort_received`) and the
/// payload's kind on any datagram: Ok only when the header fits what came, EFBIG exactly for a
/// full buffer, else EBADE; an ACK only from port 0 with type NLMSG_ERROR.
pub const REPLY_PARSING: Target =
    Target { name: "reply_parsing", seeds: kernel_datagrams, max_len: RECEIVE_SIZE + 200, run: reply_parsing };

fn reply_parsing(input: &[u8]) {
    // recvfrom truncates what does not fit the buffer.
    let data = &input[..input.len().min(RECEIVE_SIZE)];
    let head = |i: usize| data.get(i).copied().unwrap_or(0);
    match netlink::check_reply(data) {
        Ok(reply) => {
            let len = reply.header.nlmsg_len as usize;
            assert!(reply.len == data.len() && (NLMSG_HDRLEN..=data.len()).contains(&len));
            assert_eq!(netlink::parse_header(data), Some(reply.header));
            if reply.header.nlmsg_type == AUDIT_GET {
                let status = linux_audit::control::parse_status(&data[NLMSG_HDRLEN..]);
                // `enabled` is the second word: read from the bytes that came, the rest as zero.
                assert!(data.len() > NLMSG_HDRLEN + 4 || status.enabled == 0);
            }
        }
        Err(ReplyError::Malformed(errno, header)) => {
            assert_eq!(errno == libc::EFBIG, data.len() == RECEIVE_SIZE);
            assert_eq!(errno == libc::EBADE, data.len() != RECEIVE_SIZE);
            // Whatever came of the header is reported, the rest reads as zero.
            assert_eq!(header.nlmsg_type, u16::from_ne_bytes([head(4), head(5)]));
        }
        Err(other) => panic!("check_reply cannot fail with {other:?}"),
    }
    netlink::payload_kind(u16::from_ne_bytes([head(4), head(5)]));
    let sender = u32::from(head(0) & 3);
    match netlink::sort_received(data, head(1) & 1 == 0, sender) {
        Seen::Spoofed => assert!(sender != 0 || head(1) & 1 != 0),
        Seen::Ack { seq, .. } => {
            assert!(sender == 0 && head(4) == 2 && head(5) == 0);
            assert_eq!(seq, u32::from_ne_bytes([head(8), head(9), head(10), head(11)]));
        }
        Seen::Other => assert_eq!(sender, 0),
    }
}

/// The ACK wait's bookkeeping driven by a script of received datagrams, waits and reads:
/// datagrams kept for audit_get_reply come out unchanged and in order, within KEPT_MAX and
/// KEPT_BYTES (the newest; dropping older ones is reported once), ACKs reach exactly the
/// requests that wait for them, the late ACK of a request settled by the kernel's answer is
/// swallowed once (the newest SETTLED_MAX such requests remembered), and nothing is left behind
/// once the fd is forgotten.
pub const ACK_WAIT_BOOKKEEPING: Target =
    Target { name: "ack_wait_bookkeeping", seeds: bookkeeping_seeds, max_len: 4096, run: ack_wait_bookkeeping };

fn bookkeeping_seeds() -> Vec<Vec<u8>> {
    let mut seeds = kernel_datagrams();
    seeds.push(kernel_datagrams().concat());
    seeds
}

/// An fd number no test opens: the bookkeeping is keyed by number only.
const FD: i32 = 900_001;

fn ack_wait_bookkeeping(script: &[u8]) {
    let mut kept = std::collections::VecDeque::<Vec<u8>>::new();
    let mut dropped = false;
    let mut waiting = Vec::<u32>::new();
    let mut settled = std::collections::VecDeque::<u32>::new();
    let mut out = [MaybeUninit::uninit(); RECEIVE_SIZE];
    let mut rest = script;
    while let Some((&op, tail)) = rest.split_first() {
        let n = (op as usize >> 2).min(tail.len());
        let (chunk, tail) = tail.split_at(n);
        rest = tail;
        match op & 3 {
            0 => match netlink::sort_received(chunk, true, 0) {
                Seen::Ack { seq, error } => {
                    let delivered = fdstate::deliver_ack(FD, seq, error);
                    if waiting.contains(&seq) {
                        assert!(delivered);
                        assert_eq!(fdstate::take_ack(FD, seq), Some(error));
                    } else {
                        let swallowed = settled.iter().position(|&s| s == seq).map(|i| settled.remove(i));
                        assert_eq!(delivered, swallowed.is_some(), "swallowed");
                    }
                }
                Seen::Other => {
                    fdstate::Turn::take(FD).stash(chunk);
                    let bytes = |k: &std::collections::VecDeque<Vec<u8>>| k.iter().map(Vec::len).sum::<usize>();
                    while kept.len() >= fdstate::KEPT_MAX
                        || (!kept.is_empty() && bytes(&kept) + chunk.len() > fdstate::KEPT_BYTES)
                    {
                        kept.pop_front();
                        dropped = true;
                    }
                    kept.push_back(chunk.to_vec());
                }
                Seen::Spoofed => unreachable!("sent from the kernel's port"),
            },
            1 => {
                let seq = u32::from(n as u8);
                if waiting.contains(&seq) {
                    // Ended by the kernel's answer (remembered as settled), or by its ACK.
                    let answered = chunk.first().is_some_and(|b| b & 1 == 1);
                    assert_eq!(fdstate::stop_awaiting(FD, seq, answered), None);
                    waiting.retain(|&s| s != seq);
                    if answered {
                        if settled.len() == fdstate::SETTLED_MAX {
                            settled.pop_front();
                        }
                        settled.push_back(seq);
                    }
                } else {
                    fdstate::await_ack(FD, seq);
                    settled.retain(|&s| s != seq);
                    waiting.push(seq);
                }
            }
            peek => {
                let got = fdstate::Reader::enter(FD, &mut out, peek == 2).1;
                if dropped {
                    assert_eq!(got, Kept::Dropped);
                    dropped = peek == 2;
                    continue;
                }
                let want = if peek == 2 { kept.front().cloned() } else { kept.pop_front() };
                assert_eq!(got, want.as_ref().map_or(Kept::Nothing, |w| Kept::Datagram(w.len())));
                if let Some(want) = want {
                    // SAFETY: Reader::enter initialised that many bytes.
                    let got: &[u8] = unsafe { std::slice::from_raw_parts(out.as_ptr().cast(), want.len()) };
                    assert_eq!(got, &want[..]);
                }
            }
        }
    }
    fdstate::forget(FD);
    assert_eq!(fdstate::Reader::enter(FD, &mut out, true).1, Kept::Nothing);
}

/// A request's whole ACK wait over a scripted socket (linux_audit::script: no kernel, virtual
/// time): ACKs for it and for other requests, records, spoofed and malformed datagrams, receive
/// errors and pauses, in any order. The outcome must be what the wait's rules give, computed
/// here independently: the request's own ACK decides (its error field), stale ACKs and spoofed
/// datagrams are dropped, EINTR is retried, ENOBUFS fails the request once the queue is empty,
/// any other error fails it, and without its ACK it gives up with EAGAIN 40.5 s (virtual) after
/// it started, whatever arrives. The kernel's answer to the request (a datagram from the kernel
/// that is not an ACK, whose header fits and carries the request's sequence number) settles it
/// with success unless the queue overflowed first; its ACK, read later, is then swallowed once.
/// Exactly one datagram is sent, framed right, and the datagrams read ahead of the ACK are then
/// handed out by audit_get_reply in order, within KEPT_MAX and KEPT_BYTES (the newest kept, the
/// drop reported once as ENOBUFS).
pub const ACK_WAIT_SCRIPTED: Target =
    Target { name: "ack_wait_scripted", seeds: scripted_seeds, max_len: 2048, run: ack_wait_scripted };

fn scripted_seeds() -> Vec<Vec<u8>> {
    vec![
        vec![0, 4],                      // our ACK, error 0
        vec![2, 3, 10, 0, 0],            // a record, then our ACK
        vec![1, 1, 4, 9, 0, 12],         // a stale ACK, a spoofed datagram, our ACK -EPERM
        vec![5, 1, 2, 0, 0, 4],          // ENOBUFS, a record, our ACK
        vec![6, 255, 6, 255, 0, 4],      // pauses, then our ACK
        vec![3, 7, 200, 6, 255, 6, 255], // a record, then silence past the deadline
        vec![7, 20, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 4],
        vec![5, 0, 5, 2, 0, 4], // EINTR, EAGAIN, our ACK
        vec![2, 0, 2, 5, 0, 4], // answers to the request before and to ours, then our ACK -EPERM
        vec![5, 1, 2, 5, 0, 4], // ENOBUFS, our answer (no longer settles), our ACK -EPERM
    ]
}

/// The script an input describes: two bytes an entry (a third and more for some).
fn script_of(input: &[u8]) -> Vec<linux_audit::script::Incoming> {
    use linux_audit::script::Incoming;
    use std::time::Duration;
    let mut script = Vec::new();
    let mut rest = input;
    while let [kind, arg, tail @ ..] = rest {
        rest = tail;
        let entry = match kind % 8 {
            // An ACK for the request (delta 0) or its neighbours, with one of four errors.
            0 | 1 => Incoming::Ack {
                delta: i32::from(arg % 3) - 1,
                error: [0, -libc::EPERM, -libc::EINVAL, 5][usize::from(arg >> 2 & 3)],
            },
            // The kernel's answer (a status) to the request or its neighbours.
            2 if arg % 5 == 0 => Incoming::Answer { delta: i32::from(arg / 5 % 3) - 1, msg_type: AUDIT_GET },
            // A record from the kernel, of the length the next byte gives.
            2 | 3 => {
                let len = rest.first().map_or(0, |&n| usize::from(n));
                rest = rest.get(1..).unwrap_or_default();
                let msg_type = if arg % 5 == 0 { AUDIT_GET } else { 1100 + u16::from(*arg) };
                Incoming::Datagram { data: datagram(msg_type, 0, &vec![b'r'; len]), port: 0 }
            }
            4 => Incoming::Datagram { data: datagram(1100, 0, b"spoofed"), port: u32::from(*arg) + 1 },
            5 => Incoming::Error([libc::EINTR, libc::ENOBUFS, libc::EAGAIN, libc::EBADF][usize::from(arg & 3)]),
            6 => Incoming::Pause(Duration::from_millis(u64::from(*arg) * 200)),
            // Raw bytes from the input: malformed datagrams, and whatever they look like.
            _ => {
                let n = usize::from(*arg % 32).min(rest.len());
                let (raw, tail) = rest.split_at(n);
                rest = tail;
                Incoming::Datagram { data: raw.to_vec(), port: 0 }
            }
        };
        script.push(entry);
    }
    script
}

/// What the ACK wait of request `seq` must make of a script: the outcome (the ACK's error field,
/// or an errno), the datagrams it reads ahead of it, in order, and whether the kernel's answer
/// settled it.
fn expected_wait(script: &[linux_audit::script::Incoming], seq: u32) -> (Result<i32, i32>, Vec<Vec<u8>>, bool) {
    use linux_audit::script::Incoming;
    use std::time::Duration;
    const DEADLINE: Duration = Duration::from_millis(40_500);
    let (mut read, mut overrun, mut elapsed) = (Vec::new(), false, Duration::ZERO);
    for entry in script {
        match entry {
            Incoming::Ack { delta: 0, error } => return (Ok(*error), read, false),
            // The kernel answers only a request it accepted: kept, and the request succeeded
            // (after an overflow, its ACK may be what was lost: the ENOBUFS rule stands).
            Incoming::Answer { delta, msg_type } => {
                read.push(linux_audit::script::answer(seq.wrapping_add_signed(*delta), *msg_type));
                if *delta == 0 && !overrun {
                    return (Ok(0), read, true);
                }
            }
            Incoming::Ack { .. } | Incoming::Error(libc::EINTR) => {}
            Incoming::Error(libc::ENOBUFS) => overrun = true,
            Incoming::Error(libc::EAGAIN) if overrun => return (Err(libc::ENOBUFS), read, false),
            Incoming::Error(libc::EAGAIN) => {}
            Incoming::Error(e) => return (Err(*e), read, false),
            Incoming::Pause(_) if overrun => return (Err(libc::ENOBUFS), read, false),
            Incoming::Pause(d) => {
                elapsed += *d;
                if elapsed >= DEADLINE {
                    return (Err(libc::EAGAIN), read, false);
                }
            }
            Incoming::Datagram { data, port } => match netlink::sort_received(data, true, *port) {
                // Raw bytes may make an ACK for this very request.
                Seen::Ack { seq: acked, error } if acked == seq => return (Ok(error), read, false),
                Seen::Ack { .. } | Seen::Spoofed => {}
                Seen::Other => {
                    read.push(data[..data.len().min(RECEIVE_SIZE)].to_vec());
                    // The kernel's answer to this very request (a header that fits, its
                    // sequence number) settles it as an ACK of 0 would; it is kept.
                    let header = netlink::parse_header(data);
                    if !overrun
                        && header.is_some_and(|h| {
                            h.nlmsg_seq == seq && (16..=data.len().min(RECEIVE_SIZE)).contains(&(h.nlmsg_len as usize))
                        })
                    {
                        return (Ok(0), read, true);
                    }
                }
            },
        }
    }
    (Err(if overrun { libc::ENOBUFS } else { libc::EAGAIN }), read, false)
}

fn ack_wait_scripted(input: &[u8]) {
    use linux_audit::script;
    // No real socket has this number: every system call on it goes to the script.
    const SCRIPTED_FD: i32 = 900_002;
    let entries = script_of(input);
    fdstate::forget(SCRIPTED_FD);
    script::install(SCRIPTED_FD, entries.clone());
    let got = netlink::request(SCRIPTED_FD, AUDIT_USER, Some(b"fuzz\0"), 5, &linux_audit::diag::Silent);
    let done = script::remove().expect("installed");
    let got = match got {
        Ok(sent) => Ok(sent.ack),
        Err(failed) => Err(failed.errno),
    };
    assert_eq!(done.sent.len(), 1, "one datagram sent");
    let header = netlink::parse_header(&done.sent[0]).expect("a header");
    assert_eq!((header.nlmsg_len, header.nlmsg_type, header.nlmsg_flags), (24, AUDIT_USER, 5));
    let (want, read, answered) = expected_wait(&entries, header.nlmsg_seq);
    // A negative ACK fails the request with its errno.
    let want = match want {
        Ok(error) if error < 0 => Err(-error),
        other => other,
    };
    assert_eq!(got, want, "outcome");
    assert!(done.elapsed <= std::time::Duration::from_millis(41_500), "deadline: {:?}", done.elapsed);
    // The late ACK of a request its answer settled is swallowed by whoever reads it, once.
    for swallowed in [answered, false] {
        assert_eq!(fdstate::deliver_ack(SCRIPTED_FD, header.nlmsg_seq, 0), swallowed, "late ACK");
    }
    // What was read ahead of the ACK comes out of audit_get_reply (the fd has no socket: EBADF
    // once the kept ones are out), the newest within the bounds, a drop reported first.
    let mut kept = std::collections::VecDeque::new();
    let mut dropped = false;
    for d in read {
        while kept.len() >= fdstate::KEPT_MAX
            || (!kept.is_empty() && kept.iter().map(Vec::len).sum::<usize>() + d.len() > fdstate::KEPT_BYTES)
        {
            kept.pop_front();
            dropped = true;
        }
        kept.push_back(d);
    }
    let mut out = [MaybeUninit::uninit(); RECEIVE_SIZE];
    if dropped {
        assert_eq!(fdstate::Reader::enter(SCRIPTED_FD, &mut out, false).1, Kept::Dropped);
    }
    for want in kept {
        let got = fdstate::Reader::enter(SCRIPTED_FD, &mut out, false).1;
        assert_eq!(got, Kept::Datagram(want.len()));
        // SAFETY: Reader::enter initialised that many bytes.
        let got: &[u8] = unsafe { std::slice::from_raw_parts(out.as_ptr().cast(), want.len()) };
        assert_eq!(got, &want[..]);
    }
    assert_eq!(fdstate::Reader::enter(SCRIPTED_FD, &mut out, false).1, Kept::Nothing);
    fdstate::forget(SCRIPTED_FD);
}

/// The installed original, loaded so that it binds to itself rather than to ours.
fn original(symbol: &str) -> *mut c_void {
    /// A dlopen handle, valid on every thread.
    struct Library(*mut c_void);
    // SAFETY: a dlopen handle is process-wide; dlsym may be called with it from any thread.
    unsafe impl Send for Library {}
    // SAFETY: as above.
    unsafe impl Sync for Library {}
    static HANDLE: OnceLock<Library> = OnceLock::new();
    let handle = HANDLE.get_or_init(|| {
        let path = c"/usr/lib/x86_64-linux-gnu/libaudit.so.1";
        // SAFETY: dlopen of the system library; its constructors are harmless.
        let h = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL | libc::RTLD_DEEPBIND) };
        assert!(!h.is_null(), "cannot load the original libaudit");
        Library(h)
    });
    let name = CString::new(symbol).unwrap();
    // SAFETY: dlsym on a live handle.
    let f = unsafe { libc::dlsym(handle.0, name.as_ptr()) };
    assert!(!f.is_null(), "the original has no {symbol}");
    f
}

/// Calls a symbol of the original through a typed pointer.
macro_rules! theirs {
    ($symbol:literal as fn($($arg:ty),*) -> $ret:ty) => {{
        // SAFETY: the caller names the symbol's 3.0.9 signature.
        unsafe { std::mem::transmute::<*mut c_void, unsafe extern "C" fn($($arg),*) -> $ret>(original($symbol)) }
    }};
}

type FormatSignalInfo =
    unsafe extern "C" fn(*mut c_char, c_int, *const c_char, *const c_void, *const c_char) -> *mut c_char;

/// audit_format_signal_info on a reply built from the input, any op/res/context and buffer
/// length 0-255, against the original, byte for byte.
pub const SIGNAL_INFO_FORMAT_DIFFERENTIAL: Target = Target {
    name: "signal_info_format_differential",
    seeds: signal_info_seeds,
    max_len: 600,
    run: signal_info_format_differential,
};

fn signal_info_seeds() -> Vec<Vec<u8>> {
    let pid = std::process::id().to_ne_bytes();
    vec![
        [&[0u8, 0, 0, 0][..], &pid, b"op\0res\0unconfined\0"].concat(),
        [&[0xe8u8, 3, 0, 0][..], &1i32.to_ne_bytes(), b"x\0\0\0"].concat(),
        [&[0xffu8; 4][..], &(-5i32).to_ne_bytes(), b"\0\0\0"].concat(),
    ]
}

fn format_theirs() -> FormatSignalInfo {
    theirs!(
        "audit_format_signal_info"
            as fn(*mut c_char, c_int, *const c_char, *const c_void, *const c_char) -> *mut c_char
    )
}

fn signal_info_format_differential(input: &[u8]) {
    // Input: [buffer length][reply len selector] uid pid, then "op\0res\0ctx" (NUL-ended).
    let Some((&[size, short], rest)) = input.split_first_chunk::<2>() else {
        return;
    };
    let Some((ids, text)) = rest.split_first_chunk::<8>() else {
        return;
    };
    let mut parts = text.split(|&b| b == 0);
    let op = CString::new(parts.next().unwrap_or_default()).unwrap();
    let res = CString::new(parts.next().unwrap_or_default()).unwrap();
    let ctx = parts.next().unwrap_or_default();
    let mut reply: Box<MaybeUninit<audit_reply>> = Box::new(MaybeUninit::zeroed());
    let rep = reply.as_mut_ptr();
    // SAFETY: writes within the zeroed reply; ctx fits its 8988-byte message.
    unsafe {
        let data = (&raw mut (*rep).msg.data).cast::<u8>();
        std::ptr::copy_nonoverlapping(ids.as_ptr(), data, 8);
        std::ptr::copy_nonoverlapping(ctx.as_ptr(), data.add(8), ctx.len().min(600));
        (*rep).len = if short & 1 == 0 { 24 } else { 24 + ctx.len() as c_int };
        (*rep).payload.signal_info = data.cast();
    }
    let len = c_int::from(size);
    let mut ours = vec![0x55 as c_char; 300];
    let mut want = ours.clone();
    // SAFETY: both get the same buffer, of 300 bytes, and a length of at most 255.
    unsafe {
        // 3.0.9's prototype takes `char *` for op and res; neither is written.
        audit::control::audit_format_signal_info(
            ours.as_mut_ptr(),
            len,
            op.as_ptr().cast_mut(),
            rep,
            res.as_ptr().cast_mut(),
        );
        format_theirs()(want.as_mut_ptr(), len, op.as_ptr(), rep.cast(), res.as_ptr());
    }
    assert_eq!(ours, want, "len {len}");
}

/// /etc/libaudit.conf parsing: any content, never a panic, and only the three known actions.
pub const CONFIG_FILE: Target = Target { name: "config_file", seeds: config_seeds, max_len: 1000, run: config_file };

fn config_seeds() -> Vec<Vec<u8>> {
    vec![
        b"failure_action = log\n".to_vec(),
        b"# comment\n\nfailure_action = TERMINATE\nfailure_action = ignore".to_vec(),
        b"failure_action=log\nfoo = bar\n\tfailure_action = x y\n".to_vec(),
        [b"failure_action = log".repeat(10), b"\n".to_vec()].concat(),
    ]
}

/// The file the config_file target writes each input to (the caller removes it at the end).
pub fn config_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("libaudit-rs-fuzz-{}.conf", std::process::id())))
}

fn config_file(content: &[u8]) {
    std::fs::write(config_path(), content).unwrap();
    let (_, action) = linux_audit::control::failure_action(
        config_path().to_str().unwrap(),
        linux_audit::Line::V3_0_9,
        &linux_audit::diag::Silent,
    );
    assert!(action <= linux_audit::control::FAIL_TERMINATE);
}

/// Bytes of a C string from malloc, freed.
fn take_c_string(s: *mut c_char) -> Option<Vec<u8>> {
    if s.is_null() {
        return None;
    }
    // SAFETY: a NUL-terminated string from malloc, freed once.
    unsafe {
        let bytes = std::ffi::CStr::from_ptr(s).to_bytes().to_vec();
        libc::free(s.cast());
        Some(bytes)
    }
}

/// audit_value_needs_encoding, audit_encode_value and audit_encode_nv_string on any bytes (NULs
/// and high bytes included), any size up to the buffer, against the original.
pub const ENCODERS_DIFFERENTIAL: Target =
    Target { name: "encoders_differential", seeds: encoder_seeds, max_len: 5000, run: encoders_differential };

fn encoder_seeds() -> Vec<Vec<u8>> {
    vec![
        b"\x00bob".to_vec(),
        b"\x01a b".to_vec(),
        b"\x02/usr/bin/sudo".to_vec(),
        b"\x03x\"y".to_vec(),
        b"\x04caf\xc3\xa9\x7f\x20\x21\x22\x7e".to_vec(),
        b"\x05with\0nul".to_vec(),
        [&b"\x06"[..], &[b'z'; 300]].concat(),
    ]
}

/// The original's encoders.
struct Encoders {
    needs: unsafe extern "C" fn(*const c_char, u32) -> c_int,
    encode: unsafe extern "C" fn(*mut c_char, *const c_char, u32) -> *mut c_char,
    nv: unsafe extern "C" fn(*const c_char, *const c_char, u32) -> *mut c_char,
}

fn encoders_differential(input: &[u8]) {
    static THEIRS: OnceLock<Encoders> = OnceLock::new();
    let f = THEIRS.get_or_init(|| Encoders {
        needs: theirs!("audit_value_needs_encoding" as fn(*const c_char, u32) -> c_int),
        encode: theirs!("audit_encode_value" as fn(*mut c_char, *const c_char, u32) -> *mut c_char),
        nv: theirs!("audit_encode_nv_string" as fn(*const c_char, *const c_char, u32) -> *mut c_char),
    });
    let names: [&[u8]; 4] = [b"acct", b"exe", b"", b"a b"];
    let Some((&mode, value)) = input.split_first() else {
        return;
    };
    // The value, NUL-terminated, as callers hand it over.
    let buffer: Vec<u8> = [value, &[0]].concat();
    let text = buffer.as_ptr().cast::<c_char>();
    let size = (usize::from(mode >> 3) * 7).min(value.len()) as u32;
    // SAFETY: every size stays within `buffer`; each output has 2 * size + 1 bytes.
    unsafe {
        for n in [size, value.len() as u32] {
            assert_eq!(
                audit::logging::audit_value_needs_encoding(text, n),
                (f.needs)(text, n),
                "needs_encoding size {n}"
            );
            let mut ours = vec![0x55 as c_char; 2 * n as usize + 1];
            let mut want = ours.clone();
            audit::logging::audit_encode_value(ours.as_mut_ptr(), text, n);
            (f.encode)(want.as_mut_ptr(), text, n);
            assert_eq!(ours, want, "encode_value size {n}");
        }
        let name = CString::new(names[usize::from(mode & 3)]).unwrap();
        // vlen 0 means strlen; a longer vlen reaches past the first NUL (still in `buffer`).
        let vlen = if mode & 4 == 0 { 0 } else { value.len() as u32 };
        let ours = take_c_string(audit::logging::audit_encode_nv_string(name.as_ptr(), text, vlen));
        assert_eq!(ours, take_c_string((f.nv)(name.as_ptr(), text, vlen)), "nv_string vlen {vlen}");
    }
}

type Lookup = unsafe extern "C" fn(*const c_char) -> c_int;

/// Every audit_name_to_* lookup (and audit_determine_machine) on arbitrary strings, numeric forms
/// included: the same value and the same errno as the original; audit_name_to_syscall for every
/// machine and two unknown ones.
pub const NAME_LOOKUPS_DIFFERENTIAL: Target =
    Target { name: "name_lookups_differential", seeds: lookup_seeds, max_len: 3000, run: name_lookups_differential };

fn lookup_seeds() -> Vec<Vec<u8>> {
    [
        "\x01open",
        "\x02openat",
        "\x00execve",
        "\x05socketcall",
        "\x03UID",
        "auid",
        "exit",
        "always",
        "never",
        "task",
        "exclude",
        "SYSCALL",
        "user_login",
        "UNKNOWN[1234]",
        "UNKNOWN[12345678901]x",
        "UNKNOWN[",
        "1100",
        "99999999999",
        "x86_64",
        "i686",
        "b64",
        "b32",
        "ppc64le",
        "aarch64",
        "s390x",
        "EPERM",
        "-EACCES",
        "-",
        "file",
        "dir",
        "symlink",
        "tmpfs",
        "debugfs",
        "entry",
        "Exit",
        "0x10",
        " 7",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Each lookup of ours beside the original's.
struct Lookups {
    pairs: [(&'static str, Lookup, Lookup); 9],
    syscall: unsafe extern "C" fn(*const c_char, c_int) -> c_int,
}

fn name_lookups_differential(input: &[u8]) {
    use audit::lookup as ours;
    static BOTH: OnceLock<Lookups> = OnceLock::new();
    let f = BOTH.get_or_init(|| Lookups {
        pairs: [
            ("field", ours::audit_name_to_field, theirs!("audit_name_to_field" as fn(*const c_char) -> c_int)),
            ("flag", ours::audit_name_to_flag, theirs!("audit_name_to_flag" as fn(*const c_char) -> c_int)),
            ("action", ours::audit_name_to_action, theirs!("audit_name_to_action" as fn(*const c_char) -> c_int)),
            ("msg_type", ours::audit_name_to_msg_type, theirs!("audit_name_to_msg_type" as fn(*const c_char) -> c_int)),
            ("machine", ours::audit_name_to_machine, theirs!("audit_name_to_machine" as fn(*const c_char) -> c_int)),
            ("errno", ours::audit_name_to_errno, theirs!("audit_name_to_errno" as fn(*const c_char) -> c_int)),
            ("ftype", ours::audit_name_to_ftype, theirs!("audit_name_to_ftype" as fn(*const c_char) -> c_int)),
            ("fstype", ours::audit_name_to_fstype, theirs!("audit_name_to_fstype" as fn(*const c_char) -> c_int)),
            (
                "determine_machine",
                ours::audit_determine_machine,
                theirs!("audit_determine_machine" as fn(*const c_char) -> c_int),
            ),
        ],
        syscall: theirs!("audit_name_to_syscall" as fn(*const c_char, c_int) -> c_int),
    });
    let name = CString::new(input.split(|&b| b == 0).next().unwrap()).unwrap();
    for &(what, ours, theirs) in &f.pairs {
        // errno as the caller had it: some lookups set it, most leave it alone.
        // SAFETY: a NUL-terminated string; errno is this thread's.
        let got = unsafe {
            *libc::__errno_location() = libc::EDOM;
            (ours(name.as_ptr()), *libc::__errno_location())
        };
        // SAFETY: as above.
        let want = unsafe {
            *libc::__errno_location() = libc::EDOM;
            (theirs(name.as_ptr()), *libc::__errno_location())
        };
        assert_eq!(got, want, "audit_name_to_{what} (value, errno)");
    }
    // The machine from the first byte: every known one, and unknown ones.
    let machine = c_int::from(input.first().copied().unwrap_or(0) % 13) - 1;
    // SAFETY: as above.
    let (got, want) =
        unsafe { (audit::lookup::audit_name_to_syscall(name.as_ptr(), machine), (f.syscall)(name.as_ptr(), machine)) };
    assert_eq!(got, want, "audit_name_to_syscall machine {machine}");
}

/// The rule-building globals of one library.
struct RuleGlobals([*mut c_int; 6]);

// SAFETY: the addresses of the libraries' process-wide variables, valid in every thread; only
// the fuzzing thread reads or writes through them.
unsafe impl Send for RuleGlobals {}
// SAFETY: as above.
unsafe impl Sync for RuleGlobals {}

impl RuleGlobals {
    fn theirs() -> Self {
        RuleGlobals(
            [
                "_audit_elf",
                "_audit_syscalladded",
                "_audit_permadded",
                "_audit_archadded",
                "_audit_exeadded",
                "_audit_filterfsadded",
            ]
            .map(|s| original(s).cast()),
        )
    }

    fn ours() -> Self {
        use audit::rules::*;
        RuleGlobals([
            _audit_elf.as_ptr().cast(),
            _audit_syscalladded.as_ptr(),
            _audit_permadded.as_ptr(),
            _audit_archadded.as_ptr(),
            _audit_exeadded.as_ptr(),
            _audit_filterfsadded.as_ptr(),
        ])
    }

    fn get(&self) -> [c_int; 6] {
        // SAFETY: the library's exported variables; only this test's thread touches them.
        self.0.map(|p| unsafe { p.read_volatile() })
    }

    fn clear(&self) {
        // SAFETY: as in get.
        self.0.iter().for_each(|&p| unsafe { p.write_volatile(0) });
    }
}

/// The rule's bytes: the fixed part and its buffer.
///
/// # Safety
/// `rule` is a live rule whose buffer holds `buflen` bytes.
unsafe fn rule_bytes(rule: *const audit_rule_data) -> Vec<u8> {
    // SAFETY: per the contract.
    unsafe {
        let len = std::mem::size_of::<audit_rule_data>() + (*rule).buflen as usize;
        std::slice::from_raw_parts(rule.cast::<u8>(), len).to_vec()
    }
}

type Parse = unsafe extern "C" fn(*mut *mut audit_rule_data, *const c_char, c_int) -> c_int;

/// The original's rule functions.
struct RuleFunctions {
    pair: Parse,
    comp: Parse,
    create: unsafe extern "C" fn() -> *mut audit_rule_data,
    free: unsafe extern "C" fn(*mut audit_rule_data),
    watch: unsafe extern "C" fn(*mut *mut audit_rule_data, *const c_char) -> c_int,
    perms: unsafe extern "C" fn(*mut audit_rule_data, c_int) -> c_int,
}

/// audit_rule_fieldpair_data and audit_rule_interfield_comp_data (a line starting with `~`), and
/// watches: `@path` is audit_add_watch (the rule reallocated to hold the path), `%` then a byte
/// is audit_update_watch_perms with that byte's low 4 bits, on a fresh rule of each library.
/// After each line, the return code, every byte of the rule, the caller's pair string and the
/// `_audit_*` variables must be the original's. Pairs stay writable and rules valid: the
/// original crashes otherwise (deviations R2, R3).
pub const RULE_PAIRS_DIFFERENTIAL: Target =
    Target { name: "rule_pairs_differential", seeds: rule_seeds, max_len: 4000, run: rule_pairs_differential };

fn rule_seeds() -> Vec<Vec<u8>> {
    // First byte: the filter list; then one pair a line, shapes of c-tests/rules_fieldpair.c.
    [
        "\x04arch=b64\nsyscall=open\nuid>=1000\nauid!=unset\nexit=-EACCES\nkey=k1",
        "\x04path=/etc/passwd\nperm=wa\nkey=passwd",
        "\x04dir=/etc\nperm=rwxa",
        "\x04exe=/usr/bin/sudo\nsuccess=1\na0&=0x10\na1<5\na2>7\na3<=9",
        "\x01uid=root\ngid=nobody\nmsgtype=user_login\npid!=1",
        "\x05msgtype>=1100\nmsgtype<=UNKNOWN[1299]",
        "\x06fstype=tmpfs\nfiletype=file\nsubj_user=system_u\nobj_type=etc_t",
        "\x07exe=/bin/ls\nauid=4294967295",
        "\x04~uid!=euid\n~auid=obj_uid\n~gid=sgid",
        "\x04arch=i386\ninode=12\ndevmajor=8\ndevminor=1\nloginuid_set=1\nsessionid=3\nppid=1",
        "\x04arch=x86_64\nfield_compare=1\npers=0x10\nsaddr_fam=2\nobj_lev_low=s0\nkey=",
        "\x04@/etc/shadow\n%\x0a\nkey=shadow",
        "\x04@/var/log/audit/\n%\x0f\n@/etc\nkey=twice",
        "\x04uid=0\n@/etc/passwd\n%\x02",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// One watch line of the rule_pairs target, on both libraries.
///
/// # Safety
/// `mine` and `theirs` are live rules of their libraries.
unsafe fn watch_step(
    kind: u8,
    text: &[u8],
    mine: &mut *mut audit_rule_data,
    theirs: &mut *mut audit_rule_data,
    our_globals: &RuleGlobals,
    their_globals: &RuleGlobals,
    f: &RuleFunctions,
) {
    use audit::rules as ours;
    let context = format!("watch line {:?}", String::from_utf8_lossy(text));
    // SAFETY: per the contract; the path is NUL-terminated.
    let (got, want) = unsafe {
        if kind == b'@' {
            let path = CString::new(text).unwrap();
            (ours::audit_add_watch(mine, path.as_ptr()), (f.watch)(theirs, path.as_ptr()))
        } else {
            let perms = c_int::from(text.first().copied().unwrap_or(0) & 0xf);
            (ours::audit_update_watch_perms(*mine, perms), (f.perms)(*theirs, perms))
        }
    };
    assert_eq!(got, want, "return code, {context}");
    assert_eq!(our_globals.get(), their_globals.get(), "_audit_* variables, {context}");
    assert!(!mine.is_null() && !theirs.is_null(), "{context}");
    // SAFETY: both rules are alive.
    unsafe { assert_eq!(rule_bytes(*mine), rule_bytes(*theirs), "rule bytes, {context}") };
}

fn rule_pairs_differential(input: &[u8]) {
    use audit::rules as ours;
    static THEIRS: OnceLock<(RuleFunctions, RuleGlobals, RuleGlobals)> = OnceLock::new();
    let (f, our_globals, their_globals) = THEIRS.get_or_init(|| {
        let quiet = theirs!("set_aumessage_mode" as fn(u32, u32) -> ());
        // SAFETY: MSG_QUIET, DBG_NO for both libraries.
        unsafe { quiet(2, 0) };
        audit::control::set_aumessage_mode(2, 0);
        let f = RuleFunctions {
            pair: theirs!("audit_rule_fieldpair_data" as fn(*mut *mut audit_rule_data, *const c_char, c_int) -> c_int),
            comp: theirs!(
                "audit_rule_interfield_comp_data" as fn(*mut *mut audit_rule_data, *const c_char, c_int) -> c_int
            ),
            create: theirs!("audit_rule_create_data" as fn() -> *mut audit_rule_data),
            free: theirs!("audit_rule_free_data" as fn(*mut audit_rule_data) -> ()),
            watch: theirs!("audit_add_watch" as fn(*mut *mut audit_rule_data, *const c_char) -> c_int),
            perms: theirs!("audit_update_watch_perms" as fn(*mut audit_rule_data, c_int) -> c_int),
        };
        (f, RuleGlobals::ours(), RuleGlobals::theirs())
    });
    let Some((&list, script)) = input.split_first() else {
        return;
    };
    let flags = c_int::from(list & 7);
    our_globals.clear();
    their_globals.clear();
    let mut mine = ours::audit_rule_create_data();
    // SAFETY: the original's rule from its own allocator.
    let mut theirs_rule = unsafe { (f.create)() };
    for line in script.split(|&b| b == b'\n').take(70) {
        let line = line.split(|&b| b == 0).next().unwrap();
        let (kind, text) = match line.split_first() {
            Some((&k @ (b'~' | b'@' | b'%'), rest)) => (k, rest),
            _ => (b'=', line),
        };
        if kind == b'@' || kind == b'%' {
            // SAFETY: each rule is its library's, alive; the path is NUL-terminated.
            unsafe { watch_step(kind, text, &mut mine, &mut theirs_rule, our_globals, their_globals, f) };
            continue;
        }
        let compare = kind == b'~';
        let (parse_ours, parse_theirs): (Parse, Parse) = if compare {
            (ours::audit_rule_interfield_comp_data, f.comp)
        } else {
            (ours::audit_rule_fieldpair_data, f.pair)
        };
        let (mut pair_ours, mut pair_want) = ([text, &[0]].concat(), [text, &[0]].concat());
        // SAFETY: writable NUL-terminated pairs; each rule is its library's, alive.
        unsafe {
            let got = parse_ours(&mut mine, pair_ours.as_mut_ptr().cast(), flags);
            let want = parse_theirs(&mut theirs_rule, pair_want.as_mut_ptr().cast(), flags);
            let context = format!("pair {:?} list {flags}", String::from_utf8_lossy(text));
            assert_eq!(got, want, "return code, {context}");
            assert_eq!(pair_ours, pair_want, "pair afterwards, {context}");
            assert_eq!(our_globals.get(), their_globals.get(), "_audit_* variables, {context}");
            assert!(!mine.is_null() && !theirs_rule.is_null(), "{context}");
            assert_eq!(rule_bytes(mine), rule_bytes(theirs_rule), "rule bytes, {context}");
        }
    }
    // SAFETY: each rule freed by its library.
    unsafe {
        ours::audit_rule_free_data(mine);
        (f.free)(theirs_rule);
    }
}
