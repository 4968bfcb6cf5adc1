#![no_main]
//! fuzz/targets.rs's NAME_LOOKUPS_DIFFERENTIAL under libFuzzer.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| (targets::NAME_LOOKUPS_DIFFERENTIAL.run)(data));
