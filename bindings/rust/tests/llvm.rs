// SPDX-License-Identifier: MIT
//! The LLVM environment (services/llvm) from Rust: in-process through its session plugin
//! (libcgym-llvm.so loaded with `cgym::register_plugin`), and as a managed service
//! (cgym-llvm-service); the same episode through both gives the same observations.
//!
//! The service binary comes from CGYM_LLVM_SERVICE; the plugin from CGYM_LLVM_PLUGIN, else
//! libcgym-llvm.so next to the service binary. LLVM is optional: with CGYM_LLVM_SERVICE unset
//! these tests print why and pass without running; a variable naming a missing file fails them
//! (a typo must not pass as a skip).
mod common;

use std::path::{Path, PathBuf};
use std::sync::Once;

use cgym::{Code, Env, ErrorKind, Event, Options, Spaces};
use common::expect_code;

const FIBONACCI: &str = "benchmark://cgym-v0/fibonacci";
const OBSERVED: [&str; 5] = [
    "Ir",
    "IrSha1",
    "InstCount",
    "Autophase",
    "IrInstructionCount",
];

/// The service binary, or `None` (with a message) when CGYM_LLVM_SERVICE is unset.
fn llvm_service() -> Option<PathBuf> {
    let path = match std::env::var("CGYM_LLVM_SERVICE") {
        Ok(path) if !path.is_empty() => PathBuf::from(path),
        _ => {
            eprintln!("skipped: CGYM_LLVM_SERVICE is not set (set it to cgym-llvm-service)");
            return None;
        }
    };
    assert!(
        path.is_file(),
        "CGYM_LLVM_SERVICE={} is not a file",
        path.display()
    );
    Some(path)
}

fn llvm_plugin(service: &Path) -> PathBuf {
    let path = match std::env::var("CGYM_LLVM_PLUGIN") {
        Ok(path) if !path.is_empty() => PathBuf::from(path),
        _ => service.with_file_name("libcgym-llvm.so"),
    };
    assert!(
        path.is_file(),
        "the LLVM session plugin {} is not a file: set CGYM_LLVM_PLUGIN",
        path.display()
    );
    path
}

/// The two endpoints (in-process, service binary), the plugin registered once per process.
fn endpoints() -> Option<(String, String)> {
    static REGISTER: Once = Once::new();
    let service = llvm_service()?;
    let plugin = llvm_plugin(&service);
    REGISTER.call_once(|| cgym::register_plugin("rust-llvm", &plugin).unwrap());
    Some(("inproc:rust-llvm".into(), service.to_str().unwrap().into()))
}

fn connect(endpoint: &str) -> Env {
    let options = Options::new()
        .benchmark(FIBONACCI)
        .init_max_seconds(60.0)
        .local_service_exit_max_seconds(30.0);
    Env::connect(endpoint, &options).expect("connecting to the LLVM environment")
}

/// Reads a varint at `*i` of a protobuf message.
fn varint(message: &[u8], i: &mut usize) -> u64 {
    let (mut value, mut shift) = (0u64, 0);
    loop {
        let byte = message[*i];
        *i += 1;
        value |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte < 0x80 {
            return value;
        }
    }
}

/// The length-delimited fields `number` of a protobuf message.
fn fields(message: &[u8], number: u64) -> Vec<&[u8]> {
    let (mut out, mut i) = (Vec::new(), 0);
    while i < message.len() {
        let key = varint(message, &mut i);
        match key & 7 {
            0 => {
                varint(message, &mut i);
            }
            1 => i += 8,
            5 => i += 4,
            2 => {
                let length = varint(message, &mut i) as usize;
                if key >> 3 == number {
                    out.push(&message[i..i + length]);
                }
                i += length;
            }
            wire => panic!("unexpected wire type {wire}"),
        }
    }
    out
}

/// The flags of the PassesAll space. The environment sends a CommandlineSpace packed in the
/// space's any_value, which the binding shows as an opaque space: its names are read from the
/// serialized ActionSpace (space = 2, Space.any_value = 24, Any.value = 2,
/// CommandlineSpace.name = 1). A NamedDiscrete space, should the client unpack it, is read
/// directly.
fn action_names(env: &Env) -> Vec<String> {
    let space = env.action_space().unwrap().expect("an action space");
    assert_eq!(space.name, "PassesAll");
    if let Some(names) = space.names() {
        return names.to_vec();
    }
    let mut data = std::ptr::null_mut();
    let mut length = 0usize;
    // SAFETY: the env's action space is valid while `env` lives; `data` becomes owned and is
    // copied, then freed with cgym_free.
    let message = unsafe {
        let status = cgym::sys::cgym_action_space_serialize(
            cgym::sys::cgym_env_action_space(env.as_raw()),
            &mut data,
            &mut length,
        );
        assert_eq!(status, cgym::sys::CGYM_OK);
        let bytes = std::slice::from_raw_parts(data as *const u8, length).to_vec();
        cgym::sys::cgym_free(data);
        bytes
    };
    let mut inner: &[u8] = &message;
    for number in [2, 24, 2] {
        let found = fields(inner, number);
        assert_eq!(found.len(), 1, "no CommandlineSpace in the action space");
        inner = found[0];
    }
    fields(inner, 1)
        .into_iter()
        .map(|name| String::from_utf8(name.to_vec()).unwrap())
        .collect()
}

