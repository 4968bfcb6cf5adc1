//! Reliability against the real kernel, through the exported C functions of our library (linked
//! from the rlib): many threads on one fd and on many, stale ACKs and spoofed datagrams
//! interleaved with requests, kernel back-pressure. Every test that changes kernel state holds
//! common::KernelGuard, which restores it.

mod common;

use std::collections::{HashMap, HashSet};
use std::ffi::c_void;
use std::mem::{MaybeUninit, size_of};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use audit::control::{audit_set_backlog_limit, audit_set_backlog_wait_time, audit_set_enabled, audit_set_rate_limit};
use audit::defines::AUDIT_USER_CHAUTHTOK;
use audit::netlink::{audit_close, audit_get_reply, audit_open, audit_send};
use audit::types::audit_reply;
use linux_audit::wire::AUDIT_USER;

const THREADS: usize = 16;
const PER_THREAD: usize = 40;

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Sends one AUDIT_USER message; the NUL is part of it, as audit_send_user_message sends it.
fn send_user(fd: i32, text: &str) -> i32 {
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    // SAFETY: a valid buffer of the given size.
    unsafe { audit_send(fd, AUDIT_USER as i32, bytes.as_ptr().cast(), bytes.len() as u32) }
}

/// A message type the kernel does not know: refused with EINVAL in its ACK.
fn send_refused(fd: i32) -> i32 {
    // SAFETY: three readable bytes.
    unsafe { audit_send(fd, 999, c"xx".as_ptr().cast(), 3) }
}

/// A raw NETLINK_AUDIT socket, bound to `groups` (1: the readlog multicast group).
fn raw_socket(groups: u32) -> i32 {
    // SAFETY: plain socket calls on a sockaddr we own.
    unsafe {
        let fd = libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 9);
        assert!(fd >= 0);
        let mut addr: libc::sockaddr_nl = std::mem::zeroed();
        addr.nl_family = libc::AF_NETLINK as u16;
        addr.nl_groups = groups;
        assert_eq!(
            libc::bind(fd, (&addr as *const libc::sockaddr_nl).cast(), size_of::<libc::sockaddr_nl>() as u32),
            0
        );
        let big: i32 = 16 << 20;
        libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, (&big as *const i32).cast(), 4);
        fd
    }
}

/// The netlink port the kernel gave `fd` (after its first send).
fn port_of(fd: i32) -> u32 {
    // SAFETY: getsockname into a sockaddr_nl we own.
    unsafe {
        let mut addr: libc::sockaddr_nl = std::mem::zeroed();
        let mut len = size_of::<libc::sockaddr_nl>() as u32;
        assert_eq!(libc::getsockname(fd, (&mut addr as *mut libc::sockaddr_nl).cast(), &mut len), 0);
        addr.nl_pid
    }
}

fn send_datagram(from: i32, to_port: u32, datagram: &[u8]) -> isize {
    // SAFETY: sendto with a sockaddr_nl we own.
    unsafe {
        let mut addr: libc::sockaddr_nl = std::mem::zeroed();
        addr.nl_family = libc::AF_NETLINK as u16;
        addr.nl_pid = to_port;
        libc::sendto(
            from,
            datagram.as_ptr().cast(),
            datagram.len(),
            0,
            (&addr as *const libc::sockaddr_nl).cast(),
            size_of::<libc::sockaddr_nl>() as u32,
        )
    }
}

/// An NLMSG_ERROR datagram for `seq` carrying `error`, as the kernel frames an ACK.
fn ack_datagram(seq: u32, error: i32) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&36u32.to_ne_bytes());
    d.extend_from_slice(&2u16.to_ne_bytes());
    d.extend_from_slice(&0u16.to_ne_bytes());
    d.extend_from_slice(&seq.to_ne_bytes());
    d.extend_from_slice(&0u32.to_ne_bytes());
    d.extend_from_slice(&error.to_ne_bytes());
    d.extend_from_slice(&[0; 16]);
    d
}

/// A request of a type the kernel does not know, which it ACKs with EINVAL.
fn stale_request(seq: u32) -> Vec<u8> {
    let mut d = ack_datagram(seq, 0);
    d[4..6].copy_from_slice(&999u16.to_ne_bytes());
    d[6..8].copy_from_slice(&5u16.to_ne_bytes()); // REQUEST | ACK
    d
}

