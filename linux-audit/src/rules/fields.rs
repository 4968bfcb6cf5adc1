//! "field op value" pairs (auditctl's -F) and field comparisons (-C).
//!
//! What callers can observe is kept exactly: the error numbers (-EAU_*), which slots of the
//! rule are written before a pair is refused, the global flags, and the split of the caller's
//! string at the operator (the original overwrites the operator with NULs, so the caller's text
//! ends at the field name afterwards; auditctl prints it that way in its error messages).

use super::{Flag, State, add_perm_syscalls, next_slot};
use crate::Line;
use crate::bytes::Lossy;
use crate::diag::{Diagnostics, Level};
use crate::errormsg::*;
use crate::num::{Base, is_negative_number, starts_with_digit, strtol, strtoul};
use crate::sys::PATH_MAX;
use crate::tables::{Tables, load_word};
use crate::wire::*;

/// AF_MAX of the glibc headers the original was built with: saddr_fam takes smaller values.
const AF_MAX: u32 = 46;

/// Where a pair is split: the operator's offset and length (these bytes become NULs) and the
/// operator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub at: usize,
    pub len: usize,
    pub op: u32,
}

/// The operators of -F in the order the original searches for them: anywhere in the pair, the
/// first of the two-byte ones that occurs, then the one-byte ones.
const FIELD_OPERATORS: &[(&[u8], u32)] = &[
    (b"!=", AUDIT_NOT_EQUAL),
    (b">=", AUDIT_GREATER_THAN_OR_EQUAL),
    (b"<=", AUDIT_LESS_THAN_OR_EQUAL),
    (b"&=", AUDIT_BIT_TEST),
    (b"=", AUDIT_EQUAL),
    (b">", AUDIT_GREATER_THAN),
    (b"<", AUDIT_LESS_THAN),
    (b"&", AUDIT_BIT_MASK),
];

const COMPARE_OPERATORS: &[(&[u8], u32)] = &[(b"!=", AUDIT_NOT_EQUAL), (b"=", AUDIT_EQUAL)];

/// An operator list's ranks (positions in the list) by first byte: of its one-byte operator
/// that is that byte, and of its two-byte one that starts with it (every two-byte operator ends
/// in '='); NONE where there is none.
struct Ranks {
    single: [u8; 256],
    before_equals: [u8; 256],
}

const NONE: u8 = u8::MAX;

const fn ranks(operators: &[(&[u8], u32)]) -> Ranks {
    let mut r = Ranks { single: [NONE; 256], before_equals: [NONE; 256] };
    let mut k = operators.len();
    let mut seen_equals = false;
    // From the end, so that an earlier operator's rank wins.
    while k > 0 {
        k -= 1;
        let token = operators[k].0;
        match token {
            [b'='] => {
                r.single[b'=' as usize] = k as u8;
                seen_equals = true;
            }
            [b] => {
                assert!(!seen_equals, "split: the operators with an '=' rank first");
                r.single[*b as usize] = k as u8;
            }
            [b, b'='] => {
                r.before_equals[*b as usize] = k as u8;
                seen_equals = true;
            }
            _ => panic!("operators are one byte, or two ending in '='"),
        }
    }
    assert!(r.single[b'=' as usize] != NONE, "split: '=' is an operator");
    r
}

/// Each list with its ranks.
const FIELD: (&[(&[u8], u32)], &Ranks) = (FIELD_OPERATORS, &ranks(FIELD_OPERATORS));
const COMPARE: (&[(&[u8], u32)], &Ranks) = (COMPARE_OPERATORS, &ranks(COMPARE_OPERATORS));

/// The first operator of the list that occurs anywhere in the pair, at its first occurrence (as
/// the original's strstr for each in turn finds it). Where the pair has an '=', only its '='s
/// are looked at (eight bytes at a time): in both lists every operator with an '=' ranks before
/// every one without, and each two-byte operator is the byte before an '='. Else one pass over
/// the pair, in which the best rank so far is replaced only by a better one.
#[inline(always)]
fn split(pair: &[u8], (operators, ranks): (&[(&[u8], u32)], &Ranks)) -> Option<Split> {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const EQUALS: u64 = u64::from_ne_bytes([b'='; 8]);
    let (mut best, mut rank) = (0, NONE);
    let mut word_at = 0;
    while word_at < pair.len() && rank != 0 {
        let bytes = pair.get(word_at..).unwrap_or_default();
        // Zero padded: a NUL is no '='.
        let x = load_word(bytes.get(..8).unwrap_or(bytes)) ^ EQUALS;
        // The high bit of each byte that is '=' (that is zero in x), exactly.
        let mut equals = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
        while equals != 0 {
            let at = word_at + equals.trailing_zeros() as usize / 8;
            equals &= equals - 1;
            let before =
                at.checked_sub(1).and_then(|b| pair.get(b)).map_or(NONE, |&b| ranks.before_equals[usize::from(b)]);
            let (at, here) = if before != NONE { (at - 1, before) } else { (at, ranks.single[usize::from(b'=')]) };
            if here < rank {
                (best, rank) = (at, here);
                if rank == 0 {
                    break;
                }
            }
        }
        word_at += 8;
    }
    if rank == NONE {
        (best, rank) = split_without_equals(pair, ranks);
    }
    let &(token, op) = operators.get(usize::from(rank))?;
    Some(Split { at: best, len: token.len(), op })
}

