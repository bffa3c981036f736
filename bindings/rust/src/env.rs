// SPDX-License-Identifier: MIT
//! The client: [`Env`], a compiler environment (CompilerGym's ClientServiceCompilerEnv) over
//! a `cgym_env_t` handle.
use std::ffi::{c_char, c_int, c_void};
use std::marker::PhantomData;
use std::ptr;

use crate::error::{check, Result};
use crate::event::{Event, RawEvent};
use crate::options::Options;
use crate::reward::{Reward, RewardSpec};
use crate::space::{ActionSpace, ObservationSpace};
use crate::sys;
use crate::util::{cstring, take_owned_string, to_string_lossy};

/// The outcome of a step.
#[derive(Clone, Debug, PartialEq)]
pub struct StepResult {
    /// One observation per requested observation space, in order.
    pub observations: Vec<Event>,
    /// One reward per requested reward space, in order.
    pub rewards: Vec<f64>,
    /// Whether the episode is over.
    pub done: bool,
    pub action_had_no_effect: bool,
    pub new_action_space: bool,
    /// If the service or the transport failed (the episode is then over): the CompilerGym
    /// exception name and its details. `None` if the step did not fail.
    pub error: Option<(String, String)>,
}

/// The outcome of [`Env::validate`]: whether replaying the state failed nowhere, and
/// CompilerGym's ValidationResult as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Validation {
    /// True if nothing failed.
    pub okay: bool,
    /// The ValidationResult as JSON ({"state", "walltime", "reward_validated", ...}).
    pub json: String,
}

/// The spaces a step computes: the env's defaults, or the named ones (possibly none).
#[derive(Clone, Copy, Debug)]
pub enum Spaces<'a> {
    /// The env's default space (if any).
    Default,
    /// These spaces, in order.
    Named(&'a [&'a str]),
}

/// A compiler environment. Dropping it closes it (ending its episode; a managed service
/// stops with its last env) and frees it.
///
/// `Env` is `Send` but not `Sync` (cgym.h: a handle may move between threads but must not be
/// used by two at once). Forks are independent envs and may be used from other threads.
pub struct Env {
    raw: *mut sys::cgym_env_t,
    // *mut makes it !Send and !Sync; Send is restored below.
    _not_sync: PhantomData<*mut ()>,
}

// SAFETY: cgym.h's THREADS rule: an env handle may move between threads.
unsafe impl Send for Env {}

/// An owned `cgym_call_options_t` (freed on drop), made for one call: NULL (libcgym's
/// defaults) unless a timeout is given.
pub(crate) struct RawCallOptions(pub(crate) *mut sys::cgym_call_options_t);

impl RawCallOptions {
    /// INVALID_ARGUMENT for a NaN or negative timeout (from libcgym).
    pub(crate) fn new(timeout_seconds: Option<f64>) -> Result<RawCallOptions> {
        let Some(seconds) = timeout_seconds else {
            return Ok(RawCallOptions(ptr::null_mut()));
        };
        let mut out = ptr::null_mut();
        // SAFETY: out is a valid out-pointer; it becomes owned by the guard at once.
        check(unsafe { sys::cgym_call_options_new(&mut out) })?;
        let options = RawCallOptions(out);
        // SAFETY: a valid handle.
        check(unsafe { sys::cgym_call_options_set_timeout(options.0, seconds) })?;
        Ok(options)
    }
}

impl Drop for RawCallOptions {
    fn drop(&mut self) {
        // SAFETY: owned (or NULL, which cgym_call_options_free accepts), freed once.
        unsafe { sys::cgym_call_options_free(self.0) }
    }
}

/// Reads a list through its `_count` and `_at` functions.
fn read_list<T>(
    count: impl FnOnce(&mut usize) -> sys::cgym_status_t,
    mut at: impl FnMut(usize) -> Result<T>,
) -> Result<Vec<T>> {
    let mut n = 0usize;
    check(count(&mut n))?;
    (0..n).map(&mut at).collect()
}

