// SPDX-License-Identifier: MIT
//! Spaces: CompilerGym's Space, ActionSpace and ObservationSpace messages as owned Rust
//! values, read from an env and written into a service definition.
use std::collections::BTreeMap;
use std::ffi::{c_char, c_int, c_void};
use std::ptr;

use crate::error::{check, Code, Error, Result};
use crate::event::Event;
use crate::sys;
use crate::util::{bytes_of, cstring, to_string_lossy};

/// A space description (CompilerGym's Space message). Kinds are cgym.h's `CGYM_SPACE_*`.
#[derive(Clone, Debug, PartialEq)]
pub enum Space {
    /// Integers in `[0, n)`.
    Discrete { n: i64 },
    /// Named choices; an action is an index into `names`.
    NamedDiscrete { names: Vec<String> },
    /// A scalar range of kind BOOL_RANGE, INT64_RANGE, FLOAT_RANGE or DOUBLE_RANGE (bounds
    /// as doubles; `None` = unbounded).
    Range {
        kind: i32,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A string with a length range (`max_length` `None` = unbounded).
    String {
        min_length: i64,
        max_length: Option<i64>,
    },
    /// A box of kind BOOL_BOX, BYTE_BOX, INT64_BOX, FLOAT_BOX or DOUBLE_BOX: a shape and
    /// one pair of bounds per value (row-major), as doubles.
    Box {
        kind: i32,
        shape: Vec<u64>,
        low: Vec<f64>,
        high: Vec<f64>,
    },
    /// A sequence of kind `*_SEQUENCE` (not SPACE_SEQUENCE) with a length range and, for
    /// the numeric kinds, a scalar range.
    Sequence {
        kind: i32,
        min_length: i64,
        max_length: Option<i64>,
        scalar_min: Option<f64>,
        scalar_max: Option<f64>,
    },
    /// A sequence of values of one space.
    SpaceSequence {
        min_length: i64,
        max_length: Option<i64>,
        element: std::boxed::Box<Space>,
    },
    /// A list of spaces.
    List(Vec<Space>),
    /// One of several spaces.
    Union(Vec<Space>),
    /// A dict of spaces, in key order.
    Dict(BTreeMap<String, Space>),
    /// A kind this binding does not describe (ANY, NONE, ...): only the kind.
    Other { kind: i32 },
}

fn opt_bound(value: f64, has: c_int) -> Option<f64> {
    (has != 0).then_some(value)
}

fn max_length(value: i64) -> Option<i64> {
    (value >= 0).then_some(value)
}

/// An owned `cgym_space_t`, freed on drop.
pub(crate) struct RawSpace(pub(crate) *mut sys::cgym_space_t);

impl Drop for RawSpace {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::cgym_space_free(self.0) }
    }
}

impl Space {
    /// The cgym.h kind (`CGYM_SPACE_*`).
    pub fn kind(&self) -> i32 {
        match self {
            Space::Discrete { .. } => sys::CGYM_SPACE_DISCRETE,
            Space::NamedDiscrete { .. } => sys::CGYM_SPACE_NAMED_DISCRETE,
            Space::Range { kind, .. } | Space::Box { kind, .. } | Space::Sequence { kind, .. } => {
                *kind
            }
            Space::String { .. } => sys::CGYM_SPACE_STRING,
            Space::SpaceSequence { .. } => sys::CGYM_SPACE_SPACE_SEQUENCE,
            Space::List(_) => sys::CGYM_SPACE_LIST,
            Space::Union(_) => sys::CGYM_SPACE_SPACE_UNION,
            Space::Dict(_) => sys::CGYM_SPACE_DICT,
            Space::Other { kind } => *kind,
        }
    }

    /// The names of a NamedDiscrete space.
    pub fn names(&self) -> Option<&[String]> {
        match self {
            Space::NamedDiscrete { names } => Some(names),
            _ => None,
        }
    }

