//! User-space audit records: the messages programs (login, sudo, PAM, shadow, SELinux object
//! managers) send to the kernel, in the original's formats, and how their sending fails.
//!
//! Every function returns what the C function returns and the errno it leaves: the original
//! clears errno before sending, and sets it to the return value when that is < 1 and nothing
//! else set it.

pub mod encode;
pub(crate) mod facts;
mod record;

use std::borrow::Cow;
use std::os::fd::RawFd;

use crate::Line;
use crate::bytes::{Bytes, Decimal};
use crate::control::{self, CAP_AUDIT_WRITE};
use crate::diag::Diagnostics;
use crate::netlink::{Errno, Failed, Sent};
use crate::tables::Tables;
use crate::wire::{AUDIT_FIRST_USER_MSG, AUDIT_LAST_USER_MSG, AUDIT_USER};
use encode::{needs_encoding, quote_or_encode};
use record::Record;

pub use facts::ProgramName;

/// The result of a logging call: the return value and the errno the caller sees (None: errno
/// untouched, as when nothing was attempted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logged {
    pub rc: i32,
    pub errno: Option<Errno>,
}

const NOT_SENT: Logged = Logged { rc: 0, errno: None };
/// Memory for the record's values could not be had: nothing is sent, as when sending fails
/// with ENOMEM.
const NO_MEMORY: Logged = Logged { rc: -libc::ENOMEM, errno: Some(libc::ENOMEM) };

/// How a failure for lack of privilege is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// EPERM is an error.
    Report,
    /// EPERM without CAP_AUDIT_WRITE returns 0: an ordinary user's program acts as if auditing
    /// were off.
    Hide,
}

/// Where the user is: the remote host and address and the terminal, as the caller gave them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin<'a> {
    pub host: Option<&'a [u8]>,
    pub addr: Option<&'a [u8]>,
    pub tty: Option<&'a [u8]>,
}

/// The common tail of a record, resolved: borrowed from the caller or from what the process
/// keeps (exe=, its host name), owned only when looked up for this record.
struct Place<'a> {
    exe: Cow<'a, [u8]>,
    host: Option<&'a [u8]>,
    addr: Cow<'a, [u8]>,
    tty: Option<Cow<'a, [u8]>>,
}

impl<'a> Origin<'a> {
    /// Resolves, in the original's order: addr= (the caller's, else by resolving the host
    /// name), exe=, then the terminal as given (an empty one means none, unless
    /// `detect_empty`), or the process's own when none was given. None when memory is short.
    fn resolve(
        &self,
        exe: impl FnOnce() -> Option<Cow<'a, [u8]>>,
        detect_empty: bool,
        diag: &dyn Diagnostics,
    ) -> Option<Place<'a>> {
        // Through a slice, None as empty: with the C face inlined (LTO), filtering the Option
        // itself compiles to a select on the length of a None, which is never written
        // (harmless, but valgrind reports the branch on it as one on uninitialised memory).
        let host: &[u8] = self.host.unwrap_or_default();
        let host = (!host.is_empty()).then_some(host);
        let addr = facts::address(self.addr, host, diag);
        let exe = exe()?;
        let tty = match self.tty {
            None => facts::terminal(diag).map(Cow::Owned),
            Some([]) => {
                if detect_empty {
                    facts::terminal(diag).map(Cow::Owned)
                } else {
                    None
                }
            }
            Some(t) => Some(Cow::Borrowed(t)),
        };
        Some(Place { exe, host, addr, tty })
    }
}

fn process_exe<'a>(diag: &dyn Diagnostics) -> Option<Cow<'a, [u8]>> {
    facts::exe(diag).map(Cow::Borrowed)
}

impl Place<'_> {
    /// Records from a local terminal name this machine when the caller named no host.
    fn local_host(&mut self, line: Line) {
        if self.host.is_none() {
            self.host = self.tty.as_deref().and_then(|tty| facts::local_host(tty, line));
        }
    }

    fn host(&self) -> &[u8] {
        self.host.unwrap_or(b"?")
    }

    fn tty(&self) -> &[u8] {
        self.tty.as_deref().unwrap_or(b"?")
    }

    /// The fields most records end with: exe=, hostname=, addr=, terminal=, res=.
    fn tail(&self, success: bool) -> [(&'static str, &[u8]); 5] {
        [
            (" exe=", &self.exe),
            (" hostname=", self.host()),
            (" addr=", &self.addr),
            (" terminal=", self.tty()),
            (" res=", res(success)),
        ]
    }
}