fn space_pointers(names: &[&str]) -> Result<(Vec<std::ffi::CString>, Vec<*const c_char>)> {
    let owned = names
        .iter()
        .map(|n| cstring(n))
        .collect::<Result<Vec<_>>>()?;
    let pointers = owned.iter().map(|n| n.as_ptr()).collect();
    Ok((owned, pointers))
}

/// The arguments of `cgym_step()` and `cgym_step_submit()` as C arrays, with the owned values
/// they point to (valid as long as `self`).
pub(crate) struct StepArgs {
    _raw_actions: Vec<RawEvent>,
    pub(crate) actions: Vec<*const sys::cgym_event_t>,
    _names: Vec<std::ffi::CString>,
    // None: the default space (NULL); Some: these names, possibly none.
    observation_pointers: Option<Vec<*const c_char>>,
    reward_pointers: Option<Vec<*const c_char>>,
    pub(crate) options: RawCallOptions,
}

// A named, empty list must not be NULL (NULL means the default space).
const NO_NAMES: [*const c_char; 1] = [ptr::null()];

impl StepArgs {
    pub(crate) fn new(
        actions: &[Event],
        observation_spaces: Spaces<'_>,
        reward_spaces: Spaces<'_>,
        timeout_seconds: Option<f64>,
    ) -> Result<StepArgs> {
        let raw_actions = actions
            .iter()
            .map(Event::to_raw)
            .collect::<Result<Vec<_>>>()?;
        let action_pointers = raw_actions
            .iter()
            .map(|a| a.0 as *const sys::cgym_event_t)
            .collect();
        let mut names = Vec::new();
        let mut pointers = |spaces: Spaces<'_>| -> Result<Option<Vec<*const c_char>>> {
            match spaces {
                Spaces::Default => Ok(None),
                Spaces::Named(list) => {
                    let (owned, pointers) = space_pointers(list)?;
                    // The CStrings' buffers do not move when the Vec of them does.
                    names.extend(owned);
                    Ok(Some(pointers))
                }
            }
        };
        let observation_pointers = pointers(observation_spaces)?;
        let reward_pointers = pointers(reward_spaces)?;
        Ok(StepArgs {
            _raw_actions: raw_actions,
            actions: action_pointers,
            _names: names,
            observation_pointers,
            reward_pointers,
            options: RawCallOptions::new(timeout_seconds)?,
        })
    }

    fn list(pointers: &Option<Vec<*const c_char>>) -> *const *const c_char {
        match pointers {
            None => ptr::null(),
            Some(p) if p.is_empty() => NO_NAMES.as_ptr(),
            Some(p) => p.as_ptr(),
        }
    }

    pub(crate) fn observation_spaces(&self) -> *const *const c_char {
        StepArgs::list(&self.observation_pointers)
    }

    pub(crate) fn observation_spaces_len(&self) -> usize {
        self.observation_pointers.as_ref().map_or(0, Vec::len)
    }

    pub(crate) fn reward_spaces(&self) -> *const *const c_char {
        StepArgs::list(&self.reward_pointers)
    }

    pub(crate) fn reward_spaces_len(&self) -> usize {
        self.reward_pointers.as_ref().map_or(0, Vec::len)
    }
}

impl Env {
    /// Connects to a service and makes an env. `endpoint` is the path of a service binary
    /// (a managed service, launched now and owned by the env and its forks), "HOST:PORT" or
    /// "unix:PATH" (an unmanaged service), or "inproc:NAME" (a service registered in this
    /// process, see [`ServiceDef::register_in_process`](crate::ServiceDef::register_in_process)).
    ///
    /// Errors: INVALID_ARGUMENT for an empty endpoint; NOT_FOUND for a missing binary or
    /// unregistered name; SERVICE_INIT if the service fails to start; DEADLINE_EXCEEDED if it
    /// does not answer in time; FAILED_PRECONDITION if the loaded libcgym has another major
    /// version than this binding.
    pub fn connect(endpoint: &str, options: &Options) -> Result<Env> {
        crate::check_library_version()?;
        let endpoint = cstring(endpoint)?;
        let options = options.to_raw()?;
        let mut out = ptr::null_mut();
        // SAFETY: valid pointers for the call; out becomes an owned env.
        check(unsafe { sys::cgym_connect(&mut out, endpoint.as_ptr(), options.0) })?;
        Ok(Env {
            raw: out,
            _not_sync: PhantomData,
        })
    }