/// Collects kernel records containing `tag` until `want` were seen or `quiet` passed without
/// any: the text from the tag to the next blank or quote names a record, mapped to its whole
/// text. A record seen twice fails: every message must be logged exactly once.
fn collect_records(readlog: i32, tag: &str, want: usize, quiet: Duration) -> HashMap<String, String> {
    let mut seen = HashMap::new();
    let mut buf = vec![0u8; 9000];
    let mut last = Instant::now();
    while seen.len() < want && last.elapsed() < quiet {
        let mut pfd = libc::pollfd { fd: readlog, events: libc::POLLIN, revents: 0 };
        // SAFETY: poll and recv on buffers we own.
        let n = unsafe {
            if libc::poll(&mut pfd, 1, 200) <= 0 {
                continue;
            }
            libc::recv(readlog, buf.as_mut_ptr().cast(), buf.len(), 0)
        };
        if n <= 16 {
            continue;
        }
        let text = String::from_utf8_lossy(&buf[16..n as usize]);
        if let Some(at) = text.find(tag) {
            let id: String = text[at..].chars().take_while(|c| !c.is_whitespace() && *c != '\'').collect();
            assert!(seen.insert(id.clone(), text.to_string()).is_none(), "record {id} logged twice");
            last = Instant::now();
        }
    }
    seen
}

fn close_raw(fd: i32) {
    // SAFETY: closing a socket this test opened.
    unsafe { libc::close(fd) };
}

/// Audit on, room in the backlog, no rate limit: every message must reach the log.
fn prepare_kernel() -> i32 {
    let fd = audit_open();
    assert!(audit_set_enabled(fd, 1) > 0);
    assert!(audit_set_backlog_limit(fd, 65536) > 0);
    assert!(audit_set_rate_limit(fd, 0) > 0);
    fd
}

