//! libaudit's own error numbers (returned negated by rule building and a few controls), and the
//! messages audit_number_to_errmsg prints for them.

use crate::Line;

pub(crate) const EAU_OPMISSING: i32 = 1;
pub(crate) const EAU_FIELDUNKNOWN: i32 = 2;
pub(crate) const EAU_ARCHMISPLACED: i32 = 3;
pub(crate) const EAU_ARCHUNKNOWN: i32 = 4;
pub(crate) const EAU_ELFUNKNOWN: i32 = 5;
pub(crate) const EAU_ARCHNOBIT: i32 = 6;
pub(crate) const EAU_EXITONLY: i32 = 7;
pub(crate) const EAU_MSGTYPEUNKNOWN: i32 = 8;
pub(crate) const EAU_MSGTYPEEXCLUDEUSER: i32 = 9;
pub(crate) const EAU_UPGRADEFAIL: i32 = 10;
pub(crate) const EAU_STRTOOLONG: i32 = 11;
pub(crate) const EAU_MSGTYPECREDEXCLUDE: i32 = 12;
pub(crate) const EAU_OPEQNOTEQ: i32 = 13;
pub(crate) const EAU_PERMRWXA: i32 = 14;
pub(crate) const EAU_ERRUNKNOWN: i32 = 15;
pub(crate) const EAU_FILETYPEUNKNOWN: i32 = 16;
pub(crate) const EAU_EXITENTRYONLY: i32 = 17;
pub(crate) const EAU_KEYDEP: i32 = 19;
pub(crate) const EAU_FIELDVALMISSING: i32 = 20;
pub(crate) const EAU_FIELDVALNUM: i32 = 21;
pub(crate) const EAU_FIELDNAME: i32 = 22;
pub(crate) const EAU_COMPFIELDNAME: i32 = 24;
pub(crate) const EAU_COMPVAL: i32 = 25;
pub(crate) const EAU_COMPFIELDUNKNOWN: i32 = 26;
pub(crate) const EAU_COMPVALUNKNOWN: i32 = 27;
pub(crate) const EAU_FIELDTOOMANY: i32 = 28;
pub(crate) const EAU_OPEQ: i32 = 29;
pub const EAU_FIELDNOSUPPORT: i32 = 30;
pub(crate) const EAU_FIELDNOFILTER: i32 = 31;
pub const EAU_FILTERMISSING: i32 = 32;
pub(crate) const EAU_COMPINCOMPAT: i32 = 33;
pub(crate) const EAU_FIELDUNAVAIL: i32 = 34;
pub(crate) const EAU_FILTERNOSUPPORT: i32 = 35;
pub(crate) const EAU_FSTYPEUNKNOWN: i32 = 36;
pub(crate) const EAU_FIELDVALTOOBIG: i32 = 37;
pub(crate) const EAU_PRINT_NOTHING: i32 = 38;
/// 4.0 and later: a perm field's syscalls (with an arch) could not be added.
pub(crate) const EAU_PERM_SYSCALL: i32 = 39;

/// Where the caller's option text goes around the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Alone,
    Before,
    After,
    Silent,
}