    /// Takes ownership of an env handle that libcgym just made.
    ///
    /// # Safety
    /// `raw` is a valid, owned `cgym_env_t` that nothing else frees.
    pub(crate) unsafe fn from_raw(raw: *mut sys::cgym_env_t) -> Env {
        Env {
            raw,
            _not_sync: PhantomData,
        }
    }

    /// The raw handle, for calls this binding does not wrap. It stays owned by `self`.
    pub fn as_raw(&self) -> *mut sys::cgym_env_t {
        self.raw
    }

    /// Starts an episode; returns the default observation space's observation if one is set.
    pub fn reset(&mut self) -> Result<Option<Event>> {
        self.reset_with(None)
    }

    /// [`reset`](Env::reset) with a deadline of `timeout_seconds` for each call to the
    /// service (default 300; `f64::INFINITY`: none). An expired deadline counts as a failed
    /// attempt: the service is replaced and the reset retried. INVALID_ARGUMENT for a NaN or
    /// negative timeout.
    pub fn reset_with_timeout(&mut self, timeout_seconds: f64) -> Result<Option<Event>> {
        self.reset_with(Some(timeout_seconds))
    }

    fn reset_with(&mut self, timeout_seconds: Option<f64>) -> Result<Option<Event>> {
        let options = RawCallOptions::new(timeout_seconds)?;
        let mut observation = ptr::null_mut();
        // SAFETY: valid env and options (or NULL); observation becomes owned (or stays NULL).
        check(with_rewards(|| unsafe {
            sys::cgym_env_reset(self.raw, options.0, &mut observation)
        }))?;
        self.take_observation(observation)
    }

    fn take_observation(&self, observation: *mut sys::cgym_event_t) -> Result<Option<Event>> {
        if observation.is_null() {
            return Ok(None);
        }
        let raw = RawEvent(observation);
        // SAFETY: raw is a valid owned event, freed when raw drops.
        unsafe { Event::from_raw(raw.0) }.map(Some)
    }

    /// The benchmark of the next reset: a URI, optionally with the program's bytes.
    pub fn set_benchmark(&mut self, uri: &str, program: Option<&[u8]>) -> Result<()> {
        let uri = cstring(uri)?;
        let (data, length) = match program {
            Some(p) => (p.as_ptr() as *const c_void, p.len()),
            None => (ptr::null(), 0),
        };
        // SAFETY: valid pointers for the call; libcgym copies them.
        check(unsafe { sys::cgym_env_set_benchmark(self.raw, uri.as_ptr(), data, length) })
    }

    /// The current episode's benchmark URI ("" before the first reset).
    pub fn benchmark(&self) -> String {
        // SAFETY: borrowed string, copied at once.
        unsafe { to_string_lossy(sys::cgym_env_benchmark(self.raw)) }
    }

    fn set_space(
        &mut self,
        name: Option<&str>,
        f: unsafe extern "C" fn(*mut sys::cgym_env_t, *const c_char) -> sys::cgym_status_t,
    ) -> Result<()> {
        let name = cstring(name.unwrap_or(""))?;
        // SAFETY: valid env and string for the call.
        check(unsafe { f(self.raw, name.as_ptr()) })
    }

    /// The default observation space (`None`: none). NOT_FOUND for an unknown name.
    pub fn set_observation_space(&mut self, name: Option<&str>) -> Result<()> {
        self.set_space(name, sys::cgym_env_set_observation_space)
    }

