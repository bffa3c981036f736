// SPDX-License-Identifier: MIT
//! Finds libcgym and links it, the first way that applies:
//!   1. `CGYM_LIBRARY_DIR`: a directory holding libcgym.so (a build tree, as the repository's
//!      scripts and tests use: build/release), linked with an rpath to it;
//!   2. the feature `bundled`: libcgym built from this repository with CMake and installed
//!      into OUT_DIR (only when this crate is used from a checkout: a path or git dependency);
//!   3. pkg-config's `cgym` (cgym.pc of an installed libcgym: `cmake --install`, or the
//!      libcgym-dev Debian package), with the version of cgym.h these bindings declare.
//!
//! Dependents' build scripts get the library's directory as `DEP_CGYM_LIBRARY_DIR` and the
//! directory of cgym.h as `DEP_CGYM_INCLUDE_DIR` (from the `links = "cgym"` metadata).
use std::env;
use std::path::{Path, PathBuf};

/// Where libcgym was found.
struct Found {
    library_dir: PathBuf,
    include_dir: Option<PathBuf>,
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CGYM_LIBRARY_DIR");
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    // The repository holding this crate, if it is a checkout (not a packaged crate).
    let repository = manifest_dir.join("../../..");
    let repository = repository
        .join("include/cgym.h")
        .is_file()
        .then(|| canonical(&repository));

    let found = match env::var_os("CGYM_LIBRARY_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => from_directory(Path::new(&dir), repository.as_deref()),
        None if env::var_os("CARGO_FEATURE_BUNDLED").is_some() => bundled(repository.as_deref()),
        None => from_pkg_config(),
    };

    // The rpath serves this crate's own tests; dependents read DEP_CGYM_LIBRARY_DIR (cargo
    // passes link arguments of a build script to its own package's binaries only).
    println!(
        "cargo:rustc-link-arg=-Wl,-rpath,{}",
        found.library_dir.display()
    );
    println!("cargo:library_dir={}", found.library_dir.display());
    if let Some(include) = &found.include_dir {
        println!("cargo:include_dir={}", include.display());
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn link(library_dir: &Path) {
    println!("cargo:rustc-link-search=native={}", library_dir.display());
    println!("cargo:rustc-link-lib=dylib=cgym");
}

/// Way 1, CGYM_LIBRARY_DIR. cgym.h is the repository's, when there is one.
fn from_directory(given: &Path, repository: Option<&Path>) -> Found {
    // Build scripts run in the package's directory, so a relative path is taken from there.
    let dir = canonical(given);
    if !dir.join("libcgym.so").exists() && !dir.join("libcgym.dylib").exists() {
        fail(&format!(
            "CGYM_LIBRARY_DIR={} holds no libcgym.so{}: set it to a build directory of \
             libcgym (the repository's scripts/build.sh build/release makes one), or unset it \
             to use an installed libcgym",
            given.display(),
            if given.is_relative() {
                " (a relative path is taken from cgym-sys's directory: give an absolute one)"
            } else {
                ""
            }
        ));
    }
    link(&dir);
    Found {
        library_dir: dir,
        include_dir: repository.map(|r| r.join("include")),
    }
}

/// Way 3, pkg-config: libcgym with the MAJOR.MINOR of cgym.h (this crate's version; before 1.0 a
/// minor version may change the ABI, as libcgym's CMake package says).
fn from_pkg_config() -> Found {
    let major: u32 = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap();
    let minor: u32 = env!("CARGO_PKG_VERSION_MINOR").parse().unwrap();
    let (low, high) = if major == 0 {
        (format!("0.{minor}"), format!("0.{}", minor + 1))
    } else {
        (format!("{major}"), format!("{}", major + 1))
    };
    match pkg_config::Config::new()
        .range_version(low.as_str()..high.as_str())
        .probe("cgym")
    {
        Ok(library) => {
            let library_dir = pkg_config::get_variable("cgym", "libdir")
                .ok()
                .map(PathBuf::from)
                .or_else(|| library.link_paths.first().cloned())
                .unwrap_or_else(|| fail("pkg-config's cgym.pc has no libdir"));
            Found {
                library_dir: canonical(&library_dir),
                include_dir: library.include_paths.first().map(|p| canonical(p)),
            }
        }
        Err(error) => fail(&format!(
            "pkg-config found no libcgym {low}.x:\n{error}\n\
             Install libcgym and pkg-config (from libcgym's repository: `cmake --install \
             build/release` then `ldconfig`, or `--prefix DIR` and \
             PKG_CONFIG_PATH=DIR/lib/pkgconfig; or its Debian package libcgym-dev), or set \
             CGYM_LIBRARY_DIR to a build directory of libcgym, or enable the feature `bundled` \
             (of cgym or cgym-sys) to build it from the repository (a path or git dependency)"
        )),
    }
}

/// Way 2, the feature `bundled`: the repository's CMake project, built and installed into OUT_DIR
/// (lib/, libexec/cgym/ with the LLVM service and plugin, share/cgym/), where libcgym finds
/// its services relative to itself. Without tests and benchmarks; with the LLVM environment,
/// which needs Debian's llvm-16-dev (set CGYM_BUNDLED_LLVM=OFF to leave it out).
#[cfg(feature = "bundled")]
fn bundled(repository: Option<&Path>) -> Found {
    let Some(repository) = repository else {
        fail(
            "the feature `bundled` builds libcgym from its repository, but this cgym-sys is \
             not inside a checkout of it: depend on cgym-sys by path (or git), or install \
             libcgym and drop the feature",
        )
    };
    for input in [
        "CMakeLists.txt",
        "cmake",
        "include",
        "src",
        "services",
        "proto",
    ] {
        println!(
            "cargo:rerun-if-changed={}",
            repository.join(input).display()
        );
    }
    println!("cargo:rerun-if-env-changed=CGYM_BUNDLED_LLVM");
    let llvm = env::var("CGYM_BUNDLED_LLVM").unwrap_or_else(|_| "ON".into());
    let prefix = cmake::Config::new(repository)
        .profile("Release")
        .define("CGYM_BUILD_TESTS", "OFF")
        .define("CGYM_BUILD_BENCH", "OFF")
        .define("CGYM_BUILD_LLVM", llvm)
        .define("CGYM_INSTALL", "ON")
        .define("CMAKE_INSTALL_LIBDIR", "lib")
        .build();
    let library_dir = prefix.join("lib");
    link(&library_dir);
    Found {
        library_dir,
        include_dir: Some(prefix.join("include")),
    }
}

#[cfg(not(feature = "bundled"))]
fn bundled(_: Option<&Path>) -> Found {
    unreachable!("CARGO_FEATURE_BUNDLED without the feature")
}

fn fail(message: &str) -> ! {
    panic!("\n\ncgym-sys: {message}\n\n");
}
