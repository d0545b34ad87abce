//! Property tests for bulk create/resend: the call-ID parser reads back any list in any
//! shape, and every requested call gets exactly one outcome whatever Bland answers.

use hookscope_core::bulk::{parse_ids, InputShape};
use hookscope_core::vendors::bland::{create_webhooks, decode_bulk};
use proptest::prelude::*;
use serde_json::json;

/// IDs as vendors make them (letters, digits, `-`, `_`, `.`, some non-ASCII), with at
/// least one digit, as call IDs have.
fn an_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9_.é-]{0,20}[0-9][A-Za-z0-9_.é-]{0,20}"
}

fn unique_in_order(ids: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.iter()
        .filter(|i| seen.insert((*i).clone()))
        .cloned()
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_separators_whitespace_quotes_bom_and_crlf(
        ids in prop::collection::vec(an_id(), 1..80),
        seps in prop::collection::vec(prop::sample::select(vec![",", ";", " ", "\t", "\n", "\r\n", ", ", " ;\n", "\n\n"]), 80),
        quoted in prop::collection::vec(any::<bool>(), 80),
        bom in any::<bool>(),
    ) {
        let mut text = String::from(if bom { "\u{FEFF}" } else { "" });
        for (i, id) in ids.iter().enumerate() {
            if quoted[i] { text.push('"'); text.push_str(id); text.push('"'); } else { text.push_str(id); }
            text.push_str(seps[i]);
        }
        let p = parse_ids(&text);
        let want = unique_in_order(&ids);
        prop_assert_eq!(&p.valid, &want);
        prop_assert_eq!(p.duplicates, ids.len() - want.len());
        prop_assert!(p.invalid.is_empty());
    }

    #[test]
    fn csv_and_json_give_the_same_ids(ids in prop::collection::vec(an_id(), 1..60), crlf in any::<bool>()) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut csv = format!("phone,call_id,note{nl}");
        for (i, id) in ids.iter().enumerate() {
            csv.push_str(&format!("+1555{i},\"{id}\",\"a, \"\"quoted\"\" note\"{nl}"));
        }
        let p = parse_ids(&csv);
        prop_assert_eq!(p.shape, InputShape::Csv);
        prop_assert_eq!(&p.valid, &unique_in_order(&ids));
        let p = parse_ids(&serde_json::to_string(&ids).unwrap());
        prop_assert_eq!(p.shape, InputShape::Json);
        prop_assert_eq!(&p.valid, &unique_in_order(&ids));
    }

    #[test]
    fn arbitrary_text_never_panics_and_spans_point_at_the_entry(text in "(?s).{0,400}") {
        let p = parse_ids(&text);
        for bad in &p.invalid {
            if let Some((a, b)) = bad.span {
                prop_assert!(text.get(a..b).is_some(), "span {a}..{b} off a char boundary");
            }
        }
    }

    /// Whatever `data` and `errors` hold (records for asked and unasked calls, errors
    /// naming none, one or several calls, garbage), each asked call gets one outcome, in
    /// the order asked, and a call in `data` is created.
    #[test]
    fn every_call_gets_exactly_one_outcome(
        n in 1usize..40,
        in_data in prop::collection::vec(any::<bool>(), 40),
        errors in prop::collection::vec((prop::collection::vec(0usize..45, 0..4), prop::sample::select(vec!["already sent", "not found", "invalid", "boom"])), 0..6),
        junk in any::<bool>(),
    ) {
        let ids: Vec<String> = (0..n).map(|i| format!("call-{i}")).collect();
        let mut data: Vec<serde_json::Value> = ids.iter().enumerate().filter(|(i, _)| in_data[*i])
            .map(|(_, id)| json!({"call_id": id, "url": "https://x", "metadata": [{"response_code": 200, "send_type": "create"}]}))
            .collect();
        if junk { data.push(json!(42)); data.push(json!({"call_id": "not-asked"})); }
        let errs: Vec<serde_json::Value> = errors.iter().map(|(named, what)| {
            let names: Vec<String> = named.iter().map(|i| format!("call-{i}")).collect();
            json!({"error": "invalid_parameter", "message": format!("Calls {} {what}", names.join(", "))})
        }).collect();
        let body = json!({"data": data, "errors": errs}).to_string();
        let out = decode_bulk(&create_webhooks(&ids, "https://x"), 200, &body, &ids).unwrap();
        prop_assert_eq!(out.len(), ids.len());
        for (i, (id, item)) in out.iter().enumerate() {
            prop_assert_eq!(id, &ids[i]);
            if in_data[i] { prop_assert_eq!(item.outcome_id(), "created"); }
        }
    }
}
