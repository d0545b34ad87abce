//! The clock side of the one pacing policy (`hookscope_core::pacing`): a pause shared by
//! every request of one fan-out, counted down once a second for the progress bar, and
//! the sleep that backs off a failed request. Lookups, bulk runs, preflights and replays
//! all pace through here.

use crate::net::transport::CancelToken;
use futures::future::{select, Either};
use hookscope_core::pacing::rate_limit_pause;
use std::cell::Cell;
use std::rc::Rc;

/// Told the seconds left of a pause (`None` when it ends).
pub type OnWait = Rc<dyn Fn(Option<u64>)>;

/// One fan-out's shared pause: when any of its requests is rate-limited, all of them hold
/// back until the vendor's `Retry-After` (or a back-off when it gives none) has passed.
pub struct Pause {
    /// `Date.now()` in ms until which nothing is sent.
    until_ms: Cell<f64>,
    waiting: Cell<bool>,
    on_wait: OnWait,
}

impl Pause {
    pub fn new(on_wait: OnWait) -> Rc<Pause> {
        Rc::new(Pause {
            until_ms: Cell::new(0.0),
            waiting: Cell::new(false),
            on_wait,
        })
    }

    /// Waits while a pause is on, counting down once a second; false when cancelled.
    pub async fn wait(&self, cancel: &CancelToken) -> bool {
        loop {
            let left = self.until_ms.get() - js_sys::Date::now();
            if left <= 0.0 {
                if self.waiting.replace(false) {
                    (self.on_wait)(None);
                }
                return true;
            }
            self.waiting.set(true);
            (self.on_wait)(Some((left / 1000.0).ceil() as u64));
            if !sleep(left.min(1000.0), cancel).await {
                return false;
            }
        }
    }

    /// After the `waits`-th 429 of a request (0-based): pauses everyone by the policy and
    /// says true, or says false when the policy gives up (the error is then shown).
    pub fn rate_limited(&self, retry_after: Option<u64>, waits: u32) -> bool {
        let Some(secs) = rate_limit_pause(retry_after, waits) else {
            return false;
        };
        let until = js_sys::Date::now() + (secs as f64) * 1000.0;
        if until > self.until_ms.get() {
            self.until_ms.set(until);
        }
        true
    }
}

/// Sleeps `ms` unless cancelled first (false then).
pub async fn sleep(ms: f64, cancel: &CancelToken) -> bool {
    let step = gloo_timers::future::TimeoutFuture::new(ms.max(0.0) as u32);
    !matches!(
        select(step, Box::pin(cancel.cancelled())).await,
        Either::Right(_)
    )
}

/// Sleeps `ms`, telling `report` the seconds left once a second (`None` at the end);
/// false when cancelled.
pub async fn sleep_reporting(ms: f64, cancel: &CancelToken, report: &dyn Fn(Option<u64>)) -> bool {
    let until = js_sys::Date::now() + ms;
    loop {
        let left = until - js_sys::Date::now();
        if left <= 0.0 {
            report(None);
            return true;
        }
        report(Some((left / 1000.0).ceil() as u64));
        if !sleep(left.min(1000.0), cancel).await {
            return false;
        }
    }
}

/// The back-off before send `n` of a failed request (the policy's, ± 50 % jitter so many
/// requests do not come back at once).
pub fn backoff_with_jitter_ms(n: u32) -> f64 {
    hookscope_core::pacing::backoff_ms(n) as f64 * (0.5 + js_sys::Math::random())
}
