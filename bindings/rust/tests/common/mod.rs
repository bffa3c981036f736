// SPDX-License-Identifier: MIT
//! Helpers shared by the test suites.
#![allow(dead_code)]

use cgym::{Code, Env, Event, Options, Space, Spaces, Tensor};

/// The benchmark every example test resets to.
pub const BENCHMARK: &str = "benchmark://example-compiler-v0/foo";

/// The path of the C example service, from CGYM_EXAMPLE_SERVICE_C. The suite fails (it does
/// not skip) when it is unset: tests must not pass silently.
pub fn c_example_service() -> String {
    let path = std::env::var("CGYM_EXAMPLE_SERVICE_C").unwrap_or_default();
    assert!(
        !path.is_empty(),
        "CGYM_EXAMPLE_SERVICE_C is not set: set it to build/release/services/example/cgym-example-service"
    );
    assert!(
        std::path::Path::new(&path).is_file(),
        "CGYM_EXAMPLE_SERVICE_C={path} is not a file"
    );
    path
}

/// The C example session as a session plugin: CGYM_EXAMPLE_PLUGIN, else
/// libcgym-example-plugin.so next to the C example service (the build puts both in
/// services/example/). Fails when neither names a file.
pub fn example_plugin() -> std::path::PathBuf {
    let path = match std::env::var("CGYM_EXAMPLE_PLUGIN") {
        Ok(path) if !path.is_empty() => std::path::PathBuf::from(path),
        _ => std::path::Path::new(&c_example_service()).with_file_name("libcgym-example-plugin.so"),
    };
    assert!(
        path.is_file(),
        "the example session plugin {} is not a file: set CGYM_EXAMPLE_PLUGIN",
        path.display()
    );
    path
}

/// Options for the example services: its benchmark, and bounded waits.
pub fn example_options() -> Options {
    Options::new()
        .benchmark(BENCHMARK)
        .init_max_seconds(60.0)
        .local_service_exit_max_seconds(30.0)
}

/// Asserts that `result` failed with `code`, and returns the error.
#[track_caller]
pub fn expect_code<T: std::fmt::Debug>(result: cgym::Result<T>, code: Code) -> cgym::Error {
    match result {
        Ok(value) => panic!("expected {code:?}, got Ok({value:?})"),
        Err(error) => {
            assert_eq!(error.code(), code, "unexpected error: {error}");
            error
        }
    }
}

/// The spaces of the example service, exactly.
pub fn check_example_spaces(env: &Env) {
    let actions = env.action_spaces().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].name, "default");
    assert_eq!(
        actions[0].space,
        Space::NamedDiscrete {
            names: vec!["a".into(), "b".into(), "c".into()]
        }
    );
    assert_eq!(actions[0].names().unwrap(), ["a", "b", "c"]);
    assert_eq!(env.action_space().unwrap().unwrap().name, "default");

    let observations = env.observation_spaces().unwrap();
    let names: Vec<&str> = observations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["ir", "features", "runtime"]);
    assert_eq!(
        observations[0].space,
        Space::String {
            min_length: 0,
            max_length: None
        }
    );
    assert!(observations[0].deterministic);
    assert!(!observations[0].platform_dependent);
    assert_eq!(
        observations[1].space,
        Space::Box {
            kind: cgym::sys::CGYM_SPACE_INT64_BOX,
            shape: vec![3],
            low: vec![-100.0; 3],
            high: vec![100.0; 3],
        }
    );
    assert!(!observations[1].deterministic);
    assert_eq!(
        observations[2].space,
        Space::Range {
            kind: cgym::sys::CGYM_SPACE_DOUBLE_RANGE,
            min: Some(0.0),
            max: None
        }
    );
    assert!(!observations[2].deterministic);
    assert!(observations[2].platform_dependent);
    assert_eq!(observations[2].default_observation, Event::None);
}

