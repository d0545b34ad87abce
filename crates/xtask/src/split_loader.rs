//! The split loader: which wasm file each split point needs, read from the loader
//! wasm-split-cli writes (`__wasm_split.js`, wasm_split_cli_support 0.2.4), and the loader
//! that ships in its place ([`write`]).
//!
//! Ours differs from wasm-split-cli's where the security review found it lacking:
//! - every file is fetched with its `integrity` (SRI), so appended bytes or another
//!   chunk's bytes under a chunk's name reject the download. Without it a swapped chunk
//!   instantiates (every chunk links against the same main module), fills the wrong table
//!   slots, and the first call into it traps with "null function" inside the app's async
//!   runtime: no error reaches the split point and its view says "Loading…" forever;
//! - a failed load is retried once at once and on every later call with
//!   `cache: "reload"`: a bad copy stays in the HTTP cache for a year (`immutable`);
//! - the main module's exports come from the boot file (`useMain`) instead of an import
//!   of wasm-bindgen's JS, which imports this file: that cycle would make each file's
//!   content-hashed name depend on the other's;
//! - the callback into Rust is always made, with `false` on any failure, so a failure
//!   becomes `SplitLoaderError`, then `ChunkError`, then the `chunk-failed` notice.

use crate::cursor::Cursor;
use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet};

const WHAT: &str = "wasm-split-cli's loader (__wasm_split.js)";

/// What wasm-split-cli's loader says.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitProgram {
    /// The main module's exports the chunks import (`memory`, the function table, …).
    pub shared: Vec<String>,
    /// Files shared by several split points.
    pub chunks: Vec<Chunk>,
    pub splits: Vec<SplitPoint>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Its variable in the loader (`__chunk_5`).
    pub var: String,
    /// `chunk_5.wasm`
    pub file: String,
    /// The split points that need it (the loader's comment above it).
    pub users: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct SplitPoint {
    /// `results` (from `#[wasm_split(results, …)]`).
    pub name: String,
    /// `split_results.wasm`; None when everything it needs is in shared chunks.
    pub file: Option<String>,
    /// The chunks' variables, loaded before its own file.
    pub deps: Vec<String>,
}

impl SplitPoint {
    /// The function wasm-bindgen's JS imports from the loader (`wasm_split_macros`).
    pub fn export(&self) -> String {
        format!("__wasm_split_load_{}", self.name)
    }
}

/// A file as shipped: its hashed name and its integrity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shipped {
    pub name: String,
    pub integrity: String,
}

/// Reads wasm-split-cli's loader. Anything but the exact form it writes is an error.
pub fn read(js: &str) -> Result<SplitProgram> {
    let mut c = Cursor::new(WHAT, js);
    c.expect("import { initSync } from")?;
    c.string()?;
    c.expect(";")?;
    c.expect("let sharedImports = undefined; function getSharedImports() { if (sharedImports === undefined) { sharedImports = { __wasm_split: {")?;
    if !c.eat("} };") {
        return c.error("`} };` (a canary here means the module was built with debug assertions: cut release builds only)");
    }
    c.expect("const {")?;
    let shared = c.ident_list("}")?;
    c.expect("= initSync(undefined, undefined); Object.assign(sharedImports.__wasm_split, {")?;
    if c.ident_list("}")? != shared {
        return c.error("the same names in `Object.assign` as in `const { … }`");
    }
    c.expect("); } return sharedImports; }")?;

    let mut runtime = BTreeSet::new();
    let mut chunks = Vec::new();
    let mut splits = Vec::new();
    while !c.at_end() {
        if c.eat("function") {
            // wasm-split-cli's runtime: replaced by ours, but only if it is the one we know.
            let name = c.ident()?;
            if !matches!(name, "wrapAsyncCb" | "makeLoad") {
                return c.error("the runtime functions `wrapAsyncCb` and `makeLoad` (`debugWrap` is a debug build's)");
            }
            c.expect("(")?;
            c.ident_list(")")?;
            c.skip_block()?;
            runtime.insert(name);
        } else if c.peek("/*") {
            let users = c.comment()?.split(", ").map(str::to_string).collect();
            c.expect("const")?;
            let var = c.ident()?.to_string();
            c.expect("= makeLoad(")?;
            let Some(file) = fetcher(&mut c)? else {
                return c.error("a chunk with a file");
            };
            c.expect(", [ ] ) ;")?;
            chunks.push(Chunk { var, file, users });
        } else if c.eat("export const") {
            let export = c.ident()?;
            let Some(name) = export.strip_prefix("__wasm_split_load_") else {
                return c.error("a loader named `__wasm_split_load_<split point>`");
            };
            c.expect("= wrapAsyncCb(makeLoad(")?;
            let file = fetcher(&mut c)?;
            c.expect(", [")?;
            let deps = c.ident_list("]")?.into_iter().map(str::to_string).collect();
            c.expect(") ) ;")?;
            splits.push(SplitPoint {
                name: name.to_string(),
                file,
                deps,
            });
        } else {
            return c.error("a runtime function, a chunk or a split point's loader");
        }
    }
    if runtime.len() != 2 {
        bail!("{WHAT} has no `wrapAsyncCb` or `makeLoad`: not the runtime this tool replaces");
    }
    let program = SplitProgram {
        shared: shared.into_iter().map(str::to_string).collect(),
        chunks,
        splits,
    };
    program.check()?;
    Ok(program)
}

