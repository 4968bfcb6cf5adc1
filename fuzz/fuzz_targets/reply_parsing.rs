#![no_main]
//! fuzz/targets.rs's REPLY_PARSING under libFuzzer.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| (targets::REPLY_PARSING.run)(data));
