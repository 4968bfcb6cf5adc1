//! The audit subsystem's controls: status, settings, features, signal info, and what the process
//! itself may do (capabilities, loginuid, session).

use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::os::fd::RawFd;

use crate::Line;
use crate::bytes::{Bytes, Decimal, Lossy};
use crate::diag::{Diagnostics, Level};
use crate::netlink::{self, Failed, Sent};
use crate::num::{self, Base, Parsed};
use crate::sys;
use crate::wire::*;

/// The original demotes "no audit in this kernel" (ECONNREFUSED) to a debug message.
pub(crate) fn priority(errno: i32) -> Level {
    if errno == libc::ECONNREFUSED { Level::Debug } else { Level::Warning }
}

/// Sends a request, logging `"Error <what> (<strerror>)"` when it fails.
pub(crate) fn send_logged(
    fd: RawFd,
    msg_type: u16,
    payload: Option<&[u8]>,
    what: &str,
    diag: &dyn Diagnostics,
) -> Result<Sent, Failed> {
    let size = payload.map_or(0, <[u8]>::len);
    let result = netlink::request(fd, msg_type, payload, size, diag);
    if let Err(f) = result {
        diag.report(priority(f.errno), format_args!("Error {what} ({})", sys::strerror(f.errno)));
    }
    result
}

fn bytes_of<T: Copy>(value: &T) -> &[u8] {
    // SAFETY: T is a plain #[repr(C)] kernel struct of u32 fields, without padding.
    unsafe { std::slice::from_raw_parts((value as *const T).cast(), std::mem::size_of::<T>()) }
}

/// One setting of AUDIT_SET: the mask bit, and where its value goes in struct audit_status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Enabled,
    Failure,
    Pid,
    RateLimit,
    BacklogLimit,
    BacklogWaitTime,
    /// Resets the lost counter; the kernel's ACK carries the old count.
    ResetLost,
    ResetBacklogWaitTimeActual,
}

impl Setting {
    fn status(self, value: u32) -> audit_status {
        let mut s = audit_status::default();
        let (mask, field) = match self {
            Setting::Enabled => (AUDIT_STATUS_ENABLED, &mut s.enabled),
            Setting::Failure => (AUDIT_STATUS_FAILURE, &mut s.failure),
            Setting::Pid => (AUDIT_STATUS_PID, &mut s.pid),
            Setting::RateLimit => (AUDIT_STATUS_RATE_LIMIT, &mut s.rate_limit),
            Setting::BacklogLimit => (AUDIT_STATUS_BACKLOG_LIMIT, &mut s.backlog_limit),
            Setting::BacklogWaitTime => (AUDIT_STATUS_BACKLOG_WAIT_TIME, &mut s.backlog_wait_time),
            Setting::ResetLost => (AUDIT_STATUS_LOST, &mut s.lost),
            Setting::ResetBacklogWaitTimeActual => {
                (AUDIT_STATUS_BACKLOG_WAIT_TIME_ACTUAL, &mut s.backlog_wait_time_actual)
            }
        };
        *field = value;
        s.mask = mask;
        s
    }

    /// The words of the original's failure message.
    fn what(self) -> &'static str {
        match self {
            Setting::Enabled => "sending enable request",
            Setting::Failure => "sending failure mode request",
            Setting::Pid => "setting audit daemon pid",
            Setting::RateLimit => "sending rate limit request",
            Setting::BacklogLimit | Setting::BacklogWaitTime => "sending backlog limit request",
            Setting::ResetLost => "sending lost reset request",
            Setting::ResetBacklogWaitTimeActual => "sending backlog wait time actual reset request",
        }
    }
}

/// Sends AUDIT_SET for one setting.
pub fn set(fd: RawFd, setting: Setting, value: u32, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    send_logged(fd, AUDIT_SET, Some(bytes_of(&setting.status(value))), setting.what(), diag)
}

