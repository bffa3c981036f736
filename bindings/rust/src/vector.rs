// SPDX-License-Identifier: MIT
//! Many environments at once: [`StepQueue`], steps of many envs in flight from one thread,
//! and [`VecEnv`], N envs stepped together with gymnasium's autoreset modes
//! ([`AutoresetMode`]).
//!
//! # Who may use an env with a step in flight
//!
//! cgym.h lets an env have at most one step in flight, and forbids every other call with it
//! until its result is taken. [`StepQueue::submit`] therefore takes the [`Env`] by value and
//! [`StepQueue::next`] gives it back with its step's result ([`Completed`]): while the step is
//! in flight nothing else can name the env, so the borrow checker enforces the rule that
//! libcgym would otherwise report as FAILED_PRECONDITION. A submit that fails gives the env
//! back in its [`SubmitError`].
//!
//! ```compile_fail
//! # fn f(mut queue: cgym::StepQueue, mut env: cgym::Env) {
//! queue.submit(env, 0, 1).unwrap();
//! let _ = env.step(1); // error[E0382]: the env moved into the queue
//! # }
//! ```
//!
//! A [`VecEnv`] owns its envs; [`VecEnv::env_at`] lends one out as a [`VecEnvMember`] (never
//! freed by it) for the calls cgym.h allows between steps, while the vector env is borrowed.
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr;

use crate::datasets::UserBenchmark;
use crate::env::{
    read_step_result, step_result_status, with_rewards, Env, RawCallOptions, RawStepResult, Spaces,
    StepArgs, StepResult, Validation,
};
use crate::error::{check, Code, Error, Result};
use crate::event::Event;
use crate::make::CostRewardKind;
use crate::options::Options;
use crate::reward::{Reward, RewardSpec};
use crate::sys;
use crate::util::cstring;

/// A queue of steps in flight (`cgym_step_queue_t`): one thread submits steps of many envs
/// and takes their results as they complete, keeping many sessions busy (on one service or
/// several) without a thread per env. Over gRPC every submitted step is on the wire at once;
/// a step of an in-process service runs in `submit`, and its result is then ready at once.
///
/// The queue owns the envs of the steps in flight (see the [module documentation](self)).
/// Dropping it waits for those steps, drops their results and then the envs.
///
/// `StepQueue` is `Send` but not `Sync`, as [`Env`].
pub struct StepQueue {
    raw: *mut sys::cgym_step_queue_t,
    // The envs in flight by the key given to libcgym as the step's tag, with the caller's
    // tag: libcgym hands back only the tag, and the env must come back with it.
    in_flight: HashMap<u64, (u64, Env)>,
    next_key: u64,
    _not_sync: PhantomData<*mut ()>,
}

// SAFETY: cgym.h: a queue is used by one thread at a time, as an env is (and Env is Send).
unsafe impl Send for StepQueue {}

/// A step taken out of a [`StepQueue`]: the tag it was submitted with, its env (free again)
/// and what [`Env::step_with`] would have returned for it.
#[derive(Debug)]
pub struct Completed {
    pub tag: u64,
    pub env: Env,
    /// The step's result, or the error [`Env::step_with`] would have returned (such as
    /// INVALID_ARGUMENT for an action the service rejects). A failure of the service or the
    /// transport is not an error, as for `step_with`: the result says done and carries
    /// `error`.
    pub result: Result<StepResult>,
}

/// A step that [`StepQueue::submit`] refused, with its env given back. Converts into
/// [`Error`] (dropping the env), so `?` works in functions returning [`Result`].
pub struct SubmitError {
    pub error: Error,
    pub env: Env,
}

impl fmt::Debug for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubmitError")
            .field("error", &self.error)
            .field("env", &self.env)
            .finish()
    }
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for SubmitError {}

impl From<SubmitError> for Error {
    fn from(e: SubmitError) -> Error {
        e.error
    }
}