/// One file's fetcher: `() => { const src = fetch(new URL("./f.wasm", import.meta.url));
/// … }` (Some file) or the empty module's `() => async (_imp) => ({})` (None).
fn fetcher(c: &mut Cursor) -> Result<Option<String>> {
    if c.eat("() => async (_imp) => ({})") {
        return Ok(None);
    }
    c.expect("() => { const src = fetch(new URL(")?;
    let url = c.string()?;
    c.expect(", import.meta.url)); src.catch(() => {}); return async (imports) => (WebAssembly.instantiateStreaming(src, imports)); }")?;
    match url.strip_prefix("./") {
        Some(file) if file.ends_with(".wasm") && !file.contains('/') => Ok(Some(file.to_string())),
        _ => c.error("a wasm file beside the loader (`./name.wasm`)"),
    }
}

impl SplitProgram {
    /// Every chunk is needed by exactly the split points its comment names, and every
    /// file and name appears once.
    fn check(&self) -> Result<()> {
        if self.splits.is_empty() {
            bail!("{WHAT} declares no split point");
        }
        let mut files = BTreeSet::new();
        let mut names = BTreeSet::new();
        let own = self.splits.iter().filter_map(|s| s.file.as_ref());
        for f in self.chunks.iter().map(|c| &c.file).chain(own) {
            if !files.insert(f) {
                bail!("{WHAT} names {f} twice");
            }
        }
        for s in &self.splits {
            if !names.insert(&s.name) {
                bail!("{WHAT} declares the split point {} twice", s.name);
            }
        }
        for chunk in &self.chunks {
            let mut users: Vec<&String> = self
                .splits
                .iter()
                .filter(|s| s.deps.contains(&chunk.var))
                .map(|s| &s.name)
                .collect();
            let mut said: Vec<&String> = chunk.users.iter().collect();
            users.sort();
            said.sort();
            if users != said {
                bail!(
                    "{WHAT}: {} is said to be for {said:?} but is loaded by {users:?}",
                    chunk.file
                );
            }
        }
        for s in &self.splits {
            for d in &s.deps {
                if !self.chunks.iter().any(|c| &c.var == d) {
                    bail!("{WHAT}: {} depends on {d}, which is not declared", s.name);
                }
            }
        }
        Ok(())
    }

    /// Every wasm file the loader names, chunks first.
    pub fn files(&self) -> Vec<&str> {
        let chunks = self.chunks.iter().map(|c| c.file.as_str());
        chunks
            .chain(self.splits.iter().filter_map(|s| s.file.as_deref()))
            .collect()
    }

