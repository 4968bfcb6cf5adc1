//! Coverage-free, deterministic fuzzing of everything in the library that reads bytes it did not
//! make. Each target gets a seed corpus of realistic inputs and a fixed number of mutated inputs
//! (bit flips, byte and length-field overwrites, truncation, growth, splices); a target fails by
//! panicking, and the failing input is printed in hex.
//!
//! The targets live in fuzz/targets.rs, shared with the coverage-guided cargo-fuzz crate (fuzz/):
//! where the installed original can answer the same question it is loaded beside ours (dlopen
//! with RTLD_DEEPBIND, so it binds to itself) and the answers must agree: differential fuzzing.
//! audit_get_reply's socket side is fuzzed differentially by c-tests/fuzz_get_reply.c.
//!
//! LIBAUDIT_FUZZ_ITERS (default 3000 per target) and LIBAUDIT_FUZZ_SEED (default 1) set the run;
//! docs/reliability.md records the long runs. A new target: a `Target` in fuzz/targets.rs, listed
//! in TARGETS, a #[test] here, a file in fuzz/fuzz_targets/ and its seeds under fuzz/corpus/.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

#[path = "../fuzz/targets.rs"]
mod targets;

use targets::Target;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Values that sit on the edges of length and type checks.
const EDGES: [u32; 12] = [0, 1, 15, 16, 17, 20, 36, 8970, 8988, 8989, 0x7fff_ffff, u32::MAX];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>], max_len: usize) {
    for _ in 0..1 + rng.below(4) {
        match rng.below(7) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] ^= 1 << rng.below(8);
            }
            1 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] = rng.next() as u8;
            }
            2 if input.len() >= 4 => {
                // An edge value over a 32-bit word (the length fields live at word offsets).
                let i = rng.below(input.len() / 4) * 4;
                input[i..i + 4].copy_from_slice(&EDGES[rng.below(EDGES.len())].to_ne_bytes());
            }
            3 => input.truncate(rng.below(input.len() + 1)),
            4 => {
                let n = rng.below(64);
                input.extend((0..n).map(|_| rng.next() as u8));
            }
            5 => {
                let other = &corpus[rng.below(corpus.len())];
                let at = rng.below(input.len() + 1);
                let from = rng.below(other.len() + 1);
                input.truncate(at);
                input.extend_from_slice(&other[from..]);
            }
            _ => {
                let n = [0, 15, 16, 17, 8987, 8988, 9100][rng.below(7)];
                input.resize(n, rng.next() as u8);
            }
        }
    }
    input.truncate(max_len);
}

/// Runs `target` on every seed, then on mutated inputs, panicking with the input on failure.
fn fuzz(name: &str, seeds: Vec<Vec<u8>>, max_len: usize, mut target: impl FnMut(&[u8])) {
    let iterations = env_number("LIBAUDIT_FUZZ_ITERS", 3000);
    let mut rng = Rng(env_number("LIBAUDIT_FUZZ_SEED", 1) ^ 0x9e37_79b9_7f4a_7c15);
    let mut run = |input: &[u8]| {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| target(input))) {
            eprintln!("fuzz {name}: failing input ({} bytes): {}", input.len(), hex(input));
            resume_unwind(panic);
        }
    };
    for seed in &seeds {
        run(seed);
    }
    for _ in 0..iterations {
        let mut input = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &mut input, &seeds, max_len);
        run(&input);
    }
    eprintln!("fuzz {name}: {} seeds + {iterations} mutated inputs", seeds.len());
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn run(target: &Target) {
    fuzz(target.name, (target.seeds)(), target.max_len, target.run);
}

#[test]
fn reply_parsing() {
    run(&targets::REPLY_PARSING);
}

#[test]
fn ack_wait_bookkeeping() {
    run(&targets::ACK_WAIT_BOOKKEEPING);
}

#[test]
fn ack_wait_scripted() {
    run(&targets::ACK_WAIT_SCRIPTED);
}

#[test]
fn signal_info_format_differential() {
    run(&targets::SIGNAL_INFO_FORMAT_DIFFERENTIAL);
}

#[test]
fn config_file() {
    run(&targets::CONFIG_FILE);
    let _ = std::fs::remove_file(targets::config_path());
}

#[test]
fn encoders_differential() {
    run(&targets::ENCODERS_DIFFERENTIAL);
}

#[test]
fn name_lookups_differential() {
    run(&targets::NAME_LOOKUPS_DIFFERENTIAL);
}

#[test]
fn rule_pairs_differential() {
    run(&targets::RULE_PAIRS_DIFFERENTIAL);
}

/// Writes each target's seeds to fuzz/corpus/NAME/ (committed: cargo-fuzz starts from them).
/// `cargo test --test fuzz -- --ignored write_seed_corpora` after changing seeds.
#[test]
#[ignore]
fn write_seed_corpora() {
    for target in targets::TARGETS {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target.name);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, seed) in (target.seeds)().iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:02}")), seed).unwrap();
        }
    }
}