/// AUDIT_SET_FEATURE for feature number `feature`: turn it on or off, and lock it if asked.
pub fn set_feature(fd: RawFd, feature: u32, value: bool, lock: bool, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    // AUDIT_FEATURE_TO_MASK of <linux/audit.h>: the shift count is taken modulo 32.
    let bit = 1u32 << (feature & 31);
    let f =
        audit_features { vers: 0, mask: bit, features: if value { bit } else { 0 }, lock: if lock { bit } else { 0 } };
    send_logged(fd, AUDIT_SET_FEATURE, Some(bytes_of(&f)), "setting feature", diag)
}

pub fn request_features(fd: RawFd, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    send_logged(fd, AUDIT_GET_FEATURE, Some(bytes_of(&audit_features::default())), "getting feature", diag)
}

/// AUDIT_GET. Its failure is reported as "Error sending status request (...)", after
/// "`program`: " when one is given (4.1 and later name the program there).
pub fn request_status(fd: RawFd, program: Option<&[u8]>, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    let Some(program) = program else {
        return send_logged(fd, AUDIT_GET, None, "sending status request", diag);
    };
    let result = netlink::request(fd, AUDIT_GET, None, 0, diag);
    if let Err(f) = result {
        let why = sys::strerror(f.errno);
        diag.report(priority(f.errno), format_args!("{}: Error sending status request ({why})", Lossy(program)));
    }
    result
}

pub fn request_rules_list(fd: RawFd, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    let result = netlink::request(fd, AUDIT_LIST_RULES, None, 0, diag);
    match result {
        Err(f) if f.errno != libc::EINVAL => diag.report(
            priority(f.errno),
            format_args!("Error sending rule list data request ({})", sys::strerror(f.errno)),
        ),
        _ => {}
    }
    result
}

pub fn request_signal_info(fd: RawFd, diag: &dyn Diagnostics) -> Result<Sent, Failed> {
    let result = netlink::request(fd, AUDIT_SIGNAL_INFO, None, 0, diag);
    if let Err(f) = result {
        diag.report(Level::Warning, format_args!("Error sending signal_info request ({})", sys::strerror(f.errno)));
    }
    result
}

/// After a request, waits for the kernel's AUDIT_GET reply the way the original does: 40 rounds
/// of (up to 100 ms for data, one non-blocking read), stopping early at an error or done message.
/// Err carries the errno the last failed read left (None when an error or done message ended it).
pub(crate) fn await_status(fd: RawFd, diag: &dyn Diagnostics) -> Result<audit_status, Option<sys::Errno>> {
    let mut buf = [MaybeUninit::uninit(); netlink::RECEIVE_SIZE];
    let mut last_error = None;
    for _ in 0..40 {
        sys::wait_readable(fd, 100);
        let reply = match netlink::get_reply(fd, &mut buf, libc::MSG_DONTWAIT, diag) {
            Ok(reply) => reply,
            Err(e) => {
                last_error = e.errno().or(last_error);
                continue;
            }
        };
        match reply.header.nlmsg_type {
            NLMSG_DONE | NLMSG_ERROR => return Err(last_error),
            AUDIT_GET => {
                // SAFETY: get_reply initialised `reply.len` bytes.
                let data: &[u8] = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast(), reply.len) };
                return Ok(parse_status(data.get(NLMSG_HDRLEN..).unwrap_or_default()));
            }
            _ => continue,
        }
    }
    Err(last_error)
}

/// Reads a struct audit_status from a payload; fields the kernel did not send stay 0.
#[doc(hidden)] // public for the integration tests (tests/fuzz.rs), not API
pub fn parse_status(payload: &[u8]) -> audit_status {
    let mut bytes = [0u8; std::mem::size_of::<audit_status>()];
    let n = payload.len().min(bytes.len());
    bytes[..n].copy_from_slice(&payload[..n]);
    // SAFETY: audit_status is eleven u32 fields without padding: any bytes are a valid value.
    unsafe { std::mem::transmute::<[u8; 44], audit_status>(bytes) }
}

