//! Demo IDs offered under the lookup form, per lookup kind: each shows a state or an
//! error path of the demo data (vendor knowledge, so it lives here, not in a view).

use super::data as demo;
use crate::lookup::{LookupForm, LookupKind};
use chrono::{DateTime, Utc};

/// (label, form) pairs for `kind`; `now` picks the generated calls that show a state.
pub fn examples(kind: LookupKind, now: DateTime<Utc>) -> Vec<(String, LookupForm)> {
    let id = |s: String| LookupForm {
        id: s,
        ..Default::default()
    };
    let to = |o: &str, w: &str| LookupForm {
        owner_id: o.into(),
        webhook_id: w.into(),
        ..Default::default()
    };
    let list = |ids: Vec<String>| id(ids.join(", "));
    match kind {
        LookupKind::BlandCall => vec![
            ("one call".into(), id(demo::bland_call_id(1))),
            (
                "failed, then resent".into(),
                id(demo::bland_call_id(
                    demo::bland_call_resent_after_failure(now).unwrap_or(1),
                )),
            ),
            (
                "120 calls".into(),
                list((0..120).map(demo::bland_call_id).collect()),
            ),
            (
                "call with no webhook yet".into(),
                id(demo::bland_call_id(9)),
            ),
            ("error: bad key (401)".into(), id("err-401".into())),
            ("error: rate limited (429)".into(), id("err-429".into())),
            ("error: proxy HTML page".into(), id("err-html".into())),
        ],
        LookupKind::BlandSms => vec![
            (
                "documented example".into(),
                id(demo::BLAND_DOC_CONVERSATION.into()),
            ),
            (
                "all 40 conversations".into(),
                list(
                    (0..demo::BLAND_CONVERSATIONS)
                        .map(demo::bland_conversation_id)
                        .collect(),
                ),
            ),
            (
                "no webhook sent yet".into(),
                id(demo::bland_conversation_id(7)),
            ),
            ("error: not Enterprise (403)".into(), id("err-403".into())),
        ],
        LookupKind::BurkiCall => vec![
            ("call 1001".into(), id("1001".into())),
            ("three calls at once".into(), id("1001, 1002, 1003".into())),
            (
                "call with failed deliveries".into(),
                id(demo::burki_call_with_failures(now)
                    .unwrap_or(demo::BURKI_FIRST_CALL)
                    .to_string()),
            ),
            ("error: server (990500)".into(), id("990500".into())),
            ("error: truncated (990002)".into(), id("990002".into())),
        ],
        LookupKind::TalkoverAgent => vec![
            (
                "support agent, primary webhook".into(),
                to("agt_demo_support", "wh_demo_primary"),
            ),
            (
                "support agent, CRM webhook".into(),
                to("agt_demo_support", "wh_demo_crm"),
            ),
            (
                "error: unknown webhook (404)".into(),
                to("agt_demo_support", "wh_missing"),
            ),
        ],
        LookupKind::TalkoverCampaign => vec![(
            "winter campaign".into(),
            to("cmp_demo_winter", "wh_demo_campaign"),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::Lookup;

    #[test]
    fn every_example_is_a_valid_lookup_of_its_kind() {
        for kind in LookupKind::ALL {
            let now = DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
                .unwrap()
                .to_utc();
            let ex = examples(kind, now);
            assert!(!ex.is_empty(), "{kind:?}");
            for (label, form) in ex {
                assert!(Lookup::validate(kind, &form).is_ok(), "{label}");
            }
        }
    }
}
