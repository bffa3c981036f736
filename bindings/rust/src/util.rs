// SPDX-License-Identifier: MIT
//! Small helpers for C strings and buffers.
use std::ffi::{c_char, CStr, CString};

use crate::error::{Code, Error, Result};

/// A NUL-terminated copy of `s`; INVALID_ARGUMENT if it holds a NUL byte.
pub(crate) fn cstring(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| {
        Error::new(
            Code::INVALID_ARGUMENT,
            format!("String contains a NUL byte: {s:?}"),
        )
    })
}

/// A copy of a borrowed C string ("" for NULL), invalid UTF-8 replaced.
///
/// # Safety
/// `p` is NULL or a valid NUL-terminated string.
pub(crate) unsafe fn to_string_lossy(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// A borrowed byte slice (empty for NULL or 0).
///
/// # Safety
/// `p` is NULL or valid for `length` bytes for the returned lifetime.
pub(crate) unsafe fn bytes_of<'a>(p: *const u8, length: usize) -> &'a [u8] {
    if p.is_null() || length == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p, length)
    }
}

/// Takes an owned C string from libcgym: copies it and frees it with `cgym_free`.
///
/// # Safety
/// `p` is NULL or an owned string returned by libcgym.
pub(crate) unsafe fn take_owned_string(p: *mut c_char) -> String {
    let s = to_string_lossy(p);
    crate::sys::cgym_free(p as *mut std::ffi::c_void);
    s
}

/// Takes an owned array of `count` owned C strings from libcgym: copies them and frees the
/// array with `cgym_free_strings`.
///
/// # Safety
/// `p` is NULL or an owned array of `count` strings returned by libcgym.
pub(crate) unsafe fn take_owned_strings(p: *mut *mut c_char, count: usize) -> Vec<String> {
    let out = if p.is_null() {
        Vec::new()
    } else {
        std::slice::from_raw_parts(p, count)
            .iter()
            .map(|&s| to_string_lossy(s))
            .collect()
    };
    crate::sys::cgym_free_strings(p, count);
    out
}

/// NUL-terminated copies of `strings` and an array of pointers to them, for a
/// `const char* const*` argument: the pointers live as long as the returned copies.
pub(crate) fn cstring_array<S: AsRef<str>>(
    strings: &[S],
) -> Result<(Vec<CString>, Vec<*const c_char>)> {
    let owned = strings
        .iter()
        .map(|s| cstring(s.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let pointers = owned.iter().map(|s| s.as_ptr()).collect();
    Ok((owned, pointers))
}
