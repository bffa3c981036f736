// SPDX-License-Identifier: MIT
//! Errors: a status code of cgym.h and the message of the failure.
//!
//! Every fallible call returns [`Result<T>`]. An [`Error`] holds the [`Code`] and the message
//! that libcgym recorded for the calling thread (`cgym_last_error_code()` and
//! `cgym_last_error_message()`), read right after the failing call on the same thread.
//! [`Error::kind`] places the code in CompilerGym's exception hierarchy (the classes cgym.h
//! names next to each code).
use std::ffi::CStr;
use std::fmt;

use crate::sys;

/// A status code of cgym.h (`cgym_status_t`): 0 is OK, 1 to 16 are gRPC's canonical codes,
/// 100 and up are CompilerGym's ServiceError family.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(pub i32);

impl Code {
    pub const OK: Code = Code(sys::CGYM_OK);
    pub const CANCELLED: Code = Code(sys::CGYM_CANCELLED);
    pub const UNKNOWN: Code = Code(sys::CGYM_UNKNOWN);
    pub const INVALID_ARGUMENT: Code = Code(sys::CGYM_INVALID_ARGUMENT);
    pub const DEADLINE_EXCEEDED: Code = Code(sys::CGYM_DEADLINE_EXCEEDED);
    pub const NOT_FOUND: Code = Code(sys::CGYM_NOT_FOUND);
    pub const ALREADY_EXISTS: Code = Code(sys::CGYM_ALREADY_EXISTS);
    pub const PERMISSION_DENIED: Code = Code(sys::CGYM_PERMISSION_DENIED);
    pub const RESOURCE_EXHAUSTED: Code = Code(sys::CGYM_RESOURCE_EXHAUSTED);
    pub const FAILED_PRECONDITION: Code = Code(sys::CGYM_FAILED_PRECONDITION);
    pub const ABORTED: Code = Code(sys::CGYM_ABORTED);
    pub const OUT_OF_RANGE: Code = Code(sys::CGYM_OUT_OF_RANGE);
    pub const UNIMPLEMENTED: Code = Code(sys::CGYM_UNIMPLEMENTED);
    pub const INTERNAL: Code = Code(sys::CGYM_INTERNAL);
    pub const UNAVAILABLE: Code = Code(sys::CGYM_UNAVAILABLE);
    pub const DATA_LOSS: Code = Code(sys::CGYM_DATA_LOSS);
    pub const UNAUTHENTICATED: Code = Code(sys::CGYM_UNAUTHENTICATED);
    pub const SESSION_NOT_FOUND: Code = Code(sys::CGYM_SESSION_NOT_FOUND);
    pub const SERVICE_INIT: Code = Code(sys::CGYM_SERVICE_INIT);
    pub const ENVIRONMENT_NOT_SUPPORTED: Code = Code(sys::CGYM_ENVIRONMENT_NOT_SUPPORTED);
    pub const SERVICE_TRANSPORT: Code = Code(sys::CGYM_SERVICE_TRANSPORT);
    pub const SERVICE_IS_CLOSED: Code = Code(sys::CGYM_SERVICE_IS_CLOSED);
    pub const BENCHMARK_INIT: Code = Code(sys::CGYM_BENCHMARK_INIT);
    pub const CALLBACK_ERROR: Code = Code(sys::CGYM_CALLBACK_ERROR);

    /// The code's name from `cgym_status_name()`, e.g. `"INVALID_ARGUMENT"`
    /// (`"UNKNOWN_CODE"` for a code cgym.h does not list).
    pub fn name(self) -> &'static str {
        // SAFETY: cgym_status_name never fails and returns a static NUL-terminated string.
        unsafe { CStr::from_ptr(sys::cgym_status_name(self.0)) }
            .to_str()
            .unwrap_or("UNKNOWN_CODE")
    }

    /// The parent of this code in CompilerGym's exception hierarchy (`cgym_status_parent()`),
    /// or `None` for a root (OK, INTERNAL, INVALID_ARGUMENT, ...) and unknown codes.
    pub fn parent(self) -> Option<Code> {
        // SAFETY: a pure function of its argument.
        let parent = unsafe { sys::cgym_status_parent(self.0) };
        if parent == sys::CGYM_OK {
            None
        } else {
            Some(Code(parent))
        }
    }

    /// The code and its ancestors, nearest first (`self` included).
    pub fn ancestry(self) -> Vec<Code> {
        let mut chain = vec![self];
        let mut code = self;
        while let Some(parent) = code.parent() {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            code = parent;
        }
        chain
    }

    /// Whether the code is INTERNAL or descends from it: a CompilerGym ServiceError.
    pub fn is_service_error(self) -> bool {
        // SAFETY: a pure function of its argument.
        unsafe { sys::cgym_status_is_service_error(self.0) != 0 }
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name(), self.0)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The class of an error in CompilerGym's exception hierarchy (cgym.h's status codes).
/// Codes without a class of their own take their nearest ancestor's, else `Service`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// INVALID_ARGUMENT (ValueError).
    InvalidArgument,
    /// DEADLINE_EXCEEDED (TimeoutError).
    Timeout,
    /// NOT_FOUND (FileNotFoundError).
    NotFound,
    /// RESOURCE_EXHAUSTED (ServiceOSError).
    ServiceOs,
    /// FAILED_PRECONDITION (TypeError).
    FailedPrecondition,
    /// UNIMPLEMENTED (NotImplementedError).
    Unimplemented,
    /// INTERNAL and the other gRPC codes (ServiceError).
    Service,
    /// SESSION_NOT_FOUND (SessionNotFound).
    SessionNotFound,
    /// SERVICE_INIT (ServiceInitError).
    ServiceInit,
    /// ENVIRONMENT_NOT_SUPPORTED (EnvironmentNotSupported, a ServiceInitError).
    EnvironmentNotSupported,
    /// SERVICE_TRANSPORT (ServiceTransportError).
    ServiceTransport,
    /// SERVICE_IS_CLOSED (ServiceIsClosed).
    ServiceIsClosed,
    /// BENCHMARK_INIT (BenchmarkInitError, a ValueError).
    BenchmarkInit,
    /// CALLBACK_ERROR: a callback (reward, session) failed.
    Callback,
}