    /// Copies a borrowed space.
    ///
    /// # Safety
    /// `space` is NULL or a valid `cgym_space_t` alive for the call.
    pub(crate) unsafe fn from_raw(space: *const sys::cgym_space_t) -> Result<Space> {
        let kind = sys::cgym_space_kind(space);
        Ok(match kind {
            sys::CGYM_SPACE_DISCRETE => {
                let mut n = 0i64;
                check(sys::cgym_space_discrete_n(space, &mut n))?;
                Space::Discrete { n }
            }
            sys::CGYM_SPACE_NAMED_DISCRETE => {
                let mut count = 0usize;
                check(sys::cgym_space_name_count(space, &mut count))?;
                let mut names = Vec::with_capacity(count);
                for index in 0..count {
                    let mut name: *const c_char = ptr::null();
                    check(sys::cgym_space_name_at(space, index, &mut name))?;
                    names.push(to_string_lossy(name));
                }
                Space::NamedDiscrete { names }
            }
            sys::CGYM_SPACE_BOOL_RANGE
            | sys::CGYM_SPACE_INT64_RANGE
            | sys::CGYM_SPACE_FLOAT_RANGE
            | sys::CGYM_SPACE_DOUBLE_RANGE => {
                let (min, max) = read_range(space)?;
                Space::Range { kind, min, max }
            }
            sys::CGYM_SPACE_STRING => {
                let (min_length, max) = read_lengths(space)?;
                Space::String {
                    min_length,
                    max_length: max_length(max),
                }
            }
            sys::CGYM_SPACE_BOOL_BOX
            | sys::CGYM_SPACE_BYTE_BOX
            | sys::CGYM_SPACE_INT64_BOX
            | sys::CGYM_SPACE_FLOAT_BOX
            | sys::CGYM_SPACE_DOUBLE_BOX => {
                let mut shape: *const u64 = ptr::null();
                let mut ndim = 0usize;
                check(sys::cgym_space_box_shape(space, &mut shape, &mut ndim))?;
                let shape = if shape.is_null() || ndim == 0 {
                    Vec::new()
                } else {
                    std::slice::from_raw_parts(shape, ndim).to_vec()
                };
                // A size query first, then the copy.
                let mut count = 0usize;
                check(sys::cgym_space_box_bounds(
                    space,
                    ptr::null_mut(),
                    ptr::null_mut(),
                    0,
                    &mut count,
                ))?;
                let mut low = vec![0f64; count];
                let mut high = vec![0f64; count];
                check(sys::cgym_space_box_bounds(
                    space,
                    low.as_mut_ptr(),
                    high.as_mut_ptr(),
                    count,
                    &mut count,
                ))?;
                low.truncate(count);
                high.truncate(count);
                Space::Box {
                    kind,
                    shape,
                    low,
                    high,
                }
            }
            sys::CGYM_SPACE_BOOL_SEQUENCE
            | sys::CGYM_SPACE_BYTE_SEQUENCE
            | sys::CGYM_SPACE_BYTES_SEQUENCE
            | sys::CGYM_SPACE_INT64_SEQUENCE
            | sys::CGYM_SPACE_FLOAT_SEQUENCE
            | sys::CGYM_SPACE_DOUBLE_SEQUENCE
            | sys::CGYM_SPACE_STRING_SEQUENCE => {
                let (min_length, max) = read_lengths(space)?;
                let (scalar_min, scalar_max) = match kind {
                    sys::CGYM_SPACE_BYTES_SEQUENCE | sys::CGYM_SPACE_STRING_SEQUENCE => {
                        (None, None)
                    }
                    _ => read_range(space)?,
                };
                Space::Sequence {
                    kind,
                    min_length,
                    max_length: max_length(max),
                    scalar_min,
                    scalar_max,
                }
            }
            sys::CGYM_SPACE_SPACE_SEQUENCE => {
                let (min_length, max) = read_lengths(space)?;
                let mut subspaces = read_subspaces(space)?;
                let element = if subspaces.is_empty() {
                    Space::Other {
                        kind: sys::CGYM_SPACE_NONE,
                    }
                } else {
                    subspaces.swap_remove(0).1
                };
                Space::SpaceSequence {
                    min_length,
                    max_length: max_length(max),
                    element: std::boxed::Box::new(element),
                }
            }
            sys::CGYM_SPACE_LIST => {
                Space::List(read_subspaces(space)?.into_iter().map(|(_, s)| s).collect())
            }
            sys::CGYM_SPACE_SPACE_UNION => {
                Space::Union(read_subspaces(space)?.into_iter().map(|(_, s)| s).collect())
            }
            sys::CGYM_SPACE_DICT => Space::Dict(
                read_subspaces(space)?
                    .into_iter()
                    .map(|(k, s)| (k.unwrap_or_default(), s))
                    .collect(),
            ),
            kind => Space::Other { kind },
        })
    }

