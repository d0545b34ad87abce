//! Fixture tests of the release step's rewriting, on the real outputs of the tools it
//! follows (Trunk 0.21.14, wasm-split-cli 0.2.4, wasm-bindgen 0.2.130) for this project,
//! kept in `tests/fixtures/`.

use std::collections::BTreeMap;
use xtask::split_loader::{self, Shipped};
use xtask::{boot, glue, hashing, html};

const TRUNK_INDEX: &str = include_str!("fixtures/trunk-index.html");
const SPLIT_LOADER: &str = include_str!("fixtures/wasm-split-loader.js");
const GLUE: &str = include_str!("fixtures/wasm-bindgen-glue.js");

fn shipped(program: &split_loader::SplitProgram) -> BTreeMap<String, Shipped> {
    program
        .files()
        .iter()
        .map(|f| {
            let stem = f.strip_suffix(".wasm").unwrap();
            let bytes = format!("bytes of {f}");
            let s = Shipped {
                name: hashing::hashed_name(stem, bytes.as_bytes(), ".wasm"),
                integrity: hashing::sri(bytes.as_bytes()),
            };
            (f.to_string(), s)
        })
        .collect()
}

// --- wasm-split-cli's loader: the manifest of which split point needs which file ---

#[test]
fn the_split_loader_says_which_split_point_needs_which_file() {
    let p = split_loader::read(SPLIT_LOADER).unwrap();
    assert_eq!(
        p.shared,
        [
            "__indirect_function_table",
            "__wasm_split_shared0",
            "memory"
        ]
    );
    let names: Vec<&str> = p.splits.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["results", "demo", "connections", "bulk"]);
    assert_eq!(p.chunks.len(), 8);
    assert_eq!(p.chunks[0].file, "chunk_5.wasm");
    assert_eq!(p.chunks[0].users, ["bulk", "connections"]);

    let ship = shipped(&p);
    let needs = p.needs(&ship).unwrap();
    let name = |f: &str| ship[f].name.clone();
    // From the loader: results needs chunks 6, 7, 9, 10, 11, 12 and its own file.
    assert_eq!(
        needs["results"],
        [
            "chunk_6",
            "chunk_7",
            "chunk_9",
            "chunk_10",
            "chunk_11",
            "chunk_12",
            "split_results"
        ]
        .map(|f| name(&format!("{f}.wasm")))
    );
    assert_eq!(
        needs["connections"],
        [
            "chunk_5",
            "chunk_6",
            "chunk_7",
            "chunk_11",
            "split_connections"
        ]
        .map(|f| name(&format!("{f}.wasm")))
    );
    assert_eq!(needs.len(), 4);
}

#[test]
fn the_shipped_loader_fetches_every_file_with_its_integrity() {
    let p = split_loader::read(SPLIT_LOADER).unwrap();
    let ship = shipped(&p);
    let js = split_loader::write(&p, &ship).unwrap();
    for f in p.files() {
        let s = &ship[f];
        assert!(
            js.contains(&format!("part(\"./{}\", \"{}\", [", s.name, s.integrity)),
            "{f} with its integrity:\n{js}"
        );
        assert!(
            !js.contains(&format!("\"./{f}\"")),
            "{f} under its unhashed name"
        );
    }
    // The same exports wasm-bindgen's JS imports, each with its chunks.
    assert!(js.contains("export const __wasm_split_load_results = entry(part(\"./split_results-"));
    assert!(
        js.contains(", [__chunk_6, __chunk_7, __chunk_9, __chunk_10, __chunk_11, __chunk_12]));")
    );
    assert!(js.contains(
        "const SHARED = [\"__indirect_function_table\", \"__wasm_split_shared0\", \"memory\"];"
    ));
    // It imports nothing (the boot file hands it the main module: no cycle of names), and
    // a retry bypasses the HTTP cache.
    assert!(!js.contains("import "), "{js}");
    assert!(js.contains("cache: fresh ? \"reload\" : \"default\""));
    assert!(js.contains("fetch(new URL(url, import.meta.url), { integrity,"));
}

