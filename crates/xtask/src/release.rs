//! `cargo xtask release`: Trunk's post-build hook (README, "Release build").
//!
//! Release builds: cuts the wasm cargo built into the part every page needs and chunks
//! fetched on first use (wasm-split-cli; before wasm-bindgen, which drops the relocations
//! the cut needs, so Trunk's own output of the whole module is replaced), binds and
//! optimises them, writes the split loader and the boot file, minifies the JS, joins the
//! stylesheets, names every file by the hash of its final bytes, rewrites `index.html`
//! with each file's integrity, writes `.br`/`.gz` copies and the manifest of which split
//! point needs which file. Files are hashed in dependency order — chunks, split loader,
//! wasm-bindgen's JS (which imports the loader), main wasm, stylesheet, boot file (which
//! names them all), index.html — so no name depends on itself.
//!
//! Debug builds (`trunk serve`) keep Trunk's whole module: only the boot file replaces the
//! inline loader, and names and integrity follow the same rules.

use crate::boot::{self, BootFiles};
use crate::html::{self, Head, Ref};
use crate::split_loader::{self, Shipped};
use crate::{compress, glue, hashing, manifest::Manifest, tools};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// wasm-bindgen's names for the main module (`--out-name`).
const STEM: &str = "hookscope";

/// What Trunk tells its hooks, and where cargo put its build.
pub struct Build {
    pub release: bool,
    /// Trunk's staging folder: becomes the dist folder after the hooks.
    pub staging: PathBuf,
    pub dist: PathBuf,
    /// The public URL the build is for (`/`, `/hookscope/`).
    pub public_url: String,
    pub target_dir: PathBuf,
    /// The workspace (scripts/minify holds terser).
    pub root: PathBuf,
}

impl Build {
    /// From the environment Trunk gives its hooks (TRUNK_*) and cargo's.
    pub fn from_env(root: PathBuf) -> Result<Build> {
        let var = |name: &str| {
            std::env::var(name).with_context(|| format!("{name} is not set: `cargo xtask release` is Trunk's post-build hook (Trunk.toml)"))
        };
        let target_dir = crate::target_dir(&root);
        Ok(Build {
            release: var("TRUNK_PROFILE")? == "release",
            staging: var("TRUNK_STAGING_DIR")?.into(),
            dist: var("TRUNK_DIST_DIR")?.into(),
            public_url: var("TRUNK_PUBLIC_URL")?,
            target_dir,
            root,
        })
    }
}

/// Writes files under hashed names into the staging folder and says how they ship.
struct Shipping<'a> {
    build: &'a Build,
    written: Vec<PathBuf>,
}

impl Shipping<'_> {
    fn ship(&mut self, stem: &str, suffix: &str, bytes: &[u8]) -> Result<Shipped> {
        let name = hashing::hashed_name(stem, bytes, suffix);
        let path = self.build.staging.join(&name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        self.written.push(path);
        Ok(Shipped {
            integrity: hashing::sri(bytes),
            name,
        })
    }

    /// How the page refers to a shipped file.
    fn page_ref(&self, s: &Shipped) -> Ref {
        Ref {
            url: format!("{}{}", self.build.public_url, s.name),
            integrity: s.integrity.clone(),
        }
    }

    fn minify(&self, work: &Path, name: &str, js: &str) -> Result<String> {
        if self.build.release {
            tools::terser(&self.build.root, work, name, js)
        } else {
            Ok(js.to_string())
        }
    }
}

/// The main module as it ships, and the split loader if it was cut.
struct App {
    glue: Shipped,
    wasm: Shipped,
    loader: Option<Shipped>,
    /// Split point → files, for the manifest.
    needs: BTreeMap<String, Vec<String>>,
}

