// SPDX-License-Identifier: MIT
//! Environments by name, as CompilerGym's `gym.make()`: [`make`] builds a ready [`Env`] for
//! an id of [`env_ids`] (the LLVM phase-ordering environments), with the id's default
//! spaces, the twelve LLVM cost rewards and a default benchmark; [`service_path`] and
//! [`plugin_path`] say where it finds the compiler. [`Env::add_cost_reward`] adds more
//! rewards of that family.
use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::PathBuf;
use std::ptr;

use crate::env::Env;
use crate::error::{check, Result};
use crate::options::Options;
use crate::sys;
use crate::util::{cstring, take_owned_strings};

/// The ids [`make`] accepts, in libcgym's order: "llvm-v0", "llvm-ic-v0",
/// "llvm-codesize-v0", "llvm-autophase-ic-v0", "llvm-autophase-codesize-v0".
pub fn env_ids() -> Result<Vec<String>> {
    let mut ids: *mut *mut c_char = ptr::null_mut();
    let mut count = 0usize;
    // SAFETY: valid out-pointers; ids becomes an owned array of `count` owned strings, copied
    // and freed at once.
    unsafe {
        check(sys::cgym_env_ids(&mut ids, &mut count))?;
        Ok(take_owned_strings(ids, count))
    }
}

/// Makes a ready env by id (see [`env_ids`]): the LLVM environment with the id's default
/// observation space (none, or "Autophase" for llvm-autophase-*) and reward space (none for
/// llvm-v0, "IrInstructionCountOz" for *-ic-v0, "ObjectTextSizeOz" for *-codesize-v0), the
/// twelve cost rewards (IrInstructionCount, IrInstructionCountNorm, IrInstructionCountO3,
/// IrInstructionCountOz and the same for ObjectTextSize and TextSize) and the benchmark
/// "benchmark://cgym-v0/sorting".
///
/// `endpoint` says where the compiler runs:
/// - `None`: a managed service (the installed cgym-llvm-service, launched now and owned by
///   the env and its forks);
/// - `Some("inproc")`: in this process (the installed libcgym-llvm.so plugin, registered
///   once as "inproc:llvm");
/// - `Some("HOST:PORT")` or `Some("unix:PATH")`: a service someone else runs;
/// - anything else: as [`Env::connect`].
///
/// The service and the plugin are `CGYM_LLVM_SERVICE` and `CGYM_LLVM_PLUGIN` from the
/// environment if set, else found next to libcgym. Spaces and the benchmark set in
/// `options` replace the id's defaults ("" for none).
///
/// Errors: NOT_FOUND for an unknown id (the message lists the ids);
/// ENVIRONMENT_NOT_SUPPORTED if the service or plugin is not installed; otherwise as
/// [`Env::connect`].
pub fn make(id: &str, endpoint: Option<&str>, options: Option<&Options>) -> Result<Env> {
    crate::check_library_version()?;
    let id = cstring(id)?;
    let endpoint = endpoint.map(cstring).transpose()?;
    let options = options.map(Options::to_raw).transpose()?;
    let mut out = ptr::null_mut();
    // SAFETY: valid strings (endpoint and options may be NULL) for the call; out becomes an
    // owned env.
    check(unsafe {
        sys::cgym_make(
            &mut out,
            id.as_ptr(),
            endpoint.as_ref().map_or(ptr::null(), |e| e.as_ptr()),
            options.as_ref().map_or(ptr::null(), |o| o.0),
        )
    })?;
    // SAFETY: cgym_make succeeded: out is a valid env that the caller owns.
    Ok(unsafe { Env::from_raw(out) })
}

