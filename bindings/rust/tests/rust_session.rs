// SPDX-License-Identifier: MIT
//! Sessions written in Rust, registered in-process: the example session (the same checks as
//! against the C service), and sessions that fail in every way the binding maps.
mod common;

#[path = "../examples/example_service.rs"]
mod example;

use std::collections::BTreeMap;
use std::sync::Once;

use cgym::{
    ActionOutcome, ActionSpace, Benchmark, Code, CompilationSession, EndOfStep, Env, Error,
    ErrorKind, Event, ObservationSpace, Options, ServiceDef, Space, Spaces, Tensor,
};
use common::*;

const EXAMPLE: &str = "inproc:rust-example";

fn register_example() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        example::example_service_def()
            .unwrap()
            .register_in_process("rust-example")
            .unwrap()
    });
}

fn connect_example() -> Env {
    register_example();
    Env::connect(EXAMPLE, &example_options()).unwrap()
}

#[test]
fn example_versions() {
    let mut env = connect_example();
    let (service, compiler) = env.version().unwrap();
    assert_eq!(service, cgym::protocol_version());
    assert_eq!(compiler, "1.0.0");
}

#[test]
fn example_spaces() {
    check_example_spaces(&connect_example());
}

#[test]
fn example_episode() {
    check_example_episode(&mut connect_example());
}

#[test]
fn example_state() {
    check_example_state(&mut connect_example());
}

#[test]
fn example_fork() {
    check_example_fork(&mut connect_example());
}

// --- A session that fails on demand -----------------------------------------------------

/// Action i of the "default" space (discrete 12) does what FAILURES[i] says; observation
/// "value" returns the number of actions applied; "panic" panics; "error" fails. Parameter
/// "remember" keeps a value in the session, which "recall" returns.
struct Failing {
    actions: i64,
    end_requested: bool,
    remembered: String,
}

const FAILURES: &[(Code, &str)] = &[
    (Code::OK, "fine"),
    (Code::INVALID_ARGUMENT, "bad action"),
    (Code::NOT_FOUND, "no such thing"),
    (Code::FAILED_PRECONDITION, "wrong state"),
    (Code::UNIMPLEMENTED, "not supported"),
    (Code::DEADLINE_EXCEEDED, "too slow"),
    (Code::RESOURCE_EXHAUSTED, "out of memory"),
    (Code::INTERNAL, "compiler crashed"),
    (Code::SESSION_NOT_FOUND, "a code from 100"),
];
const PANIC_ACTION: i64 = 9;
const END_ACTION: i64 = 10;
const END_OF_STEP_ACTION: i64 = 11;

impl CompilationSession for Failing {
    fn init(action_space: &ActionSpace, benchmark: &Benchmark<'_>) -> cgym::Result<Self> {
        assert_eq!(action_space.name, "default");
        if benchmark.uri.ends_with("/init-fails") {
            return Err(Error::new(
                Code::INVALID_ARGUMENT,
                "init refused the benchmark",
            ));
        }
        if benchmark.uri.ends_with("/init-panics") {
            panic!("init panicked on purpose");
        }
        Ok(Failing {
            actions: 0,
            end_requested: false,
            remembered: String::new(),
        })
    }

    fn apply_action(&mut self, action: &Event) -> cgym::Result<ActionOutcome> {
        let index = action
            .as_i64()
            .ok_or_else(|| Error::invalid_argument("not an index"))?;
        self.actions += 1;
        match index {
            PANIC_ACTION => panic!("apply_action panicked on purpose"),
            END_ACTION => Ok(ActionOutcome {
                end_of_episode: true,
                ..ActionOutcome::default()
            }),
            END_OF_STEP_ACTION => {
                self.end_requested = true;
                Ok(ActionOutcome {
                    action_had_no_effect: true,
                    ..ActionOutcome::default()
                })
            }
            i => match FAILURES.get(i as usize) {
                Some((Code::OK, _)) => Ok(ActionOutcome::default()),
                Some((code, message)) => Err(Error::new(*code, *message)),
                None => Err(Error::invalid_argument("Out-of-range")),
            },
        }
    }