impl StepQueue {
    /// An empty queue.
    pub fn new() -> Result<StepQueue> {
        crate::check_library_version()?;
        let mut out = ptr::null_mut();
        // SAFETY: a valid out-pointer; out becomes owned.
        check(unsafe { sys::cgym_step_queue_new(&mut out) })?;
        Ok(StepQueue {
            raw: out,
            in_flight: HashMap::new(),
            next_key: 0,
            _not_sync: PhantomData,
        })
    }

    /// The raw handle, for calls this binding does not wrap. It stays owned by `self`.
    pub fn as_raw(&self) -> *mut sys::cgym_step_queue_t {
        self.raw
    }

    /// Submits a step of `env` applying one action, given as its index, with the default
    /// spaces (as [`Env::step`]), and returns without waiting for it. `tag` comes back with
    /// its result from [`next`](StepQueue::next). Errors as [`submit_with`](StepQueue::submit_with).
    pub fn submit(
        &mut self,
        env: Env,
        action: i64,
        tag: u64,
    ) -> std::result::Result<(), SubmitError> {
        self.submit_with(
            env,
            &[Event::Int64(action)],
            Spaces::Default,
            Spaces::Default,
            None,
            tag,
        )
    }

    /// Submits a step of `env` with the arguments of [`Env::step_with`] and returns without
    /// waiting for it; `tag` comes back with its result from [`next`](StepQueue::next).
    ///
    /// The errors `step_with` finds before sending anything are returned here, with the env,
    /// and nothing is queued: INVALID_ARGUMENT (such as a negative timeout), NOT_FOUND for an
    /// unknown space, SESSION_NOT_FOUND before reset.
    pub fn submit_with(
        &mut self,
        env: Env,
        actions: &[Event],
        observation_spaces: Spaces<'_>,
        reward_spaces: Spaces<'_>,
        timeout_seconds: Option<f64>,
        tag: u64,
    ) -> std::result::Result<(), SubmitError> {
        let args = match StepArgs::new(actions, observation_spaces, reward_spaces, timeout_seconds)
        {
            Ok(args) => args,
            Err(error) => return Err(SubmitError { error, env }),
        };
        let key = self.next_key;
        // SAFETY: valid queue and env; every array of args is valid for its length for the
        // call (libcgym copies what it keeps). The env stays alive in `in_flight` until its
        // result is taken or the queue is freed.
        let status = with_rewards(|| unsafe {
            sys::cgym_step_submit(
                self.raw,
                env.as_raw(),
                args.actions.as_ptr(),
                args.actions.len(),
                args.observation_spaces(),
                args.observation_spaces_len(),
                args.reward_spaces(),
                args.reward_spaces_len(),
                args.options.0,
                key,
            )
        });
        if let Err(error) = check(status) {
            return Err(SubmitError { error, env });
        }
        self.next_key += 1;
        self.in_flight.insert(key, (tag, env));
        Ok(())
    }

    /// The number of steps submitted and not yet taken.
    pub fn size(&self) -> usize {
        // SAFETY: a valid queue.
        unsafe { sys::cgym_step_queue_size(self.raw) }
    }

    /// Takes the result of a completed step, in the order they complete, waiting up to
    /// `timeout_seconds` (0: no wait; `f64::INFINITY`: until one completes).
    ///
    /// Errors: OUT_OF_RANGE "No step in the queue" if the queue is empty; DEADLINE_EXCEEDED
    /// if no step completed in time; INVALID_ARGUMENT for a NaN or negative timeout. The
    /// step's own failure is in [`Completed::result`].
    pub fn next(&mut self, timeout_seconds: f64) -> Result<Completed> {
        let mut key = 0u64;
        let mut result = ptr::null_mut();
        // SAFETY: valid pointers; result becomes owned.
        check(with_rewards(|| unsafe {
            sys::cgym_step_queue_next(self.raw, timeout_seconds, &mut key, &mut result)
        }))?;
        let result = RawStepResult(result);
        let Some((tag, env)) = self.in_flight.remove(&key) else {
            return Err(Error::new(
                Code::INTERNAL,
                format!("libcgym returned the result of step {key}, which this queue never sent"),
            ));
        };
        // SAFETY: result is a valid owned step result, copied before it is freed.
        let result = unsafe { step_result_status(result.0).and_then(|()| result.read()) };
        Ok(Completed { tag, env, result })
    }
}