#[test]
fn a_loader_in_another_form_is_refused() {
    let cases = [
        // A debug build's loader (a canary import, debugWrap).
        SPLIT_LOADER.replace("__wasm_split: {  }", "__wasm_split: { __canary: ~0xdead, }"),
        // A changed runtime (another fetch).
        SPLIT_LOADER.replacen(
            "const src = fetch(new URL(",
            "const src = fetch2(new URL(",
            1,
        ),
        // A chunk in a subfolder.
        SPLIT_LOADER.replace("\"./chunk_5.wasm\"", "\"./x/chunk_5.wasm\""),
        // A chunk's comment that does not match who loads it.
        SPLIT_LOADER.replace("/* bulk, connections */", "/* bulk */"),
        // A dependency that is not declared.
        SPLIT_LOADER.replace(
            "[__chunk_5, __chunk_6, __chunk_7, __chunk_11]",
            "[__chunk_5, __chunk_99]",
        ),
        // Something appended.
        format!("{SPLIT_LOADER}\nconsole.log('x');\n"),
        // Names of the shared exports that disagree.
        SPLIT_LOADER.replacen(
            "{ __indirect_function_table, __wasm_split_shared0, memory,  });",
            "{ memory });",
            1,
        ),
    ];
    for (i, bad) in cases.iter().enumerate() {
        assert!(split_loader::read(bad).is_err(), "case {i} was accepted");
    }
    let e = split_loader::read(&cases[1]).unwrap_err().to_string();
    assert!(e.contains("wasm-split-cli's loader"), "{e}");
    assert!(e.contains("line "), "{e}");
}

// --- wasm-bindgen's JS ---

#[test]
fn the_glue_imports_the_shipped_loader() {
    let out = glue::import_loader_from(GLUE, "split-0123456789abcdef.js").unwrap();
    assert_eq!(
        out.matches("from \"./split-0123456789abcdef.js\"").count(),
        4
    );
    assert!(!out.contains("from \"./__wasm_split.js\""));
    // The wasm's import keys stay.
    assert_eq!(out.matches("\"./__wasm_split.js\": import").count(), 4);
    for bad in [
        GLUE.replace(
            "import * as import1 from \"./__wasm_split.js\"",
            "import { x } from \"./__wasm_split.js\"",
        ),
        GLUE.replace("\"./__wasm_split.js\"", "\"./other.js\""),
        GLUE.replace("export { initSync,", "export {"),
    ] {
        assert!(
            glue::import_loader_from(&bad, "split-0123456789abcdef.js").is_err(),
            "{bad}"
        );
    }
}

// --- index.html ---

#[test]
fn reads_what_trunk_wrote_into_the_page() {
    let page = html::read(TRUNK_INDEX).unwrap();
    assert_eq!(page.glue, "/hookscope-7e021072277c187e.js");
    assert_eq!(page.wasm, "/hookscope-7e021072277c187e_bg.wasm");
    assert_eq!(page.stylesheets.len(), 7);
    assert_eq!(page.stylesheets[0], "/vars-882e7afa84a30a21.css");
    assert_eq!(page.stylesheets[6], "/bulk-2758748c7833a13b.css");
    // The inline loader is Trunk's, naming the same files.
    let trunk = boot::read_trunk_loader(&page.loader).unwrap();
    assert_eq!((trunk.js, trunk.wasm), (page.glue, page.wasm));
}

