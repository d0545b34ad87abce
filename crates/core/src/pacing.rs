//! The one policy every fan-out follows with a vendor's rate limit (lookups, scans, bulk
//! runs, replays): a connection's request budget read from the `X-RateLimit-*` headers,
//! kept before the vendor answers 429 ([`Budget`]); how long a 429 pauses everyone,
//! when to give up, and how failed requests back off. Pure; the network layer keeps the
//! clock (`net::pacing`).

/// 429s one request waits out before its error is shown.
pub const MAX_RATE_LIMIT_WAITS: u32 = 10;
/// The longest pause a fan-out sits out. A longer `Retry-After` is shown as the error,
/// with how long the vendor asks to wait (and past [`crate::error::REFUSAL_WAIT_SECS`],
/// that it is refusing for now).
pub const MAX_WAIT_SECS: u64 = 120;
/// Sends of one request in all (first included) on a 5xx or a network failure, where
/// sending again is safe (bulk runs: the vendor said nothing was done).
pub const MAX_TRIES: u32 = 4;

/// The pause after the `waits`-th 429 of a request (0-based) that said `retry_after`
/// seconds (or nothing: then 1, 2, 4 … 64 s); `None`: give up and show the error.
pub fn rate_limit_pause(retry_after: Option<u64>, waits: u32) -> Option<u64> {
    let secs = retry_after.unwrap_or_else(|| 1u64 << waits.min(6)).max(1);
    (waits < MAX_RATE_LIMIT_WAITS && secs <= MAX_WAIT_SECS).then_some(secs)
}

/// The back-off before send `n` (1-based, so the first retry is `n = 2`) of a failed
/// request, before jitter: 1 s, 2 s, 4 s … 64 s.
pub fn backoff_ms(n: u32) -> u64 {
    1000u64 << n.saturating_sub(2).min(6)
}

/// The rate-limit headers of one answer, as the vendor sent them (`None`: absent, or
/// hidden from the page by CORS when the vendor does not expose them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateHeaders {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<String>,
    /// `X-RateLimit-Remaining`: requests left in this window, this one counted.
    pub remaining: Option<String>,
    /// `X-RateLimit-Reset`: when the window ends (see [`reset_secs`]).
    pub reset: Option<String>,
}

/// A `Reset` at least this large is a Unix time in seconds (2001-09-09 on); below it, the
/// seconds until the window ends. No vendor's window is 31 years long, and no clock reads
/// 2001, so the two forms cannot be confused.
pub const EPOCH_RESET_FROM: u64 = 1_000_000_000;
/// A window said to end later than this is not believed (the header is ignored, and a
/// 429 is then handled by [`rate_limit_pause`]): an hour of silent waiting is no pacing.
pub const MAX_RESET_SECS: u64 = 3600;

/// A header's number: a non-negative integer, the first item of a list (`100, 100;w=60`,
/// as the IETF draft writes it), a fraction rounded up. Anything else is `None`.
pub fn header_number(value: &str) -> Option<u64> {
    let first = value.split([',', ';']).next()?.trim();
    // Digits and one point only: a float parser would also take `inf`, `NaN` and `1e3`.
    let (whole, fraction) = first.split_once('.').unwrap_or((first, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    // Past u64 it saturates; a value that large is refused by the callers' caps.
    let n = whole.parse::<u64>().unwrap_or(u64::MAX);
    Some(if fraction.bytes().any(|b| b != b'0') {
        n.saturating_add(1)
    } else {
        n
    })
}

/// Seconds until the window ends, from a `Reset` value read at `now_ms` (Unix ms): a
/// delta below [`EPOCH_RESET_FROM`], else a Unix time (one already past is 0). `None`
/// when unreadable or later than [`MAX_RESET_SECS`].
pub fn reset_secs(value: &str, now_ms: u64) -> Option<u64> {
    let n = header_number(value)?;
    let secs = if n >= EPOCH_RESET_FROM {
        n.saturating_sub(now_ms.div_ceil(1000))
    } else {
        n
    };
    (secs <= MAX_RESET_SECS).then_some(secs)
}

/// One connection's request budget, as its vendor's rate-limit headers describe it. Every
/// request of every fan-out on the connection asks [`Budget::wait_ms`] before it is
/// sent, so the vendor's limit is kept before it answers 429. Times are Unix ms.
///
/// The estimate errs low: requests sent but not yet answered are taken from what an
/// answer says is left (the vendor may not have counted them yet), answers of one window
/// only ever lower it (they may arrive out of order), and a request that got no answer
/// is not given back (it may have been counted).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    limit: Option<u64>,
    /// Requests this side may still send in the current window.
    remaining: Option<u64>,
    reset_at_ms: Option<u64>,
    /// The longest window seen (a window's first answer says its whole length).
    window_ms: Option<u64>,
    in_flight: u64,
}

/// How a long fan-out is paced, for its progress: "paced to 100/min by Talkover's limit ·
/// about 9 min left".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paced {
    /// The vendor's limit and its window in seconds, when it said them.
    pub rate: Option<(u64, u64)>,
    /// About how long until the last request can be sent.
    pub eta_secs: u64,
}

