#![no_main]
//! fuzz/targets.rs's RULE_PAIRS_DIFFERENTIAL under libFuzzer.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| (targets::RULE_PAIRS_DIFFERENTIAL.run)(data));
