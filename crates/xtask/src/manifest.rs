//! Which wasm files each split point needs, written by the release step for the size
//! report. It lives in the cargo target folder, not in the build (it is not for browsers),
//! one per dist folder (`dist`, `dist-hookscope`), and names the `index.html` it describes
//! so a report never mixes two builds.

use crate::hashing::sha256_hex;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// SHA-256 of the `index.html` of the build it describes.
    pub index_sha256: String,
    /// Split point (`results`) → the files it needs, its own and the chunks it shares.
    pub splits: BTreeMap<String, Vec<String>>,
}

impl Manifest {
    pub fn new(index_html: &[u8], splits: BTreeMap<String, Vec<String>>) -> Self {
        Manifest {
            index_sha256: sha256_hex(index_html),
            splits,
        }
    }

    /// Where the manifest of the build in `dist` is kept.
    pub fn path(target_dir: &Path, dist: &Path) -> Result<PathBuf> {
        let name = dist
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| format!("a dist folder with a name: {}", dist.display()))?;
        Ok(target_dir
            .join("hookscope-release")
            .join(format!("{name}.json")))
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::create_dir_all(path.parent().expect("a folder"))?;
        std::fs::write(path, serde_json::to_string_pretty(self)? + "\n")
            .with_context(|| format!("writing {}", path.display()))
    }

    /// The manifest of the build whose `index.html` is `index_html`.
    pub fn load(path: &Path, index_html: &[u8]) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("no {} (written by `cargo xtask release`, Trunk's post-build hook): run `trunk build --release`", path.display())
        })?;
        let m: Manifest =
            serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
        if m.index_sha256 != sha256_hex(index_html) {
            bail!(
                "{} describes another build than this index.html: run `trunk build --release` again",
                path.display()
            );
        }
        Ok(m)
    }

    /// The files any of `points` needs, each once, in a stable order.
    pub fn needs(&self, points: &[&str]) -> Result<Vec<String>> {
        let mut files = Vec::new();
        for p in points {
            let own = self.splits.get(*p).with_context(|| {
                format!("no split point `{p}` in the build (src/platform/split.rs)")
            })?;
            for f in own {
                if !files.contains(f) {
                    files.push(f.clone());
                }
            }
        }
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        Manifest::new(
            b"<html>",
            BTreeMap::from([
                (
                    "results".into(),
                    vec!["chunk_3-aa.wasm".into(), "split_results-bb.wasm".into()],
                ),
                (
                    "demo".into(),
                    vec!["chunk_3-aa.wasm".into(), "split_demo-cc.wasm".into()],
                ),
            ]),
        )
    }

    #[test]
    fn shared_chunks_count_once() {
        let m = sample();
        assert_eq!(
            m.needs(&["results", "demo"]).unwrap(),
            [
                "chunk_3-aa.wasm",
                "split_results-bb.wasm",
                "split_demo-cc.wasm"
            ]
        );
        let e = m.needs(&["nope"]).unwrap_err().to_string();
        assert!(e.contains("no split point `nope`"), "{e}");
    }

    #[test]
    fn a_manifest_belongs_to_one_build() {
        let dir = std::env::temp_dir().join(format!("xtask-manifest-{}", std::process::id()));
        let path = Manifest::path(&dir, Path::new("/x/dist-hookscope")).unwrap();
        assert!(path.ends_with("hookscope-release/dist-hookscope.json"));
        sample().save(&path).unwrap();
        assert_eq!(Manifest::load(&path, b"<html>").unwrap(), sample());
        let e = Manifest::load(&path, b"<html>!").unwrap_err().to_string();
        assert!(e.contains("another build"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
