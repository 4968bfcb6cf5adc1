#![no_main]
//! fuzz/targets.rs's ACK_WAIT_SCRIPTED under libFuzzer.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| (targets::ACK_WAIT_SCRIPTED.run)(data));
