// SPDX-License-Identifier: MIT
//! A greedy search for a short pass sequence on llvm-ic-v0, in this process: at each step it
//! tries every pass on a fork of the environment, keeps the one with the best
//! IrInstructionCountOz reward, and stops when no pass shrinks the program any more (or after
//! the step limit). It prints the best commandline and its ratio to -Oz: the episode's summed
//! IrInstructionCountOz reward, where 1.0 is as good as -Oz and more is better.
//!
//! Run (from bindings/rust): `cargo run -q --example llvm_search [-- BENCHMARK [MAX_STEPS]]`,
//! e.g. `cargo run -q --example llvm_search -- benchmark://cgym-v0/sorting 6`. Defaults:
//! benchmark://cgym-v0/fibonacci, 20 steps. The search is deterministic: ties go to the first
//! pass of the action space.
use std::process::ExitCode;

use cgym::{Env, Options};

const DEFAULT_BENCHMARK: &str = "benchmark://cgym-v0/fibonacci";
const DEFAULT_MAX_STEPS: usize = 20;

/// The pass with the best reward when applied now, if any improves the program.
fn best_next_pass(env: &mut Env, actions: usize) -> cgym::Result<Option<(usize, f64)>> {
    let mut best: Option<(usize, f64)> = None;
    for action in 0..actions {
        // A fork is an independent copy of the episode: try the pass there.
        let mut fork = env.fork()?;
        let result = fork.step(action as i64)?;
        if result.error.is_some() || result.rewards.is_empty() {
            continue; // the pass failed on this program: not a candidate
        }
        let reward = result.rewards[0];
        if reward > 0.0 && best.is_none_or(|(_, r)| reward > r) {
            best = Some((action, reward));
        }
    }
    Ok(best)
}

fn run(benchmark: &str, max_steps: usize) -> Result<(), Box<dyn std::error::Error>> {
    let options = Options::new().benchmark(benchmark);
    let mut env = cgym::make("llvm-ic-v0", Some("inproc"), Some(&options))?;
    env.reset()?;
    let names = env
        .action_space()?
        .and_then(|space| space.names().map(<[String]>::to_vec))
        .ok_or("the environment has no named actions")?;
    let start = env.observe_f64("IrInstructionCount")?;
    let oz = env.observe_f64("IrInstructionCountOz")?;

    println!("benchmark: {benchmark}");
    let mut passes = Vec::new();
    while passes.len() < max_steps {
        let Some((action, reward)) = best_next_pass(&mut env, names.len())? else {
            break;
        };
        let result = env.step(action as i64)?;
        if let Some((kind, details)) = result.error {
            return Err(format!("{}: {kind}: {details}", names[action]).into());
        }
        passes.push(names[action].as_str());
        println!(
            "step {}: {} (reward {reward:.4})",
            passes.len(),
            names[action]
        );
    }

    let end = env.observe_f64("IrInstructionCount")?;
    let ratio = env.episode_reward().unwrap_or(0.0);
    println!(
        "best commandline: opt {}{}input.bc -o output.bc",
        passes.join(" "),
        if passes.is_empty() { "" } else { " " }
    );
    println!("IR instructions: {start} -> {end} (-Oz: {oz})");
    println!("ratio to -Oz: {ratio:.4}");
    env.close()?;
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let benchmark = args.next().unwrap_or_else(|| DEFAULT_BENCHMARK.into());
    let max_steps = match args.next().map(|s| s.parse::<usize>()) {
        None => DEFAULT_MAX_STEPS,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("llvm_search: MAX_STEPS: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&benchmark, max_steps) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("llvm_search: {error}");
            ExitCode::FAILURE
        }
    }
}
