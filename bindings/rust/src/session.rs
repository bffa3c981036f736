// SPDX-License-Identifier: MIT
//! Sessions written in Rust: implement [`CompilationSession`], describe the service with a
//! [`ServiceDef`], then run it as a CompilerGym service process ([`ServiceDef::serve`]) or
//! register it in this process for `Env::connect("inproc:NAME")`
//! ([`ServiceDef::register_in_process`]). [`register_plugin`] registers a session written in
//! C that lives in a shared library of its own (a session plugin).
//!
//! The session's methods are called through `cgym_session_vtable_t` trampolines. No panic
//! crosses the C ABI: each trampoline runs the method under `catch_unwind`; an `Err(e)` is
//! reported with `e.code()` and `e.message()`, a panic as CALLBACK_ERROR with the panic's
//! message. The client sees gRPC codes (1 to 16) as they are, and codes from 100 (including
//! CALLBACK_ERROR for a panic) as INTERNAL with the message (cgym.h, "Services").
use std::any::Any;
use std::ffi::{c_char, c_int, c_void, CString};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{check, Code, Error, Result};
use crate::event::Event;
use crate::space::{ActionSpace, ObservationSpace};
use crate::sys;
use crate::util::{bytes_of, cstring, to_string_lossy};

/// The benchmark a session starts from.
#[derive(Clone, Copy, Debug)]
pub struct Benchmark<'a> {
    /// The benchmark's URI.
    pub uri: &'a str,
    /// The program's bytes, if the client sent them.
    pub program: Option<&'a [u8]>,
}

/// What applying an action did. The default: nothing special.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionOutcome {
    /// End the episode (no further actions of the step are applied).
    pub end_of_episode: bool,
    /// Nothing changed.
    pub action_had_no_effect: bool,
    /// Switch to the action space of this index.
    pub new_action_space: Option<usize>,
}

/// What the end-of-step hook decided. The default: nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndOfStep {
    /// End the episode.
    pub end_of_episode: bool,
    /// Switch to the action space of this index.
    pub new_action_space: Option<usize>,
}

/// One episode of a compiler. The runtime calls one session's methods one at a time (so
/// `&mut self` needs no lock); different sessions run in parallel on other threads, hence
/// `Send`. A method reports failure with `Err(Error::new(code, message))`.
pub trait CompilationSession: Send + Sized + 'static {
    /// Starts a session for a new episode with the chosen action space and benchmark.
    fn init(action_space: &ActionSpace, benchmark: &Benchmark<'_>) -> Result<Self>;

    /// Applies one action (for a discrete space, an `Event::Int64` index).
    fn apply_action(&mut self, action: &Event) -> Result<ActionOutcome>;

    /// Computes the observation of space number `index` (in the order of
    /// [`ServiceDef::add_observation_space`]), named `space`.
    fn observation(&mut self, index: usize, space: &str) -> Result<Event>;

    /// A new session in the same state (ForkSession). The default is UNIMPLEMENTED, and
    /// clients then replay the episode's actions in a new service instead.
    fn fork(&self) -> Result<Self> {
        Err(Error::new(Code::UNIMPLEMENTED, "This session cannot fork"))
    }

    /// Called once per step after the actions and observations.
    fn end_of_step(&mut self, action_had_no_effect: bool) -> Result<EndOfStep> {
        let _ = action_had_no_effect;
        Ok(EndOfStep::default())
    }

    /// Handles a session parameter: `Ok(Some(reply))`, or `Ok(None)` for a key the session
    /// does not know (the runtime then tries its built-in parameters).
    fn parameter(&mut self, key: &str, value: &str) -> Result<Option<String>> {
        let _ = (key, value);
        Ok(None)
    }
}

/// The state behind the `void* session` pointer: the session and its last parameter reply
/// (which must outlive the `handle_session_parameter` call).
struct Slot<S> {
    session: S,
    reply: Option<CString>,
}

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_string()
    }
}

/// Records `error` as the thread's last error and returns its code.
fn report(error: &Error) -> sys::cgym_status_t {
    let message = CString::new(error.message().replace('\0', "\\0")).unwrap_or_default();
    // SAFETY: message is a valid C string for the call (libcgym copies it).
    unsafe { sys::cgym_set_error(error.code().0, message.as_ptr()) }
}

/// Runs a slot: OK, the error's status, or CALLBACK_ERROR for a panic.
fn guard(slot: &str, f: impl FnOnce() -> Result<()>) -> sys::cgym_status_t {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => sys::CGYM_OK,
        Ok(Err(error)) => report(&error),
        Err(payload) => report(&Error::new(
            Code::CALLBACK_ERROR,
            format!(
                "Rust session panicked in {slot}: {}",
                panic_message(payload.as_ref())
            ),
        )),
    }
}

