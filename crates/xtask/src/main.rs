//! `cargo xtask release` — Trunk's post-build hook (Trunk.toml): see `release.rs`.
//! `cargo xtask sizes [--dist DIR] [--budget]` — the size report of a release build;
//! with `--budget` it fails when a visit is over its budget (`sizes::BUDGETS`).

use anyhow::{bail, Result};
use std::path::PathBuf;
use xtask::{manifest::Manifest, release, sizes};

fn main() {
    if let Err(e) = run() {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

/// The workspace (this crate is crates/xtask).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("release") if args.len() == 1 => release::run(&release::Build::from_env(root())?),
        Some("sizes") => sizes_command(&args[1..]),
        _ => bail!("usage: cargo xtask release (Trunk's post-build hook) | cargo xtask sizes [--dist DIR] [--budget]"),
    }
}

fn sizes_command(args: &[String]) -> Result<()> {
    let mut dist = root().join("dist");
    let mut budget = false;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dist" => match args.next() {
                Some(d) => dist = PathBuf::from(d),
                None => bail!("--dist takes a folder"),
            },
            "--budget" => budget = true,
            other => bail!("sizes: unknown argument {other}"),
        }
    }
    let target = xtask::target_dir(&root());
    let index = std::fs::read(dist.join("index.html")).map_err(|e| {
        anyhow::anyhow!(
            "no {}/index.html ({e}): run `trunk build --release`",
            dist.display()
        )
    })?;
    let manifest = Manifest::load(&Manifest::path(&target, &dist)?, &index)?;
    let report = sizes::Report::measure(&dist, &manifest)?;
    print!("{}", report.render(&sizes::BUDGETS));
    let over = report.over_budget(&sizes::BUDGETS);
    if budget && !over.is_empty() {
        bail!(
            "{}.\nPut what the new code needs into a chunk (src/platform/split.rs) or cut elsewhere; README \"Release build\" shows where the bytes go.",
            over.join("; ")
        );
    }
    Ok(())
}
