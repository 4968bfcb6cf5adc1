//! What the records say about the calling process: its executable, terminal, host name and
//! working directory, and the address of a remote host. Each is read as the original reads it
//! (same calls, same buffer sizes), so the same environment gives the same bytes.

use std::borrow::Cow;
use std::ffi::CStr;
use std::sync::Mutex;

use super::encode::{bounded, needs_encoding, quote_or_encode, quoted, quoted_bounded};
use crate::Line;
use crate::bytes::{Bytes, Lossy, OnceBytes, try_copy};
use crate::diag::{Diagnostics, Level};
use crate::sys::{self, PATH_MAX};
use crate::wire::MAX_AUDIT_MESSAGE_LENGTH;

/// The original formats exe=, comm= and the like into buffers of 2 * PATH_MAX bytes.
pub(crate) const FIELD_BUFFER: usize = 2 * PATH_MAX;
/// 4.2's buffer for exe= values: one byte more.
const EXE_BUFFER_4_2: usize = FIELD_BUFFER + 1;
/// The kernel's TASK_COMM_LEN without its NUL: 4.2 cuts a longer comm= to this.
const COMM_LEN: usize = 15;
/// ttyname_r's buffer: longer terminal names are not found.
const TTY_PATH: usize = 32;
/// gethostname's buffer; the name keeps at most 63 bytes.
const HOST_LEN: usize = 64;
/// INET6_ADDRSTRLEN: a caller's addr keeps at most 45 bytes.
const ADDR_LEN: usize = 46;

/// The executable, as exe= shows it: hex, or in quotes; `"?"` when unknown. Read once per
/// process; None when memory for it is short.
pub(crate) fn exe(diag: &dyn Diagnostics) -> Option<&'static [u8]> {
    static EXE: OnceBytes = OnceBytes::new();
    if let Some(exe) = EXE.get() {
        return Some(exe);
    }
    // readlink into a PATH_MAX buffer keeps at most PATH_MAX bytes.
    let mut path = [0u8; PATH_MAX];
    // SAFETY: readlink writes at most path.len() bytes into path.
    let n = unsafe { libc::readlink(c"/proc/self/exe".as_ptr(), path.as_mut_ptr().cast(), path.len()) };
    let found = match path.get(..n.max(0) as usize) {
        Some(path) if n >= 0 => {
            if needs_encoding(path) {
                super::encode::encode(path)?
            } else {
                bounded(quoted(path)?, FIELD_BUFFER)
            }
        }
        _ => {
            diag.report(Level::Error, format_args!("get_exename: cannot determine executable"));
            return Some(EXE.keep(b"\"?\""));
        }
    };
    Some(EXE.keep(found.leak()))
}

/// The exe= value of account records: the program's name when one is given, and it sticks: a
/// later record without one repeats the last name given, or else the executable (as the
/// original's audit_log_acct_message does). Whoever keeps a `ProgramName` decides how long a
/// name sticks: the C library keeps one for the process.
#[derive(Debug, Default)]
pub struct ProgramName(Mutex<Option<Vec<u8>>>);

impl ProgramName {
    pub const fn new() -> Self {
        ProgramName(Mutex::new(None))
    }

    /// `line`: 4.2 keeps a name one byte longer. None when memory is short.
    pub(crate) fn exe(&self, program: Option<&[u8]>, line: Line, diag: &dyn Diagnostics) -> Option<Vec<u8>> {
        let size = if line >= Line::V4_2_1 { EXE_BUFFER_4_2 } else { FIELD_BUFFER };
        let mut cached = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let value = match (program, cached.as_deref()) {
            (None, Some(kept)) => return try_copy(kept),
            (None, None) => try_copy(exe(diag)?)?,
            (Some(name), _) if name.first() == Some(&b'"') => {
                bounded(try_copy(name.get(..size).unwrap_or(name))?, size)
            }
            (Some(name), _) => quoted_bounded(name, size)?,
        };
        let copy = try_copy(&value)?;
        *cached = Some(value);
        Some(copy)
    }
}

