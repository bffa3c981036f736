// SPDX-License-Identifier: MIT
//! Datasets and benchmarks of the environments of [`make`](crate::make): the bundled
//! programs ("benchmark://cgym-v0"), random program generators ("generator://csmith-v0",
//! "generator://llvm-stress-v0"), a directory of the user's sources ("file:///ABSOLUTE/DIR"),
//! and benchmarks made from the user's files or source code with clang
//! ([`make_benchmark`], [`make_benchmark_from_source`]).
use std::ffi::{c_char, c_void, CString};
use std::fmt;
use std::iter::FusedIterator;
use std::path::Path;
use std::ptr;

use crate::env::Env;
use crate::error::{check, Code, Error, Result};
use crate::options::Options;
use crate::sys;
use crate::util::{bytes_of, cstring, cstring_array, take_owned_string, take_owned_strings};

/// The datasets of env id `env_id`, in libcgym's order: "benchmark://cgym-v0",
/// "generator://csmith-v0", "generator://llvm-stress-v0". NOT_FOUND for an unknown id.
pub fn datasets(env_id: &str) -> Result<Vec<Dataset>> {
    let env_id = cstring(env_id)?;
    let mut names: *mut *mut c_char = ptr::null_mut();
    let mut count = 0usize;
    // SAFETY: valid string and out-pointers; names becomes an owned array of `count` owned
    // strings, copied and freed at once.
    let names = unsafe {
        check(sys::cgym_datasets(env_id.as_ptr(), &mut names, &mut count))?;
        take_owned_strings(names, count)
    };
    Ok(names.into_iter().map(Dataset::new).collect())
}

/// A dataset, by name. Every method asks libcgym, so a `Dataset` is just its name: one made
/// with [`Dataset::new`] for a dataset that does not exist fails (NOT_FOUND) when used.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Dataset {
    name: String,
}

/// What [`Dataset::info`] reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetInfo {
    /// The dataset's description, if it has one.
    pub description: Option<String>,
    /// The number of benchmarks: 0 for a generator, whose benchmarks never end (as
    /// CompilerGym reports them).
    pub size: u64,
}

impl Dataset {
    /// The dataset `name`, e.g. "benchmark://cgym-v0" or "file:///home/me/src".
    pub fn new(name: impl Into<String>) -> Dataset {
        Dataset { name: name.into() }
    }

    /// The dataset's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its description and size. NOT_FOUND for an unknown dataset or a missing directory.
    pub fn info(&self) -> Result<DatasetInfo> {
        let name = cstring(&self.name)?;
        let mut description: *mut c_char = ptr::null_mut();
        let mut size = 0u64;
        // SAFETY: valid string and out-pointers; description becomes owned (or stays NULL)
        // and is copied and freed at once.
        unsafe {
            check(sys::cgym_dataset_info(
                name.as_ptr(),
                &mut description,
                &mut size,
            ))?;
            let description = (!description.is_null()).then(|| take_owned_string(description));
            Ok(DatasetInfo { description, size })
        }
    }

    /// The URI of the `index`-th benchmark: the bundled programs in a fixed order, a
    /// directory's sources by name, a generator's seed `index`. OUT_OF_RANGE past the end (or
    /// past 2^32-1 for a generator); NOT_FOUND for an unknown dataset.
    pub fn benchmark_at(&self, index: u64) -> Result<String> {
        let name = cstring(&self.name)?;
        let mut uri: *mut c_char = ptr::null_mut();
        // SAFETY: valid string and out-pointer; uri becomes owned, copied and freed at once.
        unsafe {
            check(sys::cgym_dataset_benchmark_at(
                name.as_ptr(),
                index,
                &mut uri,
            ))?;
            Ok(take_owned_string(uri))
        }
    }

    /// A benchmark drawn uniformly with a generator seeded by `seed`: the same URI for the
    /// same seed (in every language).
    pub fn random_benchmark(&self, seed: u64) -> Result<String> {
        let name = cstring(&self.name)?;
        let mut uri: *mut c_char = ptr::null_mut();
        // SAFETY: as benchmark_at.
        unsafe {
            check(sys::cgym_dataset_random_benchmark(
                name.as_ptr(),
                seed,
                &mut uri,
            ))?;
            Ok(take_owned_string(uri))
        }
    }