    /// The default reward space (`None`: none). NOT_FOUND for an unknown name.
    pub fn set_reward_space(&mut self, name: Option<&str>) -> Result<()> {
        self.set_space(name, sys::cgym_env_set_reward_space)
    }

    /// The action space of the next reset (`None`: the first). NOT_FOUND for an unknown name.
    pub fn set_action_space(&mut self, name: Option<&str>) -> Result<()> {
        self.set_space(name, sys::cgym_env_set_action_space)
    }

    /// Applies one action, given as its index, with the default spaces.
    /// SESSION_NOT_FOUND before reset; INVALID_ARGUMENT for an action the service rejects.
    pub fn step(&mut self, action: i64) -> Result<StepResult> {
        self.step_with(
            &[Event::Int64(action)],
            Spaces::Default,
            Spaces::Default,
            None,
        )
    }

    /// Applies one action, given as its index, with the default spaces; returns (done,
    /// default reward or 0). The light form of [`step`](Env::step).
    pub fn step_index(&mut self, action: i64) -> Result<(bool, f64)> {
        let mut done: c_int = 0;
        let mut reward = 0f64;
        // SAFETY: valid pointers for the call.
        check(with_rewards(|| unsafe {
            sys::cgym_step_index(self.raw, action, &mut done, &mut reward)
        }))?;
        Ok((done != 0, reward))
    }

    /// Applies one action of a named discrete action space, by name (NOT_FOUND for an
    /// unknown name), with the default spaces; returns (done, default reward or 0).
    pub fn step_name(&mut self, action: &str) -> Result<(bool, f64)> {
        let action = cstring(action)?;
        let mut done: c_int = 0;
        let mut reward = 0f64;
        // SAFETY: valid pointers for the call.
        check(with_rewards(|| unsafe {
            sys::cgym_step_name(self.raw, action.as_ptr(), &mut done, &mut reward)
        }))?;
        Ok((done != 0, reward))
    }

    /// The general step: applies `actions`, then computes the observations and rewards of
    /// the given spaces, with a deadline for the Step call if `timeout_seconds` is given
    /// (default 300; `f64::INFINITY`: none; INVALID_ARGUMENT for NaN or a negative value).
    /// NOT_FOUND for an unknown space name. A failure of the service or the transport is not
    /// an error: the result says done and carries `error` (a passed deadline:
    /// "TimeoutError").
    pub fn step_with(
        &mut self,
        actions: &[Event],
        observation_spaces: Spaces<'_>,
        reward_spaces: Spaces<'_>,
        timeout_seconds: Option<f64>,
    ) -> Result<StepResult> {
        let args = StepArgs::new(actions, observation_spaces, reward_spaces, timeout_seconds)?;
        let mut result = ptr::null_mut();
        // SAFETY: every array of args is valid for its length for the call; its options are
        // valid or NULL; result becomes owned.
        check(with_rewards(|| unsafe {
            sys::cgym_step(
                self.raw,
                args.actions.as_ptr(),
                args.actions.len(),
                args.observation_spaces(),
                args.observation_spaces_len(),
                args.reward_spaces(),
                args.reward_spaces_len(),
                args.options.0,
                &mut result,
            )
        }))?;
        let result = RawStepResult(result);
        // SAFETY: result is a valid owned step result; borrowed pointers are copied at once.
        unsafe { result.read() }
    }

    /// Computes one observation now.
    pub fn observe(&mut self, space: &str) -> Result<Event> {
        let space = cstring(space)?;
        let mut observation = ptr::null_mut();
        // SAFETY: valid pointers; observation becomes owned.
        check(unsafe { sys::cgym_env_observe(self.raw, space.as_ptr(), &mut observation) })?;
        Ok(self.take_observation(observation)?.unwrap_or_default())
    }