/// [`split`]'s one pass for a pair without '=': the rank and offset of its best operator.
fn split_without_equals(pair: &[u8], ranks: &Ranks) -> (usize, u8) {
    let (mut best, mut rank) = (0, NONE);
    for (at, &b) in pair.iter().enumerate() {
        let here = ranks.single[usize::from(b)];
        if here < rank {
            (best, rank) = (at, here);
        }
    }
    (best, rank)
}

/// What a successful pair still needs from the caller's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added<'v> {
    /// Nothing: the field is in.
    Done,
    /// The field is in once this string is appended to `buf` (see [`super::append_text`]).
    Text(&'v [u8]),
}

/// A pair's outcome: where the caller's string was split (if an operator was found), and the
/// result: what is left to do, or the negative error number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome<T> {
    pub split: Option<Split>,
    pub result: Result<T, i32>,
    /// The errno the original leaves behind (from strtol, getpwnam, ...), if it sets one.
    pub errno: Option<i32>,
}

fn refused<T>(split: Option<Split>, error: i32) -> Outcome<T> {
    Outcome { split, result: Err(-error), errno: None }
}

/// What adding a field reads and changes besides the rule: the process-wide flags, the errno
/// the original leaves, the kernel's feature bitmap, and where diagnostics go.
struct Context<'c> {
    globals: &'c mut dyn State,
    errno: Option<i32>,
    /// Asked only when a check depends on the kernel (the C library probes the kernel once per
    /// process, at the first such check).
    features: &'c dyn Fn() -> u32,
    diag: &'c dyn Diagnostics,
    /// The release line whose checks apply.
    line: Line,
    /// The line's tables, which name things.
    tables: &'c Tables,
}

impl Context<'_> {
    fn kernel_has(&self, feature: u32) -> bool {
        (self.features)() & feature != 0
    }

    /// strtoul's value as the rule keeps it (the low 32 bits); an overflow leaves errno ERANGE.
    fn ul(&mut self, v: &[u8]) -> u32 {
        let parsed = strtoul(v, Base::Detect);
        if parsed.overflow {
            self.errno = Some(libc::ERANGE);
        }
        parsed.value as u32
    }

    /// strtol's value as the rule keeps it (the low 32 bits); an overflow leaves errno ERANGE.
    fn l(&mut self, v: &[u8]) -> u32 {
        let parsed = strtol(v, Base::Detect);
        if parsed.overflow {
            self.errno = Some(libc::ERANGE);
        }
        parsed.value as u32
    }
}

/// audit_rule_fieldpair_data on the fixed part of the rule. `flags` is the filter list.
/// `features` gives the kernel's feature bitmap (AUDIT_FEATURE_BITMAP_*), which some fields
/// and lists depend on; it is called only for those. `line` chooses the release whose checks
/// apply (they changed for the exclude list in 3.1 and for perm in 4.0).
#[allow(clippy::too_many_arguments)] // the C function's three, and what it reads besides
pub fn fieldpair<'p>(
    tables: &Tables,
    rule: &mut audit_rule_data,
    pair: &'p [u8],
    flags: i32,
    line: Line,
    globals: &mut dyn State,
    features: &dyn Fn() -> u32,
    diag: &dyn Diagnostics,
) -> Outcome<Added<'p>> {
    let Some(slot) = next_slot(rule) else {
        return refused(None, EAU_FIELDTOOMANY);
    };
    let Some(s) = split(pair, FIELD) else {
        return refused(None, EAU_OPMISSING);
    };
    let (Some(name), Some(value)) = (pair.get(..s.at), pair.get(s.at + s.len..)) else {
        return refused(None, EAU_OPMISSING);
    };
    let mut cx = Context { globals, errno: None, features, diag, line, tables };
    let result = if name.is_empty() {
        Err(-EAU_FIELDNAME)
    } else if value.is_empty() {
        Err(-EAU_FIELDVALMISSING)
    } else {
        match tables.name_to_field(name) {
            Some(field) if field >= 0 => {
                let field = Field { field: field as u32, op: s.op, text: value, list: flags };
                add_field(rule, slot, &field, &mut cx)
            }
            _ => Err(-EAU_FIELDUNKNOWN),
        }
    };
    Outcome { split: Some(s), result, errno: cx.errno }
}

