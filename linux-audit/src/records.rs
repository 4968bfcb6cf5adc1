//! The records trusted programs write (login, sudo, PAM, shadow's tools): built here, they
//! carry the same fields in the same form as libaudit's audit_log_user_message and
//! audit_log_user_command write them.

use crate::Line;
use crate::error::Error;
use crate::logging::{self, Logged, Origin, ProgramName, Roles, Sender};
use crate::socket::Socket;
use crate::wire::AUDIT_USER_CMD;

/// The terminal= of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Terminal<'a> {
    /// The process's own: the first of its standard descriptors that is a terminal.
    #[default]
    Own,
    /// None ("?").
    None,
    /// This name, such as "pts/0" or "ssh".
    Named(&'a [u8]),
}

impl<'a> Terminal<'a> {
    /// How the record functions take it: None to look for the process's own, empty for none.
    fn as_arg(self) -> Option<&'a [u8]> {
        match self {
            Terminal::Own => None,
            Terminal::None => Some(b""),
            Terminal::Named(name) => Some(name),
        }
    }
}

/// What the kernel made of a record: its request's sequence number, or why it refused it.
fn delivered(logged: Logged) -> Result<u32, Error> {
    match logged.rc {
        seq if seq > 0 => Ok(seq as u32),
        rc => Err(Error::Os(logged.errno.filter(|&e| e > 0).unwrap_or(if rc < 0 { -rc } else { libc::EIO }))),
    }
}

/// Where the user is and how the operation went, as a record's hostname=, addr=, terminal= and
/// res= show them: what the builders share, set by `shared_setters!`.
#[derive(Debug, Clone, Copy)]
struct Tail<'a> {
    host: Option<&'a [u8]>,
    addr: Option<&'a [u8]>,
    terminal: Terminal<'a>,
    success: bool,
}

impl<'a> Tail<'a> {
    /// No host, the process's own terminal, a successful operation.
    const NEW: Tail<'static> = Tail { host: None, addr: None, terminal: Terminal::Own, success: true };

    fn origin(&self) -> Origin<'a> {
        Origin { host: self.host, addr: self.addr, tty: self.terminal.as_arg() }
    }
}

/// The setters the record builders share, each written once: `shared_setters!(host, addr, ...)`
/// inside the `impl` of a builder with a `tail: Tail` field.
macro_rules! shared_setters {
    ($($setter:ident),*) => { $(shared_setters!(@ $setter);)* };
    (@host) => {
        /// The remote host (hostname=; addr= is resolved from it unless given).
        pub fn host(mut self, host: &'a (impl AsRef<[u8]> + ?Sized)) -> Self {
            self.tail.host = Some(host.as_ref());
            self
        }
    };
    (@addr) => {
        /// The remote address (addr=).
        pub fn addr(mut self, addr: &'a (impl AsRef<[u8]> + ?Sized)) -> Self {
            self.tail.addr = Some(addr.as_ref());
            self
        }
    };
    (@terminal) => {
        /// The terminal= of the record.
        pub fn terminal(mut self, terminal: Terminal<'a>) -> Self {
            self.tail.terminal = terminal;
            self
        }
    };
    (@success) => {
        /// Whether the operation succeeded (res=success or res=failed).
        pub fn success(mut self, success: bool) -> Self {
            self.tail.success = success;
            self
        }
    };
}

/// A record of a trusted program (type AUDIT_USER_*, 1100-1199; AUDIT_USER 1005 for kernels
/// that know no such type): its text, then exe=, hostname=, addr=, terminal= and res=.
#[derive(Debug, Clone, Copy)]
pub struct UserMessage<'a> {
    kind: u16,
    text: &'a [u8],
    tail: Tail<'a>,
    /// comm= (after the text): None for no comm=, Some(None) for the process's own.
    comm: Option<Option<&'a [u8]>>,
}

impl<'a> UserMessage<'a> {
    shared_setters!(host, addr, terminal, success);

    /// A record of type `kind` (see the `AUDIT_USER_*` constants of [`crate::wire`]) saying
    /// `text`, such as `op=login acct="alice"`, of a successful operation.
    pub fn new(kind: u16, text: &'a (impl AsRef<[u8]> + ?Sized)) -> Self {
        UserMessage { kind, text: text.as_ref(), tail: Tail::NEW, comm: None }
    }

    /// Adds comm= after the text: the command name given, or None for this process's own (as
    /// audit_log_user_comm_message writes it).
    pub fn comm(mut self, comm: Option<&'a [u8]>) -> Self {
        self.comm = Some(comm);
        self
    }

    /// Sends the record: Ok with the request's sequence number once the kernel accepted it.
    /// Needs CAP_AUDIT_WRITE (else [`Error::Os`] EPERM).
    pub fn send(&self, socket: &Socket) -> Result<u32, Error> {
        let origin = self.tail.origin();
        let (fd, kind, diag) = (socket.raw(), i32::from(self.kind), socket.diag());
        delivered(logging::user_message(
            fd,
            Sender::Netlink,
            kind,
            self.text,
            self.comm,
            origin,
            self.tail.success,
            Line::NEWEST,
            diag,
        ))
    }
}