    /// Which files (as shipped) each split point needs: its own and its chunks.
    pub fn needs(
        &self,
        shipped: &BTreeMap<String, Shipped>,
    ) -> Result<BTreeMap<String, Vec<String>>> {
        let name = |file: &str| {
            shipped
                .get(file)
                .map(|s| s.name.clone())
                .with_context(|| format!("{file} was not shipped"))
        };
        let mut needs = BTreeMap::new();
        for s in &self.splits {
            let mut files = Vec::new();
            for d in &s.deps {
                let chunk = self.chunks.iter().find(|c| &c.var == d).expect("checked");
                files.push(name(&chunk.file)?);
            }
            if let Some(f) = &s.file {
                files.push(name(f)?);
            }
            needs.insert(s.name.clone(), files);
        }
        Ok(needs)
    }
}

/// The loader that ships: the same exports, each file under its shipped name with its
/// integrity. `shipped` maps every file of [`SplitProgram::files`] to how it ships.
pub fn write(program: &SplitProgram, shipped: &BTreeMap<String, Shipped>) -> Result<String> {
    let mut js = String::from(RUNTIME);
    let shared: Vec<String> = program.shared.iter().map(|s| format!("{s:?}")).collect();
    js.push_str(&format!("const SHARED = [{}];\n", shared.join(", ")));
    let part = |file: Option<&String>, deps: &[String]| -> Result<String> {
        let deps = deps.join(", ");
        Ok(match file {
            Some(f) => {
                let s = shipped
                    .get(f)
                    .with_context(|| format!("{f} was not shipped"))?;
                format!(
                    "part({:?}, {:?}, [{deps}])",
                    format!("./{}", s.name),
                    s.integrity
                )
            }
            None => format!("part(null, null, [{deps}])"),
        })
    };
    for chunk in &program.chunks {
        js.push_str(&format!(
            "const {} = {};\n",
            chunk.var,
            part(Some(&chunk.file), &[])?
        ));
    }
    for s in &program.splits {
        js.push_str(&format!(
            "export const {} = entry({});\n",
            s.export(),
            part(s.file.as_ref(), &s.deps)?
        ));
    }
    Ok(js)
}

/// The runtime of the shipped loader (see the module's comment). Plain JS, minified with
/// everything else.
const RUNTIME: &str = r#"// hookscope's split loader, written by `cargo xtask release` from wasm-split-cli's.
let main;
// The boot file passes a function that returns the main module's exports.
export function useMain(getExports) {
  main = getExports;
}
let shared;
function imports() {
  if (shared === undefined) {
    const exports = main();
    const own = {};
    for (const name of SHARED) {
      if (!(name in exports)) throw new Error(`hookscope: the main module exports no ${name}`);
      own[name] = exports[name];
    }
    shared = { __wasm_split: own };
  }
  return shared;
}
// A wasm file, fetched with its integrity after the chunks it needs and instantiated once.
// A failed load is not kept: it is tried again at once, and on every later call, from the
// server rather than the HTTP cache, where a bad copy would stay for a year.
function part(url, integrity, deps) {
  let loaded;
  let fresh = false;
  const once = async () => {
    const before = Promise.all(deps.map((dep) => dep()));
    let response;
    if (url !== null) {
      response = fetch(new URL(url, import.meta.url), { integrity, cache: fresh ? "reload" : "default" });
      response.catch(() => {});
    }
    await before;
    if (url === null) return undefined;
    const r = await response;
    if (!r.ok) throw new Error(`hookscope: ${url} answered HTTP ${r.status}`);
    return WebAssembly.instantiateStreaming(r, imports());
  };
  const load = async () => {
    try {
      return await once();
    } catch (e) {
      if (fresh) throw e;
      console.warn("hookscope: trying again from the server:", e);
      fresh = true;
      return once();
    }
  };
  return () => {
    if (loaded === undefined) {
      const attempt = load();
      loaded = attempt;
      attempt.catch(() => {
        if (loaded === attempt) loaded = undefined;
      });
    }
    return loaded;
  };
}
// What wasm calls to load a split point: always answers, `false` on any failure (download,
// integrity, instantiation, linking), which the split point reports as `chunk-failed`.
function entry(load) {
  return async (callbackIndex, callbackData) => {
    let ok = false;
    try {
      await load();
      ok = true;
    } catch (e) {
      console.error("hookscope: a part of the app could not be loaded:", e);
    }
    main().__indirect_function_table.get(callbackIndex)(callbackData, ok);
  };
}
"#;