fn res(success: bool) -> &'static [u8] {
    if success { b"success" } else { b"failed" }
}

/// An account name as acct= shows it: its first 32 bytes (UT_NAMESIZE), hex or quoted.
fn account(name: &[u8]) -> Option<Vec<u8>> {
    quote_or_encode(name.get(..32).unwrap_or(name))
}

/// The account field: acct= by `name` when it is to be used, else id=.
fn account_field<'a>(name: Option<&[u8]>, id: &'a Decimal, kept: &'a mut Vec<u8>) -> Option<(&'static str, &'a [u8])> {
    match name {
        Some(name) => {
            *kept = account(name)?;
            Some((" acct=", kept))
        }
        None => Some((" id=", id.as_bytes())),
    }
}

/// audit_log_user_message, and with `comm` audit_log_user_comm_message: comm= after the text,
/// the name given or, Some(None), the process's own. `line`: from 4.1 on a "/dev/pts..."
/// terminal names this host too; 4.2 cuts comm to the kernel's 15 bytes.
#[allow(clippy::too_many_arguments)] // the C functions' parameters, the line, how to send
pub fn user_message(
    fd: RawFd,
    sender: Sender,
    msg_type: i32,
    message: &[u8],
    comm: Option<Option<&[u8]>>,
    origin: Origin,
    success: bool,
    line: Line,
    diag: &dyn Diagnostics,
) -> Logged {
    if fd < 0 {
        return NOT_SENT;
    }
    let Some(mut place) = origin.resolve(|| process_exe(diag), false, diag) else { return NO_MEMORY };
    let comm = match comm.map(|comm| facts::command_name(comm, line, diag)) {
        Some(None) => return NO_MEMORY,
        comm => comm.flatten(),
    };
    place.local_host(line);
    let [exe, host, addr, tty, res] = place.tail(success);
    let fields = [(" comm=", comm.as_deref().unwrap_or_default()), exe, host, addr, tty, res];
    let mut record = Record::new();
    record.fields(Some(message), if comm.is_some() { &fields } else { &fields[1..] });
    finish(send_user_message(fd, sender, msg_type, Denied::Hide, &mut record, diag))
}

/// audit_log_acct_message. The account is named by `name` when `id` is (uint32_t)-1, else by id.
/// exe= is `program`, or the name `names` kept from an earlier record (`line`: 4.2 keeps one
/// byte more of a long one).
#[allow(clippy::too_many_arguments)] // the C function's parameters, and the line
pub fn acct_message(
    fd: RawFd,
    sender: Sender,
    msg_type: i32,
    program: Option<&[u8]>,
    names: &ProgramName,
    op: &[u8],
    name: Option<&[u8]>,
    id: u32,
    origin: Origin,
    success: bool,
    line: Line,
    diag: &dyn Diagnostics,
) -> Logged {
    if fd < 0 {
        return NOT_SENT;
    }
    let Some(mut place) = origin.resolve(|| names.exe(program, line, diag).map(Cow::Owned), false, diag) else {
        return NO_MEMORY;
    };
    place.local_host(line);
    let by_name = name.filter(|_| id == u32::MAX);
    let (id, mut kept) = (Decimal::new(id.into()), Vec::new());
    let Some(account) = account_field(by_name, &id, &mut kept) else { return NO_MEMORY };
    let [exe, host, addr, tty, res] = place.tail(success);
    let mut record = Record::new();
    record.fields(None, &[("op=", op), account, exe, host, addr, tty, res]);
    finish(send_user_message(fd, sender, msg_type, Denied::Report, &mut record, diag))
}

/// What became of a user AVC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Avc {
    /// Sent, or failed, as the other records.
    Logged(Logged),
    /// Refused for want of CAP_AUDIT_WRITE: the C library sends `line` to syslog instead and
    /// returns 0 with `errno`.
    Denied { errno: Option<Errno>, line: Vec<u8> },
}