/// 16 threads, each sending good and refused messages in a fixed interleaving, on one shared fd
/// or on one fd each. Every call must get its own ACK (a good one a fresh sequence number, a
/// refused one -EINVAL), and every good message must appear in the kernel's log.
fn many_threads(shared: bool) {
    let _guard = common::KernelGuard::new();
    let control = prepare_kernel();
    let readlog = raw_socket(1);
    let tag = format!("librs-rel-{}-{}", std::process::id(), if shared { "shared" } else { "separate" });
    let fd = audit_open();
    let sequences = Arc::new(Mutex::new(Vec::new()));
    let barrier = Arc::new(Barrier::new(THREADS));
    let started = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (tag, sequences, barrier) = (tag.clone(), sequences.clone(), barrier.clone());
            thread::spawn(move || {
                let own = if shared { fd } else { audit_open() };
                barrier.wait();
                let mut mine = Vec::new();
                for i in 0..PER_THREAD {
                    if (t + i) % 3 == 0 {
                        let rc = send_refused(own);
                        assert_eq!(
                            (rc, errno()),
                            (-libc::EINVAL, libc::EINVAL),
                            "thread {t} message {i}: a refused request"
                        );
                    }
                    let rc = send_user(own, &format!("{tag}:{t}:{i}"));
                    assert!(rc > 0, "thread {t} message {i}: rc {rc}");
                    mine.push(rc);
                }
                if !shared {
                    audit_close(own);
                }
                sequences.lock().unwrap().extend(mine);
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed();
    let sequences = sequences.lock().unwrap().clone();
    let unique: HashSet<_> = sequences.iter().collect();
    assert_eq!(unique.len(), THREADS * PER_THREAD, "every request has its own sequence number");
    let records = collect_records(readlog, &tag, THREADS * PER_THREAD, Duration::from_secs(5));
    eprintln!(
        "{} fd(s): {} messages + {} refused in {elapsed:?}, {} records seen",
        if shared { "one shared" } else { "separate" },
        THREADS * PER_THREAD,
        (0..THREADS).map(|t| (0..PER_THREAD).filter(|i| (t + i) % 3 == 0).count()).sum::<usize>(),
        records.len()
    );
    assert_eq!(records.len(), THREADS * PER_THREAD, "every message is in the kernel's log");
    audit_close(fd);
    audit_close(control);
    close_raw(readlog);
}

#[test]
fn many_threads_one_shared_fd() {
    many_threads(true);
}

#[test]
fn many_threads_separate_fds() {
    many_threads(false);
}

/// Stale ACKs (for requests nobody made through the library) and spoofed datagrams (from a
/// user-space port, some looking like failing ACKs for the very sequence numbers in use) pour
/// into the library's socket while 16 threads send requests on it. No request may be failed or
/// answered by them, and audit_get_reply afterwards reports the spoofed ones as such.
#[test]
fn spoofed_and_stale_datagrams_do_not_disturb_requests() {
    let _guard = common::KernelGuard::new();
    let fd = audit_open();
    assert!(send_user(fd, "librs-rel warm-up") > 0 || errno() == libc::EPERM);
    let port = port_of(fd);
    let big: i32 = 16 << 20;
    // SAFETY: setsockopt on our socket.
    unsafe { libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, (&big as *const i32).cast(), 4) };
    let spoofer = raw_socket(0);
    // Requests go on until the flood has ended.
    let flooding = Arc::new(AtomicBool::new(true));
    let flood = {
        let flooding = flooding.clone();
        thread::spawn(move || {
            let (mut spoofed, mut seq) = (0usize, 1u32);
            while spoofed < 4000 {
                // A failing "ACK" for each of the next sequence numbers, and a stale real ACK:
                // a raw request sent on the library's own fd with a sequence nobody waits for.
                for s in seq..seq + 8 {
                    if send_datagram(spoofer, port, &ack_datagram(s, -libc::EPERM)) > 0 {
                        spoofed += 1;
                    }
                }
                seq += 4;
                send_datagram(fd, 0, &stale_request(0x7fff_0000 + seq));
                thread::sleep(Duration::from_micros(50));
            }
            flooding.store(false, Ordering::Relaxed);
            spoofed
        })
    };
    // Some datagrams wait in the socket ahead of the first requests.
    thread::sleep(Duration::from_millis(2));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let flooding = flooding.clone();
            thread::spawn(move || {
                let mut i = 0;
                while i < PER_THREAD || flooding.load(Ordering::Relaxed) {
                    let rc = send_user(fd, &format!("librs-rel spoof {t}:{i}"));
                    assert!(rc > 0, "thread {t} message {i}: rc {rc} errno {}", errno());
                    i += 1;
                }
                i
            })
        })
        .collect();
    let requests: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let spoofed = flood.join().unwrap();
    assert_eq!(spoofed, 4000, "every spoofed datagram reached the library's socket");
    // What is left in the socket: spoofed datagrams are reported as such (-EINVAL), the kernel's
    // are returned; nothing blocks.
    let mut rep = Box::new(MaybeUninit::<audit_reply>::zeroed());
    let (mut kernel, mut refused) = (0, 0);
    loop {
        // SAFETY: a writable audit_reply.
        let rc = unsafe { audit_get_reply(fd, rep.as_mut_ptr(), 1, 0) };
        match rc {
            -11 => break,
            -22 => refused += 1,
            n if n > 0 => kernel += 1,
            other => panic!("audit_get_reply: {other}"),
        }
    }
    eprintln!(
        "{requests} requests, {spoofed} spoofed datagrams, {} stale ACKs; {refused} left for audit_get_reply, which refused them; {kernel} kernel datagrams",
        spoofed / 8
    );
    audit_close(fd);
    close_raw(spoofer);
}

/// A rate limit and a tiny backlog without waiting: the kernel drops records but still ACKs,
/// so every request succeeds at once, as with the original; nothing waits.
#[test]
fn rate_and_backlog_limits() {
    let _guard = common::KernelGuard::new();
    let control = prepare_kernel();
    assert!(audit_set_rate_limit(control, 2) > 0);
    assert!(audit_set_backlog_limit(control, 2) > 0);
    assert!(audit_set_backlog_wait_time(control, 0) > 0);
    let fd = audit_open();
    let started = Instant::now();
    for i in 0..200 {
        let rc = send_user(fd, &format!("librs-rel limited {i}"));
        assert!(rc > 0, "message {i}: rc {rc}");
    }
    let elapsed = started.elapsed();
    eprintln!("200 messages under rate limit 2/s and backlog 2: all acknowledged in {elapsed:?}");
    assert!(elapsed < Duration::from_secs(10));
    audit_close(fd);
    audit_close(control);
}

