// SPDX-License-Identifier: MIT
//! Events: CompilerGym's values (actions and observations) as owned Rust values.
//!
//! An [`Event`] is a plain Rust value: it owns no libcgym handle. It is converted to a
//! `cgym_event_t` handle only for the duration of a call ([`Event::to_bytes`] and
//! [`Event::from_bytes`] give its protobuf form).
use std::collections::BTreeMap;
use std::ffi::{c_char, c_int, c_void};
use std::ptr;

use crate::error::{check, Code, Error, Result};
use crate::sys;
use crate::util::{bytes_of, cstring, to_string_lossy};

/// A tensor: its shape and its values flattened in row-major order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Tensor<T> {
    /// The dimensions.
    pub shape: Vec<u64>,
    /// The values, row-major; as many as the product of the shape.
    pub values: Vec<T>,
}

impl<T> Tensor<T> {
    /// A tensor of this shape and these values (not checked here; libcgym checks that the
    /// number of values is the product of the shape when the event is used).
    pub fn new(shape: Vec<u64>, values: Vec<T>) -> Tensor<T> {
        Tensor { shape, values }
    }

    /// A one-dimensional tensor of these values.
    pub fn vector(values: Vec<T>) -> Tensor<T> {
        Tensor {
            shape: vec![values.len() as u64],
            values,
        }
    }
}

/// A value of CompilerGym's Event message.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Event {
    /// An empty event.
    #[default]
    None,
    Bool(bool),
    Int64(i64),
    Float(f32),
    Double(f64),
    /// A UTF-8 string.
    String(String),
    BoolTensor(Tensor<bool>),
    ByteTensor(Tensor<i8>),
    Int64Tensor(Tensor<i64>),
    FloatTensor(Tensor<f32>),
    DoubleTensor(Tensor<f64>),
    StringTensor(Tensor<String>),
    List(Vec<Event>),
    /// A dict, in key order.
    Dict(BTreeMap<String, Event>),
    /// An opaque google.protobuf.Any: its type URL and bytes.
    Any {
        type_url: String,
        data: Vec<u8>,
    },
}

/// An owned `cgym_event_t` handle, freed on drop.
pub(crate) struct RawEvent(pub(crate) *mut sys::cgym_event_t);

impl RawEvent {
    pub(crate) fn new() -> Result<RawEvent> {
        let mut out = ptr::null_mut();
        // SAFETY: out is a valid out-pointer.
        check(unsafe { sys::cgym_event_new(&mut out) })?;
        Ok(RawEvent(out))
    }
}

impl Drop for RawEvent {
    fn drop(&mut self) {
        // SAFETY: the handle is owned and freed exactly once.
        unsafe { sys::cgym_event_free(self.0) }
    }
}

fn set_tensor<T: Copy>(
    event: *mut sys::cgym_event_t,
    kind: sys::cgym_event_kind_t,
    tensor: &Tensor<T>,
) -> Result<()> {
    // SAFETY: shape and values are valid for their lengths for the call; libcgym copies them.
    check(unsafe {
        sys::cgym_event_set_tensor(
            event,
            kind,
            tensor.shape.as_ptr(),
            tensor.shape.len(),
            tensor.values.as_ptr() as *const c_void,
            tensor.values.len(),
        )
    })
}

/// Reads a numeric tensor of C type `C`, converted by `f`.
///
/// # Safety
/// `event` is a valid event of the tensor kind whose C type is `C`.
unsafe fn get_tensor<C: Copy, T>(
    event: *const sys::cgym_event_t,
    f: impl Fn(C) -> T,
) -> Result<Tensor<T>> {
    let shape = get_shape(event)?;
    let mut values: *const c_void = ptr::null();
    let mut count = 0usize;
    check(sys::cgym_event_tensor_values(
        event,
        &mut values,
        &mut count,
    ))?;
    let values = if count == 0 || values.is_null() {
        Vec::new()
    } else {
        std::slice::from_raw_parts(values as *const C, count)
            .iter()
            .map(|&v| f(v))
            .collect()
    };
    Ok(Tensor { shape, values })
}

/// # Safety
/// `event` is a valid tensor event.
unsafe fn get_shape(event: *const sys::cgym_event_t) -> Result<Vec<u64>> {
    let mut shape: *const u64 = ptr::null();
    let mut ndim = 0usize;
    check(sys::cgym_event_tensor_shape(event, &mut shape, &mut ndim))?;
    Ok(if ndim == 0 || shape.is_null() {
        Vec::new()
    } else {
        std::slice::from_raw_parts(shape, ndim).to_vec()
    })
}

