//! audit_open, audit_close, audit_send, __audit_send, audit_get_reply.

use std::ffi::{c_int, c_uint, c_void};
use std::mem::MaybeUninit;

use super::types::{audit_reply, audit_reply_payload, reply_t};
use super::{fail, seq_or_errno, set_errno, zero_or_errno};
use crate::message::{self, AuditMsg, LOG_ERR};
use linux_audit::netlink::{self, Payload, RECEIVE_SIZE, ReplyError};

export! {
    #[on_panic(-1)]
    pub fn audit_open() -> c_int {
        match netlink::open() {
            Ok(fd) => fd,
            Err(e) => {
                if matches!(e, libc::EINVAL | libc::EPROTONOSUPPORT | libc::EAFNOSUPPORT) {
                    message::log(LOG_ERR, format_args!("Error - audit support not in kernel"));
                } else {
                    message::log(LOG_ERR, format_args!("Error opening audit netlink socket ({})", message::strerror(e)));
                }
                set_errno(e);
                -1
            }
        }
    }
}

export! {
    #[on_panic((), cancellation_point)]
    pub fn audit_close(fd: c_int) {
        // close(2)'s errno reaches the caller, as in the original (EBADF for a closed fd).
        if let Err(e) = netlink::close(fd) {
            set_errno(e);
        }
    }
}

/// The bytes a C caller passes as (data, size): None for NULL (zeros are sent).
///
/// # Safety
/// `data` is NULL or points to `size` readable bytes.
unsafe fn payload<'a>(data: *const c_void, size: c_uint) -> Option<&'a [u8]> {
    // A size the request will refuse is never read.
    if data.is_null() || size as usize > netlink::MAX_PAYLOAD {
        return None;
    }
    // SAFETY: per the contract above.
    Some(unsafe { std::slice::from_raw_parts(data.cast(), size as usize) })
}

export! {
    /// Sends a request and waits for its ACK. Returns the sequence number, or -errno.
    ///
    /// # Safety
    /// `data` is NULL or points to `size` readable bytes.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_send(fd: c_int, msg_type: c_int, data: *const c_void, size: c_uint) -> c_int {
        // SAFETY: per the contract, data is NULL or has `size` readable bytes.
        seq_or_errno(netlink::request(fd, msg_type as u16, unsafe { payload(data, size) }, size as usize, &AuditMsg))
    }
}

export! {
    /// As audit_send, but returns 0 on success and stores the sequence number in `*seq`.
    ///
    /// # Safety
    /// `data` is NULL or points to `size` readable bytes; `seq` is NULL or writable.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn __audit_send(
        fd: c_int,
        msg_type: c_int,
        data: *const c_void,
        size: c_uint,
        seq: *mut c_int,
    ) -> c_int {
        // SAFETY: per the contract, data is NULL or has `size` readable bytes.
        let result = netlink::request(fd, msg_type as u16, unsafe { payload(data, size) }, size as usize, &AuditMsg);
        let used = match result {
            Ok(sent) => Some(sent.seq),
            Err(failed) => failed.seq,
        };
        if let (Some(s), false) = (used, seq.is_null()) {
            // SAFETY: non-NULL and writable per the contract.
            unsafe { *seq = s as c_int };
        }
        zero_or_errno(result)
    }
}

export! {
    /// Receives one datagram into `rep`: its length, or -errno.
    ///
    /// # Safety
    /// `rep` is NULL or points to a writable struct audit_reply.
    #[on_panic(-libc::EFAULT, cancellation_point)]
    pub unsafe fn audit_get_reply(fd: c_int, rep: *mut audit_reply, block: reply_t, peek: c_int) -> c_int {
        if fd < 0 {
            return -libc::EBADF;
        }
        // GET_REPLY_NONBLOCKING (1) means MSG_DONTWAIT; other values pass through as flags.
        let flags = if block == 1 { libc::MSG_DONTWAIT } else { block as c_int } | peek;
        if rep.is_null() {
            return fail(netlink::discard_reply(fd, flags, &AuditMsg));
        }
        // SAFETY: rep points to a writable audit_reply, whose msg is RECEIVE_SIZE bytes.
        let rep = unsafe { &mut *rep };
        // SAFETY: msg is RECEIVE_SIZE bytes (struct audit_message), which are valid as MaybeUninit<u8>, borrowed from rep alone.
        let buf = unsafe { &mut *(&raw mut rep.msg).cast::<[MaybeUninit<u8>; RECEIVE_SIZE]>() };
        let (header, len) = match netlink::get_reply(fd, buf, flags, &AuditMsg) {
            Ok(r) => (r.header, Ok(r.len)),
            Err(ReplyError::Receive(e)) => return fail(e),
            Err(ReplyError::BadAddress) => return -libc::EPROTO,
            Err(ReplyError::Spoofed) => return -libc::EINVAL,
            Err(ReplyError::Malformed(e, header)) => (header, Err(e)),
        };
        rep.type_ = c_int::from(header.nlmsg_type);
        rep.len = header.nlmsg_len as c_int;
        rep.nlh = &raw mut rep.msg.nlh;
        let data = (&raw mut rep.msg.data).cast::<u8>();
        rep.payload = audit_reply_payload { message: std::ptr::null_mut() };
        match len {
            Err(e) => fail(e),
            Ok(len) => {
                rep.payload = match netlink::payload_kind(header.nlmsg_type) {
                    Payload::Error => audit_reply_payload { error: data.cast() },
                    Payload::Status => audit_reply_payload { status: data.cast() },
                    Payload::Features => audit_reply_payload { features: data.cast() },
                    Payload::RuleData => audit_reply_payload { ruledata: data.cast() },
                    Payload::Message => audit_reply_payload { message: data.cast() },
                    Payload::SignalInfo => audit_reply_payload { signal_info: data.cast() },
                    Payload::None => audit_reply_payload { message: std::ptr::null_mut() },
                };
                len as c_int
            }
        }
    }
}
