// SPDX-License-Identifier: MIT
//! `cgym::make` and the variables that locate the LLVM environment (CGYM_LLVM_SERVICE,
//! CGYM_LLVM_PLUGIN). Environment variables belong to the whole process and the tests of one
//! binary run in parallel threads, so these checks live in a binary of their own, in one
//! test, one after the other.
use std::path::Path;

use cgym::{Code, ErrorKind, Options};

const VARIABLES: [&str; 2] = ["CGYM_LLVM_SERVICE", "CGYM_LLVM_PLUGIN"];

/// Restores the variables as they were when dropped, even if the test fails.
struct Restore(Vec<(&'static str, Option<std::ffi::OsString>)>);

impl Drop for Restore {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

#[track_caller]
fn expect_not_supported(result: cgym::Result<cgym::Env>, variable: &str) {
    let error = match result {
        Ok(env) => panic!("expected ENVIRONMENT_NOT_SUPPORTED, got {env:?}"),
        Err(error) => error,
    };
    assert_eq!(error.code(), Code::ENVIRONMENT_NOT_SUPPORTED, "{error}");
    assert_eq!(error.kind(), ErrorKind::EnvironmentNotSupported);
    // CompilerGym's EnvironmentNotSupported is a ServiceInitError.
    assert!(error.is_a(Code::SERVICE_INIT), "{error}");
    // The message names the variable to set.
    assert!(error.message().contains(variable), "{error}");
}

#[test]
fn make_locates_the_llvm_environment() {
    let _restore = Restore(
        VARIABLES
            .iter()
            .map(|name| (*name, std::env::var_os(name)))
            .collect(),
    );
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-llvm-environment");
    assert!(!missing.exists());

    // Variables naming missing files: ENVIRONMENT_NOT_SUPPORTED, for every id. The plugin
    // is checked before anything in this process registers it.
    std::env::set_var("CGYM_LLVM_SERVICE", missing.join("cgym-llvm-service"));
    std::env::set_var("CGYM_LLVM_PLUGIN", missing.join("libcgym-llvm.so"));
    for id in cgym::env_ids().unwrap() {
        let error = cgym::service_path(&id).unwrap_err();
        assert_eq!(error.code(), Code::ENVIRONMENT_NOT_SUPPORTED, "{error}");
        let error = cgym::plugin_path(&id).unwrap_err();
        assert_eq!(error.code(), Code::ENVIRONMENT_NOT_SUPPORTED, "{error}");
        expect_not_supported(cgym::make(&id, None, None), "CGYM_LLVM_SERVICE");
        expect_not_supported(cgym::make(&id, Some("inproc"), None), "CGYM_LLVM_PLUGIN");
    }
    // An unknown id is NOT_FOUND before the environment is looked for.
    let error = cgym::make("llvm-v9", None, None).unwrap_err();
    assert_eq!(error.code(), Code::NOT_FOUND, "{error}");

    // Without the variables, make() finds the service and the plugin next to libcgym, in its
    // build tree (services/llvm).
    for name in VARIABLES {
        std::env::remove_var(name);
    }
    let built = Path::new(env!("CGYM_CRATE_LIBRARY_DIR")).join("services/llvm");
    if !built.join("cgym-llvm-service").is_file() || !built.join("libcgym-llvm.so").is_file() {
        eprintln!(
            "skipped the search next to libcgym: no LLVM environment in {}",
            built.display()
        );
        return;
    }
    let same_file = |a: &Path, b: &Path| a.canonicalize().unwrap() == b.canonicalize().unwrap();
    let service = cgym::service_path("llvm-v0").unwrap();
    assert!(
        same_file(&service, &built.join("cgym-llvm-service")),
        "{}",
        service.display()
    );
    let plugin = cgym::plugin_path("llvm-v0").unwrap();
    assert!(
        same_file(&plugin, &built.join("libcgym-llvm.so")),
        "{}",
        plugin.display()
    );
    let options = Options::new()
        .benchmark("benchmark://cgym-v0/fibonacci")
        .init_max_seconds(60.0)
        .local_service_exit_max_seconds(30.0);
    for endpoint in [None, Some("inproc")] {
        let mut env = cgym::make("llvm-ic-v0", endpoint, Some(&options))
            .unwrap_or_else(|e| panic!("make(llvm-ic-v0, {endpoint:?}): {e}"));
        env.reset().unwrap();
        let (done, reward) = env.step_name("-mem2reg").unwrap();
        assert!(!done);
        assert!(reward > 0.0, "{endpoint:?}: {reward}");
        env.close().unwrap();
    }
}
