// SPDX-License-Identifier: MIT
//! The binding against the C example service, launched as a managed service
//! (CGYM_EXAMPLE_SERVICE_C). Managed services are private to the client (a Unix socket in
//! a directory of its own and a token, docs/security.md) and stop when their last env is
//! dropped.
mod common;

use cgym::{Code, Env, ErrorKind, Event, Options, Spaces};
use common::*;

fn connect() -> Env {
    Env::connect(&c_example_service(), &example_options())
        .expect("connecting to the C example service")
}

#[test]
fn versions() {
    assert_eq!(cgym::version_number() / 10000, cgym::HEADER_VERSION.0);
    let (major, minor, patch) = cgym::HEADER_VERSION;
    assert_eq!(cgym::version_string(), format!("{major}.{minor}.{patch}"));
    assert_eq!(cgym::protocol_version(), "0.2.5");
    let mut env = connect();
    let (service, compiler) = env.version().unwrap();
    assert_eq!(service, cgym::protocol_version());
    assert_eq!(compiler, "1.0.0");
}

#[test]
fn spaces() {
    let env = connect();
    check_example_spaces(&env);
}

#[test]
fn episode() {
    let mut env = connect();
    check_example_episode(&mut env);
}

#[test]
fn state() {
    let mut env = connect();
    check_example_state(&mut env);
}

#[test]
fn fork() {
    let mut env = connect();
    check_example_fork(&mut env);
}

#[test]
fn close_then_reset_reconnects() {
    let mut env = connect();
    env.reset().unwrap();
    env.step(0).unwrap();
    env.close().unwrap();
    env.close().unwrap(); // idempotent
    assert!(!env.in_episode());
    expect_code(env.step(0), Code::SESSION_NOT_FOUND);
    env.reset().unwrap();
    assert!(!env.step(1).unwrap().done);
}

#[test]
fn env_moves_between_threads() {
    let mut env = connect();
    env.reset().unwrap();
    let mut env = std::thread::spawn(move || {
        env.step(1).unwrap();
        env
    })
    .join()
    .unwrap();
    assert_eq!(env.action_count().unwrap(), 1);
    // A fork may be used from another thread while the parent is used here.
    let mut fork = env.fork().unwrap();
    let handle = std::thread::spawn(move || {
        for _ in 0..5 {
            fork.step(0).unwrap();
        }
        fork.action_count().unwrap()
    });
    for _ in 0..5 {
        env.step(2).unwrap();
    }
    assert_eq!(handle.join().unwrap(), 6);
    assert_eq!(env.action_count().unwrap(), 6);
}

#[test]
fn connect_errors() {
    let error = expect_code(Env::connect("", &Options::new()), Code::INVALID_ARGUMENT);
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(!error.message().is_empty());

    let error = expect_code(
        Env::connect("/nonexistent/cgym-rust-test-service", &Options::new()),
        Code::NOT_FOUND,
    );
    assert_eq!(error.kind(), ErrorKind::NotFound);

    let error = expect_code(
        Env::connect("inproc:no-such-service-registered", &Options::new()),
        Code::NOT_FOUND,
    );
    assert_eq!(error.parent(), None);

    // A bad option value is reported by connect.
    let options = Options {
        init_max_seconds: Some(-1.0),
        ..Options::new()
    };
    expect_code(
        Env::connect(&c_example_service(), &options),
        Code::INVALID_ARGUMENT,
    );
    // A NUL byte cannot cross the C ABI.
    expect_code(
        Env::connect("a\0b", &Options::new()),
        Code::INVALID_ARGUMENT,
    );
}

#[test]
fn no_benchmark_is_failed_precondition() {
    let mut env = Env::connect(&c_example_service(), &Options::new()).unwrap();
    let error = expect_code(env.reset(), Code::FAILED_PRECONDITION);
    assert_eq!(error.kind(), ErrorKind::FailedPrecondition);
    env.set_benchmark(BENCHMARK, Some(b"program bytes"))
        .unwrap();
    env.reset().unwrap();
    assert_eq!(env.benchmark(), BENCHMARK);
}

