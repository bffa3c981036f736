// SPDX-License-Identifier: MIT
//! Every session a Rust service makes (by init or fork) is destroyed exactly once, whatever
//! order envs and forks are dropped in, and a panic in a session's Drop does not cross the C
//! ABI. One test in its own binary, so that no other test's sessions are counted.
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

use cgym::{
    ActionOutcome, ActionSpace, Benchmark, CompilationSession, Env, Event, ObservationSpace,
    Options, ServiceDef, Space,
};

static LIVE: AtomicIsize = AtomicIsize::new(0);
static MADE: AtomicUsize = AtomicUsize::new(0);

struct Tracked {
    value: i64,
    panic_on_drop: bool,
}

impl Tracked {
    fn made(value: i64) -> Tracked {
        LIVE.fetch_add(1, Ordering::SeqCst);
        MADE.fetch_add(1, Ordering::SeqCst);
        Tracked {
            value,
            panic_on_drop: false,
        }
    }
}

impl CompilationSession for Tracked {
    fn init(_: &ActionSpace, _: &Benchmark<'_>) -> cgym::Result<Self> {
        Ok(Tracked::made(0))
    }
    fn apply_action(&mut self, action: &Event) -> cgym::Result<ActionOutcome> {
        match action.as_i64() {
            Some(9) => self.panic_on_drop = true,
            Some(v) => self.value += v,
            None => {}
        }
        Ok(ActionOutcome::default())
    }
    fn observation(&mut self, _: usize, _: &str) -> cgym::Result<Event> {
        Ok(Event::Int64(self.value))
    }
    fn fork(&self) -> cgym::Result<Self> {
        Ok(Tracked::made(self.value))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let previous = LIVE.fetch_sub(1, Ordering::SeqCst);
        assert!(previous > 0, "a session was destroyed twice");
        if self.panic_on_drop {
            panic!("session drop panicked on purpose");
        }
    }
}

#[test]
fn every_session_is_destroyed_once() {
    let mut def = ServiceDef::<Tracked>::new("tracked").unwrap();
    def.add_action_space(&ActionSpace::new("default", Space::Discrete { n: 10 }))
        .unwrap();
    def.add_observation_space(&ObservationSpace::new("value", Space::Discrete { n: 100 }))
        .unwrap();
    def.register_in_process("rust-tracked").unwrap();
    drop(def);
    let options = Options::new().benchmark("benchmark://tracked/x");

    {
        let mut env = Env::connect("inproc:rust-tracked", &options).unwrap();
        env.reset().unwrap();
        env.step(1).unwrap();
        env.reset().unwrap(); // ends the first session
        env.step(2).unwrap();
        let mut fork = env.fork().unwrap();
        let mut grandchild = fork.fork().unwrap();
        fork.step(3).unwrap();
        drop(env); // the parent first
        assert_eq!(fork.observe("value").unwrap(), Event::Int64(5));
        assert_eq!(grandchild.observe("value").unwrap(), Event::Int64(2));
        grandchild.step(9).unwrap(); // its Drop will panic
        drop(grandchild);
        fork.close().unwrap();
        fork.reset().unwrap();
        drop(fork);
    }
    assert_eq!(
        MADE.load(Ordering::SeqCst),
        5,
        "init x3 (reset, reset, reset after close), fork x2"
    );
    assert_eq!(LIVE.load(Ordering::SeqCst), 0, "every session is destroyed");
    cgym::unregister_in_process("rust-tracked").unwrap();
}
