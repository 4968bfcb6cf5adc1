//! Keeps the benchmark suite from rotting: builds bench/driver.c and runs every benchmark for a
//! few iterations against both libraries. Asserts that each run works and reports a measurement
//! (or, for ours, that the function is not exported yet); never anything about timing.

mod common;
#[path = "../bench/rig.rs"]
mod rig;

use rig::Outcome;

#[test]
fn every_benchmark_runs_against_both_libraries() {
    let driver = rig::compile_driver(&common::repo(), &common::work_dir().join("bench-smoke"));
    let ours = common::ours();
    // The driver sends user messages: they must not land in another test's capture of records.
    let _lock = common::kernel_lock();
    for bench in rig::BENCHES.iter().map(|s| s.bench) {
        let libs: &[Option<&std::path::Path>] = if rig::library_free(bench) { &[None] } else { &[None, Some(ours)] };
        for &lib in libs {
            let outcome = rig::run(rig::driver(&driver, lib, bench, 3, None)).unwrap();
            match outcome {
                Outcome::Measured { iters, warmup, ns, lib: path, .. } => {
                    assert_eq!((iters, warmup), (3, 3), "{bench}");
                    assert!(ns > 0, "{bench}");
                    if !rig::library_free(bench) {
                        assert_eq!(path.contains("/target/it/ours/"), lib.is_some(), "{bench} loaded {path}");
                    }
                }
                Outcome::Missing(symbol) => {
                    assert!(lib.is_some(), "the system library lacks {symbol}");
                    assert!(symbol.starts_with("audit_"), "{bench}: {symbol}");
                }
            }
        }
    }
}

/// The private dirty memory benchmark finds the library's mappings in /proc/self/smaps: some of
/// its pages are always dirtied (relocation, the data the library writes).
#[test]
fn private_dirty_memory_is_measured_for_both_libraries() {
    let driver = rig::compile_driver(&common::repo(), &common::work_dir().join("bench-smoke-dirty"));
    let _lock = common::kernel_lock();
    for lib in [None, Some(common::ours())] {
        let line = rig::run_line(rig::driver(&driver, lib, "dirty", 1, None)).unwrap();
        let kb = |key: &str| -> u64 {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
                .unwrap_or_else(|| panic!("no {key} in {line:?}"))
        };
        assert!(kb("dirty_kb") >= 4 && kb("anon_kb") >= 4, "{line}");
        assert!(kb("rw_kb") <= kb("dirty_kb"), "{line}");
    }
}
