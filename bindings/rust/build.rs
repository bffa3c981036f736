// SPDX-License-Identifier: MIT
//! cgym-sys links libcgym (from CGYM_LIBRARY_DIR, pkg-config or the `bundled` build) and
//! tells this script where (`links = "cgym"` metadata). This crate's tests and examples get
//! an rpath to that directory, so that they run without LD_LIBRARY_PATH, and the tests its
//! path (to find the LLVM environment of a build tree).
use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let library_dir = env::var("DEP_CGYM_LIBRARY_DIR").expect("cgym-sys sets DEP_CGYM_LIBRARY_DIR");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{library_dir}");
    println!("cargo:rustc-env=CGYM_CRATE_LIBRARY_DIR={library_dir}");
}
