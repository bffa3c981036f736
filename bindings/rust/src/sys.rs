// SPDX-License-Identifier: MIT
//! Raw FFI declarations of `include/cgym.h`, written by hand (no bindgen).
//!
//! Every function of cgym.h is declared (`tests/parity.rs` checks it; `PARITY.md` lists the
//! ones the safe API does not wrap, and why). Every type matches the header exactly:
//! opaque handles are zero-sized `#[repr(C)]` structs used through raw pointers, and the two
//! callback structs (`cgym_session_vtable_t`, `cgym_reward_vtable_t`) are `#[repr(C)]` with
//! nullable function pointers (`Option<extern "C" fn>`, which has the size of a pointer).
//! `tests/layout.rs` checks their sizes and offsets against the header compiled by `cc`.
#![allow(non_camel_case_types)]
#![allow(missing_docs)]

use std::ffi::{c_char, c_int, c_void};

pub type cgym_status_t = i32;
pub type cgym_event_kind_t = i32;
pub type cgym_space_kind_t = i32;

pub const CGYM_VERSION_MAJOR: u32 = 0;
pub const CGYM_VERSION_MINOR: u32 = 6;
pub const CGYM_VERSION_PATCH: u32 = 0;
pub const CGYM_ABI_VERSION: u32 = 1;

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

pub type cgym_cost_reward_kind_t = i32;
pub const CGYM_COST_REWARD_DELTA: cgym_cost_reward_kind_t = 0;
pub const CGYM_COST_REWARD_NORMALIZED: cgym_cost_reward_kind_t = 1;
pub const CGYM_COST_REWARD_BASELINE: cgym_cost_reward_kind_t = 2;

pub type cgym_autoreset_mode_t = i32;
pub const CGYM_AUTORESET_NEXT_STEP: cgym_autoreset_mode_t = 0;
pub const CGYM_AUTORESET_SAME_STEP: cgym_autoreset_mode_t = 1;
pub const CGYM_AUTORESET_DISABLED: cgym_autoreset_mode_t = 2;

pub const CGYM_SESSION_VTABLE_VERSION: u32 = 2;
pub const CGYM_REWARD_VTABLE_VERSION: u32 = 1;

/// The entry point a session plugin exports under [`CGYM_PLUGIN_ENTRY_NAME`].
pub type cgym_plugin_entry_t = Option<
    unsafe extern "C" fn(abi_version: u32, out: *mut *mut cgym_service_def_t) -> cgym_status_t,
>;
/// The symbol name of a session plugin's entry point (NUL-terminated).
pub const CGYM_PLUGIN_ENTRY_NAME: &[u8] = b"cgym_plugin_service_def\0";

macro_rules! opaque {
    ($($name:ident),* $(,)?) => {$(
        #[repr(C)]
        pub struct $name {
            _private: [u8; 0],
            // Not Send, not Sync, not Unpin: only ever used behind raw pointers.
            _marker: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
        }
    )*};
}
opaque!(
    cgym_event_t,
    cgym_space_t,
    cgym_action_space_t,
    cgym_observation_space_t,
    cgym_options_t,
    cgym_env_t,
    cgym_call_options_t,
    cgym_step_result_t,
    cgym_service_def_t,
    cgym_step_queue_t,
    cgym_vec_env_t,
);

