//! wasm-bindgen's JS for the cut module imports the split loader from
//! `./__wasm_split.js` (the import module wasm-split-cli gives the loader functions of
//! the main part): `import * as import1 from "./__wasm_split.js"`, one per function. The
//! loader ships under a hashed name, so these imports follow it; the wasm's own import
//! keys (`"./__wasm_split.js": import1,`) are only names and stay.

use anyhow::{bail, Result};

const SPECIFIER: &str = "\"./__wasm_split.js\"";

/// The glue with its imports of the split loader pointing at `loader` (a file beside it).
/// Any other mention of the loader is an error, and so is a glue without `initSync`,
/// which the boot file hands the split loader.
pub fn import_loader_from(glue: &str, loader: &str) -> Result<String> {
    let mut imports = 0;
    let mut out = String::with_capacity(glue.len());
    for (n, line) in glue.split_inclusive('\n').enumerate() {
        if !line.contains(SPECIFIER) {
            out.push_str(line);
            continue;
        }
        let t = line.trim();
        let import = t
            .strip_prefix("import * as ")
            .and_then(|r| r.split_once(" from "))
            .filter(|(name, from)| is_name(name) && from.trim_end_matches(';') == SPECIFIER);
        let key = t
            .strip_prefix(&format!("{SPECIFIER}: "))
            .and_then(|r| r.strip_suffix(','))
            .is_some_and(is_name);
        if import.is_some() {
            imports += 1;
            out.push_str(&line.replace(SPECIFIER, &format!("\"./{loader}\"")));
        } else if key {
            out.push_str(line);
        } else {
            bail!(
                "wasm-bindgen's JS mentions the split loader in a way this tool does not know, line {}: {t}",
                n + 1
            );
        }
    }
    if imports == 0 {
        bail!(
            "wasm-bindgen's JS does not import the split loader ({SPECIFIER}): was the module cut?"
        );
    }
    if !glue.contains("export { initSync,") {
        bail!("wasm-bindgen's JS does not export initSync (the split loader needs the main module's exports)");
    }
    Ok(out)
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}