/// One field being added: which, how compared, its value as written, and the filter list.
struct Field<'v> {
    field: u32,
    op: u32,
    text: &'v [u8],
    list: i32,
}

impl Field<'_> {
    fn exit_only(&self) -> Result<(), i32> {
        if self.list == AUDIT_FILTER_EXIT { Ok(()) } else { Err(-EAU_EXITONLY) }
    }

    fn equality_only(&self) -> Result<(), i32> {
        if equality(self.op) { Ok(()) } else { Err(-EAU_OPEQNOTEQ) }
    }
}

/// Which fields the exclude list takes when the kernel extends it beyond message types.
fn excludable(field: u32) -> bool {
    matches!(
        field,
        AUDIT_PID
            | AUDIT_UID
            | AUDIT_GID
            | AUDIT_LOGINUID
            | AUDIT_MSGTYPE
            | AUDIT_SUBJ_USER
            | AUDIT_SUBJ_ROLE
            | AUDIT_SUBJ_TYPE
            | AUDIT_SUBJ_SEN
            | AUDIT_SUBJ_CLR
            | AUDIT_EXE
    )
}

fn equality(op: u32) -> bool {
    op == AUDIT_EQUAL || op == AUDIT_NOT_EQUAL
}

/// Adds one field: the list's checks, then the field and operator written into the slot, then
/// the value read as its field reads it. A refused value leaves what was written so far.
#[inline(always)]
fn add_field<'v>(rule: &mut audit_rule_data, slot: usize, f: &Field<'v>, cx: &mut Context) -> Result<Added<'v>, i32> {
    list_takes(f, cx)?;
    // From here on the slot's field and operator stay written, even when the value is refused.
    rule.fields[slot] = f.field;
    rule.fieldflags[slot] = f.op;
    if f.field == AUDIT_PERM {
        // Also adds syscalls to the rule (4.0 on): the whole rule, not only the slot.
        rule.values[slot] = perm(f, rule, cx)?;
        rule.field_count += 1;
        return Ok(Added::Done);
    }
    let value = &mut rule.values[slot];
    let added = match f.field {
        AUDIT_UID | AUDIT_EUID | AUDIT_SUID | AUDIT_FSUID | AUDIT_LOGINUID | AUDIT_OBJ_UID => user(f, value, cx),
        AUDIT_GID | AUDIT_EGID | AUDIT_SGID | AUDIT_FSGID | AUDIT_OBJ_GID => group(f, value, cx),
        AUDIT_EXIT => exit_code(f, value, cx),
        AUDIT_MSGTYPE => msg_type(f, value, cx),
        AUDIT_OBJ_USER | AUDIT_OBJ_ROLE | AUDIT_OBJ_TYPE | AUDIT_OBJ_LEV_LOW | AUDIT_OBJ_LEV_HIGH | AUDIT_WATCH
        | AUDIT_DIR | AUDIT_SUBJ_USER | AUDIT_SUBJ_ROLE | AUDIT_SUBJ_TYPE | AUDIT_SUBJ_SEN | AUDIT_SUBJ_CLR
        | AUDIT_FILTERKEY | AUDIT_EXE => return text(f, value, cx),
        AUDIT_ARCH => arch(f, value, cx),
        AUDIT_FILETYPE => file_type(f, value, cx),
        AUDIT_FSTYPE => fs_type(f, value, cx),
        AUDIT_ARG0..=AUDIT_ARG3 => argument(f, value, cx),
        AUDIT_SESSIONID => session(f, value, cx),
        AUDIT_SADDR_FAM => address_family(f, value, cx),
        _ => number(f, value, cx),
    };
    added?;
    rule.field_count += 1;
    Ok(Added::Done)
}