/// `cgym_session_vtable_t`: the callbacks of a session written outside C++.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cgym_session_vtable_t {
    pub version: u32,
    pub init: Option<
        unsafe extern "C" fn(
            service_data: *mut c_void,
            action_space: *const cgym_action_space_t,
            benchmark_uri: *const c_char,
            program: *const c_void,
            program_length: usize,
            session: *mut *mut c_void,
        ) -> cgym_status_t,
    >,
    pub fork: Option<
        unsafe extern "C" fn(session: *mut c_void, new_session: *mut *mut c_void) -> cgym_status_t,
    >,
    pub apply_action: Option<
        unsafe extern "C" fn(
            session: *mut c_void,
            action: *const cgym_event_t,
            end_of_episode: *mut c_int,
            action_had_no_effect: *mut c_int,
            new_action_space: *mut i32,
        ) -> cgym_status_t,
    >,
    pub get_observation: Option<
        unsafe extern "C" fn(
            session: *mut c_void,
            index: i32,
            space: *const cgym_observation_space_t,
            observation: *mut cgym_event_t,
        ) -> cgym_status_t,
    >,
    pub end_of_step: Option<
        unsafe extern "C" fn(
            session: *mut c_void,
            action_had_no_effect: c_int,
            end_of_episode: *mut c_int,
            new_action_space: *mut i32,
        ) -> cgym_status_t,
    >,
    pub handle_session_parameter: Option<
        unsafe extern "C" fn(
            session: *mut c_void,
            key: *const c_char,
            value: *const c_char,
            reply: *mut *const c_char,
        ) -> cgym_status_t,
    >,
    pub destroy: Option<unsafe extern "C" fn(session: *mut c_void)>,
    pub compiler_version: Option<unsafe extern "C" fn(service_data: *mut c_void) -> *const c_char>,
    /// Version 2.
    pub service_data_free: Option<unsafe extern "C" fn(service_data: *mut c_void)>,
}

/// `cgym_reward_vtable_t`: a reward computed on the client.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cgym_reward_vtable_t {
    pub version: u32,
    pub reset: Option<
        unsafe extern "C" fn(user_data: *mut c_void, benchmark_uri: *const c_char) -> cgym_status_t,
    >,
    pub update: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            actions: *const *const cgym_event_t,
            num_actions: usize,
            observations: *const *const cgym_event_t,
            num_observations: usize,
            reward: *mut f64,
        ) -> cgym_status_t,
    >,
    pub clone: Option<unsafe extern "C" fn(user_data: *mut c_void) -> *mut c_void>,
    pub destroy: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
}

