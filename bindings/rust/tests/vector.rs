// SPDX-License-Identifier: MIT
//! Many environments at once: `VecEnv` (against plain envs stepped one by one, the autoreset
//! modes, errors) and `StepQueue` (tags, order, the env coming back, errors), with the C
//! example service (managed and remote), a counting session written in Rust (in-process, whose
//! episodes end on demand) and the LLVM environment by id.
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Once;
use std::time::Duration;

use cgym::{
    ActionOutcome, ActionSpace, AutoresetMode, Benchmark, Code, CompilationSession, Env, Error,
    Event, ObservationSpace, Options, Reward, RewardSpec, Space, Spaces, StepQueue, StepResult,
    Tensor, VecEnv,
};
use common::*;

// --- Helpers -----------------------------------------------------------------------------

/// A client-side reward that makes the example service's steps tell apart: the sum of
/// (action + 1) over the step's actions.
#[derive(Clone)]
struct ActionSum;

impl Reward for ActionSum {
    fn update(&mut self, actions: &[Event], _observations: &[Event]) -> cgym::Result<f64> {
        Ok(actions
            .iter()
            .map(|a| a.as_i64().unwrap_or(0) + 1)
            .sum::<i64>() as f64)
    }
}

fn action_sum_spec() -> RewardSpec {
    RewardSpec::new("action_sum", &[])
}

fn features(values: [i64; 3]) -> Event {
    Event::Int64Tensor(Tensor::new(vec![3], values.to_vec()))
}

/// The latest result of env `index`, which must be a success.
#[track_caller]
fn ok_result(vec: &VecEnv, index: usize) -> StepResult {
    vec.result(index)
        .unwrap()
        .unwrap_or_else(|| panic!("env {index} has no result"))
        .unwrap_or_else(|e| panic!("env {index} failed: {e}"))
}

/// The latest result of env `index`, which must be a failure with `code`.
#[track_caller]
fn failed_result(vec: &VecEnv, index: usize, code: Code) -> Error {
    expect_code(
        vec.result(index)
            .unwrap()
            .unwrap_or_else(|| panic!("env {index} has no result")),
        code,
    )
}

/// A plain env of the C example service, with the action-sum reward as default reward and
/// "features" as default observation.
fn plain_example_env() -> Env {
    let options = example_options().observation_space("features");
    let mut env = Env::connect(&c_example_service(), &options).unwrap();
    env.add_reward(&action_sum_spec(), ActionSum).unwrap();
    env.set_reward_space(Some("action_sum")).unwrap();
    env
}

// --- A counting session in Rust, whose episodes end on demand ------------------------------

/// Actions 0, 1 and 2 add 1, 2 and 3 to a total; action 3 ends the episode; others are
/// rejected. "state" is [total, actions applied]; "trail" is 1..=actions applied (its length
/// grows); "total" is the total as a double.
struct Counter {
    total: i64,
    steps: i64,
}

const END: i64 = 3;
const COUNTER: &str = "inproc:rust-vector-counter";

impl CompilationSession for Counter {
    fn init(_: &ActionSpace, _: &Benchmark<'_>) -> cgym::Result<Self> {
        Ok(Counter { total: 0, steps: 0 })
    }

    fn apply_action(&mut self, action: &Event) -> cgym::Result<ActionOutcome> {
        let action = action
            .as_i64()
            .ok_or_else(|| Error::invalid_argument("not an index"))?;
        match action {
            0..=2 => {
                self.total += action + 1;
                self.steps += 1;
                Ok(ActionOutcome::default())
            }
            END => {
                self.steps += 1;
                Ok(ActionOutcome {
                    end_of_episode: true,
                    ..ActionOutcome::default()
                })
            }
            _ => Err(Error::invalid_argument("Out-of-range")),
        }
    }

    fn observation(&mut self, _index: usize, space: &str) -> cgym::Result<Event> {
        match space {
            "state" => Ok(Event::Int64Tensor(Tensor::new(
                vec![2],
                vec![self.total, self.steps],
            ))),
            "trail" => Ok(Event::Int64Tensor(Tensor::vector(
                (1..=self.steps).collect(),
            ))),
            "total" => Ok(Event::Double(self.total as f64)),
            _ => Err(Error::new(Code::INTERNAL, format!("no space {space}"))),
        }
    }

    fn fork(&self) -> cgym::Result<Self> {
        Ok(Counter {
            total: self.total,
            steps: self.steps,
        })
    }
}

