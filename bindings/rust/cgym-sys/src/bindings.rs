// SPDX-License-Identifier: MIT
// Generated from include/cgym.h by bindings/rust/cgym-sys/generate.sh (bindgen as pinned in cgym-sys/gen/Cargo.toml, libclang 16).
// Do not edit: change cgym.h, then run generate.sh.

pub const CGYM_VERSION_MAJOR: u32 = 0;
pub const CGYM_VERSION_MINOR: u32 = 6;
pub const CGYM_VERSION_PATCH: u32 = 0;
pub const CGYM_ABI_VERSION: u32 = 1;
pub const CGYM_VERSION_NUMBER: u32 = 600;
pub const CGYM_OK: cgym_status_t = 0;
pub const CGYM_CANCELLED: cgym_status_t = 1;
pub const CGYM_UNKNOWN: cgym_status_t = 2;
pub const CGYM_INVALID_ARGUMENT: cgym_status_t = 3;
pub const CGYM_DEADLINE_EXCEEDED: cgym_status_t = 4;
pub const CGYM_NOT_FOUND: cgym_status_t = 5;
pub const CGYM_ALREADY_EXISTS: cgym_status_t = 6;
pub const CGYM_PERMISSION_DENIED: cgym_status_t = 7;
pub const CGYM_RESOURCE_EXHAUSTED: cgym_status_t = 8;
pub const CGYM_FAILED_PRECONDITION: cgym_status_t = 9;
pub const CGYM_ABORTED: cgym_status_t = 10;
pub const CGYM_OUT_OF_RANGE: cgym_status_t = 11;
pub const CGYM_UNIMPLEMENTED: cgym_status_t = 12;
pub const CGYM_INTERNAL: cgym_status_t = 13;
pub const CGYM_UNAVAILABLE: cgym_status_t = 14;
pub const CGYM_DATA_LOSS: cgym_status_t = 15;
pub const CGYM_UNAUTHENTICATED: cgym_status_t = 16;
pub const CGYM_SESSION_NOT_FOUND: cgym_status_t = 100;
pub const CGYM_SERVICE_INIT: cgym_status_t = 101;
pub const CGYM_ENVIRONMENT_NOT_SUPPORTED: cgym_status_t = 102;
pub const CGYM_SERVICE_TRANSPORT: cgym_status_t = 103;
pub const CGYM_SERVICE_IS_CLOSED: cgym_status_t = 104;
pub const CGYM_BENCHMARK_INIT: cgym_status_t = 105;
pub const CGYM_CALLBACK_ERROR: cgym_status_t = 106;
pub const CGYM_MAX_NESTING_DEPTH: u32 = 32;
pub const CGYM_EVENT_NONE: cgym_event_kind_t = 0;
pub const CGYM_EVENT_LIST: cgym_event_kind_t = 2;
pub const CGYM_EVENT_DICT: cgym_event_kind_t = 3;
pub const CGYM_EVENT_BOOL: cgym_event_kind_t = 4;
pub const CGYM_EVENT_INT64: cgym_event_kind_t = 5;
pub const CGYM_EVENT_FLOAT: cgym_event_kind_t = 6;
pub const CGYM_EVENT_DOUBLE: cgym_event_kind_t = 7;
pub const CGYM_EVENT_STRING: cgym_event_kind_t = 8;
pub const CGYM_EVENT_BOOL_TENSOR: cgym_event_kind_t = 9;
pub const CGYM_EVENT_BYTE_TENSOR: cgym_event_kind_t = 10;
pub const CGYM_EVENT_INT64_TENSOR: cgym_event_kind_t = 11;
pub const CGYM_EVENT_FLOAT_TENSOR: cgym_event_kind_t = 12;
pub const CGYM_EVENT_DOUBLE_TENSOR: cgym_event_kind_t = 13;
pub const CGYM_EVENT_STRING_TENSOR: cgym_event_kind_t = 14;
pub const CGYM_EVENT_ANY: cgym_event_kind_t = 15;
pub const CGYM_SPACE_NONE: cgym_space_kind_t = 0;
pub const CGYM_SPACE_LIST: cgym_space_kind_t = 3;
pub const CGYM_SPACE_DICT: cgym_space_kind_t = 4;
pub const CGYM_SPACE_DISCRETE: cgym_space_kind_t = 5;
pub const CGYM_SPACE_NAMED_DISCRETE: cgym_space_kind_t = 6;
pub const CGYM_SPACE_BOOL_RANGE: cgym_space_kind_t = 7;
pub const CGYM_SPACE_INT64_RANGE: cgym_space_kind_t = 8;
pub const CGYM_SPACE_FLOAT_RANGE: cgym_space_kind_t = 9;
pub const CGYM_SPACE_DOUBLE_RANGE: cgym_space_kind_t = 10;
pub const CGYM_SPACE_STRING: cgym_space_kind_t = 11;
pub const CGYM_SPACE_BOOL_SEQUENCE: cgym_space_kind_t = 12;
pub const CGYM_SPACE_BYTE_SEQUENCE: cgym_space_kind_t = 13;
pub const CGYM_SPACE_BYTES_SEQUENCE: cgym_space_kind_t = 14;
pub const CGYM_SPACE_INT64_SEQUENCE: cgym_space_kind_t = 15;
pub const CGYM_SPACE_FLOAT_SEQUENCE: cgym_space_kind_t = 16;
pub const CGYM_SPACE_DOUBLE_SEQUENCE: cgym_space_kind_t = 17;
pub const CGYM_SPACE_STRING_SEQUENCE: cgym_space_kind_t = 18;
pub const CGYM_SPACE_BOOL_BOX: cgym_space_kind_t = 19;
pub const CGYM_SPACE_BYTE_BOX: cgym_space_kind_t = 20;
pub const CGYM_SPACE_INT64_BOX: cgym_space_kind_t = 21;
pub const CGYM_SPACE_FLOAT_BOX: cgym_space_kind_t = 22;
pub const CGYM_SPACE_DOUBLE_BOX: cgym_space_kind_t = 23;
pub const CGYM_SPACE_ANY: cgym_space_kind_t = 24;
pub const CGYM_SPACE_SPACE_SEQUENCE: cgym_space_kind_t = 25;
pub const CGYM_SPACE_SPACE_UNION: cgym_space_kind_t = 26;
pub const CGYM_REWARD_VTABLE_VERSION: u32 = 1;
pub const CGYM_COST_REWARD_DELTA: cgym_cost_reward_kind_t = 0;
pub const CGYM_COST_REWARD_NORMALIZED: cgym_cost_reward_kind_t = 1;
pub const CGYM_COST_REWARD_BASELINE: cgym_cost_reward_kind_t = 2;
pub const CGYM_AUTORESET_NEXT_STEP: cgym_autoreset_mode_t = 0;
pub const CGYM_AUTORESET_SAME_STEP: cgym_autoreset_mode_t = 1;
pub const CGYM_AUTORESET_DISABLED: cgym_autoreset_mode_t = 2;
pub const CGYM_SESSION_VTABLE_VERSION: u32 = 2;
pub const CGYM_PLUGIN_ENTRY_NAME: &[u8; 24] = b"cgym_plugin_service_def\0";
pub type cgym_status_t = i32;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_event {
    _unused: [u8; 0],
}
/** A value of CompilerGym's Event message: a scalar, a string, a tensor, a list or a dict of
 events, or an opaque protobuf Any.*/
pub type cgym_event_t = cgym_event;
/// Event kinds. The values are the field numbers of Event's `value` oneof.
pub type cgym_event_kind_t = i32;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_space {
    _unused: [u8; 0],
}
/// A space description (CompilerGym's Space message).
pub type cgym_space_t = cgym_space;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_action_space {
    _unused: [u8; 0],
}
/// A named action space (ActionSpace).
pub type cgym_action_space_t = cgym_action_space;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_observation_space {
    _unused: [u8; 0],
}
/// A named observation space with its flags and default observation (ObservationSpace).
pub type cgym_observation_space_t = cgym_observation_space;
/// Space kinds: the field numbers of Space's `value` oneof.
pub type cgym_space_kind_t = i32;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_options {
    _unused: [u8; 0],
}
/** Settings for cgym_connect(): CompilerGym's ConnectionOpts, plus the env's initial
 benchmark and default spaces.*/
pub type cgym_options_t = cgym_options;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_env {
    _unused: [u8; 0],
}
/// A compiler environment (CompilerGym's ClientServiceCompilerEnv).
pub type cgym_env_t = cgym_env;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_call_options {
    _unused: [u8; 0],
}
/** Settings of one call to a service (cgym_env_reset(), cgym_step()), made once and reused
 for any number of calls. NULL where a call takes one means the defaults.*/
pub type cgym_call_options_t = cgym_call_options;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_step_result {
    _unused: [u8; 0],
}
/// The result of a step.
pub type cgym_step_result_t = cgym_step_result;
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct cgym_reward_vtable {
    /// CGYM_REWARD_VTABLE_VERSION.
    pub version: u32,
    /// Optional: called at the start of every episode.
    pub reset: ::core::option::Option<
        unsafe extern "C" fn(
            user_data: *mut ::core::ffi::c_void,
            benchmark_uri: *const ::core::ffi::c_char,
        ) -> cgym_status_t,
    >,
    /** Required: the reward of a step's actions, given one observation per name declared with
 the reward, in order. Report failure with cgym_set_error().*/
    pub update: ::core::option::Option<
        unsafe extern "C" fn(
            user_data: *mut ::core::ffi::c_void,
            actions: *const *const cgym_event_t,
            num_actions: usize,
            observations: *const *const cgym_event_t,
            num_observations: usize,
            reward: *mut f64,
        ) -> cgym_status_t,
    >,
    /** Optional: the user data of a copy, for cgym_fork(). Without it, a fork's reward shares
 `user_data` with its parent's. Return NULL to fail the fork.*/
    pub clone: ::core::option::Option<
        unsafe extern "C" fn(
            user_data: *mut ::core::ffi::c_void,
        ) -> *mut ::core::ffi::c_void,
    >,
    /// Optional: releases user_data when the reward is dropped (also for clones).
    pub destroy: ::core::option::Option<
        unsafe extern "C" fn(user_data: *mut ::core::ffi::c_void),
    >,
}
pub type cgym_reward_vtable_t = cgym_reward_vtable;
/** Kinds of cost reward (CompilerGym's CostFunctionReward family). With C the cost after a
 step, C0 the cost of the unmodified benchmark and Cb the baseline's cost:
   DELTA:      r = C(prev) - C(now)
   NORMALIZED: r = (C(prev) - C(now)) / C0
   BASELINE:   r = (C(prev) - C(now)) / max(C0 - Cb, 1), success threshold 1.
 Before the first step of an episode C(prev) is C0. C0 and max(C0 - Cb, 1) are read once per
 benchmark. All default to 0 on a failed step, minus the episode's reward so far.*/
