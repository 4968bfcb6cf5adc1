//! The syscalls the core makes, as safe functions returning the errno on failure. Each leaves
//! the caller's `errno` as it found it: the C library decides what errno its caller sees.

use std::mem::MaybeUninit;
#[cfg(not(miri))]
use std::mem::size_of;
use std::os::fd::RawFd;

#[cfg(not(miri))]
use crate::cancel;
#[cfg(not(miri))]
use crate::wire::NETLINK_AUDIT;

/// PATH_MAX of glibc: the buffers of readlink, getcwd, and the longest path a rule takes.
pub(crate) const PATH_MAX: usize = 4096;

/// A positive errno value.
pub(crate) type Errno = i32;

pub(crate) fn errno() -> Errno {
    // SAFETY: __errno_location always returns this thread's errno slot.
    unsafe { *libc::__errno_location() }
}

pub(crate) fn set_errno(value: Errno) {
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = value }
}

#[cfg(not(miri))]
/// Runs one libc call that reports failure as -1, keeping errno untouched. Once the thread was
/// cancelled inside a wait of this call (see cancel), no call is made: ECANCELED.
fn call(f: impl FnOnce() -> isize) -> Result<usize, Errno> {
    if cancel::cancelled() {
        return Err(libc::ECANCELED);
    }
    // Looked up once for the save, the read and the restore.
    // SAFETY: __errno_location returns this thread's errno slot, valid for the thread's life.
    let slot = unsafe { libc::__errno_location() };
    // SAFETY: as above (a raw pointer: libc writes the slot meanwhile).
    let saved = unsafe { *slot };
    let rc = f();
    if rc >= 0 {
        // libc sets errno only on failure.
        return Ok(rc as usize);
    }
    // SAFETY: as above.
    unsafe {
        let errno = *slot;
        *slot = saved;
        Err(errno)
    }
}

pub(crate) fn open_audit_socket() -> Result<RawFd, Errno> {
    // Miri cannot open sockets: what a kernel without audit support answers.
    #[cfg(miri)]
    return Err(libc::EPROTONOSUPPORT);
    #[cfg(not(miri))]
    // SOCK_CLOEXEC in the same call: no window in which a forked child inherits the socket.
    // SAFETY: socket takes no pointers.
    call(|| unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, NETLINK_AUDIT) as isize })
        .map(|fd| fd as RawFd)
}

/// `call` for the file system calls, also under Miri (where only the errno is kept).
fn file_call(f: impl FnOnce() -> isize) -> Result<usize, Errno> {
    #[cfg(not(miri))]
    return call(f);
    #[cfg(miri)]
    {
        let saved = errno();
        let rc = f();
        if rc >= 0 {
            return Ok(rc as usize);
        }
        let failed = errno();
        set_errno(saved);
        Err(failed)
    }
}

/// A file opened with open(2), closed when dropped: std::fs without its allocations and panic
/// paths (scripts/panic-paths).
pub(crate) struct File(RawFd);

impl File {
    /// open(2) of `path` with `flags` (O_CLOEXEC added), retried on EINTR.
    pub(crate) fn open(path: &std::ffi::CStr, flags: i32) -> Result<File, Errno> {
        loop {
            // SAFETY: `path` is NUL-terminated; the mode is read only with O_CREAT (not used).
            match file_call(|| unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC) as isize }) {
                Err(libc::EINTR) => continue,
                result => return result.map(|fd| File(fd as RawFd)),
            }
        }
    }

    /// One read(2) into `buf`, retried on EINTR.
    pub(crate) fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        loop {
            // SAFETY: read writes at most buf.len() bytes into buf.
            match file_call(|| unsafe { libc::read(self.0, buf.as_mut_ptr().cast(), buf.len()) }) {
                Err(libc::EINTR) => continue,
                result => return result,
            }
        }
    }

    /// write(2) of all of `bytes`, retrying EINTR and short writes.
    pub(crate) fn write_all(&self, mut bytes: &[u8]) -> Result<(), Errno> {
        while !bytes.is_empty() {
            // SAFETY: write reads at most bytes.len() bytes from bytes.
            match file_call(|| unsafe { libc::write(self.0, bytes.as_ptr().cast(), bytes.len()) }) {
                Err(libc::EINTR) => continue,
                Err(e) => return Err(e),
                Ok(0) => return Err(libc::EIO),
                Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
            }
        }
        Ok(())
    }

    /// fstat(2).
    pub(crate) fn stat(&self) -> Result<libc::stat, Errno> {
        let mut st = MaybeUninit::<libc::stat>::uninit();
        // SAFETY: fstat fills `st` when it succeeds.
        file_call(|| unsafe { libc::fstat(self.0, st.as_mut_ptr()) as isize })?;
        // SAFETY: initialised by the successful fstat.
        Ok(unsafe { st.assume_init() })
    }
}

