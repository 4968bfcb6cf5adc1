//! libaudit-rs: a memory-safe, drop-in replacement for Linux's libaudit.so.1.
//!
//! This crate is the C ABI, one file per API group, over the safe core (the `linux-audit`
//! crate, which knows nothing of C). Every export is a few lines: convert the arguments, call
//! the core, convert the result, set errno as the original does. Every export is defined with
//! [`export!`], which runs its body through [`entry`], so a panic never unwinds into the host
//! process: the shipped build (panic=abort) contains no panic at all, which tests/nopanic.rs
//! checks on the built object, and builds that unwind catch one at the boundary. What is C's
//! alone lives
//! here too: libaudit.h's types and macros, audit_msg's routing (message.rs), errno.
//!
//! cbindgen reads this crate, and only this one, to write include/<line>/: every export and
//! public constant here is declared there (`REGENERATE_HEADER=1 cargo test --test header`).

/// Defines an export: `#[on_panic(VALUE)] pub [unsafe] fn name(...) -> T { body }` becomes the
/// `#[unsafe(no_mangle)] pub [unsafe] extern "C" fn` whose body runs through [`entry`], the one
/// boundary between C and Rust. Every exported function is written with it: tests/header.rs
/// fails on a `no_mangle` function written any other way, and writes the header from the
/// functions this macro makes.
///
/// `#[on_panic(VALUE, cancellation_point)]` marks an export whose original is a cancellation
/// point (it talks to the kernel, reads a file or prints): it becomes `extern "C-unwind"`, and
/// its body runs through [`entry_cancellable`], which lets a thread cancellation (glibc's forced
/// unwind) through it the way the original would be cancelled. Without the mark, no
/// cancellation acts inside the export: its body runs with cancellation disabled.
///
/// `#[on_panic(VALUE, pure)]` marks an export that calls nothing that could be a cancellation
/// point, or only inside a `linux_audit::cancel::Section::guard()` (table lookups, encoders; the
/// rule builders, whose user and group lookups, messages and the kernel's feature probe are
/// guarded where they happen, on the rare paths that reach them): its body runs through
/// [`entry_pure`], which only catches panics, saving the cancellation state's two updates
/// (about 10 ns, half the time of a lookup, and a sixth of a field pair's).
macro_rules! export {
    // The forms an export is written in: safe or unsafe, with a kind or none.
    (
        $(#[doc = $doc:literal])*
        $(#[allow($($lint:tt)*)])*
        #[on_panic($on_panic:expr $(, $kind:ident)?)]
        pub unsafe fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block
    ) => {
        export!(@kind [$($kind)?] [unsafe] [$(doc = $doc,)* $(allow($($lint)*),)*] $on_panic,
            $name($($arg: $ty),*) [$($ret)?] $body);
    };
    (
        $(#[doc = $doc:literal])*
        $(#[allow($($lint:tt)*)])*
        #[on_panic($on_panic:expr $(, $kind:ident)?)]
        pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block
    ) => {
        export!(@kind [$($kind)?] [] [$(doc = $doc,)* $(allow($($lint)*),)*] $on_panic,
            $name($($arg: $ty),*) [$($ret)?] $body);
    };
    // The kind chooses the ABI and the boundary: only a cancellation point may unwind (glibc's
    // forced unwind), and only through "C-unwind".
    (@kind [cancellation_point] $($rest:tt)*) => { export!(@emit "C-unwind" entry_cancellable $($rest)*); };
    (@kind [pure] $($rest:tt)*) => { export!(@emit "C" entry_pure $($rest)*); };
    (@kind [] $($rest:tt)*) => { export!(@emit "C" entry $($rest)*); };
    (
        @emit $abi:literal $entry:ident [$($unsafe:tt)?] [$($attr:meta,)*] $on_panic:expr,
        $name:ident($($arg:ident: $ty:ty),*) [$($ret:ty)?] $body:block
    ) => {
        $(#[$attr])*
        #[unsafe(no_mangle)]
        pub $($unsafe)? extern $abi fn $name($($arg: $ty),*) $(-> $ret)? {
            $crate::$entry($on_panic, || $body)
        }
    };
}

// `.hidden` for each name of abi/exports that the chosen line does not export (build.rs).
include!(concat!(env!("OUT_DIR"), "/hidden.rs"));

pub mod compat;
pub mod control;
pub mod defines;
pub mod logging;
pub mod lookup;
pub mod message;
pub mod netlink;
pub mod rules;
pub mod types;
mod writable;

use std::ffi::{CStr, c_char, c_int};

use linux_audit::cancel;
use linux_audit::netlink::{Failed, Sent};

/// The calling thread's errno.
pub(crate) fn errno() -> c_int {
    // SAFETY: __errno_location always returns this thread's errno slot.
    unsafe { *libc::__errno_location() }
}

pub(crate) fn set_errno(value: c_int) {
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = value }
}

/// The boundary: runs an export's body; if it panics (only possible in a build that unwinds: the
/// shipped one links no panic path), the export returns `on_panic` (with errno EFAULT) instead of
/// unwinding into C. The body runs with the thread's cancellation disabled:
/// no cancellation point inside it acts (glibc's forced unwind must never reach catch_unwind);
/// a pthread_cancel meanwhile takes effect at the caller's next cancellation point. Only
/// [`export!`] calls it.
fn entry<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    boundary(false, on_panic, body)
}

/// [`entry`] for an export marked `cancellation_point` (`extern "C-unwind"`): a cancellation
/// pending on entry is acted on at once, before the body, and the body's blocking waits are
/// cancellation points (linux_audit::cancel): cancelled in one, the body returns through all its
/// frames, releasing what it holds, and the thread ends here, outside catch_unwind, as the
/// original's would at that point: its cleanup handlers run and pthread_join sees
/// PTHREAD_CANCELED.
fn entry_cancellable<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    // SAFETY: acting on a cancellation unwinds from here into the caller through this frame
    // and the export's ("C-unwind"); neither holds anything yet (the body has not run).
    unsafe { cancel::test() };
    let result = boundary(true, on_panic, body);
    if cancel::cancelled() {
        // SAFETY: the body's frames have all returned; what is left to unwind is this frame and
        // the export's ("C-unwind"), which hold nothing with a destructor, then the caller's C
        // frames, as a cancellation at the original's cancellation point would.
        unsafe { cancel::end_thread() }
    }
    result
}

/// [`entry`] for an export marked `pure`: nothing in it can be a cancellation point, so the
/// thread's cancellation state is left alone.
#[cfg(panic = "unwind")]
fn entry_pure<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|_| {
        set_errno(libc::EFAULT);
        on_panic
    })
}