fn register_counter() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let mut def = cgym::ServiceDef::<Counter>::new("counter-1").unwrap();
        def.add_action_space(&ActionSpace::new("default", Space::Discrete { n: 4 }))
            .unwrap();
        def.add_observation_space(&ObservationSpace::new(
            "state",
            Space::Box {
                kind: cgym::sys::CGYM_SPACE_INT64_BOX,
                shape: vec![2],
                low: vec![0.0; 2],
                high: vec![1e9; 2],
            },
        ))
        .unwrap();
        def.add_observation_space(&ObservationSpace::new(
            "trail",
            Space::Sequence {
                kind: cgym::sys::CGYM_SPACE_INT64_SEQUENCE,
                min_length: 0,
                max_length: None,
                scalar_min: Some(0.0),
                scalar_max: None,
            },
        ))
        .unwrap();
        def.add_observation_space(&ObservationSpace::new(
            "total",
            Space::Range {
                kind: cgym::sys::CGYM_SPACE_DOUBLE_RANGE,
                min: Some(0.0),
                max: None,
            },
        ))
        .unwrap();
        def.register_in_process("rust-vector-counter").unwrap();
    });
}

/// The total's increase since the previous step: a reward that depends on the episode.
#[derive(Clone, Default)]
struct TotalDelta {
    last: i64,
}

impl Reward for TotalDelta {
    fn reset(&mut self, _: &str) -> cgym::Result<()> {
        self.last = 0;
        Ok(())
    }

    fn update(&mut self, _: &[Event], observations: &[Event]) -> cgym::Result<f64> {
        let total = match &observations[0] {
            Event::Int64Tensor(t) => t.values[0],
            other => panic!("unexpected observation {other:?}"),
        };
        let delta = total - self.last;
        self.last = total;
        Ok(delta as f64)
    }
}

fn counter_options(observation_space: &str) -> Options {
    Options::new()
        .benchmark("benchmark://counter/a")
        .observation_space(observation_space)
}

/// A vector env of `n` counters with "state" observations and the TotalDelta reward.
fn counter_vec(n: usize) -> VecEnv {
    register_counter();
    let mut vec = VecEnv::new(None, Some(COUNTER), n, 0, Some(&counter_options("state"))).unwrap();
    for i in 0..n {
        let mut env = vec.env_at(i).unwrap();
        env.add_reward(&RewardSpec::new("delta", &["state"]), TotalDelta::default())
            .unwrap();
        env.set_reward_space(Some("delta")).unwrap();
    }
    vec
}

trait WithoutRewards {
    fn without_rewards(self) -> Self;
}

impl WithoutRewards for StepResult {
    /// The result as a plain env without the TotalDelta reward gives it.
    fn without_rewards(mut self) -> StepResult {
        self.rewards.clear();
        self
    }
}

fn state(total: i64, steps: i64) -> Vec<Event> {
    vec![Event::Int64Tensor(Tensor::new(vec![2], vec![total, steps]))]
}

// --- VecEnv against plain envs, with the managed C example service --------------------------

