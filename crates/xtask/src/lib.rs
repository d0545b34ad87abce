//! hookscope's build tasks (the cargo-xtask pattern: `cargo xtask <task>`, an alias in
//! `.cargo/config.toml`): the release pipeline Trunk runs after each build, and the size
//! report with its budgets. README, "Release build".

pub mod boot;
pub mod compress;
pub mod css;
pub mod cursor;
pub mod glue;
pub mod hashing;
pub mod html;
pub mod manifest;
pub mod parallel;
pub mod release;
pub mod sizes;
pub mod split_loader;
pub mod tools;

/// Cargo's target folder: `CARGO_TARGET_DIR` (relative to the workspace) or `target/`.
pub fn target_dir(root: &std::path::Path) -> std::path::PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").map(std::path::PathBuf::from) {
        Some(t) if t.is_relative() => root.join(t),
        Some(t) => t,
        None => root.join("target"),
    }
}