impl Drop for StepQueue {
    fn drop(&mut self) {
        // SAFETY: owned, freed once. It waits for the steps in flight, so the envs (dropped
        // after this, with `in_flight`) are no longer used by the queue.
        unsafe { sys::cgym_step_queue_free(self.raw) }
    }
}

impl fmt::Debug for StepQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StepQueue")
            .field("size", &self.size())
            .finish()
    }
}

/// What a [`VecEnv`] does with an env whose episode ends (gymnasium's AutoresetMode).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AutoresetMode {
    /// The default: an env whose episode ended at one step is reset at the next step instead
    /// of stepped (its action is ignored); that step's result is the reset's.
    #[default]
    NextStep,
    /// An env whose episode ends is reset in the same step: its result is the reset's, and
    /// the step's own result is [`VecEnv::final_result`].
    SameStep,
    /// Nothing is reset by a step: reset ended envs with [`VecEnv::reset`] and a mask.
    Disabled,
}

impl AutoresetMode {
    /// The `cgym_autoreset_mode_t` of this mode.
    pub fn raw(self) -> sys::cgym_autoreset_mode_t {
        match self {
            AutoresetMode::NextStep => sys::CGYM_AUTORESET_NEXT_STEP,
            AutoresetMode::SameStep => sys::CGYM_AUTORESET_SAME_STEP,
            AutoresetMode::Disabled => sys::CGYM_AUTORESET_DISABLED,
        }
    }

    /// The mode of a `cgym_autoreset_mode_t` (`None` for an unknown value).
    pub fn from_raw(raw: sys::cgym_autoreset_mode_t) -> Option<AutoresetMode> {
        match raw {
            sys::CGYM_AUTORESET_NEXT_STEP => Some(AutoresetMode::NextStep),
            sys::CGYM_AUTORESET_SAME_STEP => Some(AutoresetMode::SameStep),
            sys::CGYM_AUTORESET_DISABLED => Some(AutoresetMode::Disabled),
            _ => None,
        }
    }
}

/// A vector environment (`cgym_vec_env_t`): N envs of one kind, stepped together (all their
/// steps in flight at once), with gymnasium's autoreset modes. Dropping it closes and frees
/// every env.
///
/// `VecEnv` is `Send` but not `Sync`, as [`Env`].
pub struct VecEnv {
    raw: *mut sys::cgym_vec_env_t,
    _not_sync: PhantomData<*mut ()>,
}

// SAFETY: as Env: a handle may move between threads but is used by one at a time.
unsafe impl Send for VecEnv {}

