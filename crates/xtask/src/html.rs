//! `index.html`, read and rewritten with an HTML parser (lol_html, the streaming rewriter
//! Trunk itself uses).
//!
//! Trunk writes into the page's head: a `modulepreload` of wasm-bindgen's JS, a `preload`
//! of the wasm, one stylesheet link per `data-trunk rel="css"` and the inline loader.
//! [`read`] finds exactly those (and refuses any other script or link, which would
//! escape hashing and integrity); [`rewrite`] puts the shipped files in their places.

use anyhow::{anyhow, bail, Result};
use lol_html::html_content::{ContentType, Element};
use lol_html::{element, rewrite_str, text, RewriteStrSettings};
use std::cell::RefCell;

/// What Trunk wrote into the page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TrunkPage {
    /// wasm-bindgen's JS (the `modulepreload`'s href).
    pub glue: String,
    /// The wasm (the `preload`'s href).
    pub wasm: String,
    /// Stylesheet hrefs, in the page's order.
    pub stylesheets: Vec<String>,
    /// The inline module script's text.
    pub loader: String,
}

type HandlerResult = std::result::Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn attr(el: &Element, name: &str) -> std::result::Result<String, String> {
    el.get_attribute(name)
        .ok_or_else(|| format!("a <{}> without {name}", el.tag_name()))
}

/// Reads what Trunk wrote; anything unexpected is an error naming it.
pub fn read(html: &str) -> Result<TrunkPage> {
    let page = RefCell::new(TrunkPage::default());
    let counts = RefCell::new((0, 0, 0)); // modulepreloads, preloads, scripts
    let policy = RefCell::new(None::<String>);
    let on_link = |el: &mut Element| -> HandlerResult {
        let rel = attr(el, "rel")?;
        let href = attr(el, "href")?;
        let mut page = page.borrow_mut();
        let mut counts = counts.borrow_mut();
        match rel.as_str() {
            "modulepreload" => {
                counts.0 += 1;
                page.glue = href;
            }
            "preload" if el.get_attribute("as").as_deref() == Some("fetch") && href.ends_with(".wasm") => {
                counts.1 += 1;
                page.wasm = href;
            }
            "stylesheet" => page.stylesheets.push(href),
            _ => return Err(format!("a <link rel=\"{rel}\" href=\"{href}\"> this tool does not know (its file would not be hashed)").into()),
        }
        Ok(())
    };
    let on_script = |el: &mut Element| -> HandlerResult {
        if el.get_attribute("type").as_deref() != Some("module")
            || el.get_attribute("src").is_some()
        {
            return Err("a <script> other than Trunk's inline module loader".into());
        }
        counts.borrow_mut().2 += 1;
        Ok(())
    };
    let on_script_text = |t: &mut lol_html::html_content::TextChunk| -> HandlerResult {
        page.borrow_mut().loader.push_str(t.as_str());
        Ok(())
    };
    let on_meta = |el: &mut Element| -> HandlerResult {
        if el
            .get_attribute("http-equiv")
            .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"))
        {
            *policy.borrow_mut() = el.get_attribute("content");
        }
        Ok(())
    };
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("link", on_link),
                element!("script", on_script),
                text!("script", on_script_text),
                element!("meta", on_meta),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| anyhow!("index.html: {e}"))?;
    let (modulepreloads, preloads, scripts) = counts.into_inner();
    if (modulepreloads, preloads, scripts) != (1, 1, 1) {
        bail!("index.html: expected Trunk's one modulepreload, one wasm preload and one inline loader, found {modulepreloads}, {preloads} and {scripts}");
    }
    // The point of moving the loader out: a policy that forbids inline scripts.
    match policy.into_inner() {
        Some(p) if !p.contains("'unsafe-inline'") && p.contains("script-src 'self'") => {}
        Some(p) => bail!("index.html: the Content-Security-Policy must have script-src 'self' and no 'unsafe-inline': {p}"),
        None => bail!("index.html has no Content-Security-Policy meta tag"),
    }
    Ok(page.into_inner())
}

/// A shipped file as the page refers to it: URL (with the public URL) and integrity.
#[derive(Clone, Debug)]
pub struct Ref {
    pub url: String,
    pub integrity: String,
}

/// What the page loads in place of Trunk's elements.
pub struct Head {
    pub boot: Ref,
    pub glue: Ref,
    pub loader: Option<Ref>,
    pub wasm: Ref,
    pub stylesheet: Option<Ref>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The page with Trunk's elements replaced by the shipped files' (each with integrity):
/// one stylesheet where the first was, the JS and wasm preloads where Trunk's were, the
/// boot file where the inline loader was. Run [`read`] first: this assumes its checks.
pub fn rewrite(html: &str, head: &Head) -> Result<String> {
    let link = |rel: &str, extra: &str, r: &Ref| {
        format!(
            r#"<link rel="{rel}" href="{}"{extra} integrity="{}" crossorigin="anonymous">"#,
            esc(&r.url),
            esc(&r.integrity)
        )
    };
    let modulepreloads = std::iter::once(&head.glue)
        .chain(head.loader.as_ref())
        .map(|r| link("modulepreload", "", r))
        .collect::<Vec<_>>()
        .join("\n    ");
    let preload = link(
        "preload",
        r#" as="fetch" type="application/wasm""#,
        &head.wasm,
    );
    let stylesheet = head.stylesheet.as_ref().map(|r| link("stylesheet", "", r));
    let boot = format!(
        r#"<script type="module" src="{}" integrity="{}" crossorigin="anonymous"></script>"#,
        esc(&head.boot.url),
        esc(&head.boot.integrity)
    );
    let first_sheet = RefCell::new(true);
    let out = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("link[rel=modulepreload]", |el| {
                    el.replace(&modulepreloads, ContentType::Html);
                    Ok(())
                }),
                element!("link[rel=preload]", |el| {
                    el.replace(&preload, ContentType::Html);
                    Ok(())
                }),
                element!("link[rel=stylesheet]", |el| {
                    match (&stylesheet, first_sheet.replace(false)) {
                        (Some(s), true) => el.replace(s, ContentType::Html),
                        _ => el.remove(),
                    }
                    Ok(())
                }),
                element!("script", |el| {
                    el.replace(&boot, ContentType::Html);
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| anyhow!("index.html: {e}"))?;
    Ok(out)
}

/// Every URL the page loads by itself (`link` hrefs and `script` srcs; [`read`] allows no
/// other kind of link), in page order: the first load's files.
pub fn references(html: &str) -> Result<Vec<String>> {
    let urls = RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("link[href]", |el| {
                    urls.borrow_mut().push(attr(el, "href")?);
                    Ok(())
                }),
                element!("script[src]", |el| {
                    urls.borrow_mut().push(attr(el, "src")?);
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| anyhow!("index.html: {e}"))?;
    Ok(urls.into_inner())
}