/// audit_is_enabled: the kernel's `enabled` (0, 1 or 2); 0 where auditing is absent or the caller
/// may not ask; -1 on any other failure. The errno is the one the original leaves, if it sets one.
/// `program` as for [`request_status`].
pub fn is_enabled(fd: RawFd, program: Option<&[u8]>, diag: &dyn Diagnostics) -> (i32, Option<sys::Errno>) {
    if fd < 0 {
        return (0, None);
    }
    let errno = match request_status(fd, program, diag) {
        Ok(_) => match await_status(fd, diag) {
            Ok(status) => return (status.enabled as i32, None),
            Err(errno) => return (-1, errno),
        },
        Err(f) => f.errno,
    };
    let value = match errno {
        libc::ECONNREFUSED => 0,
        libc::EPERM if !capable(CAP_AUDIT_CONTROL) => 0,
        _ => -1,
    };
    (value, Some(errno))
}

/// The kernel's feature bitmap, asked on a socket of its own, closed afterwards (unlike the
/// original's): the bitmap (0 if it cannot be had) and the errno of the step that failed.
/// `program` as for [`request_status`].
pub fn probe_features(program: Option<&[u8]>, diag: &dyn Diagnostics) -> (u32, Option<sys::Errno>) {
    let fd = match netlink::open() {
        Ok(fd) => fd,
        Err(e) => return (0, Some(e)),
    };
    let probed = match request_status(fd, program, diag) {
        Ok(_) => await_status(fd, diag).map_or_else(|e| (0, e), |s| (s.feature_bitmap, None)),
        Err(f) => (0, Some(f.errno)),
    };
    // The probe's own socket: nothing to report if closing it fails.
    let _ = netlink::close(fd);
    probed
}

/// audit_set_pid's optional wait: up to 100 ms for a reply (sent only on error), then one
/// non-blocking read whose datagram is dropped. Returns the errno that read left, if it failed.
pub fn drain_one_reply(fd: RawFd, diag: &dyn Diagnostics) -> Option<sys::Errno> {
    let mut buf = [MaybeUninit::uninit(); netlink::RECEIVE_SIZE];
    sys::wait_readable(fd, 100);
    netlink::get_reply(fd, &mut buf, libc::MSG_DONTWAIT, diag).err().and_then(netlink::ReplyError::errno)
}

// --- What this process may do -----------------------------------------------------------------

pub const CAP_AUDIT_WRITE: u32 = 29;
pub const CAP_AUDIT_CONTROL: u32 = 30;
pub const CAP_AUDIT_READ: u32 = 37;

/// Whether the calling thread has `cap` in its effective set.
pub fn capable(cap: u32) -> bool {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy, Default)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;
    let mut header = Header { version: LINUX_CAPABILITY_VERSION_3, pid: 0 };
    let mut data = [Data::default(); 2];
    let saved = sys::errno();
    // SAFETY: capget fills two Data entries for version 3.
    let rc = unsafe { libc::syscall(libc::SYS_capget, &mut header, data.as_mut_ptr()) };
    sys::set_errno(saved);
    rc == 0 && data.get((cap / 32) as usize).is_some_and(|d| d.effective & (1 << (cap % 32)) != 0)
}

/// Reads a small /proc/self number file as the original does: at most 15 bytes, not a symlink.
/// The bytes read, and how many.
fn read_proc_number(path: &CStr) -> Result<([u8; 16], usize), i32> {
    let file = sys::File::open(path, libc::O_RDONLY | libc::O_NOFOLLOW)?;
    let mut buf = [0u8; 16];
    let len = file.read(&mut buf)?;
    if len >= buf.len() {
        return Err(0);
    }
    Ok((buf, len))
}

/// strtol/strtoul's reading of a decimal number; None when it overflows (ERANGE).
fn parse_c_decimal(text: &[u8], unsigned: bool) -> Option<i64> {
    let parsed = if unsigned {
        let Parsed { value, overflow } = num::strtoul(text, Base::Decimal);
        Parsed { value: value as i64, overflow }
    } else {
        num::strtol(text, Base::Decimal)
    };
    (!parsed.overflow).then_some(parsed.value)
}