fn action_space_index(index: Option<usize>) -> Result<i32> {
    match index {
        None => Ok(-1),
        Some(i) => i32::try_from(i).map_err(|_| {
            Error::new(
                Code::INVALID_ARGUMENT,
                format!("Action space index out of range: {i}"),
            )
        }),
    }
}

unsafe extern "C" fn init_slot<S: CompilationSession>(
    _service_data: *mut c_void,
    action_space: *const sys::cgym_action_space_t,
    benchmark_uri: *const c_char,
    program: *const c_void,
    program_length: usize,
    session: *mut *mut c_void,
) -> sys::cgym_status_t {
    guard("init", || {
        // SAFETY: the runtime passes valid borrowed pointers for the call.
        let action_space = unsafe { ActionSpace::from_raw(action_space)? };
        let uri = unsafe { to_string_lossy(benchmark_uri) };
        let program =
            (!program.is_null()).then(|| unsafe { bytes_of(program as *const u8, program_length) });
        let benchmark = Benchmark { uri: &uri, program };
        let state = S::init(&action_space, &benchmark)?;
        let slot = Box::new(Slot {
            session: state,
            reply: None,
        });
        // SAFETY: session is a valid out-pointer; the box is freed in destroy_slot.
        unsafe { *session = Box::into_raw(slot) as *mut c_void };
        Ok(())
    })
}

unsafe extern "C" fn fork_slot<S: CompilationSession>(
    session: *mut c_void,
    new_session: *mut *mut c_void,
) -> sys::cgym_status_t {
    guard("fork", || {
        // SAFETY: session is a Slot<S> made by init_slot or fork_slot, not used concurrently.
        let slot = unsafe { &*(session as *const Slot<S>) };
        let copy = slot.session.fork()?;
        let copy = Box::new(Slot {
            session: copy,
            reply: None,
        });
        // SAFETY: valid out-pointer; freed in destroy_slot.
        unsafe { *new_session = Box::into_raw(copy) as *mut c_void };
        Ok(())
    })
}

unsafe extern "C" fn apply_action_slot<S: CompilationSession>(
    session: *mut c_void,
    action: *const sys::cgym_event_t,
    end_of_episode: *mut c_int,
    action_had_no_effect: *mut c_int,
    new_action_space: *mut i32,
) -> sys::cgym_status_t {
    guard("apply_action", || {
        // SAFETY: as fork_slot; the event and flags are valid for the call.
        let slot = unsafe { &mut *(session as *mut Slot<S>) };
        let action = unsafe { Event::from_raw(action)? };
        let outcome = slot.session.apply_action(&action)?;
        let index = action_space_index(outcome.new_action_space)?;
        // Flags are only ever raised: a flag the runtime already set stays set.
        unsafe {
            if outcome.end_of_episode {
                *end_of_episode = 1;
            }
            if outcome.action_had_no_effect {
                *action_had_no_effect = 1;
            }
            if outcome.new_action_space.is_some() {
                *new_action_space = index;
            }
        }
        Ok(())
    })
}

unsafe extern "C" fn get_observation_slot<S: CompilationSession>(
    session: *mut c_void,
    index: i32,
    space: *const sys::cgym_observation_space_t,
    observation: *mut sys::cgym_event_t,
) -> sys::cgym_status_t {
    guard("observation", || {
        // SAFETY: as fork_slot; space and observation are valid for the call.
        let slot = unsafe { &mut *(session as *mut Slot<S>) };
        let name = unsafe { to_string_lossy(sys::cgym_observation_space_name(space)) };
        let index = usize::try_from(index).map_err(|_| {
            Error::new(
                Code::INVALID_ARGUMENT,
                format!("Observation space index out of range: {index}"),
            )
        })?;
        let value = slot.session.observation(index, &name)?;
        unsafe { value.write_into(observation) }
    })
}

unsafe extern "C" fn end_of_step_slot<S: CompilationSession>(
    session: *mut c_void,
    action_had_no_effect: c_int,
    end_of_episode: *mut c_int,
    new_action_space: *mut i32,
) -> sys::cgym_status_t {
    guard("end_of_step", || {
        // SAFETY: as fork_slot; the flags are valid for the call.
        let slot = unsafe { &mut *(session as *mut Slot<S>) };
        let outcome = slot.session.end_of_step(action_had_no_effect != 0)?;
        let index = action_space_index(outcome.new_action_space)?;
        // end_of_episode may already be set by an action: it is only ever raised.
        unsafe {
            if outcome.end_of_episode {
                *end_of_episode = 1;
            }
            if outcome.new_action_space.is_some() {
                *new_action_space = index;
            }
        }
        Ok(())
    })
}

