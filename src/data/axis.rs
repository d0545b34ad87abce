//! Times as people read them on a chart: axis ticks at round hours or days, and a range
//! written the way people write dates ("10 Nov – 30 Nov 2026, local time"). Pure,
//! host-tested; written by hand like `format::absolute` (chrono's format strings are a
//! large part of its download).

use crate::format::Zone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Steps between ticks, in hours: each a unit a person counts in.
const STEPS_H: [i64; 10] = [1, 3, 6, 12, 24, 48, 7 * 24, 14 * 24, 30 * 24, 365 * 24];

/// One mark on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub at: DateTime<Utc>,
    /// "10 Nov" at midnight, "14:00" otherwise.
    pub label: String,
}

/// `t` as the wall-clock time in `zone`.
fn wall(t: DateTime<Utc>, zone: Zone) -> NaiveDateTime {
    match zone {
        Zone::Utc => t.naive_utc(),
        Zone::Local => t.with_timezone(&chrono::Local).naive_local(),
    }
}

/// The instant a wall-clock time in `zone` stands for (the earlier one in a DST overlap).
fn instant(n: NaiveDateTime, zone: Zone) -> Option<DateTime<Utc>> {
    match zone {
        Zone::Utc => Some(n.and_utc()),
        Zone::Local => chrono::Local
            .from_local_datetime(&n)
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// "10 Nov".
fn day_month(n: &NaiveDateTime) -> String {
    format!("{} {}", n.day(), MONTHS[n.month0() as usize])
}

/// "14:05".
fn clock(n: &NaiveDateTime) -> String {
    format!("{:02}:{:02}", n.hour(), n.minute())
}

/// "Tue 10 Nov 14:05" is long; "10 Nov 14:05" reads at once.
pub fn short(t: DateTime<Utc>, zone: Zone) -> String {
    let n = wall(t, zone);
    format!("{} {}", day_month(&n), clock(&n))
}

/// ", local time" or ", UTC".
fn zone_words(zone: Zone) -> &'static str {
    match zone {
        Zone::Local => "local time",
        Zone::Utc => "UTC",
    }
}

/// `[from, to)` as people write it: "10 Nov – 30 Nov 2026, local time"; one day:
/// "10 Nov 2026, 09:00 – 17:00, UTC"; across years: "28 Dec 2026 – 3 Jan 2027, UTC".
pub fn range_text(from: DateTime<Utc>, to: DateTime<Utc>, zone: Zone) -> String {
    let a = wall(from, zone);
    // The end is exclusive: a range that ends at midnight ends on the day before.
    let b = wall(to - Duration::seconds(1), zone).max(a);
    let z = zone_words(zone);
    if a.date() == b.date() {
        let end = wall(to, zone);
        let end = if end.date() == a.date() {
            clock(&end)
        } else {
            "24:00".into()
        };
        format!("{} {}, {} – {end}, {z}", day_month(&a), a.year(), clock(&a))
    } else if a.year() == b.year() {
        format!("{} – {} {}, {z}", day_month(&a), day_month(&b), b.year())
    } else {
        format!(
            "{} {} – {} {}, {z}",
            day_month(&a),
            a.year(),
            day_month(&b),
            b.year()
        )
    }
}

/// Ticks at round times between `from` and `to`, at most `max` of them: every hour, 3,
/// 6 or 12 hours, or every day, 2 days, week… aligned to midnight in `zone`.
pub fn ticks(from: DateTime<Utc>, to: DateTime<Utc>, zone: Zone, max: usize) -> Vec<Tick> {
    let span_h = (to - from).num_minutes().max(1) as f64 / 60.0;
    let step = STEPS_H
        .into_iter()
        .find(|h| span_h / *h as f64 <= max.max(1) as f64)
        .unwrap_or(STEPS_H[STEPS_H.len() - 1]);
    let start = wall(from, zone);
    let midnight = start.date().and_hms_opt(0, 0, 0).unwrap_or(start);
    let mut n = if step < 24 {
        let h = i64::from(start.hour()) / step * step;
        midnight + Duration::hours(h)
    } else {
        // Whole days, counted from a fixed day so the same dates are marked whatever
        // the range's start.
        let epoch = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap_or_default();
        let days = (start.date() - epoch).num_days();
        let step_d = step / 24;
        midnight - Duration::days(days.rem_euclid(step_d))
    };
    let mut out = Vec::new();
    while out.len() <= max * 2 {
        if let Some(at) = instant(n, zone).filter(|at| *at >= from && *at <= to) {
            let label = if n.hour() == 0 && n.minute() == 0 {
                day_month(&n)
            } else {
                clock(&n)
            };
            out.push(Tick { at, label });
        }
        if instant(n, zone).is_some_and(|at| at > to) {
            break;
        }
        n += Duration::hours(step);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn ranges_read_as_people_write_them() {
        assert_eq!(
            range_text(
                t("2026-11-10T00:00:00Z"),
                t("2026-12-01T00:00:00Z"),
                Zone::Utc
            ),
            "10 Nov – 30 Nov 2026, UTC"
        );
        assert_eq!(
            range_text(
                t("2026-11-10T09:00:00Z"),
                t("2026-11-10T17:00:00Z"),
                Zone::Utc
            ),
            "10 Nov 2026, 09:00 – 17:00, UTC"
        );
        assert_eq!(
            range_text(
                t("2026-11-10T09:00:00Z"),
                t("2026-11-11T00:00:00Z"),
                Zone::Utc
            ),
            "10 Nov 2026, 09:00 – 24:00, UTC"
        );
        assert_eq!(
            range_text(
                t("2026-12-28T00:00:00Z"),
                t("2027-01-03T12:00:00Z"),
                Zone::Utc
            ),
            "28 Dec 2026 – 3 Jan 2027, UTC"
        );
        assert_eq!(short(t("2026-11-10T14:05:09Z"), Zone::Utc), "10 Nov 14:05");
    }

    #[test]
    fn ticks_fall_on_round_times_inside_the_range() {
        let (a, b) = (t("2026-11-10T00:00:00Z"), t("2026-11-30T12:00:00Z"));
        let days = ticks(a, b, Zone::Utc, 8);
        assert!(!days.is_empty() && days.len() <= 8, "{days:?}");
        assert!(days.iter().all(|k| k.at >= a && k.at <= b));
        assert!(days
            .iter()
            .all(|k| k.at.hour() == 0 && !k.label.contains(':')));
        assert!(days.windows(2).all(|w| w[1].at > w[0].at));

        let (a, b) = (t("2026-11-10T09:30:00Z"), t("2026-11-10T17:10:00Z"));
        let hours = ticks(a, b, Zone::Utc, 8);
        assert_eq!(
            hours.iter().map(|k| k.label.as_str()).collect::<Vec<_>>(),
            ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"]
        );

        let (a, b) = (t("2026-11-10T20:00:00Z"), t("2026-11-11T08:00:00Z"));
        let across = ticks(a, b, Zone::Utc, 6);
        assert!(across.iter().any(|k| k.label == "11 Nov"), "{across:?}");
        assert!(ticks(a, a, Zone::Utc, 6).len() <= 1);
    }
}