/// audit_getloginuid: the loginuid, or Err(errno to leave) where the original returns -1.
pub fn loginuid() -> Result<u32, i32> {
    let (text, len) = read_proc_number(c"/proc/self/loginuid")?;
    parse_c_decimal(text.get(..len).unwrap_or_default(), false).map(|v| v as u32).ok_or(libc::ERANGE)
}

/// audit_get_session: the session id, or Err(errno to leave) where the original returns -2.
pub fn session() -> Result<u32, i32> {
    let (text, len) = read_proc_number(c"/proc/self/sessionid")?;
    parse_c_decimal(text.get(..len).unwrap_or_default(), true).map(|v| v as u32).ok_or(libc::ERANGE)
}

/// audit_setloginuid: writes the uid in decimal to /proc/self/loginuid. Err carries the errno.
pub fn set_loginuid(uid: u32, diag: &dyn Diagnostics) -> Result<(), i32> {
    let file = sys::File::open(c"/proc/self/loginuid", libc::O_WRONLY | libc::O_TRUNC | libc::O_NOFOLLOW)
        .inspect_err(|_| diag.report(Level::Error, format_args!("Error opening /proc/self/loginuid")))?;
    // Retries EINTR and short writes, as the original's loop does.
    file.write_all(Decimal::new(uid.into()).as_bytes())
        .inspect_err(|_| diag.report(Level::Error, format_args!("Error writing loginuid")))
}

/// audit_format_signal_info's text, from the signal_info reply of a pid, its auid and context,
/// handed to `out` piece by piece. `ctx` is None when the reply carried no context (the
/// original tests rep->len == 24).
pub fn format_signal_info(op: &[u8], auid: u32, pid: i32, ctx: Option<&[u8]>, res: &[u8], out: &mut dyn FnMut(&[u8])) {
    let proc_pid = Decimal::new((pid as u32).into());
    let mut path = [0u8; 32];
    let uid = sys::c_path(&[b"/proc/", proc_pid.as_bytes()], &mut path)
        .and_then(|path| sys::stat(path, true).ok())
        .map_or(u32::MAX, |st| st.st_uid);
    let mut ses = [0u8; 16];
    let ses_len = sys::c_path(&[b"/proc/", proc_pid.as_bytes(), b"/sessionid"], &mut path)
        .and_then(|path| sys::File::open(path, libc::O_RDONLY).ok())
        .and_then(|file| file.read(&mut ses).ok())
        .filter(|&n| n < ses.len());
    let ses: &[u8] = match ses_len {
        Some(n) => ses.get(..n).unwrap_or_default(),
        None => b"4294967295",
    };
    out(b"op=");
    out(op);
    out(b" auid=");
    out(Decimal::new(auid.into()).as_bytes());
    out(b" uid=");
    out(Decimal::new(uid.into()).as_bytes());
    out(b" ses=");
    out(ses);
    out(b" pid=");
    if pid < 0 {
        out(b"-");
    }
    out(Decimal::new(pid.unsigned_abs().into()).as_bytes());
    if let Some(ctx) = ctx {
        out(b" subj=");
        out(ctx);
    }
    out(b" res=");
    out(res);
}

// --- /etc/libaudit.conf -------------------------------------------------------------------------

pub const CONFIG_FILE: &str = "/etc/libaudit.conf";

/// auditfail_t of libaudit.h.
pub(crate) const FAIL_IGNORE: u32 = 0;
pub(crate) const FAIL_LOG: u32 = 1;
pub const FAIL_TERMINATE: u32 = 2;

/// Reads the failure_action tunable. Returns (loaded without error, the action): the action is
/// FAIL_IGNORE unless a valid line set it, even when a later line fails. The file must be
/// root's, a regular file, not world writable, and (4.0 and later) not group writable unless
/// its group is root's.
pub fn failure_action(path: &str, line: Line, diag: &dyn Diagnostics) -> (bool, u32) {
    let mut action = FAIL_IGNORE;
    let ok = load_config(path, line, &mut action, diag);
    (ok, action)
}