/// audit_log_user_avc_message, without the C library's fallback: where the process may not
/// log, the line the C library sends to syslog (named by its message type) is returned.
#[allow(clippy::too_many_arguments)] // the C function's parameters, and how to send
pub fn user_avc_message(
    tables: &Tables,
    fd: RawFd,
    sender: Sender,
    msg_type: i32,
    message: &[u8],
    origin: Origin,
    uid: u32,
    diag: &dyn Diagnostics,
) -> Avc {
    if fd < 0 {
        return Avc::Logged(NOT_SENT);
    }
    let Some(place) = origin.resolve(|| process_exe(diag), false, diag) else { return Avc::Logged(NO_MEMORY) };
    let sauid = Decimal::signed((uid as i32).into());
    let mut record = Record::new();
    record.fields(
        Some(message),
        &[
            (" exe=", &place.exe),
            (" sauid=", sauid.as_bytes()),
            (" hostname=", place.host()),
            (" addr=", &place.addr),
            (" terminal=", place.tty()),
        ],
    );
    let sent = send_user_message(fd, sender, msg_type, Denied::Report, &mut record, diag);
    if sent.rc == -libc::EPERM && !control::capable(CAP_AUDIT_WRITE) {
        let name = tables.msg_type_to_name(msg_type).map_or(&b"(null)"[..], |n| n.to_bytes());
        let mut line = Bytes::new();
        for piece in [&b"Can't send to audit system: "[..], name, b" ", record.text()] {
            if line.push(piece).is_err() {
                return Avc::Logged(NO_MEMORY);
            }
        }
        return Avc::Denied { errno: sent.errno, line: line.into_vec() };
    }
    Avc::Logged(finish(sent))
}

/// SELinux user and role changes: (seuser, role, range).
#[derive(Debug, Clone, Copy, Default)]
pub struct Roles<'a> {
    pub seuser: Option<&'a [u8]>,
    pub role: Option<&'a [u8]>,
    pub range: Option<&'a [u8]>,
}

/// audit_log_semanage_message. Unlike the others, it takes `program` as exe= unquoted, looks
/// for the process's terminal when given an empty one, and names no host from the terminal.
#[allow(clippy::too_many_arguments)] // the C function's parameters
pub fn semanage_message(
    fd: RawFd,
    sender: Sender,
    msg_type: i32,
    program: Option<&[u8]>,
    op: &[u8],
    name: Option<&[u8]>,
    id: u32,
    new: Roles,
    old: Roles,
    origin: Origin,
    success: bool,
    diag: &dyn Diagnostics,
) -> Logged {
    if fd < 0 {
        return NOT_SENT;
    }
    let program = program.filter(|p| !p.is_empty());
    let Some(place) =
        origin.resolve(|| program.map_or_else(|| process_exe(diag), |p| Some(Cow::Borrowed(p))), true, diag)
    else {
        return NO_MEMORY;
    };
    let (id, mut kept) = (Decimal::new(id.into()), Vec::new());
    // Through a slice, None as empty (see Origin::resolve: valgrind and a None's length).
    let name: &[u8] = name.unwrap_or_default();
    let Some(account) = account_field((!name.is_empty()).then_some(name), &id, &mut kept) else { return NO_MEMORY };
    fn or_unknown(s: Option<&[u8]>) -> &[u8] {
        s.filter(|s| !s.is_empty()).unwrap_or(b"?")
    }
    let [exe, host, addr, tty, res] = place.tail(success);
    let mut record = Record::new();
    record.fields(
        None,
        &[
            ("op=", op),
            account,
            (" old-seuser=", or_unknown(old.seuser)),
            (" old-role=", or_unknown(old.role)),
            (" old-range=", or_unknown(old.range)),
            (" new-seuser=", or_unknown(new.seuser)),
            (" new-role=", or_unknown(new.role)),
            (" new-range=", or_unknown(new.range)),
            exe,
            host,
            addr,
            tty,
            res,
        ],
    );
    finish(send_user_message(fd, sender, msg_type, Denied::Report, &mut record, diag))
}

/// The longest command line audit_log_user_command keeps (PATH_MAX - 1 bytes are checked for
/// encoding, PATH_MAX kept when quoted, as in the original).
const COMMAND_MAX: usize = 4096;

