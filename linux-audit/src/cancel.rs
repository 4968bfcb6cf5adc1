//! Cancellation points for the C library's callers (pthread_cancel).
//!
//! The original libaudit is cancelled at its blocking system calls (recvfrom, poll, close,
//! open...). Our C face runs each export's body with the thread's cancellation disabled and
//! under catch_unwind, which glibc's forced unwind must never cross (Rust's catch_unwind would
//! catch it, and the process aborts). So the face opens a [`Section`] for the call, and the
//! core's blocking waits (a blocking receive, the ACK wait's polls and pauses) become
//! cancellation points through cancel.c: the cancellation, if it comes, is acted on inside the
//! wait, glibc's unwinder jumps back into cancel.c (as it does to a pthread_cleanup_push handler
//! in C), and the wait returns ECANCELED. From there every frame returns normally, dropping what
//! it holds, every later system call of the call fails with ECANCELED at once, and the export,
//! outside catch_unwind, ends the thread with pthread_exit(PTHREAD_CANCELED): to its caller,
//! exactly a cancellation at the original's cancellation point.
//!
//! Outside a section (Rust callers of the core), waits are plain system calls.

use std::cell::Cell;
#[cfg_attr(miri, allow(unused_imports))] // c_int: only the C calls, which Miri cannot make
use std::ffi::{c_int, c_void};

thread_local! {
    /// The current call's blocking waits are cancellation points.
    static ARMED: Cell<bool> = const { Cell::new(false) };
    /// The thread was cancelled inside a wait: the call is to end the thread.
    static CANCELLED: Cell<bool> = const { Cell::new(false) };
}

/// One blocking system call, as cancel.c makes it.
#[cfg(not(miri))]
#[repr(C)]
struct BlockingCall {
    /// 0: poll, 1: recvfrom.
    kind: c_int,
    fd: c_int,
    fds: *mut libc::pollfd,
    nfds: libc::nfds_t,
    timeout: c_int,
    buf: *mut c_void,
    len: usize,
    flags: c_int,
    addr: *mut libc::sockaddr,
    addr_len: *mut libc::socklen_t,
}

// Both may end the thread by glibc's forced unwind through their callers' frames, which then
// hold nothing to drop. Under panic=unwind they are "C-unwind": a caller's landing pads must let
// the unwind through. Under panic=abort, "C": a "C-unwind" call would get a landing pad that
// aborts on a foreign exception, and its abort path links all of std's panic machinery, while
// panic=abort changes nothing for a forced unwind through frames without destructors (RFC 2945).
#[cfg(panic = "unwind")]
unsafe extern "C-unwind" {
    fn pthread_testcancel();
    fn pthread_exit(retval: *mut c_void) -> !;
}
#[cfg(not(panic = "unwind"))]
unsafe extern "C" {
    fn pthread_testcancel();
    fn pthread_exit(retval: *mut c_void) -> !;
}

/// glibc's PTHREAD_CANCELED: what pthread_join reports for a cancelled thread.
const PTHREAD_CANCELED: *mut c_void = std::ptr::without_provenance_mut(usize::MAX);

/// Acts on a cancellation pending for the calling thread, if its cancellation is enabled
/// (pthread_testcancel): the thread ends, unwinding its frames.
///
/// # Safety
/// Every frame between here and the thread's C caller is one a forced unwind may cross: a
/// `"C-unwind"` function or a Rust frame holding nothing that must be dropped, and no
/// catch_unwind.
pub unsafe fn test() {
    // SAFETY: per the contract.
    unsafe { pthread_testcancel() }
}

/// Ends the calling thread as cancelled (pthread_exit(PTHREAD_CANCELED)): for the C face,
/// once a call was cancelled inside a wait (`cancelled`).
///
/// # Safety
/// As `test`.
pub unsafe fn end_thread() -> ! {
    // SAFETY: per the contract.
    unsafe { pthread_exit(PTHREAD_CANCELED) }
}

