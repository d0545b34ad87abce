//! Demo IDs offered under the lookup form, per lookup kind: each shows a state or an
//! error path of the demo data (vendor knowledge, so it lives here, not in a view).

use super::call_data as calls;
use super::data as demo;
use crate::calls::{Reach, TalkoverScope};
use crate::domain::Vendor;
use crate::ids::PathId;
use crate::lookup::{LookupForm, LookupKind};
use crate::vendors::talkover;
use chrono::{DateTime, Utc};

pub use super::call_data::{
    BLAND_FAILED_DELIVERY, BURKI_CUT_BODY, BURKI_WITH_SID, FIND_PHONE, FIND_SID,
    FIND_TALKOVER_AGENT, FIND_TALKOVER_CALL, FIND_TALKOVER_WEBHOOK,
};

/// One "try these" chip of the find-a-call search: what it pastes, and what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindExample {
    pub label: &'static str,
    pub text: String,
    pub shows: &'static str,
}

/// The find-a-call examples; their IDs are stable (constants in [`super::call_data`]),
/// so tests and screenshots can name them.
pub fn find_examples() -> Vec<FindExample> {
    let ex = |label, text: &str, shows| FindExample {
        label,
        text: text.to_string(),
        shows,
    };
    vec![
        ex(
            "Bland call, failed delivery",
            BLAND_FAILED_DELIVERY,
            "A completed Bland call whose post-call webhook was refused twice with 401: the diagnosis points at Bland's signature check.",
        ),
        ex(
            "call SID",
            FIND_SID,
            "Resolves to Burki call 2001: its call_ended webhook got 204, which Burki counts as a failure.",
        ),
        ex(
            "phone number",
            FIND_PHONE,
            "Calls to and from this number on Bland and Burki: completed, failed, voicemail, no answer, ongoing, queued, inbound.",
        ),
        ex(
            "Talkover call",
            FIND_TALKOVER_CALL,
            "Found in the logs of Talkover webhook wh_demo_calls: a 30 s timeout, then a 503 whose body is Talkover's error object.",
        ),
        ex(
            "Burki call ID",
            "2004",
            "A Burki call whose target answered one webhook 422 with FastAPI's detail list, and another with a 500 page Burki cut at 10 KB.",
        ),
        ex(
            "several at once",
            &format!(
                "{}, 2002\n{}; convo_abc123 not-an-id",
                calls::BLAND_VOICEMAIL,
                calls::BLAND_QUEUED
            ),
            "A voicemail call resent after a 30 s timeout, a failed Burki call that timed out at 30 s, a queued call, an SMS conversation, and an entry that is not recognised.",
        ),
    ]
}

/// What the demo reaches: every vendor, and the Talkover webhook whose logs hold the
/// demo's Talkover calls.
pub fn find_reach() -> Reach {
    let id = |field, v: &str| PathId::typed(field, v).ok();
    let reach = Reach::new(Vendor::ALL);
    match (
        id("Agent ID", FIND_TALKOVER_AGENT),
        id("Webhook ID", FIND_TALKOVER_WEBHOOK),
    ) {
        (Some(owner_id), Some(webhook_id)) => reach.with_talkover(TalkoverScope {
            owner: talkover::Owner::Agent,
            owner_id,
            webhook_id,
        }),
        _ => reach,
    }
}

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
    use crate::calls::{plan, recognise, EntryKind};
    use crate::lookup::Lookup;

    #[test]
    fn every_find_example_runs_lookups() {
        let reach = find_reach();
        assert_eq!(reach.talkover_webhooks.len(), 1);
        for ex in find_examples() {
            let r = recognise(&ex.text);
            assert!(r.usable() >= 1, "{}", ex.label);
            for p in plan(&r.entries, &reach) {
                if p.entry.kind != EntryKind::Unknown {
                    assert!(!p.lookups.is_empty(), "{}: {:?}", ex.label, p.entry);
                }
            }
        }
        let several = recognise(&find_examples()[5].text);
        assert_eq!(several.entries.len(), 5);
    }

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