/// [`entry_pure`] where panics abort (the shipped build): nothing is caught because nothing can
/// panic, which tests/nopanic.rs proves on the built library (no panic entry point is linked).
#[cfg(not(panic = "unwind"))]
fn entry_pure<R>(_on_panic: R, body: impl FnOnce() -> R) -> R {
    body()
}

fn boundary<R>(points: bool, on_panic: R, body: impl FnOnce() -> R) -> R {
    let section = cancel::Section::enter(points);
    let result = entry_pure(on_panic, body);
    drop(section);
    result
}

/// A C string argument as bytes; None for NULL.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives the returned slice.
pub(crate) unsafe fn c_bytes<'a>(p: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: per the contract above.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// What C's printf prints for a string argument: NULL as glibc prints it, "(null)".
pub(crate) fn printed(s: Option<&[u8]>) -> &[u8] {
    s.unwrap_or(b"(null)")
}

/// audit_send's convention: the sequence number (> 0); a value the ACK carried instead (with
/// errno set to its negation, as the original does); or -errno with errno set.
pub(crate) fn seq_or_errno(result: Result<Sent, Failed>) -> c_int {
    match result {
        Ok(Sent { seq, ack: 0 }) => seq as c_int,
        Ok(Sent { ack, .. }) => ack_value(ack),
        Err(f) => fail(f.errno),
    }
}

/// __audit_send's convention: 0 on success, the ACK's positive value, or -errno.
pub(crate) fn zero_or_errno(result: Result<Sent, Failed>) -> c_int {
    match result {
        Ok(Sent { ack: 0, .. }) => 0,
        Ok(Sent { ack, .. }) => ack_value(ack),
        Err(f) => fail(f.errno),
    }
}

fn ack_value(ack: i32) -> c_int {
    set_errno(ack.wrapping_neg());
    ack
}

/// Sets errno and returns its negation.
pub(crate) fn fail(errno: i32) -> c_int {
    set_errno(errno);
    -errno
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_error_value_with_efault() {
        set_errno(0);
        let rc = entry(-7, || -> c_int { panic!("inside an export") });
        assert_eq!((rc, errno()), (-7, libc::EFAULT));
        let p = entry(std::ptr::null_mut::<c_char>(), || panic!("allocation failed"));
        assert!(p.is_null());
        // Without a panic, the body's value and errno pass through untouched.
        set_errno(libc::EPERM);
        assert_eq!((entry(-1, || 5), errno()), (5, libc::EPERM));
    }
}
