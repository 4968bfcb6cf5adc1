//! A connection to the kernel's audit subsystem, and its status.

use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use crate::diag::{Diagnostics, Silent};
use crate::error::Error;
use crate::wire::audit_status;
use crate::{control, netlink};

/// A NETLINK_AUDIT socket, closed when dropped. Requests from several threads on one socket are
/// safe: each waits for the kernel's answer to its own request.
pub struct Socket {
    fd: OwnedFd,
    diagnostics: Box<dyn Diagnostics + Send + Sync>,
}

impl Socket {
    /// Opens a socket to the kernel's audit subsystem. Opening needs no privilege; what the
    /// requests need is said at each.
    pub fn open() -> Result<Socket, Error> {
        let fd = netlink::open().map_err(Error::Os)?;
        // SAFETY: netlink::open returned a new descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(Socket { fd, diagnostics: Box::new(Silent) })
    }

    /// Sends what the library has to say about events it handles without failing (a datagram
    /// not from the kernel, a host name that does not resolve) to `diagnostics`, instead of
    /// dropping it.
    pub fn with_diagnostics(mut self, diagnostics: impl Diagnostics + Send + Sync + 'static) -> Socket {
        self.diagnostics = Box::new(diagnostics);
        self
    }

    pub(crate) fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    pub(crate) fn diag(&self) -> &dyn Diagnostics {
        &*self.diagnostics
    }

    /// The kernel's audit status (needs CAP_AUDIT_CONTROL, or CAP_AUDIT_READ on some kernels).
    pub fn status(&self) -> Result<Status, Error> {
        control::request_status(self.raw(), None, self.diag()).map_err(|f| Error::Os(f.errno))?;
        let status =
            control::await_status(self.raw(), self.diag()).map_err(|errno| errno.map_or(Error::NoAnswer, Error::Os))?;
        Ok(Status::from(status))
    }

    /// Turns auditing on or off (needs CAP_AUDIT_CONTROL). Locking the configuration until
    /// reboot is not offered here.
    pub fn set_enabled(&self, on: bool) -> Result<(), Error> {
        self.set(control::Setting::Enabled, u32::from(on)).map(drop)
    }

    /// What the kernel does when it cannot log a record (needs CAP_AUDIT_CONTROL).
    pub fn set_failure_mode(&self, mode: FailureMode) -> Result<(), Error> {
        let value = match mode {
            FailureMode::Silent => 0,
            FailureMode::Printk => 1,
            FailureMode::Panic => 2,
            FailureMode::Other(value) => value,
        };
        self.set(control::Setting::Failure, value).map(drop)
    }

    /// Registers `pid` as the audit daemon, to which the kernel sends the records (0: none).
    pub fn set_pid(&self, pid: u32) -> Result<(), Error> {
        self.set(control::Setting::Pid, pid).map(drop)
    }

    /// Records per second at most (0: no limit).
    pub fn set_rate_limit(&self, limit: u32) -> Result<(), Error> {
        self.set(control::Setting::RateLimit, limit).map(drop)
    }

    /// Records the kernel queues for the daemon at most.
    pub fn set_backlog_limit(&self, limit: u32) -> Result<(), Error> {
        self.set(control::Setting::BacklogLimit, limit).map(drop)
    }

    /// How long a process waits for room in the backlog, in clock ticks.
    pub fn set_backlog_wait_time(&self, ticks: u32) -> Result<(), Error> {
        self.set(control::Setting::BacklogWaitTime, ticks).map(drop)
    }

    /// Resets the count of lost records, and returns the count it had (kernels whose
    /// [`Status::feature_bitmap`] has AUDIT_FEATURE_BITMAP_LOST_RESET).
    pub fn reset_lost(&self) -> Result<u32, Error> {
        self.set(control::Setting::ResetLost, 0).map(|sent| sent.ack as u32)
    }

    /// Resets the total time processes waited for room in the backlog.
    pub fn reset_backlog_wait_time_actual(&self) -> Result<(), Error> {
        self.set(control::Setting::ResetBacklogWaitTimeActual, 0).map(drop)
    }

    fn set(&self, setting: control::Setting, value: u32) -> Result<netlink::Sent, Error> {
        control::set(self.raw(), setting, value, self.diag()).map_err(|f| Error::Os(f.errno))
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // What the library keeps about the descriptor goes before the descriptor (closed next).
        netlink::fdstate::forget(self.raw());
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.raw()
    }
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket").field("fd", &self.fd).finish_non_exhaustive()
    }
}

/// Whether the kernel audits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enabled {
    Off,
    On,
    /// On, and the configuration cannot change until reboot.
    Locked,
    /// A value this crate does not know.
    Other(u32),
}

/// What the kernel does when it cannot log a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureMode {
    /// Nothing.
    Silent,
    /// Writes a message to the kernel log.
    Printk,
    /// Panics the machine.
    Panic,
    /// A value this crate does not know.
    Other(u32),
}

/// The kernel's audit status (`struct audit_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub enabled: Enabled,
    pub failure: FailureMode,
    /// The audit daemon's process, if one is registered.
    pub pid: Option<u32>,
    /// Records per second at most (0: no limit).
    pub rate_limit: u32,
    /// Records the kernel queues for the daemon at most.
    pub backlog_limit: u32,
    /// Records lost since boot or the last reset.
    pub lost: u32,
    /// Records queued now.
    pub backlog: u32,
    /// AUDIT_FEATURE_BITMAP_* bits: what this kernel's audit supports.
    pub feature_bitmap: u32,
    /// How long a process waits for room in the backlog, in clock ticks.
    pub backlog_wait_time: u32,
    /// How long processes waited for room in the backlog, in clock ticks, since the last reset.
    pub backlog_wait_time_actual: u32,
}

impl From<audit_status> for Status {
    fn from(s: audit_status) -> Status {
        Status {
            enabled: match s.enabled {
                0 => Enabled::Off,
                1 => Enabled::On,
                2 => Enabled::Locked,
                other => Enabled::Other(other),
            },
            failure: match s.failure {
                0 => FailureMode::Silent,
                1 => FailureMode::Printk,
                2 => FailureMode::Panic,
                other => FailureMode::Other(other),
            },
            pid: (s.pid != 0).then_some(s.pid),
            rate_limit: s.rate_limit,
            backlog_limit: s.backlog_limit,
            lost: s.lost,
            backlog: s.backlog,
            feature_bitmap: s.feature_bitmap,
            backlog_wait_time: s.backlog_wait_time,
            backlog_wait_time_actual: s.backlog_wait_time_actual,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_values_are_typed() {
        let raw = audit_status { enabled: 2, failure: 1, pid: 0, lost: 3, ..Default::default() };
        let status = Status::from(raw);
        assert_eq!(
            (status.enabled, status.failure, status.pid, status.lost),
            (Enabled::Locked, FailureMode::Printk, None, 3)
        );
        let status = Status::from(audit_status { enabled: 7, failure: 9, pid: 42, ..Default::default() });
        assert_eq!((status.enabled, status.failure, status.pid), (Enabled::Other(7), FailureMode::Other(9), Some(42)));
    }

    #[test]
    fn sockets_are_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Socket>();
    }
}
