//! Audit rules as values: built from fields and operators (or auditctl-style pairs), syscalls
//! by name, watches with permissions and a key; added, deleted and listed through a [`Socket`].

use std::fmt;
use std::mem::MaybeUninit;

use crate::Line;
use crate::diag::Silent;
use crate::error::Error;
use crate::rules::{self, Added, Globals, RULE_SIZE};
use crate::socket::Socket;
use crate::tables::Tables;
use crate::wire::*;
use crate::{control, errormsg, netlink, sys};

/// The kernel's filter list a rule goes on (`-a list,action` of auditctl).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum List {
    /// `user`: user-space records (AUDIT_FILTER_USER).
    User,
    /// `task`: at fork or clone (AUDIT_FILTER_TASK).
    Task,
    /// `exit`: at syscall exit (AUDIT_FILTER_EXIT), where syscall and watch rules go.
    Exit,
    /// `exclude`: records not to log (AUDIT_FILTER_EXCLUDE).
    Exclude,
    /// `filesystem`: file systems not to audit (AUDIT_FILTER_FS).
    Filesystem,
    /// `io_uring`: io_uring operations (AUDIT_FILTER_URING_EXIT).
    IoUring,
}

impl List {
    fn raw(self) -> i32 {
        match self {
            List::User => AUDIT_FILTER_USER,
            List::Task => 1,
            List::Exit => AUDIT_FILTER_EXIT,
            List::Exclude => AUDIT_FILTER_EXCLUDE,
            List::Filesystem => AUDIT_FILTER_FS,
            List::IoUring => 7,
        }
    }

    fn from_raw(raw: u32) -> Option<List> {
        [List::User, List::Task, List::Exit, List::Exclude, List::Filesystem, List::IoUring]
            .into_iter()
            .find(|l| l.raw() as u32 == raw)
    }
}

/// What the kernel does when a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Logs no record.
    Never,
    /// Logs a record.
    Always,
}

/// The operators of a field (auditctl's `-F name OP value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
    /// `<`
    LessThan,
    /// `<=`
    LessOrEqual,
    /// `>`
    GreaterThan,
    /// `>=`
    GreaterOrEqual,
    /// `&` (some bit of the value set)
    BitMask,
    /// `&=` (every bit of the value set)
    BitTest,
}

impl Operator {
    /// How auditctl writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equal => "=",
            Operator::NotEqual => "!=",
            Operator::LessThan => "<",
            Operator::LessOrEqual => "<=",
            Operator::GreaterThan => ">",
            Operator::GreaterOrEqual => ">=",
            Operator::BitMask => "&",
            Operator::BitTest => "&=",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An audit rule (`struct audit_rule_data` and its strings), owned. Each rule keeps its own
/// building state (its machine, whether it has syscalls or permissions yet): nothing is shared
/// between rules or threads.
///
/// Two rules compare equal when the kernel would take them for the same rule: the syscall
/// class bits (the top 16 of the mask), which the kernel expands into the syscalls of each
/// class, are not compared.
///
/// ```
/// use linux_audit::{Action, List, Operator, Rule};
///
/// let rule = Rule::new(List::Exit, Action::Always)
///     .field("arch=b64")?
///     .syscall("openat")?
///     .field_op("uid", Operator::GreaterOrEqual, "1000")?
///     .key("files")?;
/// assert_eq!(rule.field_count(), 3);
/// assert_eq!(rule, rule.clone());
///
/// let watch = Rule::watch("/etc/shadow")?.permissions("wa")?.key("shadow")?;
/// assert_eq!(watch.list(), Some(List::Exit));
///
/// let err = Rule::new(List::Exit, Action::Always).field("bogus=1").unwrap_err();
/// assert_eq!(err.to_string(), "-F unknown field: bogus");
/// # Ok::<(), linux_audit::Error>(())
/// ```
#[derive(Clone)]
pub struct Rule {
    data: audit_rule_data,
    buf: Vec<u8>,
    globals: Globals,
    line: Line,
}

/// AUDIT_FILTER_PREPEND: the flag auditctl's `-A` adds to the list.
const FILTER_PREPEND: u32 = 0x10;

/// The syscall class bits of the mask: its top AUDIT_SYSCALL_CLASSES (16) bits.
const CLASS_BITS: u32 = 0xffff_0000;

fn rule_error(line: Line, code: i32, option: &[u8]) -> Error {
    let message = match errormsg::line(-code, option, line) {
        Some(pieces) => String::from_utf8_lossy(&pieces.concat()).into_owned(),
        None => String::new(),
    };
    Error::Rule { code, message }
}

impl Rule {
    /// An empty rule on `list` with `action`.
    pub fn new(list: List, action: Action) -> Rule {
        let mut data = audit_rule_data::EMPTY;
        data.flags = list.raw() as u32;
        data.action = match action {
            Action::Never => 0,
            Action::Always => AUDIT_ALWAYS,
        };
        Rule { data, buf: Vec::new(), globals: Globals::default(), line: Line::NEWEST }
    }

