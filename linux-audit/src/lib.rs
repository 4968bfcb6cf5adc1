//! libaudit-rs: a memory-safe, drop-in replacement for Linux's libaudit.so.1.
//!
//! The safe core (`kernel`, `netlink`, `control`, `message`, `errormsg`) knows nothing of C; `ffi`
//! is the thin C ABI over it.

pub mod control;
pub mod errormsg;
pub mod ffi;
pub mod kernel;
pub mod logging;
pub mod message;
pub mod netlink;
pub mod rules;
pub mod tables;