/// Whether the filter list takes the field: before 3.1, the exclude list takes message types,
/// and more where the kernel extends it; from 3.1 on, those more where the kernel does not
/// extend it, and any field (each with its own checks) where it does. The fs list needs a
/// kernel that has it.
#[inline(always)]
fn list_takes(f: &Field, cx: &Context) -> Result<(), i32> {
    // The other lists take any field (cheapest first: most rules are for them).
    if f.list != AUDIT_FILTER_EXCLUDE && f.list != AUDIT_FILTER_FS {
        return Ok(());
    }
    list_conditions(f, cx)
}

/// [`list_takes`] for the exclude and fs lists.
fn list_conditions(f: &Field, cx: &Context) -> Result<(), i32> {
    if f.list == AUDIT_FILTER_EXCLUDE && cx.line >= Line::V3_1_2 {
        if !cx.kernel_has(AUDIT_FEATURE_BITMAP_EXCLUDE_EXTEND) && !excludable(f.field) {
            return Err(-EAU_MSGTYPECREDEXCLUDE);
        }
    } else if f.list == AUDIT_FILTER_EXCLUDE {
        if !cx.kernel_has(AUDIT_FEATURE_BITMAP_EXCLUDE_EXTEND) {
            if f.field != AUDIT_MSGTYPE {
                return Err(-EAU_FIELDNOSUPPORT);
            }
        } else if !excludable(f.field) {
            return Err(-EAU_MSGTYPECREDEXCLUDE);
        }
    }
    if f.list == AUDIT_FILTER_FS && !cx.kernel_has(AUDIT_FEATURE_BITMAP_FILTER_FS) {
        return Err(-EAU_FILTERNOSUPPORT);
    }
    Ok(())
}

/// A user id: a number, "-N", "unset", or a user name.
fn user(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    let v = f.text;
    *value = if starts_with_digit(v) {
        cx.ul(v)
    } else if is_negative_number(v) {
        cx.l(v)
    } else if v == b"unset" {
        u32::MAX
    } else {
        id_named(v, cx, "user", accounts::user)?
    };
    Ok(())
}

/// A user or group id by name, as `lookup` finds it, or the message that there is none (out of
/// line: numbers are the common case).
#[cold]
#[inline(never)]
fn id_named(
    v: &[u8],
    cx: &mut Context,
    kind: &str,
    lookup: fn(&[u8], &mut Option<i32>) -> Option<u32>,
) -> Result<u32, i32> {
    lookup(v, &mut cx.errno).ok_or_else(|| {
        cx.diag.report(Level::Error, format_args!("Unknown {kind}: {}", Lossy(v)));
        -EAU_PRINT_NOTHING
    })
}

/// A group id: a number or a group name.
fn group(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    let v = f.text;
    *value = if starts_with_digit(v) { cx.l(v) } else { id_named(v, cx, "group", accounts::group)? };
    Ok(())
}

/// A syscall's exit value: a number, or an errno name ("-NAME" for its negation).
fn exit_code(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    f.exit_only()?;
    let v = f.text;
    if starts_with_digit(v) || is_negative_number(v) {
        *value = cx.l(v);
    } else {
        *value = errno_named(v, cx.tables);
        if *value == 0 {
            return Err(-EAU_ERRUNKNOWN);
        }
    }
    Ok(())
}

/// An errno by name, 0 when unknown (out of line: numbers are the common case).
#[cold]
#[inline(never)]
fn errno_named(v: &[u8], tables: &Tables) -> u32 {
    tables.name_to_errno(v).unwrap_or(0) as u32
}

/// A record type, on the exclude and user lists: a number or a name.
fn msg_type(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    if f.list != AUDIT_FILTER_EXCLUDE && f.list != AUDIT_FILTER_USER {
        return Err(-EAU_MSGTYPEEXCLUDEUSER);
    }
    *value = if starts_with_digit(f.text) {
        cx.l(f.text)
    } else {
        // "UNKNOWN[n]" leaves errno 0, also when n is no record type.
        let t = cx.tables.msg_type_outcome(f.text);
        if t.errno.is_some() {
            cx.errno = t.errno;
        }
        if t.value <= 0 {
            return Err(-EAU_MSGTYPEUNKNOWN);
        }
        t.value as u32
    };
    Ok(())
}

