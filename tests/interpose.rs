//! The audit_log_* functions reach audit_send through the dynamic symbol, as the original's do
//! (docs/deviations.md L6): our library calls its own export through a GOT entry that the dynamic
//! linker fills, not bound to our definition at link time (no -Bsymbolic, the symbol global).
//! c-tests/logging_interpose.c (run by tests/c_conformance.rs) shows the effect: a program's own
//! audit_send receives the records, on the original and on ours alike.

mod common;

use std::process::Command;

#[test]
fn audit_send_is_called_through_a_dynamic_relocation() {
    let library = common::ours().join("libaudit.so.1");
    let out = Command::new("readelf").arg("-rW").arg(&library).output().expect("readelf");
    assert!(out.status.success());
    let relocations = String::from_utf8_lossy(&out.stdout);
    // A GOT entry (R_X86_64_GLOB_DAT: rustc calls through the GOT, no PLT) or a PLT slot.
    let through_symbol = relocations.lines().any(|l| {
        let fields: Vec<&str> = l.split_whitespace().collect();
        fields.iter().any(|f| *f == "R_X86_64_GLOB_DAT" || *f == "R_X86_64_JUMP_SLOT") && fields.contains(&"audit_send")
    });
    assert!(through_symbol, "no dynamic relocation for audit_send in {}:\n{relocations}", library.display());
    let dynamic = Command::new("readelf").arg("-dW").arg(&library).output().expect("readelf");
    let dynamic = String::from_utf8_lossy(&dynamic.stdout);
    assert!(!dynamic.contains("SYMBOLIC"), "linked with -Bsymbolic: internal calls bind locally");
}
