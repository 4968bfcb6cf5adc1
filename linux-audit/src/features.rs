//! The kernel's audit features and the signal info of the last signal sent to the audit
//! daemon, typed; the loginuid of the process.

use std::mem::MaybeUninit;

use crate::diag::Silent;
use crate::error::Error;
use crate::socket::Socket;
use crate::wire::*;
use crate::{control, netlink, sys};

/// A feature of the kernel's audit that can be turned on, off and locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// AUDIT_FEATURE_ONLY_UNSET_LOGINUID: a process may set its loginuid only while unset.
    OnlyUnsetLoginuid,
    /// AUDIT_FEATURE_LOGINUID_IMMUTABLE: once set, a loginuid cannot change.
    LoginuidImmutable,
}

impl Feature {
    fn number(self) -> u32 {
        match self {
            Feature::OnlyUnsetLoginuid => 0,
            Feature::LoginuidImmutable => AUDIT_FEATURE_LOGINUID_IMMUTABLE,
        }
    }
}

/// The kernel's audit features (`struct audit_features`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Features {
    /// The version of the structure (1 today).
    pub version: u32,
    /// The bits of the features that are on.
    pub on: u32,
    /// The bits of the features that are locked.
    pub locked: u32,
}

impl Features {
    /// Whether `feature` is on.
    pub fn is_on(&self, feature: Feature) -> bool {
        self.on & (1 << feature.number()) != 0
    }

    /// Whether `feature` is locked (it then cannot change until reboot).
    pub fn is_locked(&self, feature: Feature) -> bool {
        self.locked & (1 << feature.number()) != 0
    }
}

/// Who sent the last signal to the audit daemon (`struct audit_sig_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalInfo {
    /// The sender's loginuid.
    pub auid: u32,
    /// The sender's process id.
    pub pid: i32,
    /// The sender's security context, if the kernel sent one.
    pub context: Option<Vec<u8>>,
}

impl SignalInfo {
    /// The text auditd logs for it (audit_format_signal_info): `op=`, `auid=`, `uid=`, `ses=`,
    /// `pid=`, `subj=` if there is a context, `res=`.
    pub fn format(&self, op: &str, res: &str) -> String {
        let mut text = Vec::new();
        control::format_signal_info(
            op.as_bytes(),
            self.auid,
            self.pid,
            self.context.as_deref(),
            res.as_bytes(),
            &mut |piece| text.extend_from_slice(piece),
        );
        String::from_utf8_lossy(&text).into_owned()
    }

    fn parse(payload: &[u8]) -> Option<SignalInfo> {
        let word = |i: usize| payload.get(i..i + 4).map(|w| [w[0], w[1], w[2], w[3]]);
        let auid = u32::from_ne_bytes(word(0)?);
        let pid = i32::from_ne_bytes(word(4)?);
        // The original takes a reply of 24 bytes and less (header and the two ids) as without.
        let context = (payload.len() > 8).then(|| {
            let ctx = &payload[8..];
            ctx[..ctx.iter().position(|&b| b == 0).unwrap_or(ctx.len())].to_vec()
        });
        Some(SignalInfo { auid, pid, context })
    }
}

/// Sets the process's loginuid (needs CAP_AUDIT_CONTROL; on kernels with
/// [`Feature::LoginuidImmutable`] only once).
pub fn set_login_uid(uid: u32) -> Result<(), Error> {
    control::set_loginuid(uid, &Silent).map_err(Error::Os)
}

impl Socket {
    /// The kernel's audit features (needs CAP_AUDIT_CONTROL).
    pub fn features(&self) -> Result<Features, Error> {
        control::request_features(self.raw(), self.diag()).map_err(|f| Error::Os(f.errno))?;
        let payload = self.await_reply(AUDIT_GET_FEATURE)?;
        let word = |i: usize| payload.get(i * 4..i * 4 + 4).map_or(0, |w| u32::from_ne_bytes([w[0], w[1], w[2], w[3]]));
        Ok(Features { version: word(0), on: word(2), locked: word(3) })
    }

    /// Turns `feature` on or off, and locks it until reboot if `lock` (needs CAP_AUDIT_CONTROL).
    pub fn set_feature(&self, feature: Feature, on: bool, lock: bool) -> Result<(), Error> {
        control::set_feature(self.raw(), feature.number(), on, lock, self.diag())
            .map(drop)
            .map_err(|f| Error::Os(f.errno))
    }

    /// Who sent the last signal to the audit daemon (needs to be the daemon, or CAP_AUDIT_CONTROL).
    pub fn signal_info(&self) -> Result<SignalInfo, Error> {
        control::request_signal_info(self.raw(), self.diag()).map_err(|f| Error::Os(f.errno))?;
        let payload = self.await_reply(AUDIT_SIGNAL_INFO)?;
        SignalInfo::parse(&payload).ok_or(Error::Os(libc::EBADMSG))
    }

    /// Waits for the reply of type `kind` as the original does (40 rounds of 100 ms), returning
    /// its payload.
    fn await_reply(&self, kind: u16) -> Result<Vec<u8>, Error> {
        let mut buf = [MaybeUninit::uninit(); netlink::RECEIVE_SIZE];
        for _ in 0..40 {
            sys::wait_readable(self.raw(), 100);
            let Ok(reply) = netlink::get_reply(self.raw(), &mut buf, libc::MSG_DONTWAIT, self.diag()) else {
                continue;
            };
            // SAFETY: get_reply initialised `reply.len` bytes.
            let data: &[u8] = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast(), reply.len) };
            match reply.header.nlmsg_type {
                NLMSG_DONE => break,
                NLMSG_ERROR => {
                    let errno = data
                        .get(NLMSG_HDRLEN..NLMSG_HDRLEN + 4)
                        .map_or(0, |e| -i32::from_ne_bytes([e[0], e[1], e[2], e[3]]));
                    if errno != 0 {
                        return Err(Error::Os(errno));
                    }
                }
                t if t == kind => {
                    let end = (reply.header.nlmsg_len as usize).clamp(NLMSG_HDRLEN, data.len());
                    return Ok(data[NLMSG_HDRLEN..end].to_vec());
                }
                _ => {}
            }
        }
        Err(Error::NoAnswer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_info_payloads() {
        let mut p = 1000u32.to_ne_bytes().to_vec();
        p.extend_from_slice(&42i32.to_ne_bytes());
        assert_eq!(SignalInfo::parse(&p), Some(SignalInfo { auid: 1000, pid: 42, context: None }));
        p.extend_from_slice(b"system_u:system_r:init_t\0");
        let info = SignalInfo::parse(&p).unwrap();
        assert_eq!(info.context.as_deref(), Some(&b"system_u:system_r:init_t"[..]));
        assert!(SignalInfo::parse(&p[..6]).is_none());
    }

    #[test]
    fn feature_bits() {
        let f = Features { version: 1, on: 2, locked: 1 };
        assert!(f.is_on(Feature::LoginuidImmutable) && !f.is_on(Feature::OnlyUnsetLoginuid));
        assert!(f.is_locked(Feature::OnlyUnsetLoginuid) && !f.is_locked(Feature::LoginuidImmutable));
    }
}