impl ErrorKind {
    fn of_own_code(code: Code) -> Option<ErrorKind> {
        Some(match code {
            Code::INVALID_ARGUMENT => ErrorKind::InvalidArgument,
            Code::DEADLINE_EXCEEDED => ErrorKind::Timeout,
            Code::NOT_FOUND => ErrorKind::NotFound,
            Code::RESOURCE_EXHAUSTED => ErrorKind::ServiceOs,
            Code::FAILED_PRECONDITION => ErrorKind::FailedPrecondition,
            Code::UNIMPLEMENTED => ErrorKind::Unimplemented,
            Code::INTERNAL => ErrorKind::Service,
            Code::SESSION_NOT_FOUND => ErrorKind::SessionNotFound,
            Code::SERVICE_INIT => ErrorKind::ServiceInit,
            Code::ENVIRONMENT_NOT_SUPPORTED => ErrorKind::EnvironmentNotSupported,
            Code::SERVICE_TRANSPORT => ErrorKind::ServiceTransport,
            Code::SERVICE_IS_CLOSED => ErrorKind::ServiceIsClosed,
            Code::BENCHMARK_INIT => ErrorKind::BenchmarkInit,
            Code::CALLBACK_ERROR => ErrorKind::Callback,
            _ => return None,
        })
    }

    /// The kind of a code: its own class, else its nearest ancestor's, else `Service`.
    pub fn of(code: Code) -> ErrorKind {
        code.ancestry()
            .into_iter()
            .find_map(ErrorKind::of_own_code)
            .unwrap_or(ErrorKind::Service)
    }
}

/// A failed call: a status code and a message.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: Code,
    message: String,
}

/// `std::result::Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with this code and message, e.g. for a session to return.
    /// A code of 0 (OK) is turned into UNKNOWN: an error always has a failure code.
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        let code = if code == Code::OK {
            Code::UNKNOWN
        } else {
            code
        };
        Error {
            code,
            message: message.into(),
        }
    }

    /// INVALID_ARGUMENT with this message.
    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Code::INVALID_ARGUMENT, message)
    }

    /// The calling thread's last error (`cgym_last_error_code/_message`), with `status` as
    /// its code (the status a call just returned).
    pub(crate) fn last(status: sys::cgym_status_t) -> Error {
        // SAFETY: never NULL, valid until the thread's next call into libcgym; copied at once.
        let message = unsafe { CStr::from_ptr(sys::cgym_last_error_message()) }
            .to_string_lossy()
            .into_owned();
        Error::new(Code(status), message)
    }

    /// The status code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// The message libcgym (or the service) gave.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The parent of the code in CompilerGym's hierarchy (None for a root).
    pub fn parent(&self) -> Option<Code> {
        self.code.parent()
    }

    /// The class of the error in CompilerGym's hierarchy.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::of(self.code)
    }

    /// Whether the error is a CompilerGym ServiceError (INTERNAL or one of its descendants).
    pub fn is_service_error(&self) -> bool {
        self.code.is_service_error()
    }

    /// Whether the code is `code` or descends from it (like an `except` clause).
    pub fn is_a(&self, code: Code) -> bool {
        self.code.ancestry().contains(&code)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Error {{ code: {:?}, message: {:?} }}",
            self.code, self.message
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for Error {}

/// `Ok(())` for CGYM_OK, else the calling thread's last error.
pub(crate) fn check(status: sys::cgym_status_t) -> Result<()> {
    if status == sys::CGYM_OK {
        Ok(())
    } else {
        Err(Error::last(status))
    }
}