fn load_config(path: &str, line: Line, action: &mut u32, diag: &dyn Diagnostics) -> bool {
    let mut c_path = [0u8; sys::PATH_MAX + 1];
    let file = match sys::c_path(&[path.as_bytes()], &mut c_path)
        .ok_or(libc::ENAMETOOLONG)
        .and_then(|c_path| sys::File::open(c_path, libc::O_RDONLY | libc::O_NOFOLLOW))
    {
        Ok(f) => f,
        Err(libc::ENOENT) => {
            diag.report(Level::Warning, format_args!("Config file {path} doesn't exist, skipping"));
            return true;
        }
        Err(errno) => {
            diag.report(Level::Error, format_args!("Error opening {path} ({})", sys::strerror(errno)));
            return false;
        }
    };
    diag.report(Level::Debug, format_args!("Config file {path} opened for parsing"));
    let meta = match file.stat() {
        Ok(m) => m,
        Err(errno) => {
            diag.report(Level::Error, format_args!("Error fstat'ing {path} ({})", sys::strerror(errno)));
            return false;
        }
    };
    if meta.st_uid != 0 {
        diag.report(Level::Error, format_args!("Error - {path} isn't owned by root"));
        return false;
    }
    if line >= Line::V4_0_2 && meta.st_gid != 0 && meta.st_mode & libc::S_IWGRP != 0 {
        diag.report(Level::Error, format_args!("Error - {path} is group writable"));
        return false;
    }
    if meta.st_mode & libc::S_IWOTH != 0 {
        diag.report(Level::Error, format_args!("Error - {path} is world writable"));
        return false;
    }
    if meta.st_mode & libc::S_IFMT != libc::S_IFREG {
        diag.report(Level::Error, format_args!("Error - {path} is not a regular file"));
        return false;
    }
    // fgets would stop at a read error: what was read so far is all there is (also when memory
    // for more is short).
    let mut content = Bytes::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n @ 1..) = file.read(&mut chunk) {
        if content.push(chunk.get(..n).unwrap_or_default()).is_err() {
            break;
        }
    }
    let content = content.as_slice();
    let mut lineno = 1;
    for line in fgets_lines(content) {
        let (split, name, value) = split_name_value(line);
        match split {
            Split::Fine => {}
            Split::WrongCount => {
                diag.report(Level::Error, format_args!("Wrong number of arguments for line {lineno} in {path}"))
            }
            Split::NoEquals => {
                diag.report(Level::Error, format_args!("Missing equal sign for line {lineno} in {path}"))
            }
        }
        let Some(name) = name else {
            lineno += 1;
            continue;
        };
        let Some(value) = value else { return false };
        if !name.eq_ignore_ascii_case(b"failure_action") {
            diag.report(Level::Error, format_args!("Unknown keyword \"{}\" in line {lineno} of {path}", Lossy(name)));
            return false;
        }
        diag.report(Level::Debug, format_args!("audit_failure_parser called with: {}", Lossy(value)));
        let known = [(&b"ignore"[..], FAIL_IGNORE), (b"log", FAIL_LOG), (b"terminate", FAIL_TERMINATE)];
        match known.iter().find(|(n, _)| n.eq_ignore_ascii_case(value)) {
            Some(&(_, a)) => *action = a,
            None => {
                diag.report(Level::Error, format_args!("Option {} not found - line {lineno}", Lossy(value)));
                return false;
            }
        }
        lineno += 1;
    }
    true
}

/// The pieces fgets(buf, 128) hands out: up to 127 bytes, or through the next newline, with
/// the newline removed. A NUL byte ends what C code sees of a piece.
fn fgets_lines(content: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = content;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let take = rest.iter().take(127).position(|&b| b == b'\n').map_or(rest.len().min(127), |i| i + 1);
        let (piece, tail) = rest.split_at_checked(take)?;
        rest = tail;
        let piece = piece.strip_suffix(b"\n").unwrap_or(piece);
        Some(piece.split(|&b| b == 0).next().unwrap_or_default())
    })
}

enum Split {
    Fine,
    WrongCount,
    NoEquals,
}

