//! The side sheet an open delivery is read in: the full height of the window at its right
//! edge, as wide as the person drags its left edge (or moves it with ←/→ when focused),
//! closed by Esc. On a phone it is the whole screen (CSS). Its width is the page's
//! `--sheet-w` (set on `body`), so the table beside it makes room, and it stays the next
//! time a sheet opens. Few browser APIs on purpose: each one costs the first download a
//! line of glue.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const MIN_W: f64 = 360.0;
/// The table keeps at least this much of the window.
const KEEP_W: f64 = 320.0;
const STEP_W: f64 = 32.0;

thread_local! {
    /// The width the last sheet had (0: none opened yet).
    static LAST_W: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

fn window_width() -> f64 {
    window()
        .inner_width()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0)
}

/// The width a sheet opens at: the last one's, else 40 % of the window (380–640 px).
fn start_width() -> f64 {
    match LAST_W.with(std::cell::Cell::get) {
        w if w > 0.0 => w,
        _ => (window_width() * 0.4).clamp(380.0, 640.0),
    }
}

/// Whether Esc pressed on `target` belongs to the sheet (not to a field being typed in).
fn esc_closes(target: Option<web_sys::EventTarget>) -> bool {
    !target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

#[component]
pub fn SideSheet(
    /// Esc, or the sheet's own close button.
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let width = RwSignal::new(start_width());
    let dragging = RwSignal::new(false);
    let set_width = move |w: f64| {
        let w = w.clamp(MIN_W, (window_width() - KEEP_W).max(MIN_W)).round();
        width.set(w);
        LAST_W.with(|l| l.set(w));
        if let Some(body) = document().body() {
            // Whole pixels: no float formatting code in this part of the download.
            let _ = body
                .style()
                .set_property("--sheet-w", &format!("{}px", w as i32));
        }
    };
    set_width(width.get_untracked());
    // A drag follows the pointer anywhere in the window, not only over the thin edge.
    let moved = window_event_listener(leptos::ev::pointermove, move |ev| {
        if dragging.get_untracked() {
            set_width(window_width() - f64::from(ev.client_x()));
        }
    });
    let released = window_event_listener(leptos::ev::pointerup, move |_| dragging.set(false));
    on_cleanup(move || {
        moved.remove();
        released.remove();
    });

    view! {
        <div
            class="sheet"
            class:sheet--dragging=move || dragging.get()
            on:keydown=move |ev| {
                if ev.key() == "Escape" && !ev.default_prevented() && esc_closes(ev.target()) {
                    ev.prevent_default();
                    on_close.run(());
                }
            }
        >
            <div
                class="sheet__edge"
                role="separator"
                tabindex="0"
                aria-orientation="vertical"
                aria-label="Width of the detail (drag, or ← and →)"
                aria-valuemin=(MIN_W as i32).to_string()
                aria-valuemax=move || ((window_width() - KEEP_W).max(MIN_W) as i32).to_string()
                aria-valuenow=move || (width.get() as i32).to_string()
                data-testid="sheet-resize"
                on:pointerdown=move |ev| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:keydown=move |ev| {
                    let step = match ev.key().as_str() {
                        "ArrowLeft" => STEP_W,
                        "ArrowRight" => -STEP_W,
                        _ => return,
                    };
                    ev.prevent_default();
                    set_width(width.get_untracked() + step);
                }
            ></div>
            {children()}
        </div>
    }
}