    /// A new owned `cgym_space_t` describing this space.
    pub(crate) fn to_raw(&self) -> Result<RawSpace> {
        let mut out: *mut sys::cgym_space_t = ptr::null_mut();
        // SAFETY: every pointer passed is valid for the call; libcgym copies inputs.
        unsafe {
            match self {
                Space::Discrete { n } => check(sys::cgym_space_new_discrete(&mut out, *n))?,
                Space::NamedDiscrete { names } => {
                    let names = names
                        .iter()
                        .map(|n| cstring(n))
                        .collect::<Result<Vec<_>>>()?;
                    let pointers: Vec<*const c_char> = names.iter().map(|n| n.as_ptr()).collect();
                    check(sys::cgym_space_new_named_discrete(
                        &mut out,
                        pointers.as_ptr(),
                        pointers.len(),
                    ))?
                }
                Space::Range { kind, min, max } => check(sys::cgym_space_new_range(
                    &mut out,
                    *kind,
                    min.unwrap_or(0.0),
                    c_int::from(min.is_some()),
                    max.unwrap_or(0.0),
                    c_int::from(max.is_some()),
                ))?,
                Space::String {
                    min_length,
                    max_length,
                } => check(sys::cgym_space_new_string(
                    &mut out,
                    *min_length,
                    max_length.unwrap_or(-1),
                ))?,
                Space::Box {
                    kind,
                    shape,
                    low,
                    high,
                } => {
                    if low.len() != high.len() {
                        return Err(Error::new(
                            Code::INVALID_ARGUMENT,
                            "A box needs as many low bounds as high bounds",
                        ));
                    }
                    check(sys::cgym_space_new_box(
                        &mut out,
                        *kind,
                        shape.as_ptr(),
                        shape.len(),
                        low.as_ptr(),
                        high.as_ptr(),
                        low.len(),
                    ))?
                }
                Space::Sequence {
                    kind,
                    min_length,
                    max_length,
                    scalar_min,
                    scalar_max,
                } => check(sys::cgym_space_new_sequence(
                    &mut out,
                    *kind,
                    *min_length,
                    max_length.unwrap_or(-1),
                    scalar_min.unwrap_or(0.0),
                    c_int::from(scalar_min.is_some()),
                    scalar_max.unwrap_or(0.0),
                    c_int::from(scalar_max.is_some()),
                ))?,
                Space::SpaceSequence {
                    min_length,
                    max_length,
                    element,
                } => {
                    check(sys::cgym_space_new_sequence(
                        &mut out,
                        sys::CGYM_SPACE_SPACE_SEQUENCE,
                        *min_length,
                        max_length.unwrap_or(-1),
                        0.0,
                        0,
                        0.0,
                        0,
                    ))?;
                    let raw = RawSpace(out);
                    let element = element.to_raw()?;
                    check(sys::cgym_space_add(raw.0, ptr::null(), element.0))?;
                    return Ok(raw);
                }
                Space::List(items) | Space::Union(items) => {
                    check(sys::cgym_space_new_composite(&mut out, self.kind()))?;
                    let raw = RawSpace(out);
                    for item in items {
                        let item = item.to_raw()?;
                        check(sys::cgym_space_add(raw.0, ptr::null(), item.0))?;
                    }
                    return Ok(raw);
                }
                Space::Dict(entries) => {
                    check(sys::cgym_space_new_composite(
                        &mut out,
                        sys::CGYM_SPACE_DICT,
                    ))?;
                    let raw = RawSpace(out);
                    for (key, item) in entries {
                        let key = cstring(key)?;
                        let item = item.to_raw()?;
                        check(sys::cgym_space_add(raw.0, key.as_ptr(), item.0))?;
                    }
                    return Ok(raw);
                }
                Space::Other { kind } => {
                    return Err(Error::new(
                        Code::UNIMPLEMENTED,
                        format!("Cannot build a space of kind {kind}"),
                    ))
                }
            }
        }
        Ok(RawSpace(out))
    }
}

