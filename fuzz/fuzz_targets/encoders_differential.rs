#![no_main]
//! fuzz/targets.rs's ENCODERS_DIFFERENTIAL under libFuzzer.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| (targets::ENCODERS_DIFFERENTIAL.run)(data));