    fn observation(&mut self, index: usize, space: &str) -> cgym::Result<Event> {
        match (index, space) {
            (0, "value") => Ok(Event::Int64(self.actions)),
            (1, "panic") => panic!("observation panicked on purpose"),
            (2, "error") => Err(Error::new(Code::UNIMPLEMENTED, "no such observation today")),
            _ => Err(Error::new(
                Code::INTERNAL,
                format!("unexpected space {index} {space}"),
            )),
        }
    }

    fn fork(&self) -> cgym::Result<Self> {
        Ok(Failing {
            actions: self.actions,
            end_requested: self.end_requested,
            remembered: self.remembered.clone(),
        })
    }

    fn end_of_step(&mut self, action_had_no_effect: bool) -> cgym::Result<EndOfStep> {
        // Ends the episode after END_OF_STEP_ACTION (a no-op).
        Ok(EndOfStep {
            end_of_episode: self.end_requested && action_had_no_effect,
            new_action_space: None,
        })
    }

    fn parameter(&mut self, key: &str, value: &str) -> cgym::Result<Option<String>> {
        match key {
            "echo" => Ok(Some(format!("echo:{value}"))),
            "remember" => {
                self.remembered = value.to_string();
                Ok(Some("ok".into()))
            }
            "recall" => Ok(Some(self.remembered.clone())),
            "fail" => Err(Error::new(Code::FAILED_PRECONDITION, "parameter refused")),
            "panic" => panic!("parameter panicked on purpose"),
            _ => Ok(None),
        }
    }
}

fn register_failing() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let mut def = ServiceDef::<Failing>::new("failing-1").unwrap();
        def.add_action_space(&ActionSpace::new("default", Space::Discrete { n: 12 }))
            .unwrap();
        for name in ["value", "panic", "error"] {
            def.add_observation_space(&ObservationSpace::new(
                name,
                Space::Range {
                    kind: cgym::sys::CGYM_SPACE_INT64_RANGE,
                    min: Some(0.0),
                    max: None,
                },
            ))
            .unwrap();
        }
        def.register_in_process("rust-failing").unwrap();
    });
}

fn connect_failing(benchmark: &str) -> Env {
    register_failing();
    let options = Options::new().benchmark(benchmark);
    Env::connect("inproc:rust-failing", &options).unwrap()
}

/// How the client sees each failure of FAILURES: an error of the call with this code (the
/// episode goes on), or a failed step (done, with this CompilerGym error type).
const EXPECTED: &[Result<Code, &str>] = &[
    Ok(Code::OK),
    Ok(Code::INVALID_ARGUMENT),
    Ok(Code::NOT_FOUND),
    Ok(Code::FAILED_PRECONDITION),
    Ok(Code::UNIMPLEMENTED),
    Err("TimeoutError"),
    Err("ServiceOSError"),
    Err("ServiceError"),
    Err("ServiceError"), // a code from 100 reaches the client as INTERNAL
];

#[test]
fn session_errors_reach_the_client_with_their_code() {
    let mut env = connect_failing("benchmark://failing/ok");
    env.reset().unwrap();
    assert_eq!(env.version().unwrap().1, "failing-1");
    assert!(!env.step(0).unwrap().done);
    for (index, ((_, message), expected)) in FAILURES.iter().zip(EXPECTED).enumerate().skip(1) {
        let result = env.step(index as i64);
        match *expected {
            Ok(code) => {
                let error = expect_code(result, code);
                assert_eq!(error.message(), *message, "action {index}");
                assert!(env.in_episode(), "action {index}: the episode goes on");
            }
            Err(error_type) => {
                let step = result.unwrap();
                assert!(step.done, "action {index}: {step:?}");
                let (kind, details) = step.error.expect("an error type");
                assert_eq!(kind, error_type, "action {index}");
                assert!(details.contains(message), "action {index}: {details}");
                assert!(!env.in_episode(), "action {index}: the episode is over");
                env.reset().unwrap();
            }
        }
    }
}

