//! The clock side of the one pacing policy (`hookscope_core::pacing`): each connection's
//! request budget (every request the transport sends takes its turn here, so lookups,
//! call searches, bulk runs, preflights and replays all keep the vendor's limit), a pause
//! shared by every request of one fan-out, counted down once a second for the progress
//! bar, and the sleep that backs off a failed request.

use crate::net::cancel::CancelToken;
use futures::future::{select, Either};
use hookscope_core::connection::Connection;
use hookscope_core::domain::Vendor;
use hookscope_core::pacing::{rate_limit_pause, Paced, RateHeaders};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The page's clock, in whole Unix ms.
fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// One connection's budget ([`hookscope_core::pacing::Budget`]), shared by every request
/// sent on it from this tab, whichever page or fan-out sends it.
#[derive(Default)]
pub struct Budget(RefCell<hookscope_core::pacing::Budget>);

/// A connection as its budget knows it: vendor, base URL and name (not the key, so no
/// copy of a key outlives its connection here).
type BudgetOf = (Vendor, String, String);

thread_local! {
    static BUDGETS: RefCell<Vec<(BudgetOf, Rc<Budget>)>> = const { RefCell::new(Vec::new()) };
}

/// The budget of `conn`'s requests.
pub fn budget_for(conn: &Connection) -> Rc<Budget> {
    let id = (conn.vendor, conn.base_url.clone(), conn.name.clone());
    BUDGETS.with(|b| {
        let mut all = b.borrow_mut();
        if let Some((_, budget)) = all.iter().find(|(k, _)| *k == id) {
            return budget.clone();
        }
        let budget = Rc::new(Budget::default());
        all.push((id, budget.clone()));
        budget
    })
}

impl Budget {
    /// Waits until the budget lets one more request go, and takes its place; `None` when
    /// cancelled first.
    pub async fn take(self: &Rc<Self>, cancel: &CancelToken) -> Option<Ticket> {
        loop {
            let wait = self.0.borrow_mut().wait_ms(now_ms());
            if wait == 0 {
                self.0.borrow_mut().sent();
                return Some(Ticket(Some(self.clone())));
            }
            // Rechecked at least once a second: answers still due may change the budget.
            if !sleep(wait.min(1000) as f64, cancel).await {
                return None;
            }
        }
    }

    /// How `left` more requests of a fan-out will be paced by this budget.
    pub fn pace(&self, left: usize) -> Option<Paced> {
        self.0.borrow().pace(left as u64, now_ms())
    }
}

/// A request's place in its connection's budget: told its answer's headers, or given
/// back unanswered when dropped.
pub struct Ticket(Option<Rc<Budget>>);

impl Ticket {
    /// The answer's rate-limit headers, and the `Retry-After` seconds of a 429.
    pub fn answered(mut self, headers: &RateHeaders, retry_after: Option<u64>) {
        if let Some(b) = self.0.take() {
            b.0.borrow_mut().answered(headers, retry_after, now_ms());
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(b) = self.0.take() {
            b.0.borrow_mut().unanswered();
        }
    }
}

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
