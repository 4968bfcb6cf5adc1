//! Linux's audit subsystem from Rust: the safe core of libaudit-rs.
//!
//! It talks to the kernel over `NETLINK_AUDIT` (requests and their ACKs, replies), reads and
//! changes the audit status and settings, writes the user-space records programs such as login,
//! sudo or shadow's tools send (byte for byte as Linux's libaudit does), builds rules, and holds
//! the name/number tables. It knows nothing of C: the `libaudit-rs` crate is the C library
//! (`libaudit.so.1`) built over it.
//!
//! ```no_run
//! use linux_audit::{Socket, Terminal, UserCommand};
//!
//! let audit = Socket::open()?;
//! // What sudo logs for a command it ran (needs CAP_AUDIT_WRITE).
//! match UserCommand::new("/usr/bin/id -u").terminal(Terminal::Named(b"pts/0")).send(&audit) {
//!     Ok(_) => {}
//!     Err(e) if e.audit_unavailable() => {} // no audit in this kernel: nothing to record
//!     Err(e) => return Err(e.into()),
//! }
//! println!("{:?}", audit.status()?.enabled); // needs CAP_AUDIT_CONTROL
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Nothing here prints: what the library has to say about events it recovers from (a spoofed
//! datagram, a host name that does not resolve) goes to the [`diag::Diagnostics`] given to
//! [`Socket::with_diagnostics`]. Nothing here keeps global state a caller depends on: a
//! [`Socket`] is a descriptor and the state of its requests.
//!
//! # A guide
//!
//! - **Connecting**: [`Socket::open`] needs no privilege; each request says what it needs.
//!   Every call returns [`Error`]: [`Error::Os`] with the kernel's errno (EPERM without the
//!   capability, ECONNREFUSED where the kernel has no audit: see [`Error::audit_unavailable`]),
//!   [`Error::NoAnswer`], or [`Error::Rule`] with libaudit's number and message.
//! - **Records** (CAP_AUDIT_WRITE): [`UserMessage`] (and its comm= form), [`AcctMessage`],
//!   [`SemanageMessage`], [`UserCommand`], builders whose `send` writes the same bytes as the C
//!   library's `audit_log_*` functions.
//! - **Status and settings** (CAP_AUDIT_CONTROL): [`Socket::status`], the `Socket::set_*`
//!   calls, [`Socket::features`] and [`Socket::set_feature`], [`Socket::signal_info`].
//! - **Rules** (CAP_AUDIT_CONTROL): build a [`Rule`] from fields and operators or auditctl's
//!   pairs, syscalls, watches and a key; then [`Socket::add_rule`], [`Socket::delete_rule`],
//!   [`Socket::rules`]. Rules read back from the kernel compare equal to the ones added.
//!
//! ```
//! use linux_audit::{Action, List, Rule};
//!
//! // auditctl -a always,exit -F arch=b64 -S openat -F auid>=1000 -k opens
//! let rule = Rule::new(List::Exit, Action::Always)
//!     .field("arch=b64")?
//!     .syscall("openat")?
//!     .field("auid>=1000")?
//!     .key("opens")?;
//! assert_eq!(rule.list(), Some(List::Exit));
//! # Ok::<(), linux_audit::Error>(())
//! ```
//!
//! - **The process**: [`login_uid`], [`session_id`], [`set_login_uid`], [`has_capability`].
//! - **Names and numbers** (syscalls, fields, record types, errnos, machines): [`names`].
//! - **The kernel's structures and constants**: [`wire`]; **diagnostics**: [`diag`].
//!
//! The release line of the C library whose tables name things is a [`Line`], passed
//! explicitly ([`Rule::with_line`]); there is no global setting.

mod error;
mod features;
mod identity;
pub mod names;
mod records;
mod rule;
mod socket;

pub use error::Error;
pub use features::{Feature, Features, SignalInfo, set_login_uid};
pub use identity::{Capability, has_capability, login_uid, session_id};
pub use names::Machine;
pub use records::{Account, AcctMessage, SeRoles, SemanageMessage, Terminal, UserAvc, UserCommand, UserMessage};
pub use rule::{Action, List, Operator, Rule};
pub use socket::{Enabled, FailureMode, Socket, Status};

#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod bytes;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod cancel;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod control;
pub mod diag;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod errormsg;
mod line;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod logging;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod netlink;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod num;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod rules;
// Under Miri the script stands in for every socket (sys.rs): Miri cannot make those system calls.
#[cfg(any(feature = "scripted-socket", miri))]
pub mod script;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod sys;
#[doc(hidden)] // the C face's building blocks (C conventions), not API
pub mod tables;
pub mod wire;

pub use line::{Line, UnknownLine};
