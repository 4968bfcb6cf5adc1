#![no_main]
//! fuzz/targets.rs's CONFIG_FILE under libFuzzer.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| (targets::CONFIG_FILE.run)(data));