/// A string field (security labels, paths, the key, the executable): its length is the value,
/// and the caller appends the text to the rule's buffer.
fn text<'v>(f: &Field<'v>, value: &mut u32, cx: &mut Context) -> Result<Added<'v>, i32> {
    let (field, v) = (f.field, f.text);
    let g = &mut *cx.globals;
    if matches!(
        field,
        AUDIT_OBJ_USER
            | AUDIT_OBJ_ROLE
            | AUDIT_OBJ_TYPE
            | AUDIT_OBJ_LEV_LOW
            | AUDIT_OBJ_LEV_HIGH
            | AUDIT_WATCH
            | AUDIT_DIR
    ) {
        f.exit_only()?;
        if field == AUDIT_WATCH || field == AUDIT_DIR {
            g.mark(Flag::Perm);
        }
    }
    if field == AUDIT_EXE {
        if (cx.features)() & AUDIT_FEATURE_BITMAP_EXECUTABLE_PATH == 0 {
            return Err(-EAU_FIELDNOSUPPORT);
        }
        if !equality(f.op) {
            return Err(-EAU_OPEQNOTEQ);
        }
        g.mark(Flag::Exe);
    }
    if field == AUDIT_FILTERKEY {
        if ![Flag::Syscall, Flag::Perm, Flag::Exe, Flag::FilterFs].into_iter().any(|flag| g.added(flag)) {
            return Err(-EAU_KEYDEP);
        }
        if v.len() > AUDIT_MAX_KEY_LEN {
            return Err(-EAU_STRTOOLONG);
        }
    }
    if v.len() > PATH_MAX {
        return Err(-EAU_STRTOOLONG);
    }
    *value = v.len() as u32;
    Ok(Added::Text(v))
}

/// The architecture, before any syscall: an ELF machine number, or what
/// audit_determine_machine makes of a name. It becomes the rule's machine (`elf`).
fn arch(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    if cx.globals.added(Flag::Syscall) {
        return Err(-EAU_ARCHMISPLACED);
    }
    f.equality_only()?;
    let v = f.text;
    if starts_with_digit(v) {
        // The global takes the number before it is known to be a machine.
        cx.errno = Some(0);
        let elf = cx.ul(v);
        cx.globals.set_elf(elf);
        if cx.errno != Some(0) || cx.tables.elf_to_machine(elf).is_none() {
            return Err(-EAU_ELFUNKNOWN);
        }
    } else {
        let machine = cx.tables.determine_machine_outcome(v);
        if machine.errno.is_some() {
            cx.errno = machine.errno;
        }
        match Some(machine.value).filter(|&m| m >= 0).and_then(|m| cx.tables.machine_to_elf(m)) {
            Some(elf) if elf != 0 => cx.globals.set_elf(elf),
            _ => return Err(-EAU_ELFUNKNOWN),
        }
    }
    *value = cx.globals.elf();
    cx.globals.mark(Flag::Arch);
    Ok(())
}

/// Watch permissions: up to four of r, w, x, a, on the exit list (from 3.1 on also the exclude
/// list). From 4.0 on each letter also adds its class's syscalls (see add_perm_syscalls), in
/// the order written; a failure there is -EAU_PERM_SYSCALL, with the bits set so far kept.
fn perm(f: &Field, rule: &mut audit_rule_data, cx: &mut Context) -> Result<u32, i32> {
    if !(f.list == AUDIT_FILTER_EXIT || (f.list == AUDIT_FILTER_EXCLUDE && cx.line >= Line::V3_1_2)) {
        return Err(-EAU_EXITONLY);
    }
    if f.op != AUDIT_EQUAL {
        return Err(-EAU_OPEQ);
    }
    if f.text.len() > 4 {
        return Err(-EAU_STRTOOLONG);
    }
    let mut perms = 0;
    for c in f.text {
        let perm = match c.to_ascii_lowercase() {
            b'r' => AUDIT_PERM_READ,
            b'w' => AUDIT_PERM_WRITE,
            b'x' => AUDIT_PERM_EXEC,
            b'a' => AUDIT_PERM_ATTR,
            _ => return Err(-EAU_PERMRWXA),
        };
        perms |= perm;
        if cx.line >= Line::V4_0_2 && add_perm_syscalls(cx.tables, rule, perm, cx.globals, cx.line, cx.diag) != 0 {
            return Err(-EAU_PERM_SYSCALL);
        }
    }
    Ok(perms)
}

/// A file type by name.
fn file_type(f: &Field, value: &mut u32, cx: &Context) -> Result<(), i32> {
    f.exit_only()?;
    *value = cx.tables.name_to_ftype(f.text).map_or(u32::MAX, |t| t as u32);
    if (*value as i32) < 0 {
        return Err(-EAU_FILETYPEUNKNOWN);
    }
    Ok(())
}