#[test]
fn vec_env_steps_as_plain_envs_do() {
    const N: usize = 8;
    let options = example_options().observation_space("features");
    let mut vec = VecEnv::new(None, Some(&c_example_service()), N, 2, Some(&options)).unwrap();
    assert_eq!(vec.num_envs(), N);
    assert_eq!(vec.num_services(), 2);
    assert_eq!(vec.autoreset(), AutoresetMode::NextStep);
    for i in 0..N {
        let mut env = vec.env_at(i).unwrap();
        env.add_reward(&action_sum_spec(), ActionSum).unwrap();
        env.set_reward_space(Some("action_sum")).unwrap();
        assert!(!env.in_episode());
    }

    // Before any reset: no results.
    for i in 0..N {
        assert!(vec.result(i).unwrap().is_none());
        assert!(vec.final_result(i).unwrap().is_none());
    }
    expect_code(vec.observations_i64(), Code::FAILED_PRECONDITION);

    vec.reset(None).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false; N]);
    assert_eq!(vec.rewards().unwrap(), vec![0.0; N]);
    assert_eq!(vec.observations_i64().unwrap(), (vec![0; N * 3], 3));
    assert_eq!(vec.observations_f64().unwrap(), (vec![0.0; N * 3], 3));
    for i in 0..N {
        let result = ok_result(&vec, i);
        assert_eq!(result.observations, vec![features([0, 0, 0])]);
        assert!(!result.done);
        assert!(vec.env_at(i).unwrap().in_episode());
    }

    let mut plain: Vec<Env> = (0..N).map(|_| plain_example_env()).collect();
    for env in &mut plain {
        env.reset().unwrap();
    }
    let rounds: [[i64; N]; 3] = [
        [0, 1, 2, 0, 1, 2, 0, 1],
        [2, 2, 1, 1, 0, 0, 2, 1],
        [1, 0, 2, 2, 0, 1, 1, 0],
    ];
    for actions in rounds {
        vec.step(&actions).unwrap();
        let expected: Vec<StepResult> = plain
            .iter_mut()
            .zip(actions)
            .map(|(env, action)| env.step(action).unwrap())
            .collect();
        for (i, expected) in expected.iter().enumerate() {
            assert_eq!(&ok_result(&vec, i), expected, "env {i}");
            assert!(vec.final_result(i).unwrap().is_none());
        }
        let rewards: Vec<f64> = actions.iter().map(|&a| (a + 1) as f64).collect();
        assert_eq!(vec.rewards().unwrap(), rewards);
        assert_eq!(vec.dones().unwrap(), vec![false; N]);
        assert_eq!(vec.observations_i64().unwrap(), (vec![0; N * 3], 3));
    }

    // The members' state is the plain envs' state.
    for (i, env) in plain.iter_mut().enumerate() {
        let mut member = vec.env_at(i).unwrap();
        assert_eq!(member.action_count().unwrap(), 3);
        assert_eq!(member.actions().unwrap(), env.actions().unwrap());
        assert_eq!(member.episode_reward(), env.episode_reward());
        assert_eq!(member.observe("features").unwrap(), features([0, 0, 0]));
        assert_eq!(member.observe_string("ir").unwrap(), "Hello, world!");
        assert_eq!(member.benchmark(), BENCHMARK);
    }

    // A fork of a member is an independent env, and outlives the vector env.
    let mut fork = vec.env_at(5).unwrap().fork().unwrap();
    assert_eq!(fork.action_count().unwrap(), 3);
    fork.step(0).unwrap();
    assert_eq!(fork.action_count().unwrap(), 4);
    assert_eq!(vec.env_at(5).unwrap().action_count().unwrap(), 3);

    vec.close().unwrap();
    for i in 0..N {
        assert!(!vec.env_at(i).unwrap().in_episode());
    }
    drop(vec);
    assert!(!fork.step(1).unwrap().done);
}

#[test]
fn vec_env_failures_of_one_env_do_not_fail_the_step() {
    let mut vec = VecEnv::new(
        None,
        Some(&c_example_service()),
        3,
        1,
        Some(&example_options().observation_space("features")),
    )
    .unwrap();
    assert_eq!(vec.num_services(), 1);

    // Stepping before reset: every env fails with SESSION_NOT_FOUND, and is done.
    vec.step(&[0, 0, 0]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![true; 3]);
    for i in 0..3 {
        failed_result(&vec, i, Code::SESSION_NOT_FOUND);
    }

    vec.reset(None).unwrap();
    // Action 3 is out of range for the example service: env 1 fails, with the service's
    // error, and its episode is over; the others go on.
    vec.step(&[0, 3, 1]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false, true, false]);
    let error = failed_result(&vec, 1, Code::INVALID_ARGUMENT);
    assert_eq!(error.message(), "Out-of-range");
    assert_eq!(ok_result(&vec, 0).observations, vec![features([0, 0, 0])]);
    // A failed env's row is padded with zeros where it has no observation.
    let (values, width) = vec.observations_i64().unwrap();
    assert_eq!((values.len(), width), (9, 3));
    assert_eq!(vec.rewards().unwrap(), vec![0.0; 3]);

    // NEXT_STEP: env 1 is reset by the next step instead of stepped.
    vec.step(&[2, 3, 2]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false; 3]);
    let reset = ok_result(&vec, 1);
    assert_eq!(reset.observations, vec![features([0, 0, 0])]);
    assert!(!reset.done);
    assert_eq!(vec.env_at(1).unwrap().action_count().unwrap(), 0);
    assert_eq!(vec.env_at(0).unwrap().action_count().unwrap(), 2);

    // Wrong lengths: INVALID_ARGUMENT, nothing sent.
    let error = expect_code(vec.step(&[0, 0]), Code::INVALID_ARGUMENT);
    assert!(!error.message().is_empty());
    expect_code(vec.step(&[0; 4]), Code::INVALID_ARGUMENT);
    expect_code(vec.reset(Some(&[true])), Code::INVALID_ARGUMENT);
    assert_eq!(vec.env_at(0).unwrap().action_count().unwrap(), 2);
    expect_code(vec.step_with_timeout(&[0; 3], -1.0), Code::INVALID_ARGUMENT);
    expect_code(
        vec.reset_with_timeout(None, f64::NAN),
        Code::INVALID_ARGUMENT,
    );

    // Past the end: OUT_OF_RANGE.
    expect_code(vec.env_at(3), Code::OUT_OF_RANGE);
    expect_code(vec.result(3), Code::OUT_OF_RANGE);
    expect_code(vec.final_result(3), Code::OUT_OF_RANGE);

    // An unknown autoreset mode (only reachable through the raw handle).
    vec.set_autoreset(AutoresetMode::Disabled).unwrap();
    // SAFETY: a valid vector env.
    let status = unsafe { cgym::sys::cgym_vec_env_set_autoreset(vec.as_raw(), 7) };
    assert_eq!(status, cgym::sys::CGYM_INVALID_ARGUMENT);
    assert_eq!(vec.autoreset(), AutoresetMode::Disabled);
    assert_eq!(AutoresetMode::from_raw(7), None);
    for mode in [
        AutoresetMode::NextStep,
        AutoresetMode::SameStep,
        AutoresetMode::Disabled,
    ] {
        assert_eq!(AutoresetMode::from_raw(mode.raw()), Some(mode));
        vec.set_autoreset(mode).unwrap();
        assert_eq!(vec.autoreset(), mode);
    }
}