#[test]
fn invalid_argument_keeps_the_episode() {
    let mut env = connect_failing("benchmark://failing/ok");
    env.reset().unwrap();
    let error = expect_code(env.step(1), Code::INVALID_ARGUMENT);
    assert_eq!(error.message(), "bad action");
    assert!(env.in_episode());
    assert!(!env.step(0).unwrap().done);
    assert_eq!(env.observe("value").unwrap(), Event::Int64(2));
}

#[test]
fn panics_become_errors() {
    let mut env = connect_failing("benchmark://failing/ok");
    env.reset().unwrap();
    // A panic in apply_action: the client sees an error (never an abort), with the message.
    let step = env.step(PANIC_ACTION).unwrap();
    assert!(step.done, "{step:?}");
    let (kind, details) = step.error.unwrap();
    assert_eq!(kind, "ServiceError");
    assert!(
        details.contains("Rust session panicked in apply_action: apply_action panicked on purpose"),
        "{details}"
    );
    env.reset().unwrap();
    let error = env.observe("panic").unwrap_err();
    assert_eq!(error.code(), Code::INTERNAL, "{error}");
    assert!(
        error.message().contains("observation panicked on purpose"),
        "{error}"
    );
    // A failed observation is a failure of the service: the episode is over.
    assert!(!env.in_episode());
    env.reset().unwrap();
    let error = env.send_param("panic", "x").unwrap_err();
    assert_eq!(error.code(), Code::INTERNAL, "{error}");
    assert!(
        error.message().contains("parameter panicked on purpose"),
        "{error}"
    );
    // The session still works afterwards.
    env.reset().unwrap();
    env.step(0).unwrap();
    assert_eq!(env.observe("value").unwrap(), Event::Int64(1));
}

#[test]
fn observation_error() {
    let mut env = connect_failing("benchmark://failing/ok");
    env.reset().unwrap();
    let error = expect_code(env.observe("error"), Code::UNIMPLEMENTED);
    assert_eq!(error.kind(), ErrorKind::Unimplemented);
    assert_eq!(error.message(), "no such observation today");
}

#[test]
fn init_errors() {
    let mut env = connect_failing("benchmark://failing/init-fails");
    let error = expect_code(env.reset(), Code::INVALID_ARGUMENT);
    assert_eq!(error.message(), "init refused the benchmark");
    // A panic in init is a failure of the service: reset retries, then gives up.
    register_failing();
    let options = Options {
        init_max_attempts: Some(2),
        ..Options::new().benchmark("benchmark://failing/init-panics")
    };
    let mut env = Env::connect("inproc:rust-failing", &options).unwrap();
    let error = expect_code(env.reset(), Code::SERVICE_INIT);
    assert_eq!(error.kind(), ErrorKind::ServiceInit);
    assert!(
        error
            .message()
            .contains("Rust session panicked in init: init panicked on purpose"),
        "{error}"
    );
}

#[test]
fn parameters() {
    let mut env = connect_failing("benchmark://failing/ok");
    expect_code(env.send_param("echo", "x"), Code::SESSION_NOT_FOUND);
    env.reset().unwrap();
    assert_eq!(env.send_param("echo", "hi").unwrap(), "echo:hi");
    assert_eq!(env.send_param("echo", "again").unwrap(), "echo:again");
    let error = expect_code(env.send_param("fail", "x"), Code::FAILED_PRECONDITION);
    assert_eq!(error.message(), "parameter refused");
    let error = env.send_param("no.such.key", "x").unwrap_err();
    assert!(
        error.message().contains("Unknown parameter: no.such.key"),
        "{error}"
    );
}