extern "C" {
    // Versions.
    pub fn cgym_version_number() -> u32;
    pub fn cgym_version_string() -> *const c_char;
    pub fn cgym_protocol_version_string() -> *const c_char;

    // Status codes and errors.
    pub fn cgym_status_name(code: cgym_status_t) -> *const c_char;
    pub fn cgym_status_parent(code: cgym_status_t) -> cgym_status_t;
    pub fn cgym_status_is_service_error(code: cgym_status_t) -> c_int;
    pub fn cgym_last_error_message() -> *const c_char;
    pub fn cgym_last_error_code() -> cgym_status_t;
    pub fn cgym_set_error(code: cgym_status_t, message: *const c_char) -> cgym_status_t;
    pub fn cgym_free(pointer: *mut c_void);
    pub fn cgym_free_strings(strings: *mut *mut c_char, count: usize);

    // Events.
    pub fn cgym_event_new(out: *mut *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_clone(
        out: *mut *mut cgym_event_t,
        event: *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_event_free(event: *mut cgym_event_t);
    pub fn cgym_event_clear(event: *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_set_bool(event: *mut cgym_event_t, value: c_int) -> cgym_status_t;
    pub fn cgym_event_set_int64(event: *mut cgym_event_t, value: i64) -> cgym_status_t;
    pub fn cgym_event_set_float(event: *mut cgym_event_t, value: f32) -> cgym_status_t;
    pub fn cgym_event_set_double(event: *mut cgym_event_t, value: f64) -> cgym_status_t;
    pub fn cgym_event_set_string(
        event: *mut cgym_event_t,
        data: *const c_char,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_set_tensor(
        event: *mut cgym_event_t,
        kind: cgym_event_kind_t,
        shape: *const u64,
        ndim: usize,
        values: *const c_void,
        count: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_set_string_tensor(
        event: *mut cgym_event_t,
        shape: *const u64,
        ndim: usize,
        values: *const *const c_char,
        lengths: *const usize,
        count: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_set_list(event: *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_set_dict(event: *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_set_any(
        event: *mut cgym_event_t,
        type_url: *const c_char,
        data: *const c_void,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_list_append(
        list: *mut cgym_event_t,
        item: *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_event_dict_set(
        dict: *mut cgym_event_t,
        key: *const c_char,
        key_length: usize,
        value: *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_event_kind(event: *const cgym_event_t) -> cgym_event_kind_t;
    pub fn cgym_event_get_bool(event: *const cgym_event_t, value: *mut c_int) -> cgym_status_t;
    pub fn cgym_event_get_int64(event: *const cgym_event_t, value: *mut i64) -> cgym_status_t;
    pub fn cgym_event_get_float(event: *const cgym_event_t, value: *mut f32) -> cgym_status_t;
    pub fn cgym_event_get_double(event: *const cgym_event_t, value: *mut f64) -> cgym_status_t;
    pub fn cgym_event_get_string(
        event: *const cgym_event_t,
        data: *mut *const c_char,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_tensor_shape(
        event: *const cgym_event_t,
        shape: *mut *const u64,
        ndim: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_tensor_values(
        event: *const cgym_event_t,
        values: *mut *const c_void,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_tensor_count(event: *const cgym_event_t, count: *mut usize) -> cgym_status_t;
    pub fn cgym_event_string_tensor_at(
        event: *const cgym_event_t,
        index: usize,
        data: *mut *const c_char,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_list_count(event: *const cgym_event_t, count: *mut usize) -> cgym_status_t;
    pub fn cgym_event_list_at(
        event: *const cgym_event_t,
        index: usize,
        item: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_event_dict_count(event: *const cgym_event_t, count: *mut usize) -> cgym_status_t;
    pub fn cgym_event_dict_at(
        event: *const cgym_event_t,
        index: usize,
        key: *mut *const c_char,
        key_length: *mut usize,
        value: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_event_dict_get(
        event: *const cgym_event_t,
        key: *const c_char,
        key_length: usize,
        value: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_event_new_any(
        out: *mut *mut cgym_event_t,
        type_url: *const c_char,
        data: *const c_void,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_new_bool(out: *mut *mut cgym_event_t, value: c_int) -> cgym_status_t;
    pub fn cgym_event_new_int64(out: *mut *mut cgym_event_t, value: i64) -> cgym_status_t;
    pub fn cgym_event_new_float(out: *mut *mut cgym_event_t, value: f32) -> cgym_status_t;
    pub fn cgym_event_new_double(out: *mut *mut cgym_event_t, value: f64) -> cgym_status_t;
    pub fn cgym_event_new_string(
        out: *mut *mut cgym_event_t,
        data: *const c_char,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_new_tensor(
        out: *mut *mut cgym_event_t,
        kind: cgym_event_kind_t,
        shape: *const u64,
        ndim: usize,
        values: *const c_void,
        count: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_new_string_tensor(
        out: *mut *mut cgym_event_t,
        shape: *const u64,
        ndim: usize,
        values: *const *const c_char,
        lengths: *const usize,
        count: usize,
    ) -> cgym_status_t;
    pub fn cgym_event_new_list(out: *mut *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_new_dict(out: *mut *mut cgym_event_t) -> cgym_status_t;
    pub fn cgym_event_get_any(
        event: *const cgym_event_t,
        type_url: *mut *const c_char,
        data: *mut *const c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_serialize(
        event: *const cgym_event_t,
        data: *mut *mut c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_event_parse(
        out: *mut *mut cgym_event_t,
        data: *const c_void,
        length: usize,
    ) -> cgym_status_t;

    // Spaces.
    pub fn cgym_space_new_discrete(out: *mut *mut cgym_space_t, n: i64) -> cgym_status_t;
    pub fn cgym_space_new_named_discrete(
        out: *mut *mut cgym_space_t,
        names: *const *const c_char,
        count: usize,
    ) -> cgym_status_t;
    pub fn cgym_space_new_range(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
        min: f64,
        has_min: c_int,
        max: f64,
        has_max: c_int,
    ) -> cgym_status_t;
    pub fn cgym_space_new_string(
        out: *mut *mut cgym_space_t,
        min_length: i64,
        max_length: i64,
    ) -> cgym_status_t;
    pub fn cgym_space_new_box(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
        shape: *const u64,
        ndim: usize,
        low: *const f64,
        high: *const f64,
        count: usize,
    ) -> cgym_status_t;
    pub fn cgym_space_new_sequence(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
        min_length: i64,
        max_length: i64,
        scalar_min: f64,
        has_scalar_min: c_int,
        scalar_max: f64,
        has_scalar_max: c_int,
    ) -> cgym_status_t;
    pub fn cgym_space_new_composite(
        out: *mut *mut cgym_space_t,
        kind: cgym_space_kind_t,
    ) -> cgym_status_t;
    pub fn cgym_space_add(
        space: *mut cgym_space_t,
        key: *const c_char,
        subspace: *const cgym_space_t,
    ) -> cgym_status_t;
    pub fn cgym_space_clone(
        out: *mut *mut cgym_space_t,
        space: *const cgym_space_t,
    ) -> cgym_status_t;
    pub fn cgym_space_free(space: *mut cgym_space_t);
    pub fn cgym_space_type_id(space: *const cgym_space_t) -> *const c_char;
    pub fn cgym_space_kind(space: *const cgym_space_t) -> cgym_space_kind_t;
    pub fn cgym_space_discrete_n(space: *const cgym_space_t, n: *mut i64) -> cgym_status_t;
    pub fn cgym_space_name_count(space: *const cgym_space_t, count: *mut usize) -> cgym_status_t;
    pub fn cgym_space_name_at(
        space: *const cgym_space_t,
        index: usize,
        name: *mut *const c_char,
    ) -> cgym_status_t;
    pub fn cgym_space_range(
        space: *const cgym_space_t,
        min: *mut f64,
        has_min: *mut c_int,
        max: *mut f64,
        has_max: *mut c_int,
    ) -> cgym_status_t;
    pub fn cgym_space_int64_range(
        space: *const cgym_space_t,
        min: *mut i64,
        has_min: *mut c_int,
        max: *mut i64,
        has_max: *mut c_int,
    ) -> cgym_status_t;
    pub fn cgym_space_length_range(
        space: *const cgym_space_t,
        min: *mut i64,
        max: *mut i64,
    ) -> cgym_status_t;
    pub fn cgym_space_box_shape(
        space: *const cgym_space_t,
        shape: *mut *const u64,
        ndim: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_space_box_bounds(
        space: *const cgym_space_t,
        low: *mut f64,
        high: *mut f64,
        capacity: usize,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_space_subspace_count(
        space: *const cgym_space_t,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_space_subspace_at(
        space: *const cgym_space_t,
        index: usize,
        key: *mut *const c_char,
        subspace: *mut *const cgym_space_t,
    ) -> cgym_status_t;
    pub fn cgym_action_space_new(
        out: *mut *mut cgym_action_space_t,
        name: *const c_char,
        space: *const cgym_space_t,
    ) -> cgym_status_t;
    pub fn cgym_action_space_free(space: *mut cgym_action_space_t);
    pub fn cgym_action_space_name(space: *const cgym_action_space_t) -> *const c_char;
    pub fn cgym_action_space_space(space: *const cgym_action_space_t) -> *const cgym_space_t;
    pub fn cgym_action_space_serialize(
        space: *const cgym_action_space_t,
        data: *mut *mut c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_action_space_parse(
        out: *mut *mut cgym_action_space_t,
        data: *const c_void,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_observation_space_new(
        out: *mut *mut cgym_observation_space_t,
        name: *const c_char,
        space: *const cgym_space_t,
        deterministic: c_int,
        platform_dependent: c_int,
        default_observation: *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_observation_space_free(space: *mut cgym_observation_space_t);
    pub fn cgym_observation_space_name(space: *const cgym_observation_space_t) -> *const c_char;
    pub fn cgym_observation_space_space(
        space: *const cgym_observation_space_t,
    ) -> *const cgym_space_t;
    pub fn cgym_observation_space_deterministic(space: *const cgym_observation_space_t) -> c_int;
    pub fn cgym_observation_space_platform_dependent(
        space: *const cgym_observation_space_t,
    ) -> c_int;
    pub fn cgym_observation_space_default(
        space: *const cgym_observation_space_t,
    ) -> *const cgym_event_t;
    pub fn cgym_observation_space_serialize(
        space: *const cgym_observation_space_t,
        data: *mut *mut c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_observation_space_parse(
        out: *mut *mut cgym_observation_space_t,
        data: *const c_void,
        length: usize,
    ) -> cgym_status_t;

    // Options.
    pub fn cgym_options_new(out: *mut *mut cgym_options_t) -> cgym_status_t;
    pub fn cgym_options_free(options: *mut cgym_options_t);
    pub fn cgym_options_set_rpc_max_retries(o: *mut cgym_options_t, value: c_int) -> cgym_status_t;
    pub fn cgym_options_set_retry_wait_seconds(o: *mut cgym_options_t, value: f64)
        -> cgym_status_t;
    pub fn cgym_options_set_retry_wait_backoff_exponent(
        o: *mut cgym_options_t,
        value: f64,
    ) -> cgym_status_t;
    pub fn cgym_options_set_init_max_seconds(o: *mut cgym_options_t, value: f64) -> cgym_status_t;
    pub fn cgym_options_set_init_max_attempts(
        o: *mut cgym_options_t,
        value: c_int,
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
        value: c_int,
    ) -> cgym_status_t;
    pub fn cgym_options_add_script_arg(o: *mut cgym_options_t, arg: *const c_char)
        -> cgym_status_t;
    pub fn cgym_options_set_script_env(
        o: *mut cgym_options_t,
        key: *const c_char,
        value: *const c_char,
    ) -> cgym_status_t;
    pub fn cgym_options_set_benchmark(
        o: *mut cgym_options_t,
        uri: *const c_char,
        program: *const c_void,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_options_set_observation_space(
        o: *mut cgym_options_t,
        name: *const c_char,
    ) -> cgym_status_t;
    pub fn cgym_options_set_reward_space(
        o: *mut cgym_options_t,
        name: *const c_char,
    ) -> cgym_status_t;
    pub fn cgym_options_set_action_space(
        o: *mut cgym_options_t,
        name: *const c_char,
    ) -> cgym_status_t;
    pub fn cgym_options_set_token(o: *mut cgym_options_t, token: *const c_char) -> cgym_status_t;
    pub fn cgym_options_set_tls(
        o: *mut cgym_options_t,
        root_certs_path: *const c_char,
        client_cert_path: *const c_char,
        client_key_path: *const c_char,
    ) -> cgym_status_t;

    // The client.
    pub fn cgym_connect(
        out: *mut *mut cgym_env_t,
        endpoint: *const c_char,
        options: *const cgym_options_t,
    ) -> cgym_status_t;
    pub fn cgym_env_free(env: *mut cgym_env_t);
    pub fn cgym_env_close(env: *mut cgym_env_t) -> cgym_status_t;
    pub fn cgym_call_options_new(out: *mut *mut cgym_call_options_t) -> cgym_status_t;
    pub fn cgym_call_options_free(options: *mut cgym_call_options_t);
    pub fn cgym_call_options_set_timeout(
        options: *mut cgym_call_options_t,
        seconds: f64,
    ) -> cgym_status_t;
    pub fn cgym_env_reset(
        env: *mut cgym_env_t,
        call_options: *const cgym_call_options_t,
        observation: *mut *mut cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_env_set_benchmark(
        env: *mut cgym_env_t,
        uri: *const c_char,
        program: *const c_void,
        length: usize,
    ) -> cgym_status_t;
    pub fn cgym_env_benchmark(env: *const cgym_env_t) -> *const c_char;
    pub fn cgym_env_set_observation_space(
        env: *mut cgym_env_t,
        name: *const c_char,
    ) -> cgym_status_t;
    pub fn cgym_env_set_reward_space(env: *mut cgym_env_t, name: *const c_char) -> cgym_status_t;
    pub fn cgym_env_set_action_space(env: *mut cgym_env_t, name: *const c_char) -> cgym_status_t;
    pub fn cgym_step(
        env: *mut cgym_env_t,
        actions: *const *const cgym_event_t,
        num_actions: usize,
        observation_spaces: *const *const c_char,
        num_observation_spaces: usize,
        reward_spaces: *const *const c_char,
        num_reward_spaces: usize,
        call_options: *const cgym_call_options_t,
        result: *mut *mut cgym_step_result_t,
    ) -> cgym_status_t;
    pub fn cgym_step_result_free(result: *mut cgym_step_result_t);
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
    pub fn cgym_step_result_done(result: *const cgym_step_result_t) -> c_int;
    pub fn cgym_step_result_action_had_no_effect(result: *const cgym_step_result_t) -> c_int;
    pub fn cgym_step_result_new_action_space(result: *const cgym_step_result_t) -> c_int;
    pub fn cgym_step_result_error_type(result: *const cgym_step_result_t) -> *const c_char;
    pub fn cgym_step_result_error_details(result: *const cgym_step_result_t) -> *const c_char;
    pub fn cgym_step_index(
        env: *mut cgym_env_t,
        action: i64,
        done: *mut c_int,
        reward: *mut f64,
    ) -> cgym_status_t;
    pub fn cgym_step_name(
        env: *mut cgym_env_t,
        action: *const c_char,
        done: *mut c_int,
        reward: *mut f64,
    ) -> cgym_status_t;
    pub fn cgym_env_observe(
        env: *mut cgym_env_t,
        space: *const c_char,
        observation: *mut *mut cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_env_observe_double(
        env: *mut cgym_env_t,
        space: *const c_char,
        value: *mut f64,
    ) -> cgym_status_t;
    pub fn cgym_env_observe_int64s(
        env: *mut cgym_env_t,
        space: *const c_char,
        values: *mut i64,
        capacity: usize,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_env_observe_string(
        env: *mut cgym_env_t,
        space: *const c_char,
        value: *mut *mut c_char,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_env_reward(
        env: *mut cgym_env_t,
        space: *const c_char,
        value: *mut f64,
    ) -> cgym_status_t;
    pub fn cgym_fork(env: *mut cgym_env_t, out: *mut *mut cgym_env_t) -> cgym_status_t;
    pub fn cgym_send_param(
        env: *mut cgym_env_t,
        key: *const c_char,
        value: *const c_char,
        resend_on_reset: c_int,
        reply: *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_env_state_json(env: *const cgym_env_t, json: *mut *mut c_char) -> cgym_status_t;
    pub fn cgym_env_state_csv(
        env: *const cgym_env_t,
        header: c_int,
        csv: *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_send_params(
        env: *mut cgym_env_t,
        keys: *const *const c_char,
        values: *const *const c_char,
        count: usize,
        resend_on_reset: c_int,
        replies: *mut *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_env_apply_state(env: *mut cgym_env_t, state_json: *const c_char) -> cgym_status_t;
    pub fn cgym_env_validate(
        env: *mut cgym_env_t,
        state_json: *const c_char,
        okay: *mut c_int,
        result_json: *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_states_csv_to_json(csv: *const c_char, json: *mut *mut c_char) -> cgym_status_t;
    pub fn cgym_states_json_to_csv(
        json: *const c_char,
        header: c_int,
        csv: *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_env_in_episode(env: *const cgym_env_t) -> c_int;
    pub fn cgym_env_episode_reward(env: *const cgym_env_t, has_reward: *mut c_int) -> f64;
    pub fn cgym_env_episode_walltime(env: *const cgym_env_t) -> f64;
    pub fn cgym_env_action_count(env: *const cgym_env_t, count: *mut usize) -> cgym_status_t;
    pub fn cgym_env_action_at(
        env: *const cgym_env_t,
        index: usize,
        action: *mut *const cgym_event_t,
    ) -> cgym_status_t;
    pub fn cgym_env_version(
        env: *mut cgym_env_t,
        service_version: *mut *const c_char,
        compiler_version: *mut *const c_char,
    ) -> cgym_status_t;
    pub fn cgym_env_action_space_count(env: *const cgym_env_t, count: *mut usize) -> cgym_status_t;
    pub fn cgym_env_action_space_at(
        env: *const cgym_env_t,
        index: usize,
        space: *mut *const cgym_action_space_t,
    ) -> cgym_status_t;
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
    pub fn cgym_env_add_reward(
        env: *mut cgym_env_t,
        name: *const c_char,
        observation_spaces: *const *const c_char,
        num_observation_spaces: usize,
        default_value: f64,
        default_negates_returns: c_int,
        deterministic: c_int,
        vtable: *const cgym_reward_vtable_t,
        user_data: *mut c_void,
    ) -> cgym_status_t;
    pub fn cgym_env_reward_space_count(env: *const cgym_env_t, count: *mut usize) -> cgym_status_t;
    pub fn cgym_env_reward_space_at(
        env: *const cgym_env_t,
        index: usize,
        name: *mut *const c_char,
    ) -> cgym_status_t;

    // Environments by name: LLVM phase ordering, its rewards, datasets and benchmarks.
    pub fn cgym_env_ids(ids: *mut *mut *mut c_char, count: *mut usize) -> cgym_status_t;
    pub fn cgym_make(
        out: *mut *mut cgym_env_t,
        id: *const c_char,
        endpoint: *const c_char,
        options: *const cgym_options_t,
    ) -> cgym_status_t;
    pub fn cgym_env_service_path(
        id: *const c_char,
        plugin: c_int,
        path: *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_env_add_cost_reward(
        env: *mut cgym_env_t,
        name: *const c_char,
        cost_space: *const c_char,
        initial_cost_space: *const c_char,
        baseline_cost_space: *const c_char,
        kind: cgym_cost_reward_kind_t,
        deterministic: c_int,
        platform_dependent: c_int,
    ) -> cgym_status_t;
    pub fn cgym_datasets(
        env_id: *const c_char,
        names: *mut *mut *mut c_char,
        count: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_dataset_info(
        dataset: *const c_char,
        description: *mut *mut c_char,
        size: *mut u64,
    ) -> cgym_status_t;
    pub fn cgym_dataset_benchmark_at(
        dataset: *const c_char,
        index: u64,
        uri: *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_dataset_random_benchmark(
        dataset: *const c_char,
        seed: u64,
        uri: *mut *mut c_char,
    ) -> cgym_status_t;
    pub fn cgym_make_benchmark(
        paths: *const *const c_char,
        num_paths: usize,
        copts: *const *const c_char,
        num_copts: usize,
        uri: *mut *mut c_char,
        bitcode: *mut *mut c_void,
        length: *mut usize,
    ) -> cgym_status_t;
    pub fn cgym_make_benchmark_from_source(
        source: *const c_char,
        language: *const c_char,
        copts: *const *const c_char,
        num_copts: usize,
        uri: *mut *mut c_char,
        bitcode: *mut *mut c_void,
        length: *mut usize,
    ) -> cgym_status_t;

    // Many environments at once: pipelined steps and vector environments.
    pub fn cgym_step_queue_new(out: *mut *mut cgym_step_queue_t) -> cgym_status_t;
    pub fn cgym_step_queue_free(queue: *mut cgym_step_queue_t);
    pub fn cgym_step_submit(
        queue: *mut cgym_step_queue_t,
        env: *mut cgym_env_t,
        actions: *const *const cgym_event_t,
        num_actions: usize,
        observation_spaces: *const *const c_char,
        num_observation_spaces: usize,
        reward_spaces: *const *const c_char,
        num_reward_spaces: usize,
        call_options: *const cgym_call_options_t,
        tag: u64,
    ) -> cgym_status_t;
    pub fn cgym_step_queue_size(queue: *const cgym_step_queue_t) -> usize;
    pub fn cgym_step_queue_next(
        queue: *mut cgym_step_queue_t,
        timeout_seconds: f64,
        tag: *mut u64,
        result: *mut *mut cgym_step_result_t,
    ) -> cgym_status_t;
    pub fn cgym_step_result_status(result: *const cgym_step_result_t) -> cgym_status_t;
    pub fn cgym_step_result_status_message(result: *const cgym_step_result_t) -> *const c_char;
    pub fn cgym_vec_env_new(
        out: *mut *mut cgym_vec_env_t,
        id: *const c_char,
        endpoint: *const c_char,
        num_envs: usize,
        num_services: usize,
        options: *const cgym_options_t,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_free(vec: *mut cgym_vec_env_t);
    pub fn cgym_vec_env_close(vec: *mut cgym_vec_env_t) -> cgym_status_t;
    pub fn cgym_vec_env_num_envs(vec: *const cgym_vec_env_t) -> usize;
    pub fn cgym_vec_env_num_services(vec: *const cgym_vec_env_t) -> usize;
    pub fn cgym_vec_env_at(
        vec: *mut cgym_vec_env_t,
        index: usize,
        env: *mut *mut cgym_env_t,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_set_autoreset(
        vec: *mut cgym_vec_env_t,
        mode: cgym_autoreset_mode_t,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_autoreset(vec: *const cgym_vec_env_t) -> cgym_autoreset_mode_t;
    pub fn cgym_vec_env_reset(
        vec: *mut cgym_vec_env_t,
        mask: *const u8,
        call_options: *const cgym_call_options_t,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_step(
        vec: *mut cgym_vec_env_t,
        actions: *const i64,
        num_actions: usize,
        call_options: *const cgym_call_options_t,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_result(
        vec: *const cgym_vec_env_t,
        index: usize,
        result: *mut *const cgym_step_result_t,
    ) -> cgym_status_t;
    pub fn cgym_vec_env_final_result(
        vec: *const cgym_vec_env_t,
        index: usize,
        result: *mut *const cgym_step_result_t,
    ) -> cgym_status_t;
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

    // Services.
    pub fn cgym_service_def_new(
        out: *mut *mut cgym_service_def_t,
        vtable: *const cgym_session_vtable_t,
        service_data: *mut c_void,
    ) -> cgym_status_t;
    pub fn cgym_service_def_free(def: *mut cgym_service_def_t);
    pub fn cgym_service_def_add_action_space(
        def: *mut cgym_service_def_t,
        space: *const cgym_action_space_t,
    ) -> cgym_status_t;
    pub fn cgym_service_def_add_observation_space(
        def: *mut cgym_service_def_t,
        space: *const cgym_observation_space_t,
    ) -> cgym_status_t;
    pub fn cgym_service_run(
        def: *const cgym_service_def_t,
        argc: c_int,
        argv: *const *const c_char,
    ) -> c_int;
    pub fn cgym_service_register(
        name: *const c_char,
        def: *const cgym_service_def_t,
    ) -> cgym_status_t;
    pub fn cgym_service_stop();
    pub fn cgym_service_unregister(name: *const c_char) -> cgym_status_t;
    pub fn cgym_service_register_plugin(name: *const c_char, path: *const c_char) -> cgym_status_t;
}