/// A file system type, on the fs list: a number or a name.
fn fs_type(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    if f.list != AUDIT_FILTER_FS {
        return Err(-EAU_FIELDUNAVAIL);
    }
    f.equality_only()?;
    *value = if starts_with_digit(f.text) {
        cx.ul(f.text)
    } else {
        cx.tables.name_to_fstype(f.text).map_or(u32::MAX, |t| t as u32)
    };
    if *value == u32::MAX {
        return Err(-EAU_FSTYPEUNKNOWN);
    }
    cx.globals.mark(Flag::FilterFs);
    Ok(())
}

/// A syscall argument: a number or "-N".
fn argument(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    *value = if starts_with_digit(f.text) {
        cx.ul(f.text)
    } else if is_negative_number(f.text) {
        cx.l(f.text)
    } else {
        return Err(-EAU_FIELDVALNUM);
    };
    Ok(())
}

/// A session id, where the kernel filters on it.
fn session(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    if !cx.kernel_has(AUDIT_FEATURE_BITMAP_SESSIONID_FILTER) {
        return Err(-EAU_FIELDNOSUPPORT);
    }
    if f.list != AUDIT_FILTER_EXCLUDE && f.list != AUDIT_FILTER_USER && f.list != AUDIT_FILTER_EXIT {
        return Err(-EAU_FIELDNOFILTER);
    }
    // Any other text leaves the slot's value as it was (the original accepts it).
    let v = f.text;
    if starts_with_digit(v) {
        *value = cx.ul(v);
    } else if is_negative_number(v) {
        *value = cx.l(v);
    } else if v == b"unset" {
        *value = u32::MAX;
    }
    Ok(())
}

/// A socket address family, below AF_MAX.
fn address_family(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    *value = cx.ul(f.text);
    if *value >= AF_MAX {
        return Err(-EAU_FIELDVALTOOBIG);
    }
    Ok(())
}

/// Any other field: a number (devices, inode, success, ppid, pid, personality...).
fn number(f: &Field, value: &mut u32, cx: &mut Context) -> Result<(), i32> {
    let field = f.field;
    if matches!(field, AUDIT_DEVMAJOR | AUDIT_DEVMINOR | AUDIT_INODE | AUDIT_SUCCESS) {
        f.exit_only()?;
    }
    if field == AUDIT_INODE && !equality(f.op) {
        return Err(-EAU_OPEQNOTEQ);
    }
    if field == AUDIT_PPID {
        f.exit_only()?;
    }
    if !starts_with_digit(f.text) {
        return Err(-EAU_FIELDVALNUM);
    }
    *value = if field == AUDIT_INODE { cx.ul(f.text) } else { cx.l(f.text) };
    Ok(())
}

/// The comparison between two process or object ids, in either order; None when the two
/// fields cannot be compared.
fn comparison(a: u32, b: u32) -> Option<u32> {
    const PAIRS: &[(u32, u32, u32)] = &[
        (AUDIT_UID, AUDIT_OBJ_UID, 1),
        (AUDIT_GID, AUDIT_OBJ_GID, 2),
        (AUDIT_EUID, AUDIT_OBJ_UID, 3),
        (AUDIT_EGID, AUDIT_OBJ_GID, 4),
        (AUDIT_LOGINUID, AUDIT_OBJ_UID, 5),
        (AUDIT_SUID, AUDIT_OBJ_UID, 6),
        (AUDIT_SGID, AUDIT_OBJ_GID, 7),
        (AUDIT_FSUID, AUDIT_OBJ_UID, 8),
        (AUDIT_FSGID, AUDIT_OBJ_GID, 9),
        (AUDIT_UID, AUDIT_LOGINUID, 10),
        (AUDIT_UID, AUDIT_EUID, 11),
        (AUDIT_UID, AUDIT_FSUID, 12),
        (AUDIT_UID, AUDIT_SUID, 13),
        (AUDIT_LOGINUID, AUDIT_FSUID, 14),
        (AUDIT_LOGINUID, AUDIT_SUID, 15),
        (AUDIT_LOGINUID, AUDIT_EUID, 16),
        (AUDIT_EUID, AUDIT_SUID, 17),
        (AUDIT_EUID, AUDIT_FSUID, 18),
        (AUDIT_SUID, AUDIT_FSUID, 19),
        (AUDIT_GID, AUDIT_EGID, 20),
        (AUDIT_GID, AUDIT_FSGID, 21),
        (AUDIT_GID, AUDIT_SGID, 22),
        (AUDIT_EGID, AUDIT_FSGID, 23),
        (AUDIT_EGID, AUDIT_SGID, 24),
        (AUDIT_SGID, AUDIT_FSGID, 25),
    ];
    PAIRS.iter().find(|&&(x, y, _)| (x, y) == (a, b) || (y, x) == (a, b)).map(|&(.., c)| c)
}