impl Drop for File {
    fn drop(&mut self) {
        // SAFETY: close takes no pointers; the fd is this File's.
        let _ = file_call(|| unsafe { libc::close(self.0) as isize });
    }
}

/// stat(2) (lstat(2) when `follow` is false) of `path`.
pub(crate) fn stat(path: &std::ffi::CStr, follow: bool) -> Result<libc::stat, Errno> {
    let mut st = MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `path` is NUL-terminated; stat fills `st` when it succeeds.
    file_call(|| unsafe {
        (if follow { libc::stat(path.as_ptr(), st.as_mut_ptr()) } else { libc::lstat(path.as_ptr(), st.as_mut_ptr()) })
            as isize
    })?;
    // SAFETY: initialised by the successful call.
    Ok(unsafe { st.assume_init() })
}

/// A path as a C string in `buf` (None when it has a NUL or does not fit).
pub(crate) fn c_path<'a>(parts: &[&[u8]], buf: &'a mut [u8]) -> Option<&'a std::ffi::CStr> {
    let mut at = 0;
    for part in parts {
        let room = buf.get_mut(at..at + part.len())?;
        for (slot, &b) in room.iter_mut().zip(*part) {
            *slot = b;
        }
        at += part.len();
    }
    *buf.get_mut(at)? = 0;
    std::ffi::CStr::from_bytes_with_nul(buf.get(..=at)?).ok()
}

/// close(2), not retried: on Linux the descriptor is released even when close reports EINTR.
pub(crate) fn close(fd: RawFd) -> Result<(), Errno> {
    // Under Miri no socket was ever opened (scripts name fds that are not open).
    #[cfg(miri)]
    return if crate::script::holds(fd) { Ok(()) } else { Err(libc::EBADF) };
    #[cfg(not(miri))]
    // SAFETY: close takes no pointers; the fd is the caller's to close.
    call(|| unsafe { libc::close(fd) as isize }).map(|_| ())
}

#[cfg(not(miri))]
fn kernel_address() -> libc::sockaddr_nl {
    // SAFETY: sockaddr_nl is plain data; all zero is a valid value.
    let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    addr
}

/// sendto the kernel (port 0), retried on EINTR.
pub(crate) fn send_to_kernel(fd: RawFd, datagram: &[u8]) -> Result<usize, Errno> {
    #[cfg(any(feature = "scripted-socket", miri))]
    if let Some(sent) = crate::script::send(fd, datagram) {
        return sent;
    }
    #[cfg(miri)]
    return Err(libc::EBADF);
    #[cfg(not(miri))]
    send_datagram(fd, datagram)
}

#[cfg(not(miri))]
fn send_datagram(fd: RawFd, datagram: &[u8]) -> Result<usize, Errno> {
    let addr = kernel_address();
    loop {
        // SAFETY: `datagram` is readable for its length, `addr` is a sockaddr_nl of the size given.
        let rc = call(|| unsafe {
            libc::sendto(
                fd,
                datagram.as_ptr().cast(),
                datagram.len(),
                0,
                (&addr as *const libc::sockaddr_nl).cast(),
                size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        });
        match rc {
            Err(libc::EINTR) => continue,
            other => return other,
        }
    }
}

/// One received datagram and who sent it.
pub(crate) struct Received<'a> {
    pub data: &'a [u8],
    /// The sender's address had the size of a sockaddr_nl.
    pub address_ok: bool,
    /// The sender's netlink port: 0 is the kernel.
    pub sender_port: u32,
}

/// recvfrom into `buf` (which may be uninitialised), retried on EINTR.
pub(crate) fn recv(fd: RawFd, buf: &mut [MaybeUninit<u8>], flags: i32) -> Result<Received<'_>, Errno> {
    #[cfg(any(feature = "scripted-socket", miri))]
    if let Some(mut received) = crate::script::recv(fd, buf, flags) {
        while received == Err(libc::EINTR) {
            received = crate::script::recv(fd, buf, flags).unwrap_or(Err(libc::EBADF));
        }
        let (len, sender_port) = received?;
        // SAFETY: the script wrote the first `len` bytes of `buf`.
        let data = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast(), len) };
        return Ok(Received { data, address_ok: true, sender_port });
    }
    #[cfg(miri)]
    return Err(libc::EBADF);
    #[cfg(not(miri))]
    receive_datagram(fd, buf, flags)
}