    /// Computes a string observation.
    pub fn observe_string(&mut self, space: &str) -> Result<String> {
        let space = cstring(space)?;
        let mut value: *mut c_char = ptr::null_mut();
        // SAFETY: valid pointers; value becomes owned and is freed by take_owned_string.
        unsafe {
            check(sys::cgym_env_observe_string(
                self.raw,
                space.as_ptr(),
                &mut value,
                ptr::null_mut(),
            ))?;
            Ok(take_owned_string(value))
        }
    }

    /// Computes a scalar numeric observation as a double.
    pub fn observe_f64(&mut self, space: &str) -> Result<f64> {
        let space = cstring(space)?;
        let mut value = 0f64;
        // SAFETY: valid pointers.
        check(unsafe { sys::cgym_env_observe_double(self.raw, space.as_ptr(), &mut value) })?;
        Ok(value)
    }

    /// Computes an INT64 or INT64_TENSOR observation as its values (flattened).
    pub fn observe_i64s(&mut self, space: &str) -> Result<Vec<i64>> {
        // One observation with its shape, rather than two calls that could disagree.
        match self.observe(space)? {
            Event::Int64(v) => Ok(vec![v]),
            Event::Int64Tensor(t) => Ok(t.values),
            other => Err(crate::Error::new(
                crate::Code::FAILED_PRECONDITION,
                format!(
                    "Observation space {:?} is not int64 (kind {})",
                    space,
                    other.kind()
                ),
            )),
        }
    }

    /// Computes one reward now.
    pub fn reward(&mut self, space: &str) -> Result<f64> {
        let space = cstring(space)?;
        let mut value = 0f64;
        // SAFETY: valid pointers.
        check(with_rewards(|| unsafe {
            sys::cgym_env_reward(self.raw, space.as_ptr(), &mut value)
        }))?;
        Ok(value)
    }

    /// A new env in the same state (ForkSession, or a new service with the actions
    /// replayed). The fork is independent: it may outlive this env.
    pub fn fork(&mut self) -> Result<Env> {
        let mut out = ptr::null_mut();
        // SAFETY: valid env; out becomes owned.
        check(with_rewards(|| unsafe {
            sys::cgym_fork(self.raw, &mut out)
        }))?;
        Ok(Env {
            raw: out,
            _not_sync: PhantomData,
        })
    }

    /// Sends a session parameter and returns the service's reply.
    pub fn send_param(&mut self, key: &str, value: &str) -> Result<String> {
        let (key, value) = (cstring(key)?, cstring(value)?);
        let mut reply: *mut c_char = ptr::null_mut();
        // SAFETY: valid pointers; reply becomes owned.
        unsafe {
            check(sys::cgym_send_param(
                self.raw,
                key.as_ptr(),
                value.as_ptr(),
                0,
                &mut reply,
            ))?;
            Ok(take_owned_string(reply))
        }
    }

    /// Sends several session parameters in one call and returns the service's replies, in
    /// order. With `resend_on_reset`, they are also sent after every reset.
    pub fn send_params(
        &mut self,
        params: &[(&str, &str)],
        resend_on_reset: bool,
    ) -> Result<Vec<String>> {
        let keys = params
            .iter()
            .map(|(k, _)| cstring(k))
            .collect::<Result<Vec<_>>>()?;
        let values = params
            .iter()
            .map(|(_, v)| cstring(v))
            .collect::<Result<Vec<_>>>()?;
        let key_pointers: Vec<*const c_char> = keys.iter().map(|k| k.as_ptr()).collect();
        let value_pointers: Vec<*const c_char> = values.iter().map(|v| v.as_ptr()).collect();
        let mut replies: *mut *mut c_char = ptr::null_mut();
        // SAFETY: the arrays hold `params.len()` valid strings for the call; replies becomes
        // an owned array of as many owned strings, copied and freed at once.
        unsafe {
            check(sys::cgym_send_params(
                self.raw,
                key_pointers.as_ptr(),
                value_pointers.as_ptr(),
                params.len(),
                c_int::from(resend_on_reset),
                &mut replies,
            ))?;
            let out = if replies.is_null() {
                Vec::new()
            } else {
                std::slice::from_raw_parts(replies, params.len())
                    .iter()
                    .map(|&r| to_string_lossy(r))
                    .collect()
            };
            sys::cgym_free_strings(replies, params.len());
            Ok(out)
        }
    }

