// SPDX-License-Identifier: MIT
//! The Rust example service (examples/example_service.rs) as a managed service process:
//! ServiceDef::serve through cgym_service_run, launched and stopped by the client. `cargo
//! test` builds the examples next to the test binaries (target/<profile>/examples).
mod common;

use cgym::Env;
use common::*;

fn rust_example_service() -> String {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test> -> target/<profile>/examples/example_service
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join("example_service"))
        .unwrap();
    assert!(
        path.is_file(),
        "{} not found: run through `cargo test`, which builds the examples",
        path.display()
    );
    path.to_string_lossy().into_owned()
}

#[test]
fn rust_example_as_a_service_process() {
    let mut env = Env::connect(&rust_example_service(), &example_options()).unwrap();
    let (service, compiler) = env.version().unwrap();
    assert_eq!(service, cgym::protocol_version());
    assert_eq!(compiler, "1.0.0");
    check_example_spaces(&env);
    check_example_episode(&mut env);
    check_example_state(&mut env);
    check_example_fork(&mut env);
    env.close().unwrap();
}
