//! Embeds every `rules/*.toml` of the package as the default rule pack.
//!
//! `crates/engine/rules` is a link to the workspace's `rules/` folder, so
//! the pack is inside the package: `cargo package -p logscrub-engine
//! --list` shows the files (scripts/test.sh checks it), and a crate built
//! from crates.io embeds the same pack. No rule file is a build error, not
//! an engine that silently redacts nothing.
use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules_dir = manifest.join("rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let mut files: Vec<PathBuf> = match fs::read_dir(&rules_dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => panic!(
            "cannot read the default rule pack at {}: {e}",
            rules_dir.display()
        ),
    };
    if files.is_empty() {
        panic!(
            "no rule files (*.toml) in {}: the engine would redact nothing",
            rules_dir.display()
        );
    }
    files.sort();
    let mut out = String::from("/// `(file name, contents)` of every embedded rule file.\npub(crate) const DEFAULT_RULE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().expect("a file").to_string_lossy();
        let abs = fs::canonicalize(f).expect("a listed file resolves");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it")).join("default_rules.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
