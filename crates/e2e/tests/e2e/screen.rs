//! End-to-end: the explorer's first screen, measured from the page's own layout at the
//! sizes people use (1400×900, 1280×720, 390×844): delivery rows visible without
//! scrolling, the diagnosis in view the moment a delivery opens, nothing scrolling
//! sideways on a phone, every filter reachable and set by keyboard alone. Each state is
//! also saved as a screenshot: in `e2e-artifacts/screens/`, or the folder
//! `HOOKSCOPE_SCREENS` names.

use hookscope_e2e::*;

/// The sizes measured: two laptop screens and a phone.
const SIZES: [(u32, u32); 3] = [(1400, 900), (1280, 720), (390, 844)];
const DESKTOP: [(u32, u32); 2] = [SIZES[0], SIZES[1]];
const PHONE: (u32, u32) = SIZES[2];

/// Rows a desktop screen shows whole before any scrolling.
const ROWS_ABOVE_THE_FOLD: u64 = 12;

const TAB: &str = "\u{E004}";
const SPACE: &str = " ";
const ARROW_DOWN: &str = "\u{E015}";

/// A console on the demo, its viewport `w`×`hgt`.
async fn demo_at((w, hgt): (u32, u32)) -> Harness {
    let h = setup().await;
    h.viewport(w, hgt).await;
    h.open_demo().await;
    h
}

/// Where screenshots go.
fn screens_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("HOOKSCOPE_SCREENS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e-artifacts/screens")
        });
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves what the viewport shows as `{name}-{w}x{h}.png`.
async fn shot(h: &Harness, name: &str, (w, hgt): (u32, u32)) {
    // Let the chart and the sheet settle.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let png = h.client.screenshot().await.unwrap();
    std::fs::write(screens_dir().join(format!("{name}-{w}x{hgt}.png")), png).unwrap();
}

/// Opens the first failed delivery of the rows shown (a click, as a person would; the
/// detail is its own chunk).
async fn open_a_failed_delivery(h: &Harness) {
    h.until("a failed row clicked", || async {
        h.js("const r = document.querySelector('[data-testid=delivery-row][data-status=failed]'); if (r) { r.click(); } return !!r;")
            .await
            .as_bool()
            .unwrap_or(false)
    })
    .await;
    h.find("diagnosis").await;
}

/// Delivery rows wholly inside both the viewport and the table's own scrolling area,
/// below its sticky header.
async fn rows_fully_visible(h: &Harness) -> u64 {
    h.js(
        "const sc = document.querySelector('[data-testid=table-scroll]');
         if (!sc) return 0;
         const box = sc.getBoundingClientRect();
         const head = sc.querySelector('thead');
         const hb = head ? head.getBoundingClientRect() : null;
         const top = Math.max(0, box.top, hb && hb.height > 0 ? hb.bottom : 0);
         const bottom = Math.min(innerHeight, box.bottom);
         return Array.from(document.querySelectorAll('[data-testid=delivery-row]')).filter(r => {
           const b = r.getBoundingClientRect();
           return b.height > 0 && b.top >= top - 0.5 && b.bottom <= bottom + 0.5 && b.left >= -0.5 && b.right <= innerWidth + 0.5;
         }).length;",
    )
    .await
    .as_u64()
    .unwrap()
}

/// Whether the element `id` is wholly inside the viewport.
async fn in_view(h: &Harness, id: &str) -> bool {
    h.js_with(
        "const e = document.querySelector(arguments[0]); if (!e) return false;
         const b = e.getBoundingClientRect();
         return b.height > 0 && b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth;",
        vec![serde_json::json!(tid(id))],
    )
    .await
    .as_bool()
    .unwrap()
}

/// The page's own width against the viewport's: more means the page scrolls sideways.
async fn page_width(h: &Harness) -> (u64, u64) {
    let v = h
        .js("return [document.documentElement.scrollWidth, innerWidth]")
        .await;
    (v[0].as_u64().unwrap(), v[1].as_u64().unwrap())
}