    /// Names fields, syscalls and machines with the tables of release line `line` of the C
    /// library (the default: [`Line::NEWEST`]). Set it before adding fields.
    pub fn with_line(mut self, line: Line) -> Rule {
        self.line = line;
        self
    }

    /// A watch on a file (auditctl's `-w path`): exit list, always, every syscall, all four
    /// permissions until [`Rule::permissions`] narrows them.
    pub fn watch(path: impl AsRef<[u8]>) -> Result<Rule, Error> {
        Rule::watch_kind(path.as_ref(), AUDIT_WATCH)
    }

    /// A watch on a directory tree (`-F dir=path`).
    pub fn watch_dir(path: impl AsRef<[u8]>) -> Result<Rule, Error> {
        Rule::watch_kind(path.as_ref(), AUDIT_DIR)
    }

    fn watch_kind(path: &[u8], kind: u32) -> Result<Rule, Error> {
        if path.is_empty() || path.len() > sys::PATH_MAX || path.contains(&0) {
            return Err(rule_error(Line::NEWEST, errormsg::EAU_STRTOOLONG, path));
        }
        let mut rule = Rule::new(List::Exit, Action::Always);
        rule.buf = vec![0; path.len()];
        rules::fill_watch(&mut rule.data, &mut rule.buf, kind as i32, path, &mut rule.globals);
        Ok(rule)
    }

    /// The permissions a watch is for, as auditctl's `-p`: any of `r`, `w`, `x`, `a`.
    pub fn permissions(mut self, perms: &str) -> Result<Rule, Error> {
        let mut bits = 0;
        for c in perms.bytes() {
            bits |= match c.to_ascii_lowercase() {
                b'r' => AUDIT_PERM_READ,
                b'w' => AUDIT_PERM_WRITE,
                b'x' => AUDIT_PERM_EXEC,
                b'a' => AUDIT_PERM_ATTR,
                _ => return Err(rule_error(self.line, errormsg::EAU_PERMRWXA, perms.as_bytes())),
            };
        }
        if perms.is_empty() || perms.len() > 4 {
            return Err(rule_error(self.line, errormsg::EAU_PERMRWXA, perms.as_bytes()));
        }
        match rules::update_watch_perms(&mut self.data, bits as i32, self.line, &Silent) {
            0 => {
                self.globals.perm_added = 1;
                Ok(self)
            }
            -1 => {
                let spelled = if self.line >= Line::V4_0_2 { "preceded" } else { "preceeded" };
                Err(Error::Rule { code: 0, message: format!("Permissions should be {spelled} by other fields") })
            }
            _ => Err(rule_error(self.line, errormsg::EAU_FIELDTOOMANY, perms.as_bytes())),
        }
    }

    /// Adds a field as auditctl's `-F` does: `"uid>=1000"`, `"arch=b64"`, `"exit=-EPERM"`,
    /// `"key=name"`... The error carries libaudit's number and message for the pair.
    pub fn field(mut self, pair: &str) -> Result<Rule, Error> {
        let features = || control::probe_features(None, &Silent).0;
        let list = (self.data.flags & !FILTER_PREPEND) as i32;
        let outcome = rules::fieldpair(
            Tables::of(self.line),
            &mut self.data,
            pair.as_bytes(),
            list,
            self.line,
            &mut self.globals,
            &features,
            &Silent,
        );
        let option = match outcome.split {
            Some(s) => &pair.as_bytes()[..s.at],
            None => pair.as_bytes(),
        };
        match outcome.result {
            Ok(Added::Done) => Ok(self),
            Ok(Added::Text(text)) => {
                let old = self.data.buflen as usize;
                self.buf.resize(old + text.len(), 0);
                rules::append_text(&mut self.data, &mut self.buf[old..], text);
                Ok(self)
            }
            Err(code) => Err(rule_error(self.line, -code, option)),
        }
    }

    /// Adds a field from its name, operator and value (`field_op("uid", Operator::Equal, "0")`).
    pub fn field_op(self, name: &str, op: Operator, value: &str) -> Result<Rule, Error> {
        self.field(&format!("{name}{op}{value}"))
    }

    /// Compares two fields (auditctl's `-C`: `"auid!=uid"`), on the exit list.
    pub fn compare(mut self, pair: &str) -> Result<Rule, Error> {
        let list = (self.data.flags & !FILTER_PREPEND) as i32;
        let outcome = rules::compare(Tables::of(self.line), &mut self.data, pair.as_bytes(), list);
        let option = match outcome.split {
            Some(s) => &pair.as_bytes()[..s.at],
            None => pair.as_bytes(),
        };
        let line = self.line;
        outcome.result.map(|()| self).map_err(|code| rule_error(line, -code, option))
    }

