//! Diagnostics: what the library has to say about events it handles without failing the call
//! (a datagram not from the kernel, a config line it skips, a host name that does not resolve).
//! The caller passes a [`Diagnostics`] to the calls that may report one, and decides where the
//! text goes; the library itself prints nothing.

use std::fmt;

/// How much a diagnostic matters, in syslog's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Of interest when tracing what the library does.
    Debug,
    /// Worth knowing, not a failure (syslog's LOG_INFO).
    Info,
    /// A failure the caller is told about anyway, or one that does not matter.
    Warning,
    /// Something went wrong that the call's result may not show.
    Error,
}

/// Receives diagnostics, one line of text each, at the moment they happen.
pub trait Diagnostics {
    fn report(&self, level: Level, message: fmt::Arguments<'_>);
}

/// Drops every diagnostic.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Diagnostics for Silent {
    fn report(&self, _: Level, _: fmt::Arguments<'_>) {}
}

impl<F: Fn(Level, fmt::Arguments<'_>)> Diagnostics for F {
    fn report(&self, level: Level, message: fmt::Arguments<'_>) {
        self(level, message)
    }
}