/// What sticks out past the viewport's right edge (for a failure's message).
async fn overflowing(h: &Harness) -> String {
    h.js_text("return Array.from(document.querySelectorAll('body *')).filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.right > innerWidth + 1 && !e.closest('.text-view__content, .table-scroll, pre, [popover]:not(:popover-open)'); }).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')", vec![])
        .await
}

/// The `data-testid` of the focused element ("" for none).
async fn focused(h: &Harness) -> String {
    h.js_text("const e = document.activeElement; return (e && e.getAttribute('data-testid')) || (e && e.tagName) || ''", vec![])
        .await
}

/// Sends keys to whatever has the focus.
async fn press(h: &Harness, keys: &str) {
    h.client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

async fn menu_open(h: &Harness, panel: &str) -> bool {
    h.js_with(
        "const p = document.getElementById(arguments[0]); return !!p && p.matches(':popover-open');",
        vec![serde_json::json!(panel)],
    )
    .await
    .as_bool()
    .unwrap()
}

/// With the demo's 180 deliveries, a laptop screen shows at least 12 rows whole before any
/// scrolling: the lookup is one line, the filters one row, the overview a strip.
#[tokio::test]
async fn a_dozen_rows_and_more_above_the_fold() {
    let h = setup().await;
    for size in DESKTOP {
        h.viewport(size.0, size.1).await;
        h.open_demo().await;
        h.until("the table measured", || async {
            rows_fully_visible(&h).await > 0
        })
        .await;
        let rows = rows_fully_visible(&h).await;
        println!(
            "screen: {}×{}: {rows} delivery rows fully visible",
            size.0, size.1
        );
        shot(&h, "demo", size).await;
        assert!(
            rows >= ROWS_ABOVE_THE_FOLD,
            "{}×{}: {rows} rows fully visible",
            size.0,
            size.1
        );
        let (w, inner) = page_width(&h).await;
        assert!(w <= inner, "{}×{}: the page is {w} px wide", size.0, size.1);
        // A filter on (a chip beside its button) keeps the rows where they were.
        h.only_failed().await;
        let rows = rows_fully_visible(&h).await;
        assert!(
            rows >= 12,
            "{}×{}: {rows} rows with a filter on",
            size.0,
            size.1
        );
        h.click("filters-clear").await;
        h.rows_settle("all rows again", DEMO_ROWS).await;
    }
    h.finish().await;
}

/// The diagnosis is in view the moment a failed delivery opens, beside the table on a
/// laptop and as the whole screen on a phone; Esc and "Back" close it.
#[tokio::test]
async fn the_diagnosis_is_in_view_when_a_delivery_opens() {
    let h = setup().await;
    for size in SIZES {
        h.viewport(size.0, size.1).await;
        h.open_demo().await;
        open_a_failed_delivery(&h).await;
        assert!(
            in_view(&h, "diagnosis").await,
            "{}×{}: the diagnosis is in view",
            size.0,
            size.1
        );
        assert!(in_view(&h, "timeline").await || size == PHONE);
        let (w, inner) = page_width(&h).await;
        assert!(
            w <= inner,
            "{}×{}: the page is {w} px wide: {}",
            size.0,
            size.1,
            overflowing(&h).await
        );
        // The timeline's words are at least 12 px.
        let smallest = h
            .js("return Math.min(...Array.from(document.querySelectorAll('.tl-row span')).map(s => parseFloat(getComputedStyle(s).fontSize)))")
            .await
            .as_f64()
            .unwrap();
        assert!(smallest >= 12.0, "timeline labels at {smallest} px");
        shot(&h, "delivery-open", size).await;
        h.click(if size == PHONE {
            "detail-back"
        } else {
            "detail-close"
        })
        .await;
        h.until_gone("the detail closed", "delivery-detail").await;
    }
    h.finish().await;
}

/// On a phone: cards instead of a table, the filters in a sheet, each menu a sheet from
/// the bottom, the detail the whole screen with a way back; nothing scrolls sideways.
#[tokio::test]
async fn a_phone_shows_cards_and_sheets_and_never_scrolls_sideways() {
    let h = demo_at(PHONE).await;
    let wide = || async {
        let (w, inner) = page_width(&h).await;
        if w <= inner {
            Ok(())
        } else {
            Err(format!("{w} > {inner}: {}", overflowing(&h).await))
        }
    };
    wide().await.unwrap();
    let card_h = h
        .js("return document.querySelector('[data-testid=delivery-row]').getBoundingClientRect().height")
        .await
        .as_f64()
        .unwrap();
    shot(&h, "phone-demo", PHONE).await;
    assert!(card_h > 40.0, "rows are cards ({card_h} px)");
    let cards = rows_fully_visible(&h).await;
    assert!(cards >= 5, "{cards} cards in view");
    h.click("filters-open").await;
    h.until("the filters sheet", || async {
        menu_open(&h, "filters-sheet").await
    })
    .await;
    wide().await.unwrap();
    shot(&h, "phone-filters", PHONE).await;
    h.click("filter-status-button").await;
    h.until("the status menu", || async {
        menu_open(&h, "menu-filter-status").await
    })
    .await;
    assert!(
        menu_open(&h, "filters-sheet").await,
        "the sheet stays under its menu"
    );
    wide().await.unwrap();
    shot(&h, "phone-menu", PHONE).await;
    h.find("filter-status")
        .await
        .find(fantoccini::Locator::Css("input[value=failed]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.until_url_has("only failed rows", "status=failed").await;
    h.close_menus().await;
    open_a_failed_delivery(&h).await;
    wide().await.unwrap();
    shot(&h, "phone-delivery", PHONE).await;
    h.click("detail-back").await;
    h.until_gone("back to the list", "delivery-detail").await;
    h.finish().await;
}

/// Every filter by keyboard alone: Tab reaches each button, Enter opens its menu, Tab
/// goes into it, Space picks, Esc closes it and gives the focus back to the button.
#[tokio::test]
async fn every_filter_is_reachable_and_set_by_keyboard() {
    let h = demo_at((1400, 900)).await;
    // Tab from the lookup line through the filter row.
    h.focus("lookup-change").await;
    let mut seen = vec![];
    for _ in 0..40 {
        press(&h, TAB).await;
        seen.push(focused(&h).await);
    }
    for id in [
        "filter-status-button",
        "filter-event-button",
        "filter-code-button",
        "filter-vendor-button",
        "filter-time-button",
        "filter-search",
        "view-select",
        "table-scroll",
    ] {
        assert!(seen.iter().any(|s| s == id), "Tab reaches {id}: {seen:?}");
    }
    for (filter, param) in [
        ("filter-status", "status="),
        ("filter-event", "event="),
        ("filter-code", "code="),
        ("filter-vendor", "src="),
    ] {
        let button = format!("{filter}-button");
        h.focus(&button).await;
        press(&h, ENTER).await;
        let panel = format!("menu-{filter}");
        h.until(&format!("{filter} open"), || async {
            menu_open(&h, &panel).await
        })
        .await;
        shot(&h, &format!("menu-{filter}"), (1400, 900)).await;
        // Into the menu: past its search box, if it has one, and the "any" box.
        press(&h, TAB).await;
        if focused(&h).await == format!("{filter}-search") {
            press(&h, TAB).await;
        }
        press(&h, TAB).await;
        press(&h, SPACE).await;
        h.until_url_has(&format!("{filter} set by Space"), param)
            .await;
        assert!(!h.value(filter).await.unwrap_or_default().is_empty());
        press(&h, ESCAPE).await;
        h.until(&format!("{filter} closed by Esc"), || async {
            !menu_open(&h, &panel).await
        })
        .await;
        assert_eq!(focused(&h).await, button, "focus back on the button");
        h.click("filters-clear").await;
        h.rows_settle("all rows again", DEMO_ROWS).await;
    }
    // Time: its menu holds the range; ↓ picks the next one.
    h.focus("filter-time-button").await;
    press(&h, ENTER).await;
    press(&h, TAB).await;
    assert_eq!(focused(&h).await, "filter-range");
    press(&h, ARROW_DOWN).await;
    h.until_url_has("a time range set by keyboard", "range=")
        .await;
    press(&h, ESCAPE).await;
    h.click("filters-clear").await;
    h.finish().await;
}

/// The keys of the table keep working with the new layout: "/" searches, j/k move,
/// Enter opens the sheet, Esc closes it (from the table or from inside the sheet).
#[tokio::test]
async fn slash_j_k_enter_and_esc() {
    let h = demo_at((1280, 720)).await;
    h.js("document.activeElement.blur()").await;
    press(&h, "/").await;
    assert_eq!(focused(&h).await, "filter-search");
    h.click("table-scroll").await;
    h.keys("table-scroll", "jj").await;
    h.keys("table-scroll", ENTER).await;
    let first = {
        h.find("delivery-detail").await;
        h.open_delivery().await.unwrap()
    };
    h.keys("table-scroll", "j").await;
    h.until("the sheet follows j", || async {
        h.open_delivery().await.is_some_and(|d| d != first)
    })
    .await;
    h.keys("table-scroll", "k").await;
    h.until("and k", || async {
        h.open_delivery().await.as_ref() == Some(&first)
    })
    .await;
    shot(&h, "keyboard-sheet", (1280, 720)).await;
    h.keys("table-scroll", ESCAPE).await;
    h.until_gone("Esc in the table closes", "delivery-detail")
        .await;
    h.keys("table-scroll", ENTER).await;
    h.find("detail-close")
        .await
        .send_keys(ESCAPE)
        .await
        .unwrap();
    h.until_gone("Esc in the sheet closes", "delivery-detail")
        .await;
    assert_eq!(focused(&h).await, "table-scroll");
    h.finish().await;
}

/// The chart says what each bar holds on hover and focus, has a time axis and a y scale,
/// writes its range as people write dates, and grows taller on request.
#[tokio::test]
async fn the_chart_reads_like_a_chart() {
    let h = demo_at((1400, 900)).await;
    let range = h.text("chart-range").await;
    assert!(
        range.ends_with("local time") && range.contains(" – ") && !range.contains(':'),
        "{range}"
    );
    let ticks = h
        .js("return Array.from(document.querySelectorAll('.tchart__x span')).map(s => s.textContent)")
        .await;
    assert!(ticks.as_array().unwrap().len() >= 3, "{ticks}");
    // A bar's figures show on focus (and hover), at a readable size.
    let tip = h
        .js(
            "const b = document.querySelectorAll('[data-testid=chart-bar]')[5]; b.focus();
             const t = b.querySelector('.chart-bar__tip'); const s = getComputedStyle(t);
             return [s.display, t.textContent, parseFloat(s.fontSize)]",
        )
        .await;
    assert_eq!(tip[0], "block", "{tip}");
    assert!(tip[1].as_str().unwrap().contains("deliveries"), "{tip}");
    assert!(tip[2].as_f64().unwrap() >= 12.0, "{tip}");
    // One tab stop for the chart; → moves to the next bar.
    press(&h, "\u{E014}").await;
    let at = h
        .js("return Array.from(document.querySelectorAll('[data-testid=chart-bar]')).indexOf(document.activeElement)")
        .await;
    assert_eq!(at, serde_json::json!(6), "→ moved to the next bar");
    let plot = "return document.querySelector('.tchart__plot').getBoundingClientRect().height";
    let low = h.js(plot).await.as_f64().unwrap();
    assert!(low <= 80.0, "the chart is {low} px high");
    h.click("chart-expand").await;
    let tall = h.js(plot).await.as_f64().unwrap();
    assert!(tall > low);
    shot(&h, "chart-tall", (1400, 900)).await;
    h.finish().await;
}
