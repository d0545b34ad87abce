//! The one policy every fan-out follows when a vendor pushes back (lookups, scans, bulk
//! runs, replays): how long a 429 pauses everyone, when to give up, and how failed
//! requests back off. Pure; the network layer keeps the clock (`net::pacing`).

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

#[cfg(test)]
mod tests {
    use super::*;

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