/// ENOBUFS: a socket whose receive buffer is full cannot take the kernel's ACK. The request
/// fails with -ENOBUFS (as the original's, whose peek fails the same way) instead of waiting out
/// the 40 s ACK timeout, and the socket works again once drained.
#[test]
fn full_receive_buffer_reports_enobufs() {
    let _guard = common::KernelGuard::new();
    let fd = audit_open();
    let small: i32 = 1;
    // SAFETY: setsockopt on our socket; the kernel rounds up to its minimum.
    unsafe { libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, (&small as *const i32).cast(), 4) };
    // Status requests sent past the library, whose ACKs and replies nobody reads: the buffer
    // overflows before the library's request (its own reads would otherwise keep it drained).
    for seq in 0..30 {
        let mut request = ack_datagram(0x7ffe_0000 + seq, 0);
        request.truncate(16);
        request[0..4].copy_from_slice(&16u32.to_ne_bytes());
        request[4..6].copy_from_slice(&1000u16.to_ne_bytes());
        request[6..8].copy_from_slice(&5u16.to_ne_bytes()); // REQUEST | ACK
        send_datagram(fd, 0, &request);
    }
    thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    // SAFETY: no payload.
    let rc = unsafe { audit_send(fd, 1000, std::ptr::null::<c_void>(), 0) };
    let elapsed = started.elapsed();
    eprintln!("full receive buffer: rc {rc} after {elapsed:?}");
    assert_eq!(rc, -libc::ENOBUFS);
    assert!(elapsed < Duration::from_secs(5), "no ACK timeout was waited out");
    let mut rep = Box::new(MaybeUninit::<audit_reply>::zeroed());
    // SAFETY: a writable audit_reply.
    while unsafe { audit_get_reply(fd, rep.as_mut_ptr(), 1, 0) } > 0 {}
    let rc = send_user(fd, "librs-rel after ENOBUFS");
    assert!(rc > 0, "the drained socket works again: rc {rc}");
    audit_close(fd);
}