impl Event {
    /// The cgym.h kind of this event (`CGYM_EVENT_*`).
    pub fn kind(&self) -> i32 {
        match self {
            Event::None => sys::CGYM_EVENT_NONE,
            Event::Bool(_) => sys::CGYM_EVENT_BOOL,
            Event::Int64(_) => sys::CGYM_EVENT_INT64,
            Event::Float(_) => sys::CGYM_EVENT_FLOAT,
            Event::Double(_) => sys::CGYM_EVENT_DOUBLE,
            Event::String(_) => sys::CGYM_EVENT_STRING,
            Event::BoolTensor(_) => sys::CGYM_EVENT_BOOL_TENSOR,
            Event::ByteTensor(_) => sys::CGYM_EVENT_BYTE_TENSOR,
            Event::Int64Tensor(_) => sys::CGYM_EVENT_INT64_TENSOR,
            Event::FloatTensor(_) => sys::CGYM_EVENT_FLOAT_TENSOR,
            Event::DoubleTensor(_) => sys::CGYM_EVENT_DOUBLE_TENSOR,
            Event::StringTensor(_) => sys::CGYM_EVENT_STRING_TENSOR,
            Event::List(_) => sys::CGYM_EVENT_LIST,
            Event::Dict(_) => sys::CGYM_EVENT_DICT,
            Event::Any { .. } => sys::CGYM_EVENT_ANY,
        }
    }

    /// A new owned handle holding this value.
    pub(crate) fn to_raw(&self) -> Result<RawEvent> {
        let raw = RawEvent::new()?;
        // SAFETY: raw.0 is a valid owned event.
        unsafe { self.write_into(raw.0)? };
        Ok(raw)
    }

    /// Replaces the value of an existing event (owned, or handed to a session to fill).
    ///
    /// # Safety
    /// `event` is a valid, writable `cgym_event_t`.
    pub(crate) unsafe fn write_into(&self, event: *mut sys::cgym_event_t) -> Result<()> {
        match self {
            Event::None => check(sys::cgym_event_clear(event)),
            Event::Bool(v) => check(sys::cgym_event_set_bool(event, c_int::from(*v))),
            Event::Int64(v) => check(sys::cgym_event_set_int64(event, *v)),
            Event::Float(v) => check(sys::cgym_event_set_float(event, *v)),
            Event::Double(v) => check(sys::cgym_event_set_double(event, *v)),
            Event::String(s) => check(sys::cgym_event_set_string(
                event,
                s.as_ptr() as *const c_char,
                s.len(),
            )),
            Event::BoolTensor(t) => {
                let bytes = Tensor {
                    shape: t.shape.clone(),
                    values: t.values.iter().map(|&b| u8::from(b)).collect::<Vec<u8>>(),
                };
                set_tensor(event, sys::CGYM_EVENT_BOOL_TENSOR, &bytes)
            }
            Event::ByteTensor(t) => set_tensor(event, sys::CGYM_EVENT_BYTE_TENSOR, t),
            Event::Int64Tensor(t) => set_tensor(event, sys::CGYM_EVENT_INT64_TENSOR, t),
            Event::FloatTensor(t) => set_tensor(event, sys::CGYM_EVENT_FLOAT_TENSOR, t),
            Event::DoubleTensor(t) => set_tensor(event, sys::CGYM_EVENT_DOUBLE_TENSOR, t),
            Event::StringTensor(t) => {
                let pointers: Vec<*const c_char> = t
                    .values
                    .iter()
                    .map(|s| s.as_ptr() as *const c_char)
                    .collect();
                let lengths: Vec<usize> = t.values.iter().map(String::len).collect();
                check(sys::cgym_event_set_string_tensor(
                    event,
                    t.shape.as_ptr(),
                    t.shape.len(),
                    pointers.as_ptr(),
                    lengths.as_ptr(),
                    t.values.len(),
                ))
            }
            Event::List(items) => {
                check(sys::cgym_event_set_list(event))?;
                for item in items {
                    let raw = item.to_raw()?;
                    check(sys::cgym_event_list_append(event, raw.0))?;
                }
                Ok(())
            }
            Event::Dict(entries) => {
                check(sys::cgym_event_set_dict(event))?;
                // Keys cross as (pointer, length): they may hold NUL.
                for (key, value) in entries {
                    let raw = value.to_raw()?;
                    check(sys::cgym_event_dict_set(
                        event,
                        key.as_ptr() as *const c_char,
                        key.len(),
                        raw.0,
                    ))?;
                }
                Ok(())
            }
            Event::Any { type_url, data } => {
                let type_url = cstring(type_url)?;
                check(sys::cgym_event_set_any(
                    event,
                    type_url.as_ptr(),
                    data.as_ptr() as *const c_void,
                    data.len(),
                ))
            }
        }
    }

