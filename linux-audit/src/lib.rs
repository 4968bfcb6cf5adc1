//! Linux's audit subsystem from Rust: the safe core of libaudit-rs.
//!
//! It talks to the kernel over `NETLINK_AUDIT` (requests and their ACKs, replies), reads and
//! changes the audit status and settings, writes the user-space records programs such as login,
//! sudo or shadow's tools send (byte for byte as Linux's libaudit does), builds rules, and holds
//! the name/number tables. It knows nothing of C: the `libaudit-rs` crate is the C library
//! (`libaudit.so.1`) built over it.
//!
//! What the library has to say about events it recovers from (a spoofed datagram, a config
//! file it skips) goes to the [`diag::Diagnostics`] the caller passes in; it prints nothing.
//!
//! State of the API (0.1): [`wire`] (the kernel's structures and constants) and [`diag`] are
//! meant to stay. The other modules are the building blocks of the C library and still speak
//! its conventions (return codes, errno values, raw descriptors); the idiomatic API (an owned
//! socket, an error enum, typed status and settings, record builders, `Rule`) is to be built
//! over them, and they will then become private. Items marked hidden are public only for the
//! integration tests.

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