unsafe extern "C" fn parameter_slot<S: CompilationSession>(
    session: *mut c_void,
    key: *const c_char,
    value: *const c_char,
    reply: *mut *const c_char,
) -> sys::cgym_status_t {
    guard("parameter", || {
        // SAFETY: as fork_slot; key, value and reply are valid for the call.
        let slot = unsafe { &mut *(session as *mut Slot<S>) };
        let (key, value) = unsafe { (to_string_lossy(key), to_string_lossy(value)) };
        match slot.session.parameter(&key, &value)? {
            None => Ok(()),
            Some(text) => {
                let text = cstring(&text)?;
                // The reply lives in the slot until the next parameter (copied at once).
                let pointer = slot.reply.insert(text).as_ptr();
                unsafe { *reply = pointer };
                Ok(())
            }
        }
    })
}

unsafe extern "C" fn destroy_slot<S: CompilationSession>(session: *mut c_void) {
    if session.is_null() {
        return;
    }
    // A panic in the session's Drop must not unwind into C: it is caught and dropped.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: made by Box::into_raw in init_slot or fork_slot; destroyed exactly once.
        drop(unsafe { Box::from_raw(session as *mut Slot<S>) });
    }));
}

/// What a definition's `service_data` points to: owned by libcgym from
/// `cgym_service_def_new` on, and dropped by `service_data_free_slot` once nothing uses it.
struct ServiceData {
    compiler_version: CString,
}

/// The number of live `ServiceData`, for [`live_service_data`].
static LIVE_SERVICE_DATA: AtomicUsize = AtomicUsize::new(0);

impl ServiceData {
    fn new(compiler_version: CString) -> ServiceData {
        LIVE_SERVICE_DATA.fetch_add(1, Ordering::SeqCst);
        ServiceData { compiler_version }
    }
}

impl Drop for ServiceData {
    fn drop(&mut self) {
        LIVE_SERVICE_DATA.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The number of service definitions' data blocks alive in this process. Each
/// [`ServiceDef::new`] makes one; libcgym releases it once the definition, its in-process
/// registrations, and every service and env made from them are gone. For leak checks.
pub fn live_service_data() -> usize {
    LIVE_SERVICE_DATA.load(Ordering::SeqCst)
}

unsafe extern "C" fn compiler_version_slot(service_data: *mut c_void) -> *const c_char {
    // SAFETY: service_data is the ServiceData of ServiceDef::new, alive while it is used.
    let data = unsafe { &*(service_data as *const ServiceData) };
    data.compiler_version.as_ptr()
}

unsafe extern "C" fn service_data_free_slot(service_data: *mut c_void) {
    // Dropping a CString cannot panic; catch_unwind keeps the ABI boundary honest anyway.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: made by Box::into_raw in ServiceDef::new; libcgym calls this once.
        drop(unsafe { Box::from_raw(service_data as *mut ServiceData) });
    }));
}

/// A service definition: the session type `S`, the spaces and the compiler version.
pub struct ServiceDef<S: CompilationSession> {
    raw: *mut sys::cgym_service_def_t,
    _session: PhantomData<fn() -> S>,
}

// SAFETY: the definition handle may move between threads (cgym.h THREADS); it is only used
// through &mut self or by one call at a time.
unsafe impl<S: CompilationSession> Send for ServiceDef<S> {}

impl<S: CompilationSession> ServiceDef<S> {
    /// A definition of sessions of type `S` reporting `compiler_version`.
    ///
    /// The compiler version is kept in the definition's service_data, which libcgym owns
    /// (vtable version 2's `service_data_free`): it is dropped once the definition, its
    /// in-process registrations and every service made from them are gone.
    pub fn new(compiler_version: &str) -> Result<ServiceDef<S>> {
        crate::check_library_version()?;
        let data = Box::new(ServiceData::new(cstring(compiler_version)?));
        let vtable = sys::cgym_session_vtable_t {
            version: sys::CGYM_SESSION_VTABLE_VERSION,
            init: Some(init_slot::<S>),
            fork: Some(fork_slot::<S>),
            apply_action: Some(apply_action_slot::<S>),
            get_observation: Some(get_observation_slot::<S>),
            end_of_step: Some(end_of_step_slot::<S>),
            handle_session_parameter: Some(parameter_slot::<S>),
            destroy: Some(destroy_slot::<S>),
            compiler_version: Some(compiler_version_slot),
            service_data_free: Some(service_data_free_slot),
        };
        let mut out = ptr::null_mut();
        // SAFETY: the vtable is copied. libcgym owns service_data from this call on, even if
        // it fails (it then releases it at once): it must not be freed here.
        check(unsafe {
            sys::cgym_service_def_new(&mut out, &vtable, Box::into_raw(data) as *mut c_void)
        })?;
        Ok(ServiceDef {
            raw: out,
            _session: PhantomData,
        })
    }