#[test]
fn parameters_in_one_call() {
    let mut env = connect_failing("benchmark://failing/ok");
    expect_code(
        env.send_params(&[("echo", "x")], false),
        Code::SESSION_NOT_FOUND,
    );
    env.reset().unwrap();
    assert_eq!(
        env.send_params(&[("echo", "a"), ("echo", "b"), ("remember", "m")], false)
            .unwrap(),
        ["echo:a", "echo:b", "ok"]
    );
    assert_eq!(env.send_params(&[], false).unwrap(), Vec::<String>::new());
    assert_eq!(env.send_param("recall", "").unwrap(), "m");
    // Without resend_on_reset, a new episode's session has not seen the parameter.
    env.reset().unwrap();
    assert_eq!(env.send_param("recall", "").unwrap(), "");
    // With it, every reset sends it again.
    assert_eq!(
        env.send_params(&[("remember", "kept")], true).unwrap(),
        ["ok"]
    );
    env.reset().unwrap();
    assert_eq!(env.send_param("recall", "").unwrap(), "kept");
    env.reset().unwrap();
    assert_eq!(env.send_param("recall", "").unwrap(), "kept");
    // The session's error, and a key with a NUL byte (cannot cross as a C string).
    let error = expect_code(
        env.send_params(&[("echo", "ok"), ("fail", "x")], false),
        Code::FAILED_PRECONDITION,
    );
    assert_eq!(error.message(), "parameter refused");
    expect_code(
        env.send_params(&[("a\0b", "x")], false),
        Code::INVALID_ARGUMENT,
    );
}

#[test]
fn end_of_episode_flags() {
    let mut env = connect_failing("benchmark://failing/ok");
    env.reset().unwrap();
    let step = env.step(END_ACTION).unwrap();
    assert!(step.done);
    assert_eq!(step.error, None);
    env.reset().unwrap();
    let step = env.step(END_OF_STEP_ACTION).unwrap();
    assert!(step.action_had_no_effect);
    assert!(
        step.done,
        "end_of_step ends the episode after a no-op: {step:?}"
    );
}

#[test]
fn fork_copies_rust_state() {
    {
        let mut env = connect_failing("benchmark://failing/ok");
        env.reset().unwrap();
        env.step(0).unwrap();
        let mut fork = env.fork().unwrap();
        fork.step(0).unwrap();
        fork.step(0).unwrap();
        assert_eq!(env.observe("value").unwrap(), Event::Int64(1));
        assert_eq!(fork.observe("value").unwrap(), Event::Int64(3));
        drop(env); // the parent goes first
        assert_eq!(fork.observe("value").unwrap(), Event::Int64(3));
        let step = fork
            .step_with(
                &[Event::Int64(0)],
                Spaces::Named(&["value"]),
                Spaces::Default,
                None,
            )
            .unwrap();
        assert_eq!(step.observations, vec![Event::Int64(4)]);
    }
    // tests/session_lifetime.rs checks that every session is destroyed.
}

// --- A session without fork: clients replay the actions ---------------------------------

struct Counter {
    total: i64,
}

impl CompilationSession for Counter {
    fn init(_: &ActionSpace, benchmark: &Benchmark<'_>) -> cgym::Result<Self> {
        let program = benchmark.program.unwrap_or_default();
        Ok(Counter {
            total: program.len() as i64,
        })
    }
    fn apply_action(&mut self, action: &Event) -> cgym::Result<ActionOutcome> {
        self.total += action.as_i64().unwrap_or(0);
        Ok(ActionOutcome::default())
    }
    fn observation(&mut self, _: usize, _: &str) -> cgym::Result<Event> {
        Ok(Event::Int64(self.total))
    }
}

#[test]
fn fork_without_fork_slot_replays() {
    let mut def = ServiceDef::<Counter>::new("").unwrap();
    def.add_action_space(&ActionSpace::new("default", Space::Discrete { n: 100 }))
        .unwrap();
    def.add_observation_space(&ObservationSpace::new("total", Space::Discrete { n: 1000 }))
        .unwrap();
    def.register_in_process("rust-counter").unwrap();
    drop(def); // the registry keeps a copy
    let options = Options::new().benchmark_with_program("benchmark://counter/p", b"abc".to_vec());
    let mut env = Env::connect("inproc:rust-counter", &options).unwrap();
    env.reset().unwrap();
    assert_eq!(env.observe("total").unwrap(), Event::Int64(3));
    env.step(10).unwrap();
    env.step(20).unwrap();
    let mut fork = env.fork().unwrap();
    assert_eq!(fork.observe("total").unwrap(), Event::Int64(33));
    fork.step(1).unwrap();
    assert_eq!(fork.observe("total").unwrap(), Event::Int64(34));
    assert_eq!(env.observe("total").unwrap(), Event::Int64(33));
    cgym::unregister_in_process("rust-counter").unwrap();
    // Envs already connected keep the service.
    assert_eq!(env.observe("total").unwrap(), Event::Int64(33));
    expect_code(cgym::unregister_in_process("rust-counter"), Code::NOT_FOUND);
    expect_code(
        Env::connect("inproc:rust-counter", &options),
        Code::NOT_FOUND,
    );
}