    /// The episode's state (CompilerEnvState) as JSON: {"benchmark", "commandline",
    /// "walltime", "reward"}.
    pub fn state_json(&self) -> Result<String> {
        let mut json: *mut c_char = ptr::null_mut();
        // SAFETY: valid env; json becomes owned.
        unsafe {
            check(sys::cgym_env_state_json(self.raw, &mut json))?;
            Ok(take_owned_string(json))
        }
    }

    /// The state as CSV (benchmark,reward,walltime,commandline), with a header if `header`.
    pub fn state_csv(&self, header: bool) -> Result<String> {
        let mut csv: *mut c_char = ptr::null_mut();
        // SAFETY: valid env; csv becomes owned.
        unsafe {
            check(sys::cgym_env_state_csv(
                self.raw,
                c_int::from(header),
                &mut csv,
            ))?;
            Ok(take_owned_string(csv))
        }
    }

    /// Replays a state given as JSON (resetting to its benchmark if needed).
    pub fn apply_state(&mut self, state_json: &str) -> Result<()> {
        let state = cstring(state_json)?;
        // SAFETY: valid pointers.
        check(with_rewards(|| unsafe {
            sys::cgym_env_apply_state(self.raw, state.as_ptr())
        }))
    }

    /// Validates a state given as JSON (`None`: the current state) by replaying it in a fork.
    pub fn validate(&mut self, state_json: Option<&str>) -> Result<Validation> {
        let state = state_json.map(cstring).transpose()?;
        let mut okay: c_int = 0;
        let mut json: *mut c_char = ptr::null_mut();
        // SAFETY: valid pointers (the state may be NULL); json becomes owned.
        unsafe {
            check(with_rewards(|| {
                sys::cgym_env_validate(
                    self.raw,
                    state.as_ref().map_or(ptr::null(), |s| s.as_ptr()),
                    &mut okay,
                    &mut json,
                )
            }))?;
            Ok(Validation {
                okay: okay != 0,
                json: take_owned_string(json),
            })
        }
    }

    /// Ends the episode and releases the service (idempotent; a later reset reconnects).
    /// INTERNAL "Service exited with returncode N" if a managed service exited badly.
    pub fn close(&mut self) -> Result<()> {
        // SAFETY: valid env.
        check(unsafe { sys::cgym_env_close(self.raw) })
    }

    /// Whether an episode is running.
    pub fn in_episode(&self) -> bool {
        // SAFETY: valid env.
        unsafe { sys::cgym_env_in_episode(self.raw) != 0 }
    }

    /// The sum of the default reward space's rewards this episode (`None` without one).
    pub fn episode_reward(&self) -> Option<f64> {
        let mut has: c_int = 0;
        // SAFETY: valid env.
        let reward = unsafe { sys::cgym_env_episode_reward(self.raw, &mut has) };
        (has != 0).then_some(reward)
    }

    /// The episode's wall time in seconds.
    pub fn episode_walltime(&self) -> f64 {
        // SAFETY: valid env.
        unsafe { sys::cgym_env_episode_walltime(self.raw) }
    }

    /// The number of actions taken this episode.
    pub fn action_count(&self) -> Result<usize> {
        let mut count = 0usize;
        // SAFETY: valid env.
        check(unsafe { sys::cgym_env_action_count(self.raw, &mut count) })?;
        Ok(count)
    }

    /// The actions taken this episode, in order.
    pub fn actions(&self) -> Result<Vec<Event>> {
        // SAFETY: valid env; each action is borrowed and copied at once.
        read_list(
            |n| unsafe { sys::cgym_env_action_count(self.raw, n) },
            |i| unsafe {
                let mut action: *const sys::cgym_event_t = ptr::null();
                check(sys::cgym_env_action_at(self.raw, i, &mut action))?;
                Event::from_raw(action)
            },
        )
    }