/// How long a request waits when the budget is spent but answers still due may tell
/// when it comes back.
const RECHECK_MS: u64 = 250;

impl Budget {
    /// A new window starts at its end: the whole limit, less what is still in flight
    /// (those may land in the new window).
    fn roll(&mut self, now_ms: u64) {
        if self.reset_at_ms.is_some_and(|at| at <= now_ms) {
            self.reset_at_ms = None;
            self.remaining = self.limit.map(|l| l.saturating_sub(self.in_flight));
        }
    }

    /// Milliseconds to wait before the next request may be sent; 0: send it now, and
    /// call [`Budget::sent`]. With nothing known, nothing waits.
    pub fn wait_ms(&mut self, now_ms: u64) -> u64 {
        self.roll(now_ms);
        match (self.remaining, self.reset_at_ms) {
            (Some(0), Some(at)) => at.saturating_sub(now_ms).max(1),
            // Spent, with no end known: answers still due may say it; else send and let
            // a 429 be handled by the pause policy.
            (Some(0), None) if self.in_flight > 0 => RECHECK_MS,
            _ => 0,
        }
    }

    /// A request was sent.
    pub fn sent(&mut self) {
        self.remaining = self.remaining.map(|r| r.saturating_sub(1));
        self.in_flight = self.in_flight.saturating_add(1);
    }

