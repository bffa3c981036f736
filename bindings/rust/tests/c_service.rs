// SPDX-License-Identifier: MIT
//! The binding against the C example service, launched as a managed service
//! (CGYM_EXAMPLE_SERVICE_C). Managed services listen on loopback (the default --host) and
//! stop when their last env is dropped.
mod common;

use cgym::{Code, Env, ErrorKind, Options};
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
    assert_eq!(env.action_count(), 1);
    // A fork may be used from another thread while the parent is used here.
    let mut fork = env.fork().unwrap();
    let handle = std::thread::spawn(move || {
        for _ in 0..5 {
            fork.step(0).unwrap();
        }
        fork.action_count()
    });
    for _ in 0..5 {
        env.step(2).unwrap();
    }
    assert_eq!(handle.join().unwrap(), 6);
    assert_eq!(env.action_count(), 6);
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