#[test]
fn vec_env_observations_of_other_types() {
    let options = example_options().observation_space("ir");
    let mut vec = VecEnv::new(None, Some(&c_example_service()), 2, 1, Some(&options)).unwrap();
    vec.reset(None).unwrap();
    assert_eq!(
        ok_result(&vec, 0).observations,
        vec![Event::String("Hello, world!".into())]
    );
    expect_code(vec.observations_i64(), Code::FAILED_PRECONDITION);
    expect_code(vec.observations_f64(), Code::FAILED_PRECONDITION);

    // A double scalar: width 1, as doubles only.
    for i in 0..2 {
        vec.env_at(i)
            .unwrap()
            .set_observation_space(Some("runtime"))
            .unwrap();
    }
    vec.step(&[0, 1]).unwrap();
    assert_eq!(vec.observations_f64().unwrap(), (vec![0.0, 0.0], 1));
    expect_code(vec.observations_i64(), Code::FAILED_PRECONDITION);

    // No observation space: results without observations.
    for i in 0..2 {
        vec.env_at(i).unwrap().set_observation_space(None).unwrap();
    }
    vec.step(&[0, 1]).unwrap();
    assert!(ok_result(&vec, 0).observations.is_empty());
    expect_code(vec.observations_f64(), Code::FAILED_PRECONDITION);
}

#[test]
fn vec_env_construction_errors() {
    let service = c_example_service();
    let error = expect_code(
        VecEnv::new(None, Some(&service), 0, 1, Some(&example_options())),
        Code::INVALID_ARGUMENT,
    );
    assert!(!error.message().is_empty());
    expect_code(
        VecEnv::new(
            None,
            Some("127.0.0.1:1,,127.0.0.1:2"),
            2,
            0,
            Some(&example_options()),
        ),
        Code::INVALID_ARGUMENT,
    );
    expect_code(
        VecEnv::new(None, Some("/nonexistent/service"), 2, 1, None),
        Code::NOT_FOUND,
    );
    expect_code(
        VecEnv::new(Some("no-such-env-v0"), None, 2, 1, None),
        Code::NOT_FOUND,
    );
    expect_code(
        VecEnv::new(None, Some("inproc:no-such-service"), 2, 0, None),
        Code::NOT_FOUND,
    );
}

// --- Autoreset modes, with a session whose episodes end ------------------------------------

