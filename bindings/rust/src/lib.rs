// SPDX-License-Identifier: MIT
//! Rust binding of libcgym, a CompilerGym service runtime and client, over its C ABI
//! (`include/cgym.h`).
//!
//! - [`Env`]: a compiler environment (connect, reset, step, observe, fork, state,
//!   validation); [`states_csv_to_json`] and [`states_json_to_csv`] convert states.
//! - [`Event`], [`Tensor`]: actions and observations as owned Rust values.
//! - [`Space`], [`ActionSpace`], [`ObservationSpace`]: space descriptions.
//! - [`Options`]: connection settings.
//! - [`make`], [`env_ids`]: environments by name (the LLVM phase-ordering environments, as
//!   CompilerGym's `gym.make()`), with cost rewards ([`Env::add_cost_reward`],
//!   [`CostRewardKind`]).
//! - [`datasets`], [`Dataset`]: their datasets and benchmarks; [`make_benchmark`] and
//!   [`make_benchmark_from_source`] make a [`UserBenchmark`] from the user's code.
//! - [`Reward`], [`RewardSpec`]: rewards computed on the client, written in Rust.
//! - [`Error`], [`Code`], [`ErrorKind`]: status codes and CompilerGym's error hierarchy.
//! - [`CompilationSession`], [`ServiceDef`]: sessions written in Rust, served as a process or
//!   registered in-process; [`stop_serving`] stops a running service; [`register_plugin`]
//!   registers a session plugin (a shared library) in-process.
//! - [`StepQueue`]: steps of many envs in flight from one thread; [`VecEnv`]: N envs stepped
//!   together, with gymnasium's autoreset modes ([`AutoresetMode`]).
//! - [`sys`]: the raw FFI declarations of every cgym.h function, the crate `cgym-sys`
//!   (generated with bindgen; PARITY.md lists the few the safe API does not wrap).
//!
//! Every handle is freed exactly once by `Drop`. Handles are `Send` but not `Sync`.
//!
//! An LLVM environment by name, in this process:
//!
//! ```no_run
//! fn main() -> cgym::Result<()> {
//!     let options = cgym::Options::new().benchmark("benchmark://cgym-v0/fibonacci");
//!     let mut env = cgym::make("llvm-ic-v0", Some("inproc"), Some(&options))?;
//!     env.reset()?;
//!     let (_done, reward) = env.step_name("-mem2reg")?; // IrInstructionCountOz
//!     println!("{reward}");
//!     Ok(())
//! }
//! ```
//!
//! Any service, by endpoint:
//!
//! ```no_run
//! use cgym::{Env, Event, Options};
//!
//! fn main() -> cgym::Result<()> {
//!     let options = Options::new().benchmark("benchmark://example-compiler-v0/foo");
//!     let mut env = Env::connect("path/to/cgym-example-service", &options)?;
//!     env.reset()?;
//!     let step = env.step(0)?; // action "a"
//!     assert!(!step.done);
//!     assert_eq!(env.observe("ir")?, Event::String("Hello, world!".into()));
//!     let mut fork = env.fork()?;
//!     fork.step(1)?;
//!     println!("{}", env.state_json()?);
//!     Ok(())
//! }
//! ```
pub mod datasets;
pub mod env;
pub mod error;
pub mod event;
pub mod make;
pub mod options;
pub mod reward;
pub mod session;
pub mod space;
/// The raw FFI of cgym.h: the crate `cgym-sys`, which links libcgym.
pub use cgym_sys as sys;
mod util;
pub mod vector;

pub use datasets::{
    datasets, make_benchmark, make_benchmark_from_source, Benchmarks, Dataset, DatasetInfo,
    UserBenchmark,
};
pub use env::{states_csv_to_json, states_json_to_csv, Env, Spaces, StepResult, Validation};
pub use error::{Code, Error, ErrorKind, Result};
pub use event::{Event, Tensor};
pub use make::{env_ids, make, plugin_path, service_path, CostRewardKind};
pub use options::Options;
pub use reward::{Reward, RewardSpec};
pub use session::{
    live_service_data, register_plugin, stop_serving, unregister_in_process, ActionOutcome,
    Benchmark, CompilationSession, EndOfStep, ServiceDef,
};
pub use space::{ActionSpace, ObservationSpace, Space};
pub use vector::{AutoresetMode, Completed, StepQueue, SubmitError, VecEnv, VecEnvMember};

use std::ffi::CStr;

/// The version of the loaded libcgym as MAJOR * 10000 + MINOR * 100 + PATCH.
pub fn version_number() -> u32 {
    // SAFETY: never fails.
    unsafe { sys::cgym_version_number() }
}

/// The version of the loaded libcgym, "MAJOR.MINOR.PATCH".
pub fn version_string() -> String {
    // SAFETY: a static string.
    unsafe { CStr::from_ptr(sys::cgym_version_string()) }
        .to_string_lossy()
        .into_owned()
}

/// The CompilerGym protocol version the library speaks ("0.2.5").
pub fn protocol_version() -> String {
    // SAFETY: a static string.
    unsafe { CStr::from_ptr(sys::cgym_protocol_version_string()) }
        .to_string_lossy()
        .into_owned()
}

/// The header version this binding was written against (`CGYM_VERSION_*`).
pub const HEADER_VERSION: (u32, u32, u32) = (
    sys::CGYM_VERSION_MAJOR,
    sys::CGYM_VERSION_MINOR,
    sys::CGYM_VERSION_PATCH,
);

/// FAILED_PRECONDITION if the loaded library has another major version than cgym.h's.
pub(crate) fn check_library_version() -> Result<()> {
    let major = version_number() / 10000;
    if major == sys::CGYM_VERSION_MAJOR {
        Ok(())
    } else {
        Err(Error::new(
            Code::FAILED_PRECONDITION,
            format!(
                "libcgym {} is loaded, but this binding needs major version {}",
                version_string(),
                sys::CGYM_VERSION_MAJOR
            ),
        ))
    }
}