#[test]
fn actions_of_the_episode() {
    let mut env = connect();
    env.reset().unwrap();
    assert_eq!(env.actions().unwrap(), Vec::<Event>::new());
    assert_eq!(env.step_index(0).unwrap(), (false, 0.0));
    assert_eq!(env.step_name("c").unwrap(), (false, 0.0));
    env.step_with(
        &[Event::Int64(1), Event::Int64(1)],
        Spaces::Default,
        Spaces::Default,
        None,
    )
    .unwrap();
    assert_eq!(
        env.actions().unwrap(),
        [0, 2, 1, 1].map(Event::Int64).to_vec()
    );
    assert_eq!(env.action_count().unwrap(), 4);
    let error = expect_code(env.step_index(7), Code::INVALID_ARGUMENT);
    assert_eq!(error.message(), "Out-of-range");
    // A new episode starts with no actions.
    env.reset().unwrap();
    assert_eq!(env.actions().unwrap(), Vec::<Event>::new());
}

#[test]
fn timeouts() {
    let options = example_options().observation_space("ir");
    let options = Options {
        init_max_attempts: Some(1),
        ..options
    };
    let mut env = Env::connect(&c_example_service(), &options).unwrap();
    assert_eq!(
        env.reset_with_timeout(60.0).unwrap(),
        Some(Event::from("Hello, world!"))
    );
    let step = env
        .step_with(
            &[Event::Int64(1)],
            Spaces::Default,
            Spaces::Default,
            Some(60.0),
        )
        .unwrap();
    assert!(!step.done);
    // No deadline at all.
    let step = env
        .step_with(
            &[Event::Int64(1)],
            Spaces::Default,
            Spaces::Default,
            Some(f64::INFINITY),
        )
        .unwrap();
    assert!(!step.done, "{step:?}");
    // Timeouts libcgym refuses, before anything is sent.
    for bad in [-1.0, f64::NAN, f64::NEG_INFINITY] {
        expect_code(
            env.step_with(
                &[Event::Int64(1)],
                Spaces::Default,
                Spaces::Default,
                Some(bad),
            ),
            Code::INVALID_ARGUMENT,
        );
        expect_code(env.reset_with_timeout(bad), Code::INVALID_ARGUMENT);
    }
    assert!(env.in_episode());
    assert_eq!(env.action_count().unwrap(), 2);
    // A deadline that has passed fails the step: the episode ends with the error.
    let step = env
        .step_with(
            &[Event::Int64(1)],
            Spaces::Default,
            Spaces::Default,
            Some(0.0),
        )
        .unwrap();
    assert!(step.done);
    assert_eq!(
        step.error,
        Some((
            "TimeoutError".to_string(),
            "Deadline Exceeded (0.0 seconds)".to_string()
        ))
    );
    assert!(!env.in_episode());
    // ...and fails a reset, as a broken service does (one attempt allowed here).
    let error = expect_code(env.reset_with_timeout(0.0), Code::SERVICE_INIT);
    assert!(
        error.message().contains("Deadline Exceeded (0.0 seconds)"),
        "{error}"
    );
    // The env recovers with a reset that has time.
    env.reset_with_timeout(60.0).unwrap();
    assert_eq!(env.step_index(1).unwrap(), (false, 0.0));
}

#[test]
fn validate_and_convert_states() {
    let mut env = connect();
    env.reset().unwrap();
    env.step_name("a").unwrap();
    env.step_name("c").unwrap();
    let json = env.state_json().unwrap();
    assert!(json.contains("\"commandline\": \"a c\""), "{json}");

    let validation = env.validate(Some(&json)).unwrap();
    assert!(validation.okay, "{validation:?}");
    assert!(
        validation.json.contains("\"actions_replay_failed\": false"),
        "{validation:?}"
    );
    assert!(env.validate(None).unwrap().okay);
    // Validating replays in a fork: the episode is untouched.
    assert_eq!(env.action_count().unwrap(), 2);
    expect_code(env.validate(Some("{not json")), Code::INVALID_ARGUMENT);

    let csv = env.state_csv(true).unwrap();
    let states = cgym::states_csv_to_json(&csv).unwrap();
    assert!(states.trim_start().starts_with('['), "{states}");
    assert!(states.contains("\"commandline\": \"a c\""), "{states}");
    let back = cgym::states_json_to_csv(&states, false).unwrap();
    assert!(back.starts_with(&format!("{BENCHMARK},,")), "{back}");
    assert_eq!(
        cgym::states_json_to_csv(&states, true).unwrap(),
        csv,
        "CSV -> JSON -> CSV is the identity"
    );
    expect_code(cgym::states_csv_to_json("abcdef\n"), Code::INVALID_ARGUMENT);
    expect_code(cgym::states_json_to_csv("{}", true), Code::INVALID_ARGUMENT);
}