impl VecEnv {
    /// Makes `num_envs` envs (at least 1): with `id` (one of [`env_ids`](crate::env_ids)),
    /// each is what [`make`](crate::make())`(id, endpoint, options)` makes; with `id` `None`,
    /// what [`Env::connect`]`(endpoint, options)` makes. `endpoint` places them:
    /// - a managed service (an id with endpoint `None` or `""`, or a service binary's path):
    ///   the envs are spread over `num_services` services (0: one per core; never more than
    ///   `num_envs`), env i on service i % num_services;
    /// - an in-process service ("inproc", "inproc:NAME"): one service in this process;
    /// - "HOST:PORT" and "unix:PATH" services, one or several separated by commas: env i on
    ///   the (i % count)-th of them.
    ///
    /// `num_services` is ignored unless the service is managed. The envs are not reset: call
    /// [`reset`](VecEnv::reset). The autoreset mode is [`AutoresetMode::NextStep`].
    ///
    /// Errors: INVALID_ARGUMENT for `num_envs` 0 or an empty item in the list of endpoints;
    /// otherwise those of [`make`](crate::make()) or [`Env::connect`].
    pub fn new(
        id: Option<&str>,
        endpoint: Option<&str>,
        num_envs: usize,
        num_services: usize,
        options: Option<&Options>,
    ) -> Result<VecEnv> {
        crate::check_library_version()?;
        let id = id.map(cstring).transpose()?;
        let endpoint = endpoint.map(cstring).transpose()?;
        let options = options.map(Options::to_raw).transpose()?;
        let mut out = ptr::null_mut();
        // SAFETY: valid strings and options (each may be NULL) for the call; out becomes an
        // owned vector env.
        check(unsafe {
            sys::cgym_vec_env_new(
                &mut out,
                id.as_ref().map_or(ptr::null(), |s| s.as_ptr()),
                endpoint.as_ref().map_or(ptr::null(), |s| s.as_ptr()),
                num_envs,
                num_services,
                options.as_ref().map_or(ptr::null(), |o| o.0),
            )
        })?;
        Ok(VecEnv {
            raw: out,
            _not_sync: PhantomData,
        })
    }

    /// The raw handle, for calls this binding does not wrap. It stays owned by `self`.
    pub fn as_raw(&self) -> *mut sys::cgym_vec_env_t {
        self.raw
    }

    /// The number of envs.
    pub fn num_envs(&self) -> usize {
        // SAFETY: a valid vector env.
        unsafe { sys::cgym_vec_env_num_envs(self.raw) }
    }

    /// The number of services the envs run on.
    pub fn num_services(&self) -> usize {
        // SAFETY: a valid vector env.
        unsafe { sys::cgym_vec_env_num_services(self.raw) }
    }

