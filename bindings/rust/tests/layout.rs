// SPDX-License-Identifier: MIT
//! The `#[repr(C)]` structs of `cgym::sys` against `include/cgym.h`: sizes and field offsets
//! printed by a C program compiled with the system's C compiler (`cc`, or $CC), and the
//! values derived by reading the header for LP64 targets.
use std::mem::{offset_of, size_of};
use std::process::Command;

use cgym::sys::{cgym_reward_vtable_t, cgym_session_vtable_t};

const PROGRAM: &str = r#"
#include <stddef.h>
#include <stdio.h>
#include "cgym.h"
#define F(T, f) printf(#T "." #f " %zu\n", offsetof(T, f))
int main(void) {
  printf("cgym_session_vtable_t %zu\n", sizeof(cgym_session_vtable_t));
  F(cgym_session_vtable_t, version); F(cgym_session_vtable_t, init);
  F(cgym_session_vtable_t, fork); F(cgym_session_vtable_t, apply_action);
  F(cgym_session_vtable_t, get_observation); F(cgym_session_vtable_t, end_of_step);
  F(cgym_session_vtable_t, handle_session_parameter); F(cgym_session_vtable_t, destroy);
  F(cgym_session_vtable_t, compiler_version); F(cgym_session_vtable_t, service_data_free);
  printf("cgym_reward_vtable_t %zu\n", sizeof(cgym_reward_vtable_t));
  F(cgym_reward_vtable_t, version); F(cgym_reward_vtable_t, reset);
  F(cgym_reward_vtable_t, update); F(cgym_reward_vtable_t, clone);
  F(cgym_reward_vtable_t, destroy);
  printf("CGYM_SESSION_VTABLE_VERSION %d\n", CGYM_SESSION_VTABLE_VERSION);
  printf("CGYM_ABI_VERSION %d\n", CGYM_ABI_VERSION);
  printf("CGYM_REWARD_VTABLE_VERSION %d\n", CGYM_REWARD_VTABLE_VERSION);
  printf("CGYM_VERSION_NUMBER %d\n", CGYM_VERSION_NUMBER);
  printf("CGYM_CALLBACK_ERROR %d\n", CGYM_CALLBACK_ERROR);
  printf("CGYM_EVENT_ANY %d\n", CGYM_EVENT_ANY);
  printf("CGYM_SPACE_SPACE_UNION %d\n", CGYM_SPACE_SPACE_UNION);
  printf("CGYM_COST_REWARD_DELTA %d\n", CGYM_COST_REWARD_DELTA);
  printf("CGYM_COST_REWARD_NORMALIZED %d\n", CGYM_COST_REWARD_NORMALIZED);
  printf("CGYM_COST_REWARD_BASELINE %d\n", CGYM_COST_REWARD_BASELINE);
  printf("cgym_cost_reward_kind_t %zu\n", sizeof(cgym_cost_reward_kind_t));
  printf("CGYM_AUTORESET_NEXT_STEP %d\n", CGYM_AUTORESET_NEXT_STEP);
  printf("CGYM_AUTORESET_SAME_STEP %d\n", CGYM_AUTORESET_SAME_STEP);
  printf("CGYM_AUTORESET_DISABLED %d\n", CGYM_AUTORESET_DISABLED);
  printf("cgym_autoreset_mode_t %zu\n", sizeof(cgym_autoreset_mode_t));
  return 0;
}
"#;

