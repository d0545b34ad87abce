//! Long work in slices: a loop over 100,000 rows runs a few milliseconds at a time and
//! gives the browser its turn between slices, so a click or a keystroke is answered
//! while rows load (the longest task stays well under 50 ms).

/// What one slice aims to take. Small enough that input waits at most a frame or so,
/// large enough that the yields cost little (each is a trip through the event loop).
const SLICE_MS: f64 = 8.0;

/// Calls `step(n)` until it returns true (done), `n` being how many units of work to do
/// this time; between calls the browser runs whatever is waiting. `n` adapts so a slice
/// takes about [`SLICE_MS`], whatever the machine and whatever a unit costs.
pub async fn run(mut step: impl FnMut(usize) -> bool) {
    let mut n = 256usize;
    loop {
        let t0 = now_ms();
        if step(n) {
            return;
        }
        let took = now_ms() - t0;
        n = next_size(n, took);
        yield_now().await;
    }
}

/// Units in one slice at most: work changes cost from one phase to the next (checking an
/// ID is cheap, grouping a log is not), so a size learnt on cheap units must not be
/// spent on dear ones. 2,048 of the dearest (a Talkover log grouped, a few µs) still fit.
const MAX_UNITS: usize = 2048;

/// The next slice size, from how long `n` units took.
fn next_size(n: usize, took_ms: f64) -> usize {
    // Never more than twice at once: one fast slice says little about the next.
    let most = n.saturating_mul(2).min(MAX_UNITS);
    if took_ms <= 0.5 {
        return most;
    }
    let scaled = (n as f64 * SLICE_MS / took_ms) as usize;
    scaled.clamp(16, most)
}

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// Gives the browser its turn: `scheduler.yield()` where the browser has it (input goes
/// first, then this task resumes ahead of other timers), else a zero timeout. When no
/// frame has been drawn for [`FRAME_DUE_MS`], it waits for the next one instead: Chromium
/// runs `yield()` continuations ahead of drawing, so a long run of slices drew nothing
/// until its own 100 ms starvation limit (frame gaps of 100 ms while 100,000 rows were
/// grouped, though no task reached 50 ms).
#[cfg(target_arch = "wasm32")]
pub async fn yield_now() {
    use wasm_bindgen::JsCast;
    if frames::starved() {
        frames::after_next().await;
        return;
    }
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok();
    let promise = scheduler.and_then(|s| {
        let f = js_sys::Reflect::get(&s, &"yield".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        f.call0(&s).ok()?.dyn_into::<js_sys::Promise>().ok()
    });
    match promise {
        Some(p) => {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        None => gloo_timers::future::TimeoutFuture::new(0).await,
    }
}

/// How long slices may go on with no frame drawn: a frame and a half at 60 Hz, so the
/// gap between two frames (this, the slice that passes it, the drawing) is about 50 ms.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // read by `frames`
const FRAME_DUE_MS: f64 = 25.0;

/// Whether a frame awaited since `since` is overdue at `now`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // read by `frames`
fn frame_overdue(since: f64, now: f64) -> bool {
    now - since >= FRAME_DUE_MS
}

/// Since when the next frame is awaited, asked for at `now` with the last frame at
/// `last_frame`: while frames still come (the last a frame or so ago) it is due counting
/// from that one; after a pause (no frame asked for), from now.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // read by `frames`
fn frame_awaited_since(last_frame: f64, now: f64) -> f64 {
    if now - last_frame < 20.0 {
        last_frame
    } else {
        now
    }
}

/// Whether frames are being drawn, watched from the yields themselves: each asks for an
/// animation frame when none is asked for, and the frame's callback says it came.
#[cfg(target_arch = "wasm32")]
mod frames {
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    thread_local! {
        /// Since when a frame is awaited (`None`: none is asked for).
        static WAITING_SINCE: Cell<Option<f64>> = const { Cell::new(None) };
        /// When the last frame asked for came.
        static LAST_FRAME: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
        /// A wait ran out with no frame: none is waited for until one comes again (a
        /// page drawing no frames would otherwise run at a fifth of its speed).
        static NO_FRAMES: Cell<bool> = const { Cell::new(false) };
        /// What ends each wait for the next frame ([`after_next`]): its promise's resolve.
        static WAITERS: RefCell<Vec<js_sys::Function>> = const { RefCell::new(Vec::new()) };
    }

    /// True when a frame asked for [`super::FRAME_DUE_MS`] ago or more has not come.
    /// A hidden tab draws no frames and is never starved.
    pub fn starved() -> bool {
        let Some(w) = web_sys::window() else {
            return false;
        };
        if NO_FRAMES.get() || w.document().is_none_or(|d| d.hidden()) {
            return false;
        }
        let now = super::now_ms();
        match WAITING_SINCE.get() {
            Some(since) => super::frame_overdue(since, now),
            None => {
                WAITING_SINCE.set(Some(super::frame_awaited_since(LAST_FRAME.get(), now)));
                let came = Closure::once_into_js(|| {
                    WAITING_SINCE.set(None);
                    LAST_FRAME.set(super::now_ms());
                    NO_FRAMES.set(false);
                    wake_after_drawing();
                });
                if w.request_animation_frame(came.unchecked_ref()).is_err() {
                    WAITING_SINCE.set(None);
                }
                false
            }
        }
    }

    /// Ends the frame waits in a task posted from the frame's callback: it runs once the
    /// frame is drawn (drawing follows the callbacks), and the wait ends then, not up to
    /// a polling interval later (the waits polled every 4 ms, idle time on every wait).
    fn wake_after_drawing() {
        let Some(w) = web_sys::window() else {
            return;
        };
        for resolve in WAITERS.take() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    }

    /// Waits until the frame asked for is drawn (idle time in which the browser draws),
    /// or 100 ms should none come (a window the system hides but does not report
    /// hidden). Called only while that frame is awaited (`starved`), in the same task.
    pub async fn after_next() {
        let Some(w) = web_sys::window() else {
            return;
        };
        let asked = super::now_ms();
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
            WAITERS.with_borrow_mut(|v| v.push(resolve));
        });
        let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
        if LAST_FRAME.get() < asked {
            NO_FRAMES.set(true);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub async fn yield_now() {}

/// Drops `v` now when it is short, else 2,048 at a time, each in a task of its own after
/// this one: freeing 66,421 deliveries (each a dozen allocations) at once was a task of
/// 23 ms on a quick machine. Timers, not `yield_now`: freeing waits behind other work.
pub fn drop_later<T: 'static>(v: Vec<T>) {
    #[cfg(target_arch = "wasm32")]
    if v.len() > 4096 {
        let mut v = v;
        wasm_bindgen_futures::spawn_local(async move {
            while !v.is_empty() {
                gloo_timers::future::TimeoutFuture::new(0).await;
                v.truncate(v.len().saturating_sub(2048));
            }
        });
        return;
    }
    drop(v);
}

/// `source`'s value one task later (as React's `useDeferredValue`): what reads it is
/// drawn in a task of its own, after the work that changed `source`, so neither holds
/// the page for long. Of several changes in one task only the last is seen.
pub fn deferred<T>(initial: T, source: impl Fn() -> T + 'static) -> leptos::prelude::ReadSignal<T>
where
    T: Send + Sync + 'static,
{
    use leptos::prelude::*;
    let out = RwSignal::new(initial);
    // Waits do not end in the order they began (one may wait for a frame, a later one
    // not): only the newest value is set.
    let newest = std::rc::Rc::new(std::cell::Cell::new(0u64));
    Effect::new(move |_| {
        let now = source();
        let n = newest.get().wrapping_add(1);
        newest.set(n);
        let newest = newest.clone();
        leptos::task::spawn_local(async move {
            yield_now().await;
            if newest.get() == n {
                let _ = out.try_set(now);
            }
        });
    });
    out.read_only()
}

/// `source`, except that it turns true one task after `source` does (and false at
/// once): what it shows is drawn in a task of its own, after the work that made
/// `source` true, and never outlives what it shows.
pub fn true_a_task_later(
    source: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> leptos::prelude::Signal<bool> {
    use leptos::prelude::*;
    let later = deferred(false, source);
    Signal::derive(move || later.get() && source())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_aim_at_a_few_milliseconds() {
        assert_eq!(next_size(256, 0.1), 512, "a fast slice grows");
        assert_eq!(next_size(1000, 16.0), 500, "a slow one shrinks to the aim");
        assert_eq!(next_size(1000, 1000.0), 16, "but never to nothing");
        assert_eq!(
            next_size(MAX_UNITS, 0.0),
            MAX_UNITS,
            "and never without bound"
        );
        assert_eq!(next_size(100, 1.0), 200, "at most twice at once");
    }

    #[test]
    fn a_frame_is_awaited_from_the_last_one_while_they_come() {
        assert_eq!(frame_awaited_since(100.0, 110.0), 100.0, "frames coming");
        assert_eq!(frame_awaited_since(100.0, 400.0), 400.0, "after a pause");
        assert_eq!(
            frame_awaited_since(f64::NEG_INFINITY, 5.0),
            5.0,
            "never a frame"
        );
        assert!(!frame_overdue(100.0, 110.0));
        assert!(
            frame_overdue(100.0, 100.0 + FRAME_DUE_MS),
            "slices wait for a frame"
        );
        // Within the 50 ms a frame gap may take, drawing (about 16 ms) included.
        const { assert!(FRAME_DUE_MS + 17.0 <= 50.0) };
    }

    #[test]
    fn run_steps_until_done() {
        let mut left = 10_000usize;
        let mut calls = 0;
        let done = futures::FutureExt::now_or_never(run(|n| {
            calls += 1;
            left = left.saturating_sub(n);
            left == 0
        }));
        assert!(done.is_some(), "off the browser, nothing waits");
        assert_eq!(left, 0);
        assert!(calls > 1, "one slice did everything");
    }
}