#[test]
fn autoreset_next_step() {
    let mut vec = counter_vec(2);
    vec.reset(None).unwrap();
    assert_eq!(vec.observations_i64().unwrap(), (vec![0, 0, 0, 0], 2));

    vec.step(&[0, 1]).unwrap();
    assert_eq!(ok_result(&vec, 0).observations, state(1, 1));
    assert_eq!(ok_result(&vec, 1).observations, state(2, 1));
    assert_eq!(vec.rewards().unwrap(), vec![1.0, 2.0]);

    // Env 1 ends its episode: done, with the step's observation.
    vec.step(&[2, END]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false, true]);
    assert_eq!(vec.observations_i64().unwrap(), (vec![4, 2, 2, 2], 2));
    assert_eq!(vec.rewards().unwrap(), vec![3.0, 0.0]);
    assert!(vec.final_result(1).unwrap().is_none());

    // The next step resets it (its action ignored): the reset's result.
    vec.step(&[0, 2]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false, false]);
    assert_eq!(vec.observations_i64().unwrap(), (vec![5, 3, 0, 0], 2));
    assert_eq!(vec.rewards().unwrap(), vec![1.0, 0.0]);
    assert_eq!(vec.env_at(1).unwrap().action_count().unwrap(), 0);

    // Then it is stepped again, from the start.
    vec.step(&[0, 2]).unwrap();
    assert_eq!(vec.observations_i64().unwrap(), (vec![6, 4, 3, 1], 2));
    assert_eq!(vec.rewards().unwrap(), vec![1.0, 3.0]);
    assert_eq!(
        vec.observations_f64().unwrap(),
        (vec![6.0, 4.0, 3.0, 1.0], 2)
    );
}

#[test]
fn autoreset_same_step() {
    let mut vec = counter_vec(2);
    vec.set_autoreset(AutoresetMode::SameStep).unwrap();
    vec.reset(None).unwrap();
    vec.step(&[1, 2]).unwrap();
    vec.step(&[0, END]).unwrap();

    // Env 1 is reset in the same step: its result is the reset's...
    let reset = ok_result(&vec, 1);
    assert_eq!(reset.observations, state(0, 0));
    assert!(!reset.done);
    assert_eq!(vec.observations_i64().unwrap(), (vec![3, 2, 0, 0], 2));
    // ... while the batch reports the ended step's done (and reward), as gymnasium does.
    assert_eq!(vec.dones().unwrap(), vec![false, true]);
    assert_eq!(vec.env_at(1).unwrap().action_count().unwrap(), 0);
    // ... and the step that ended the episode is its final result.
    let last = vec.final_result(1).unwrap().unwrap().unwrap();
    assert!(last.done);
    assert_eq!(last.observations, state(3, 2));
    assert!(vec.final_result(0).unwrap().is_none());

    // The next step steps it from the start; the final result is gone.
    vec.step(&[0, 1]).unwrap();
    assert_eq!(vec.observations_i64().unwrap(), (vec![4, 3, 2, 1], 2));
    assert_eq!(vec.rewards().unwrap(), vec![1.0, 2.0]);
    assert!(vec.final_result(1).unwrap().is_none());
}

#[test]
fn autoreset_disabled() {
    let mut vec = counter_vec(3);
    vec.set_autoreset(AutoresetMode::Disabled).unwrap();
    vec.reset(None).unwrap();
    vec.step(&[0, END, 1]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false, true, false]);

    assert_eq!(vec.observations_i64().unwrap(), (vec![1, 1, 0, 1, 2, 1], 2));

    // Nothing resets env 1: it is stepped as a plain env would be, its session going on.
    vec.step(&[0, 0, 1]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false, false, false]);
    assert_eq!(ok_result(&vec, 1).observations, state(1, 2));
    assert!(vec.final_result(1).unwrap().is_none());
    assert_eq!(vec.env_at(1).unwrap().action_count().unwrap(), 2);
    let mut plain = Env::connect(COUNTER, &counter_options("state")).unwrap();
    plain.reset().unwrap();
    assert!(plain.step(END).unwrap().done);
    assert_eq!(plain.step(0).unwrap(), ok_result(&vec, 1).without_rewards());

    // A masked reset resets env 1 only; the others keep their results and episodes.
    vec.reset(Some(&[false, true, false])).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false, false, false]);
    assert_eq!(vec.observations_i64().unwrap(), (vec![2, 2, 0, 0, 4, 2], 2));
    assert_eq!(vec.rewards().unwrap(), vec![1.0, 0.0, 2.0]);
    vec.step(&[0, 2, 0]).unwrap();
    assert_eq!(vec.observations_i64().unwrap(), (vec![3, 3, 3, 1, 5, 3], 2));
}