/// Whose account a record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account<'a> {
    /// By name: acct= (hex or quoted).
    Name(&'a [u8]),
    /// By number: id=.
    Id(u32),
}

impl<'a> Account<'a> {
    /// As the record functions take it: a name, used when the id is (uint32_t)-1.
    fn name_and_id(self) -> (Option<&'a [u8]>, u32) {
        match self {
            Account::Name(name) => (Some(name), u32::MAX),
            Account::Id(id) => (None, id),
        }
    }
}

/// A record about an account (AUDIT_ADD_USER, AUDIT_USER_CHAUTHTOK, AUDIT_USER_MGMT...), as
/// shadow's tools and PAM write it: op=, acct= or id=, exe=, hostname=, addr=, terminal=, res=.
#[derive(Debug, Clone, Copy)]
pub struct AcctMessage<'a> {
    kind: u16,
    op: &'a [u8],
    account: Account<'a>,
    program: Option<&'a [u8]>,
    tail: Tail<'a>,
}

impl<'a> AcctMessage<'a> {
    shared_setters!(host, addr, terminal, success);

    /// A record of type `kind` about `account`, for operation `op` (such as "adding user"), of
    /// a successful operation.
    pub fn new(kind: u16, op: &'a (impl AsRef<[u8]> + ?Sized), account: Account<'a>) -> Self {
        AcctMessage { kind, op: op.as_ref(), account, program: None, tail: Tail::NEW }
    }

    /// exe= names this program (quoted) instead of the executable's path.
    pub fn program(mut self, program: &'a (impl AsRef<[u8]> + ?Sized)) -> Self {
        self.program = Some(program.as_ref());
        self
    }

    /// Sends the record: Ok with the request's sequence number once the kernel accepted it.
    /// Needs CAP_AUDIT_WRITE (else [`Error::Os`] EPERM).
    pub fn send(&self, socket: &Socket) -> Result<u32, Error> {
        let origin = self.tail.origin();
        let (name, id) = self.account.name_and_id();
        // Unlike the C library's, a program name does not stick to later records.
        let names = ProgramName::new();
        let (fd, kind, diag) = (socket.raw(), i32::from(self.kind), socket.diag());
        delivered(logging::acct_message(
            fd,
            Sender::Netlink,
            kind,
            self.program,
            &names,
            self.op,
            name,
            id,
            origin,
            self.tail.success,
            Line::NEWEST,
            diag,
        ))
    }
}

/// A user-space access vector decision (AUDIT_USER_AVC, as dbus or systemd's SELinux checks
/// write it): the text, then exe=, sauid=, hostname=, addr=, terminal=. Unlike the C library,
/// a process without CAP_AUDIT_WRITE gets [`Error::Os`] EPERM, not a line in syslog.
#[derive(Debug, Clone, Copy)]
pub struct UserAvc<'a> {
    kind: u16,
    text: &'a [u8],
    uid: u32,
    /// Its success is not recorded (no res=).
    tail: Tail<'a>,
}

impl<'a> UserAvc<'a> {
    shared_setters!(host, addr, terminal);

    /// An AUDIT_USER_AVC record saying `text` (such as "avc:  denied  { send_msg } ..."),
    /// about the process of user `uid` (sauid=).
    pub fn new(text: &'a (impl AsRef<[u8]> + ?Sized), uid: u32) -> Self {
        UserAvc { kind: 1107, text: text.as_ref(), uid, tail: Tail::NEW }
    }

    /// Another record type than AUDIT_USER_AVC (such as AUDIT_USER_SELINUX_ERR).
    pub fn kind(mut self, kind: u16) -> Self {
        self.kind = kind;
        self
    }

    /// Sends the record: Ok with the request's sequence number once the kernel accepted it.
    /// Needs CAP_AUDIT_WRITE (else [`Error::Os`] EPERM).
    pub fn send(&self, socket: &Socket) -> Result<u32, Error> {
        let origin = self.tail.origin();
        let tables = crate::tables::Tables::of(crate::Line::NEWEST);
        let kind = i32::from(self.kind);
        match logging::user_avc_message(
            tables,
            socket.raw(),
            Sender::Netlink,
            kind,
            self.text,
            origin,
            self.uid,
            socket.diag(),
        ) {
            logging::Avc::Logged(logged) => delivered(logged),
            logging::Avc::Denied { .. } => Err(Error::Os(libc::EPERM)),
        }
    }
}

/// SELinux roles of an account, old or new, as [`SemanageMessage`] records them ("?" for each
/// not given).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeRoles<'a> {
    /// The SELinux user (old-seuser=, new-seuser=).
    pub seuser: Option<&'a [u8]>,
    /// The role (old-role=, new-role=).
    pub role: Option<&'a [u8]>,
    /// The MLS range (old-range=, new-range=).
    pub range: Option<&'a [u8]>,
}