fn rust_values() -> Vec<(String, usize)> {
    macro_rules! f {
        ($t:ident, $f:ident) => {
            (
                format!("{}.{}", stringify!($t), stringify!($f)),
                offset_of!($t, $f),
            )
        };
    }
    vec![
        (
            "cgym_session_vtable_t".into(),
            size_of::<cgym_session_vtable_t>(),
        ),
        f!(cgym_session_vtable_t, version),
        f!(cgym_session_vtable_t, init),
        f!(cgym_session_vtable_t, fork),
        f!(cgym_session_vtable_t, apply_action),
        f!(cgym_session_vtable_t, get_observation),
        f!(cgym_session_vtable_t, end_of_step),
        f!(cgym_session_vtable_t, handle_session_parameter),
        f!(cgym_session_vtable_t, destroy),
        f!(cgym_session_vtable_t, compiler_version),
        f!(cgym_session_vtable_t, service_data_free),
        (
            "cgym_reward_vtable_t".into(),
            size_of::<cgym_reward_vtable_t>(),
        ),
        f!(cgym_reward_vtable_t, version),
        f!(cgym_reward_vtable_t, reset),
        f!(cgym_reward_vtable_t, update),
        f!(cgym_reward_vtable_t, clone),
        f!(cgym_reward_vtable_t, destroy),
        (
            "CGYM_SESSION_VTABLE_VERSION".into(),
            cgym::sys::CGYM_SESSION_VTABLE_VERSION as usize,
        ),
        (
            "CGYM_ABI_VERSION".into(),
            cgym::sys::CGYM_ABI_VERSION as usize,
        ),
        (
            "CGYM_REWARD_VTABLE_VERSION".into(),
            cgym::sys::CGYM_REWARD_VTABLE_VERSION as usize,
        ),
        (
            "CGYM_VERSION_NUMBER".into(),
            (cgym::sys::CGYM_VERSION_MAJOR * 10000
                + cgym::sys::CGYM_VERSION_MINOR * 100
                + cgym::sys::CGYM_VERSION_PATCH) as usize,
        ),
        (
            "CGYM_CALLBACK_ERROR".into(),
            cgym::sys::CGYM_CALLBACK_ERROR as usize,
        ),
        ("CGYM_EVENT_ANY".into(), cgym::sys::CGYM_EVENT_ANY as usize),
        (
            "CGYM_SPACE_SPACE_UNION".into(),
            cgym::sys::CGYM_SPACE_SPACE_UNION as usize,
        ),
        (
            "CGYM_COST_REWARD_DELTA".into(),
            cgym::sys::CGYM_COST_REWARD_DELTA as usize,
        ),
        (
            "CGYM_COST_REWARD_NORMALIZED".into(),
            cgym::sys::CGYM_COST_REWARD_NORMALIZED as usize,
        ),
        (
            "CGYM_COST_REWARD_BASELINE".into(),
            cgym::sys::CGYM_COST_REWARD_BASELINE as usize,
        ),
        (
            "cgym_cost_reward_kind_t".into(),
            size_of::<cgym::sys::cgym_cost_reward_kind_t>(),
        ),
        (
            "CGYM_AUTORESET_NEXT_STEP".into(),
            cgym::sys::CGYM_AUTORESET_NEXT_STEP as usize,
        ),
        (
            "CGYM_AUTORESET_SAME_STEP".into(),
            cgym::sys::CGYM_AUTORESET_SAME_STEP as usize,
        ),
        (
            "CGYM_AUTORESET_DISABLED".into(),
            cgym::sys::CGYM_AUTORESET_DISABLED as usize,
        ),
        (
            "cgym_autoreset_mode_t".into(),
            size_of::<cgym::sys::cgym_autoreset_mode_t>(),
        ),
    ]
}

#[test]
fn layout_matches_the_header_compiled_by_cc() {
    let include = env!("CGYM_CRATE_INCLUDE_DIR");
    assert!(
        std::path::Path::new(include).join("cgym.h").is_file(),
        "cgym.h not found in {include}"
    );
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layout");
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("layout.c");
    let binary = dir.join("layout");
    std::fs::write(&source, PROGRAM).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&cc)
        .args(["-std=c99", "-Wall", "-Werror", "-I", include, "-o"])
        .arg(&binary)
        .arg(&source)
        .status()
        .unwrap_or_else(|e| panic!("running the C compiler {cc:?}: {e}"));
    assert!(status.success(), "compiling {}", source.display());
    let output = Command::new(&binary).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let c_values: Vec<(String, usize)> = text
        .lines()
        .map(|line| {
            let (name, value) = line.rsplit_once(' ').unwrap();
            (name.to_string(), value.parse().unwrap())
        })
        .collect();
    assert_eq!(rust_values(), c_values);
}

#[cfg(target_pointer_width = "64")]
#[test]
fn layout_matches_the_header_read_by_hand() {
    // uint32_t version, 4 bytes of padding, then 9 function pointers of 8 bytes (version 2
    // appended service_data_free).
    assert_eq!(size_of::<cgym_session_vtable_t>(), 80);
    assert_eq!(offset_of!(cgym_session_vtable_t, init), 8);
    assert_eq!(offset_of!(cgym_session_vtable_t, get_observation), 32);
    assert_eq!(offset_of!(cgym_session_vtable_t, destroy), 56);
    assert_eq!(offset_of!(cgym_session_vtable_t, compiler_version), 64);
    assert_eq!(offset_of!(cgym_session_vtable_t, service_data_free), 72);
    // uint32_t version, padding, then 4 function pointers.
    assert_eq!(size_of::<cgym_reward_vtable_t>(), 40);
    assert_eq!(offset_of!(cgym_reward_vtable_t, destroy), 32);
    // Nullable function pointers are pointer-sized.
    assert_eq!(
        size_of::<Option<unsafe extern "C" fn()>>(),
        size_of::<*const u8>()
    );
}