// --- Values: every event kind through a session and back ----------------------------------

fn all_values() -> Vec<Event> {
    let mut dict = BTreeMap::new();
    dict.insert("a".to_string(), Event::Int64(1));
    dict.insert(
        "b".to_string(),
        Event::List(vec![Event::from("x"), Event::Bool(true)]),
    );
    // Dict keys cross as (pointer, length): a NUL byte is part of the key.
    dict.insert("k\0ey".to_string(), Event::Int64(2));
    dict.insert("k".to_string(), Event::Int64(3));
    vec![
        Event::None,
        Event::Bool(true),
        Event::Int64(-7),
        Event::Float(1.5),
        Event::Double(-2.25),
        Event::from("héllo"),
        Event::BoolTensor(Tensor::new(vec![2], vec![true, false])),
        Event::ByteTensor(Tensor::new(vec![3], vec![-1, 0, 1])),
        Event::Int64Tensor(Tensor::new(vec![2, 2], vec![1, 2, 3, 4])),
        Event::FloatTensor(Tensor::new(vec![1], vec![0.5])),
        Event::DoubleTensor(Tensor::new(vec![2, 1], vec![1e300, -0.0])),
        Event::StringTensor(Tensor::new(vec![2], vec!["a".into(), "".into()])),
        Event::List(vec![]),
        Event::List(vec![Event::Int64(1), Event::Double(2.0)]),
        Event::Dict(BTreeMap::new()),
        Event::Dict(dict),
        Event::Any {
            type_url: "type.googleapis.com/compiler_gym.Opaque".into(),
            data: vec![0, 1, 2, 255],
        },
    ]
}

struct Values;

impl CompilationSession for Values {
    fn init(_: &ActionSpace, _: &Benchmark<'_>) -> cgym::Result<Self> {
        Ok(Values)
    }
    fn apply_action(&mut self, _: &Event) -> cgym::Result<ActionOutcome> {
        Ok(ActionOutcome::default())
    }
    fn observation(&mut self, index: usize, _: &str) -> cgym::Result<Event> {
        Ok(all_values()[index].clone())
    }
}

#[test]
fn every_event_kind_crosses_the_abi() {
    let values = all_values();
    let mut def = ServiceDef::<Values>::new("v").unwrap();
    def.add_action_space(&ActionSpace::new("default", Space::Discrete { n: 1 }))
        .unwrap();
    for index in 0..values.len() {
        // The runtime does not check observations against their space.
        let space = Space::String {
            min_length: 0,
            max_length: None,
        };
        def.add_observation_space(&ObservationSpace::new(format!("v{index}"), space))
            .unwrap();
    }
    def.register_in_process("rust-values").unwrap();
    let mut env = Env::connect(
        "inproc:rust-values",
        &Options::new().benchmark("benchmark://v/v"),
    )
    .unwrap();
    env.reset().unwrap();
    for (index, value) in values.iter().enumerate() {
        assert_eq!(
            &env.observe(&format!("v{index}")).unwrap(),
            value,
            "value {index}"
        );
        // And through protobuf bytes.
        assert_eq!(
            &Event::from_bytes(&value.to_bytes().unwrap()).unwrap(),
            value
        );
    }
    // As actions too.
    let step = env
        .step_with(&values, Spaces::Named(&["v5"]), Spaces::Named(&[]), None)
        .unwrap();
    assert_eq!(step.observations, vec![Event::from("héllo")]);
}