/// audit_rule_interfield_comp_data on the fixed part of the rule: "field=field" or
/// "field!=field", on the exit list only.
pub fn compare(tables: &Tables, rule: &mut audit_rule_data, pair: &[u8], flags: i32) -> Outcome<()> {
    let Some(slot) = next_slot(rule) else {
        return refused(None, EAU_FIELDTOOMANY);
    };
    let Some(s) = split(pair, COMPARE) else {
        return refused(None, EAU_OPEQNOTEQ);
    };
    let (Some(left), Some(right)) = (pair.get(..s.at), pair.get(s.at + s.len..)) else {
        return refused(None, EAU_OPEQNOTEQ);
    };
    let field = |name| tables.name_to_field(name).filter(|&f| f >= 0).map(|f| f as u32);
    let result = (|| {
        if left.is_empty() {
            return Err(-EAU_COMPFIELDNAME);
        }
        if right.is_empty() {
            return Err(-EAU_COMPVAL);
        }
        let a = field(left).ok_or(-EAU_COMPFIELDUNKNOWN)?;
        let b = field(right).ok_or(-EAU_COMPVALUNKNOWN)?;
        if flags != AUDIT_FILTER_EXIT {
            return Err(-EAU_EXITONLY);
        }
        rule.fields[slot] = AUDIT_FIELD_COMPARE;
        rule.fieldflags[slot] = s.op;
        rule.values[slot] = comparison(a, b).ok_or(-EAU_COMPINCOMPAT)?;
        rule.field_count += 1;
        Ok(())
    })();
    Outcome { split: Some(s), result, errno: None }
}

/// User and group names, as the local account databases know them.
mod accounts {
    use std::ffi::CStr;

    use crate::bytes::Bytes;

    /// getpwnam_r/getgrnam_r with a buffer grown until the entry fits. `errno` becomes what
    /// the original's getpwnam/getgrnam leaves: 0, or the lookup's error (ECONNREFUSED, which
    /// an LDAP backend may report, as ENOENT so that it is not taken for netlink's; ENOMEM
    /// when memory for the lookup is short).
    fn lookup<T>(
        name: &[u8],
        errno: &mut Option<i32>,
        call: impl Fn(&CStr, &mut T, &mut [libc::c_char], &mut *mut T) -> libc::c_int,
    ) -> Option<T> {
        *errno = Some(0);
        let mut c_name = Bytes::new();
        if c_name.push(name).and_then(|()| c_name.push_byte(0)).is_err() {
            *errno = Some(libc::ENOMEM);
            return None;
        }
        let name = CStr::from_bytes_with_nul(c_name.as_slice()).ok()?;
        // The databases are files and sockets, read at cancellation points: none may act
        // inside the rule builders (they run without a section of their own).
        let _no_cancellation = crate::cancel::Section::guard();
        let mut size = 1024;
        loop {
            let Ok(mut buf) = Bytes::zeroed(size) else {
                *errno = Some(libc::ENOMEM);
                return None;
            };
            // SAFETY: c_char and u8 have the same size and alignment; every byte is a valid
            // c_char.
            let buf = unsafe { &mut *(buf.as_mut_slice() as *mut [u8] as *mut [libc::c_char]) };
            // SAFETY: an all-zero passwd/group is a valid value to be overwritten.
            let mut entry: T = unsafe { std::mem::zeroed() };
            let mut found = std::ptr::null_mut();
            match call(name, &mut entry, buf, &mut found) {
                libc::ERANGE if size < 1 << 20 => size *= 4,
                0 if !found.is_null() => return Some(entry),
                0 => return None,
                e => {
                    *errno = Some(if e == libc::ECONNREFUSED { libc::ENOENT } else { e });
                    return None;
                }
            }
        }
    }

    pub(crate) fn user(name: &[u8], errno: &mut Option<i32>) -> Option<u32> {
        lookup(name, errno, |n, pw: &mut libc::passwd, buf, found| {
            // SAFETY: every pointer is valid for the call; buf's length is passed.
            unsafe { libc::getpwnam_r(n.as_ptr(), pw, buf.as_mut_ptr(), buf.len(), found) }
        })
        .map(|pw| pw.pw_uid)
    }