#[test]
fn refuses_a_page_it_does_not_know() {
    let cases = [
        // A second script would run unhashed and unchecked.
        TRUNK_INDEX.replace("</head>", "<script src=\"/x.js\"></script></head>"),
        // A link this tool does not hash.
        TRUNK_INDEX.replace(
            "</head>",
            "<link rel=\"icon\" href=\"/favicon.svg\"></head>",
        ),
        // No inline loader (Trunk's inject_scripts = false).
        TRUNK_INDEX
            .replace("<script type=\"module\">", "<template>")
            .replace("</script>", "</template>"),
        // A policy that allows inline scripts, or none.
        TRUNK_INDEX.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
        TRUNK_INDEX.replace("http-equiv=\"Content-Security-Policy\"", "name=\"x\""),
    ];
    for (i, bad) in cases.iter().enumerate() {
        assert!(html::read(bad).is_err(), "case {i} was accepted");
    }
    let e = html::read(&cases[1]).unwrap_err().to_string();
    assert!(e.contains("rel=\"icon\""), "{e}");
}

#[test]
fn the_page_loads_the_shipped_files_with_their_integrity() {
    let r = |url: &str, sri: &str| html::Ref {
        url: url.into(),
        integrity: sri.into(),
    };
    let out = html::rewrite(
        TRUNK_INDEX,
        &html::Head {
            boot: r("/boot-1111111111111111.js", "sha384-b"),
            glue: r("/hookscope-2222222222222222.js", "sha384-g"),
            loader: Some(r("/split-3333333333333333.js", "sha384-l")),
            wasm: r("/hookscope-4444444444444444_bg.wasm", "sha384-w"),
            stylesheet: Some(r("/style-5555555555555555.css", "sha384-s")),
        },
    )
    .unwrap();
    assert!(
        !out.contains("import init"),
        "the inline loader is gone:\n{out}"
    );
    assert!(
        !out.contains("7e021072277c187e"),
        "Trunk's names are gone:\n{out}"
    );
    assert_eq!(out.matches("<script").count(), 1, "{out}");
    assert_eq!(out.matches("rel=\"stylesheet\"").count(), 1, "{out}");
    for want in [
        r#"<script type="module" src="/boot-1111111111111111.js" integrity="sha384-b" crossorigin="anonymous"></script>"#,
        r#"<link rel="modulepreload" href="/hookscope-2222222222222222.js" integrity="sha384-g" crossorigin="anonymous">"#,
        r#"<link rel="modulepreload" href="/split-3333333333333333.js" integrity="sha384-l" crossorigin="anonymous">"#,
        r#"<link rel="preload" href="/hookscope-4444444444444444_bg.wasm" as="fetch" type="application/wasm" integrity="sha384-w" crossorigin="anonymous">"#,
        r#"<link rel="stylesheet" href="/style-5555555555555555.css" integrity="sha384-s" crossorigin="anonymous">"#,
    ] {
        assert!(out.contains(want), "{want} in:\n{out}");
    }
    // The stylesheet comes where the first one was, before the scripts' preloads; the
    // rest of the page is untouched.
    assert!(out.find("rel=\"stylesheet\"").unwrap() < out.find("modulepreload").unwrap());
    assert!(out.contains("<noscript>hookscope needs JavaScript and WebAssembly.</noscript>"));
    assert!(out.contains("<meta http-equiv=\"Content-Security-Policy\""));
    // What the size report counts as the first load: exactly these, in page order.
    assert_eq!(
        html::references(&out).unwrap(),
        [
            "/boot-1111111111111111.js",
            "/style-5555555555555555.css",
            "/hookscope-2222222222222222.js",
            "/split-3333333333333333.js",
            "/hookscope-4444444444444444_bg.wasm",
        ]
    );
}

#[test]
fn a_sub_path_build_keeps_its_public_url() {
    let sub = TRUNK_INDEX
        .replace("\"/", "\"/hookscope/")
        .replace("'/", "'/hookscope/");
    let page = html::read(&sub).unwrap();
    assert_eq!(page.glue, "/hookscope/hookscope-7e021072277c187e.js");
    let trunk = boot::read_trunk_loader(&page.loader).unwrap();
    assert_eq!(trunk.wasm, "/hookscope/hookscope-7e021072277c187e_bg.wasm");
}
