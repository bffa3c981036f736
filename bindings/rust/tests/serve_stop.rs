// SPDX-License-Identifier: MIT
//! `ServiceDef::serve` in a thread of this process, stopped by `cgym::stop_serving` (which
//! is how Rust code stops a service: Rust does not choose which thread gets a SIGTERM). One
//! test in its own binary: a running service owns process-wide state (logging, signals).
#[path = "../examples/example_service.rs"]
mod example;

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use cgym::{Env, Event, Options};

/// Starts `serve` in a thread with this working directory; returns the thread and the port
/// once port.txt is written (or panics with the exit code if serve returned first).
fn start(dir: &Path) -> (JoinHandle<i32>, u16) {
    let _ = std::fs::remove_dir_all(dir);
    let args = vec![
        "example_service".to_string(),
        format!("--working_dir={}", dir.display()),
    ];
    let handle = std::thread::spawn(move || {
        let def = example::example_service_def().unwrap();
        def.serve(args)
    });
    let port_file = dir.join("port.txt");
    // port.txt is written through a rename: once it exists, it is complete.
    while !port_file.is_file() {
        if handle.is_finished() {
            panic!("serve returned {} before listening", handle.join().unwrap());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let port = std::fs::read_to_string(&port_file).unwrap();
    (handle, port.trim().parse().unwrap())
}

fn connect(port: u16) -> Env {
    let options = Options::new().benchmark("benchmark://example-compiler-v0/foo");
    Env::connect(&format!("127.0.0.1:{port}"), &options).unwrap()
}

#[test]
fn stop_serving_stops_a_service_run_in_this_process() {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-stop");

    // Bad arguments: exit code 1 at once.
    let def = example::example_service_def().unwrap();
    assert_eq!(
        def.serve(["svc".to_string(), "--no_such_flag".to_string()]),
        1
    );
    drop(def);

    // No session left: 0.
    let (handle, port) = start(&base.join("a"));
    let mut env = connect(port);
    env.reset().unwrap();
    assert!(!env.step(1).unwrap().done);
    assert_eq!(env.observe("ir").unwrap(), Event::from("Hello, world!"));
    env.close().unwrap();
    cgym::stop_serving();
    assert_eq!(handle.join().unwrap(), 0);

    // A new run is not affected by the earlier stop; a session left open gives 6.
    let (handle, port) = start(&base.join("b"));
    let mut env = connect(port);
    env.reset().unwrap();
    assert!(!env.step(0).unwrap().done);
    cgym::stop_serving();
    assert_eq!(handle.join().unwrap(), 6);
    drop(env); // the service is gone: closing only logs

    let _ = std::fs::remove_dir_all(&base);
}