#[test]
fn observations_of_different_lengths_are_padded() {
    register_counter();
    let mut vec = VecEnv::new(None, Some(COUNTER), 3, 0, Some(&counter_options("trail"))).unwrap();
    vec.reset(None).unwrap();
    // Every trail is empty: width 0.
    assert_eq!(vec.observations_i64().unwrap(), (vec![], 0));
    vec.set_autoreset(AutoresetMode::Disabled).unwrap();
    vec.step(&[0, 0, 0]).unwrap();
    vec.reset(Some(&[true, false, false])).unwrap();
    vec.step(&[0, 0, 0]).unwrap();
    assert_eq!(vec.observations_i64().unwrap(), (vec![1, 0, 1, 2, 1, 2], 2));
    assert_eq!(
        vec.observations_f64().unwrap(),
        (vec![1.0, 0.0, 1.0, 2.0, 1.0, 2.0], 2)
    );
}

// --- StepQueue ---------------------------------------------------------------------------

#[test]
fn queue_gives_back_every_env_with_its_tag() {
    let mut queue = StepQueue::new().unwrap();
    assert_eq!(queue.size(), 0);
    let mut plain: Vec<Env> = (0..3).map(|_| plain_example_env()).collect();
    let mut envs: Vec<Env> = (0..3).map(|_| plain_example_env()).collect();
    for env in plain.iter_mut().chain(envs.iter_mut()) {
        env.reset().unwrap();
    }
    for (i, env) in envs.drain(..).enumerate() {
        queue.submit(env, i as i64, 100 + i as u64).unwrap();
    }
    assert_eq!(queue.size(), 3);
    let mut tags = BTreeSet::new();
    let mut back: Vec<Option<Env>> = vec![None, None, None];
    for _ in 0..3 {
        let done = queue.next(f64::INFINITY).unwrap();
        let i = (done.tag - 100) as usize;
        assert!(tags.insert(done.tag), "tag {} twice", done.tag);
        let expected = plain[i].step(i as i64).unwrap();
        assert_eq!(done.result.unwrap(), expected, "tag {}", done.tag);
        assert_eq!(expected.rewards, vec![(i + 1) as f64]);
        back[i] = Some(done.env);
    }
    assert_eq!(tags, BTreeSet::from([100, 101, 102]));
    assert_eq!(queue.size(), 0);
    let error = expect_code(queue.next(0.0), Code::OUT_OF_RANGE);
    assert_eq!(error.message(), "No step in the queue");
    expect_code(queue.next(f64::INFINITY), Code::OUT_OF_RANGE);

    // The envs are free again and hold their step.
    for (i, env) in back.into_iter().enumerate() {
        let mut env = env.unwrap();
        assert_eq!(env.action_count().unwrap(), 1);
        assert_eq!(env.actions().unwrap(), vec![Event::Int64(i as i64)]);
        assert!(!env.step(0).unwrap().done);
    }
}

#[test]
fn queue_step_errors_come_with_the_result() {
    let mut queue = StepQueue::new().unwrap();
    let mut env = plain_example_env();
    env.reset().unwrap();
    // Rejected by the service after sending: the error step() would have returned.
    queue.submit(env, 3, 7).unwrap();
    let done = queue.next(f64::INFINITY).unwrap();
    assert_eq!(done.tag, 7);
    let error = expect_code(done.result, Code::INVALID_ARGUMENT);
    assert_eq!(error.message(), "Out-of-range");
    let env = done.env;
    assert!(env.in_episode());

    // A step naming its spaces.
    queue
        .submit_with(
            env,
            &[Event::Int64(1), Event::Int64(2)],
            Spaces::Named(&["ir", "features"]),
            Spaces::Named(&[]),
            Some(60.0),
            8,
        )
        .unwrap();
    let done = queue.next(f64::INFINITY).unwrap();
    assert_eq!(done.tag, 8);
    let result = done.result.unwrap();
    assert_eq!(
        result.observations,
        vec![Event::String("Hello, world!".into()), features([0, 0, 0])]
    );
    assert!(result.rewards.is_empty());
    // The env holds the actions a plain env would.
    let mut plain = plain_example_env();
    plain.reset().unwrap();
    expect_code(plain.step(3), Code::INVALID_ARGUMENT);
    plain
        .step_with(
            &[Event::Int64(1), Event::Int64(2)],
            Spaces::Named(&["ir", "features"]),
            Spaces::Named(&[]),
            None,
        )
        .unwrap();
    assert_eq!(done.env.actions().unwrap(), plain.actions().unwrap());
}

