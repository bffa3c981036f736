// SPDX-License-Identifier: MIT
//! Generates cgym-sys's `src/bindings.rs` from `include/cgym.h` with bindgen.
//!
//! Usage: `cgym-sys-gen HEADER OUTPUT` (`../generate.sh` passes both). The output depends only
//! on the header, this program, bindgen's version (pinned) and libclang's major version
//! (checked: Debian 12's libclang1-16, which clang-16 brings), so that CI can regenerate it
//! and compare.
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use bindgen::callbacks::{IntKind, ParseCallbacks};
use bindgen::{Formatter, RustEdition, RustTarget};

/// The libclang whose output is checked in: another major version may parse comments or name
/// types differently, which `generate.sh --check` would report as a diff.
const LIBCLANG_MAJOR: u32 = 16;
/// The oldest Rust the output compiles with (1.77: `offset_of!`, C-string literals).
const RUST_MINOR: u64 = 77;

/// Gives each integer macro of cgym.h its C type. cgym.h declares every set of codes right
/// after the `typedef int32_t T;` they belong to (`cgym_status_t`, `cgym_event_kind_t`...):
/// those macros get type `T`, as C code compares them with values of that type. Other integer
/// macros (versions, limits) are `u32`, bindgen's default.
#[derive(Debug)]
struct MacroTypes(HashMap<String, &'static str>);

impl MacroTypes {
    fn from_header(text: &str) -> MacroTypes {
        let mut types = HashMap::new();
        let mut current: Option<&'static str> = None;
        for line in text.lines().map(str::trim) {
            if let Some(name) = line
                .strip_prefix("typedef int32_t ")
                .and_then(|rest| rest.strip_suffix(';'))
            {
                // A leaked name per typedef: a handful, for a process that ends at once.
                current = Some(Box::leak(name.trim().to_string().into_boxed_str()));
            } else if let Some(rest) = line.strip_prefix("#define ") {
                if let (Some(kind), Some(name)) = (current, rest.split_whitespace().next()) {
                    types.insert(name.to_string(), kind);
                }
            } else if !(line.is_empty() || line.starts_with("/*") || line.starts_with('*')) {
                // Code other than the group's #defines and their comments ends the group.
                current = None;
            }
        }
        MacroTypes(types)
    }
}

impl ParseCallbacks for MacroTypes {
    fn int_macro(&self, name: &str, _value: i64) -> Option<IntKind> {
        self.0.get(name).map(|&name| IntKind::Custom {
            name,
            is_signed: true,
        })
    }
}

fn generate(header: &Path, output: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(header)
        .map_err(|e| format!("reading {}: {e}", header.display()))?;
    let clang = bindgen::clang_version();
    if clang.parsed.map(|(major, _)| major) != Some(LIBCLANG_MAJOR) {
        return Err(format!(
            "libclang {LIBCLANG_MAJOR} is required (found {:?}): install libclang1-{LIBCLANG_MAJOR}, \
             or set LIBCLANG_PATH to its directory (/usr/lib/llvm-{LIBCLANG_MAJOR}/lib)",
            clang.full
        ));
    }
    let rust_target = RustTarget::stable(RUST_MINOR, 0).map_err(|e| e.to_string())?;
    let bindings = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .clang_args(["-x", "c", "-std=c99"])
        .allowlist_function("cgym_.*")
        .allowlist_type("cgym_.*")
        .allowlist_var("CGYM_.*")
        .parse_callbacks(Box::new(MacroTypes::from_header(&text)))
        .rust_target(rust_target)
        .rust_edition(RustEdition::Edition2021)
        .use_core()
        .ctypes_prefix("::core::ffi")
        // size_t is usize (bindgen's default, made explicit).
        .size_t_is_usize(true)
        // Layouts are checked against the C compiler by tests/header.rs on the machine that
        // builds, rather than asserted for the machine that generated.
        .layout_tests(false)
        .derive_debug(true)
        .derive_copy(true)
        .derive_default(false)
        .merge_extern_blocks(true)
        .formatter(Formatter::Prettyplease)
        .disable_header_comment()
        .raw_line("// SPDX-License-Identifier: MIT")
        .raw_line(format!(
            "// Generated from include/cgym.h by bindings/rust/cgym-sys/generate.sh (bindgen as \
             pinned in cgym-sys/gen/Cargo.toml, libclang {LIBCLANG_MAJOR})."
        ))
        .raw_line("// Do not edit: change cgym.h, then run generate.sh.")
        .generate()
        .map_err(|e| format!("bindgen: {e}"))?;
    bindings
        .write_to_file(output)
        .map_err(|e| format!("writing {}: {e}", output.display()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, header, output] = args.as_slice() else {
        eprintln!("usage: cgym-sys-gen HEADER OUTPUT");
        return ExitCode::from(2);
    };
    match generate(Path::new(header), Path::new(output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cgym-sys-gen: {message}");
            ExitCode::FAILURE
        }
    }
}
