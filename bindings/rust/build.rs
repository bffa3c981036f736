// SPDX-License-Identifier: MIT
//! Links libcgym from `CGYM_LIBRARY_DIR` (default: `../../build/release` relative to this
//! crate), with an rpath to that directory so tests and examples run without
//! LD_LIBRARY_PATH.
use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=CGYM_LIBRARY_DIR");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let dir = match env::var_os("CGYM_LIBRARY_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => manifest_dir.join("../../build/release"),
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    if !dir.join("libcgym.so").exists() && !dir.join("libcgym.dylib").exists() {
        println!(
            "cargo:warning=libcgym not found in {} (set CGYM_LIBRARY_DIR to a build of libcgym)",
            dir.display()
        );
    }
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rustc-link-lib=dylib=cgym");
    // The rpath of every binary linked against this crate (tests, examples, dependents).
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
    // For this crate's tests, which look for the LLVM environment in the build tree.
    println!("cargo:rustc-env=CGYM_CRATE_LIBRARY_DIR={}", dir.display());
    // For dependents' build scripts (DEP_CGYM_LIBRARY_DIR).
    println!("cargo:library_dir={}", dir.display());
    let include = manifest_dir.join("../../include");
    let include = include.canonicalize().unwrap_or(include);
    println!(
        "cargo:rustc-env=CGYM_CRATE_INCLUDE_DIR={}",
        include.display()
    );
}