#[test]
fn queue_submit_errors_give_the_env_back() {
    let mut queue = StepQueue::new().unwrap();
    let env = plain_example_env();
    // Before reset: SESSION_NOT_FOUND, nothing queued.
    let rejected = queue.submit(env, 0, 1).unwrap_err();
    assert_eq!(rejected.error.code(), Code::SESSION_NOT_FOUND);
    assert_eq!(queue.size(), 0);
    let mut env = rejected.env;
    env.reset().unwrap();

    let rejected = queue
        .submit_with(
            env,
            &[Event::Int64(0)],
            Spaces::Named(&["nope"]),
            Spaces::Default,
            None,
            2,
        )
        .unwrap_err();
    assert_eq!(rejected.error.code(), Code::NOT_FOUND);
    let rejected = queue
        .submit_with(
            rejected.env,
            &[Event::Int64(0)],
            Spaces::Default,
            Spaces::Default,
            Some(-1.0),
            3,
        )
        .unwrap_err();
    assert_eq!(rejected.error.code(), Code::INVALID_ARGUMENT);
    assert_eq!(queue.size(), 0);
    // A SubmitError converts into the crate's Error.
    let error: Error = rejected.into();
    assert_eq!(error.code(), Code::INVALID_ARGUMENT);

    expect_code(queue.next(f64::NAN), Code::INVALID_ARGUMENT);
    expect_code(queue.next(-1.0), Code::INVALID_ARGUMENT);
}

#[test]
fn an_env_with_a_step_in_flight_is_busy() {
    // Safe code cannot reach an env in the queue; the raw handle shows libcgym's rule.
    let mut queue = StepQueue::new().unwrap();
    let mut other = StepQueue::new().unwrap();
    let mut env = plain_example_env();
    env.reset().unwrap();
    let raw = env.as_raw();
    queue.submit(env, 0, 1).unwrap();
    let (mut done, mut reward) = (0, 0.0);
    // SAFETY: the env is alive (owned by the queue); libcgym refuses the call.
    let status = unsafe { cgym::sys::cgym_step_index(raw, 0, &mut done, &mut reward) };
    assert_eq!(status, cgym::sys::CGYM_FAILED_PRECONDITION);
    // SAFETY: as above.
    let message = unsafe { std::ffi::CStr::from_ptr(cgym::sys::cgym_last_error_message()) };
    assert_eq!(message.to_str().unwrap(), "The env has a step in flight");
    // Submitting it to another queue: FAILED_PRECONDITION too.
    // SAFETY: as above; no actions, default spaces.
    let status = unsafe {
        cgym::sys::cgym_step_submit(
            other.as_raw(),
            raw,
            std::ptr::null(),
            0,
            std::ptr::null(),
            0,
            std::ptr::null(),
            0,
            std::ptr::null(),
            9,
        )
    };
    assert_eq!(status, cgym::sys::CGYM_FAILED_PRECONDITION);
    assert_eq!(other.size(), 0);
    expect_code(other.next(0.0), Code::OUT_OF_RANGE);

    let done = queue.next(f64::INFINITY).unwrap();
    assert_eq!(done.tag, 1);
    let mut env = done.env;
    assert!(!env.step(1).unwrap().done);
}

#[test]
fn in_process_steps_complete_in_submission_order() {
    register_counter();
    let mut queue = StepQueue::new().unwrap();
    let options = counter_options("state");
    let mut first = Env::connect(COUNTER, &options).unwrap();
    first.reset().unwrap();
    let mut envs = vec![first];
    for _ in 0..3 {
        let fork = envs[0].fork().unwrap();
        envs.push(fork);
    }
    for (i, env) in envs.into_iter().enumerate() {
        queue.submit(env, (i % 3) as i64, 10 + i as u64).unwrap();
    }
    assert_eq!(queue.size(), 4);
    for i in 0..4 {
        // In-process steps ran in submit: their results are ready without waiting.
        let done = queue.next(0.0).unwrap();
        assert_eq!(done.tag, 10 + i as u64);
        let total = (i % 3) as i64 + 1;
        assert_eq!(done.result.unwrap().observations, state(total, 1));
    }

    // An episode that ends in the queue.
    let mut env = Env::connect(COUNTER, &options).unwrap();
    env.reset().unwrap();
    queue.submit(env, END, 1).unwrap();
    let done = queue.next(0.0).unwrap();
    assert!(done.result.unwrap().done);
    assert_eq!(done.env.action_count().unwrap(), 1);
}

