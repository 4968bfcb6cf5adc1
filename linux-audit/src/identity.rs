//! What the audit subsystem knows of the calling process: its login uid and session, and the
//! capabilities that decide what it may ask of the kernel.

use crate::control;
use crate::error::Error;

/// A capability of the audit subsystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Writing user-space records.
    AuditWrite,
    /// Status, settings and rules.
    AuditControl,
    /// Reading the kernel's records from the multicast log group.
    AuditRead,
}

/// Whether the calling thread has `capability` in its effective set.
pub fn has_capability(capability: Capability) -> bool {
    control::capable(match capability {
        Capability::AuditWrite => control::CAP_AUDIT_WRITE,
        Capability::AuditControl => control::CAP_AUDIT_CONTROL,
        Capability::AuditRead => control::CAP_AUDIT_READ,
    })
}

/// /proc/self's reading as an Error: an errno, or ERANGE for a value too long or too large.
fn proc_error(errno: i32) -> Error {
    Error::Os(if errno > 0 { errno } else { libc::ERANGE })
}

/// The login uid of this process (the user who logged in, kept across su and sudo), or None
/// while it is unset.
pub fn login_uid() -> Result<Option<u32>, Error> {
    control::loginuid().map(|uid| (uid != u32::MAX).then_some(uid)).map_err(proc_error)
}

/// The audit session of this process, or None while it is unset.
pub fn session_id() -> Result<Option<u32>, Error> {
    control::session().map(|id| (id != u32::MAX).then_some(id)).map_err(proc_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_the_kernel_s() {
        let text = std::fs::read_to_string("/proc/self/loginuid").unwrap();
        let uid: u32 = text.trim().parse().unwrap();
        assert_eq!(login_uid(), Ok((uid != u32::MAX).then_some(uid)));
        let text = std::fs::read_to_string("/proc/self/sessionid").unwrap();
        let id: u32 = text.trim().parse().unwrap();
        assert_eq!(session_id(), Ok((id != u32::MAX).then_some(id)));
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } == 0 {
            assert!(has_capability(Capability::AuditControl));
        }
    }
}