    /// A request sent got no answer (network failure, timeout, cancel).
    pub fn unanswered(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// A request sent was answered with these headers; `retry_after` is the wait a 429
    /// asked for (a 429 spends the window until then, up to [`MAX_WAIT_SECS`]).
    pub fn answered(&mut self, headers: &RateHeaders, retry_after: Option<u64>, now_ms: u64) {
        self.unanswered();
        self.roll(now_ms);
        let num = |v: &Option<String>| v.as_deref().and_then(header_number);
        if let Some(l) = num(&headers.limit).filter(|l| *l > 0) {
            self.limit = Some(l);
        }
        let mut left = num(&headers.remaining).map(|r| self.limit.map_or(r, |l| r.min(l)));
        let mut reset = headers.reset.as_deref().and_then(|r| reset_secs(r, now_ms));
        if let Some(ra) = retry_after.filter(|s| *s <= MAX_WAIT_SECS) {
            left = Some(0);
            reset = Some(reset.map_or(ra, |r| r.max(ra)));
        }
        let Some(left) = left else {
            return;
        };
        // Requests still in flight may not be counted in `left` yet.
        let est = left.saturating_sub(self.in_flight);
        let Some(secs) = reset else {
            // No end known: the latest answer is the best there is.
            self.remaining = Some(est);
            return;
        };
        let span = secs.saturating_mul(1000);
        let at = now_ms.saturating_add(span);
        self.window_ms = Some(self.window_ms.map_or(span, |w| w.max(span)));
        match self.reset_at_ms {
            // A later window than the one known (a second is rounding): start afresh.
            Some(known) if at > known.saturating_add(1000) => {
                self.remaining = Some(est);
                self.reset_at_ms = Some(at);
            }
            // An answer of an earlier window, arriving late: it says nothing of this one.
            Some(known) if at.saturating_add(1000) < known => {}
            Some(known) => {
                self.remaining = Some(self.remaining.map_or(est, |r| r.min(est)));
                self.reset_at_ms = Some(known.max(at));
            }
            None => {
                self.remaining = Some(self.remaining.map_or(est, |r| r.min(est)));
                self.reset_at_ms = Some(at);
            }
        }
    }

    /// How `left` more requests (sent or not) will be paced from `now_ms`; `None` when
    /// the budget does not hold them back (or nothing is known).
    pub fn pace(&self, left: u64, now_ms: u64) -> Option<Paced> {
        let mut b = self.clone();
        b.roll(now_ms);
        let to_send = left.saturating_sub(b.in_flight);
        let remaining = b.remaining?;
        if to_send <= remaining {
            return None;
        }
        let until_reset = b
            .reset_at_ms
            .map(|at| at.saturating_sub(now_ms))
            .or(b.window_ms)?;
        let window = b.window_ms.unwrap_or(until_reset);
        let rate = b
            .limit
            .zip(b.window_ms)
            .map(|(l, w)| (l, w.div_ceil(1000).max(1)));
        let windows = match rate {
            Some((l, _)) => to_send.saturating_sub(remaining).div_ceil(l),
            None => 1,
        };
        let eta_ms = until_reset.saturating_add(windows.saturating_sub(1).saturating_mul(window));
        Some(Paced {
            rate,
            eta_secs: eta_ms.div_ceil(1000),
        })
    }
}

impl Paced {
    /// "paced to 100/min by Talkover's limit · about 9 min left".
    pub fn describe(&self, vendor: &str) -> String {
        let left = match self.eta_secs {
            0..=59 => format!("about {} s left", self.eta_secs.max(1)),
            s => format!("about {} min left", s.div_ceil(60)),
        };
        match self.rate {
            Some((limit, window)) => {
                let per = match window {
                    1 => "/s".to_string(),
                    55..=65 => "/min".to_string(),
                    3500..=3700 => "/h".to_string(),
                    w => format!(" per {w} s"),
                };
                format!("paced to {limit}{per} by {vendor}'s limit · {left}")
            }
            None => format!("held back by {vendor}'s limit · {left}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(limit: &str, remaining: &str, reset: &str) -> RateHeaders {
        let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
        RateHeaders {
            limit: some(limit),
            remaining: some(remaining),
            reset: some(reset),
        }
    }

    /// Sends one request at `now` if the budget lets it, and answers it at once.
    fn send(b: &mut Budget, now: u64, h: &RateHeaders) -> bool {
        if b.wait_ms(now) > 0 {
            return false;
        }
        b.sent();
        b.answered(h, None, now);
        true
    }

    #[test]
    fn odd_header_values_are_read_or_ignored_never_a_panic() {
        assert_eq!(header_number("100"), Some(100));
        assert_eq!(header_number(" 100 "), Some(100));
        assert_eq!(header_number("100, 100;w=60"), Some(100));
        assert_eq!(header_number("1.2"), Some(2), "a fraction waits the longer");
        assert_eq!(header_number("7.000"), Some(7));
        for bad in [
            "", " ", "-1", "-0.5", "abc", "NaN", "inf", "1e400", "0x10", "; 5", ".5", "1.2.3", "+3",
        ] {
            assert_eq!(header_number(bad), None, "{bad:?}");
        }
        assert_eq!(header_number("18446744073709551616"), Some(u64::MAX));
        let now = 1_796_000_000_000; // ms
        assert_eq!(reset_secs("42", now), Some(42), "seconds until");
        assert_eq!(reset_secs("1796000030", now), Some(30), "Unix seconds");
        assert_eq!(
            reset_secs("1795999990", now),
            Some(0),
            "a time already past"
        );
        assert_eq!(reset_secs("3601", now), None, "too far to believe");
        assert_eq!(reset_secs("99999999999", now), None);
        assert_eq!(reset_secs("-5", now), None);
        assert_eq!(reset_secs("soon", now), None);
        assert_eq!(
            reset_secs("1796000000", 0),
            None,
            "a clock at 1970: far off"
        );
        let mut b = Budget::default();
        for h in [
            heads("", "", ""),
            heads("x", "y", "z"),
            heads("-1", "-1", "-1"),
            heads("0", "0", "0"),
            heads(
                "18446744073709551615",
                "18446744073709551615",
                "18446744073709551615",
            ),
        ] {
            b.sent();
            b.answered(&h, Some(u64::MAX), u64::MAX);
            let _ = b.wait_ms(u64::MAX);
            let _ = b.wait_ms(0);
            let _ = b.pace(u64::MAX, 0);
        }
    }

    #[test]
    fn nothing_known_holds_nothing_back() {
        let mut b = Budget::default();
        for _ in 0..1000 {
            assert!(send(&mut b, 0, &heads("", "", "")));
        }
        assert_eq!(b.pace(1000, 0), None);
    }

    /// The defect class: a fan-out sent until the vendor said 429. With the headers it
    /// stops at the budget and goes on when the window ends.
    #[test]
    fn the_budget_is_kept_then_the_window_renews_it() {
        let mut b = Budget::default();
        let t0 = 1_000_000;
        let mut sent = 0;
        // The vendor's fixed window: 100 a minute from t0.
        let answer = |n: u64, now: u64| {
            let left_ms = t0 + 60_000 - now;
            heads(
                "100",
                &100u64.saturating_sub(n).to_string(),
                &left_ms.div_ceil(1000).to_string(),
            )
        };
        while send(&mut b, t0 + sent, &answer(sent + 1, t0 + sent)) {
            sent += 1;
        }
        assert_eq!(sent, 100, "all of the budget, and no more");
        let wait = b.wait_ms(t0 + 100);
        assert!(
            (59_900..=61_000).contains(&wait),
            "waits for the window: {wait}"
        );
        assert_eq!(b.wait_ms(t0 + 100 + wait), 0, "a new window");
    }

    #[test]
    fn requests_in_flight_are_counted_before_the_vendor_does() {
        let mut b = Budget::default();
        b.sent();
        b.answered(&heads("10", "9", "60"), None, 0);
        // 9 left: send them all without answers yet.
        for _ in 0..9 {
            assert_eq!(b.wait_ms(1), 0);
            b.sent();
        }
        assert!(
            b.wait_ms(1) > 0,
            "nothing past the budget while answers are due"
        );
        // An answer counted before the others: says 8 left, but 8 are still in flight.
        b.answered(&heads("10", "8", "60"), None, 2);
        assert!(b.wait_ms(2) > 0);
        // An old answer arriving late never raises what is left.
        b.answered(&heads("10", "9", "60"), None, 3);
        assert!(b.wait_ms(3) > 0);
    }

    #[test]
    fn a_late_answer_of_the_last_window_does_not_spend_the_new_one() {
        let mut b = Budget::default();
        b.sent();
        b.sent();
        b.answered(&heads("100", "0", "1"), None, 59_000);
        assert_eq!(b.wait_ms(59_000), 1000);
        // The new window's first answer, then the old window's last one, late.
        assert_eq!(b.wait_ms(60_000), 0);
        b.sent();
        b.answered(&heads("100", "99", "60"), None, 60_010);
        b.answered(&heads("100", "0", "1"), None, 60_020);
        assert_eq!(b.wait_ms(60_030), 0, "the new window's budget is kept");
    }

    #[test]
    fn a_429_spends_the_window_until_retry_after() {
        let mut b = Budget::default();
        b.sent();
        b.answered(&heads("", "", ""), Some(5), 0);
        assert_eq!(b.wait_ms(0), 5000);
        assert_eq!(b.wait_ms(5000), 0);
        let mut b = Budget::default();
        b.sent();
        b.answered(&heads("", "", ""), Some(MAX_WAIT_SECS + 1), 0);
        assert_eq!(b.wait_ms(0), 0, "past the cap the pause policy says it");
    }

    #[test]
    fn the_remaining_count_alone_is_followed() {
        // No Reset: the latest answer's count is believed, so a fresh window is seen.
        let mut b = Budget::default();
        b.sent();
        b.answered(&heads("100", "0", ""), None, 0);
        assert_eq!(b.wait_ms(0), 0, "no end known and nothing in flight: send");
        b.sent();
        b.answered(&heads("100", "99", ""), None, 1);
        assert_eq!(b.wait_ms(1), 0);
    }

    #[test]
    fn the_pace_and_an_honest_eta() {
        let mut b = Budget::default();
        b.sent();
        b.answered(&heads("100", "99", "60"), None, 0);
        // 1,000 pages at 100 a minute: page 1 read, 999 to go.
        let p = b.pace(999, 0).unwrap();
        assert_eq!(p.rate, Some((100, 60)));
        assert_eq!(p.eta_secs, 540);
        assert_eq!(
            p.describe("Talkover"),
            "paced to 100/min by Talkover's limit · about 9 min left"
        );
        assert_eq!(b.pace(99, 0), None, "within the budget: no pacing to show");
        assert_eq!(b.pace(0, 0), None);
        let short = Paced {
            rate: Some((100, 2)),
            eta_secs: 0,
        };
        assert_eq!(
            short.describe("Talkover"),
            "paced to 100 per 2 s by Talkover's limit · about 1 s left"
        );
        let held = Paced {
            rate: None,
            eta_secs: 61,
        };
        assert_eq!(
            held.describe("Bland"),
            "held back by Bland's limit · about 2 min left"
        );
    }

    #[test]
    fn a_429_pauses_then_gives_up() {
        assert_eq!(rate_limit_pause(Some(7), 0), Some(7));
        assert_eq!(rate_limit_pause(None, 0), Some(1));
        assert_eq!(rate_limit_pause(None, 3), Some(8));
        assert_eq!(rate_limit_pause(None, 9), Some(64));
        assert_eq!(rate_limit_pause(Some(0), 0), Some(1), "never a zero pause");
        assert_eq!(rate_limit_pause(Some(7), MAX_RATE_LIMIT_WAITS), None);
        assert_eq!(rate_limit_pause(Some(120), 0), Some(120));
        assert_eq!(
            rate_limit_pause(Some(601), 0),
            None,
            "past the cap: said, not waited"
        );
        assert_eq!(rate_limit_pause(Some(u64::MAX), 0), None);
    }

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff_ms(2), 1000);
        assert_eq!(backoff_ms(3), 2000);
        assert_eq!(backoff_ms(4), 4000);
        assert_eq!(backoff_ms(100), 64_000);
    }
}