#[test]
fn bad_values_are_rejected() {
    expect_code(
        Event::Int64Tensor(Tensor::new(vec![3], vec![1, 2])).to_bytes(),
        Code::INVALID_ARGUMENT,
    );
    expect_code(
        Event::from_bytes(&[0xff, 0xff, 0xff]),
        Code::INVALID_ARGUMENT,
    );
    assert_eq!(i64::try_from(Event::Int64(4)).unwrap(), 4);
    assert_eq!(f64::try_from(Event::Int64(4)).unwrap(), 4.0);
    assert_eq!(String::try_from(Event::from("s")).unwrap(), "s");
    expect_code(i64::try_from(Event::from("s")), Code::FAILED_PRECONDITION);
    expect_code(
        Tensor::<i64>::try_from(Event::Double(1.0)),
        Code::FAILED_PRECONDITION,
    );
}

#[test]
fn service_def_errors() {
    // Registration needs action and observation spaces.
    let def = ServiceDef::<Values>::new("v").unwrap();
    expect_code(
        def.register_in_process("rust-empty"),
        Code::INVALID_ARGUMENT,
    );
    let mut def = ServiceDef::<Values>::new("v").unwrap();
    def.add_action_space(&ActionSpace::new("default", Space::Discrete { n: 1 }))
        .unwrap();
    def.add_observation_space(&ObservationSpace::new("o", Space::Discrete { n: 1 }))
        .unwrap();
    expect_code(def.register_in_process(""), Code::INVALID_ARGUMENT);
    expect_code(ServiceDef::<Values>::new("a\0b"), Code::INVALID_ARGUMENT);
}

#[test]
fn error_hierarchy() {
    assert_eq!(Code::SESSION_NOT_FOUND.parent(), Some(Code::INTERNAL));
    assert_eq!(
        Code::ENVIRONMENT_NOT_SUPPORTED.parent(),
        Some(Code::SERVICE_INIT)
    );
    assert_eq!(
        Code::ENVIRONMENT_NOT_SUPPORTED.ancestry(),
        vec![
            Code::ENVIRONMENT_NOT_SUPPORTED,
            Code::SERVICE_INIT,
            Code::INTERNAL
        ]
    );
    assert_eq!(Code::BENCHMARK_INIT.parent(), Some(Code::INVALID_ARGUMENT));
    assert_eq!(Code::INVALID_ARGUMENT.parent(), None);
    assert!(Code::SERVICE_IS_CLOSED.is_service_error());
    assert!(!Code::NOT_FOUND.is_service_error());
    assert_eq!(Code::NOT_FOUND.name(), "NOT_FOUND");
    assert_eq!(Code(9999).name(), "UNKNOWN_CODE");
    let error = Error::new(Code::ENVIRONMENT_NOT_SUPPORTED, "x");
    assert_eq!(error.kind(), ErrorKind::EnvironmentNotSupported);
    assert!(error.is_a(Code::SERVICE_INIT));
    assert!(error.is_service_error());
    assert_eq!(Error::new(Code::ABORTED, "x").kind(), ErrorKind::Service);
    assert_eq!(
        Error::new(Code::BENCHMARK_INIT, "x").kind(),
        ErrorKind::BenchmarkInit
    );
    assert_eq!(Error::new(Code::OK, "x").code(), Code::UNKNOWN);
    assert_eq!(
        format!("{}", Error::new(Code::NOT_FOUND, "gone")),
        "NOT_FOUND: gone"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(boxed.to_string().contains("ENVIRONMENT_NOT_SUPPORTED"));
}

// Env is Send but not Sync: this compiles only if Env is not Sync (an ambiguous impl
// otherwise).
trait AmbiguousIfSync<A> {
    fn check() {}
}
impl<T: ?Sized> AmbiguousIfSync<()> for T {}
impl<T: ?Sized + Sync> AmbiguousIfSync<u8> for T {}

#[test]
fn env_is_send_not_sync() {
    fn assert_send<T: Send>() {}
    assert_send::<Env>();
    assert_send::<ServiceDef<Values>>();
    <Env as AmbiguousIfSync<_>>::check();
    <ServiceDef<Values> as AmbiguousIfSync<_>>::check();
}