pub type cgym_cost_reward_kind_t = i32;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_step_queue {
    _unused: [u8; 0],
}
/** A queue of steps in flight. One thread submits steps of many envs and takes their results as
 they complete, so that it keeps N sessions busy, on one service or several (managed, remote or
 in-process), without a thread per env: over gRPC all submitted steps are on the wire at once.
 A queue is used by one thread at a time, as an env is.

 An env has at most one step in flight. From cgym_step_submit() until its result is taken by
 cgym_step_queue_next(), the env belongs to the queue: any other call with it is
 FAILED_PRECONDITION "The env has a step in flight". Freeing an env with a step in flight
 abandons the step: its result still comes out of the queue, with status CANCELLED.*/
pub type cgym_step_queue_t = cgym_step_queue;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_vec_env {
    _unused: [u8; 0],
}
/** A vector environment: N envs of one kind, stepped together through a cgym_step_queue, with
 gymnasium's autoreset modes.*/
pub type cgym_vec_env_t = cgym_vec_env;
/// What happens to an env whose episode ends (gymnasium's AutoresetMode).
pub type cgym_autoreset_mode_t = i32;
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct cgym_session_vtable {
    /// CGYM_SESSION_VTABLE_VERSION (2). Version 1, without service_data_free, is accepted.
    pub version: u32,
    /** Required: starts a session for a new episode and returns its state in *session.
 `service_data` is the pointer given to cgym_service_def_new(); `action_space` is the
 chosen action space; the benchmark is a URI and, if the client sent it, its program
 (program NULL otherwise). Pointers are borrowed for the call. *session may be NULL (a
 session without state); it is ignored if init fails.*/
    pub init: ::core::option::Option<
        unsafe extern "C" fn(
            service_data: *mut ::core::ffi::c_void,
            action_space: *const cgym_action_space_t,
            benchmark_uri: *const ::core::ffi::c_char,
            program: *const ::core::ffi::c_void,
            program_length: usize,
            session: *mut *mut ::core::ffi::c_void,
        ) -> cgym_status_t,
    >,
    /** Optional: a new session in the same state as `session` (ForkSession). NULL: fork is
 UNIMPLEMENTED and clients replay actions instead.*/
    pub fork: ::core::option::Option<
        unsafe extern "C" fn(
            session: *mut ::core::ffi::c_void,
            new_session: *mut *mut ::core::ffi::c_void,
        ) -> cgym_status_t,
    >,
    /** Required: applies one action. Set *end_of_episode to end the episode (no further actions
 of the step are applied), *action_had_no_effect if nothing changed, and
 *new_action_space to the index of the new action space to change it (it is -1 on entry).
 All three flags start at 0 / -1.*/
    pub apply_action: ::core::option::Option<
        unsafe extern "C" fn(
            session: *mut ::core::ffi::c_void,
            action: *const cgym_event_t,
            end_of_episode: *mut ::core::ffi::c_int,
            action_had_no_effect: *mut ::core::ffi::c_int,
            new_action_space: *mut i32,
        ) -> cgym_status_t,
    >,
    /** Required: computes observation space number `index` (`space`) into `observation`, an
 empty event to fill with the cgym_event_set_* functions.*/
    pub get_observation: ::core::option::Option<
        unsafe extern "C" fn(
            session: *mut ::core::ffi::c_void,
            index: i32,
            space: *const cgym_observation_space_t,
            observation: *mut cgym_event_t,
        ) -> cgym_status_t,
    >,
    /** Optional: called once per step after the actions and observations; may end the episode
 or change the action space as apply_action can.*/
    pub end_of_step: ::core::option::Option<
        unsafe extern "C" fn(
            session: *mut ::core::ffi::c_void,
            action_had_no_effect: ::core::ffi::c_int,
            end_of_episode: *mut ::core::ffi::c_int,
            new_action_space: *mut i32,
        ) -> cgym_status_t,
    >,
    /** Optional: handles a session parameter. Set *reply to the reply (NUL-terminated, copied
 at once; it may point into the session's memory) or leave it NULL for a key the session
 does not know, which the runtime then tries as a built-in parameter.*/
    pub handle_session_parameter: ::core::option::Option<
        unsafe extern "C" fn(
            session: *mut ::core::ffi::c_void,
            key: *const ::core::ffi::c_char,
            value: *const ::core::ffi::c_char,
            reply: *mut *const ::core::ffi::c_char,
        ) -> cgym_status_t,
    >,
    /** Required: releases a session: called exactly once for each session that init or fork
 made (when the episode ends, the service stops, or the env is freed). Never fails.*/
    pub destroy: ::core::option::Option<
        unsafe extern "C" fn(session: *mut ::core::ffi::c_void),
    >,
    /// Optional: the compiler's version string (copied; called once per service).
    pub compiler_version: ::core::option::Option<
        unsafe extern "C" fn(
            service_data: *mut ::core::ffi::c_void,
        ) -> *const ::core::ffi::c_char,
    >,
    /** Optional (version 2): releases `service_data`, once, when nothing uses it any more: the
 definition and every copy of it (registrations included) freed or unregistered, and every
 service and in-process env made from them gone.*/
    pub service_data_free: ::core::option::Option<
        unsafe extern "C" fn(service_data: *mut ::core::ffi::c_void),
    >,
}
pub type cgym_session_vtable_t = cgym_session_vtable;
#[repr(C)]
#[derive(Debug)]
pub struct cgym_service_def {
    _unused: [u8; 0],
}
/// A service definition: the session callbacks, the spaces and the compiler version.
pub type cgym_service_def_t = cgym_service_def;
/** The entry point a session plugin exports, under the name CGYM_PLUGIN_ENTRY_NAME. A
 session plugin is a shared library that links against libcgym.so.CGYM_ABI_VERSION itself
 (so that the process holds one libcgym, whose functions build its definition) and exports
 this one function. `abi_version` is the CGYM_ABI_VERSION of the libcgym that loads it: a
 plugin built for another should return cgym_set_error(CGYM_FAILED_PRECONDITION, ...). On
 success it returns CGYM_OK with *out set to a definition made with cgym_service_def_new()
 and the cgym_service_def_add_* functions, which the caller then owns (and frees). On failure
 it returns the error, with its message recorded by cgym_set_error(), and *out is ignored
 (the plugin frees what it made).*/
pub type cgym_plugin_entry_t = ::core::option::Option<
    unsafe extern "C" fn(
        abi_version: u32,
        out: *mut *mut cgym_service_def_t,
    ) -> cgym_status_t,