pub fn run(build: &Build) -> Result<()> {
    let index = build.staging.join("index.html");
    let page_html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let page = html::read(&page_html)?;
    let trunk = boot::read_trunk_loader(&page.loader)?;
    if (trunk.js.as_str(), trunk.wasm.as_str()) != (page.glue.as_str(), page.wasm.as_str()) {
        bail!(
            "index.html: Trunk's loader loads {} and {}, its preloads name {} and {}",
            trunk.js,
            trunk.wasm,
            page.glue,
            page.wasm
        );
    }
    let trunk_file = |url: &str| -> Result<PathBuf> {
        let name = url
            .strip_prefix(build.public_url.as_str())
            .filter(|n| !n.contains('/'))
            .with_context(|| {
                format!(
                    "index.html: {url} is not a file under the public URL {}",
                    build.public_url
                )
            })?;
        Ok(build.staging.join(name))
    };
    let (trunk_glue, trunk_wasm) = (trunk_file(&page.glue)?, trunk_file(&page.wasm)?);

    // One folder per run: `trunk serve` and a release build may run at once.
    let work = build
        .target_dir
        .join(format!("hookscope-release/work-{}", std::process::id()));
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let mut shipping = Shipping {
        build,
        written: Vec::new(),
    };

    let app = if build.release {
        cut(build, &work, &mut shipping)?
    } else {
        App {
            glue: shipping.ship(STEM, ".js", &std::fs::read(&trunk_glue)?)?,
            wasm: shipping.ship(STEM, "_bg.wasm", &std::fs::read(&trunk_wasm)?)?,
            loader: None,
            needs: BTreeMap::new(),
        }
    };
    for f in [&trunk_glue, &trunk_wasm] {
        std::fs::remove_file(f).with_context(|| format!("removing Trunk's {}", f.display()))?;
    }

    let stylesheet = join_stylesheets(build, &page.stylesheets, &mut shipping)?;

    let (glue, wasm) = (shipping.page_ref(&app.glue), shipping.page_ref(&app.wasm));
    let loader = app.loader.as_ref().map(|l| shipping.page_ref(l));
    let boot_js = boot::write(&BootFiles {
        base: &build.public_url,
        glue: &glue.url,
        glue_integrity: &glue.integrity,
        loader: loader.as_ref().map(|l| l.url.as_str()),
        loader_integrity: loader.as_ref().map(|l| l.integrity.as_str()),
        wasm: &wasm.url,
        wasm_integrity: &wasm.integrity,
    });
    let boot_js = shipping.minify(&work, "boot", &boot_js)?;
    let boot = shipping.ship("boot", ".js", boot_js.as_bytes())?;
    let new_html = html::rewrite(
        &page_html,
        &Head {
            boot: shipping.page_ref(&boot),
            glue,
            loader,
            wasm,
            stylesheet: stylesheet.map(|s| shipping.page_ref(&s)),
        },
    )?;
    std::fs::write(&index, &new_html)?;

    only_hashed_files(&build.staging)?;
    if build.release {
        let mut files = shipping.written.clone();
        files.push(index.clone());
        compress::write_beside(&files)?;
        let path = Manifest::path(&build.target_dir, &build.dist)?;
        Manifest::new(new_html.as_bytes(), app.needs).save(&path)?;
    }
    std::fs::remove_dir_all(&work)?;
    println!(
        "release: {} files named by their content{}",
        shipping.written.len(),
        if build.release {
            ", with .br and .gz copies"
        } else {
            " (debug build: the module is not cut)"
        }
    );
    Ok(())
}

