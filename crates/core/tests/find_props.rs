//! Property tests for finding a call: whatever is pasted, recognising never panics, every
//! entry has a kind (and a reason when it is not recognised), at most 50 are kept, the
//! normalised text reads back as the same entries, and planning and correcting any entry
//! stay within the checks. Pasted lists of known shapes are recognised as what they are.

use hookscope_core::calls::recognise::{is_sid, is_uuid, MAX_ENTRIES};
use hookscope_core::calls::{
    plan, recognise, CallLookup, EntryKind, Phone, Reach, RecogniseOptions, TalkoverScope,
};
use hookscope_core::domain::Vendor;
use hookscope_core::ids::PathId;
use hookscope_core::vendors::talkover::Owner;
use proptest::prelude::*;

fn strip(r: &hookscope_core::calls::Recognised) -> Vec<(EntryKind, String)> {
    r.entries
        .iter()
        .map(|e| (e.kind, e.value.clone()))
        .collect()
}

fn reaches() -> Vec<Reach> {
    let scope = TalkoverScope {
        owner: Owner::Campaign,
        owner_id: PathId::typed("Campaign ID", "cmp").unwrap(),
        webhook_id: PathId::typed("Webhook ID", "wh").unwrap(),
    };
    vec![
        Reach::default(),
        Reach::new([Vendor::Bland]),
        Reach::new([Vendor::Burki, Vendor::Talkover]),
        Reach::new(Vendor::ALL).with_talkover(scope),
    ]
}

/// Text people paste: identifiers of every shape, near-misses, prose, signs, odd unicode.
fn pasted() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "(CA|ca|AC)[0-9a-fA-F]{32}",
        "\\+?[0-9 ().-]{0,20}",
        "[0-9]{1,22}",
        "convo_[a-z0-9_-]{0,12}",
        "(tel:|https://x.example/calls/)[^ ]{0,40}",
        "[a-zA-Z'’]{1,10}",
        "[\"'“”()\\[\\]<>#*.:!?,;|\t\n\r ]{1,4}",
        "\\PC{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_and_reads_back_the_same(text in pasted()) {
        let r = recognise(&text);
        prop_assert!(r.entries.len() <= MAX_ENTRIES);
        for e in &r.entries {
            prop_assert!(!e.value.is_empty());
            prop_assert_eq!(e.kind == EntryKind::Unknown, e.reason.is_some(), "{:?}", e);
            match e.kind {
                EntryKind::Phone => prop_assert!(Phone::parse_e164(&e.value).is_some(), "{:?}", e),
                EntryKind::BurkiCallId => prop_assert!(e.value.parse::<u64>().is_ok(), "{:?}", e),
                EntryKind::BlandCallId => prop_assert!(is_uuid(&e.value) && e.value == e.value.to_lowercase()),
                EntryKind::CallSid => prop_assert!(is_sid(&e.value) && e.value.starts_with("CA")),
                EntryKind::BlandConversationId => prop_assert!(e.value.starts_with("convo_")),
                EntryKind::TalkoverCallId => prop_assert!(false, "never recognised by shape"),
                EntryKind::Unknown => {}
            }
        }
        let values: std::collections::HashSet<&str> = r.entries.iter().map(|e| e.value.as_str()).collect();
        prop_assert_eq!(values.len(), r.entries.len(), "once each");
        let again = recognise(&r.normalised_text());
        prop_assert_eq!(strip(&r), strip(&again));
        prop_assert_eq!(again.duplicates, 0);
    }

    #[test]
    fn any_entry_plans_and_corrects_within_the_checks(text in pasted()) {
        let r = recognise(&text);
        let opts = RecogniseOptions::default();
        for reach in reaches() {
            for p in plan(&r.entries, &reach) {
                prop_assert_eq!(p.lookups.is_empty(), p.why_nothing().is_some());
                for l in &p.lookups {
                    prop_assert!(reach.has(l.vendor()));
                    let req = match l {
                        CallLookup::Calls(q) => q.request(),
                        CallLookup::Deliveries { lookup, .. } => lookup.initial_requests().remove(0),
                    };
                    let path = req.path.clone();
                    prop_assert!(path.starts_with('/') && !path.contains("//"), "{}", path);
                    prop_assert!(path.split('/').all(|s| s != "." && s != ".."), "{}", path);
                }
            }
        }
        for e in &r.entries {
            for k in EntryKind::ALL {
                if let Ok(c) = e.as_kind(k, &opts) {
                    prop_assert_eq!(c.kind, k);
                    prop_assert_eq!(c.kind == EntryKind::Unknown, c.reason.is_some());
                    let _ = plan(std::slice::from_ref(&c), &reaches()[3]);
                }
            }
        }
    }

    /// Lists of known shapes, separated any way but by spaces, in quotes or not.
    #[test]
    fn known_shapes_are_recognised_as_what_they_are(
        items in prop::collection::vec(prop_oneof![
            "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}".prop_map(|u| (EntryKind::BlandCallId, u.clone(), u)),
            "[0-9a-f]{32}".prop_map(|h| (EntryKind::CallSid, format!("CA{h}"), format!("CA{h}"))),
            "[1-9][0-9]{0,8}".prop_map(|n| (EntryKind::BurkiCallId, n.clone(), n)),
            "convo_[a-z0-9]{1,12}".prop_map(|c| (EntryKind::BlandConversationId, c.clone(), c)),
            ("[2-9][0-9]{2}", "[0-9]{3}", "[0-9]{4}", 0..7usize).prop_map(|(a, e, l, form)| {
                let text = match form {
                    0 => format!("+1{a}{e}{l}"),
                    1 => format!("+1 {a} {e} {l}"),
                    2 => format!("({a}) {e}-{l}"),
                    3 => format!("{a}-{e}-{l}"),
                    4 => format!("{a}.{e}.{l}"),
                    5 => format!("+1 ({a}) {e}-{l}"),
                    _ => format!("{a} {e} {l}"),
                };
                (EntryKind::Phone, text, format!("+1{a}{e}{l}"))
            }),
        ], 1..40),
        seps in prop::collection::vec(prop::sample::select(vec![",", ";", "\n", "\r\n", "\t", " | ", ",\n"]), 40),
        quoted in prop::collection::vec(any::<bool>(), 40),
    ) {
        let mut text = String::new();
        for (i, (_, t, _)) in items.iter().enumerate() {
            if quoted[i] { text.push('"'); text.push_str(t); text.push('"'); } else { text.push_str(t); }
            text.push_str(seps[i]);
        }
        let mut want: Vec<(EntryKind, String)> = Vec::new();
        for (k, _, v) in &items {
            if !want.iter().any(|(_, w)| w == v) {
                want.push((*k, v.clone()));
            }
        }
        let r = recognise(&text);
        prop_assert_eq!(strip(&r), want);
        prop_assert_eq!(r.duplicates + r.entries.len(), items.len());
    }

    /// Plain numbers and IDs with spaces between them stay separate entries.
    #[test]
    fn spaces_separate_plain_ids(ids in prop::collection::vec("[1-9][0-9]{3,8}", 1..20)) {
        let r = recognise(&ids.join(" "));
        let mut want: Vec<String> = Vec::new();
        for i in &ids {
            if !want.contains(i) {
                want.push(i.clone());
            }
        }
        prop_assert_eq!(r.entries.iter().map(|e| e.value.clone()).collect::<Vec<_>>(), want);
        prop_assert!(r.entries.iter().all(|e| e.kind == EntryKind::BurkiCallId));
    }
}