/// Where [`make`] finds the compiler of env id `id` when it runs it: as a managed service
/// (`plugin` false: the service binary) or in this process (`plugin` true: the session
/// plugin), from `CGYM_LLVM_SERVICE` / `CGYM_LLVM_PLUGIN` or next to libcgym.
fn compiler_path(id: &str, plugin: bool) -> Result<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let id = cstring(id)?;
    let mut path: *mut c_char = ptr::null_mut();
    // SAFETY: a valid string and out-pointer; path becomes owned and is copied (as bytes: a
    // path need not be UTF-8) and freed at once.
    unsafe {
        check(sys::cgym_env_service_path(
            id.as_ptr(),
            c_int::from(plugin),
            &mut path,
        ))?;
        let copy = PathBuf::from(std::ffi::OsStr::from_bytes(CStr::from_ptr(path).to_bytes()));
        sys::cgym_free(path as *mut c_void);
        Ok(copy)
    }
}

/// The service binary that [`make`] launches for env id `id` (endpoint `None`):
/// `CGYM_LLVM_SERVICE` if set, else the first found next to libcgym. NOT_FOUND for an unknown
/// id; ENVIRONMENT_NOT_SUPPORTED if it is not installed.
pub fn service_path(id: &str) -> Result<PathBuf> {
    compiler_path(id, false)
}

/// The session plugin that [`make`] loads for env id `id` (endpoint `Some("inproc")`):
/// `CGYM_LLVM_PLUGIN` if set, else the first found next to libcgym. Errors as
/// [`service_path`].
pub fn plugin_path(id: &str) -> Result<PathBuf> {
    compiler_path(id, true)
}

/// The kinds of cost reward (CompilerGym's CostFunctionReward family). With C the cost after
/// a step, C0 the cost of the unmodified benchmark and Cb the baseline's cost (before the
/// first step of an episode, C(prev) is C0):
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CostRewardKind {
    /// r = C(prev) - C(now).
    Delta,
    /// r = (C(prev) - C(now)) / C0.
    Normalized,
    /// r = (C(prev) - C(now)) / max(C0 - Cb, 1); needs a baseline cost space.
    Baseline,
}

impl CostRewardKind {
    /// The `cgym_cost_reward_kind_t` of this kind.
    pub fn raw(self) -> sys::cgym_cost_reward_kind_t {
        match self {
            CostRewardKind::Delta => sys::CGYM_COST_REWARD_DELTA,
            CostRewardKind::Normalized => sys::CGYM_COST_REWARD_NORMALIZED,
            CostRewardKind::Baseline => sys::CGYM_COST_REWARD_BASELINE,
        }
    }
}

impl Env {
    /// Adds (or replaces) reward space `name`: the decrease of the scalar observation
    /// `cost_space`, with C0 read from `initial_cost_space` and, for
    /// [`CostRewardKind::Baseline`], Cb from `baseline_cost_space` (`None` otherwise). C0 and
    /// max(C0 - Cb, 1) are read once per benchmark; a failed step's reward is 0 minus the
    /// episode's reward so far.
    ///
    /// Errors: NOT_FOUND for an unknown observation space; INVALID_ARGUMENT for a baseline
    /// reward without a baseline space.
    // The arguments mirror cgym_env_add_cost_reward() one for one, as in the other bindings.
    #[allow(clippy::too_many_arguments)]
    pub fn add_cost_reward(
        &mut self,
        name: &str,
        cost_space: &str,
        initial_cost_space: &str,
        baseline_cost_space: Option<&str>,
        kind: CostRewardKind,
        deterministic: bool,
        platform_dependent: bool,
    ) -> Result<()> {
        let name = cstring(name)?;
        let cost = cstring(cost_space)?;
        let initial = cstring(initial_cost_space)?;
        let baseline = baseline_cost_space.map(cstring).transpose()?;
        // SAFETY: a valid env and strings (the baseline may be NULL) for the call; libcgym
        // copies them.
        check(unsafe {
            sys::cgym_env_add_cost_reward(
                self.as_raw(),
                name.as_ptr(),
                cost.as_ptr(),
                initial.as_ptr(),
                baseline.as_ref().map_or(ptr::null(), |b| b.as_ptr()),
                kind.raw(),
                c_int::from(deterministic),
                c_int::from(platform_dependent),
            )
        })
    }
}