/// One episode of the example service with exact values; `env` is freshly connected.
pub fn check_example_episode(env: &mut Env) {
    // Before reset: no session.
    expect_code(env.step(0), Code::SESSION_NOT_FOUND);
    assert!(!env.in_episode());

    assert_eq!(
        env.reset().unwrap(),
        None,
        "no default observation space is set"
    );
    assert!(env.in_episode());
    assert_eq!(env.benchmark(), BENCHMARK);

    let result = env.step(0).unwrap();
    assert!(!result.done);
    assert!(result.observations.is_empty());
    assert!(result.rewards.is_empty());
    assert_eq!(result.error, None);
    assert_eq!(env.step_name("c").unwrap(), (false, 0.0));
    assert_eq!(env.action_count().unwrap(), 2);

    // Observations, exactly.
    assert_eq!(
        env.observe("ir").unwrap(),
        Event::String("Hello, world!".into())
    );
    assert_eq!(
        env.observe("features").unwrap(),
        Event::Int64Tensor(Tensor::new(vec![3], vec![0, 0, 0]))
    );
    assert_eq!(env.observe("runtime").unwrap(), Event::Double(0.0));
    assert_eq!(env.observe_string("ir").unwrap(), "Hello, world!");
    assert_eq!(env.observe_i64s("features").unwrap(), vec![0, 0, 0]);
    assert_eq!(env.observe_f64("runtime").unwrap(), 0.0);

    // A step naming its spaces.
    let result = env
        .step_with(
            &[Event::Int64(1), Event::Int64(2)],
            Spaces::Named(&["ir", "features", "runtime"]),
            Spaces::Named(&[]),
            None,
        )
        .unwrap();
    assert_eq!(
        result.observations,
        vec![
            Event::String("Hello, world!".into()),
            Event::Int64Tensor(Tensor::new(vec![3], vec![0, 0, 0])),
            Event::Double(0.0),
        ]
    );
    assert!(!result.done);
    assert_eq!(env.action_count().unwrap(), 4);

    // A default observation space, then reset returns it.
    env.set_observation_space(Some("ir")).unwrap();
    assert_eq!(
        env.reset().unwrap(),
        Some(Event::String("Hello, world!".into()))
    );
    let result = env.step(2).unwrap();
    assert_eq!(
        result.observations,
        vec![Event::String("Hello, world!".into())]
    );
    env.set_observation_space(None).unwrap();

    // An out-of-range action: INVALID_ARGUMENT with the service's message; the episode goes on.
    let error = expect_code(env.step(3), Code::INVALID_ARGUMENT);
    assert_eq!(error.message(), "Out-of-range");
    assert_eq!(error.kind(), cgym::ErrorKind::InvalidArgument);
    assert!(!error.is_service_error());
    let error = expect_code(env.step(-1), Code::INVALID_ARGUMENT);
    assert_eq!(error.message(), "Out-of-range");
    assert!(env.in_episode());
    assert!(!env.step(1).unwrap().done);

    // Unknown spaces and action names: NOT_FOUND.
    expect_code(env.observe("nope"), Code::NOT_FOUND);
    expect_code(
        env.step_with(
            &[Event::Int64(0)],
            Spaces::Named(&["nope"]),
            Spaces::Default,
            None,
        ),
        Code::NOT_FOUND,
    );
    expect_code(env.set_observation_space(Some("nope")), Code::NOT_FOUND);
    expect_code(env.step_name("z"), Code::NOT_FOUND);
    // Reading a string observation as a number: FAILED_PRECONDITION.
    expect_code(env.observe_f64("ir"), Code::FAILED_PRECONDITION);
    expect_code(env.observe_i64s("ir"), Code::FAILED_PRECONDITION);
}

/// State JSON of an episode: benchmark and commandline of the actions.
pub fn check_example_state(env: &mut Env) {
    env.reset().unwrap();
    env.step(0).unwrap();
    env.step(2).unwrap();
    let json = env.state_json().unwrap();
    assert!(
        json.contains(&format!("\"benchmark\":\"{BENCHMARK}\""))
            || json.contains(&format!("\"benchmark\": \"{BENCHMARK}\"")),
        "{json}"
    );
    assert!(json.contains("\"commandline\""), "{json}");
    assert!(json.contains("\"walltime\""), "{json}");
    let csv = env.state_csv(true).unwrap();
    assert!(
        csv.starts_with("benchmark,reward,walltime,commandline"),
        "{csv}"
    );
    assert!(csv.contains(BENCHMARK), "{csv}");

    // Replaying the state in a fresh episode gives the same commandline.
    env.reset().unwrap();
    env.apply_state(&json).unwrap();
    assert_eq!(env.action_count().unwrap(), 2);
    expect_code(env.apply_state("{not json"), Code::INVALID_ARGUMENT);
}

/// Forks are independent of their parent and may outlive it.
pub fn check_example_fork(env: &mut Env) {
    env.reset().unwrap();
    env.step(0).unwrap();
    let mut fork = env.fork().unwrap();
    assert_eq!(fork.action_count().unwrap(), 1);
    fork.step(1).unwrap();
    fork.step(2).unwrap();
    assert_eq!(fork.action_count().unwrap(), 3);
    assert_eq!(env.action_count().unwrap(), 1);
    env.step(2).unwrap();
    assert_eq!(env.action_count().unwrap(), 2);
    assert_eq!(fork.action_count().unwrap(), 3);
    assert_ne!(env.state_json().unwrap(), fork.state_json().unwrap());
    // A fork of a fork, then the parent goes first.
    let mut grandchild = fork.fork().unwrap();
    let parent = std::mem::replace(env, fork);
    drop(parent);
    // `env` is now the fork: it still works after its parent is gone.
    assert_eq!(env.observe_string("ir").unwrap(), "Hello, world!");
    env.step(0).unwrap();
    assert_eq!(env.action_count().unwrap(), 4);
    assert_eq!(grandchild.action_count().unwrap(), 3);
    grandchild.step(1).unwrap();
    drop(grandchild);
    assert!(!env.step(1).unwrap().done);
}