/// # Safety
/// `space` is a valid space.
unsafe fn read_range(space: *const sys::cgym_space_t) -> Result<(Option<f64>, Option<f64>)> {
    let (mut min, mut max) = (0f64, 0f64);
    let (mut has_min, mut has_max): (c_int, c_int) = (0, 0);
    check(sys::cgym_space_range(
        space,
        &mut min,
        &mut has_min,
        &mut max,
        &mut has_max,
    ))?;
    Ok((opt_bound(min, has_min), opt_bound(max, has_max)))
}

/// # Safety
/// `space` is a valid space.
unsafe fn read_lengths(space: *const sys::cgym_space_t) -> Result<(i64, i64)> {
    let (mut min, mut max) = (0i64, -1i64);
    check(sys::cgym_space_length_range(space, &mut min, &mut max))?;
    Ok((min, max))
}

/// # Safety
/// `space` is a valid composite space.
unsafe fn read_subspaces(space: *const sys::cgym_space_t) -> Result<Vec<(Option<String>, Space)>> {
    let mut count = 0usize;
    check(sys::cgym_space_subspace_count(space, &mut count))?;
    let mut out = Vec::with_capacity(count);
    for index in 0..count {
        let mut key: *const c_char = ptr::null();
        let mut sub: *const sys::cgym_space_t = ptr::null();
        check(sys::cgym_space_subspace_at(
            space, index, &mut key, &mut sub,
        ))?;
        let key = (!key.is_null()).then(|| to_string_lossy(key));
        out.push((key, Space::from_raw(sub)?));
    }
    Ok(out)
}

/// A named action space (ActionSpace).
#[derive(Clone, Debug, PartialEq)]
pub struct ActionSpace {
    pub name: String,
    pub space: Space,
}

impl ActionSpace {
    /// An action space named `name`.
    pub fn new(name: impl Into<String>, space: Space) -> ActionSpace {
        ActionSpace {
            name: name.into(),
            space,
        }
    }

    /// # Safety
    /// `space` is NULL or a valid action space alive for the call.
    pub(crate) unsafe fn from_raw(space: *const sys::cgym_action_space_t) -> Result<ActionSpace> {
        Ok(ActionSpace {
            name: to_string_lossy(sys::cgym_action_space_name(space)),
            space: Space::from_raw(sys::cgym_action_space_space(space))?,
        })
    }

    /// The names of a NamedDiscrete action space.
    pub fn names(&self) -> Option<&[String]> {
        self.space.names()
    }

    /// A new owned `cgym_action_space_t` describing this action space.
    pub(crate) fn to_raw(&self) -> Result<RawActionSpace> {
        let name = cstring(&self.name)?;
        let inner = self.space.to_raw()?;
        let mut out = ptr::null_mut();
        // SAFETY: valid pointers for the call; libcgym copies them; out becomes owned.
        check(unsafe { sys::cgym_action_space_new(&mut out, name.as_ptr(), inner.0) })?;
        Ok(RawActionSpace(out))
    }

    /// The action space as serialized compiler_gym.ActionSpace protobuf bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let raw = self.to_raw()?;
        let mut data: *mut c_void = ptr::null_mut();
        let mut length = 0usize;
        // SAFETY: raw is valid; data becomes owned and is copied and freed at once.
        unsafe {
            check(sys::cgym_action_space_serialize(
                raw.0,
                &mut data,
                &mut length,
            ))?;
            Ok(take_owned_bytes(data, length))
        }
    }

    /// An action space parsed from serialized compiler_gym.ActionSpace bytes
    /// (INVALID_ARGUMENT if malformed).
    pub fn from_bytes(bytes: &[u8]) -> Result<ActionSpace> {
        let mut out = ptr::null_mut();
        // SAFETY: bytes is valid for its length; out becomes owned.
        check(unsafe {
            sys::cgym_action_space_parse(&mut out, bytes.as_ptr() as *const c_void, bytes.len())
        })?;
        let raw = RawActionSpace(out);
        // SAFETY: a valid owned action space for the call.
        unsafe { ActionSpace::from_raw(raw.0) }
    }
}

