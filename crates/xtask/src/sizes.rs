//! The size report (`cargo xtask sizes`) and its budgets: what the first load, each split
//! point and the paths people take download, raw and as the precompressed files the
//! release step wrote (gzip -9 and brotli 11), which is what a server sends.

use crate::compress::beside;
use crate::html;
use crate::manifest::Manifest;
use anyhow::{bail, Context, Result};
use std::fmt::Write;
use std::ops::Add;
use std::path::Path;

/// Budgets, in gzip bytes. Lower one when a change makes room; a rise is said here with
/// what it paid for.
pub const BUDGETS: [Budget; 2] = [
    // The first screen: what every visitor downloads before anything shows (the shell;
    // each page, the explorer too, is a part of its own). 250 kB was the goal; the
    // explorer moving out made room, so the budget came down with it (200 kB); the call
    // search box and the first screen's stylesheet then added 4.1 kB. 202.0 kB measured
    // 2026-11-30 after the work on bytes (which moved nothing out of the first load).
    Budget {
        visit: FIRST_LOAD,
        gzip: 203_000,
    },
    // The first lookup (first load + the explorer page with its results view): 595.8 kB
    // when the explorer was still part of the first load, 583.9 kB once it moved out; the
    // team deployment (session, managed connections) then added 5.6 kB, the call search
    // and the first screen 11.5 kB more (601.0 kB), a connection's rate-limit budget with
    // the pace a load shows 2.3 kB (603.4 kB). The goal is far lower (350 kB): the work on
    // bytes brings this down, not another rise. Measured 2026-11-30 (`cargo xtask sizes`
    // on a release build): chrono's format parser out (RFC 3339 and HTTP dates read by
    // hand) -8.2 kB, the odd-item decoder reading from text instead of a serde_json
    // `Value` -6.8 kB: 588.3 kB, budget that plus 1.2 kB. Then, on 2026-12-01, a rise
    // of 5.0 kB for the keystroke at 100,000 rows: the overview chart writes new counts
    // into its bars instead of building 48 bars again (4.3 kB, most of it the effect
    // that writes them; 5 to 8 ms less per keystroke that changes the rows), the table
    // keeps the rows that stay in view, and the search walks each lookup's slices
    // (0.4 kB): 594.0 kB. Cheaper ways to the same speed are welcome here. Later on
    // 2026-12-01, a rise of 1.7 kB for the load: Talkover's logs read field by field,
    // each payload as its text as sent (no `#[serde(flatten)]` buffer, no tree written
    // back, no check of every number on a page) with escapes that need none written as
    // themselves, Fx hashing in the grouping, the progress bar drawn once a frame (decode
    // and grouping of 1,000 logs in Chromium 7.9–10.8 → 4.8–6.7 ms): 595.7 kB. A fan-out
    // that starts a page as soon as any ends cost 1.4 kB more for no measured gain: not
    // kept. On 2026-12-01 (later), 2.5 kB for rows shown as a webhook's pages arrive
    // (the rows so far grouped and indexed in a task of their own, Cancel keeping them
    // with a note) and the load's bar made once and drawn every 250 ms: 598.1 kB. On
    // 2026-12-02, 1.5 kB for a load that draws: slices wait for a frame when none came
    // for 25 ms (Chromium drew nothing for 100 ms at a time while 100,000 rows were
    // grouped), a replaced result's rows freed a slice at a time (23 ms at once on a
    // quick machine), and `deferred` setting only its newest value: 599.6 kB. Then
    // 0.3 kB for proving a result's IDs unique a slice at a time (17 ms as one task at
    // 100,000 rows on a quick machine): 599.9 kB. Then 0.7 kB for the time after a load's
    // last page (493 → 399 ms at 100,000 on a quick machine, back to back): frame waits
    // ended by a timer the frame's callback posts instead of polling every 4 ms, and the
    // grouping checking each timestamp's text without writing it (chrono's writer was a
    // tenth of grouping): 600.6 kB. The chart's bars built only when their number changes
    // cost 0.9 kB for no measured gain: not kept.
    Budget {
        visit: "first lookup",
        gzip: 601_100,
    },
];

pub const FIRST_LOAD: &str = "first load";

/// What a visit downloads: the first load and the files of these split points.
pub const VISITS: [(&str, &[&str]); 5] = [
    ("first lookup", &["results"]),
    ("demo first visit", &["results", "demo"]),
    // A search in the call search box: the explorer, then the call search's chunk.
    ("find a call", &["results", "calls"]),
    ("bulk page", &["bulk"]),
    ("connections page", &["connections"]),
];

#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub visit: &'static str,
    pub gzip: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl Add for Size {
    type Output = Size;
    fn add(self, o: Size) -> Size {
        Size {
            raw: self.raw + o.raw,
            gzip: self.gzip + o.gzip,
            brotli: self.brotli + o.brotli,
        }
    }
}

/// A file's size and its precompressed copies' (which must be there).
pub fn size_of(dist: &Path, file: &str) -> Result<Size> {
    let path = dist.join(file);
    let len = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .with_context(|| format!("no {} (the release step writes it)", p.display()))
    };
    Ok(Size {
        raw: len(&path)?,
        gzip: len(&beside(&path, "gz"))?,
        brotli: len(&beside(&path, "br"))?,
    })
}

fn total(dist: &Path, files: &[String]) -> Result<Size> {
    files
        .iter()
        .try_fold(Size::default(), |t, f| Ok(t + size_of(dist, f)?))
}

/// The kinds of file the tables split totals into.
const KINDS: [&str; 4] = ["html", "js", "css", "wasm"];