>;
extern "C" {
    /// The version of the loaded library as MAJOR * 10000 + MINOR * 100 + PATCH. Never fails.
    pub fn cgym_version_number() -> u32;
    /// The version of the loaded library as "MAJOR.MINOR.PATCH". Never fails. Static string.
    pub fn cgym_version_string() -> *const ::core::ffi::c_char;
    /** The CompilerGym protocol version the library speaks ("0.2.5"), which a libcgym service
 reports as its service_version. Never fails. Static string.*/
    pub fn cgym_protocol_version_string() -> *const ::core::ffi::c_char;
    /** The code's name, e.g. "INVALID_ARGUMENT"; "UNKNOWN_CODE" for a code not listed above.
 Never fails. Static string.*/
    pub fn cgym_status_name(code: cgym_status_t) -> *const ::core::ffi::c_char;
    /** The parent of `code` in CompilerGym's exception hierarchy, in which CGYM_INTERNAL stands
 for the root ServiceError: CGYM_INTERNAL for the other codes of the ServiceError family
 (CANCELLED, UNKNOWN, ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, ABORTED,
 OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED, SESSION_NOT_FOUND, SERVICE_INIT,
 SERVICE_TRANSPORT, SERVICE_IS_CLOSED); CGYM_SERVICE_INIT for ENVIRONMENT_NOT_SUPPORTED;
 CGYM_INVALID_ARGUMENT for BENCHMARK_INIT (a ValueError); CGYM_OK for the roots (OK,
 INTERNAL, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, FAILED_PRECONDITION,
 UNIMPLEMENTED, CALLBACK_ERROR) and for unknown codes. Never fails.*/
    pub fn cgym_status_parent(code: cgym_status_t) -> cgym_status_t;
    /// 1 if `code` is CGYM_INTERNAL or descends from it (a ServiceError), else 0.
    pub fn cgym_status_is_service_error(code: cgym_status_t) -> ::core::ffi::c_int;
    /** The message of the calling thread's last error; "" when the last call succeeded. The
 string is valid until the thread's next call into libcgym. Never NULL.*/
    pub fn cgym_last_error_message() -> *const ::core::ffi::c_char;
    /// The code of the calling thread's last error; CGYM_OK when the last call succeeded.
    pub fn cgym_last_error_code() -> cgym_status_t;
    /** For callbacks (sessions and rewards written in C): records `code` and `message` as the
 calling thread's last error and returns `code`, so a callback can
 `return cgym_set_error(CGYM_INVALID_ARGUMENT, "Out-of-range");`. The runtime reports that
 code and message to the client. `message` may be NULL.*/
    pub fn cgym_set_error(
        code: cgym_status_t,
        message: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// Releases a buffer or string that libcgym returned as owned. Accepts NULL.
    pub fn cgym_free(pointer: *mut ::core::ffi::c_void);
    /// Releases an owned array of `count` owned strings. Accepts NULL.
    pub fn cgym_free_strings(strings: *mut *mut ::core::ffi::c_char, count: usize);
    /// An empty event (kind CGYM_EVENT_NONE). *out is owned: cgym_event_free().
    pub fn cgym_event_new(out: *mut *mut cgym_event_t) -> cgym_status_t;
    /// Scalar and string events. *out is owned.
    pub fn cgym_event_new_bool(
        out: *mut *mut cgym_event_t,
        value: ::core::ffi::c_int,
    ) -> cgym_status_t;
    pub fn cgym_event_new_int64(
        out: *mut *mut cgym_event_t,
        value: i64,
    ) -> cgym_status_t;
    pub fn cgym_event_new_float(
        out: *mut *mut cgym_event_t,
        value: f32,
    ) -> cgym_status_t;
    pub fn cgym_event_new_double(
        out: *mut *mut cgym_event_t,
        value: f64,
    ) -> cgym_status_t;
    /** `data` holds `length` bytes of UTF-8 (INVALID_ARGUMENT otherwise, as for every string
 given to the functions of this section); it may be NULL if length is 0.*/
    pub fn cgym_event_new_string(
        out: *mut *mut cgym_event_t,
        data: *const ::core::ffi::c_char,
        length: usize,
    ) -> cgym_status_t;
    /** A numeric tensor of `kind` (BOOL, BYTE, INT64, FLOAT or DOUBLE _TENSOR) with `ndim`
 dimensions `shape` and `count` values of the kind's C type, flattened in row-major order.
 INVALID_ARGUMENT if count is not the product of the shape, or kind is not such a tensor.*/
    pub fn cgym_event_new_tensor(
        out: *mut *mut cgym_event_t,
        kind: cgym_event_kind_t,
        shape: *const u64,
        ndim: usize,
        values: *const ::core::ffi::c_void,
        count: usize,
    ) -> cgym_status_t;
    /// A string tensor. `lengths` may be NULL for NUL-terminated `values`.
    pub fn cgym_event_new_string_tensor(
        out: *mut *mut cgym_event_t,
        shape: *const u64,
        ndim: usize,
        values: *const *const ::core::ffi::c_char,
        lengths: *const usize,
        count: usize,
    ) -> cgym_status_t;
    /// An empty list or dict, filled with cgym_event_list_append() and cgym_event_dict_set().
    pub fn cgym_event_new_list(out: *mut *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_new_dict(out: *mut *mut cgym_event_t) -> cgym_status_t;
    /// A protobuf Any with this type URL (e.g. "type.googleapis.com/compiler_gym.Opaque").
    pub fn cgym_event_new_any(
        out: *mut *mut cgym_event_t,
        type_url: *const ::core::ffi::c_char,
        data: *const ::core::ffi::c_void,
        length: usize,
    ) -> cgym_status_t;
    /// A deep copy. *out is owned.
    pub fn cgym_event_clone(
        out: *mut *mut cgym_event_t,
        event: *const cgym_event_t,
    ) -> cgym_status_t;
    /// Releases an owned event. Accepts NULL. Never pass a borrowed event.
    pub fn cgym_event_free(event: *mut cgym_event_t);
    /** Setters: replace the value of an existing event (owned, or handed to a session callback
 to fill). They mirror the constructors above.*/
    pub fn cgym_event_clear(event: *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_set_bool(
        event: *mut cgym_event_t,
        value: ::core::ffi::c_int,
    ) -> cgym_status_t;
    pub fn cgym_event_set_int64(event: *mut cgym_event_t, value: i64) -> cgym_status_t;
    pub fn cgym_event_set_float(event: *mut cgym_event_t, value: f32) -> cgym_status_t;
    pub fn cgym_event_set_double(event: *mut cgym_event_t, value: f64) -> cgym_status_t;
    pub fn cgym_event_set_string(
        event: *mut cgym_event_t,
        data: *const ::core::ffi::c_char,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_set_tensor(
        event: *mut cgym_event_t,
        kind: cgym_event_kind_t,
        shape: *const u64,
        ndim: usize,
        values: *const ::core::ffi::c_void,
        count: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_set_string_tensor(
        event: *mut cgym_event_t,
        shape: *const u64,
        ndim: usize,
        values: *const *const ::core::ffi::c_char,
        lengths: *const usize,
        count: usize,
    ) -> cgym_status_t;
    /** Make the event an empty list, an empty dict, or a protobuf Any (as cgym_event_new_list,
 _new_dict and _new_any do), e.g. for an observation a session returns.*/
    pub fn cgym_event_set_list(event: *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_set_dict(event: *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_set_any(
        event: *mut cgym_event_t,
        type_url: *const ::core::ffi::c_char,
        data: *const ::core::ffi::c_void,
        length: usize,
    ) -> cgym_status_t;
    /** Appends a copy of `item` to a list event (FAILED_PRECONDITION if `list` is not a list;
 an empty event becomes a list).*/
    pub fn cgym_event_list_append(
        list: *mut cgym_event_t,
        item: *const cgym_event_t,
    ) -> cgym_status_t;
    /** Sets the key of `key_length` bytes (UTF-8) to a copy of `value` in a dict event (an empty
 event becomes a dict).*/
    pub fn cgym_event_dict_set(
        dict: *mut cgym_event_t,
        key: *const ::core::ffi::c_char,
        key_length: usize,
        value: *const cgym_event_t,
    ) -> cgym_status_t;
    /// The event's kind; CGYM_EVENT_NONE for an empty event or NULL. Never fails.
    pub fn cgym_event_kind(event: *const cgym_event_t) -> cgym_event_kind_t;
    /// Readers. FAILED_PRECONDITION if the event is of another kind.
    pub fn cgym_event_get_bool(
        event: *const cgym_event_t,
        value: *mut ::core::ffi::c_int,
    ) -> cgym_status_t;
    /// Reads BOOL and INT64 events.
    pub fn cgym_event_get_int64(
        event: *const cgym_event_t,
        value: *mut i64,
    ) -> cgym_status_t;
    pub fn cgym_event_get_float(
        event: *const cgym_event_t,
        value: *mut f32,
    ) -> cgym_status_t;
    /// Reads any scalar numeric event (BOOL, INT64, FLOAT, DOUBLE) as a double.
    pub fn cgym_event_get_double(
        event: *const cgym_event_t,
        value: *mut f64,
    ) -> cgym_status_t;
    /// *data is borrowed (not NUL-terminated in general; *length bytes).
    pub fn cgym_event_get_string(
        event: *const cgym_event_t,
        data: *mut *const ::core::ffi::c_char,
        length: *mut usize,
    ) -> cgym_status_t;
    /// The shape of a tensor event; *shape is borrowed (NULL when ndim is 0).
    pub fn cgym_event_tensor_shape(
        event: *const cgym_event_t,
        shape: *mut *const u64,
        ndim: *mut usize,
    ) -> cgym_status_t;
    /// The values of a numeric tensor event: borrowed, `*count` values of the kind's C type.
    pub fn cgym_event_tensor_values(
        event: *const cgym_event_t,
        values: *mut *const ::core::ffi::c_void,
        count: *mut usize,
    ) -> cgym_status_t;
    /// The number of values of any tensor event.
    pub fn cgym_event_tensor_count(
        event: *const cgym_event_t,
        count: *mut usize,
    ) -> cgym_status_t;
    /// Value `index` of a string tensor; *data is borrowed. OUT_OF_RANGE for a bad index.
    pub fn cgym_event_string_tensor_at(
        event: *const cgym_event_t,
        index: usize,
        data: *mut *const ::core::ffi::c_char,
        length: *mut usize,
    ) -> cgym_status_t;
    /// Lists: the number of items, and item `index` (borrowed).
    pub fn cgym_event_list_count(
        event: *const cgym_event_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_list_at(
        event: *const cgym_event_t,
        index: usize,
        item: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    /** Dicts: the number of entries; entry `index` in key order (*key borrowed, *key_length bytes,
 NUL-terminated; key_length may be NULL); the value of the key of `key_length` bytes
 (NOT_FOUND if absent). Keys are UTF-8 and may contain NUL.*/
    pub fn cgym_event_dict_count(
        event: *const cgym_event_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_dict_at(
        event: *const cgym_event_t,
        index: usize,
        key: *mut *const ::core::ffi::c_char,
        key_length: *mut usize,
        value: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_event_dict_get(
        event: *const cgym_event_t,
        key: *const ::core::ffi::c_char,
        key_length: usize,
        value: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    /// An Any event's type URL (borrowed, NUL-terminated) and bytes (borrowed).
    pub fn cgym_event_get_any(
        event: *const cgym_event_t,
        type_url: *mut *const ::core::ffi::c_char,
        data: *mut *const ::core::ffi::c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    /// The event as serialized compiler_gym.Event protobuf bytes. *data is owned: cgym_free().
    pub fn cgym_event_serialize(
        event: *const cgym_event_t,
        data: *mut *mut ::core::ffi::c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    /// An event parsed from serialized compiler_gym.Event bytes; INVALID_ARGUMENT if malformed.
    pub fn cgym_event_parse(
        out: *mut *mut cgym_event_t,
        data: *const ::core::ffi::c_void,
        length: usize,
    ) -> cgym_status_t;
    /** Space constructors, for services that declare their spaces. *out is owned:
 cgym_space_free().*/
    pub fn cgym_space_new_discrete(out: *mut *mut cgym_space_t, n: i64) -> cgym_status_t;
    pub fn cgym_space_new_named_discrete(
        out: *mut *mut cgym_space_t,
        names: *const *const ::core::ffi::c_char,
        count: usize,
    ) -> cgym_status_t;
    /** A scalar range of kind BOOL_RANGE, INT64_RANGE, FLOAT_RANGE or DOUBLE_RANGE; a bound is
 set only if its `has_` flag is non-zero (unset = unbounded).*/
    pub fn cgym_space_new_range(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
        min: f64,
        has_min: ::core::ffi::c_int,
        max: f64,
        has_max: ::core::ffi::c_int,
    ) -> cgym_status_t;
    /// A string space with a length range (max_length < 0: unbounded).
    pub fn cgym_space_new_string(
        out: *mut *mut cgym_space_t,
        min_length: i64,
        max_length: i64,
    ) -> cgym_status_t;
    /** A box of kind BOOL_BOX, BYTE_BOX, INT64_BOX, FLOAT_BOX or DOUBLE_BOX with this shape and
 `count` bounds each (the product of the shape), given as doubles.*/
    pub fn cgym_space_new_box(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
        shape: *const u64,
        ndim: usize,
        low: *const f64,
        high: *const f64,
        count: usize,
    ) -> cgym_status_t;
    /** A sequence space of kind `*_SEQUENCE` with a length range (max_length < 0: unbounded); a
 scalar range where the kind has one (`has_` flags as above; ignored for BYTES, STRING and
 SPACE _SEQUENCE). A SPACE_SEQUENCE gets its element space from cgym_space_add().*/
    pub fn cgym_space_new_sequence(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
        min_length: i64,
        max_length: i64,
        scalar_min: f64,
        has_scalar_min: ::core::ffi::c_int,
        scalar_max: f64,
        has_scalar_max: ::core::ffi::c_int,
    ) -> cgym_status_t;
    /// An empty list (LIST or SPACE_UNION) or dict space, filled with cgym_space_add().
    pub fn cgym_space_new_composite(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
    ) -> cgym_status_t;
    /** Adds a copy of `subspace` to a LIST, SPACE_UNION (key ignored) or DICT (key required; an
 existing key is replaced), or makes it the element space of a SPACE_SEQUENCE (key
 ignored). FAILED_PRECONDITION for other kinds.*/
    pub fn cgym_space_add(
        space: *mut cgym_space_t,
        key: *const ::core::ffi::c_char,
        subspace: *const cgym_space_t,
    ) -> cgym_status_t;
    pub fn cgym_space_clone(
        out: *mut *mut cgym_space_t,
        space: *const cgym_space_t,
    ) -> cgym_status_t;
    pub fn cgym_space_free(space: *mut cgym_space_t);
    /// The space's kind; CGYM_SPACE_NONE for NULL or an empty space. Never fails.
    pub fn cgym_space_kind(space: *const cgym_space_t) -> cgym_space_kind_t;
    /// The optional type_id ("permutation", ...): borrowed, NULL if unset. Never fails.
    pub fn cgym_space_type_id(space: *const cgym_space_t) -> *const ::core::ffi::c_char;
    /// DISCRETE: n.
    pub fn cgym_space_discrete_n(
        space: *const cgym_space_t,
        n: *mut i64,
    ) -> cgym_status_t;
    /// NAMED_DISCRETE: the number of names and name `index` (borrowed).
    pub fn cgym_space_name_count(
        space: *const cgym_space_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_space_name_at(
        space: *const cgym_space_t,
        index: usize,
        name: *mut *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** The scalar range of a `*_RANGE` space, or the scalar range of a BOOL, BYTE, INT64, FLOAT or
 DOUBLE `_SEQUENCE` space, as doubles. An unset bound gives `has_min` or `has_max` = 0 and
 CompilerGym's default (false/true, INT64_MIN/INT64_MAX, -inf/+inf).*/
    pub fn cgym_space_range(
        space: *const cgym_space_t,
        min: *mut f64,
        has_min: *mut ::core::ffi::c_int,
        max: *mut f64,
        has_max: *mut ::core::ffi::c_int,
    ) -> cgym_status_t;
    /// The same for INT64_RANGE, INT64_SEQUENCE and BYTE_SEQUENCE, exactly.
    pub fn cgym_space_int64_range(
        space: *const cgym_space_t,
        min: *mut i64,
        has_min: *mut ::core::ffi::c_int,
        max: *mut i64,
        has_max: *mut ::core::ffi::c_int,
    ) -> cgym_status_t;
    /// The length range of STRING, `*_SEQUENCE` and SPACE_SEQUENCE spaces (max -1: unbounded).
    pub fn cgym_space_length_range(
        space: *const cgym_space_t,
        min: *mut i64,
        max: *mut i64,
    ) -> cgym_status_t;
    /// The shape of a `*_BOX` space (from its low tensor); *shape borrowed.
    pub fn cgym_space_box_shape(
        space: *const cgym_space_t,
        shape: *mut *const u64,
        ndim: *mut usize,
    ) -> cgym_status_t;
    /** Copies a `*_BOX` space's bounds as doubles into low and high, which hold `capacity` values
 each; *count receives the number of values. low = high = NULL with capacity 0 asks for the
 size only; a smaller capacity is OUT_OF_RANGE (see "Buffers" at the top).*/
    pub fn cgym_space_box_bounds(
        space: *const cgym_space_t,
        low: *mut f64,
        high: *mut f64,
        capacity: usize,
        count: *mut usize,
    ) -> cgym_status_t;
    /** The subspaces of LIST, SPACE_UNION and DICT spaces (dict entries in key order; *key is NULL
 for lists) and the element space of a SPACE_SEQUENCE (count 1). Borrowed.*/
    pub fn cgym_space_subspace_count(
        space: *const cgym_space_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_space_subspace_at(
        space: *const cgym_space_t,
        index: usize,
        key: *mut *const ::core::ffi::c_char,
        subspace: *mut *const cgym_space_t,
    ) -> cgym_status_t;
    /// Action spaces. *out is owned: cgym_action_space_free().
    pub fn cgym_action_space_new(
        out: *mut *mut cgym_action_space_t,
        name: *const ::core::ffi::c_char,
        space: *const cgym_space_t,
    ) -> cgym_status_t;
    pub fn cgym_action_space_free(space: *mut cgym_action_space_t);
    /// The name (borrowed; "" for NULL) and the space (borrowed; NULL for NULL). Never fail.
    pub fn cgym_action_space_name(
        space: *const cgym_action_space_t,
    ) -> *const ::core::ffi::c_char;
    pub fn cgym_action_space_space(
        space: *const cgym_action_space_t,
    ) -> *const cgym_space_t;
    /** Serialized compiler_gym.ActionSpace bytes (*data owned: cgym_free()) and back. Parsing
 fails with INVALID_ARGUMENT "... contains a NUL byte" if the name, or a type id, dict key or
 named discrete name of the space, holds a NUL byte: they are read back as NUL-terminated
 strings.*/
    pub fn cgym_action_space_serialize(
        space: *const cgym_action_space_t,
        data: *mut *mut ::core::ffi::c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_action_space_parse(
        out: *mut *mut cgym_action_space_t,
        data: *const ::core::ffi::c_void,
        length: usize,
    ) -> cgym_status_t;
    /// Observation spaces. `default_observation` may be NULL (none). *out is owned.
    pub fn cgym_observation_space_new(
        out: *mut *mut cgym_observation_space_t,
        name: *const ::core::ffi::c_char,
        space: *const cgym_space_t,
        deterministic: ::core::ffi::c_int,
        platform_dependent: ::core::ffi::c_int,
        default_observation: *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_observation_space_free(space: *mut cgym_observation_space_t);
    /** Borrowed name ("" for NULL), space, flags (0 for NULL), and default observation (an
 event of kind CGYM_EVENT_NONE if the service gives none; NULL for NULL). Never fail.*/
    pub fn cgym_observation_space_name(
        space: *const cgym_observation_space_t,
    ) -> *const ::core::ffi::c_char;
    pub fn cgym_observation_space_space(
        space: *const cgym_observation_space_t,
    ) -> *const cgym_space_t;
    pub fn cgym_observation_space_deterministic(
        space: *const cgym_observation_space_t,
    ) -> ::core::ffi::c_int;
    pub fn cgym_observation_space_platform_dependent(
        space: *const cgym_observation_space_t,
    ) -> ::core::ffi::c_int;
    pub fn cgym_observation_space_default(
        space: *const cgym_observation_space_t,
    ) -> *const cgym_event_t;
    pub fn cgym_observation_space_serialize(
        space: *const cgym_observation_space_t,
        data: *mut *mut ::core::ffi::c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    /** As cgym_action_space_parse(): a name, type id, dict key or named discrete name with a NUL
 byte is INVALID_ARGUMENT "... contains a NUL byte".*/
    pub fn cgym_observation_space_parse(
        out: *mut *mut cgym_observation_space_t,
        data: *const ::core::ffi::c_void,
        length: usize,
    ) -> cgym_status_t;
    /// Options with CompilerGym's defaults. *out is owned: cgym_options_free().
    pub fn cgym_options_new(out: *mut *mut cgym_options_t) -> cgym_status_t;
    pub fn cgym_options_free(options: *mut cgym_options_t);
    /// ConnectionOpts. Negative counts and times are INVALID_ARGUMENT. Defaults in brackets.
    pub fn cgym_options_set_rpc_max_retries(
        o: *mut cgym_options_t,
        value: ::core::ffi::c_int,
    ) -> cgym_status_t;
    pub fn cgym_options_set_retry_wait_seconds(
        o: *mut cgym_options_t,
        value: f64,
    ) -> cgym_status_t;
    pub fn cgym_options_set_retry_wait_backoff_exponent(
        o: *mut cgym_options_t,
        value: f64,
    ) -> cgym_status_t;
    pub fn cgym_options_set_init_max_seconds(
        o: *mut cgym_options_t,
        value: f64,
    ) -> cgym_status_t;
    pub fn cgym_options_set_init_max_attempts(
        o: *mut cgym_options_t,
        value: ::core::ffi::c_int,
    ) -> cgym_status_t;
    pub fn cgym_options_set_local_service_port_init_max_seconds(
        o: *mut cgym_options_t,
        value: f64,
    ) -> cgym_status_t;
    pub fn cgym_options_set_local_service_exit_max_seconds(
        o: *mut cgym_options_t,
        value: f64,
    ) -> cgym_status_t;
    pub fn cgym_options_set_rpc_init_max_seconds(
        o: *mut cgym_options_t,
        value: f64,
    ) -> cgym_status_t;
    pub fn cgym_options_set_always_send_benchmark_on_reset(
        o: *mut cgym_options_t,
        value: ::core::ffi::c_int,
    ) -> cgym_status_t;
    /// Appends an argument for a managed service's command line.
    pub fn cgym_options_add_script_arg(
        o: *mut cgym_options_t,
        arg: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// Sets an environment variable for a managed service.
    pub fn cgym_options_set_script_env(
        o: *mut cgym_options_t,
        key: *const ::core::ffi::c_char,
        value: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** The token for an unmanaged service ("HOST:PORT", "unix:PATH") started with one
 (`--token_file` or CGYM_SERVICE_TOKEN): every call carries the gRPC metadata
 `authorization: Bearer <token>`, without which such a service answers UNAUTHENTICATED.
 NULL or "" for none [none]. A managed service ignores it: the env makes one of its own.
 INVALID_ARGUMENT for NULL options or a token that is not printable ASCII without spaces.
 Added in 0.6.0.*/
    pub fn cgym_options_set_token(
        o: *mut cgym_options_t,
        token: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** Connects to an unmanaged "HOST:PORT" service over TLS [plaintext]; calling this at all turns
 TLS on. `root_certs_path` is a PEM file of the root certificates that the service's
 certificate must chain to (NULL: the system's roots), and that certificate must name the
 host of the endpoint; `client_cert_path` and `client_key_path` are PEM files of a client
 certificate and its key, for a service that requires one (both or neither). NULL and "" are
 alike. The files are read by cgym_connect(), which fails with INVALID_ARGUMENT naming a file
 that cannot be read or is empty. INVALID_ARGUMENT here for NULL options, or a certificate
 without its key or the reverse. Managed services ignore it (they are reached over a private
 Unix socket). Added in 0.6.0.*/
    pub fn cgym_options_set_tls(
        o: *mut cgym_options_t,
        root_certs_path: *const ::core::ffi::c_char,
        client_cert_path: *const ::core::ffi::c_char,
        client_key_path: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// The benchmark of the first reset: a URI, optionally with the program's bytes.
    pub fn cgym_options_set_benchmark(
        o: *mut cgym_options_t,
        uri: *const ::core::ffi::c_char,
        program: *const ::core::ffi::c_void,
        length: usize,
    ) -> cgym_status_t;
    /// Default spaces by name; NULL or "" for none (action space: the first).
    pub fn cgym_options_set_observation_space(
        o: *mut cgym_options_t,
        name: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    pub fn cgym_options_set_reward_space(
        o: *mut cgym_options_t,
        name: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    pub fn cgym_options_set_action_space(
        o: *mut cgym_options_t,
        name: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// Call options with the defaults. *out is owned: cgym_call_options_free().
    pub fn cgym_call_options_new(out: *mut *mut cgym_call_options_t) -> cgym_status_t;
    pub fn cgym_call_options_free(options: *mut cgym_call_options_t);
    /** The deadline of the whole call, in seconds [300, as CompilerGym's]: the RPCs it makes, their
 retries, reconnecting and relaunching a service (a reset that runs out of time fails with
 DEADLINE_EXCEEDED; one that runs out of connection attempts first, with SERVICE_INIT). A
 managed service that lets a deadline pass is killed at once, without the caller waiting, and
 replaced on the next reset; a session abandoned on an unmanaged service is ended once the
 service answers again. In-process calls run on the caller's thread and cannot be cut short.
 INFINITY means no deadline; 0 expires at once. INVALID_ARGUMENT for NaN or a negative
 value.*/
    pub fn cgym_call_options_set_timeout(
        options: *mut cgym_call_options_t,
        seconds: f64,
    ) -> cgym_status_t;
    /** Connects to a service and makes an env. `endpoint` is
   the path of a service binary: a managed service, launched now and owned by the env (and
     its forks); it dies with this process, even if the process is killed;
   "HOST:PORT" or "unix:PATH": an unmanaged service someone else runs;
   "inproc:NAME": a service registered in this process with cgym_service_register().
 `options` may be NULL (defaults). *out is owned: cgym_env_free(). Errors: INVALID_ARGUMENT
 for an empty endpoint or a TLS file that cannot be read (cgym_options_set_tls()); NOT_FOUND
 for a missing binary or unregistered name; PERMISSION_DENIED if the directory of managed
 services' working directories is not the user's own (another user's, or one that others may
 write in); UNAUTHENTICATED if the service requires a token that `options` does not give
 (cgym_options_set_token()); SERVICE_INIT if the service fails to start (the message has its
 exit status and the tail of its log and stderr); DEADLINE_EXCEEDED if it does not answer in
 time.*/
    pub fn cgym_connect(
        out: *mut *mut cgym_env_t,
        endpoint: *const ::core::ffi::c_char,
        options: *const cgym_options_t,
    ) -> cgym_status_t;
    /** Closes the env (ending its episode; the service stops with its last env) and frees it.
 Accepts NULL. Errors while closing are only logged: call cgym_env_close() to see them.*/
    pub fn cgym_env_free(env: *mut cgym_env_t);
    /** Ends the episode and releases the service. Idempotent; a later reset reconnects.
 CGYM_INTERNAL "Service exited with returncode N" if a managed service exited badly.
 While other envs (forks) keep sessions on the same service, the EndSession is sent without
 waiting for its reply (its failure is logged): the env is free at once, and the service
 ends the session in parallel. The last env of a service waits for every such end.*/
    pub fn cgym_env_close(env: *mut cgym_env_t) -> cgym_status_t;
    /** Starts an episode with the current benchmark and spaces. If a default observation space is
 set and `observation` is not NULL, *observation receives it (owned); otherwise NULL.
 `call_options` may be NULL (defaults); an expired deadline counts as a failed attempt: the
 service is replaced and the reset retried, as for a dead service. FAILED_PRECONDITION if no
 benchmark is set; a dead service is replaced and reset retried (SERVICE_INIT after
 init_max_attempts). The previous episode's EndSession is not waited for (CompilerGym only
 logs its failure), so a reset costs about one round trip.*/
    pub fn cgym_env_reset(
        env: *mut cgym_env_t,
        call_options: *const cgym_call_options_t,
        observation: *mut *mut cgym_event_t,
    ) -> cgym_status_t;
    /** The benchmark for the next reset (takes effect then): a URI, optionally with program bytes
 (program NULL: URI only).*/
    pub fn cgym_env_set_benchmark(
        env: *mut cgym_env_t,
        uri: *const ::core::ffi::c_char,
        program: *const ::core::ffi::c_void,
        length: usize,
    ) -> cgym_status_t;
    /// The current episode's benchmark URI (borrowed; "" before the first reset).
    pub fn cgym_env_benchmark(env: *const cgym_env_t) -> *const ::core::ffi::c_char;
    /** Default spaces by name; NULL or "" for none. NOT_FOUND for an unknown name. A new reward
 space restarts the episode's reward.*/
    pub fn cgym_env_set_observation_space(
        env: *mut cgym_env_t,
        name: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    pub fn cgym_env_set_reward_space(
        env: *mut cgym_env_t,
        name: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// The action space for the next reset.
    pub fn cgym_env_set_action_space(
        env: *mut cgym_env_t,
        name: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** Applies `num_actions` actions, then computes observations and rewards. Spaces:
 observation_spaces == NULL means the default observation space (if any); otherwise the
 `num_observation_spaces` named spaces (possibly none). The same for rewards.
 `call_options` may be NULL (defaults). *result is owned: cgym_step_result_free().
 SESSION_NOT_FOUND before reset; INVALID_ARGUMENT for an action the service rejects (the
 episode goes on); NOT_FOUND for an unknown space name. A failure of the service or the
 transport is not an error of this call: the result says done, with the spaces' default
 observations, the rewards' reward_on_error, and error_type and error_details; the episode
 is over. A step whose deadline passes is such a failed step, with error_type
 "TimeoutError" and error_details "Deadline Exceeded (`<timeout>` seconds)".*/
    pub fn cgym_step(
        env: *mut cgym_env_t,
        actions: *const *const cgym_event_t,
        num_actions: usize,
        observation_spaces: *const *const ::core::ffi::c_char,
        num_observation_spaces: usize,
        reward_spaces: *const *const ::core::ffi::c_char,
        num_reward_spaces: usize,
        call_options: *const cgym_call_options_t,
        result: *mut *mut cgym_step_result_t,
    ) -> cgym_status_t;
    pub fn cgym_step_result_free(result: *mut cgym_step_result_t);
    /** The step's observations and rewards, in the order of the spaces asked for. *observation is
 borrowed (valid while the result lives).*/
    pub fn cgym_step_result_observation_count(
        result: *const cgym_step_result_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_step_result_observation_at(
        result: *const cgym_step_result_t,
        index: usize,
        observation: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_step_result_reward_count(
        result: *const cgym_step_result_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_step_result_reward_at(
        result: *const cgym_step_result_t,
        index: usize,
        reward: *mut f64,
    ) -> cgym_status_t;
    /// Flags and failure of the step. Never fail; 0 or "" for NULL. Borrowed strings.
    pub fn cgym_step_result_done(
        result: *const cgym_step_result_t,
    ) -> ::core::ffi::c_int;
    pub fn cgym_step_result_action_had_no_effect(
        result: *const cgym_step_result_t,
    ) -> ::core::ffi::c_int;
    pub fn cgym_step_result_new_action_space(
        result: *const cgym_step_result_t,
    ) -> ::core::ffi::c_int;
    /// The CompilerGym exception name of the failure that ended the episode, and its details.
    pub fn cgym_step_result_error_type(
        result: *const cgym_step_result_t,
    ) -> *const ::core::ffi::c_char;
    pub fn cgym_step_result_error_details(
        result: *const cgym_step_result_t,
    ) -> *const ::core::ffi::c_char;
    /** The agent loop without handles: one action, given as an index (an int64 event) or as a
 name of a named discrete action space (NOT_FOUND for an unknown name), with the default
 spaces. *done (may be NULL) receives the done flag; *reward (may be NULL) the default
 reward, or 0 without a reward space.*/
    pub fn cgym_step_index(
        env: *mut cgym_env_t,
        action: i64,
        done: *mut ::core::ffi::c_int,
        reward: *mut f64,
    ) -> cgym_status_t;
    pub fn cgym_step_name(
        env: *mut cgym_env_t,
        action: *const ::core::ffi::c_char,
        done: *mut ::core::ffi::c_int,
        reward: *mut f64,
    ) -> cgym_status_t;
    /// Computes one observation now. *observation is owned.
    pub fn cgym_env_observe(
        env: *mut cgym_env_t,
        space: *const ::core::ffi::c_char,
        observation: *mut *mut cgym_event_t,
    ) -> cgym_status_t;
    /// ...as a double (any scalar numeric observation; FAILED_PRECONDITION otherwise).
    pub fn cgym_env_observe_double(
        env: *mut cgym_env_t,
        space: *const ::core::ffi::c_char,
        value: *mut f64,
    ) -> cgym_status_t;
    /** ...as int64 values (an INT64 scalar or INT64_TENSOR), copied into `values`, which holds
 `capacity` values; *count receives the number of values. values = NULL with capacity 0 asks
 for the size only; a smaller capacity is OUT_OF_RANGE (see "Buffers" at the top).*/
    pub fn cgym_env_observe_int64s(
        env: *mut cgym_env_t,
        space: *const ::core::ffi::c_char,
        values: *mut i64,
        capacity: usize,
        count: *mut usize,
    ) -> cgym_status_t;
    /// ...as a string: *value is owned (cgym_free()), NUL-terminated, *length bytes (may be NULL).
    pub fn cgym_env_observe_string(
        env: *mut cgym_env_t,
        space: *const ::core::ffi::c_char,
        value: *mut *mut ::core::ffi::c_char,
        length: *mut usize,
    ) -> cgym_status_t;
    /// Computes one reward now.
    pub fn cgym_env_reward(
        env: *mut cgym_env_t,
        space: *const ::core::ffi::c_char,
        value: *mut f64,
    ) -> cgym_status_t;
    /** A new env in the same state: ForkSession on the same service, or, if the service cannot
 fork, a new service with the actions replayed. *out is owned: cgym_env_free().*/
    pub fn cgym_fork(env: *mut cgym_env_t, out: *mut *mut cgym_env_t) -> cgym_status_t;
    /** Sends a session parameter; *reply (may be NULL) receives the service's reply (owned). With
 resend_on_reset, the parameter is also sent after every reset.*/
    pub fn cgym_send_param(
        env: *mut cgym_env_t,
        key: *const ::core::ffi::c_char,
        value: *const ::core::ffi::c_char,
        resend_on_reset: ::core::ffi::c_int,
        reply: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** Sends `count` parameters in one call; *replies (may be NULL) receives `count` owned strings
 (cgym_free_strings()).*/
    pub fn cgym_send_params(
        env: *mut cgym_env_t,
        keys: *const *const ::core::ffi::c_char,
        values: *const *const ::core::ffi::c_char,
        count: usize,
        resend_on_reset: ::core::ffi::c_int,
        replies: *mut *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** The episode's state (CompilerEnvState) as JSON: {"benchmark", "commandline", "walltime",
 "reward"}. *json is owned. INVALID_ARGUMENT "Action out of range: N" if the episode holds
 an action the service rejected that the commandline cannot name (CompilerGym raises there
 too): the state would not replay the episode.*/
    pub fn cgym_env_state_json(
        env: *const cgym_env_t,
        json: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** The state as CSV (columns benchmark,reward,walltime,commandline), with a header line if
 `header`. *csv is owned.*/
    pub fn cgym_env_state_csv(
        env: *const cgym_env_t,
        header: ::core::ffi::c_int,
        csv: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// Replays a state given as JSON (resetting to its benchmark if needed).
    pub fn cgym_env_apply_state(
        env: *mut cgym_env_t,
        state_json: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** Validates a state given as JSON (NULL: the current state) by replaying it in a fork and,
 if the reward space is deterministic, comparing the replayed reward with the state's. For an
 env of cgym_make() whose benchmark is runnable (benchmark://cgym-v0, generator://csmith-v0),
 it also builds the unoptimised and the replayed program with clang, runs both and compares
 their outputs ("Compilation failed", "Execution timeout", "Runtime error", "Wrong output",
 each prefixed "Gold standard: " when the unoptimised program is at fault).
 *okay receives 1 if nothing failed; *result_json (may be NULL) the ValidationResult as JSON
 (owned).*/
    pub fn cgym_env_validate(
        env: *mut cgym_env_t,
        state_json: *const ::core::ffi::c_char,
        okay: *mut ::core::ffi::c_int,
        result_json: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// Converts states between CSV (with or without header) and a JSON array of states. Owned.
    pub fn cgym_states_csv_to_json(
        csv: *const ::core::ffi::c_char,
        json: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    pub fn cgym_states_json_to_csv(
        json: *const ::core::ffi::c_char,
        header: ::core::ffi::c_int,
        csv: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /// Episode facts. Never fail; 0 for NULL.
    pub fn cgym_env_in_episode(env: *const cgym_env_t) -> ::core::ffi::c_int;
    /** The sum of the default reward space's rewards this episode; 0 and *has_reward = 0 if there
 is no reward space (has_reward may be NULL).*/
    pub fn cgym_env_episode_reward(
        env: *const cgym_env_t,
        has_reward: *mut ::core::ffi::c_int,
    ) -> f64;
    pub fn cgym_env_episode_walltime(env: *const cgym_env_t) -> f64;
    /** The actions taken this episode, in order (*action borrowed; valid until the next reset or
 step of this env).*/
    pub fn cgym_env_action_count(
        env: *const cgym_env_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_env_action_at(
        env: *const cgym_env_t,
        index: usize,
        action: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    /// The service's version and its compiler's version (borrowed, valid while the env lives).
    pub fn cgym_env_version(
        env: *mut cgym_env_t,
        service_version: *mut *const ::core::ffi::c_char,
        compiler_version: *mut *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** The env's spaces. Borrowed; valid until the next reset or step of this env. An action
 space that the service sends as a CommandlineSpace in an Any (as CompilerGym's LLVM
 environment does) is presented, as CompilerGym's client presents it, as a NAMED_DISCRETE
 space of its flags with type_id "commandline", so cgym_step_name() takes the flags.*/
    pub fn cgym_env_action_space_count(
        env: *const cgym_env_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_env_action_space_at(
        env: *const cgym_env_t,
        index: usize,
        space: *mut *const cgym_action_space_t,
    ) -> cgym_status_t;
    /// The action space in use; NULL for NULL or before the spaces are known. Never fails.
    pub fn cgym_env_action_space(env: *const cgym_env_t) -> *const cgym_action_space_t;
    pub fn cgym_env_observation_space_count(
        env: *const cgym_env_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_env_observation_space_at(
        env: *const cgym_env_t,
        index: usize,
        space: *mut *const cgym_observation_space_t,
    ) -> cgym_status_t;
    /** The env's reward spaces (the service's default rewards and those added with
 cgym_env_add_reward): their number, and the name of one (borrowed).*/
    pub fn cgym_env_reward_space_count(
        env: *const cgym_env_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_env_reward_space_at(
        env: *const cgym_env_t,
        index: usize,
        name: *mut *const ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** Adds (or replaces) a reward space named `name`, computed from the observation spaces
 `observation_spaces` (NOT_FOUND if one is unknown) by `vtable` (copied) with `user_data`.
 default_value and default_negates_returns give its reward_on_error. The reward owns
 `user_data` from this call on, whether it succeeds or fails: if it fails, vtable->destroy
 (when vtable and destroy are not NULL) releases user_data before the call returns.*/
    pub fn cgym_env_add_reward(
        env: *mut cgym_env_t,
        name: *const ::core::ffi::c_char,
        observation_spaces: *const *const ::core::ffi::c_char,
        num_observation_spaces: usize,
        default_value: f64,
        default_negates_returns: ::core::ffi::c_int,
        deterministic: ::core::ffi::c_int,
        vtable: *const cgym_reward_vtable_t,
        user_data: *mut ::core::ffi::c_void,
    ) -> cgym_status_t;
    /** The ids cgym_make() accepts, in this order: "llvm-v0", "llvm-ic-v0", "llvm-codesize-v0",
 "llvm-autophase-ic-v0", "llvm-autophase-codesize-v0". *ids is owned (cgym_free_strings()).*/
    pub fn cgym_env_ids(
        ids: *mut *mut *mut ::core::ffi::c_char,
        count: *mut usize,
    ) -> cgym_status_t;
    /** Makes a ready env by id, as CompilerGym's gym.make() does: the LLVM environment with the
 id's default observation space (none, or "Autophase" for llvm-autophase-*) and reward space
 (none for llvm-v0, "IrInstructionCountOz" for *-ic-v0, "ObjectTextSizeOz" for
 *-codesize-v0), the twelve cost rewards (see cgym_env_add_cost_reward()), and the benchmark
 "benchmark://cgym-v0/sorting". `endpoint` says where the compiler runs:
   NULL or "": a managed service: the installed cgym-llvm-service, launched now and owned
     by the env (and its forks);
   "inproc": in this process: the installed libcgym-llvm.so plugin, registered once as
     "inproc:llvm";
   "HOST:PORT" or "unix:PATH": a service someone else runs (`cgym serve`);
   anything else: as cgym_connect() (a service binary's path, "inproc:NAME").
 The service and the plugin are CGYM_LLVM_SERVICE and CGYM_LLVM_PLUGIN from the environment
 if set, else the first found of: the directory of libcgym itself, its "services/llvm"
 subdirectory (a build tree), "../libexec/cgym" and "cgym" next to it (an installation).
 `options` may be NULL; spaces and the benchmark set in it replace the id's defaults (""
 for none). *out is owned: cgym_env_free(). Errors: NOT_FOUND for an unknown id (the message
 lists the ids); ENVIRONMENT_NOT_SUPPORTED if the service or plugin is not installed (the
 message names the places searched and the variable to set); otherwise as cgym_connect().*/
    pub fn cgym_make(
        out: *mut *mut cgym_env_t,
        id: *const ::core::ffi::c_char,
        endpoint: *const ::core::ffi::c_char,
        options: *const cgym_options_t,
    ) -> cgym_status_t;
    /** Where cgym_make() finds the compiler of env id `id`: the path (owned) of the service
 binary (plugin 0) or of the plugin (plugin 1), found as cgym_make() says. NOT_FOUND for an
 unknown id; ENVIRONMENT_NOT_SUPPORTED if it is not installed.*/
    pub fn cgym_env_service_path(
        id: *const ::core::ffi::c_char,
        plugin: ::core::ffi::c_int,
        path: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** Adds (or replaces) reward space `name`, the decrease of the scalar observation
 `cost_space`, with C0 read from `initial_cost_space` and, for BASELINE, Cb from
 `baseline_cost_space` (NULL otherwise). cgym_make() adds the twelve LLVM rewards this way:
 IrInstructionCount, IrInstructionCountNorm, IrInstructionCountO3, IrInstructionCountOz and
 the same for ObjectTextSize (cost ObjectTextSizeBytes; plain reward "ObjectTextSizeBytes")
 and TextSize (cost TextSizeBytes; "TextSizeBytes"). NOT_FOUND for an unknown observation
 space; INVALID_ARGUMENT for an unknown kind or a missing baseline space.*/
    pub fn cgym_env_add_cost_reward(
        env: *mut cgym_env_t,
        name: *const ::core::ffi::c_char,
        cost_space: *const ::core::ffi::c_char,
        initial_cost_space: *const ::core::ffi::c_char,
        baseline_cost_space: *const ::core::ffi::c_char,
        kind: cgym_cost_reward_kind_t,
        deterministic: ::core::ffi::c_int,
        platform_dependent: ::core::ffi::c_int,
    ) -> cgym_status_t;
    /** The datasets of env id `env_id` (NOT_FOUND for an unknown id), in this order:
 "benchmark://cgym-v0" (the bundled programs), "generator://csmith-v0" and
 "generator://llvm-stress-v0" (random programs by seed). A directory of the user's sources
 is a dataset too: "file:///ABSOLUTE/DIR" (not listed). *names is owned (cgym_free_strings()).*/
    pub fn cgym_datasets(
        env_id: *const ::core::ffi::c_char,
        names: *mut *mut *mut ::core::ffi::c_char,
        count: *mut usize,
    ) -> cgym_status_t;
    /** A dataset's description (owned, may be NULL) and its number of benchmarks: 0 for a
 generator, whose benchmarks never end (as CompilerGym reports them). NOT_FOUND for an unknown
 dataset or a missing directory.*/
    pub fn cgym_dataset_info(
        dataset: *const ::core::ffi::c_char,
        description: *mut *mut ::core::ffi::c_char,
        size: *mut u64,
    ) -> cgym_status_t;
    /** The URI of a dataset's index-th benchmark (owned): the bundled programs in a fixed order, a
 directory's .c/.cc/.cpp/.cxx/.ll/.bc files by name, and a generator's seed `index`.
 OUT_OF_RANGE past the end (or past 2^32-1 for a generator); NOT_FOUND for an unknown dataset.*/
    pub fn cgym_dataset_benchmark_at(
        dataset: *const ::core::ffi::c_char,
        index: u64,
        uri: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** A benchmark of the dataset drawn uniformly with a generator seeded by `seed` (the same URI
 for the same seed in every language). *uri is owned.*/
    pub fn cgym_dataset_random_benchmark(
        dataset: *const ::core::ffi::c_char,
        seed: u64,
        uri: *mut *mut ::core::ffi::c_char,
    ) -> cgym_status_t;
    /** Makes a benchmark from the user's files, as CompilerGym's make_benchmark(): each .c, .cc,
 .cpp or .cxx file is compiled with clang (unoptimised bitcode without optnone: -O1 with LLVM's
 passes disabled, the host compiler's system include directories, then `copts`), .ll files are
 assembled, .bc files taken as they are; several inputs are linked into one module. *uri
 receives "benchmark://user-v0/<time>-<hex>" and *bitcode the program (both owned:
 cgym_free()); pass them to cgym_env_set_benchmark() or cgym_options_set_benchmark(). clang is
 CGYM_CLANG if set, else the clang of the LLVM the library was built with. Errors: NOT_FOUND
 for a missing file; INVALID_ARGUMENT for no input or an unknown file type; BENCHMARK_INIT
 with the compiler's message for a source that does not compile; DEADLINE_EXCEEDED after 600
 seconds.*/
    pub fn cgym_make_benchmark(
        paths: *const *const ::core::ffi::c_char,
        num_paths: usize,
        copts: *const *const ::core::ffi::c_char,
        num_copts: usize,
        uri: *mut *mut ::core::ffi::c_char,
        bitcode: *mut *mut ::core::ffi::c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    /** The same from a string of source code in `language` "c" or "c++" (INVALID_ARGUMENT
 otherwise).*/
    pub fn cgym_make_benchmark_from_source(
        source: *const ::core::ffi::c_char,
        language: *const ::core::ffi::c_char,
        copts: *const *const ::core::ffi::c_char,
        num_copts: usize,
        uri: *mut *mut ::core::ffi::c_char,
        bitcode: *mut *mut ::core::ffi::c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    /// An empty queue. *out is owned: cgym_step_queue_free().
    pub fn cgym_step_queue_new(out: *mut *mut cgym_step_queue_t) -> cgym_status_t;
    /** Waits for the steps still in flight, drops their results (their envs are free again) and
 frees the queue. Accepts NULL.*/
    pub fn cgym_step_queue_free(queue: *mut cgym_step_queue_t);
    /** Submits a step of `env`, with the arguments of cgym_step(), and returns without waiting for
 it; `tag` comes back with its result. The errors cgym_step() finds before sending anything
 (INVALID_ARGUMENT, NOT_FOUND for an unknown space, SESSION_NOT_FOUND before reset) are
 returned here, and nothing is queued; FAILED_PRECONDITION if the env already has a step in
 flight. A step of an in-process service runs here, on the calling thread (its result is
 then ready at once); a step over gRPC is sent and runs on the service meanwhile.*/
    pub fn cgym_step_submit(
        queue: *mut cgym_step_queue_t,
        env: *mut cgym_env_t,
        actions: *const *const cgym_event_t,
        num_actions: usize,
        observation_spaces: *const *const ::core::ffi::c_char,
        num_observation_spaces: usize,
        reward_spaces: *const *const ::core::ffi::c_char,
        num_reward_spaces: usize,
        call_options: *const cgym_call_options_t,
        tag: u64,
    ) -> cgym_status_t;
    /// The number of steps submitted and not yet taken. Never fails; 0 for NULL.
    pub fn cgym_step_queue_size(queue: *const cgym_step_queue_t) -> usize;
    /** Takes the result of a completed step, in the order they complete, waiting up to
 `timeout_seconds` (0: no wait; INFINITY: until one completes). *tag receives the step's tag
 and *result its result (owned: cgym_step_result_free()): what cgym_step() would have given;
 for a step that failed where cgym_step() would have returned an error, a result without
 observations or rewards whose cgym_step_result_status() is that error. The env is free
 again. Errors: OUT_OF_RANGE "No step in the queue" if the queue is empty; DEADLINE_EXCEEDED
 if no step completed in time; INVALID_ARGUMENT for a NaN or negative timeout.*/
    pub fn cgym_step_queue_next(
        queue: *mut cgym_step_queue_t,
        timeout_seconds: f64,
        tag: *mut u64,
        result: *mut *mut cgym_step_result_t,
    ) -> cgym_status_t;
    /** The error a step ended with: CGYM_OK for every result of cgym_step(), and for a result of
 cgym_step_queue_next() or of a vector env, the error cgym_step() would have returned; its
 message ("" for CGYM_OK; borrowed). Never fail; CGYM_OK and "" for NULL.*/
    pub fn cgym_step_result_status(result: *const cgym_step_result_t) -> cgym_status_t;
    pub fn cgym_step_result_status_message(
        result: *const cgym_step_result_t,
    ) -> *const ::core::ffi::c_char;
    /** Makes `num_envs` envs (at least 1). With `id` (one of cgym_env_ids()) each is what
 cgym_make(id, endpoint, options) makes; with id NULL, what cgym_connect(endpoint, options)
 makes. `endpoint` places them:
   a managed service (id with endpoint NULL or "", or a service binary's path): the envs are
     spread over `num_services` services (0: one per core of this machine; never more than
     num_envs), env i on service i % num_services;
   an in-process service ("inproc", "inproc:NAME"): one service in this process;
   "HOST:PORT" and "unix:PATH" services, one or several separated by commas: env i on the
     (i % count)-th of them.
 num_services is ignored unless the service is managed. The envs are not reset: call
 cgym_vec_env_reset(). The autoreset mode is CGYM_AUTORESET_NEXT_STEP. *out is owned:
 cgym_vec_env_free(). Errors: INVALID_ARGUMENT for num_envs 0 or an empty item in the list of
 endpoints; otherwise those of cgym_make() or cgym_connect() (the envs made so far are
 closed).*/
    pub fn cgym_vec_env_new(
        out: *mut *mut cgym_vec_env_t,
        id: *const ::core::ffi::c_char,
        endpoint: *const ::core::ffi::c_char,
        num_envs: usize,
        num_services: usize,
        options: *const cgym_options_t,
    ) -> cgym_status_t;
    /// Closes every env and frees the vector env. Accepts NULL.
    pub fn cgym_vec_env_free(vec: *mut cgym_vec_env_t);
    /// Closes every env (see cgym_env_close()); the first error, if any, prefixed "env I: ".
    pub fn cgym_vec_env_close(vec: *mut cgym_vec_env_t) -> cgym_status_t;
    /// The number of envs. Never fails; 0 for NULL.
    pub fn cgym_vec_env_num_envs(vec: *const cgym_vec_env_t) -> usize;
    /// The number of services the envs run on (see cgym_vec_env_new()). Never fails; 0 for NULL.
    pub fn cgym_vec_env_num_services(vec: *const cgym_vec_env_t) -> usize;
    /** Env `index` (borrowed: valid while the vector env lives; not to be freed), to set its
 benchmark or spaces, send parameters, observe it, read its state or fork it between steps.
 OUT_OF_RANGE past the end.*/
    pub fn cgym_vec_env_at(
        vec: *mut cgym_vec_env_t,
        index: usize,
        env: *mut *mut cgym_env_t,
    ) -> cgym_status_t;
    /// The autoreset mode (INVALID_ARGUMENT for an unknown one) and its getter (0 for NULL).
    pub fn cgym_vec_env_set_autoreset(
        vec: *mut cgym_vec_env_t,
        mode: cgym_autoreset_mode_t,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_autoreset(vec: *const cgym_vec_env_t) -> cgym_autoreset_mode_t;
    /** Resets the envs whose mask[i] is non-zero (mask NULL: all of them; the mask has
 num_envs entries), as cgym_env_reset() does. Each reset env's result is then its reset's: the
 default observation (if a default observation space is set), reward 0, not done. Every env
 asked for is reset even if one fails; the first failure is returned, prefixed "env I: ", and
 that env's result holds the error (see cgym_step_result_status()).*/
    pub fn cgym_vec_env_reset(
        vec: *mut cgym_vec_env_t,
        mask: *const u8,
        call_options: *const cgym_call_options_t,
    ) -> cgym_status_t;
    /** Steps every env, all at once, with one action each: actions[i] (num_actions == num_envs) is
 an index into env i's action space, and each step computes env i's default observation and
 reward spaces, as cgym_step_index() does. What happens to envs whose episode ends is the
 autoreset mode's. An error of one env, such as an action its service rejects, a session that
 was never reset, or a service that died, does not fail the call: that env's episode is over,
 and its result says done, with the error in cgym_step_result_status() (CGYM_OK for a failed
 service, as for cgym_step()) and in error_type and error_details. INVALID_ARGUMENT for
 num_actions != num_envs, with nothing sent.*/
    pub fn cgym_vec_env_step(
        vec: *mut cgym_vec_env_t,
        actions: *const i64,
        num_actions: usize,
        call_options: *const cgym_call_options_t,
    ) -> cgym_status_t;
    /** Env `index`'s latest result (borrowed; valid until the next step or reset of the vector env):
 of the last cgym_vec_env_step() or cgym_vec_env_reset() that touched it. *result is NULL
 before any. OUT_OF_RANGE past the end.*/
    pub fn cgym_vec_env_result(
        vec: *const cgym_vec_env_t,
        index: usize,
        result: *mut *const cgym_step_result_t,
    ) -> cgym_status_t;
    /** With CGYM_AUTORESET_SAME_STEP, the result of the step that ended env `index`'s episode in
 the last cgym_vec_env_step() (borrowed, as above); NULL if its episode did not end then.*/
    pub fn cgym_vec_env_final_result(
        vec: *const cgym_vec_env_t,
        index: usize,
        result: *mut *const cgym_step_result_t,
    ) -> cgym_status_t;
    /** The latest results of every env at once, one value per env (see "Buffers" at the top):
 the default reward (0 where there is none), and done (0 or 1). With
 CGYM_AUTORESET_SAME_STEP, an env reset by the last step gives its final result's reward and
 done (1), as gymnasium reports them; its observation is the reset's.*/
    pub fn cgym_vec_env_rewards(
        vec: *const cgym_vec_env_t,
        rewards: *mut f64,
        capacity: usize,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_dones(
        vec: *const cgym_vec_env_t,
        dones: *mut u8,
        capacity: usize,
        count: *mut usize,
    ) -> cgym_status_t;
    /** The first observation of every env's latest result as a num_envs x width matrix, row i for
 env i, where width is the longest observation's length: as int64 values (INT64 scalars and
 tensors; FAILED_PRECONDITION for other types) or as doubles (any numeric scalar or tensor).
 A shorter row (a failed env's default observation may be empty) is padded with zeros.
 *count receives num_envs * width and *width (may be NULL) the width. FAILED_PRECONDITION if
 an env has no result or its result has no observation.*/
    pub fn cgym_vec_env_observations_int64s(
        vec: *const cgym_vec_env_t,
        values: *mut i64,
        capacity: usize,
        count: *mut usize,
        width: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_observations_doubles(
        vec: *const cgym_vec_env_t,
        values: *mut f64,
        capacity: usize,
        count: *mut usize,
        width: *mut usize,
    ) -> cgym_status_t;
    /** *out is owned: cgym_service_def_free(). The vtable is copied; INVALID_ARGUMENT if its
 version is 0 or newer than this library's, or a required slot is NULL. `service_data` is
 passed to init and compiler_version; the def owns it from this call on when the vtable has
 service_data_free (which releases it at once if this call fails), and otherwise it must
 outlive every service made from the def.*/
    pub fn cgym_service_def_new(
        out: *mut *mut cgym_service_def_t,
        vtable: *const cgym_session_vtable_t,
        service_data: *mut ::core::ffi::c_void,
    ) -> cgym_status_t;
    pub fn cgym_service_def_free(def: *mut cgym_service_def_t);
    /// Appends a copy of an action or observation space; indices follow the order of calls.
    pub fn cgym_service_def_add_action_space(
        def: *mut cgym_service_def_t,
        space: *const cgym_action_space_t,
    ) -> cgym_status_t;
    pub fn cgym_service_def_add_observation_space(
        def: *mut cgym_service_def_t,
        space: *const cgym_observation_space_t,
    ) -> cgym_status_t;
    /** Runs a CompilerGym service process of this definition until SIGTERM, with the lifecycle of
 CompilerGym's C++ runtime: flags --working_dir, --port (0: any), --host (default:
 loopback), glog's --alsologtostderr, -v and --logbuflevel, --help; port.txt and pid.txt in
 the working directory; exit 0 after SIGTERM with no sessions left, 6 with sessions left, 1
 on bad arguments or a definition without action or observation spaces. Returns the exit
 code, for main() to return. SIGTERM and SIGINT are blocked in the calling thread while the
 service runs and stay blocked after a stop signal (so repeated signals cannot kill the
 exiting process): call it from the thread that will exit the process.*/
    pub fn cgym_service_run(
        def: *const cgym_service_def_t,
        argc: ::core::ffi::c_int,
        argv: *const *const ::core::ffi::c_char,
    ) -> ::core::ffi::c_int;
    /** Asks every cgym_service_run() of this process to stop, as SIGTERM does: it stops accepting
 calls, ends its sessions and returns. For hosts (Java, Python, Rust) whose runtime decides
 which thread gets a signal. Callable from any thread and from a signal handler
 (async-signal-safe). A service run that starts after this call is not affected.*/
    pub fn cgym_service_stop();
    /** Registers the definition (copied) as the in-process service `name`, for cgym_connect()
 with "inproc:NAME". Registering a name again replaces it (envs already connected keep the
 old one). INVALID_ARGUMENT for an empty name or a definition without action or observation
 spaces.*/
    pub fn cgym_service_register(
        name: *const ::core::ffi::c_char,
        def: *const cgym_service_def_t,
    ) -> cgym_status_t;
    /// NOT_FOUND if no service has this name.
    pub fn cgym_service_unregister(name: *const ::core::ffi::c_char) -> cgym_status_t;
    /** Loads the session plugin at `path` (a file: absolute, or relative to the working
 directory; the library search path is not searched) and registers its service as the
 in-process service `name`, for cgym_connect() with "inproc:NAME": the library is loaded with
 dlopen(RTLD_NOW | RTLD_LOCAL), its CGYM_PLUGIN_ENTRY_NAME function is called with
 CGYM_ABI_VERSION, and the definition it returns is registered as by cgym_service_register()
 (replacing a service of that name) and freed. The library stays loaded until the process
 exits, even if this call fails, since its sessions and service data may outlive any
 registration; loading the same path again reuses the loaded library and calls its entry
 point again. Errors: INVALID_ARGUMENT for a NULL or empty name or path, or a definition
 without action or observation spaces; NOT_FOUND if no file is at `path`; SERVICE_INIT if
 the dynamic loader rejects the file (with its message: not a shared library, a missing
 dependency...), if the library does not export CGYM_PLUGIN_ENTRY_NAME, or if the entry point
 returns CGYM_OK without a definition; the entry point's own error code and message if it
 fails.*/
    pub fn cgym_service_register_plugin(
        name: *const ::core::ffi::c_char,
        path: *const ::core::ffi::c_char,
    ) -> cgym_status_t;
}