/// An owned `cgym_action_space_t`, freed on drop.
pub(crate) struct RawActionSpace(pub(crate) *mut sys::cgym_action_space_t);

impl Drop for RawActionSpace {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::cgym_action_space_free(self.0) }
    }
}

/// An owned `cgym_observation_space_t`, freed on drop.
pub(crate) struct RawObservationSpace(pub(crate) *mut sys::cgym_observation_space_t);

impl Drop for RawObservationSpace {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::cgym_observation_space_free(self.0) }
    }
}

/// Copies a buffer libcgym returned as owned and frees it with `cgym_free`.
///
/// # Safety
/// `data` is NULL or an owned buffer of `length` bytes returned by libcgym.
unsafe fn take_owned_bytes(data: *mut c_void, length: usize) -> Vec<u8> {
    let bytes = bytes_of(data as *const u8, length).to_vec();
    sys::cgym_free(data);
    bytes
}

/// A named observation space with its flags and default observation (ObservationSpace).
#[derive(Clone, Debug, PartialEq)]
pub struct ObservationSpace {
    pub name: String,
    pub space: Space,
    pub deterministic: bool,
    pub platform_dependent: bool,
    /// The observation used when a step fails; `Event::None` for none.
    pub default_observation: Event,
}

impl ObservationSpace {
    /// An observation space named `name`: deterministic, not platform dependent, without a
    /// default observation.
    pub fn new(name: impl Into<String>, space: Space) -> ObservationSpace {
        ObservationSpace {
            name: name.into(),
            space,
            deterministic: true,
            platform_dependent: false,
            default_observation: Event::None,
        }
    }

    /// # Safety
    /// `space` is NULL or a valid observation space alive for the call.
    pub(crate) unsafe fn from_raw(
        space: *const sys::cgym_observation_space_t,
    ) -> Result<ObservationSpace> {
        Ok(ObservationSpace {
            name: to_string_lossy(sys::cgym_observation_space_name(space)),
            space: Space::from_raw(sys::cgym_observation_space_space(space))?,
            deterministic: sys::cgym_observation_space_deterministic(space) != 0,
            platform_dependent: sys::cgym_observation_space_platform_dependent(space) != 0,
            default_observation: Event::from_raw(sys::cgym_observation_space_default(space))?,
        })
    }

    /// A new owned `cgym_observation_space_t` describing this observation space.
    pub(crate) fn to_raw(&self) -> Result<RawObservationSpace> {
        let name = cstring(&self.name)?;
        let inner = self.space.to_raw()?;
        let default = match self.default_observation {
            Event::None => None,
            ref event => Some(event.to_raw()?),
        };
        let mut out = ptr::null_mut();
        // SAFETY: valid pointers for the call; libcgym copies them; out becomes owned.
        check(unsafe {
            sys::cgym_observation_space_new(
                &mut out,
                name.as_ptr(),
                inner.0,
                c_int::from(self.deterministic),
                c_int::from(self.platform_dependent),
                default.as_ref().map_or(ptr::null(), |e| e.0 as *const _),
            )
        })?;
        Ok(RawObservationSpace(out))
    }

    /// The observation space as serialized compiler_gym.ObservationSpace protobuf bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let raw = self.to_raw()?;
        let mut data: *mut c_void = ptr::null_mut();
        let mut length = 0usize;
        // SAFETY: raw is valid; data becomes owned and is copied and freed at once.
        unsafe {
            check(sys::cgym_observation_space_serialize(
                raw.0,
                &mut data,
                &mut length,
            ))?;
            Ok(take_owned_bytes(data, length))
        }
    }

    /// An observation space parsed from serialized compiler_gym.ObservationSpace bytes
    /// (INVALID_ARGUMENT if malformed).
    pub fn from_bytes(bytes: &[u8]) -> Result<ObservationSpace> {
        let mut out = ptr::null_mut();
        // SAFETY: bytes is valid for its length; out becomes owned.
        check(unsafe {
            sys::cgym_observation_space_parse(
                &mut out,
                bytes.as_ptr() as *const c_void,
                bytes.len(),
            )
        })?;
        let raw = RawObservationSpace(out);
        // SAFETY: a valid owned observation space for the call.
        unsafe { ObservationSpace::from_raw(raw.0) }
    }
}