fn by_kind(dist: &Path, files: &[String]) -> Result<Vec<(&'static str, Size)>> {
    let mut rows = Vec::new();
    for kind in KINDS {
        let of_kind: Vec<String> = files
            .iter()
            .filter(|f| f.rsplit('.').next() == Some(kind))
            .cloned()
            .collect();
        rows.push((kind, total(dist, &of_kind)?));
    }
    if let Some(f) = files
        .iter()
        .find(|f| !KINDS.iter().any(|k| f.ends_with(&format!(".{k}"))))
    {
        bail!("{f}: a kind of file the size report does not know");
    }
    Ok(rows)
}

pub struct Report {
    /// index.html and what it loads, by kind.
    pub first_load: Vec<(&'static str, Size)>,
    /// Each split point: its files' size and count.
    pub splits: Vec<(String, Size, usize)>,
    /// First load + each visit's split points.
    pub visits: Vec<(&'static str, Size)>,
    /// Every file of the build, by kind.
    pub every_file: Vec<(&'static str, Size)>,
}

/// The first load's files: index.html and every file it names (by name in `dist`).
pub fn first_load_files(dist: &Path) -> Result<Vec<String>> {
    let page = std::fs::read_to_string(dist.join("index.html")).with_context(|| {
        format!(
            "no {}/index.html: run `trunk build --release`",
            dist.display()
        )
    })?;
    let mut files = vec!["index.html".to_string()];
    for url in html::references(&page)? {
        let name = url.rsplit('/').next().unwrap_or(&url).to_string();
        if !dist.join(&name).is_file() {
            bail!("index.html names {url}, which is not in {}", dist.display());
        }
        if !files.contains(&name) {
            files.push(name);
        }
    }
    Ok(files)
}

impl Report {
    pub fn measure(dist: &Path, manifest: &Manifest) -> Result<Report> {
        let first = first_load_files(dist)?;
        let first_load = by_kind(dist, &first)?;
        let first_total = sum(&first_load);
        let mut splits = Vec::new();
        for name in manifest.splits.keys() {
            let files = manifest.needs(&[name])?;
            splits.push((name.clone(), total(dist, &files)?, files.len()));
        }
        let mut visits = vec![(FIRST_LOAD, first_total)];
        for (visit, points) in VISITS {
            visits.push((visit, first_total + total(dist, &manifest.needs(points)?)?));
        }
        let mut every = Vec::new();
        for entry in std::fs::read_dir(dist)? {
            let name = entry?
                .file_name()
                .into_string()
                .map_err(|n| anyhow::anyhow!("a file name that is not UTF-8: {n:?}"))?;
            if !(name.ends_with(".br") || name.ends_with(".gz")) {
                every.push(name);
            }
        }
        every.sort();
        Ok(Report {
            first_load,
            splits,
            visits,
            every_file: by_kind(dist, &every)?,
        })
    }

    pub fn visit(&self, name: &str) -> Size {
        self.visits
            .iter()
            .find(|(v, _)| *v == name)
            .map(|(_, s)| *s)
            .expect("a visit of the report")
    }

    /// What is over its budget, one line each (empty: all within).
    pub fn over_budget(&self, budgets: &[Budget]) -> Vec<String> {
        budgets
            .iter()
            .filter(|b| self.visit(b.visit).gzip > b.gzip)
            .map(|b| {
                format!(
                    "the {} is {} gzip, over its budget of {}",
                    b.visit,
                    kb(self.visit(b.visit).gzip),
                    kb(b.gzip)
                )
            })
            .collect()
    }

    /// The report as printed (the figures the README's tables use).
    pub fn render(&self, budgets: &[Budget]) -> String {
        let mut o = String::new();
        let row = |o: &mut String, name: &str, s: Size| {
            let _ = writeln!(o, "  {name:<18} {:>9} {:>9} {:>9}", s.raw, s.gzip, s.brotli);
        };
        let head = |o: &mut String, title: &str| {
            let _ = writeln!(
                o,
                "{title}\n  {:<18} {:>9} {:>9} {:>9}",
                "", "raw", "gzip", "brotli"
            );
        };
        head(&mut o, "first load (index.html and what it loads)");
        for (kind, s) in &self.first_load {
            row(&mut o, kind, *s);
        }
        let first = sum(&self.first_load);
        row(&mut o, "total", first);
        let _ = writeln!(
            o,
            "  = {} gzip, {} brotli\n",
            kb(first.gzip),
            kb(first.brotli)
        );
        head(&mut o, "loaded on first use (with the chunks it shares)");
        for (name, s, n) in &self.splits {
            row(&mut o, &format!("{name} ({n} files)"), *s);
        }
        let _ = writeln!(o);
        head(&mut o, "what a visit downloads in all");
        for (name, s) in &self.visits {
            let _ = writeln!(
                o,
                "  {name:<18} {:>9} {:>9} {:>9}   ({} gzip, {} brotli)",
                s.raw,
                s.gzip,
                s.brotli,
                kb(s.gzip),
                kb(s.brotli)
            );
        }
        let _ = writeln!(o);
        head(&mut o, "every file of the build");
        for (kind, s) in &self.every_file {
            row(&mut o, kind, *s);
        }
        row(&mut o, "total", sum(&self.every_file));
        let _ = writeln!(o, "\nbudgets (gzip)");
        for b in budgets {
            let s = self.visit(b.visit);
            let mark = if s.gzip <= b.gzip { "ok" } else { "OVER" };
            let _ = writeln!(
                o,
                "  {:<18} {:>9} of {:>9}   {mark}",
                b.visit,
                kb(s.gzip),
                kb(b.gzip)
            );
        }
        o
    }
}

fn sum(rows: &[(&str, Size)]) -> Size {
    rows.iter().fold(Size::default(), |t, (_, s)| t + *s)
}

/// Bytes as the README writes them: `244.8 kB` (1 kB = 1000 bytes).
pub fn kb(bytes: u64) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}