    pub(crate) fn group(name: &[u8], errno: &mut Option<i32>) -> Option<u32> {
        lookup(name, errno, |n, gr: &mut libc::group, buf, found| {
            // SAFETY: as above.
            unsafe { libc::getgrnam_r(n.as_ptr(), gr, buf.as_mut_ptr(), buf.len(), found) }
        })
        .map(|gr| gr.gr_gid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_found_in_the_original_order() {
        let at = |p: &[u8]| split(p, FIELD).map(|s| (s.at, s.len, s.op));
        assert_eq!(at(b"uid=0"), Some((3, 1, AUDIT_EQUAL)));
        assert_eq!(at(b"uid!=0"), Some((3, 2, AUDIT_NOT_EQUAL)));
        assert_eq!(at(b"a=b!=c"), Some((3, 2, AUDIT_NOT_EQUAL)));
        assert_eq!(at(b"a<b>=c"), Some((3, 2, AUDIT_GREATER_THAN_OR_EQUAL)));
        assert_eq!(at(b"a&b"), Some((1, 1, AUDIT_BIT_MASK)));
        assert_eq!(at(b"a&=b"), Some((1, 2, AUDIT_BIT_TEST)));
        assert_eq!(at(b"uid"), None);
        assert_eq!(at(b"a>b<c&d=e"), Some((7, 1, AUDIT_EQUAL)));
        assert_eq!(at(b"a=b&=c!=d"), Some((6, 2, AUDIT_NOT_EQUAL)));
        assert_eq!(at(b"a>b>=c<=d"), Some((3, 2, AUDIT_GREATER_THAN_OR_EQUAL)));
        assert_eq!(at(b"a<b<=c>=d"), Some((6, 2, AUDIT_GREATER_THAN_OR_EQUAL)));
        assert_eq!(at(b"=!="), Some((1, 2, AUDIT_NOT_EQUAL)));
        assert_eq!(at(b"!"), None);
        assert_eq!(split(b"a>b", COMPARE), None);
        assert_eq!(split(b"a=b!=c", COMPARE).map(|s| s.at), Some(3));
    }

    /// The one-pass search finds what strstr for each operator in turn finds, for every pair
    /// of up to six bytes over the operators' bytes and one other.
    #[test]
    fn one_pass_split_matches_the_search_per_operator() {
        let per_operator = |pair: &[u8], operators: &[(&[u8], u32)]| {
            operators.iter().find_map(|&(token, op)| {
                pair.windows(token.len()).position(|w| w == token).map(|at| Split { at, len: token.len(), op })
            })
        };
        let alphabet = b"a!<>&=";
        for len in 0..=6u32 {
            for n in 0..alphabet.len().pow(len) {
                let mut rest = n;
                let pair: Vec<u8> = (0..len)
                    .map(|_| {
                        let b = alphabet[rest % alphabet.len()];
                        rest /= alphabet.len();
                        b
                    })
                    .collect();
                for list in [FIELD, COMPARE] {
                    assert_eq!(split(&pair, list), per_operator(&pair, list.0), "{:?}", pair);
                }
            }
        }
        // Longer pairs, across the eight-byte words the '='s are found in: pseudo-random ones,
        // mostly of other bytes.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let len = 7 + (state >> 59) as usize;
            let pair: Vec<u8> = (0..len)
                .map(|i| {
                    let pick = (state >> (i % 56)) as usize % 16;
                    alphabet.get(pick).copied().unwrap_or(b'a' + pick as u8)
                })
                .collect();
            for list in [FIELD, COMPARE] {
                assert_eq!(split(&pair, list), per_operator(&pair, list.0), "{:?}", pair);
            }
        }
    }

    #[test]
    fn comparisons_are_symmetric_within_a_group() {
        assert_eq!(comparison(AUDIT_EUID, AUDIT_LOGINUID), Some(16));
        assert_eq!(comparison(AUDIT_LOGINUID, AUDIT_EUID), Some(16));
        assert_eq!(comparison(AUDIT_OBJ_GID, AUDIT_SGID), Some(7));
        assert_eq!(comparison(AUDIT_UID, AUDIT_UID), None);
        assert_eq!(comparison(AUDIT_UID, AUDIT_GID), None);
        assert_eq!(comparison(AUDIT_LOGINUID, AUDIT_GID), None);
    }

    #[test]
    fn root_resolves() {
        let mut errno = None;
        assert_eq!(accounts::user(b"root", &mut errno), Some(0));
        assert_eq!(accounts::group(b"root", &mut errno), Some(0));
        assert_eq!(accounts::user(b"no such user here", &mut errno), None);
        assert_eq!(errno, Some(0));
        assert_eq!(accounts::user(b"a\0b", &mut errno), None);
    }
}
