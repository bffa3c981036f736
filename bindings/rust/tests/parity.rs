// SPDX-License-Identifier: MIT
//! Parity with `include/cgym.h`: every function of the header (all declared in `cgym::sys`,
//! the crate cgym-sys, whose tests check that) is either called by the safe API (`src/`) or
//! listed in PARITY.md's "Not exposed" section with a reason, and nothing listed there is
//! called.
use std::collections::BTreeSet;
use std::path::Path;

#[path = "../cgym-sys/tests/support/functions.rs"]
mod functions;
use functions::functions_after;

/// Whether `name` occurs in `text` as a whole identifier.
fn mentions(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_cgym_function_is_wrapped_or_listed() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = read(&crate_dir.join("../../include/cgym.h"));
    let header_functions = functions_after(&header, "CGYM_API");
    assert!(header_functions.len() > 150, "{header_functions:?}");

    let mut safe = String::new();
    for entry in std::fs::read_dir(crate_dir.join("src")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            safe.push_str(&read(&path));
        }
    }

    let parity = read(&crate_dir.join("PARITY.md"));
    let section = parity
        .split("\n## ")
        .find(|s| s.starts_with("Not exposed"))
        .expect("PARITY.md has a \"## Not exposed\" section");
    let mut listed = BTreeSet::new();
    for line in section.lines().filter(|l| l.starts_with("- ")) {
        let (name, reason) = line[2..]
            .split_once(": ")
            .unwrap_or_else(|| panic!("not \"- `cgym_x`: reason\": {line}"));
        let name = name.trim_matches('`');
        assert!(!reason.trim().is_empty(), "no reason: {line}");
        assert!(
            header_functions.contains(name),
            "listed but not in cgym.h: {name}"
        );
        assert!(
            !mentions(&safe, name),
            "listed as not exposed but called: {name}"
        );
        assert!(listed.insert(name.to_string()), "listed twice: {name}");
    }

    let missing: Vec<_> = header_functions
        .iter()
        .filter(|f| !listed.contains(*f) && !mentions(&safe, f))
        .collect();
    assert!(
        missing.is_empty(),
        "neither called by the safe API nor listed in PARITY.md: {missing:?}"
    );
}
