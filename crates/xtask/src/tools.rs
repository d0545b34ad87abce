//! The external tools the release step runs: wasm-split-cli, wasm-bindgen, wasm-opt
//! (installed by `scripts/install-tools.sh`) and terser (npm, `scripts/minify`).

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};

fn run(mut cmd: Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {shown} (scripts/install-tools.sh installs it)"))?;
    if !out.status.success() {
        bail!(
            "{shown} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// Cuts `raw` (linked with --emit-relocs) into `out/{stem}.wasm`, chunks and
/// `out/__wasm_split.js`.
pub fn wasm_split(raw: &Path, out: &Path, stem: &str) -> Result<()> {
    let mut c = Command::new("wasm-split-cli");
    c.arg(raw).arg(out).args(["--out-name", stem]);
    run(c)
}

/// Binds the main part: `out/{stem}.js` and `out/{stem}_bg.wasm`. `--keep-lld-exports`:
/// the chunks import its function table and memory.
pub fn wasm_bindgen(main: &Path, out: &Path, stem: &str) -> Result<()> {
    let mut c = Command::new("wasm-bindgen");
    c.args([
        "--target",
        "web",
        "--no-typescript",
        "--keep-lld-exports",
        "--out-dir",
    ])
    .arg(out)
    .args(["--out-name", stem])
    .arg(main);
    run(c)
}

/// Optimises for size, keeping to the features rustc's wasm32 target emits. The
/// producers and target-features sections go: nothing reads them at run time, and every
/// chunk would carry its own copy.
pub fn wasm_opt(input: &Path, output: &Path) -> Result<()> {
    let mut c = Command::new("wasm-opt");
    c.args([
        "-Oz",
        "--strip-producers",
        "--strip-target-features",
        "--enable-reference-types",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-multivalue",
        "--enable-simd",
    ])
    .arg(input)
    .arg("-o")
    .arg(output);
    // XTASK_WASM_NAMES=1 keeps function names, for a CPU profile (never shipped: +65 %).
    if std::env::var_os("XTASK_WASM_NAMES").is_some() {
        c.arg("-g");
    }
    run(c)
}

/// Minifies an ES module with terser; `work` holds the files it reads and writes.
pub fn terser(root: &Path, work: &Path, name: &str, js: &str) -> Result<String> {
    let terser = root.join("scripts/minify/node_modules/.bin/terser");
    if !terser.exists() {
        bail!(
            "terser is missing ({}): run scripts/install-tools.sh",
            terser.display()
        );
    }
    let input = work.join(format!("{name}.in.js"));
    let output = work.join(format!("{name}.min.js"));
    std::fs::write(&input, js)?;
    let mut c = Command::new(terser);
    c.arg(&input)
        .args(["--module", "--compress", "--mangle", "-o"])
        .arg(&output);
    run(c)?;
    std::fs::read_to_string(&output).with_context(|| format!("reading {}", output.display()))
}
