// SPDX-License-Identifier: MIT
//! Options of [`Env::connect`](crate::Env::connect): CompilerGym's ConnectionOpts plus the
//! env's initial benchmark and default spaces.
//!
//! `Options` is a plain Rust value (a builder); it becomes a `cgym_options_t` only inside
//! `connect`, so a bad value (a negative time, say) is reported by `connect` as
//! INVALID_ARGUMENT. Unset fields keep libcgym's defaults (CompilerGym's).
use std::ffi::{c_int, c_void};
use std::ptr;

use crate::error::{check, Result};
use crate::sys;
use crate::util::cstring;

/// Connection settings; `None` fields keep libcgym's defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Default: 5.
    pub rpc_max_retries: Option<i32>,
    /// Default: 0.1.
    pub retry_wait_seconds: Option<f64>,
    /// Default: 1.5.
    pub retry_wait_backoff_exponent: Option<f64>,
    /// Default: 30.
    pub init_max_seconds: Option<f64>,
    /// Default: 5.
    pub init_max_attempts: Option<i32>,
    /// Default: 30.
    pub local_service_port_init_max_seconds: Option<f64>,
    /// Default: 30.
    pub local_service_exit_max_seconds: Option<f64>,
    /// Default: 3.
    pub rpc_init_max_seconds: Option<f64>,
    /// Default: false.
    pub always_send_benchmark_on_reset: Option<bool>,
    /// Extra arguments of a managed service's command line.
    pub script_args: Vec<String>,
    /// Environment variables of a managed service.
    pub script_env: Vec<(String, String)>,
    /// The benchmark of the first reset: a URI and optionally the program's bytes.
    pub benchmark: Option<(String, Option<Vec<u8>>)>,
    /// Default observation space ("" for none).
    pub observation_space: Option<String>,
    /// Default reward space ("" for none).
    pub reward_space: Option<String>,
    /// Action space (default: the first).
    pub action_space: Option<String>,
}

impl Options {
    /// libcgym's defaults.
    pub fn new() -> Options {
        Options::default()
    }

    /// Sets the benchmark URI of the first reset.
    pub fn benchmark(mut self, uri: impl Into<String>) -> Options {
        self.benchmark = Some((uri.into(), None));
        self
    }

    /// Sets the benchmark of the first reset with its program.
    pub fn benchmark_with_program(
        mut self,
        uri: impl Into<String>,
        program: impl Into<Vec<u8>>,
    ) -> Options {
        self.benchmark = Some((uri.into(), Some(program.into())));
        self
    }

    /// Sets the default observation space.
    pub fn observation_space(mut self, name: impl Into<String>) -> Options {
        self.observation_space = Some(name.into());
        self
    }

    /// Sets the default reward space.
    pub fn reward_space(mut self, name: impl Into<String>) -> Options {
        self.reward_space = Some(name.into());
        self
    }

    /// Sets the action space.
    pub fn action_space(mut self, name: impl Into<String>) -> Options {
        self.action_space = Some(name.into());
        self
    }

    /// Appends an argument of a managed service's command line.
    pub fn script_arg(mut self, arg: impl Into<String>) -> Options {
        self.script_args.push(arg.into());
        self
    }

    /// Sets an environment variable of a managed service.
    pub fn script_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Options {
        self.script_env.push((key.into(), value.into()));
        self
    }

    /// Sets init_max_seconds.
    pub fn init_max_seconds(mut self, seconds: f64) -> Options {
        self.init_max_seconds = Some(seconds);
        self
    }

    /// Sets rpc_init_max_seconds.
    pub fn rpc_init_max_seconds(mut self, seconds: f64) -> Options {
        self.rpc_init_max_seconds = Some(seconds);
        self
    }

    /// Sets local_service_exit_max_seconds.
    pub fn local_service_exit_max_seconds(mut self, seconds: f64) -> Options {
        self.local_service_exit_max_seconds = Some(seconds);
        self
    }

    /// A new owned `cgym_options_t` with these settings.
    pub(crate) fn to_raw(&self) -> Result<RawOptions> {
        let mut out = ptr::null_mut();
        // SAFETY: out is a valid out-pointer.
        check(unsafe { sys::cgym_options_new(&mut out) })?;
        let raw = RawOptions(out);
        let o = raw.0;
        // SAFETY: o is a valid owned options handle; string arguments live for each call.
        unsafe {
            if let Some(v) = self.rpc_max_retries {
                check(sys::cgym_options_set_rpc_max_retries(o, v as c_int))?;
            }
            if let Some(v) = self.retry_wait_seconds {
                check(sys::cgym_options_set_retry_wait_seconds(o, v))?;
            }
            if let Some(v) = self.retry_wait_backoff_exponent {
                check(sys::cgym_options_set_retry_wait_backoff_exponent(o, v))?;
            }
            if let Some(v) = self.init_max_seconds {
                check(sys::cgym_options_set_init_max_seconds(o, v))?;
            }
            if let Some(v) = self.init_max_attempts {
                check(sys::cgym_options_set_init_max_attempts(o, v as c_int))?;
            }
            if let Some(v) = self.local_service_port_init_max_seconds {
                check(sys::cgym_options_set_local_service_port_init_max_seconds(
                    o, v,
                ))?;
            }
            if let Some(v) = self.local_service_exit_max_seconds {
                check(sys::cgym_options_set_local_service_exit_max_seconds(o, v))?;
            }
            if let Some(v) = self.rpc_init_max_seconds {
                check(sys::cgym_options_set_rpc_init_max_seconds(o, v))?;
            }
            if let Some(v) = self.always_send_benchmark_on_reset {
                check(sys::cgym_options_set_always_send_benchmark_on_reset(
                    o,
                    c_int::from(v),
                ))?;
            }
            for arg in &self.script_args {
                let arg = cstring(arg)?;
                check(sys::cgym_options_add_script_arg(o, arg.as_ptr()))?;
            }
            for (key, value) in &self.script_env {
                let (key, value) = (cstring(key)?, cstring(value)?);
                check(sys::cgym_options_set_script_env(
                    o,
                    key.as_ptr(),
                    value.as_ptr(),
                ))?;
            }
            if let Some((uri, program)) = &self.benchmark {
                let uri = cstring(uri)?;
                let (data, length) = match program {
                    Some(p) => (p.as_ptr() as *const c_void, p.len()),
                    None => (ptr::null(), 0),
                };
                check(sys::cgym_options_set_benchmark(
                    o,
                    uri.as_ptr(),
                    data,
                    length,
                ))?;
            }
            if let Some(name) = &self.observation_space {
                let name = cstring(name)?;
                check(sys::cgym_options_set_observation_space(o, name.as_ptr()))?;
            }
            if let Some(name) = &self.reward_space {
                let name = cstring(name)?;
                check(sys::cgym_options_set_reward_space(o, name.as_ptr()))?;
            }
            if let Some(name) = &self.action_space {
                let name = cstring(name)?;
                check(sys::cgym_options_set_action_space(o, name.as_ptr()))?;
            }
        }
        Ok(raw)
    }
}

/// An owned `cgym_options_t`, freed on drop.
pub(crate) struct RawOptions(pub(crate) *mut sys::cgym_options_t);

impl Drop for RawOptions {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::cgym_options_free(self.0) }
    }
}