/// The controlling terminal as terminal= shows it ("pts/3", "tty1"): the first of fds 0, 1, 2
/// that is a terminal, without "/dev/". None if there is none or its name looks forged.
/// (Also None when memory for it is short.)
pub(crate) fn terminal(diag: &dyn Diagnostics) -> Option<Vec<u8>> {
    let mut buf = [0u8; TTY_PATH];
    let found = (0..3).any(|fd| {
        // SAFETY: ttyname_r writes at most buf.len() bytes, NUL included, on success.
        let rc = unsafe { libc::ttyname_r(fd, buf.as_mut_ptr().cast(), buf.len()) };
        rc == 0 && CStr::from_bytes_until_nul(&buf).is_ok_and(|name| !name.is_empty())
    });
    let name = CStr::from_bytes_until_nul(&buf).ok().filter(|_| found)?;
    let bytes = name.to_bytes();
    // A character device, and not a hard link outside /dev (a planted name).
    let genuine = sys::stat(name, false)
        .is_ok_and(|m| m.st_mode & libc::S_IFMT == libc::S_IFCHR && (m.st_nlink <= 1 || bytes.starts_with(b"/dev/")));
    if !genuine {
        diag.report(Level::Error, format_args!("FATAL: bad tty {}", Lossy(bytes)));
        return None;
    }
    try_copy(bytes.strip_prefix(b"/dev/").unwrap_or(bytes))
}

/// This machine's name, for records from a local terminal ("pts...", "tty...", "/dev/tty...",
/// and from 4.1 on "/dev/pts...").
pub(crate) fn local_host(terminal: &[u8], line: Line) -> Option<&'static [u8]> {
    let local = [&b"pts"[..], b"tty", b"/dev/tty"].iter().any(|p| terminal.starts_with(p))
        || (line >= Line::V4_1_2 && terminal.starts_with(b"/dev/pts"));
    local.then(host_name)
}

/// gethostname, kept once known (the original never looks again); empty while unknown.
fn host_name() -> &'static [u8] {
    static HOST: OnceBytes = OnceBytes::new();
    if let Some(host) = HOST.get() {
        return host;
    }
    let mut buf = [0u8; HOST_LEN];
    // SAFETY: gethostname writes at most buf.len() bytes; the last byte is made NUL below.
    unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if let Some(last) = buf.last_mut() {
        *last = 0;
    }
    let host = CStr::from_bytes_until_nul(&buf).map(CStr::to_bytes).unwrap_or_default();
    // Not kept without the memory for it (looked up again next time).
    match try_copy(host) {
        Some(host) if !host.is_empty() => HOST.keep(host.leak()),
        _ => b"",
    }
}

/// addr=: the caller's address (at most 45 bytes), or else the first address `host` resolves
/// to, or "?".
pub(crate) fn address<'a>(addr: Option<&'a [u8]>, host: Option<&[u8]>, diag: &dyn Diagnostics) -> Cow<'a, [u8]> {
    match addr {
        Some(a) if !a.is_empty() => Cow::Borrowed(a.get(..ADDR_LEN - 1).unwrap_or(a)),
        _ => host.filter(|h| !h.is_empty()).and_then(|h| resolve(h, diag)).map_or(Cow::Borrowed(b"?"), Cow::Owned),
    }
}

unsafe extern "C" {
    // glibc's, not in the libc crate: the original prints addresses with it.
    fn inet_ntop(
        af: libc::c_int,
        src: *const libc::c_void,
        dst: *mut libc::c_char,
        size: libc::socklen_t,
    ) -> *const libc::c_char;
}