/// The real logging API from 16 threads, on one shared fd or one fd each: user messages and
/// account messages alternate, each with a tag of its own. Every call must succeed and every
/// message appear in the kernel's log exactly once.
fn logging_threads(shared: bool) {
    use audit::logging::{audit_log_acct_message, audit_log_user_message};
    let _guard = common::KernelGuard::new();
    let control = prepare_kernel();
    let readlog = raw_socket(1);
    let tag = format!("librs-log-{}-{}", std::process::id(), if shared { "shared" } else { "separate" });
    let fd = audit_open();
    let barrier = Arc::new(Barrier::new(THREADS));
    let started = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (tag, barrier) = (tag.clone(), barrier.clone());
            thread::spawn(move || {
                let own = if shared { fd } else { audit_open() };
                barrier.wait();
                for i in 0..PER_THREAD {
                    let text = std::ffi::CString::new(format!("{tag}:{t}:{i}")).unwrap();
                    // SAFETY: NUL-terminated strings or NULL.
                    let rc = unsafe {
                        if i % 2 == 0 {
                            let message = std::ffi::CString::new(format!("op={tag}:{t}:{i}")).unwrap();
                            audit_log_user_message(own, AUDIT_USER as i32, message.as_ptr(), null(), null(), null(), 1)
                        } else {
                            audit_log_acct_message(
                                own,
                                AUDIT_USER_CHAUTHTOK,
                                null(),
                                text.as_ptr(),
                                c"bob".as_ptr(),
                                u32::MAX,
                                null(),
                                null(),
                                null(),
                                1,
                            )
                        }
                    };
                    assert!(rc > 0, "thread {t} message {i}: rc {rc} errno {}", errno());
                }
                if !shared {
                    audit_close(own);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed();
    let records = collect_records(readlog, &tag, THREADS * PER_THREAD, Duration::from_secs(5));
    eprintln!(
        "logging, {} fd(s): {} calls in {elapsed:?}, {} records seen",
        if shared { "one shared" } else { "separate" },
        THREADS * PER_THREAD,
        records.len()
    );
    assert_eq!(records.len(), THREADS * PER_THREAD, "every message is in the kernel's log");
    audit_close(fd);
    audit_close(control);
    close_raw(readlog);
}

#[test]
fn logging_threads_one_shared_fd() {
    logging_threads(true);
}

#[test]
fn logging_threads_separate_fds() {
    logging_threads(false);
}

fn null() -> *const std::ffi::c_char {
    std::ptr::null()
}

const FRESH: &str = "LIBAUDIT_RS_FRESH_PROCESS";

/// The library's caches are set by the first call in a process. 16 threads make their first
/// calls at once in a fresh process (this test binary run again, this test alone): the feature
/// probe, and user and account messages whose exe= and hostname= come from the caches. Every
/// thread gets the same feature bitmap, no socket is left open, and every record carries the
/// executable and the host name in full.
#[test]
fn first_calls_from_many_threads_in_a_fresh_process() {
    if std::env::var_os(FRESH).is_none() {
        let _guard = common::KernelGuard::new();
        let control = prepare_kernel();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "first_calls_from_many_threads_in_a_fresh_process", "--nocapture"])
            .env(FRESH, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && stdout.contains("1 passed"), "fresh process: {stdout}");
        audit_close(control);
        return;
    }
    use audit::control::audit_get_features;
    use audit::logging::{audit_log_acct_message, audit_log_user_message};
    let open_fds = || std::fs::read_dir("/proc/self/fd").unwrap().count();
    let readlog = raw_socket(1);
    let fds_before = open_fds();
    let tag = format!("librs-first-{}", std::process::id());
    let barrier = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (tag, barrier) = (tag.clone(), barrier.clone());
            thread::spawn(move || {
                let fd = audit_open();
                let message = std::ffi::CString::new(format!("op={tag}:{t}")).unwrap();
                let op = std::ffi::CString::new(format!("{tag}:acct{t}")).unwrap();
                barrier.wait();
                let features = audit_get_features();
                // A terminal named pts/... makes the library add this host's name.
                // SAFETY: NUL-terminated strings or NULL.
                let (user, acct) = unsafe {
                    (
                        audit_log_user_message(
                            fd,
                            AUDIT_USER as i32,
                            message.as_ptr(),
                            null(),
                            null(),
                            c"pts/98".as_ptr(),
                            1,
                        ),
                        audit_log_acct_message(
                            fd,
                            AUDIT_USER_CHAUTHTOK,
                            null(),
                            op.as_ptr(),
                            null(),
                            7,
                            null(),
                            null(),
                            c"pts/98".as_ptr(),
                            1,
                        ),
                    )
                };
                assert!(user > 0 && acct > 0, "thread {t}: {user} {acct}");
                audit_close(fd);
                features
            })
        })
        .collect();
    let features: HashSet<u32> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    assert_eq!(features, HashSet::from([audit_get_features()]), "one feature bitmap for every thread");
    assert_eq!(open_fds(), fds_before, "no socket left open");
    let records = collect_records(readlog, &tag, 2 * THREADS, Duration::from_secs(5));
    assert_eq!(records.len(), 2 * THREADS, "every message is in the kernel's log");
    let exe = format!("exe=\"{}\"", std::fs::read_link("/proc/self/exe").unwrap().display());
    let mut host = [0u8; 256];
    // SAFETY: gethostname into a buffer we own.
    assert_eq!(unsafe { libc::gethostname(host.as_mut_ptr().cast(), host.len()) }, 0);
    let host = format!(" hostname={} ", std::ffi::CStr::from_bytes_until_nul(&host).unwrap().to_str().unwrap());
    for (id, text) in &records {
        assert!(text.contains(&exe) && text.contains(&host), "record {id} lacks {exe} or{host}: {text}");
    }
    eprintln!(
        "fresh process: {} threads, features {features:?}, {} records with exe and hostname",
        THREADS,
        records.len()
    );
    close_raw(readlog);
}
