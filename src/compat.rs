//! The upstream release line this build of libaudit.so.1 reproduces, chosen at build time
//! (build.rs: `LIBAUDIT_COMPAT=<line>`, else the installed libaudit's line, else the newest).
//! Every export whose behaviour differs between lines asks [`LINE`]; being a constant, the
//! other lines' code and tables are not linked.

include!(concat!(env!("OUT_DIR"), "/line.rs"));
