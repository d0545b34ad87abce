//! The boot file: what runs in place of the inline loader Trunk writes into `index.html`
//! (the Content-Security-Policy forbids inline scripts).
//!
//! [`read_trunk_loader`] checks that Trunk's loader is the one this replaces (an
//! initializer or another option would be lost silently otherwise); [`write`] writes the
//! boot file. Besides starting the app as Trunk's loader does, the boot file
//! - records CSP violations in `window.__cspViolations` (the end-to-end tests read them)
//!   and tells the app its public URL (`window.__hookscopeBase`, read by `src/base.rs`);
//! - fetches the main wasm with its integrity (Chromium does not check the integrity of a
//!   `<link rel=preload>`: only a `fetch` with `integrity` does), and if the copy does not
//!   match, once more from the server (`cache: "reload"`), since a bad copy would otherwise
//!   come back from the HTTP cache on every reload for a year;
//! - when a file of the app cannot be loaded or does not match, writes a plain notice
//!   (`boot-failed`) with a Reload button instead of leaving a blank page.

use crate::cursor::Cursor;
use anyhow::Result;

/// The two files Trunk's inline loader names (URLs as written, with the public URL).
#[derive(Debug, PartialEq, Eq)]
pub struct TrunkLoader {
    pub js: String,
    pub wasm: String,
}

/// Reads Trunk 0.21's default inline loader (`import init, * as bindings from …`).
pub fn read_trunk_loader(js: &str) -> Result<TrunkLoader> {
    let mut c = Cursor::new("Trunk's inline loader in index.html", js);
    c.expect("import init, * as bindings from")?;
    let js_url = c.string()?.to_string();
    c.expect("; const wasm = await init({ module_or_path:")?;
    let wasm = c.string()?.to_string();
    c.expect("}); window.wasmBindings = bindings;")?;
    c.expect(r#"dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));"#)?;
    if !c.at_end() {
        return c.error("the end of the loader");
    }
    Ok(TrunkLoader { js: js_url, wasm })
}

/// What the boot file loads: URLs as the page uses them (with the public URL).
pub struct BootFiles<'a> {
    /// The public URL the build is for (`/`, `/hookscope/`).
    pub base: &'a str,
    /// wasm-bindgen's JS.
    pub glue: &'a str,
    /// The split loader (release builds; None when the module is not cut).
    pub loader: Option<&'a str>,
    pub wasm: &'a str,
    pub wasm_integrity: &'a str,
    /// Integrity of the JS files, to check a fresh copy before reloading (see `recover`).
    pub glue_integrity: &'a str,
    pub loader_integrity: Option<&'a str>,
}

/// The boot file's text.
pub fn write(f: &BootFiles) -> String {
    let js = |s: &str| serde_json::to_string(s).expect("a string");
    let file = |url: &str, integrity: &str| {
        format!("{{ url: {}, integrity: {} }}", js(url), js(integrity))
    };
    let loader = match (f.loader, f.loader_integrity) {
        (Some(url), Some(integrity)) => file(url, integrity),
        _ => "null".to_string(),
    };
    format!(
        "// hookscope's boot file, written by `cargo xtask release` in place of Trunk's inline loader.\n\
         const BASE = {base};\n\
         const GLUE = {glue};\n\
         const LOADER = {loader};\n\
         const WASM = {wasm};\n{BOOT}",
        base = js(f.base),
        glue = file(f.glue, f.glue_integrity),
        wasm = file(f.wasm, f.wasm_integrity),
    )
}

const BOOT: &str = r#"// The public URL the build is for: src/base.rs routes below it.
window.__hookscopeBase = BASE;
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sourceFile || "") + ":" + (e.lineNumber || 0));
});

// The main wasm, checked against its integrity and compiled. The HTTP cache's copy
// first; if that fails, the server's (a bad copy would be cached for a year).
async function mainModule() {
  let failure;
  for (const cache of ["default", "reload"]) {
    try {
      const r = await fetch(WASM.url, { integrity: WASM.integrity, cache });
      if (!r.ok) throw new Error(`${WASM.url} answered HTTP ${r.status}`);
      return await (r.headers.get("Content-Type") === "application/wasm"
        ? WebAssembly.compileStreaming(r)
        : WebAssembly.compile(await r.arrayBuffer()));
    } catch (e) {
      console.warn("hookscope:", e);
      failure = e;
    }
  }
  throw failure;
}

// The JS files: their integrity is in index.html (modulepreload), and a failed import
// stays failed for this page. Fetching them from the server refreshes the HTTP cache;
// if every fresh copy matches, a reload will work (once per tab, so never a loop).
async function recover() {
  const files = [GLUE, WASM].concat(LOADER === null ? [] : [LOADER]);
  const fresh = await Promise.all(
    files.map((f) => fetch(f.url, { integrity: f.integrity, cache: "reload" }).then((r) => r.ok, () => false)),
  );
  try {
    if (fresh.every(Boolean) && sessionStorage.getItem(RELOADED) === null) {
      sessionStorage.setItem(RELOADED, "1");
      location.reload();
      return true;
    }
  } catch (e) {
    console.warn("hookscope:", e);
  }
  return false;
}
const RELOADED = "hookscope.boot.reloaded:" + GLUE.url;