    /// Adds a syscall by name (of the machine an `arch=` field chose, else this machine's), by
    /// number, or `"all"` (auditctl's `-S`).
    pub fn syscall(mut self, name: &str) -> Result<Rule, Error> {
        let tables = Tables::of(self.line);
        let outcome = rules::add_syscall_by_name(tables, &mut self.data, name.as_bytes(), &mut self.globals, self.line);
        match outcome.value {
            0 => {
                // As auditctl does for -S (the library itself marks it from 3.1 on only).
                self.globals.syscall_added = 1;
                Ok(self)
            }
            -2 => Err(Error::Rule { code: 0, message: format!("Unknown machine for syscall {name}") }),
            _ => Err(Error::Rule { code: 0, message: format!("Syscall name unknown: {name}") }),
        }
    }

    /// Names the rule (auditctl's `-k`): the records it makes carry the key. Needs a syscall,
    /// a watch or an executable path before it.
    pub fn key(self, key: &str) -> Result<Rule, Error> {
        self.field(&format!("key={key}"))
    }

    /// The list the rule is on, if it is one this crate knows.
    pub fn list(&self) -> Option<List> {
        List::from_raw(self.data.flags & !FILTER_PREPEND)
    }

    /// The rule's action, if it is one this crate knows.
    pub fn action(&self) -> Option<Action> {
        match self.data.action {
            0 => Some(Action::Never),
            AUDIT_ALWAYS => Some(Action::Always),
            _ => None,
        }
    }

    /// How many fields the rule has.
    pub fn field_count(&self) -> usize {
        self.data.field_count as usize
    }

    /// The rule as the kernel takes it: `struct audit_rule_data` followed by its strings.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(RULE_SIZE + self.buf.len());
        let d = &self.data;
        for word in [d.flags, d.action, d.field_count]
            .iter()
            .chain(&d.mask)
            .chain(&d.fields)
            .chain(&d.values)
            .chain(&d.fieldflags)
            .chain([d.buflen].iter())
        {
            out.extend_from_slice(&word.to_ne_bytes());
        }
        out.extend_from_slice(&self.buf);
        out
    }

    /// Reads a rule from the payload of an AUDIT_LIST_RULES reply (or [`Rule::to_bytes`]).
    pub fn from_bytes(bytes: &[u8]) -> Option<Rule> {
        if bytes.len() < RULE_SIZE {
            return None;
        }
        let mut words = bytes[..RULE_SIZE].chunks_exact(4).map(|w| u32::from_ne_bytes([w[0], w[1], w[2], w[3]]));
        let mut data = audit_rule_data::EMPTY;
        let mut next = || words.next().unwrap_or(0);
        data.flags = next();
        data.action = next();
        data.field_count = next();
        data.mask.iter_mut().for_each(|w| *w = next());
        data.fields.iter_mut().for_each(|w| *w = next());
        data.values.iter_mut().for_each(|w| *w = next());
        data.fieldflags.iter_mut().for_each(|w| *w = next());
        data.buflen = next();
        if data.field_count as usize > AUDIT_MAX_FIELDS {
            return None;
        }
        let buf = bytes[RULE_SIZE..].get(..data.buflen as usize)?.to_vec();
        Some(Rule { data, buf, globals: Globals::default(), line: Line::NEWEST })
    }

    fn used(&self) -> usize {
        (self.data.field_count as usize).min(AUDIT_MAX_FIELDS)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        let (a, b) = (&self.data, &other.data);
        let n = self.used();
        let last = AUDIT_BITMASK_SIZE - 1;
        (a.flags, a.action, a.field_count, a.buflen) == (b.flags, b.action, b.field_count, b.buflen)
            && a.mask[..last] == b.mask[..last]
            && a.mask[last] & !CLASS_BITS == b.mask[last] & !CLASS_BITS
            && a.fields[..n] == b.fields[..n]
            && a.values[..n] == b.values[..n]
            && a.fieldflags[..n] == b.fieldflags[..n]
            && self.buf == other.buf
    }
}

impl Eq for Rule {}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.used();
        let syscalls: Vec<usize> =
            (0..AUDIT_BITMASK_SIZE * 32).filter(|&i| self.data.mask[i / 32] & (1 << (i % 32)) != 0).collect();
        f.debug_struct("Rule")
            .field("flags", &self.data.flags)
            .field("action", &self.data.action)
            .field("syscalls", &syscalls.len())
            .field("fields", &&self.data.fields[..n])
            .field("values", &&self.data.values[..n])
            .field("fieldflags", &&self.data.fieldflags[..n])
            .field("buf", &String::from_utf8_lossy(&self.buf))
            .finish()
    }
}

