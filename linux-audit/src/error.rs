//! The one error type of the crate.

use std::fmt;

use crate::sys;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A system call failed, or the kernel refused the request, with this errno. Two are
    /// common: ECONNREFUSED, the kernel has no audit support (or none reachable from this
    /// network namespace); EPERM, the process lacks CAP_AUDIT_WRITE (records) or
    /// CAP_AUDIT_CONTROL (status and settings).
    Os(i32),
    /// The kernel accepted a request but sent no answer in the time allowed (40 rounds of
    /// 100 ms, as libaudit waits).
    NoAnswer,
    /// A rule could not be built: libaudit's error number for it (EAU_*, as auditctl reports
    /// them; 0 for the errors it has no number for, such as an unknown syscall name) and the
    /// message auditctl prints for it.
    Rule { code: i32, message: String },
}

impl Error {
    /// The errno, for [`Error::Os`].
    pub fn raw_os_error(&self) -> Option<i32> {
        match self {
            Error::Os(errno) => Some(*errno),
            Error::NoAnswer | Error::Rule { .. } => None,
        }
    }

    /// The kernel has no audit subsystem to talk to: programs that log "if auditing is there"
    /// (as libaudit's own callers do) carry on.
    pub fn audit_unavailable(&self) -> bool {
        *self == Error::Os(libc::ECONNREFUSED)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Os(errno) => write!(f, "{} (os error {errno})", sys::strerror(*errno)),
            Error::NoAnswer => f.write_str("the kernel sent no answer"),
            Error::Rule { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(error: Error) -> Self {
        match error {
            Error::Os(errno) => std::io::Error::from_raw_os_error(errno),
            Error::NoAnswer => std::io::Error::new(std::io::ErrorKind::TimedOut, error),
            Error::Rule { .. } => std::io::Error::new(std::io::ErrorKind::InvalidInput, error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_strerror() {
        assert_eq!(Error::Os(libc::EPERM).to_string(), "Operation not permitted (os error 1)");
        assert!(Error::Os(libc::ECONNREFUSED).audit_unavailable());
        assert!(!Error::Os(libc::EPERM).audit_unavailable());
        assert_eq!(std::io::Error::from(Error::Os(libc::EPERM)).raw_os_error(), Some(libc::EPERM));
        assert_eq!(Error::NoAnswer.raw_os_error(), None);
    }
}