// The app's banner classes style it when the stylesheet loaded; the CSP allows CSSOM
// styles, not style attributes.
function notice() {
  const box = document.createElement("div");
  box.className = "error-banner";
  box.setAttribute("role", "alert");
  box.dataset.testid = "boot-failed";
  box.style.margin = "1rem";
  const title = document.createElement("strong");
  title.className = "error-banner__title";
  title.textContent = "hookscope could not be loaded: a file did not match what this page expects, or could not be downloaded.";
  const advice = document.createElement("p");
  advice.className = "error-banner__advice";
  advice.textContent = "This happens while a new version is being published, or when a network or cache damaged a file. Reload the page; if this stays, try again in a few minutes.";
  const reload = document.createElement("button");
  reload.type = "button";
  reload.className = "error-banner__retry";
  reload.textContent = "Reload";
  reload.dataset.testid = "boot-reload";
  reload.addEventListener("click", async () => {
    reload.disabled = true;
    await Promise.all(
      [GLUE, WASM].concat(LOADER === null ? [] : [LOADER]).map((f) => fetch(f.url, { cache: "reload" }).catch(() => {})),
    );
    location.reload();
  });
  box.append(title, advice, reload);
  document.body.prepend(box);
}

let parts;
try {
  const [glue, loader, module] = await Promise.all([
    import(GLUE.url),
    LOADER === null ? null : import(LOADER.url),
    mainModule(),
  ]);
  parts = { glue, loader, module };
} catch (e) {
  console.error("hookscope could not be loaded:", e);
  if (!(await recover())) notice();
}
if (parts !== undefined) {
  try {
    sessionStorage.removeItem(RELOADED);
  } catch {}
  const { glue, loader, module } = parts;
  // Chunks link against the main module's memory and table (src/platform/split.rs).
  if (loader !== null) loader.useMain(() => glue.initSync(undefined, undefined));
  const wasm = await glue.default({ module_or_path: module });
  window.wasmBindings = glue;
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// Trunk 0.21.14's inline loader for this project (index.html's `data-trunk rel="rust"`).
    const TRUNK: &str = "\nimport init, * as bindings from '/hookscope/hookscope-1a2b3c4d5e6f7a8b.js';\nconst wasm = await init({ module_or_path: '/hookscope/hookscope-1a2b3c4d5e6f7a8b_bg.wasm' });\n\n\nwindow.wasmBindings = bindings;\n\n\ndispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n\n";

    #[test]
    fn reads_trunks_loader() {
        assert_eq!(
            read_trunk_loader(TRUNK).unwrap(),
            TrunkLoader {
                js: "/hookscope/hookscope-1a2b3c4d5e6f7a8b.js".into(),
                wasm: "/hookscope/hookscope-1a2b3c4d5e6f7a8b_bg.wasm".into(),
            }
        );
    }

    #[test]
    fn refuses_a_loader_it_does_not_know() {
        // Trunk with `data-initializer`: the initializer would be dropped.
        let with_initializer = TRUNK.replace(
            "import init, * as bindings",
            "import initializer from '/init.js';\nimport init, * as bindings",
        );
        for bad in [
            with_initializer,
            TRUNK.replace("window.wasmBindings", "window.other"),
            format!("{TRUNK}console.log(1);"),
            String::new(),
        ] {
            let e = read_trunk_loader(&bad).unwrap_err().to_string();
            assert!(e.contains("Trunk's inline loader"), "{e}");
        }
    }

    #[test]
    fn the_boot_file_names_every_file_with_its_integrity() {
        let boot = write(&BootFiles {
            base: "/hookscope/",
            glue: "/hookscope/hookscope-aaaaaaaaaaaaaaaa.js",
            loader: Some("/hookscope/split-bbbbbbbbbbbbbbbb.js"),
            wasm: "/hookscope/hookscope-cccccccccccccccc_bg.wasm",
            wasm_integrity: "sha384-w",
            glue_integrity: "sha384-g",
            loader_integrity: Some("sha384-l"),
        });
        assert!(boot.contains(r#"const BASE = "/hookscope/";"#), "{boot}");
        assert!(boot.contains(r#"const GLUE = { url: "/hookscope/hookscope-aaaaaaaaaaaaaaaa.js", integrity: "sha384-g" };"#), "{boot}");
        assert!(
            boot.contains(r#"url: "/hookscope/split-bbbbbbbbbbbbbbbb.js", integrity: "sha384-l""#),
            "{boot}"
        );
        assert!(boot.contains(r#"const WASM = { url: "/hookscope/hookscope-cccccccccccccccc_bg.wasm", integrity: "sha384-w" };"#), "{boot}");
        assert!(boot.contains("fetch(WASM.url, { integrity: WASM.integrity, cache })"));

        // A module that is not cut (debug builds): no split loader.
        let whole = write(&BootFiles {
            base: "/",
            glue: "/g.js",
            loader: None,
            wasm: "/w.wasm",
            wasm_integrity: "sha384-w",
            glue_integrity: "sha384-g",
            loader_integrity: None,
        });
        assert!(whole.contains("const LOADER = null;"), "{whole}");
    }
}