/// The first address getaddrinfo gives for `host` (AI_ADDRCONFIG, stream sockets), in numeric
/// form. This blocks as long as the resolver does, as in the original. (None too when memory
/// is short.)
fn resolve(host: &[u8], diag: &dyn Diagnostics) -> Option<Vec<u8>> {
    let mut name = Bytes::new();
    name.push(host).ok()?;
    name.push_byte(0).ok()?;
    let name = CStr::from_bytes_with_nul(name.as_slice()).ok()?;
    // SAFETY: addrinfo is plain data; all zero is a valid hints value.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_flags = libc::AI_ADDRCONFIG;
    hints.ai_socktype = libc::SOCK_STREAM;
    let mut found: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: valid C strings and hints; `found` is freed below.
    let rc = unsafe { libc::getaddrinfo(name.as_ptr(), std::ptr::null(), &hints, &mut found) };
    if rc != 0 {
        // SAFETY: gai_strerror returns a static string.
        let why = Lossy(unsafe { CStr::from_ptr(libc::gai_strerror(rc)) }.to_bytes());
        diag.report(Level::Error, format_args!("resolve_addr: cannot resolve hostname {} ({why})", Lossy(host)));
        return None;
    }
    let mut text = [0u8; ADDR_LEN];
    // SAFETY: on success `found` is a list of at least one entry whose ai_addr matches its
    // family; inet_ntop writes at most text.len() bytes.
    unsafe {
        let ai = &*found;
        let addr: *const libc::c_void = if ai.ai_family == libc::AF_INET {
            (&raw const (*ai.ai_addr.cast::<libc::sockaddr_in>()).sin_addr).cast()
        } else {
            (&raw const (*ai.ai_addr.cast::<libc::sockaddr_in6>()).sin6_addr).cast()
        };
        inet_ntop(ai.ai_family, addr, text.as_mut_ptr().cast(), text.len() as libc::socklen_t);
        libc::freeaddrinfo(found);
    }
    try_copy(CStr::from_bytes_until_nul(&text).map(CStr::to_bytes).unwrap_or_default())
}

/// comm=: the given command name, or this process's own; hex or quoted. Unlike the original,
/// a long name needing encoding is encoded whole instead of overrunning a buffer.
/// 4.2 cuts a comm of 16 bytes or more to the kernel's 15, with a warning. None when memory is
/// short.
pub(crate) fn command_name(comm: Option<&[u8]>, line: Line, diag: &dyn Diagnostics) -> Option<Vec<u8>> {
    let mut own = [0u8; 20];
    let comm = match comm {
        Some(c) => c,
        None => match own_comm(&mut own) {
            Some(c) => c,
            None => return try_copy(b"\"?\""),
        },
    };
    let comm = match comm.get(..COMM_LEN) {
        Some(cut) if line >= Line::V4_2_1 && comm.len() > COMM_LEN => {
            diag.report(Level::Warning, format_args!("comm value truncated to {COMM_LEN} bytes"));
            cut
        }
        _ => comm,
    };
    if needs_encoding(comm) {
        // The record keeps less than MAX_AUDIT_MESSAGE_LENGTH bytes: encoding more is never sent.
        super::encode::encode(comm.get(..MAX_AUDIT_MESSAGE_LENGTH).unwrap_or(comm))
    } else {
        quoted_bounded(comm, FIELD_BUFFER)
    }
}

/// /proc/self/comm without its newline (the original drops the last byte read), read into `buf`.
fn own_comm(buf: &mut [u8; 20]) -> Option<&[u8]> {
    let n = sys::File::open(c"/proc/self/comm", libc::O_RDONLY).ok()?.read(buf).ok().filter(|&n| n > 0)?;
    let name = buf.get(..n - 1)?;
    name.split(|&b| b == 0).next()
}