/// (error number as returned, i.e. negative; placement of the option; text). Numbers 18 and 23
/// are retired but still known (they print the option and an empty message).
const MESSAGES: &[(i32, Place, &str)] = &[
    (-EAU_OPMISSING, Place::After, "-F missing operation for"),
    (-EAU_FIELDUNKNOWN, Place::After, "-F unknown field:"),
    (-EAU_ARCHMISPLACED, Place::Before, "must be before -S"),
    (-EAU_ARCHUNKNOWN, Place::Before, "machine type not found"),
    (-EAU_ELFUNKNOWN, Place::Before, "elf mapping not found"),
    (-EAU_ARCHNOBIT, Place::Before, "requested bit level not supported by machine"),
    (-EAU_EXITONLY, Place::Before, "can only be used with exit filter list"),
    (-EAU_MSGTYPEUNKNOWN, Place::After, "-F unknown message type -"),
    (-EAU_MSGTYPEEXCLUDEUSER, Place::Alone, "msgtype field can only be used with exclude or user filter list"),
    (-EAU_UPGRADEFAIL, Place::Alone, "Failed upgrading rule"),
    (-EAU_STRTOOLONG, Place::Alone, "String value too long"),
    (
        -EAU_MSGTYPECREDEXCLUDE,
        Place::Alone,
        "Only msgtype, *uid, *gid, pid, and subj* fields can be used with exclude filter",
    ),
    (-EAU_OPEQNOTEQ, Place::Before, "only takes = or != operators"),
    (-EAU_PERMRWXA, Place::Alone, "Permission can only contain  'rwxa'"),
    (-EAU_ERRUNKNOWN, Place::After, "-F unknown errno -"),
    (-EAU_FILETYPEUNKNOWN, Place::After, "-F unknown file type - "),
    (-EAU_EXITENTRYONLY, Place::Before, "can only be used with exit and entry filter list"),
    (-18, Place::Before, ""),
    (-EAU_KEYDEP, Place::Alone, "Key field needs a watch, syscall or exe path given prior to it"),
    (-EAU_FIELDVALMISSING, Place::After, "-F missing value after operation for"),
    (-EAU_FIELDVALNUM, Place::After, "-F value should be number for"),
    (-EAU_FIELDNAME, Place::After, "-F missing field name before operator for"),
    (-23, Place::After, ""),
    (-EAU_COMPFIELDNAME, Place::After, "-C missing field name before operator for"),
    (-EAU_COMPVAL, Place::After, "-C missing value after operation for "),
    (-EAU_COMPFIELDUNKNOWN, Place::After, "-C unknown field:"),
    (-EAU_COMPVALUNKNOWN, Place::After, "-C unknown right hand value for comparison with:"),
    (-EAU_FIELDTOOMANY, Place::After, "Too many fields in rule:"),
    (-EAU_OPEQ, Place::Before, "only takes = operator"),
    (-EAU_FIELDNOSUPPORT, Place::After, "Field option not supported by kernel:"),
    (-EAU_FIELDNOFILTER, Place::Before, "must be used with exclude, user, or exit filter"),
    (-EAU_FILTERMISSING, Place::Alone, "filter is missing from rule"),
    (-EAU_COMPINCOMPAT, Place::After, "-C incompatible comparison"),
    (-EAU_FIELDUNAVAIL, Place::Before, "field is not valid for the filter"),
    (-EAU_FILTERNOSUPPORT, Place::Before, "filter is not supported by the kernel"),
    (-EAU_FSTYPEUNKNOWN, Place::After, "file system type is unknown for field:"),
    (-EAU_FIELDVALTOOBIG, Place::After, "value is too large for field:"),
    (-EAU_PRINT_NOTHING, Place::Silent, ""),
    (-EAU_PERM_SYSCALL, Place::Alone, "Error adding syscalls for perm filtering"),
];

/// The line audit_number_to_errmsg prints to stderr (without its newline), if any, in pieces
/// to be written one after another (the caller's text is not copied). `option` is the caller's
/// text as bytes. -EAU_PERM_SYSCALL has a message from 4.0 on.
pub fn line(errnumber: i32, option: &[u8], release: Line) -> Option<[&[u8]; 3]> {
    if errnumber == -EAU_PERM_SYSCALL && release < Line::V4_0_2 {
        return None;
    }
    let &(_, place, text) = MESSAGES.iter().find(|m| m.0 == errnumber)?;
    match place {
        Place::Alone => Some([text.as_bytes(), b"", b""]),
        Place::Before => Some([option, b" ", text.as_bytes()]),
        Place::After => Some([text.as_bytes(), b" ", option]),
        Place::Silent => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::Line;

    fn line(errnumber: i32, option: Option<&[u8]>) -> Option<Vec<u8>> {
        super::line(errnumber, option.expect("text"), Line::NEWEST).map(|pieces| pieces.concat())
    }

    #[test]
    fn perm_syscall_has_a_message_from_4_0() {
        assert_eq!(super::line(-39, b"x", Line::V3_1_2), None);
        let text = super::line(-39, b"x", Line::V4_0_2).map(|p| p.concat());
        assert_eq!(text.unwrap(), b"Error adding syscalls for perm filtering");
    }

    #[test]
    fn places_the_option() {
        assert_eq!(line(-2, Some(b"foo")).unwrap(), b"-F unknown field: foo");
        assert_eq!(line(-3, Some(b"-F arch=b64")).unwrap(), b"-F arch=b64 must be before -S");
        assert_eq!(line(-11, Some(b"x")).unwrap(), b"String value too long");
        assert_eq!(line(-38, Some(b"x")), None);
        assert_eq!(line(-99, Some(b"x")), None);
        assert_eq!(line(2, Some(b"x")), None);
    }
}