    /// Copies a borrowed event into a Rust value.
    ///
    /// # Safety
    /// `event` is NULL or a valid `cgym_event_t` that stays alive for the call.
    pub(crate) unsafe fn from_raw(event: *const sys::cgym_event_t) -> Result<Event> {
        if event.is_null() {
            return Ok(Event::None);
        }
        Ok(match sys::cgym_event_kind(event) {
            sys::CGYM_EVENT_NONE => Event::None,
            sys::CGYM_EVENT_BOOL => {
                let mut v: c_int = 0;
                check(sys::cgym_event_get_bool(event, &mut v))?;
                Event::Bool(v != 0)
            }
            sys::CGYM_EVENT_INT64 => {
                let mut v = 0i64;
                check(sys::cgym_event_get_int64(event, &mut v))?;
                Event::Int64(v)
            }
            sys::CGYM_EVENT_FLOAT => {
                let mut v = 0f32;
                check(sys::cgym_event_get_float(event, &mut v))?;
                Event::Float(v)
            }
            sys::CGYM_EVENT_DOUBLE => {
                let mut v = 0f64;
                check(sys::cgym_event_get_double(event, &mut v))?;
                Event::Double(v)
            }
            sys::CGYM_EVENT_STRING => {
                let mut data: *const c_char = ptr::null();
                let mut length = 0usize;
                check(sys::cgym_event_get_string(event, &mut data, &mut length))?;
                Event::String(
                    String::from_utf8_lossy(bytes_of(data as *const u8, length)).into_owned(),
                )
            }
            sys::CGYM_EVENT_BOOL_TENSOR => {
                Event::BoolTensor(get_tensor::<u8, bool>(event, |v| v != 0)?)
            }
            sys::CGYM_EVENT_BYTE_TENSOR => Event::ByteTensor(get_tensor::<i8, i8>(event, |v| v)?),
            sys::CGYM_EVENT_INT64_TENSOR => {
                Event::Int64Tensor(get_tensor::<i64, i64>(event, |v| v)?)
            }
            sys::CGYM_EVENT_FLOAT_TENSOR => {
                Event::FloatTensor(get_tensor::<f32, f32>(event, |v| v)?)
            }
            sys::CGYM_EVENT_DOUBLE_TENSOR => {
                Event::DoubleTensor(get_tensor::<f64, f64>(event, |v| v)?)
            }
            sys::CGYM_EVENT_STRING_TENSOR => {
                let shape = get_shape(event)?;
                let mut count = 0usize;
                check(sys::cgym_event_tensor_count(event, &mut count))?;
                let mut values = Vec::with_capacity(count);
                for index in 0..count {
                    let mut data: *const c_char = ptr::null();
                    let mut length = 0usize;
                    check(sys::cgym_event_string_tensor_at(
                        event,
                        index,
                        &mut data,
                        &mut length,
                    ))?;
                    values.push(
                        String::from_utf8_lossy(bytes_of(data as *const u8, length)).into_owned(),
                    );
                }
                Event::StringTensor(Tensor { shape, values })
            }
            sys::CGYM_EVENT_LIST => {
                let mut count = 0usize;
                check(sys::cgym_event_list_count(event, &mut count))?;
                let mut items = Vec::with_capacity(count);
                for index in 0..count {
                    let mut item: *const sys::cgym_event_t = ptr::null();
                    check(sys::cgym_event_list_at(event, index, &mut item))?;
                    items.push(Event::from_raw(item)?);
                }
                Event::List(items)
            }
            sys::CGYM_EVENT_DICT => {
                let mut count = 0usize;
                check(sys::cgym_event_dict_count(event, &mut count))?;
                let mut entries = BTreeMap::new();
                for index in 0..count {
                    let mut key: *const c_char = ptr::null();
                    let mut key_length = 0usize;
                    let mut value: *const sys::cgym_event_t = ptr::null();
                    check(sys::cgym_event_dict_at(
                        event,
                        index,
                        &mut key,
                        &mut key_length,
                        &mut value,
                    ))?;
                    let key = String::from_utf8_lossy(bytes_of(key as *const u8, key_length));
                    entries.insert(key.into_owned(), Event::from_raw(value)?);
                }
                Event::Dict(entries)
            }
            sys::CGYM_EVENT_ANY => {
                let mut type_url: *const c_char = ptr::null();
                let mut data: *const c_void = ptr::null();
                let mut length = 0usize;
                check(sys::cgym_event_get_any(
                    event,
                    &mut type_url,
                    &mut data,
                    &mut length,
                ))?;
                Event::Any {
                    type_url: to_string_lossy(type_url),
                    data: bytes_of(data as *const u8, length).to_vec(),
                }
            }
            kind => {
                return Err(Error::new(
                    Code::UNIMPLEMENTED,
                    format!("Unsupported event kind: {kind}"),
                ))
            }
        })
    }

