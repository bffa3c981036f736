// SPDX-License-Identifier: MIT
//! A definition's service data (its compiler version) is dropped once nothing uses it any
//! more: not while a registration or an env still needs it, and not leaked afterwards. One
//! test in its own binary, so that no other test's definitions are counted.
#[path = "../examples/example_service.rs"]
mod example;

use cgym::{live_service_data, Env, Event, Options};

#[test]
fn service_data_is_dropped_when_the_last_user_is_gone() {
    assert_eq!(live_service_data(), 0);

    // A definition alone.
    let def = example::example_service_def().unwrap();
    assert_eq!(live_service_data(), 1);
    drop(def);
    assert_eq!(live_service_data(), 0);

    // A registration outlives its definition, and an env outlives the registration.
    let def = example::example_service_def().unwrap();
    def.register_in_process("rust-service-data").unwrap();
    drop(def);
    assert_eq!(live_service_data(), 1, "the registration still uses it");
    let options = Options::new().benchmark("benchmark://example-compiler-v0/foo");
    let mut env = Env::connect("inproc:rust-service-data", &options).unwrap();
    env.reset().unwrap();
    let mut fork = env.fork().unwrap();
    cgym::unregister_in_process("rust-service-data").unwrap();
    assert_eq!(live_service_data(), 1, "the envs still use it");
    assert_eq!(env.version().unwrap().1, "1.0.0");
    drop(env);
    assert_eq!(live_service_data(), 1, "the fork still uses it");
    assert_eq!(fork.observe("ir").unwrap(), Event::from("Hello, world!"));
    drop(fork);
    assert_eq!(live_service_data(), 0, "dropped with the last env");

    // Registering a name again replaces (and releases) the old registration.
    let first = example::example_service_def().unwrap();
    first.register_in_process("rust-service-data").unwrap();
    drop(first);
    let second = example::example_service_def().unwrap();
    second.register_in_process("rust-service-data").unwrap();
    assert_eq!(
        live_service_data(),
        1,
        "the first registration was replaced"
    );
    drop(second);
    cgym::unregister_in_process("rust-service-data").unwrap();
    assert_eq!(live_service_data(), 0);
}