impl Socket {
    /// Adds `rule` to the kernel's rules (needs CAP_AUDIT_CONTROL). EEXIST: the kernel has it.
    pub fn add_rule(&self, rule: &Rule) -> Result<(), Error> {
        let bytes = rule.to_bytes();
        let fits = rules::fits_request(bytes.len());
        rules::send_add(self.raw(), fits.then_some(&bytes[..]), bytes.len(), &Silent)
            .map(drop)
            .map_err(|f| Error::Os(f.errno))
    }

    /// Deletes `rule` from the kernel's rules (needs CAP_AUDIT_CONTROL). ENOENT: no rule matches.
    pub fn delete_rule(&self, rule: &Rule) -> Result<(), Error> {
        let bytes = rule.to_bytes();
        let fits = rules::fits_request(bytes.len());
        rules::send_delete(self.raw(), fits.then_some(&bytes[..]), bytes.len(), &Silent)
            .map(drop)
            .map_err(|f| Error::Os(f.errno))
    }

    /// The kernel's rules, in its order (needs CAP_AUDIT_CONTROL).
    pub fn rules(&self) -> Result<Vec<Rule>, Error> {
        control::request_rules_list(self.raw(), &Silent).map_err(|f| Error::Os(f.errno))?;
        let mut buf = [MaybeUninit::uninit(); netlink::RECEIVE_SIZE];
        let mut out = Vec::new();
        let mut quiet = 0;
        while quiet < 40 {
            sys::wait_readable(self.raw(), 100);
            let reply = match netlink::get_reply(self.raw(), &mut buf, libc::MSG_DONTWAIT, &Silent) {
                Ok(reply) => reply,
                Err(_) => {
                    quiet += 1;
                    continue;
                }
            };
            // SAFETY: get_reply initialised `reply.len` bytes.
            let data: &[u8] = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast(), reply.len) };
            match reply.header.nlmsg_type {
                NLMSG_DONE => return Ok(out),
                NLMSG_ERROR => {
                    let errno = data
                        .get(NLMSG_HDRLEN..NLMSG_HDRLEN + 4)
                        .map(|e| -i32::from_ne_bytes([e[0], e[1], e[2], e[3]]))
                        .unwrap_or(0);
                    if errno != 0 {
                        return Err(Error::Os(errno));
                    }
                }
                AUDIT_LIST_RULES => {
                    let end = (reply.header.nlmsg_len as usize).min(data.len());
                    if let Some(rule) = data.get(NLMSG_HDRLEN..end).and_then(Rule::from_bytes) {
                        out.push(rule);
                    }
                    quiet = 0;
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
    #[cfg_attr(miri, ignore = "uname (arch=b64): a foreign call Miri cannot make")]
    fn bytes_round_trip() {
        let rule = Rule::new(List::Exit, Action::Always)
            .field("arch=b64")
            .unwrap()
            .syscall("openat")
            .unwrap()
            .field("uid>=1000")
            .unwrap()
            .key("k1")
            .unwrap();
        let bytes = rule.to_bytes();
        assert_eq!(bytes.len(), RULE_SIZE + 2);
        assert_eq!(Rule::from_bytes(&bytes).unwrap(), rule);
        assert!(Rule::from_bytes(&bytes[..RULE_SIZE]).is_none());
    }

    #[test]
    fn errors_carry_numbers_and_messages() {
        let r = || Rule::new(List::Exit, Action::Always);
        let e = r().field("uid").unwrap_err();
        assert_eq!(e, Error::Rule { code: 1, message: "-F missing operation for uid".into() });
        let e = r().key("k").unwrap_err();
        assert!(matches!(e, Error::Rule { code: 19, .. }), "{e:?}");
        let e = r().syscall("nosuchcall").unwrap_err();
        assert_eq!(e.to_string(), "Syscall name unknown: nosuchcall");
        let e = Rule::watch("/etc").unwrap().permissions("rq").unwrap_err();
        assert!(matches!(e, Error::Rule { code: 14, .. }), "{e:?}");
    }

    #[test]
    fn equality_ignores_class_bits() {
        let a = Rule::watch("/etc/passwd").unwrap().permissions("wa").unwrap();
        let mut b = a.clone();
        b.data.mask[AUDIT_BITMASK_SIZE - 1] &= !CLASS_BITS;
        assert_eq!(a, b);
        b.data.values[1] = AUDIT_PERM_READ;
        assert_ne!(a, b);
    }

    #[test]
    fn rules_are_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Rule>();
    }
}