    /// Env `index`, lent out while `self` is borrowed, to set its benchmark or spaces, add
    /// rewards, send parameters, observe it, read its state or fork it between steps.
    /// OUT_OF_RANGE past the end.
    pub fn env_at(&mut self, index: usize) -> Result<VecEnvMember<'_>> {
        let mut env = ptr::null_mut();
        // SAFETY: a valid vector env and out-pointer; env is borrowed from the vector env.
        check(unsafe { sys::cgym_vec_env_at(self.raw, index, &mut env) })?;
        Ok(VecEnvMember {
            // SAFETY: a valid env; ManuallyDrop: the vector env owns and frees it.
            env: ManuallyDrop::new(unsafe { Env::from_raw(env) }),
            _vec: PhantomData,
        })
    }

    /// Sets the autoreset mode.
    pub fn set_autoreset(&mut self, mode: AutoresetMode) -> Result<()> {
        // SAFETY: a valid vector env.
        check(unsafe { sys::cgym_vec_env_set_autoreset(self.raw, mode.raw()) })
    }

    /// The autoreset mode.
    pub fn autoreset(&self) -> AutoresetMode {
        // SAFETY: a valid vector env.
        let raw = unsafe { sys::cgym_vec_env_autoreset(self.raw) };
        // libcgym holds one of the three modes: set_autoreset refuses any other.
        AutoresetMode::from_raw(raw).unwrap_or_default()
    }

    /// Resets the envs whose `mask` entry is true (`None`: all of them; the mask has
    /// [`num_envs`](VecEnv::num_envs) entries, else INVALID_ARGUMENT), as [`Env::reset`]
    /// does. Each reset env's result is then its reset's: the default observation (if a
    /// default observation space is set), reward 0, not done. Every env asked for is reset
    /// even if one fails; the first failure is returned, prefixed "env I: ", and that env's
    /// [`result`](VecEnv::result) holds the error.
    pub fn reset(&mut self, mask: Option<&[bool]>) -> Result<()> {
        self.reset_with(mask, None)
    }

    /// [`reset`](VecEnv::reset) with a deadline of `timeout_seconds` for each call to a
    /// service (see [`Env::reset_with_timeout`]).
    pub fn reset_with_timeout(
        &mut self,
        mask: Option<&[bool]>,
        timeout_seconds: f64,
    ) -> Result<()> {
        self.reset_with(mask, Some(timeout_seconds))
    }

    fn reset_with(&mut self, mask: Option<&[bool]>, timeout_seconds: Option<f64>) -> Result<()> {
        // libcgym reads num_envs entries: a shorter mask must not reach it.
        let mask: Option<Vec<u8>> = match mask {
            Some(mask) if mask.len() != self.num_envs() => {
                return Err(Error::invalid_argument(format!(
                    "The mask has {} entries for {} envs",
                    mask.len(),
                    self.num_envs()
                )))
            }
            Some(mask) => Some(mask.iter().map(|&m| u8::from(m)).collect()),
            None => None,
        };
        let options = RawCallOptions::new(timeout_seconds)?;
        // SAFETY: a valid vector env; mask holds num_envs entries (or is NULL); options are
        // valid or NULL.
        check(with_rewards(|| unsafe {
            sys::cgym_vec_env_reset(
                self.raw,
                mask.as_ref().map_or(ptr::null(), |m| m.as_ptr()),
                options.0,
            )
        }))
    }

    /// Steps every env, all at once, with one action each: `actions[i]` is an index into env
    /// i's action space, and each step computes env i's default observation and reward
    /// spaces. What happens to envs whose episode ends is the [`autoreset`](VecEnv::autoreset)
    /// mode's. An error of one env (an action its service rejects, a session never reset, a
    /// service that died) does not fail the call: that env's episode is over, its result says
    /// done, and [`result`](VecEnv::result) gives the error. INVALID_ARGUMENT if there is not
    /// one action per env, with nothing sent.
    pub fn step(&mut self, actions: &[i64]) -> Result<()> {
        self.step_with(actions, None)
    }

    /// [`step`](VecEnv::step) with a deadline of `timeout_seconds` for each env's Step call
    /// (see [`Env::step_with`]).
    pub fn step_with_timeout(&mut self, actions: &[i64], timeout_seconds: f64) -> Result<()> {
        self.step_with(actions, Some(timeout_seconds))
    }

    fn step_with(&mut self, actions: &[i64], timeout_seconds: Option<f64>) -> Result<()> {
        let options = RawCallOptions::new(timeout_seconds)?;
        // SAFETY: a valid vector env; actions valid for its length; options valid or NULL.
        check(with_rewards(|| unsafe {
            sys::cgym_vec_env_step(self.raw, actions.as_ptr(), actions.len(), options.0)
        }))
    }

    fn read_result(
        &self,
        index: usize,
        f: unsafe extern "C" fn(
            *const sys::cgym_vec_env_t,
            usize,
            *mut *const sys::cgym_step_result_t,
        ) -> sys::cgym_status_t,
    ) -> Result<Option<Result<StepResult>>> {
        let mut result: *const sys::cgym_step_result_t = ptr::null();
        // SAFETY: a valid vector env and out-pointer; result is borrowed and copied at once.
        unsafe {
            check(f(self.raw, index, &mut result))?;
            if result.is_null() {
                return Ok(None);
            }
            Ok(Some(
                step_result_status(result).and_then(|()| read_step_result(result)),
            ))
        }
    }

    /// Env `index`'s latest result, of the last [`step`](VecEnv::step) or
    /// [`reset`](VecEnv::reset) that touched it: `None` before any; `Some(Err(e))` if it
    /// failed with the error `e` that [`Env::step_with`] (or [`Env::reset`]) would have
    /// returned. OUT_OF_RANGE past the end.
    pub fn result(&self, index: usize) -> Result<Option<Result<StepResult>>> {
        self.read_result(index, sys::cgym_vec_env_result)
    }

    /// With [`AutoresetMode::SameStep`], the result of the step that ended env `index`'s
    /// episode in the last [`step`](VecEnv::step) (`None` if its episode did not end then);
    /// as [`result`](VecEnv::result) otherwise.
    pub fn final_result(&self, index: usize) -> Result<Option<Result<StepResult>>> {
        self.read_result(index, sys::cgym_vec_env_final_result)
    }

    /// Reads a buffer of one value per env (or a matrix) through its size query.
    fn read_buffer<T: Clone + Default>(
        &self,
        mut f: impl FnMut(*mut T, usize, &mut usize) -> sys::cgym_status_t,
    ) -> Result<Vec<T>> {
        let mut count = 0usize;
        check(f(ptr::null_mut(), 0, &mut count))?;
        let mut values = vec![T::default(); count];
        if count > 0 {
            check(f(values.as_mut_ptr(), values.len(), &mut count))?;
            values.truncate(count);
        }
        Ok(values)
    }

    /// The default reward of every env's latest result (0 where there is none).
    pub fn rewards(&self) -> Result<Vec<f64>> {
        // SAFETY: a valid vector env; the buffer is valid for `capacity` values.
        self.read_buffer(|p, capacity, count| unsafe {
            sys::cgym_vec_env_rewards(self.raw, p, capacity, count)
        })
    }

    /// Whether each env's latest result says done.
    pub fn dones(&self) -> Result<Vec<bool>> {
        // SAFETY: a valid vector env; the buffer is valid for `capacity` values.
        let dones = self.read_buffer(|p, capacity, count| unsafe {
            sys::cgym_vec_env_dones(self.raw, p, capacity, count)
        })?;
        Ok(dones.into_iter().map(|d| d != 0).collect())
    }

    /// Reads an observation matrix and its width.
    fn read_matrix<T: Clone + Default>(
        &self,
        f: unsafe extern "C" fn(
            *const sys::cgym_vec_env_t,
            *mut T,
            usize,
            *mut usize,
            *mut usize,
        ) -> sys::cgym_status_t,
    ) -> Result<(Vec<T>, usize)> {
        let mut width = 0usize;
        // SAFETY: a valid vector env; the buffer is valid for `capacity` values.
        let values = self.read_buffer(|p, capacity, count| unsafe {
            f(self.raw, p, capacity, count, &mut width)
        })?;
        Ok((values, width))
    }

    /// The first observation of every env's latest result as a num_envs x width matrix in row
    /// order (row i for env i), with its width, the longest observation's length: INT64
    /// scalars and tensors (FAILED_PRECONDITION for other types). A shorter row is padded
    /// with zeros. FAILED_PRECONDITION if an env has no result or its result has no
    /// observation.
    pub fn observations_i64(&self) -> Result<(Vec<i64>, usize)> {
        self.read_matrix(sys::cgym_vec_env_observations_int64s)
    }

    /// As [`observations_i64`](VecEnv::observations_i64), as doubles: any numeric scalar or
    /// tensor.
    pub fn observations_f64(&self) -> Result<(Vec<f64>, usize)> {
        self.read_matrix(sys::cgym_vec_env_observations_doubles)
    }

    /// Closes every env (see [`Env::close`]); the first error, if any, prefixed "env I: ".
    pub fn close(&mut self) -> Result<()> {
        // SAFETY: a valid vector env.
        check(unsafe { sys::cgym_vec_env_close(self.raw) })
    }
}

