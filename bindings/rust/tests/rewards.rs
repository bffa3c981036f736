// SPDX-License-Identifier: MIT
//! Rewards written in Rust, on envs of the C example service (managed).
mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicIsize, Ordering};

use cgym::{Code, Env, Error, Event, Reward, RewardSpec, Spaces};
use common::*;

static LIVE_REWARDS: AtomicIsize = AtomicIsize::new(0);

/// +1 per action, plus the "runtime" observation (always 0), minus 10 for action index 2;
/// fails for action index 1 when `fail_on_b`, panics when `panic_on_b`.
struct Counting {
    /// Counted in LIVE_REWARDS (only by the test that checks it: tests run in parallel).
    tracked: bool,
    resets: Vec<String>,
    fail_on_b: bool,
    panic_on_b: bool,
}

impl Counting {
    fn new() -> Counting {
        Counting {
            tracked: false,
            resets: Vec::new(),
            fail_on_b: false,
            panic_on_b: false,
        }
    }
}

impl Clone for Counting {
    fn clone(&self) -> Counting {
        if self.tracked {
            LIVE_REWARDS.fetch_add(1, Ordering::SeqCst);
        }
        Counting {
            tracked: self.tracked,
            resets: self.resets.clone(),
            fail_on_b: self.fail_on_b,
            panic_on_b: self.panic_on_b,
        }
    }
}

impl Drop for Counting {
    fn drop(&mut self) {
        if self.tracked {
            LIVE_REWARDS.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn tracked() -> Counting {
    LIVE_REWARDS.fetch_add(1, Ordering::SeqCst);
    let mut reward = Counting::new();
    reward.tracked = true;
    reward
}

impl Reward for Counting {
    fn reset(&mut self, benchmark_uri: &str) -> cgym::Result<()> {
        self.resets.push(benchmark_uri.to_string());
        Ok(())
    }

    fn update(&mut self, actions: &[Event], observations: &[Event]) -> cgym::Result<f64> {
        assert_eq!(observations.len(), 1);
        let mut reward = observations[0].as_f64().unwrap();
        for action in actions {
            match action.as_i64() {
                Some(1) if self.panic_on_b => panic!("reward panicked on purpose"),
                Some(1) if self.fail_on_b => {
                    return Err(Error::new(Code::FAILED_PRECONDITION, "reward refused b"))
                }
                Some(2) => reward -= 10.0,
                _ => reward += 1.0,
            }
        }
        Ok(reward)
    }
}

fn connect() -> Env {
    Env::connect(&c_example_service(), &example_options()).unwrap()
}

#[test]
fn rewards_step_fork_and_drop() {
    {
        let mut env = connect();
        env.add_reward(&RewardSpec::new("count", &["runtime"]), tracked())
            .unwrap();
        assert_eq!(env.reward_spaces().unwrap(), ["count"]);
        env.set_reward_space(Some("count")).unwrap();
        env.reset().unwrap();
        assert_eq!(env.episode_reward(), Some(0.0));
        let step = env.step(0).unwrap();
        assert_eq!(step.rewards, vec![1.0]);
        let step = env
            .step_with(
                &[Event::Int64(0), Event::Int64(2)],
                Spaces::Named(&["ir"]),
                Spaces::Named(&["count"]),
                None,
            )
            .unwrap();
        assert_eq!(step.rewards, vec![-9.0]);
        assert_eq!(step.observations, vec![Event::from("Hello, world!")]);
        // (Whether a step naming its reward spaces adds to the episode reward is the
        // library's business: only default-space steps are compared below.)
        let before = env.episode_reward().unwrap();
        assert_eq!(env.step_name("a").unwrap(), (false, 1.0));
        assert_eq!(env.episode_reward(), Some(before + 1.0));

        // A fork has its own clone of the reward.
        let mut fork = env.fork().unwrap();
        assert_eq!(fork.reward_spaces().unwrap(), ["count"]);
        assert_eq!(fork.step(0).unwrap().rewards, vec![1.0]);
        assert_eq!(fork.episode_reward(), Some(before + 2.0));
        assert_eq!(env.episode_reward(), Some(before + 1.0));
        drop(env);
        assert_eq!(fork.step(2).unwrap().rewards, vec![-10.0]);

        // Unknown reward space and unknown observation space of a reward: NOT_FOUND.
        expect_code(
            fork.step_with(
                &[Event::Int64(0)],
                Spaces::Default,
                Spaces::Named(&["nope"]),
                None,
            ),
            Code::NOT_FOUND,
        );
        // A failed add_reward drops its reward before it returns (libcgym owns it from the
        // call on and destroys it once): not leaked, not dropped twice.
        let live = LIVE_REWARDS.load(Ordering::SeqCst);
        expect_code(
            fork.add_reward(&RewardSpec::new("bad", &["nope"]), tracked()),
            Code::NOT_FOUND,
        );
        assert_eq!(LIVE_REWARDS.load(Ordering::SeqCst), live);
        assert_eq!(fork.reward_spaces().unwrap(), ["count"]);
    }
    // Every reward (the original, the fork's clone, the rejected one) was dropped.
    assert_eq!(LIVE_REWARDS.load(Ordering::SeqCst), 0);
}

#[test]
fn reward_errors_and_panics() {
    let mut env = connect();
    let mut failing = Counting::new();
    failing.fail_on_b = true;
    env.add_reward(&RewardSpec::new("failing", &["runtime"]), failing)
        .unwrap();
    let mut panicking = Counting::new();
    panicking.panic_on_b = true;
    env.add_reward(&RewardSpec::new("panicking", &["runtime"]), panicking)
        .unwrap();
    env.reset().unwrap();

    // An error of the reward: the step fails with the reward's code and message.
    let result = env.step_with(
        &[Event::Int64(1)],
        Spaces::Default,
        Spaces::Named(&["failing"]),
        None,
    );
    let error = result.unwrap_err();
    assert!(error.message().contains("reward refused b"), "{error}");
    assert_eq!(error.code(), Code::FAILED_PRECONDITION, "{error}");

    // A panic of the reward is resumed in the caller, with its payload.
    env.reset().unwrap();
    let payload = catch_unwind(AssertUnwindSafe(|| {
        let _ = env.step_with(
            &[Event::Int64(1)],
            Spaces::Default,
            Spaces::Named(&["panicking"]),
            None,
        );
    }))
    .unwrap_err();
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"reward panicked on purpose")
    );
    // The env still works.
    env.reset().unwrap();
    let step = env
        .step_with(
            &[Event::Int64(0)],
            Spaces::Default,
            Spaces::Named(&["panicking", "failing"]),
            None,
        )
        .unwrap();
    assert_eq!(step.rewards, vec![1.0, 1.0]);
    assert_eq!(env.reward("failing").unwrap(), 0.0);
}
