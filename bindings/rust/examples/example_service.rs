// SPDX-License-Identifier: MIT
//! The example service in Rust: CompilerGym's example compiler, the same as
//! services/example/example_session.c.
//!
//!   action space   "default": named discrete a, b, c (an action is an int64 index)
//!   observations   "ir"       a string, always "Hello, world!"
//!                  "features" three int64 in [-100, 100], always [0, 0, 0]
//!                  "runtime"  a double >= 0, always 0
//!   compiler       version "1.0.0"
//!
//! Run as a service process: `cargo run --example example_service -- --port 0
//! --working_dir DIR`. Tests include this file as a module and register it in-process.
#![allow(dead_code)]

use cgym::{
    ActionOutcome, ActionSpace, Benchmark, CompilationSession, Error, Event, ObservationSpace,
    Result, ServiceDef, Space, Tensor,
};

/// The number of actions of the "default" action space.
const NUM_ACTIONS: i64 = 3;

/// A session of the example compiler: it has no state.
pub struct ExampleSession;

impl CompilationSession for ExampleSession {
    fn init(_action_space: &ActionSpace, _benchmark: &Benchmark<'_>) -> Result<Self> {
        Ok(ExampleSession)
    }

    fn apply_action(&mut self, action: &Event) -> Result<ActionOutcome> {
        // As CompilerGym's example reads action.int64_value, another kind counts as 0.
        let choice = match action {
            Event::Int64(v) => *v,
            _ => 0,
        };
        if !(0..NUM_ACTIONS).contains(&choice) {
            return Err(Error::invalid_argument("Out-of-range"));
        }
        Ok(ActionOutcome::default())
    }

    fn observation(&mut self, index: usize, _space: &str) -> Result<Event> {
        Ok(match index {
            0 => Event::from("Hello, world!"),
            1 => Event::Int64Tensor(Tensor::vector(vec![0, 0, 0])),
            2 => Event::Double(0.0),
            _ => {
                return Err(Error::new(
                    cgym::Code::INTERNAL,
                    "Unknown observation space",
                ))
            }
        })
    }

    fn fork(&self) -> Result<Self> {
        Ok(ExampleSession)
    }
}

/// The definition of the example service: its spaces, in the order of the indices above.
pub fn example_service_def() -> Result<ServiceDef<ExampleSession>> {
    let mut def = ServiceDef::<ExampleSession>::new("1.0.0")?;
    def.add_action_space(&ActionSpace::new(
        "default",
        Space::NamedDiscrete {
            names: vec!["a".into(), "b".into(), "c".into()],
        },
    ))?;
    def.add_observation_space(&ObservationSpace::new(
        "ir",
        Space::String {
            min_length: 0,
            max_length: None,
        },
    ))?;
    let mut features = ObservationSpace::new(
        "features",
        Space::Box {
            kind: cgym::sys::CGYM_SPACE_INT64_BOX,
            shape: vec![3],
            low: vec![-100.0; 3],
            high: vec![100.0; 3],
        },
    );
    features.deterministic = false;
    def.add_observation_space(&features)?;
    let mut runtime = ObservationSpace::new(
        "runtime",
        Space::Range {
            kind: cgym::sys::CGYM_SPACE_DOUBLE_RANGE,
            min: Some(0.0),
            max: None,
        },
    );
    runtime.deterministic = false;
    runtime.platform_dependent = true;
    def.add_observation_space(&runtime)?;
    Ok(def)
}

fn main() {
    let def = match example_service_def() {
        Ok(def) => def,
        Err(e) => {
            eprintln!("ERROR: building the service definition: {e}");
            std::process::exit(1);
        }
    };
    let code = def.serve(std::env::args());
    drop(def);
    std::process::exit(code);
}
