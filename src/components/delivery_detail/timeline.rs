//! Where each attempt goes on the timeline: pure geometry, host-tested.
//!
//! Two scales share one axis: an attempt's *duration* is drawn to a linear scale (so a
//! 30 s timeout is visibly longer than an 80 ms success), and the *gaps* between attempts
//! are compressed logarithmically when they differ a lot (seconds and days apart stay
//! readable); every gap carries its exact length as a label, and the axis says when it is
//! compressed.

use hookscope_core::domain::Attempt;

/// Width of the drawing in SVG units.
pub const WIDTH: f64 = 600.0;
const PAD: f64 = 14.0;
/// The longest duration takes at most this share of the width.
const MAX_DURATION_SHARE: f64 = 0.25;

/// One attempt on the axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Left edge of the attempt.
    pub x: f64,
    /// Drawn width of its duration (at least 2 units, so it is visible).
    pub w: f64,
    /// The gap to the previous attempt, as a label ("+2 m 14 s"); `None` for the first.
    pub gap_label: Option<String>,
    /// The attempt has no time the console could read; placed after the previous one.
    pub time_unknown: bool,
}

/// The layout of a whole timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub placed: Vec<Placed>,
    /// Gaps were drawn shorter than their real length (log scale).
    pub compressed: bool,
    /// SVG units per millisecond of an attempt's duration.
    pub px_per_ms: f64,
}

/// "+850 ms", "+12 s", "+2 m 14 s", "+3 h 5 m", "+2 d 4 h".
pub fn gap_text(ms: i64) -> String {
    let sign = if ms < 0 { "−" } else { "+" };
    let ms = ms.unsigned_abs();
    let s = ms / 1000;
    let body = match s {
        0 => format!("{ms} ms"),
        1..=59 => format!("{s} s"),
        60..=3599 => format!("{} m {} s", s / 60, s % 60),
        3600..=86_399 => format!("{} h {} m", s / 3600, (s % 3600) / 60),
        _ => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    };
    format!("{sign}{body}")
}

