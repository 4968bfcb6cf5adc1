//! Compiles cancel.c: the core's blocking waits as cancellation points for C callers, which
//! stable Rust cannot write (it needs setjmp; see src/cancel.rs).
fn main() {
    println!("cargo:rerun-if-changed=src/cancel.c");
    cc::Build::new().file("src/cancel.c").warnings(true).extra_warnings(true).compile("linux_audit_cancel");
}
