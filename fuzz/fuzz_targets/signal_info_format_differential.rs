#![no_main]
//! fuzz/targets.rs's SIGNAL_INFO_FORMAT_DIFFERENTIAL under libFuzzer.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| (targets::SIGNAL_INFO_FORMAT_DIFFERENTIAL.run)(data));