    /// The event as serialized compiler_gym.Event protobuf bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let raw = self.to_raw()?;
        let mut data: *mut c_void = ptr::null_mut();
        let mut length = 0usize;
        // SAFETY: raw is valid; data is owned by us afterwards and freed with cgym_free.
        unsafe {
            check(sys::cgym_event_serialize(raw.0, &mut data, &mut length))?;
            let bytes = bytes_of(data as *const u8, length).to_vec();
            sys::cgym_free(data);
            Ok(bytes)
        }
    }

    /// An event parsed from serialized compiler_gym.Event bytes (INVALID_ARGUMENT if
    /// malformed).
    pub fn from_bytes(bytes: &[u8]) -> Result<Event> {
        let mut out = ptr::null_mut();
        // SAFETY: bytes is valid for its length; out becomes an owned event.
        check(unsafe {
            sys::cgym_event_parse(&mut out, bytes.as_ptr() as *const c_void, bytes.len())
        })?;
        let raw = RawEvent(out);
        // SAFETY: raw is a valid owned event for the call.
        unsafe { Event::from_raw(raw.0) }
    }

    /// The value as an i64 (Bool and Int64 events), like `cgym_event_get_int64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Event::Int64(v) => Some(v),
            Event::Bool(v) => Some(i64::from(v)),
            _ => None,
        }
    }

    /// The value as an f64 (any scalar numeric event), like `cgym_event_get_double`.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Event::Bool(v) => Some(f64::from(u8::from(v))),
            Event::Int64(v) => Some(v as f64),
            Event::Float(v) => Some(f64::from(v)),
            Event::Double(v) => Some(v),
            _ => None,
        }
    }

    /// The value of a Bool event.
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Event::Bool(v) => Some(v),
            _ => None,
        }
    }

    /// The value of a String event.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Event::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a List event.
    pub fn as_list(&self) -> Option<&[Event]> {
        match self {
            Event::List(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of a Dict event.
    pub fn as_dict(&self) -> Option<&BTreeMap<String, Event>> {
        match self {
            Event::Dict(entries) => Some(entries),
            _ => None,
        }
    }

    /// The shape of a tensor event.
    pub fn shape(&self) -> Option<&[u64]> {
        Some(match self {
            Event::BoolTensor(t) => &t.shape,
            Event::ByteTensor(t) => &t.shape,
            Event::Int64Tensor(t) => &t.shape,
            Event::FloatTensor(t) => &t.shape,
            Event::DoubleTensor(t) => &t.shape,
            Event::StringTensor(t) => &t.shape,
            _ => return None,
        })
    }
}

macro_rules! event_from {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl From<$t> for Event {
            fn from(value: $t) -> Event {
                Event::$variant(value.into())
            }
        }
    )*};
}
event_from!(
    bool => Bool,
    i64 => Int64,
    i32 => Int64,
    u32 => Int64,
    f32 => Float,
    f64 => Double,
    String => String,
    &str => String,
    Tensor<bool> => BoolTensor,
    Tensor<i8> => ByteTensor,
    Tensor<i64> => Int64Tensor,
    Tensor<f32> => FloatTensor,
    Tensor<f64> => DoubleTensor,
    Tensor<String> => StringTensor,
    Vec<Event> => List,
    BTreeMap<String, Event> => Dict,
);

fn wrong_kind(event: &Event, wanted: &str) -> Error {
    Error::new(
        Code::FAILED_PRECONDITION,
        format!("Expected {wanted}, got an event of kind {}", event.kind()),
    )
}

macro_rules! event_try_into {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl TryFrom<Event> for $t {
            type Error = Error;
            fn try_from(event: Event) -> Result<$t> {
                match event {
                    Event::$variant(v) => Ok(v),
                    other => Err(wrong_kind(&other, stringify!($variant))),
                }
            }
        }
    )*};
}
event_try_into!(
    bool => Bool,
    f32 => Float,
    String => String,
    Tensor<bool> => BoolTensor,
    Tensor<i8> => ByteTensor,
    Tensor<i64> => Int64Tensor,
    Tensor<f32> => FloatTensor,
    Tensor<f64> => DoubleTensor,
    Tensor<String> => StringTensor,
    Vec<Event> => List,
    BTreeMap<String, Event> => Dict,
);

impl TryFrom<Event> for i64 {
    type Error = Error;
    /// Int64 and Bool events, as `cgym_event_get_int64` reads them.
    fn try_from(event: Event) -> Result<i64> {
        event.as_i64().ok_or_else(|| wrong_kind(&event, "Int64"))
    }
}

impl TryFrom<Event> for f64 {
    type Error = Error;
    /// Any scalar numeric event, as `cgym_event_get_double` reads them.
    fn try_from(event: Event) -> Result<f64> {
        event.as_f64().ok_or_else(|| wrong_kind(&event, "a number"))
    }
}
