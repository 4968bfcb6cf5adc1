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
//! State of the API (0.1): [`Socket`] (status and settings), [`Status`], [`UserMessage`],
//! [`UserCommand`], [`AcctMessage`], [`Error`], [`login_uid`], [`session_id`], [`has_capability`],
//! [`wire`] (the kernel's structures and constants) and [`diag`] are the API. The other
//! modules are the building blocks of the C library and still speak its conventions (return
//! codes, errno values, raw descriptors); the rest of the API (features, signal info, the
//! other records, rules) is to be built over them, and they will then become private. Items marked hidden are
//! public only for the integration tests.

mod error;
mod identity;
mod records;
mod socket;

pub use error::Error;
pub use identity::{Capability, has_capability, login_uid, session_id};
pub use records::{Account, AcctMessage, Terminal, UserCommand, UserMessage};
pub use socket::{Enabled, FailureMode, Socket, Status};

pub mod cancel;
pub mod control;
pub mod diag;
pub mod errormsg;
mod line;
pub mod logging;
pub mod netlink;
pub mod num;
pub mod rules;
#[cfg(feature = "scripted-socket")]
pub mod script;
pub mod sys;
pub mod tables;
pub mod wire;

pub use line::{Line, UnknownLine};
