//! The attempt timeline: hand-written SVG (a charting crate would cost far more download
//! than this), each attempt at its time with its duration to scale, outcome by shape and
//! colour, the gap to the previous attempt labelled; hover and keyboard focus give the
//! details. An ordered list below carries the same facts for screen readers and tables.
//! The labels (gaps above the axis, number, code and time below) are HTML placed by
//! percentage, so they keep their size however wide the detail is.

use crate::components::delivery_detail::timeline::{layout, WIDTH};
use crate::format;
use hookscope_core::domain::{Attempt, Outcome};
use leptos::prelude::*;

const HEIGHT: f64 = 30.0;
const BAR_Y: f64 = 10.0;
/// Up to this many attempts each get a label under the axis (the list has them all).
const LABELLED: usize = 8;

/// `x` units of the drawing as a CSS percentage of its width, and the label's alignment
/// there (from its start near the left edge, to its end near the right), so it stays
/// inside the figure.
fn at_pct(x: f64) -> (String, &'static str) {
    crate::components::time_chart::place(x, WIDTH, 12.0)
}

/// The attempt's clock time ("14:02:11", UTC), or "time unknown".
fn clock(a: &Attempt) -> String {
    use chrono::Timelike;
    a.at.as_ref()
        .and_then(|t| t.parsed)
        .map(|t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()))
        .unwrap_or_else(|| "time unknown".into())
}

/// The marker of an outcome: a shape as well as a colour, so colour is never the only
/// signal (success ●, failed ✕, retrying ▲, pending ○).
fn marker(outcome: Outcome, cx: f64) -> AnyView {
    let cy = BAR_Y + 5.0;
    match outcome {
        Outcome::Success => {
            view! { <circle class="tl-mark" cx=cx cy=cy r="6"></circle> }.into_any()
        }
        Outcome::Failed => view! {
            <path
                class="tl-mark tl-mark--line"
                d=format!(
                    "M{} {} L{} {} M{} {} L{} {}",
                    cx - 5.0,
                    cy - 5.0,
                    cx + 5.0,
                    cy + 5.0,
                    cx - 5.0,
                    cy + 5.0,
                    cx + 5.0,
                    cy - 5.0,
                )
            ></path>
        }
        .into_any(),
        Outcome::Retrying => view! {
            <path
                class="tl-mark"
                d=format!(
                    "M{} {} L{} {} L{} {} Z",
                    cx,
                    cy - 6.0,
                    cx + 6.0,
                    cy + 5.0,
                    cx - 6.0,
                    cy + 5.0,
                )
            ></path>
        }
        .into_any(),
        Outcome::Pending => {
            view! { <circle class="tl-mark tl-mark--hollow" cx=cx cy=cy r="5"></circle> }.into_any()
        }
    }
}

/// One line of facts about an attempt (tooltip, focus box and list all say the same).
pub fn describe(a: &Attempt, now: chrono::DateTime<chrono::Utc>) -> String {
    let (rel, abs) = format::time_cell(a.at.as_ref(), now);
    let mut s = format!(
        "#{} · {} · {} · HTTP {} · {} · {} ({})",
        a.number,
        a.trigger,
        a.outcome.id(),
        format::http_code(a.http_code),
        format::duration(a.duration_ms),
        rel,
        abs
    );
    if let Some(e) = &a.error {
        s.push_str(" · ");
        s.push_str(e);
    }
    s
}

