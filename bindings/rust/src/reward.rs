// SPDX-License-Identifier: MIT
//! Rewards written in Rust, computed on the client from observations
//! ([`Env::add_reward`](crate::Env::add_reward)), through `cgym_reward_vtable_t` trampolines.
//!
//! An `Err(e)` from a reward is reported with its code and message. A panic is caught in the
//! trampoline (no panic crosses the C ABI), reported to libcgym as CALLBACK_ERROR, and
//! resumed (`std::panic::resume_unwind`) in the caller when the `Env` call that ran the
//! reward returns on the same thread: a panic may not unwind through C frames, and a panic
//! must not be lost either.
use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_char, c_void, CString};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use crate::error::{Code, Result};
use crate::event::Event;
use crate::sys;
use crate::util::to_string_lossy;

/// A reward computed on the client. It is cloned for each fork of its env (a fork's reward
/// is independent), and dropped with its env.
pub trait Reward: Send + Clone + 'static {
    /// Called at the start of every episode.
    fn reset(&mut self, benchmark_uri: &str) -> Result<()> {
        let _ = benchmark_uri;
        Ok(())
    }

    /// The reward of a step's actions, given one observation per observation space named in
    /// [`RewardSpec::observation_spaces`], in order.
    fn update(&mut self, actions: &[Event], observations: &[Event]) -> Result<f64>;
}

/// How a reward space is declared (CompilerGym's Reward attributes).
#[derive(Clone, Debug, PartialEq)]
pub struct RewardSpec {
    /// The reward space's name.
    pub name: String,
    /// The observation spaces `update` receives, in order.
    pub observation_spaces: Vec<String>,
    /// reward_on_error: the reward of a failed step (default 0).
    pub default_value: f64,
    /// reward_on_error: negate the episode's returns instead (default false).
    pub default_negates_returns: bool,
    /// Default: true.
    pub deterministic: bool,
}

impl RewardSpec {
    /// A reward space `name` computed from `observation_spaces`.
    pub fn new(name: impl Into<String>, observation_spaces: &[&str]) -> RewardSpec {
        RewardSpec {
            name: name.into(),
            observation_spaces: observation_spaces.iter().map(|s| s.to_string()).collect(),
            default_value: 0.0,
            default_negates_returns: false,
            deterministic: true,
        }
    }
}

thread_local! {
    /// The payload of a reward's panic, resumed when the Env call returns.
    static PENDING_PANIC: RefCell<Option<Box<dyn Any + Send>>> = const { RefCell::new(None) };
}

/// Forgets a panic left by a call that did not resume it.
pub(crate) fn clear_pending_panic() {
    PENDING_PANIC.with(|p| p.borrow_mut().take());
}

/// Resumes the panic of a reward that ran during the last Env call on this thread, if any.
pub(crate) fn resume_pending_panic() {
    if let Some(payload) = PENDING_PANIC.with(|p| p.borrow_mut().take()) {
        resume_unwind(payload);
    }
}

fn report(code: Code, message: &str) -> sys::cgym_status_t {
    let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    // SAFETY: a valid C string for the call; libcgym copies it.
    unsafe { sys::cgym_set_error(code.0, message.as_ptr()) }
}

fn guard(slot: &str, f: impl FnOnce() -> Result<()>) -> sys::cgym_status_t {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => sys::CGYM_OK,
        Ok(Err(error)) => report(error.code(), error.message()),
        Err(payload) => {
            let message = crate::session::panic_message(payload.as_ref());
            PENDING_PANIC.with(|p| *p.borrow_mut() = Some(payload));
            report(
                Code::CALLBACK_ERROR,
                &format!("Rust reward panicked in {slot}: {message}"),
            )
        }
    }
}

/// # Safety
/// `events` is valid for `count` event pointers, each valid for the call.
unsafe fn events(events: *const *const sys::cgym_event_t, count: usize) -> Result<Vec<Event>> {
    if events.is_null() || count == 0 {
        return Ok(Vec::new());
    }
    std::slice::from_raw_parts(events, count)
        .iter()
        .map(|&e| Event::from_raw(e))
        .collect()
}

unsafe extern "C" fn reset_slot<R: Reward>(
    user_data: *mut c_void,
    benchmark_uri: *const c_char,
) -> sys::cgym_status_t {
    guard("reset", || {
        // SAFETY: user_data is the Box<R> of add_reward or clone_slot; calls are serialized.
        let reward = unsafe { &mut *(user_data as *mut R) };
        reward.reset(&unsafe { to_string_lossy(benchmark_uri) })
    })
}

unsafe extern "C" fn update_slot<R: Reward>(
    user_data: *mut c_void,
    actions: *const *const sys::cgym_event_t,
    num_actions: usize,
    observations: *const *const sys::cgym_event_t,
    num_observations: usize,
    out: *mut f64,
) -> sys::cgym_status_t {
    guard("update", || {
        // SAFETY: as reset_slot; the arrays are valid for the call.
        let reward = unsafe { &mut *(user_data as *mut R) };
        let actions = unsafe { events(actions, num_actions)? };
        let observations = unsafe { events(observations, num_observations)? };
        let value = reward.update(&actions, &observations)?;
        unsafe { *out = value };
        Ok(())
    })
}

unsafe extern "C" fn clone_slot<R: Reward>(user_data: *mut c_void) -> *mut c_void {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: as reset_slot.
        let reward = unsafe { &*(user_data as *const R) };
        Box::into_raw(Box::new(reward.clone())) as *mut c_void
    }))
    .unwrap_or_else(|payload| {
        PENDING_PANIC.with(|p| *p.borrow_mut() = Some(payload));
        std::ptr::null_mut() // fails the fork
    })
}

unsafe extern "C" fn destroy_slot<R: Reward>(user_data: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: made by Box::into_raw; destroyed exactly once.
        drop(unsafe { Box::from_raw(user_data as *mut R) });
    }));
}

/// The vtable of rewards of type `R`, for `cgym_env_add_reward`.
pub(crate) fn vtable<R: Reward>() -> sys::cgym_reward_vtable_t {
    sys::cgym_reward_vtable_t {
        version: sys::CGYM_REWARD_VTABLE_VERSION,
        reset: Some(reset_slot::<R>),
        update: Some(update_slot::<R>),
        clone: Some(clone_slot::<R>),
        destroy: Some(destroy_slot::<R>),
    }
}