fn observe_all(env: &mut Env) -> Vec<Event> {
    OBSERVED
        .iter()
        .map(|name| env.observe(name).unwrap())
        .collect()
}

fn index_of(names: &[String], flag: &str) -> i64 {
    names.iter().position(|n| n == flag).expect(flag) as i64
}

/// The short episode on fibonacci, checked as it goes; returns what it observed at the start,
/// after -mem2reg and on the fork after -instcombine.
fn run_episode(endpoint: &str) -> Vec<Vec<Event>> {
    let mut env = connect(endpoint);
    assert_eq!(env.reset().unwrap(), None, "no default observation space");
    let names = action_names(&env);
    assert_eq!(names.len(), 124);
    let mem2reg = index_of(&names, "-mem2reg");
    let instcombine = index_of(&names, "-instcombine");
    assert_eq!((mem2reg, instcombine), (103, 53), "CompilerGym's indices");

    let start_obs = observe_all(&mut env);
    let start = env.observe("IrInstructionCount").unwrap().as_i64().unwrap();
    assert!(start > 10, "{start}");

    let result = env.step(mem2reg).unwrap();
    assert!(!result.done && result.error.is_none(), "{result:?}");
    assert!(!result.action_had_no_effect);
    let after = env.observe("IrInstructionCount").unwrap().as_i64().unwrap();
    assert!(after < start, "{after} >= {start}");
    // Again: nothing left to promote.
    let result = env
        .step_with(
            &[Event::Int64(mem2reg)],
            Spaces::Named(&["IrInstructionCount"]),
            Spaces::Named(&[]),
            None,
        )
        .unwrap();
    assert!(!result.done && result.action_had_no_effect, "{result:?}");
    assert_eq!(result.observations, vec![Event::Int64(after)]);

    let obs = observe_all(&mut env);
    match &obs[2] {
        Event::Int64Tensor(t) => {
            assert_eq!(t.shape, vec![70]);
            assert_eq!(t.values.len(), 70);
            assert_eq!(t.values[0], after, "InstCount[0] is IrInstructionCount");
        }
        other => panic!("InstCount: {other:?}"),
    }
    assert_eq!(env.observe_i64s("Autophase").unwrap().len(), 56);
    let ir = env.observe_string("Ir").unwrap();
    assert!(ir.contains("define"), "{ir}");
    let sha1 = env.observe_string("IrSha1").unwrap();
    assert_eq!(sha1.len(), 40, "{sha1}");
    assert!(
        sha1.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{sha1}"
    );

    assert_eq!(
        env.send_param("llvm.get_action_timeout_seconds", "")
            .unwrap(),
        "60"
    );

    let mut fork = env.fork().unwrap();
    assert_eq!(fork.observe_string("Ir").unwrap(), ir);
    let result = fork.step(instcombine).unwrap();
    assert!(!result.done && !result.action_had_no_effect, "{result:?}");
    let fork_obs = observe_all(&mut fork);
    assert_ne!(fork.observe_string("Ir").unwrap(), ir);
    fork.close().unwrap();
    drop(fork);
    assert_eq!(
        env.observe_string("Ir").unwrap(),
        ir,
        "the parent is unchanged"
    );
    assert_eq!(env.observe_string("IrSha1").unwrap(), sha1);
    assert_eq!(
        env.actions().unwrap(),
        vec![Event::Int64(mem2reg), Event::Int64(mem2reg)]
    );
    env.close().unwrap();
    vec![start_obs, obs, fork_obs]
}

#[test]
fn in_process_episode() {
    let Some((inproc, _)) = endpoints() else {
        return;
    };
    run_episode(&inproc);
}

#[test]
fn service_and_in_process_observe_the_same() {
    let Some((inproc, service)) = endpoints() else {
        return;
    };
    let in_process = run_episode(&inproc);
    let by_service = run_episode(&service);
    for (stage, (a, b)) in ["start", "mem2reg", "fork"]
        .iter()
        .zip(in_process.iter().zip(&by_service))
    {
        for (name, (x, y)) in OBSERVED.iter().zip(a.iter().zip(b)) {
            assert_eq!(x, y, "{stage}/{name}");
        }
    }
}

fn check_errors(endpoint: &str) {
    let mut env = connect(endpoint);
    env.reset().unwrap();
    for action in [124, -1] {
        let error = expect_code(env.step(action), Code::INVALID_ARGUMENT);
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert_eq!(error.message(), format!("Action out of range: {action}"));
    }
    // The episode goes on.
    let mem2reg = index_of(&action_names(&env), "-mem2reg");
    assert!(!env.step(mem2reg).unwrap().done);

    // A program that does not parse: INVALID_ARGUMENT with LLVM's diagnostic (CompilerGym's
    // own client would raise BenchmarkInitError), and no episode.
    env.set_benchmark("benchmark://test/bad", Some(b"not LLVM"))
        .unwrap();
    let error = expect_code(env.reset(), Code::INVALID_ARGUMENT);
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(
        error.message().contains("expected top-level entity"),
        "{error}"
    );
    assert!(!env.in_episode());
}

#[test]
fn errors_in_process() {
    let Some((inproc, _)) = endpoints() else {
        return;
    };
    check_errors(&inproc);
}

#[test]
fn errors_through_the_service() {
    let Some((_, service)) = endpoints() else {
        return;
    };
    check_errors(&service);
}