#[component]
pub fn AttemptTimeline(
    attempts: Vec<Attempt>,
    /// The attempt whose response is shown below.
    selected: RwSignal<usize>,
    /// Attempts were grouped into this delivery by inference (Talkover writes one log per
    /// attempt with no delivery ID).
    #[prop(optional)]
    inferred: bool,
    /// The first attempt number the vendor still lists, when earlier ones are missing.
    #[prop(optional_no_strip)]
    first_seen: Option<u64>,
    /// The vendor will try again by itself.
    #[prop(optional)]
    retrying: bool,
) -> impl IntoView {
    let now = chrono::Utc::now();
    let lay = layout(&attempts);
    let focused = RwSignal::new(None::<usize>);
    let n = attempts.len();
    let marks = attempts
        .iter()
        .zip(lay.placed.iter())
        .enumerate()
        .map(|(i, (a, p))| {
            let outcome = a.outcome.id();
            let facts = describe(a, now);
            let tip = facts.clone();
            let cx = p.x + p.w / 2.0;
            // Also the start of the mark's accessible name (its visible text, WCAG 2.5.3).
            let label = format!("#{} {}", a.number, format::http_code(a.http_code));
            view! {
                <g
                    class=format!("tl-attempt tl--{outcome}")
                    class:tl-current=move || selected.get() == i
                    data-testid="attempt"
                    data-outcome=outcome
                    data-http-code=a.http_code.map(|c| c.to_string()).unwrap_or_default()
                    data-trigger=a.trigger.to_string()
                    tabindex="0"
                    role="button"
                    aria-label=format!("{label}: {facts}")
                    on:click=move |_| selected.set(i)
                    on:focus=move |_| {
                        focused.set(Some(i));
                        selected.set(i);
                    }
                    on:blur=move |_| focused.set(None)
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" || ev.key() == " " {
                            ev.prevent_default();
                            selected.set(i)
                        }
                    }
                >
                    <title>{tip}</title>
                    <rect class="tl-bar" x=p.x y=BAR_Y width=p.w height="10" rx="2"></rect>
                    {marker(a.outcome, cx)}
                </g>
            }
        })
        .collect_view();
    let scale = if lay.px_per_ms > 0.0 {
        let one_s = lay.px_per_ms * 1000.0;
        if one_s >= 1.0 {
            format!("Bars: durations to scale (1 s = {one_s:.0} units).")
        } else {
            format!(
                "Bars: durations to scale (1 min = {:.0} units).",
                one_s * 60.0
            )
        }
    } else {
        "No durations given.".into()
    };
    let gaps = if lay.compressed {
        " Gaps are compressed (log scale) so seconds and days fit; each label gives the real gap."
    } else {
        " Gaps are to scale."
    };
    let list = attempts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let outcome = a.outcome.id();
            let (rel, abs) = format::time_cell(a.at.as_ref(), now);
            view! {
                <li
                    class=format!("attempt attempt--{outcome}")
                    class:current=move || selected.get() == i
                    data-testid="attempt-row"
                    on:click=move |_| selected.set(i)
                >
                    <span class="attempt__num">{format!("#{}", a.number)}</span>
                    <span class=format!("pill pill--{outcome}")>{outcome}</span>
                    <span class="mono">{format::http_code(a.http_code)}</span>
                    <span class="muted">{format::duration(a.duration_ms)}</span>
                    <span class="tag">{a.trigger.to_string()}</span>
                    <span title=abs>{rel}</span>
                    {a
                        .error
                        .as_deref()
                        .map(str::to_string)
                        .map(|e| view! { <div class="attempt__error">{e}</div> })}
                </li>
            }
        })
        .collect_view();
    // Gaps above the axis, between the attempts they separate; under it, each attempt's
    // number, code and time (the first and last only when there are many).
    let gap_labels = lay
        .placed
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, p)| {
            let prev = &lay.placed[i - 1];
            let g = p.gap_label.clone()?;
            (n <= LABELLED).then(|| {
                let (left, edge) = at_pct((prev.x + prev.w + p.x) / 2.0);
                view! {
                    <span class=edge style:left=left>
                        {g}
                    </span>
                }
            })
        })
        .collect_view();
    let attempt_labels = attempts
        .iter()
        .zip(lay.placed.iter())
        .enumerate()
        .filter(|(i, _)| n <= LABELLED || *i == 0 || *i + 1 == n)
        .map(|(_, (a, p))| {
            let (left, edge) = at_pct(p.x + p.w / 2.0);
            view! {
                <span class=edge style:left=left>
                    <b>{format!("#{} {}", a.number, format::http_code(a.http_code))}</b>
                    <br />
                    {clock(a)}
                </span>
            }
        })
        .collect_view();
    let focus_box = {
        let attempts = attempts.clone();
        move || {
            focused.get().and_then(|i| attempts.get(i)).map(|a| {
                view! {
                    <p class="tl-focus" role="status">
                        {describe(a, now)}
                    </p>
                }
            })
        }
    };
    view! {
        <figure class="timeline-fig">
            <div class="tl-row tl-row--gaps" aria-hidden="true">
                {gap_labels}
            </div>
            <svg
                data-testid="timeline"
                class="timeline-svg"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="group"
                aria-label=format!("Attempt timeline: {n} attempt(s)")
            >
                <line class="tl-axis" x1="4" x2=WIDTH - 4.0 y1=BAR_Y + 5.0 y2=BAR_Y + 5.0></line>
                {marks}
            </svg>
            <div class="tl-row tl-row--labels" aria-hidden="true">
                {attempt_labels}
            </div>
            {focus_box}
            <figcaption class="muted tl-caption">
                {format!("{scale}{gaps} Times in UTC.")}
                {inferred
                    .then_some(
                        " Attempts were grouped by inference: the vendor logs each attempt on its own, and hookscope joined the logs with the same event and payload.",
                    )}
                {first_seen
                    .map(|f| {
                        format!(
                            " Attempts before #{f} are not in the vendor's logs any more (older than it keeps, or on pages not loaded).",
                        )
                    })}
                {retrying.then_some(" The vendor will try again by itself; it does not say when.")}
            </figcaption>
        </figure>
        <ol class="timeline" aria-label="Attempts">
            {list}
        </ol>
    }
}
