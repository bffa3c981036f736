// SPDX-License-Identifier: MIT
//! Session plugins: the C example session loaded from libcgym-example-plugin.so with
//! `cgym::register_plugin` and driven in this process, and a bad plugin's errors as
//! `cgym::Error`s.
mod common;

use cgym::{Code, Env, ErrorKind};
use common::*;

fn connect(name: &str) -> Env {
    Env::connect(&format!("inproc:{name}"), &example_options())
        .expect("connecting to the example plugin")
}

#[test]
fn example_plugin_runs_in_process() {
    cgym::register_plugin("rust-plugin", example_plugin()).unwrap();
    let mut env = connect("rust-plugin");
    assert_eq!(env.version().unwrap().1, "1.0.0");
    check_example_spaces(&env);
    check_example_episode(&mut env);
    check_example_state(&mut env);
    check_example_fork(&mut env);
    env.close().unwrap();
    cgym::unregister_in_process("rust-plugin").unwrap();
    expect_code(
        Env::connect("inproc:rust-plugin", &example_options()),
        Code::NOT_FOUND,
    );
}

#[test]
fn registering_again_replaces_the_service() {
    let path = example_plugin();
    cgym::register_plugin("rust-plugin-twice", &path).unwrap();
    let mut first = connect("rust-plugin-twice");
    first.reset().unwrap();
    cgym::register_plugin("rust-plugin-twice", path.to_str().unwrap()).unwrap();
    let mut second = connect("rust-plugin-twice");
    second.reset().unwrap();
    assert!(!second.step(2).unwrap().done);
    cgym::unregister_in_process("rust-plugin-twice").unwrap();
    // An env keeps its service after the registration is gone.
    assert!(!first.step(1).unwrap().done);
}

#[test]
fn a_missing_plugin_is_not_found() {
    let missing = std::env::temp_dir().join("cgym-rust-test-no-such-plugin.so");
    let error = expect_code(
        cgym::register_plugin("rust-plugin-missing", &missing),
        Code::NOT_FOUND,
    );
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert!(
        error.message().contains(missing.to_str().unwrap()),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_a_library_is_service_init() {
    let dir = std::env::temp_dir().join(format!("cgym-rust-plugin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("fake.so");
    std::fs::write(&fake, "not a shared library\n").unwrap();
    let error = expect_code(
        cgym::register_plugin("rust-plugin-fake", &fake),
        Code::SERVICE_INIT,
    );
    assert!(error.is_service_error());
    assert!(
        error.message().contains("Cannot load the session plugin"),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_are_invalid() {
    expect_code(
        cgym::register_plugin("", example_plugin()),
        Code::INVALID_ARGUMENT,
    );
    expect_code(
        cgym::register_plugin("rust-plugin-bad", ""),
        Code::INVALID_ARGUMENT,
    );
    expect_code(
        cgym::register_plugin("rust-plugin-bad", "a\0b"),
        Code::INVALID_ARGUMENT,
    );
}
