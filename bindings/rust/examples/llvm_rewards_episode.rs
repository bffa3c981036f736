// SPDX-License-Identifier: MIT
//! The cross-language reward episode: llvm-v0 in this process on
//! benchmark://cgym-v0/fibonacci, ten passes, the twelve cost rewards of each step printed as
//! `<step>\t<action>\t<reward>\t<16 hex digits of the double's bits>`, one line per reward
//! (120 lines). Every binding prints exactly the same lines, so their outputs can be compared
//! byte for byte. Errors go to stderr, with exit status 1.
//!
//! Run: `cargo run -q --example llvm_rewards_episode` (from bindings/rust).
use std::io::Write;
use std::process::ExitCode;

use cgym::{Event, Options, Spaces};

const BENCHMARK: &str = "benchmark://cgym-v0/fibonacci";
const ACTIONS: [&str; 10] = [
    "-mem2reg",
    "-sroa",
    "-instcombine",
    "-simplifycfg",
    "-gvn",
    "-licm",
    "-loop-unroll",
    "-inline",
    "-dce",
    "-globaldce",
];
const REWARDS: [&str; 12] = [
    "IrInstructionCount",
    "IrInstructionCountNorm",
    "IrInstructionCountO3",
    "IrInstructionCountOz",
    "ObjectTextSizeBytes",
    "ObjectTextSizeNorm",
    "ObjectTextSizeO3",
    "ObjectTextSizeOz",
    "TextSizeBytes",
    "TextSizeNorm",
    "TextSizeO3",
    "TextSizeOz",
];

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = Options::new().benchmark(BENCHMARK);
    let mut env = cgym::make("llvm-v0", Some("inproc"), Some(&options))?;
    env.reset()?;
    let space = env
        .action_space()?
        .ok_or("the environment has no action space")?;
    let names = space.names().ok_or("the action space has no names")?;
    let mut out = std::io::stdout().lock();
    for (step, action) in ACTIONS.iter().enumerate() {
        let index = names
            .iter()
            .position(|n| n == action)
            .ok_or_else(|| format!("unknown action {action}"))?;
        let result = env.step_with(
            &[Event::Int64(index as i64)],
            Spaces::Named(&[]),
            Spaces::Named(&REWARDS),
            None,
        )?;
        if let Some((kind, details)) = &result.error {
            return Err(format!("step {} ({action}) failed: {kind}: {details}", step + 1).into());
        }
        if result.rewards.len() != REWARDS.len() {
            return Err(format!(
                "step {} ({action}): {} rewards, expected {}",
                step + 1,
                result.rewards.len(),
                REWARDS.len()
            )
            .into());
        }
        for (name, reward) in REWARDS.iter().zip(&result.rewards) {
            writeln!(
                out,
                "{}\t{action}\t{name}\t{:016x}",
                step + 1,
                reward.to_bits()
            )?;
        }
    }
    out.flush()?;
    env.close()?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("llvm_rewards_episode: {error}");
            ExitCode::FAILURE
        }
    }
}