    /// The service's version and its compiler's version.
    pub fn version(&mut self) -> Result<(String, String)> {
        let mut service: *const c_char = ptr::null();
        let mut compiler: *const c_char = ptr::null();
        // SAFETY: valid env; the strings are borrowed and copied at once.
        unsafe {
            check(sys::cgym_env_version(self.raw, &mut service, &mut compiler))?;
            Ok((to_string_lossy(service), to_string_lossy(compiler)))
        }
    }

    /// The service's action spaces.
    pub fn action_spaces(&self) -> Result<Vec<ActionSpace>> {
        // SAFETY: valid env; spaces are borrowed and copied at once.
        read_list(
            |n| unsafe { sys::cgym_env_action_space_count(self.raw, n) },
            |i| unsafe {
                let mut space: *const sys::cgym_action_space_t = ptr::null();
                check(sys::cgym_env_action_space_at(self.raw, i, &mut space))?;
                ActionSpace::from_raw(space)
            },
        )
    }

    /// The action space in use (`None` if the env has none).
    pub fn action_space(&self) -> Result<Option<ActionSpace>> {
        // SAFETY: valid env; borrowed and copied at once.
        unsafe {
            let space = sys::cgym_env_action_space(self.raw);
            if space.is_null() {
                Ok(None)
            } else {
                ActionSpace::from_raw(space).map(Some)
            }
        }
    }

    /// The service's observation spaces.
    pub fn observation_spaces(&self) -> Result<Vec<ObservationSpace>> {
        // SAFETY: valid env; spaces are borrowed and copied at once.
        read_list(
            |n| unsafe { sys::cgym_env_observation_space_count(self.raw, n) },
            |i| unsafe {
                let mut space: *const sys::cgym_observation_space_t = ptr::null();
                check(sys::cgym_env_observation_space_at(self.raw, i, &mut space))?;
                ObservationSpace::from_raw(space)
            },
        )
    }

    /// The names of the env's reward spaces (the service's and those of
    /// [`add_reward`](Env::add_reward)).
    pub fn reward_spaces(&self) -> Result<Vec<String>> {
        // SAFETY: valid env; names are borrowed and copied at once.
        read_list(
            |n| unsafe { sys::cgym_env_reward_space_count(self.raw, n) },
            |i| unsafe {
                let mut name: *const c_char = ptr::null();
                check(sys::cgym_env_reward_space_at(self.raw, i, &mut name))?;
                Ok(to_string_lossy(name))
            },
        )
    }
}

impl Env {
    /// Adds (or replaces) a reward space computed on the client by `reward` from the
    /// observation spaces `spec.observation_spaces` (NOT_FOUND if one is unknown). The env
    /// owns the reward (dropped with the env); each fork gets a clone. If the call fails, the
    /// reward is dropped before it returns.
    ///
    /// A panic in the reward is resumed in the caller of the `Env` call that ran it.
    pub fn add_reward<R: Reward>(&mut self, spec: &RewardSpec, reward: R) -> Result<()> {
        let name = cstring(&spec.name)?;
        let names: Vec<&str> = spec.observation_spaces.iter().map(String::as_str).collect();
        let (_owned, pointers) = space_pointers(&names)?;
        let vtable = crate::reward::vtable::<R>();
        let user_data = Box::into_raw(Box::new(reward)) as *mut c_void;
        // SAFETY: valid pointers for the call. libcgym owns user_data from here on, whether
        // the call succeeds or fails: it releases it with the vtable's destroy slot (at once
        // on failure), so it must not be freed here.
        check(unsafe {
            sys::cgym_env_add_reward(
                self.raw,
                name.as_ptr(),
                pointers.as_ptr(),
                pointers.len(),
                spec.default_value,
                c_int::from(spec.default_negates_returns),
                c_int::from(spec.deterministic),
                &vtable,
                user_data,
            )
        })
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        // SAFETY: the handle is owned and freed exactly once.
        unsafe { sys::cgym_env_free(self.raw) }
    }
}