/// audit_log_user_command. None for `command` (the original crashes on NULL) is refused with
/// -1 and EINVAL.
pub fn user_command(
    fd: RawFd,
    sender: Sender,
    msg_type: i32,
    command: Option<&[u8]>,
    tty: Option<&[u8]>,
    success: bool,
    diag: &dyn Diagnostics,
) -> Logged {
    if fd < 0 {
        return NOT_SENT;
    }
    let tty = match tty {
        None => facts::terminal(diag).map(Cow::Owned),
        Some([]) => None,
        Some(t) => Some(Cow::Borrowed(t)),
    };
    let Some(exe) = facts::exe(diag) else { return NO_MEMORY };
    let Some(command) = command else {
        return Logged { rc: -1, errno: Some(libc::EINVAL) };
    };
    let (Some(cwd), Some(cmd)) = (facts::working_directory(), command_line(command)) else { return NO_MEMORY };
    let mut record = Record::new();
    record.fields(
        None,
        &[
            ("cwd=", &cwd),
            (" cmd=", &cmd),
            (" exe=", exe),
            (" terminal=", tty.as_deref().unwrap_or(b"?")),
            (" res=", res(success)),
        ],
    );
    finish(send_user_message(fd, sender, msg_type, Denied::Hide, &mut record, diag))
}

/// cmd=: the command without leading spaces and trailing spaces and newlines, at most
/// COMMAND_MAX bytes, hex or quoted.
fn command_line(command: &[u8]) -> Option<Vec<u8>> {
    let start = command.iter().position(|&b| b != b' ').unwrap_or(command.len());
    let mut cmd = command.get(start..).unwrap_or_default();
    while let [rest @ .., b' ' | b'\n'] = cmd {
        cmd = rest;
    }
    // The original keeps PATH_MAX bytes but decides on the encoding by the first PATH_MAX - 1.
    if let (Some(checked), Some(kept)) = (cmd.get(..COMMAND_MAX - 1), cmd.get(..COMMAND_MAX)) {
        return if needs_encoding(checked) { encode::encode(checked) } else { encode::quoted(kept) };
    }
    quote_or_encode(cmd)
}

/// The wrappers' last step: a failure that left errno 0 reports the return value as errno.
fn finish(sent: Logged) -> Logged {
    match sent.errno {
        Some(0) | None if sent.rc < 1 => Logged { rc: sent.rc, errno: Some(sent.rc) },
        _ => sent,
    }
}

/// audit_send's contract, and the errno the call left.
pub type SendFn = dyn Fn(RawFd, i32, &[u8]) -> (i32, Errno);

/// How the logging functions send a record (the original's internal audit_send_user_message
/// calls audit_send).
#[derive(Clone, Copy)]
pub enum Sender<'a> {
    /// Straight to the socket, the record framed in place.
    Netlink,
    /// Through a function of audit_send's contract: the socket, the type, the payload (the
    /// record's text and its NUL); the request's sequence number, or -errno, and errno as the call
    /// left it (starting from 0), which is the caller's errno then, as in the original. The C
    /// library passes its exported audit_send as the dynamic linker resolves it, so that a
    /// program defining its own audit_send (upstream's logging test does) receives the records,
    /// as with the original.
    Function(&'a SendFn),
}

/// audit_send_user_message (internal to the library): sends the record with its NUL; a retry
/// sends the same datagram with another type.
fn send_user_message(
    fd: RawFd,
    sender: Sender,
    msg_type: i32,
    denied: Denied,
    record: &mut Record,
    diag: &dyn Diagnostics,
) -> Logged {
    let can_write = || control::capable(CAP_AUDIT_WRITE);
    deliver(msg_type, denied, can_write, |t| match sender {
        Sender::Netlink => record.send(fd, t as u16, diag).into(),
        Sender::Function(send) => {
            let (rc, errno) = send(fd, t, record.payload());
            Reply { rc, errno: Some(errno) }
        }
    })
}

/// What one audit_send gave: its return value (the sequence number, or -errno) and the errno it
/// left (None: untouched).
struct Reply {
    rc: i32,
    errno: Option<Errno>,
}

impl From<Result<Sent, Failed>> for Reply {
    fn from(result: Result<Sent, Failed>) -> Reply {
        match result {
            Ok(Sent { seq, ack: 0 }) => Reply { rc: seq as i32, errno: None },
            Ok(Sent { ack, .. }) => Reply { rc: ack, errno: Some(ack.wrapping_neg()) },
            Err(f) => Reply { rc: -f.errno, errno: Some(f.errno) },
        }
    }
}

