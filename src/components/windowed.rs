//! A windowed list: only the rows in view (plus a margin) are in the DOM, so 10,000 rows
//! scroll as smoothly as 100. Written by hand (about 60 lines) rather than taken from a
//! table crate, which would add far more to the download than it saves here.
//! Sizes are set through `style:` (CSSOM), never a `style` attribute, so a strict
//! Content-Security-Policy (no `'unsafe-inline'` styles) allows them.

use crate::components::window::Window;
use leptos::prelude::*;

/// `render(i)` draws row `i` (a fixed `row_height` px tall). Up to `full_below` rows are
/// all rendered (lists that small need no window, and tests can read every row).
#[component]
pub fn WindowedList<F, V>(
    #[prop(into)] count: Signal<usize>,
    row_height: f64,
    /// Height of the scrolling area in px.
    height: f64,
    #[prop(default = 2000)] full_below: usize,
    render: F,
    #[prop(into)] testid: String,
) -> impl IntoView
where
    F: Fn(usize) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scroll_top = RwSignal::new(0.0f64);
    let window = Window {
        row_height,
        overscan: 20,
        full_below,
        max_visible: usize::MAX,
    };
    let range = Memo::new(move |_| window.rows(count.get(), scroll_top.get(), height));
    let windowed = move || window.windows(count.get());
    view! {
        <div
            class="windowed"
            data-testid=testid
            data-total-rows=move || count.get().to_string()
            style:max-height=format!("{height}px")
            on:scroll=move |ev| {
                let top = event_target::<web_sys::Element>(&ev).scroll_top();
                scroll_top.set(f64::from(top));
            }
        >
            <div
                class="windowed__inner"
                style:height=move || {
                    if windowed() {
                        format!("{}px", count.get() as f64 * row_height)
                    } else {
                        String::new()
                    }
                }
            >
                <For
                    each=move || {
                        let (a, b) = range.get();
                        a..b
                    }
                    key=|i| *i
                    children=move |i| {
                        let r = render.clone();
                        view! {
                            <div
                                class="windowed__row"
                                style:position=move || if windowed() { "absolute" } else { "" }
                                style:top=move || {
                                    if windowed() {
                                        format!("{}px", i as f64 * row_height)
                                    } else {
                                        String::new()
                                    }
                                }
                                style:height=format!("{row_height}px")
                            >
                                {r(i)}
                            </div>
                        }
                    }
                />
            </div>
        </div>
    }
}