#[cfg(not(miri))]
fn receive_datagram(fd: RawFd, buf: &mut [MaybeUninit<u8>], flags: i32) -> Result<Received<'_>, Errno> {
    let mut addr = kernel_address();
    loop {
        let mut addr_len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        let (data, len, from) = (buf.as_mut_ptr().cast(), buf.len(), (&mut addr as *mut libc::sockaddr_nl).cast());
        let rc = call(|| {
            // A receive that may block is a cancellation point, as the original's is.
            if flags & libc::MSG_DONTWAIT == 0 {
                // SAFETY: `data` has `len` writable bytes; `from` and `addr_len` hold a sockaddr_nl.
                if let Some(rc) = unsafe { cancel::recvfrom(fd, data, len, flags, from, &mut addr_len) } {
                    return rc;
                }
            }
            // SAFETY: as above.
            unsafe { libc::recvfrom(fd, data, len, flags, from, &mut addr_len) }
        });
        match rc {
            Err(libc::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(len) => {
                let len = len.min(buf.len());
                return Ok(Received {
                    // SAFETY: recvfrom wrote the first `len` bytes of `buf`.
                    data: unsafe { std::slice::from_raw_parts(buf.as_ptr().cast(), len) },
                    address_ok: addr_len as usize == size_of::<libc::sockaddr_nl>(),
                    sender_port: addr.nl_pid,
                });
            }
        }
    }
}

/// Waits up to `timeout_ms` for `fd` to become readable (EINTR restarts the wait); a
/// cancellation point (see cancel).
pub(crate) fn wait_readable(fd: RawFd, timeout_ms: i32) {
    #[cfg(any(feature = "scripted-socket", miri))]
    if crate::script::poll(fd, timeout_ms).is_some() {
        return;
    }
    #[cfg(not(miri))]
    poll(&mut [libc::pollfd { fd, events: libc::POLLIN, revents: 0 }], timeout_ms);
}

/// Waits `timeout_ms`; a cancellation point (see cancel).
pub(crate) fn pause(timeout_ms: i32) {
    #[cfg(any(feature = "scripted-socket", miri))]
    if crate::script::pause(timeout_ms).is_some() {
        return;
    }
    #[cfg(not(miri))]
    poll(&mut [], timeout_ms);
}

#[cfg(not(miri))]
fn poll(fds: &mut [libc::pollfd], timeout_ms: i32) {
    let (all, n) = (fds.as_mut_ptr(), fds.len() as libc::nfds_t);
    // SAFETY: `all` points to `n` pollfds.
    let wait =
        move || cancel::poll(all, n, timeout_ms).unwrap_or_else(|| unsafe { libc::poll(all, n, timeout_ms) } as isize);
    while let Err(libc::EINTR) = call(wait) {}
}

/// The monotonic clock in milliseconds (the script's, while one is installed). Read with
/// clock_gettime rather than std's Instant, whose arithmetic can panic (the C face calls no
/// panic path: scripts/panic-paths).
pub(crate) fn now_ms() -> u64 {
    #[cfg(any(feature = "scripted-socket", miri))]
    if let Some(now) = crate::script::now_ms() {
        return now;
    }
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the time into `ts`; CLOCK_MONOTONIC cannot fail on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64).wrapping_mul(1000).wrapping_add(ts.tv_nsec as u64 / 1_000_000)
}

/// strerror's text for an errno, as the original prints it: formatted where it is printed,
/// without allocating.
#[derive(Clone, Copy)]
pub struct Strerror(pub Errno);

/// strerror's text for an errno.
pub fn strerror(errnum: Errno) -> Strerror {
    Strerror(errnum)
}

impl std::fmt::Display for Strerror {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = [0 as libc::c_char; 256];
        // SAFETY: the XSI strerror_r writes a NUL-terminated message into buf, or fails.
        if unsafe { libc::strerror_r(self.0, buf.as_mut_ptr(), buf.len()) } != 0 {
            return write!(f, "Unknown error {}", self.0);
        }
        // SAFETY: NUL-terminated by strerror_r.
        let text = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_bytes();
        for chunk in text.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_matches_libc() {
        assert_eq!(strerror(libc::EPERM).to_string(), "Operation not permitted");
    }
}