/// cwd=: the working directory (getcwd into PATH_MAX bytes, else "?"), hex or quoted. None
/// when memory is short.
pub(crate) fn working_directory() -> Option<Vec<u8>> {
    let mut buf = [0u8; PATH_MAX];
    // SAFETY: getcwd writes at most buf.len() bytes, NUL included.
    let ok = !unsafe { libc::getcwd(buf.as_mut_ptr().cast(), buf.len()) }.is_null();
    let cwd = if ok { CStr::from_bytes_until_nul(&buf).map_or(&b"?"[..], CStr::to_bytes) } else { b"?" };
    quote_or_encode(cwd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Silent;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn exe_is_this_test_binary_quoted() {
        let path = std::env::current_exe().unwrap();
        assert_eq!(exe(&Silent), quote_or_encode(path.as_os_str().as_bytes()).as_deref());
    }

    #[test]
    fn acct_program_name_sticks() {
        let names = ProgramName::new();
        let acct_exe = |program, diag| names.exe(program, Line::V3_0_9, diag).unwrap();
        assert_eq!(acct_exe(Some(b"useradd"), &Silent), b"\"useradd\"");
        assert_eq!(acct_exe(None, &Silent), b"\"useradd\"");
        assert_eq!(acct_exe(Some(b"\"pre quoted\""), &Silent), b"\"pre quoted\"");
    }

    #[test]
    #[cfg_attr(miri, ignore = "getaddrinfo: a foreign call Miri cannot make")]
    fn addresses() {
        assert_eq!(*address(Some(b"10.0.0.1"), Some(b"ignored"), &Silent), *b"10.0.0.1");
        assert_eq!(address(Some(&[b'a'; 60]), None, &Silent).len(), 45);
        assert_eq!(*address(Some(b""), None, &Silent), *b"?");
        assert_eq!(*address(None, Some(b""), &Silent), *b"?");
        assert_eq!(*address(None, Some(b"127.0.0.1"), &Silent), *b"127.0.0.1");
    }

    #[test]
    #[cfg_attr(miri, ignore = "gethostname: a foreign call Miri cannot make")]
    fn local_terminals_name_the_host() {
        assert!(local_host(b"pts/0", Line::V3_0_9).is_some());
        assert!(local_host(b"/dev/tty1", Line::V3_0_9).is_some());
        assert!(local_host(b"ssh", Line::NEWEST).is_none());
        assert!(local_host(b"/dev/pts/1", Line::V4_0_2).is_none());
        assert!(local_host(b"/dev/pts/1", Line::V4_1_2).is_some());
    }

    #[test]
    fn command_names() {
        let name = |comm: &[u8]| command_name(Some(comm), Line::V4_1_2, &Silent).unwrap();
        assert_eq!(name(b"cron"), b"\"cron\"");
        assert_eq!(name(b"a b"), b"612062");
        assert_eq!(name(&[b'x'; 9000]).len(), FIELD_BUFFER - 1);
        assert_eq!(name(&[b' '; 5000]).len(), 10000);
    }

    /// 4.2 cuts comm= to the kernel's 15 bytes, warning about it.
    #[test]
    fn command_names_from_4_2() {
        let warnings = std::cell::RefCell::new(Vec::new());
        let diag = |level, m: std::fmt::Arguments<'_>| warnings.borrow_mut().push((level, m.to_string()));
        let name = |comm: &[u8]| command_name(Some(comm), Line::V4_2_1, &diag).unwrap();
        assert_eq!(name(b"abcdefghijklmno"), b"\"abcdefghijklmno\"");
        assert!(warnings.borrow().is_empty());
        assert_eq!(name(b"abcdefghijklmnop"), b"\"abcdefghijklmno\"");
        assert_eq!(name(&[b' '; 5000]), b"20".repeat(15));
        let warned = (Level::Warning, "comm value truncated to 15 bytes".to_string());
        assert_eq!(warnings.borrow().as_slice(), [warned.clone(), warned]);
    }

    #[test]
    fn acct_program_name_is_one_byte_longer_from_4_2() {
        let long = [b'p'; 9000];
        let exe = |line| ProgramName::new().exe(Some(&long), line, &Silent).unwrap().len();
        assert_eq!((exe(Line::V4_1_2), exe(Line::V4_2_1)), (FIELD_BUFFER - 1, FIELD_BUFFER));
    }
}
