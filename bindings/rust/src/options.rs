// SPDX-License-Identifier: MIT
//! Options of [`Env::connect`](crate::Env::connect): CompilerGym's ConnectionOpts plus the
//! env's initial benchmark and default spaces, and what a service on another host asks for
//! (a token, TLS).
//!
//! `Options` is a plain Rust value (a builder); it becomes a `cgym_options_t` only inside
//! `connect`, so a bad value (a negative time, say) is reported by `connect` as
//! INVALID_ARGUMENT. Unset fields keep libcgym's defaults (CompilerGym's).
use std::ffi::{c_char, c_int, c_void, CString};
use std::fmt;
use std::path::{Path, PathBuf};
use std::ptr;

use crate::error::{check, Code, Error, Result};
use crate::sys;
use crate::util::cstring;

/// Connection settings; `None` fields keep libcgym's defaults.
///
/// A service on another host may ask for a token and TLS (`--token_file`, `--tls_cert`,
/// `--tls_client_ca`): `token` is sent as `authorization: Bearer TOKEN` on every call; `tls`
/// connects with TLS verifying the service against the system's root certificates, and
/// `tls_root_certs` (a PEM file) against those instead; `tls_client_cert` and `tls_client_key`
/// (PEM files, both or neither) are the client's certificate. Any `tls_*` set implies `tls`.
/// `connect` reports a file it cannot read, or a certificate without its key, as
/// INVALID_ARGUMENT. A managed service gets a token of its own: leave `token` unset for it.
/// `Debug` does not show the token.
#[derive(Clone, Default, PartialEq)]
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
    /// The token of a service started with a token (default: none).
    pub token: Option<String>,
    /// Connect with TLS (default: false; implied by any `tls_*` path).
    pub tls: bool,
    /// Root certificates (PEM) to verify the service against (default: the system's).
    pub tls_root_certs: Option<PathBuf>,
    /// The client's certificate (PEM), for a service that requires one.
    pub tls_client_cert: Option<PathBuf>,
    /// The private key (PEM) of `tls_client_cert`.
    pub tls_client_key: Option<PathBuf>,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every field but the token's value: a Debug print ends up in logs and panics.
        f.debug_struct("Options")
            .field("rpc_max_retries", &self.rpc_max_retries)
            .field("retry_wait_seconds", &self.retry_wait_seconds)
            .field(
                "retry_wait_backoff_exponent",
                &self.retry_wait_backoff_exponent,
            )
            .field("init_max_seconds", &self.init_max_seconds)
            .field("init_max_attempts", &self.init_max_attempts)
            .field(
                "local_service_port_init_max_seconds",
                &self.local_service_port_init_max_seconds,
            )
            .field(
                "local_service_exit_max_seconds",
                &self.local_service_exit_max_seconds,
            )
            .field("rpc_init_max_seconds", &self.rpc_init_max_seconds)
            .field(
                "always_send_benchmark_on_reset",
                &self.always_send_benchmark_on_reset,
            )
            .field("script_args", &self.script_args)
            .field("script_env", &self.script_env)
            .field("benchmark", &self.benchmark)
            .field("observation_space", &self.observation_space)
            .field("reward_space", &self.reward_space)
            .field("action_space", &self.action_space)
            .field("token", &self.token.as_ref().map(|_| "<hidden>"))
            .field("tls", &self.tls)
            .field("tls_root_certs", &self.tls_root_certs)
            .field("tls_client_cert", &self.tls_client_cert)
            .field("tls_client_key", &self.tls_client_key)
            .finish()
    }
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

    /// Sets the token sent to a service started with a token.
    pub fn token(mut self, token: impl Into<String>) -> Options {
        self.token = Some(token.into());
        self
    }

    /// Connects with TLS, verifying the service against the system's root certificates.
    pub fn tls(mut self) -> Options {
        self.tls = true;
        self
    }

    /// Connects with TLS, verifying the service against the root certificates of this PEM
    /// file (e.g. the service's self-signed certificate).
    pub fn tls_root_certs(mut self, path: impl Into<PathBuf>) -> Options {
        self.tls_root_certs = Some(path.into());
        self
    }

    /// Connects with TLS and presents this client certificate and its private key (PEM
    /// files), for a service that requires client certificates.
    pub fn tls_client_cert(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Options {
        self.tls_client_cert = Some(cert.into());
        self.tls_client_key = Some(key.into());
        self
    }

    /// Whether connections are made with TLS: `tls`, or any `tls_*` path set.
    pub fn uses_tls(&self) -> bool {
        self.tls
            || self.tls_root_certs.is_some()
            || self.tls_client_cert.is_some()
            || self.tls_client_key.is_some()
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
            if let Some(token) = &self.token {
                let token = cstring(token)?;
                check(sys::cgym_options_set_token(o, token.as_ptr()))?;
            }
            if self.uses_tls() {
                let root_certs = optional_path(&self.tls_root_certs)?;
                let client_cert = optional_path(&self.tls_client_cert)?;
                let client_key = optional_path(&self.tls_client_key)?;
                check(sys::cgym_options_set_tls(
                    o,
                    pointer_or_null(&root_certs),
                    pointer_or_null(&client_cert),
                    pointer_or_null(&client_key),
                ))?;
            }
        }
        Ok(raw)
    }
}

/// A path as a C string (its bytes: a Unix path need not be UTF-8).
fn path_cstring(path: &Path) -> Result<CString> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(path.as_os_str().as_bytes()).map_err(|_| {
        Error::new(
            Code::INVALID_ARGUMENT,
            format!("Path contains a NUL byte: {}", path.display()),
        )
    })
}

fn optional_path(path: &Option<PathBuf>) -> Result<Option<CString>> {
    path.as_deref().map(path_cstring).transpose()
}

fn pointer_or_null(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// An owned `cgym_options_t`, freed on drop.
pub(crate) struct RawOptions(pub(crate) *mut sys::cgym_options_t);

impl Drop for RawOptions {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::cgym_options_free(self.0) }
    }
}