/// The release build's module: cut, bound, optimised, with the split loader.
fn cut(build: &Build, work: &Path, shipping: &mut Shipping) -> Result<App> {
    let raw = build
        .target_dir
        .join("wasm32-unknown-unknown/release")
        .join(format!("{STEM}.wasm"));
    if !raw.exists() {
        bail!("no {} (cargo's build output)", raw.display());
    }
    let split = work.join("split");
    tools::wasm_split(&raw, &split, STEM)?;
    let program = split_loader::read(&std::fs::read_to_string(split.join("__wasm_split.js"))?)?;
    // Every file wasm-split-cli wrote is in its loader, and the other way round.
    let mut written: Vec<String> = std::fs::read_dir(&split)?
        .map(|e| Ok(e?.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_>>()?;
    written.retain(|f| f.ends_with(".wasm") && f != &format!("{STEM}.wasm"));
    written.sort();
    let mut named: Vec<String> = program.files().iter().map(|f| f.to_string()).collect();
    named.sort();
    if written != named {
        bail!("wasm-split-cli wrote {written:?} but its loader names {named:?}");
    }

    let bound = work.join("bg");
    tools::wasm_bindgen(&split.join(format!("{STEM}.wasm")), &bound, STEM)?;
    if bound.join("snippets").exists() {
        bail!("wasm-bindgen wrote snippets (a dependency's inline JS): the release step does not ship them yet");
    }
    let opt = |input: &Path, name: &str| -> Result<Vec<u8>> {
        let out = work.join(format!("{name}.opt.wasm"));
        tools::wasm_opt(input, &out)?;
        Ok(std::fs::read(&out)?)
    };

    // wasm-opt takes most of the step's time: the main part and the chunks side by side.
    let files = program.files();
    let mut inputs: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|f| {
            (
                split.join(f),
                f.strip_suffix(".wasm")
                    .expect("checked by split_loader::read"),
            )
        })
        .collect();
    inputs.push((bound.join(format!("{STEM}_bg.wasm")), "main"));
    let mut optimised = crate::parallel::map(&inputs, |(input, name)| opt(input, name))?;
    let main_wasm = optimised.pop().expect("the main part");
    let mut shipped = BTreeMap::new();
    for ((_, stem), bytes) in inputs.iter().zip(optimised) {
        let file = format!("{stem}.wasm");
        shipped.insert(file, shipping.ship(stem, ".wasm", &bytes)?);
    }
    let loader_js = split_loader::write(&program, &shipped)?;
    let loader = shipping.ship(
        "split",
        ".js",
        shipping.minify(work, "split", &loader_js)?.as_bytes(),
    )?;

    let glue_js = glue::import_loader_from(
        &std::fs::read_to_string(bound.join(format!("{STEM}.js")))?,
        &loader.name,
    )?;
    let glue = shipping.ship(
        STEM,
        ".js",
        shipping.minify(work, STEM, &glue_js)?.as_bytes(),
    )?;
    let wasm = shipping.ship(STEM, "_bg.wasm", &main_wasm)?;
    Ok(App {
        needs: program.needs(&shipped)?,
        glue,
        wasm,
        loader: Some(loader),
    })
}

/// The stylesheets as one file, in the page's order, minified: one request, one
/// compression dictionary.
fn join_stylesheets(
    build: &Build,
    hrefs: &[String],
    shipping: &mut Shipping,
) -> Result<Option<Shipped>> {
    if hrefs.is_empty() {
        return Ok(None);
    }
    let mut css = String::new();
    let mut files = Vec::new();
    for href in hrefs {
        let name = href
            .strip_prefix(build.public_url.as_str())
            .filter(|n| !n.contains('/'))
            .with_context(|| {
                format!("index.html: the stylesheet {href} is not under the public URL")
            })?;
        let path = build.staging.join(name);
        css.push_str(
            &std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?,
        );
        css.push('\n');
        files.push(path);
    }
    for f in files {
        std::fs::remove_file(f)?;
    }
    let css = crate::css::minify(&css);
    Ok(Some(shipping.ship("style", ".css", css.as_bytes())?))
}

/// Only files named by their content (and index.html) may ship: anything else would be
/// cached by the deployment configs' rules without being what its name says, or not
/// checked by any integrity.
fn only_hashed_files(staging: &Path) -> Result<()> {
    for entry in std::fs::read_dir(staging)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "index.html" && !(entry.file_type()?.is_file() && hashing::is_hashed_name(&name))
        {
            bail!(
                "{} would ship without a content-hashed name: the release step does not know it",
                entry.path().display()
            );
        }
    }
    Ok(())
}