/// Places `attempts` (oldest first) on an axis [`WIDTH`] wide.
pub fn layout(attempts: &[Attempt]) -> Layout {
    let n = attempts.len();
    if n == 0 {
        return Layout {
            placed: vec![],
            compressed: false,
            px_per_ms: 0.0,
        };
    }
    let times: Vec<Option<i64>> = attempts
        .iter()
        .map(|a| {
            a.at.as_ref()
                .and_then(|t| t.parsed)
                .map(|t| t.timestamp_millis())
        })
        .collect();
    let durations: Vec<f64> = attempts
        .iter()
        .map(|a| a.duration_ms.unwrap_or(0) as f64)
        .collect();
    let usable = WIDTH - 2.0 * PAD;
    let longest = durations.iter().cloned().fold(0.0, f64::max);
    // Durations: the longest gets at most a quarter of the width (less with many attempts).
    let share = (usable * MAX_DURATION_SHARE) / (n as f64).sqrt();
    let mut px_per_ms = if longest > 0.0 { share / longest } else { 0.0 };
    // Together, durations take at most half the width, however many attempts there are.
    let total_ms: f64 = durations.iter().sum();
    let cap = (usable * 0.5 - 2.0 * n as f64).max(0.0);
    if total_ms * px_per_ms > cap && total_ms > 0.0 {
        px_per_ms = cap / total_ms;
    }
    let widths: Vec<f64> = durations.iter().map(|d| (d * px_per_ms).max(2.0)).collect();
    // Gaps between the end of one attempt and the start of the next, in ms (unknown → 0).
    let gaps: Vec<Option<i64>> = (1..n)
        .map(|i| match (times[i - 1], times[i]) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        })
        .collect();
    let room = (usable - widths.iter().sum::<f64>()).max(0.0);
    let known: Vec<f64> = gaps.iter().flatten().map(|g| (*g).max(0) as f64).collect();
    let (min_gap, max_gap) = known
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), g| (lo.min(*g), hi.max(*g)));
    // Compress when the gaps span more than one order of magnitude.
    let compressed = known.len() > 1 && max_gap > 10.0 * min_gap.max(1000.0);
    let weight = |g: f64| {
        if compressed {
            (1.0 + g / 1000.0).ln()
        } else {
            g
        }
    };
    let total: f64 = gaps
        .iter()
        .map(|g| g.map_or(0.0, |g| weight(g.max(0) as f64)))
        .sum();
    // Each gap gets at least a little room so neighbouring attempts never touch.
    let min_room = if n > 1 {
        (usable * 0.2 / (n as f64 - 1.0)).min(6.0)
    } else {
        0.0
    };
    let spare = (room - min_room * (n as f64 - 1.0)).max(0.0);
    let mut x = PAD;
    let mut placed = Vec::with_capacity(n);
    for i in 0..n {
        let (gap_label, time_unknown) = if i == 0 {
            (None, times[0].is_none())
        } else {
            let g = gaps[i - 1];
            let w = g.map_or(0.0, |g| weight(g.max(0) as f64));
            let step = min_room
                + if total > 0.0 {
                    spare * w / total
                } else {
                    spare / (n as f64 - 1.0)
                };
            x += widths[i - 1] + step;
            (g.map(gap_text), times[i].is_none())
        };
        placed.push(Placed {
            x,
            w: widths[i],
            gap_label,
            time_unknown,
        });
    }
    Layout {
        placed,
        compressed,
        px_per_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hookscope_core::domain::{Outcome, Timestamp};

    fn at(t: &str, ms: u64) -> Attempt {
        Attempt {
            log_id: None,
            number: 1,
            at: Some(Timestamp::parse(t)),
            http_code: None,
            duration_ms: Some(ms),
            outcome: Outcome::Failed,
            trigger: "retry".into(),
            error: None,
            response_body: None,
            response_headers: None,
            retriable: false,
        }
    }

    #[test]
    fn gap_labels() {
        assert_eq!(gap_text(850), "+850 ms");
        assert_eq!(gap_text(134_000), "+2 m 14 s");
        assert_eq!(gap_text(3 * 3_600_000 + 300_000), "+3 h 5 m");
        assert_eq!(gap_text(2 * 86_400_000 + 4 * 3_600_000), "+2 d 4 h");
        assert_eq!(gap_text(-5000), "−5 s");
    }

    #[test]
    fn one_attempt_and_fifty() {
        let one = layout(&[at("2026-01-01T00:00:00Z", 142)]);
        assert_eq!(one.placed.len(), 1);
        assert!(one.placed[0].gap_label.is_none());
        let many: Vec<Attempt> = (0..50)
            .map(|i| at(&format!("2026-01-01T00:{i:02}:00Z"), 100 + i as u64))
            .collect();
        let l = layout(&many);
        assert_eq!(l.placed.len(), 50);
        for w in l.placed.windows(2) {
            assert!(w[1].x >= w[0].x + w[0].w, "attempts never overlap");
        }
        let last = l.placed.last().unwrap();
        assert!(last.x + last.w <= WIDTH, "fits the width");
    }

    #[test]
    fn seconds_and_days_apart_are_compressed_and_labelled() {
        let l = layout(&[
            at("2026-01-01T00:00:00Z", 30_000),
            at("2026-01-01T00:00:40Z", 100),
            at("2026-01-03T00:00:40Z", 90),
        ]);
        assert!(l.compressed);
        assert_eq!(l.placed[1].gap_label.as_deref(), Some("+40 s"));
        assert_eq!(l.placed[2].gap_label.as_deref(), Some("+2 d 0 h"));
        let short = l.placed[1].x - l.placed[0].x;
        let long = l.placed[2].x - l.placed[1].x;
        assert!(long > short, "the longer gap is still drawn longer");
        assert!(
            l.placed[0].w > 50.0 * l.placed[1].w / 2.0,
            "a 30 s attempt is visibly longer"
        );
        let even = layout(&[
            at("2026-01-01T00:00:00Z", 10),
            at("2026-01-01T00:01:00Z", 10),
            at("2026-01-01T00:02:00Z", 10),
        ]);
        assert!(!even.compressed);
    }

    #[test]
    fn unknown_times_are_placed_and_said() {
        let mut a = at("2026-01-01T00:00:00Z", 10);
        a.at = Some(Timestamp::parse("yesterday"));
        let l = layout(&[at("2026-01-01T00:00:00Z", 10), a]);
        assert!(l.placed[1].time_unknown);
        assert_eq!(l.placed[1].gap_label, None);
        assert!(l.placed[1].x > l.placed[0].x);
    }
}