/// A record of an SELinux user or role change (AUDIT_ROLE_ASSIGN, AUDIT_ROLE_REMOVE...), as
/// semanage writes it: op=, acct= or id=, the old and new seuser, role and range, exe=,
/// hostname=, addr=, terminal=, res=.
#[derive(Debug, Clone, Copy)]
pub struct SemanageMessage<'a> {
    kind: u16,
    op: &'a [u8],
    account: Account<'a>,
    program: Option<&'a [u8]>,
    new: SeRoles<'a>,
    old: SeRoles<'a>,
    tail: Tail<'a>,
}

impl<'a> SemanageMessage<'a> {
    shared_setters!(host, addr, terminal, success);

    /// A record of type `kind` about `account`, for operation `op`, of a successful operation.
    pub fn new(kind: u16, op: &'a (impl AsRef<[u8]> + ?Sized), account: Account<'a>) -> Self {
        SemanageMessage {
            kind,
            op: op.as_ref(),
            account,
            program: None,
            new: SeRoles::default(),
            old: SeRoles::default(),
            tail: Tail::NEW,
        }
    }

    /// exe= names this program (unquoted, as the C library writes it) instead of the
    /// executable's path.
    pub fn program(mut self, program: &'a (impl AsRef<[u8]> + ?Sized)) -> Self {
        self.program = Some(program.as_ref());
        self
    }

    /// The roles after the change.
    pub fn new_roles(mut self, roles: SeRoles<'a>) -> Self {
        self.new = roles;
        self
    }

    /// The roles before the change.
    pub fn old_roles(mut self, roles: SeRoles<'a>) -> Self {
        self.old = roles;
        self
    }

    /// Sends the record: Ok with the request's sequence number once the kernel accepted it.
    /// Needs CAP_AUDIT_WRITE (else [`Error::Os`] EPERM).
    pub fn send(&self, socket: &Socket) -> Result<u32, Error> {
        let origin = self.tail.origin();
        let (name, id) = self.account.name_and_id();
        let roles = |r: SeRoles<'a>| Roles { seuser: r.seuser, role: r.role, range: r.range };
        let (fd, kind, diag) = (socket.raw(), i32::from(self.kind), socket.diag());
        delivered(logging::semanage_message(
            fd,
            Sender::Netlink,
            kind,
            self.program,
            self.op,
            name,
            id,
            roles(self.new),
            roles(self.old),
            origin,
            self.tail.success,
            diag,
        ))
    }
}

/// A command a user ran through a privileged program (AUDIT_USER_CMD, as sudo writes it):
/// cwd=, cmd=, exe=, terminal= and res=.
#[derive(Debug, Clone, Copy)]
pub struct UserCommand<'a> {
    command: &'a [u8],
    /// Its host and address are not recorded (no hostname=, addr=).
    tail: Tail<'a>,
}

impl<'a> UserCommand<'a> {
    shared_setters!(terminal, success);

    /// The command line as run, such as `/usr/bin/id -u`, of a successful run.
    pub fn new(command: &'a (impl AsRef<[u8]> + ?Sized)) -> Self {
        UserCommand { command: command.as_ref(), tail: Tail::NEW }
    }

    /// Sends the record: Ok with the request's sequence number once the kernel accepted it.
    /// Needs CAP_AUDIT_WRITE (else [`Error::Os`] EPERM).
    pub fn send(&self, socket: &Socket) -> Result<u32, Error> {
        let kind = i32::from(AUDIT_USER_CMD);
        let tty = self.tail.terminal.as_arg();
        delivered(logging::user_command(
            socket.raw(),
            Sender::Netlink,
            kind,
            Some(self.command),
            tty,
            self.tail.success,
            socket.diag(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_become_results() {
        assert_eq!(delivered(Logged { rc: 7, errno: Some(0) }), Ok(7));
        // Hidden by the C conventions, reported here.
        assert_eq!(delivered(Logged { rc: 0, errno: Some(libc::ECONNREFUSED) }), Err(Error::Os(libc::ECONNREFUSED)));
        assert_eq!(delivered(Logged { rc: 0, errno: Some(libc::EPERM) }), Err(Error::Os(libc::EPERM)));
        assert_eq!(delivered(Logged { rc: -libc::EINVAL, errno: Some(-libc::EINVAL) }), Err(Error::Os(libc::EINVAL)));
    }

    #[test]
    fn terminals_as_the_record_functions_take_them() {
        assert_eq!(Terminal::Own.as_arg(), None);
        assert_eq!(Terminal::None.as_arg(), Some(&b""[..]));
        assert_eq!(Terminal::Named(b"pts/1").as_arg(), Some(&b"pts/1"[..]));
    }
}