/// Runs a call that may run rewards written in Rust, and resumes a reward's panic after it.
pub(crate) fn with_rewards<T>(call: impl FnOnce() -> T) -> T {
    crate::reward::clear_pending_panic();
    let result = call();
    crate::reward::resume_pending_panic();
    result
}

/// Converts states from CSV (with or without a header line) to a JSON array of states.
pub fn states_csv_to_json(csv: &str) -> Result<String> {
    let csv = cstring(csv)?;
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: a valid string for the call; json becomes owned.
    unsafe {
        check(sys::cgym_states_csv_to_json(csv.as_ptr(), &mut json))?;
        Ok(take_owned_string(json))
    }
}

/// Converts a JSON array of states to CSV (benchmark,reward,walltime,commandline), with a
/// header line if `header`.
pub fn states_json_to_csv(json: &str, header: bool) -> Result<String> {
    let json = cstring(json)?;
    let mut csv: *mut c_char = ptr::null_mut();
    // SAFETY: a valid string for the call; csv becomes owned.
    unsafe {
        check(sys::cgym_states_json_to_csv(
            json.as_ptr(),
            c_int::from(header),
            &mut csv,
        ))?;
        Ok(take_owned_string(csv))
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("benchmark", &self.benchmark())
            .field("in_episode", &self.in_episode())
            .finish()
    }
}

/// An owned `cgym_step_result_t`, freed on drop.
pub(crate) struct RawStepResult(pub(crate) *mut sys::cgym_step_result_t);

impl RawStepResult {
    /// # Safety
    /// self.0 is a valid step result.
    pub(crate) unsafe fn read(&self) -> Result<StepResult> {
        read_step_result(self.0)
    }
}

/// The step's status (`cgym_step_result_status()`) as an error: `Ok(())` for CGYM_OK.
///
/// # Safety
/// `r` is a valid step result.
pub(crate) unsafe fn step_result_status(r: *const sys::cgym_step_result_t) -> Result<()> {
    let status = sys::cgym_step_result_status(r);
    if status == sys::CGYM_OK {
        Ok(())
    } else {
        Err(crate::Error::new(
            crate::Code(status),
            to_string_lossy(sys::cgym_step_result_status_message(r)),
        ))
    }
}

/// Copies a step result (owned or borrowed: it is not freed).
///
/// # Safety
/// `r` is a valid step result.
pub(crate) unsafe fn read_step_result(r: *const sys::cgym_step_result_t) -> Result<StepResult> {
    let observations = read_list(
        |n| sys::cgym_step_result_observation_count(r, n),
        |i| {
            let mut observation: *const sys::cgym_event_t = ptr::null();
            check(sys::cgym_step_result_observation_at(r, i, &mut observation))?;
            Event::from_raw(observation)
        },
    )?;
    let rewards = read_list(
        |n| sys::cgym_step_result_reward_count(r, n),
        |i| {
            let mut reward = 0f64;
            check(sys::cgym_step_result_reward_at(r, i, &mut reward))?;
            Ok(reward)
        },
    )?;
    let error_type = to_string_lossy(sys::cgym_step_result_error_type(r));
    let error = if error_type.is_empty() {
        None
    } else {
        Some((
            error_type,
            to_string_lossy(sys::cgym_step_result_error_details(r)),
        ))
    };
    Ok(StepResult {
        observations,
        rewards,
        done: sys::cgym_step_result_done(r) != 0,
        action_had_no_effect: sys::cgym_step_result_action_had_no_effect(r) != 0,
        new_action_space: sys::cgym_step_result_new_action_space(r) != 0,
        error,
    })
}

impl Drop for RawStepResult {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::cgym_step_result_free(self.0) }
    }
}