unsafe extern "C" {
    #[cfg(not(miri))]
    fn linux_audit_cancellable_call(call: *const BlockingCall, cancelled: *mut c_int) -> std::ffi::c_long;
    #[cfg(not(miri))]
    fn linux_audit_cancel_disable() -> c_int;
    fn linux_audit_cancel_enable();
}

/// A call from C into the library: the thread's cancellation is disabled while it lives, and
/// restored after. Sections nest (a signal handler's call inside an interrupted one).
pub struct Section {
    was_armed: bool,
    was_enabled: bool,
}

impl Section {
    /// `points`: the call's blocking waits are cancellation points (the original's are), if the
    /// caller can be cancelled at all (its cancellation is enabled).
    pub fn enter(points: bool) -> Section {
        let was_enabled = disable();
        let was_armed = ARMED.replace(points && was_enabled);
        Section { was_armed, was_enabled }
    }

    /// For the part of a call that may reach a cancellation point (a file read, a name
    /// lookup, a message) where the call as a whole opened no section (the C face's `pure`
    /// exports, Rust callers): cancellation is disabled while it lives. Inside a section it
    /// changes nothing: the section's waits stay what they were.
    pub fn guard() -> Section {
        Section { was_armed: ARMED.get(), was_enabled: disable() }
    }
}

/// Disables the calling thread's cancellation; whether it was enabled.
fn disable() -> bool {
    // Under Miri, which cannot call into cancel.c, there are no cancellation points.
    #[cfg(miri)]
    return false;
    // SAFETY: pthread_setcancelstate on the calling thread.
    #[cfg(not(miri))]
    return unsafe { linux_audit_cancel_disable() } != 0;
}

impl Drop for Section {
    fn drop(&mut self) {
        ARMED.set(self.was_armed);
        if self.was_enabled {
            // SAFETY: pthread_setcancelstate on the calling thread; a pending cancellation is
            // not acted on by it (deferred type), only at the caller's next cancellation point.
            unsafe { linux_audit_cancel_enable() };
        }
    }
}

/// The thread was cancelled inside one of the call's waits: the caller must end the thread
/// (pthread_exit) once the call's frames have returned.
pub fn cancelled() -> bool {
    CANCELLED.get()
}

#[cfg(not(miri))]
/// A blocking wait of the call: None when it is not to be a cancellation point (the caller
/// makes it as a plain system call); else the call's result, as libc returns it (-1 with errno
/// ECANCELED when the thread was cancelled in it).
fn blocking(call: &BlockingCall) -> Option<isize> {
    if !ARMED.get() {
        return None;
    }
    let mut cancelled = 0;
    // SAFETY: cancel.c makes the one call `call` describes, whose pointers its caller keeps
    // valid for it.
    let rc = unsafe { linux_audit_cancellable_call(call, &mut cancelled) };
    if cancelled != 0 {
        CANCELLED.set(true);
    }
    Some(rc as isize)
}

#[cfg(not(miri))]
/// poll(2) as a cancellation point (see `blocking`).
pub(crate) fn poll(fds: *mut libc::pollfd, nfds: libc::nfds_t, timeout: c_int) -> Option<isize> {
    blocking(&BlockingCall {
        kind: 0,
        fd: -1,
        fds,
        nfds,
        timeout,
        buf: std::ptr::null_mut(),
        len: 0,
        flags: 0,
        addr: std::ptr::null_mut(),
        addr_len: std::ptr::null_mut(),
    })
}

#[cfg(not(miri))]
/// recvfrom(2) as a cancellation point (see `blocking`).
///
/// # Safety
/// `buf` has `len` writable bytes; `addr` and `addr_len` are as recvfrom wants them.
pub(crate) unsafe fn recvfrom(
    fd: c_int,
    buf: *mut c_void,
    len: usize,
    flags: c_int,
    addr: *mut libc::sockaddr,
    addr_len: *mut libc::socklen_t,
) -> Option<isize> {
    blocking(&BlockingCall {
        kind: 1,
        fd,
        fds: std::ptr::null_mut(),
        nfds: 0,
        timeout: 0,
        buf,
        len,
        flags,
        addr,
        addr_len,
    })
}