    /// Appends an action space; indices follow the order of calls.
    pub fn add_action_space(&mut self, space: &ActionSpace) -> Result<()> {
        let raw = space.to_raw()?;
        // SAFETY: valid pointers; the definition copies the space, which raw frees.
        check(unsafe { sys::cgym_service_def_add_action_space(self.raw, raw.0) })
    }

    /// Appends an observation space; indices follow the order of calls and are the `index`
    /// given to [`CompilationSession::observation`].
    pub fn add_observation_space(&mut self, space: &ObservationSpace) -> Result<()> {
        let raw = space.to_raw()?;
        // SAFETY: valid pointers; the definition copies the space, which raw frees.
        check(unsafe { sys::cgym_service_def_add_observation_space(self.raw, raw.0) })
    }

    /// Runs a CompilerGym service process of this definition until SIGTERM or
    /// [`stop_serving`] (`cgym_service_run`: flags --working_dir, --port, --host, ...;
    /// port.txt and pid.txt). `args` is the whole command line, program name first
    /// (`std::env::args()`). Returns the exit code for `std::process::exit`: 0 after a stop
    /// with no sessions left, 6 with sessions left, 1 for bad arguments. SIGTERM and SIGINT
    /// stay blocked in the calling thread: call it from the thread that will exit the process.
    pub fn serve<I: IntoIterator<Item = String>>(&self, args: I) -> i32 {
        let args: Vec<CString> = args
            .into_iter()
            .map(|a| CString::new(a.replace('\0', "")).unwrap_or_default())
            .collect();
        let argv: Vec<*const c_char> = args.iter().map(|a| a.as_ptr()).collect();
        // SAFETY: argv holds valid strings that live for the call.
        unsafe { sys::cgym_service_run(self.raw, argv.len() as c_int, argv.as_ptr()) }
    }

    /// Registers this definition (copied) as the in-process service `name`, for
    /// `Env::connect("inproc:NAME")`. Registering a name again replaces it.
    pub fn register_in_process(&self, name: &str) -> Result<()> {
        let name = cstring(name)?;
        // SAFETY: valid pointers; the registry copies the definition.
        check(unsafe { sys::cgym_service_register(name.as_ptr(), self.raw) })
    }
}

impl<S: CompilationSession> std::fmt::Debug for ServiceDef<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceDef")
            .field("session", &std::any::type_name::<S>())
            .finish()
    }
}

impl<S: CompilationSession> Drop for ServiceDef<S> {
    fn drop(&mut self) {
        // SAFETY: owned, freed once. Registrations keep their own copy; libcgym drops the
        // service data when the last user is gone.
        unsafe { sys::cgym_service_def_free(self.raw) }
    }
}

/// Asks every [`ServiceDef::serve`] running in this process to stop, as SIGTERM does: it
/// stops accepting calls, ends its sessions and returns. Callable from any thread (Rust
/// decides which thread gets a signal, so this is the way to stop a service from Rust code).
/// A `serve` that starts after this call is not affected.
pub fn stop_serving() {
    // SAFETY: no arguments; callable from any thread.
    unsafe { sys::cgym_service_stop() }
}

/// Loads the session plugin at `path` (a shared library built on cgym.h that exports
/// `cgym_plugin_service_def`, such as `libcgym-example-plugin.so`) and registers its service
/// as the in-process service `name`, for `Env::connect("inproc:NAME")`
/// (`cgym_service_register_plugin`). Registering a name again replaces it. The library stays
/// loaded until the process exits.
///
/// Errors: NOT_FOUND if no file is at `path`; SERVICE_INIT if it is not a loadable session
/// plugin (the loader's message, or the missing entry point); INVALID_ARGUMENT for an empty
/// name or path; the plugin's own error if its entry point fails.
pub fn register_plugin(name: &str, path: impl AsRef<std::path::Path>) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let name = cstring(name)?;
    let path = path.as_ref();
    let path = CString::new(path.as_os_str().as_bytes()).map_err(|_| {
        Error::new(
            Code::INVALID_ARGUMENT,
            format!("Path contains a NUL byte: {path:?}"),
        )
    })?;
    // SAFETY: valid strings for the call; the library stays loaded, the registry copies the
    // definition.
    check(unsafe { sys::cgym_service_register_plugin(name.as_ptr(), path.as_ptr()) })
}

/// Removes the in-process service `name` (NOT_FOUND if none). Envs already connected keep it.
pub fn unregister_in_process(name: &str) -> Result<()> {
    let name = cstring(name)?;
    // SAFETY: valid string for the call.
    check(unsafe { sys::cgym_service_unregister(name.as_ptr()) })
}
