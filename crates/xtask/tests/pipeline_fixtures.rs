//! Fixture tests of the steps around the external tools: the hook on a staging folder as
//! Trunk leaves it (a debug build, which runs no external tool), and the size report
//! with its budgets on a small build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use xtask::compress::{brotli, gzip};
use xtask::hashing::{hashed_name, is_hashed_name, sri};
use xtask::manifest::Manifest;
use xtask::release::{self, Build};
use xtask::sizes::{Budget, Report, FIRST_LOAD};

const TRUNK_INDEX: &str = include_str!("fixtures/trunk-index.html");

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    n.sort();
    n
}

/// A staging folder as Trunk leaves it for the fixture's index.html.
fn trunk_staging(dir: &Path) {
    std::fs::write(dir.join("index.html"), TRUNK_INDEX).unwrap();
    std::fs::write(
        dir.join("hookscope-7e021072277c187e.js"),
        "export function initSync() {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("hookscope-7e021072277c187e_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    for sheet in [
        "vars-882e7afa84a30a21",
        "layout-91ed6befb6c30c5b",
        "forms-86a86bcaf80208e2",
        "table-d4414d361f48cd51",
        "detail-728a32b8fe22795c",
        "banner-224d01100ad1b7c4",
        "bulk-2758748c7833a13b",
    ] {
        std::fs::write(
            dir.join(format!("{sheet}.css")),
            format!(".{} {{}}", sheet.split('-').next().unwrap()),
        )
        .unwrap();
    }
}

/// A debug build (the hook runs no external tool) in a new folder `name`, its staging
/// folder as Trunk leaves it.
fn debug_build(name: &str) -> Build {
    let root = temp(name);
    let staging = root.join("stage");
    std::fs::create_dir_all(&staging).unwrap();
    trunk_staging(&staging);
    Build {
        release: false,
        staging,
        dist: root.join("dist"),
        public_url: "/".into(),
        target_dir: root.join("target"),
        root,
    }
}

#[test]
fn the_hook_names_every_file_by_its_content_and_the_page_checks_each() {
    let build = debug_build("hook");
    let (root, staging) = (&build.root, &build.staging);
    release::run(&build).unwrap();

    let files = names(staging);
    // Trunk's files are gone; the rest are named by their content.
    assert!(
        !files
            .iter()
            .any(|f| f.contains("7e021072277c187e") || f.starts_with("vars-")),
        "{files:?}"
    );
    for f in files.iter().filter(|f| *f != "index.html") {
        assert!(is_hashed_name(f), "{f}");
        let bytes = std::fs::read(staging.join(f)).unwrap();
        let (stem, suffix) = match f.split_once('-') {
            Some((stem, rest)) => (
                stem,
                if rest.ends_with("_bg.wasm") {
                    "_bg.wasm"
                } else {
                    &rest[16..]
                },
            ),
            None => panic!("{f}"),
        };
        assert_eq!(
            f,
            &hashed_name(stem, &bytes, suffix),
            "{f} is named by its bytes"
        );
    }
    assert_eq!(
        files.len(),
        5,
        "boot, glue, wasm, one stylesheet, index.html: {files:?}"
    );
    let glue = files
        .iter()
        .find(|f| f.starts_with("hookscope-") && f.ends_with(".js"))
        .unwrap();
    assert_eq!(
        glue,
        &hashed_name("hookscope", b"export function initSync() {}\n", ".js")
    );

    // The stylesheets joined in the page's order, minified.
    let css = files.iter().find(|f| f.starts_with("style-")).unwrap();
    let joined = std::fs::read_to_string(staging.join(css)).unwrap();
    assert_eq!(
        joined,
        ".vars{}.layout{}.forms{}.table{}.detail{}.banner{}.bulk{}"
    );

    // Each file the page loads has its integrity, and the boot file names the wasm's.
    let page = std::fs::read_to_string(staging.join("index.html")).unwrap();
    for f in files
        .iter()
        .filter(|f| *f != "index.html" && !f.ends_with(".wasm"))
    {
        let bytes = std::fs::read(staging.join(f)).unwrap();
        assert!(
            page.contains(&format!("href=\"/{f}\" integrity=\"{}\"", sri(&bytes)))
                || page.contains(&format!("src=\"/{f}\" integrity=\"{}\"", sri(&bytes))),
            "{f} in\n{page}"
        );
    }
    let wasm = files.iter().find(|f| f.ends_with("_bg.wasm")).unwrap();
    let boot = files.iter().find(|f| f.starts_with("boot-")).unwrap();
    let boot_js = std::fs::read_to_string(staging.join(boot)).unwrap();
    assert!(
        boot_js.contains(&format!(
            "url: \"/{wasm}\", integrity: \"{}\"",
            sri(b"\0asm\x01\0\0\0")
        )),
        "{boot_js}"
    );
    assert!(
        boot_js.contains("const LOADER = null;"),
        "a debug build is not cut"
    );
    // The work folder is cleaned up.
    assert!(names(&root.join("target/hookscope-release")).is_empty());
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn the_hook_refuses_a_file_it_would_ship_unhashed() {
    let build = debug_build("unhashed");
    std::fs::write(build.staging.join("favicon.ico"), "x").unwrap();
    let e = release::run(&build).unwrap_err().to_string();
    assert!(
        e.contains("favicon.ico") && e.contains("content-hashed name"),
        "{e}"
    );
    std::fs::remove_dir_all(&build.root).unwrap();
}

/// A small build: index.html naming a boot file, a stylesheet and a wasm; its chunks.
fn small_build(dist: &Path) -> Manifest {
    let file = |name: &str, bytes: &[u8]| {
        std::fs::write(dist.join(name), bytes).unwrap();
        std::fs::write(dist.join(format!("{name}.gz")), gzip(bytes)).unwrap();
        std::fs::write(dist.join(format!("{name}.br")), brotli(bytes)).unwrap();
    };
    let index = r#"<html><head><script type="module" src="/hookscope/boot-0123456789abcdef.js"></script><link rel="stylesheet" href="/hookscope/style-0123456789abcdef.css"><link rel="preload" href="/hookscope/hookscope-0123456789abcdef_bg.wasm" as="fetch"></head></html>"#;
    file("index.html", index.as_bytes());
    file("boot-0123456789abcdef.js", &[b'j'; 1000]);
    file("style-0123456789abcdef.css", &[b'c'; 2000]);
    file("hookscope-0123456789abcdef_bg.wasm", &[b'w'; 10_000]);
    file("chunk_1-0123456789abcdef.wasm", &[b'1'; 3000]);
    file("split_results-0123456789abcdef.wasm", &[b'r'; 4000]);
    file("split_bulk-0123456789abcdef.wasm", &[b'b'; 5000]);
    file("split_demo-0123456789abcdef.wasm", &[b'd'; 100]);
    file("split_connections-0123456789abcdef.wasm", &[b'n'; 100]);
    file("split_calls-0123456789abcdef.wasm", &[b'f'; 600]);
    let splits = BTreeMap::from([
        (
            "results".into(),
            vec![
                "chunk_1-0123456789abcdef.wasm".into(),
                "split_results-0123456789abcdef.wasm".into(),
            ],
        ),
        (
            "bulk".into(),
            vec![
                "chunk_1-0123456789abcdef.wasm".into(),
                "split_bulk-0123456789abcdef.wasm".into(),
            ],
        ),
        (
            "demo".into(),
            vec!["split_demo-0123456789abcdef.wasm".into()],
        ),
        (
            "connections".into(),
            vec!["split_connections-0123456789abcdef.wasm".into()],
        ),
        (
            "calls".into(),
            vec![
                "chunk_1-0123456789abcdef.wasm".into(),
                "split_calls-0123456789abcdef.wasm".into(),
            ],
        ),
    ]);
    Manifest::new(index.as_bytes(), splits)
}

#[test]
fn the_report_adds_up_what_each_visit_downloads() {
    let dist = temp("sizes");
    let m = small_build(&dist);
    let r = Report::measure(&dist, &m).unwrap();
    let first = r.visit(FIRST_LOAD);
    let index_len = std::fs::metadata(dist.join("index.html")).unwrap().len();
    assert_eq!(first.raw, index_len + 1000 + 2000 + 10_000);
    // A first lookup: the first load, the chunk and the results view's own file.
    assert_eq!(r.visit("first lookup").raw, first.raw + 3000 + 4000);
    // The demo's first visit counts the shared chunk once.
    assert_eq!(
        r.visit("demo first visit").raw,
        first.raw + 3000 + 4000 + 100
    );
    // Finding a call: the results view, then the call search's own file.
    assert_eq!(r.visit("find a call").raw, first.raw + 3000 + 4000 + 600);
    let gz = |f: &str| {
        std::fs::metadata(dist.join(format!("{f}.gz")))
            .unwrap()
            .len()
    };
    let br = |f: &str| {
        std::fs::metadata(dist.join(format!("{f}.br")))
            .unwrap()
            .len()
    };
    assert_eq!(
        r.visit("bulk page").gzip,
        first.gzip + gz("chunk_1-0123456789abcdef.wasm") + gz("split_bulk-0123456789abcdef.wasm")
    );
    assert_eq!(
        r.visit("bulk page").brotli,
        first.brotli + br("chunk_1-0123456789abcdef.wasm") + br("split_bulk-0123456789abcdef.wasm")
    );
    let text = r.render(&[]);
    assert!(text.contains("first lookup"), "{text}");
    assert!(text.contains("brotli"), "{text}");
    std::fs::remove_dir_all(&dist).unwrap();
}

#[test]
fn budgets_fail_what_is_over_and_only_that() {
    let dist = temp("budget");
    let m = small_build(&dist);
    let r = Report::measure(&dist, &m).unwrap();
    let first = r.visit(FIRST_LOAD).gzip;
    let lookup = r.visit("first lookup").gzip;
    let at = |first_load: u64, first_lookup: u64| {
        [
            Budget {
                visit: FIRST_LOAD,
                gzip: first_load,
            },
            Budget {
                visit: "first lookup",
                gzip: first_lookup,
            },
        ]
    };
    assert!(
        r.over_budget(&at(first, lookup)).is_empty(),
        "equal is within"
    );
    let over = r.over_budget(&at(first - 1, lookup));
    assert_eq!(over.len(), 1);
    assert!(over[0].starts_with("the first load is "), "{over:?}");
    let over = r.over_budget(&at(first, lookup - 1));
    assert_eq!(over.len(), 1);
    assert!(over[0].starts_with("the first lookup is "), "{over:?}");
    assert!(r.render(&at(first, lookup - 1)).contains("OVER"));
    std::fs::remove_dir_all(&dist).unwrap();
}

#[test]
fn the_report_refuses_a_build_it_cannot_account_for() {
    let dist = temp("refuse");
    let m = small_build(&dist);
    // A precompressed copy missing.
    std::fs::remove_file(dist.join("split_demo-0123456789abcdef.wasm.br")).unwrap();
    let e = Report::measure(&dist, &m).err().unwrap().to_string();
    assert!(e.contains("split_demo-0123456789abcdef.wasm.br"), "{e}");
    // A file the page names that is not there.
    let m = small_build(&dist);
    std::fs::remove_file(dist.join("style-0123456789abcdef.css")).unwrap();
    let e = Report::measure(&dist, &m).err().unwrap().to_string();
    assert!(e.contains("style-0123456789abcdef.css"), "{e}");
    std::fs::remove_dir_all(&dist).unwrap();
}