/// "name = value", tokens separated by spaces only (tabs belong to the tokens, as in the original).
fn split_name_value(line: &[u8]) -> (Split, Option<&[u8]>, Option<&[u8]>) {
    let mut tokens = line.split(|&b| b == b' ').filter(|t| !t.is_empty());
    let Some(name) = tokens.next() else {
        return (Split::Fine, None, None);
    };
    if name.starts_with(b"#") {
        return (Split::Fine, None, None);
    }
    match tokens.next() {
        None => return (Split::WrongCount, Some(name), None),
        Some(t) if t != b"=" => return (Split::NoEquals, Some(name), None),
        Some(_) => {}
    }
    let Some(value) = tokens.next() else {
        return (Split::WrongCount, Some(name), None);
    };
    let split = if tokens.next().is_some() { Split::WrongCount } else { Split::Fine };
    (split, Some(name), Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn status_payload_sets_one_mask_bit() {
        let s = Setting::RateLimit.status(7);
        assert_eq!((s.mask, s.rate_limit, s.enabled), (AUDIT_STATUS_RATE_LIMIT, 7, 0));
        assert_eq!(bytes_of(&s).len(), 44);
    }

    #[test]
    fn decimal_parsing_follows_strtol() {
        assert_eq!(parse_c_decimal(b"4294967295", false), Some(4294967295));
        assert_eq!(parse_c_decimal(b"  12abc", false), Some(12));
        assert_eq!(parse_c_decimal(b"", false), Some(0));
        assert_eq!(parse_c_decimal(b"-1", true).map(|v| v as u32), Some(u32::MAX));
        assert_eq!(parse_c_decimal(b"99999999999999999999", false), None);
    }

    #[test]
    fn config_lines_split_like_the_original() {
        assert!(matches!(
            split_name_value(b"failure_action = log"),
            (Split::Fine, Some(b"failure_action"), Some(b"log"))
        ));
        assert!(matches!(split_name_value(b"  # comment"), (Split::Fine, None, None)));
        assert!(matches!(split_name_value(b"a b"), (Split::NoEquals, Some(_), None)));
        assert!(matches!(split_name_value(b"a = b c"), (Split::WrongCount, Some(_), Some(b"b"))));
        let long = [b'x'; 300];
        assert_eq!(fgets_lines(&long).count(), 3);
    }

    fn failure_action_quiet(path: &str) -> (bool, u32) {
        failure_action(path, Line::NEWEST, &crate::diag::Silent)
    }

    #[test]
    fn config_file_outcomes() {
        let dir = std::env::temp_dir().join(format!("libaudit-conf-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            fs::write(&p, text).unwrap();
            p.to_string_lossy().into_owned()
        };
        assert_eq!(failure_action_quiet(&write("ok", "# c\n\nfailure_action = terminate\n")), (true, FAIL_TERMINATE));
        assert_eq!(failure_action_quiet(&write("bad", "failure_action = log\nfoo = bar\n")), (false, FAIL_LOG));
        assert_eq!(failure_action_quiet(&write("val", "failure_action = loud\n")), (false, FAIL_IGNORE));
        assert_eq!(failure_action_quiet(dir.join("missing").to_str().unwrap()), (true, FAIL_IGNORE));
        // Group writable: refused from 4.0 on when the group is not root's.
        use std::os::unix::fs::PermissionsExt;
        let group = write("group", "failure_action = log\n");
        fs::set_permissions(&group, fs::Permissions::from_mode(0o664)).unwrap();
        let root_group = fs::metadata(&group).unwrap().gid() == 0;
        assert_eq!(failure_action(&group, Line::V3_1_2, &crate::diag::Silent), (true, FAIL_LOG));
        let refused = (false, FAIL_IGNORE);
        let expected = if root_group { (true, FAIL_LOG) } else { refused };
        assert_eq!(failure_action(&group, Line::V4_0_2, &crate::diag::Silent), expected);
        if std::os::unix::fs::chown(&group, None, Some(65534)).is_ok() {
            assert_eq!(failure_action(&group, Line::V4_0_2, &crate::diag::Silent), refused);
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