#[test]
fn dropping_a_queue_with_steps_in_flight() {
    let mut queue = StepQueue::new().unwrap();
    for i in 0..3 {
        let mut env = plain_example_env();
        env.reset().unwrap();
        queue.submit(env, i, i as u64).unwrap();
    }
    assert_eq!(queue.size(), 3);
    drop(queue); // waits for the steps, then frees the envs
}

// --- Remote services, by a list of endpoints ----------------------------------------------

/// An unmanaged C example service on a free port, stopped (SIGTERM) and reaped on drop.
struct RemoteService {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl RemoteService {
    fn start(name: &str) -> RemoteService {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("vector-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let child = Command::new(c_example_service())
            .arg(format!("--working_dir={}", dir.display()))
            .arg("--port=0")
            .spawn()
            .unwrap();
        let mut service = RemoteService {
            child,
            port: 0,
            dir,
        };
        // port.txt is written through a rename: once it exists, it is complete.
        let port_file = service.dir.join("port.txt");
        for _ in 0..600 {
            if port_file.is_file() {
                break;
            }
            if let Some(status) = service.child.try_wait().unwrap() {
                panic!("the example service exited with {status}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let port = std::fs::read_to_string(&port_file).expect("port.txt within 30 s");
        service.port = port.trim().parse().unwrap();
        service
    }
}

impl Drop for RemoteService {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..600 {
            if self.child.try_wait().ok().flatten().is_some() {
                let _ = std::fs::remove_dir_all(&self.dir);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn vec_env_over_a_list_of_remote_services() {
    let a = RemoteService::start("a");
    let b = RemoteService::start("b");
    let endpoints = format!("127.0.0.1:{},127.0.0.1:{}", a.port, b.port);
    let options = example_options().observation_space("features");
    let mut vec = VecEnv::new(None, Some(&endpoints), 4, 0, Some(&options)).unwrap();
    assert_eq!(vec.num_envs(), 4);
    assert_eq!(vec.num_services(), 2);
    vec.reset(None).unwrap();
    vec.step(&[0, 1, 2, 0]).unwrap();
    assert_eq!(vec.dones().unwrap(), vec![false; 4]);
    assert_eq!(vec.observations_i64().unwrap(), (vec![0; 12], 3));
    for i in 0..4 {
        assert_eq!(ok_result(&vec, i).observations, vec![features([0, 0, 0])]);
        assert_eq!(vec.env_at(i).unwrap().action_count().unwrap(), 1);
    }
    vec.close().unwrap();
    drop(vec);
    drop((a, b));
}

// --- The LLVM environment by id -------------------------------------------------------------

#[test]
fn llvm_autophase_vec_env_by_id() {
    for endpoint in [None, Some("inproc")] {
        let mut vec = VecEnv::new(Some("llvm-autophase-ic-v0"), endpoint, 2, 0, None).unwrap();
        assert_eq!(vec.num_envs(), 2);
        let services = vec.num_services();
        assert!((1..=2).contains(&services), "{endpoint:?}: {services}");
        vec.reset(None).unwrap();
        let (initial, width) = vec.observations_i64().unwrap();
        assert_eq!(width, 56, "{endpoint:?}");
        assert_eq!(initial.len(), 112);
        assert_eq!(initial[..56], initial[56..], "the same benchmark");

        let mut plain = cgym::make("llvm-autophase-ic-v0", endpoint, None).unwrap();
        let reset = plain.reset().unwrap().unwrap();
        assert_eq!(
            reset,
            Event::Int64Tensor(Tensor::vector(initial[..56].to_vec()))
        );

        // "-mem2reg" on env 1, the first action on env 0.
        let mem2reg = plain
            .action_space()
            .unwrap()
            .unwrap()
            .names()
            .unwrap()
            .iter()
            .position(|n| n == "-mem2reg")
            .unwrap() as i64;
        vec.step(&[0, mem2reg]).unwrap();
        let expected = plain.step(mem2reg).unwrap();
        assert_eq!(ok_result(&vec, 1), expected);
        let (values, width) = vec.observations_i64().unwrap();
        assert_eq!((values.len(), width), (112, 56));
        assert_eq!(
            Event::Int64Tensor(Tensor::vector(values[56..].to_vec())),
            expected.observations[0]
        );
        let rewards = vec.rewards().unwrap();
        assert_eq!(rewards[1], expected.rewards[0]);
        assert!(rewards[1] > 0.0, "mem2reg shrinks the program: {rewards:?}");
        assert_eq!(vec.dones().unwrap(), vec![false, false]);
        vec.close().unwrap();
    }
}
