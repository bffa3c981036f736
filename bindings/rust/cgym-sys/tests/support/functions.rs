// SPDX-License-Identifier: MIT
//! Finding the functions `cgym_*` a text declares or calls: shared by cgym-sys's header test
//! and the safe crate's parity test (each includes this file with `#[path]`).
use std::collections::BTreeSet;

/// The identifiers `cgym_*` that follow `marker` in `text` up to the next '('.
pub fn functions_after(text: &str, marker: &str) -> BTreeSet<String> {
    text.split(marker)
        .skip(1)
        .filter_map(|rest| {
            let head = &rest[..rest.find('(')?];
            let start = head.rfind("cgym_")?;
            let name = &head[start..];
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
                .then(|| name.to_string())
        })
        .collect()
}