impl Drop for VecEnv {
    fn drop(&mut self) {
        // SAFETY: owned, freed once; every VecEnvMember borrowed from it is gone.
        unsafe { sys::cgym_vec_env_free(self.raw) }
    }
}

impl fmt::Debug for VecEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VecEnv")
            .field("num_envs", &self.num_envs())
            .field("num_services", &self.num_services())
            .field("autoreset", &self.autoreset())
            .finish()
    }
}

/// An env of a [`VecEnv`], lent out by [`VecEnv::env_at`]; the vector env keeps owning it.
///
/// It dereferences to `&Env` for the read-only methods (state, spaces, action count...), and
/// has the mutating methods that cgym.h allows between steps. Stepping, resetting and closing
/// are the vector env's. (It is not a `&mut Env`: that would let safe code move the env out
/// of the vector env with `std::mem::replace`.)
pub struct VecEnvMember<'a> {
    env: ManuallyDrop<Env>,
    _vec: PhantomData<&'a mut VecEnv>,
}

impl Deref for VecEnvMember<'_> {
    type Target = Env;

    fn deref(&self) -> &Env {
        &self.env
    }
}

impl fmt::Debug for VecEnvMember<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.env, f)
    }
}

impl VecEnvMember<'_> {
    /// See [`Env::set_benchmark`] (the benchmark of the env's next reset).
    pub fn set_benchmark(&mut self, uri: &str, program: Option<&[u8]>) -> Result<()> {
        self.env.set_benchmark(uri, program)
    }

    /// See [`Env::set_user_benchmark`].
    pub fn set_user_benchmark(&mut self, benchmark: &UserBenchmark) -> Result<()> {
        self.env.set_user_benchmark(benchmark)
    }

    /// See [`Env::set_observation_space`]: the space of the observations the vector env's
    /// steps compute.
    pub fn set_observation_space(&mut self, name: Option<&str>) -> Result<()> {
        self.env.set_observation_space(name)
    }

    /// See [`Env::set_reward_space`]: the space of the rewards the vector env's steps compute.
    pub fn set_reward_space(&mut self, name: Option<&str>) -> Result<()> {
        self.env.set_reward_space(name)
    }

    /// See [`Env::set_action_space`].
    pub fn set_action_space(&mut self, name: Option<&str>) -> Result<()> {
        self.env.set_action_space(name)
    }

    /// See [`Env::add_reward`].
    pub fn add_reward<R: Reward>(&mut self, spec: &RewardSpec, reward: R) -> Result<()> {
        self.env.add_reward(spec, reward)
    }

    /// See [`Env::add_cost_reward`].
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
        self.env.add_cost_reward(
            name,
            cost_space,
            initial_cost_space,
            baseline_cost_space,
            kind,
            deterministic,
            platform_dependent,
        )
    }

    /// See [`Env::send_param`].
    pub fn send_param(&mut self, key: &str, value: &str) -> Result<String> {
        self.env.send_param(key, value)
    }

    /// See [`Env::send_params`].
    pub fn send_params(
        &mut self,
        params: &[(&str, &str)],
        resend_on_reset: bool,
    ) -> Result<Vec<String>> {
        self.env.send_params(params, resend_on_reset)
    }

    /// See [`Env::observe`].
    pub fn observe(&mut self, space: &str) -> Result<Event> {
        self.env.observe(space)
    }

    /// See [`Env::observe_string`].
    pub fn observe_string(&mut self, space: &str) -> Result<String> {
        self.env.observe_string(space)
    }

    /// See [`Env::observe_f64`].
    pub fn observe_f64(&mut self, space: &str) -> Result<f64> {
        self.env.observe_f64(space)
    }

    /// See [`Env::observe_i64s`].
    pub fn observe_i64s(&mut self, space: &str) -> Result<Vec<i64>> {
        self.env.observe_i64s(space)
    }

    /// See [`Env::reward`].
    pub fn reward(&mut self, space: &str) -> Result<f64> {
        self.env.reward(space)
    }

    /// See [`Env::fork`]: an independent, owned env in the same state.
    pub fn fork(&mut self) -> Result<Env> {
        self.env.fork()
    }

    /// See [`Env::validate`].
    pub fn validate(&mut self, state_json: Option<&str>) -> Result<Validation> {
        self.env.validate(state_json)
    }

    /// See [`Env::version`].
    pub fn version(&mut self) -> Result<(String, String)> {
        self.env.version()
    }
}