    /// The benchmarks' URIs in order, from index 0: finite for the bundled programs and a
    /// directory, endless (up to seed 2^32-1) for a generator, so take what you need. An
    /// error other than the end (OUT_OF_RANGE) is yielded once, and ends the iteration.
    pub fn benchmarks(&self) -> Benchmarks {
        Benchmarks {
            dataset: self.clone(),
            next: 0,
            done: false,
        }
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The iterator of [`Dataset::benchmarks`].
#[derive(Clone, Debug)]
pub struct Benchmarks {
    dataset: Dataset,
    next: u64,
    done: bool,
}

impl Iterator for Benchmarks {
    type Item = Result<String>;

    fn next(&mut self) -> Option<Result<String>> {
        if self.done {
            return None;
        }
        match self.dataset.benchmark_at(self.next) {
            Ok(uri) => {
                self.next += 1;
                Some(Ok(uri))
            }
            // The end of the dataset (or of a generator's seeds).
            Err(e) if e.code() == Code::OUT_OF_RANGE => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl FusedIterator for Benchmarks {}

/// A benchmark made from the user's files or source code: its URI
/// ("benchmark://user-v0/...") and its program as LLVM bitcode. Set it as the benchmark of
/// an env with [`Env::set_user_benchmark`] or [`Options::user_benchmark`].
#[derive(Clone, PartialEq, Eq)]
pub struct UserBenchmark {
    /// "benchmark://user-v0/<time>-<hex>".
    pub uri: String,
    /// The program: an LLVM bitcode module.
    pub bitcode: Vec<u8>,
}

impl fmt::Debug for UserBenchmark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bitcode is long and binary: its size says enough.
        f.debug_struct("UserBenchmark")
            .field("uri", &self.uri)
            .field("bitcode_len", &self.bitcode.len())
            .finish()
    }
}

impl UserBenchmark {
    /// Copies the owned URI and bitcode that libcgym returned and frees them.
    ///
    /// # Safety
    /// `uri` and `bitcode` are owned by the caller, made by libcgym; `bitcode` holds
    /// `length` bytes.
    unsafe fn take(uri: *mut c_char, bitcode: *mut c_void, length: usize) -> UserBenchmark {
        let uri = take_owned_string(uri);
        let bytes = bytes_of(bitcode as *const u8, length).to_vec();
        sys::cgym_free(bitcode);
        UserBenchmark {
            uri,
            bitcode: bytes,
        }
    }
}

/// Makes a benchmark from the user's files, as CompilerGym's `make_benchmark()`: each .c,
/// .cc, .cpp or .cxx file is compiled with clang (unoptimised bitcode, then `copts`), .ll
/// files are assembled, .bc files taken as they are; several inputs are linked into one
/// module. clang is `CGYM_CLANG` if set, else the clang of libcgym's LLVM.
///
/// Errors: NOT_FOUND for a missing file; INVALID_ARGUMENT for no input or an unknown file
/// type; BENCHMARK_INIT with the compiler's message for a source that does not compile;
/// DEADLINE_EXCEEDED after 600 seconds.
pub fn make_benchmark<P: AsRef<Path>>(paths: &[P], copts: &[&str]) -> Result<UserBenchmark> {
    use std::os::unix::ffi::OsStrExt;
    let paths = paths
        .iter()
        .map(|p| {
            let p = p.as_ref();
            CString::new(p.as_os_str().as_bytes()).map_err(|_| {
                Error::new(
                    Code::INVALID_ARGUMENT,
                    format!("Path contains a NUL byte: {p:?}"),
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let path_pointers: Vec<*const c_char> = paths.iter().map(|p| p.as_ptr()).collect();
    let (_copts, copt_pointers) = cstring_array(copts)?;
    let mut uri: *mut c_char = ptr::null_mut();
    let mut bitcode: *mut c_void = ptr::null_mut();
    let mut length = 0usize;
    // SAFETY: the arrays hold valid strings for their lengths for the call; uri and bitcode
    // become owned and are copied and freed at once.
    unsafe {
        check(sys::cgym_make_benchmark(
            path_pointers.as_ptr(),
            path_pointers.len(),
            copt_pointers.as_ptr(),
            copt_pointers.len(),
            &mut uri,
            &mut bitcode,
            &mut length,
        ))?;
        Ok(UserBenchmark::take(uri, bitcode, length))
    }
}

/// [`make_benchmark`] from a string of source code in `language` "c" or "c++"
/// (INVALID_ARGUMENT otherwise).
pub fn make_benchmark_from_source(
    source: &str,
    language: &str,
    copts: &[&str],
) -> Result<UserBenchmark> {
    let source = cstring(source)?;
    let language = cstring(language)?;
    let (_copts, copt_pointers) = cstring_array(copts)?;
    let mut uri: *mut c_char = ptr::null_mut();
    let mut bitcode: *mut c_void = ptr::null_mut();
    let mut length = 0usize;
    // SAFETY: as make_benchmark.
    unsafe {
        check(sys::cgym_make_benchmark_from_source(
            source.as_ptr(),
            language.as_ptr(),
            copt_pointers.as_ptr(),
            copt_pointers.len(),
            &mut uri,
            &mut bitcode,
            &mut length,
        ))?;
        Ok(UserBenchmark::take(uri, bitcode, length))
    }
}

impl Env {
    /// The benchmark of the next reset: a benchmark made by [`make_benchmark`] (its URI with
    /// its program).
    pub fn set_user_benchmark(&mut self, benchmark: &UserBenchmark) -> Result<()> {
        self.set_benchmark(&benchmark.uri, Some(&benchmark.bitcode))
    }
}

impl Options {
    /// Sets the benchmark of the first reset to a benchmark made by [`make_benchmark`].
    pub fn user_benchmark(self, benchmark: &UserBenchmark) -> Options {
        self.benchmark_with_program(benchmark.uri.clone(), benchmark.bitcode.clone())
    }
}