/// The sending rules, over any transport: "no audit in the kernel" (ECONNREFUSED) is success;
/// EPERM without CAP_AUDIT_WRITE too when `denied` is Hide; EINVAL for a type in 1100-1199 is
/// retried once as AUDIT_USER, for kernels that do not know the type. errno starts at 0 and
/// keeps the last failure's value.
fn deliver(
    msg_type: i32,
    denied: Denied,
    can_write: impl Fn() -> bool,
    mut request: impl FnMut(i32) -> Reply,
) -> Logged {
    let mut errno = 0;
    let mut msg_type = msg_type;
    let mut retried = false;
    loop {
        let Reply { rc, errno: left } = request(msg_type);
        if let Some(e) = left {
            errno = e;
        }
        let hidden = rc == -libc::EPERM && !can_write() && denied == Denied::Hide;
        if rc == -libc::ECONNREFUSED || hidden {
            return Logged { rc: 0, errno: Some(errno) };
        }
        let user_range = (i32::from(AUDIT_FIRST_USER_MSG)..=i32::from(AUDIT_LAST_USER_MSG)).contains(&msg_type);
        if rc == -libc::EINVAL && user_range && !retried {
            msg_type = i32::from(AUDIT_USER);
            retried = true;
            continue;
        }
        return Logged { rc, errno: Some(errno) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(errno: Errno) -> Reply {
        Err(Failed { errno, seq: Some(1) }).into()
    }

    #[test]
    fn refused_connection_is_success() {
        let l = deliver(1100, Denied::Report, || true, |_| failed(libc::ECONNREFUSED));
        assert_eq!(l, Logged { rc: 0, errno: Some(libc::ECONNREFUSED) });
    }

    #[test]
    fn eperm_hidden_only_without_capability_and_when_asked() {
        assert_eq!(deliver(1100, Denied::Hide, || false, |_| failed(libc::EPERM)).rc, 0);
        assert_eq!(deliver(1100, Denied::Hide, || true, |_| failed(libc::EPERM)).rc, -libc::EPERM);
        assert_eq!(deliver(1100, Denied::Report, || false, |_| failed(libc::EPERM)).rc, -libc::EPERM);
    }

    #[test]
    fn einval_in_user_range_is_retried_once_as_audit_user() {
        let mut types = Vec::new();
        let l = deliver(
            1112,
            Denied::Hide,
            || true,
            |t| {
                types.push(t);
                if t == 1005 { Ok(Sent { seq: 9, ack: 0 }).into() } else { failed(libc::EINVAL) }
            },
        );
        // The first failure's errno stays, as in the original.
        assert_eq!((types, l), (vec![1112, 1005], Logged { rc: 9, errno: Some(libc::EINVAL) }));

        let mut tries = 0;
        let l = deliver(
            1100,
            Denied::Hide,
            || true,
            |_| {
                tries += 1;
                failed(libc::EINVAL)
            },
        );
        assert_eq!((tries, l.rc), (2, -libc::EINVAL));

        let mut tries = 0;
        deliver(
            1300,
            Denied::Hide,
            || true,
            |_| {
                tries += 1;
                failed(libc::EINVAL)
            },
        );
        assert_eq!(tries, 1);
    }

    #[test]
    fn finish_reports_a_silent_failure_as_errno() {
        assert_eq!(finish(Logged { rc: 0, errno: Some(0) }).errno, Some(0));
        assert_eq!(finish(Logged { rc: -5, errno: Some(0) }).errno, Some(-5));
        assert_eq!(finish(Logged { rc: 3, errno: Some(0) }).errno, Some(0));
        assert_eq!(finish(Logged { rc: 0, errno: Some(libc::EPERM) }).errno, Some(libc::EPERM));
    }

    #[test]
    fn command_lines() {
        assert_eq!(command_line(b"  ls -l \n \n").unwrap(), b"6C73202D6C");
        assert_eq!(command_line(b"  ls\n").unwrap(), b"\"ls\"");
        assert_eq!(command_line(b"   ").unwrap(), b"\"\"");
        let mut long = vec![b'a'; 5000];
        assert_eq!(command_line(&long).unwrap().len(), COMMAND_MAX + 2);
        long[COMMAND_MAX - 1] = b'"';
        // The quote is past the bytes checked: kept unencoded, as the original does.
        assert_eq!(command_line(&long).unwrap()[COMMAND_MAX], b'"');
        long[10] = b' ';
        assert_eq!(command_line(&long).unwrap().len(), 2 * (COMMAND_MAX - 1));
    }

    #[test]
    fn account_names_keep_32_bytes() {
        assert_eq!(account(&[b'u'; 40]).unwrap().len(), 34);
    }
}
