//! One adapter per vendor. Each holds its request builders, its wire types exactly as
//! documented (unknown fields kept in `extra`, every optional field optional) and the
//! mapping into [`crate::domain`].

pub mod bland;
pub mod burki;
pub mod talkover;

use crate::domain::Payload;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Key under which an item lists the fields that were kept as raw text (see [`decode_item`]).
pub const UNPARSED_KEY: &str = "_hookscope_unparsed";

/// Decodes one item of a vendor's list on its own, so one odd item cannot fail its page.
///
/// An item with a field the JSON reader refuses (nested deeper than its 128-level limit,
/// say) keeps its readable fields; each refused field becomes a string holding its raw
/// text, exactly as sent, and is named under [`UNPARSED_KEY`] (kept in the item's
/// `extra`). Returns `None` when the item cannot be read at all (not an object).
pub(crate) fn decode_item<T: DeserializeOwned>(raw: &RawValue) -> Option<T> {
    if let Ok(t) = serde_json::from_str::<T>(raw.get()) {
        return Some(t);
    }
    // Field by field: reading a RawValue skips nesting without the depth limit.
    let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(raw.get()).ok()?;
    // The item again as JSON text, each readable field as sent and each refused one as a
    // string of its text, read like the first try: from text, not through a `Value` (whose
    // deserializer would be one more copy of every item type's decoder in the wasm).
    let mut unparsed = Vec::new();
    let mut text = String::from("{");
    let mut push = |k: &str, json: &str| {
        if text.len() > 1 {
            text.push(',');
        }
        text.push_str(&Value::from(k).to_string());
        text.push(':');
        text.push_str(json);
    };
    for (k, v) in &fields {
        // Readable where it stands: one level down, as inside the item.
        let readable = serde_json::from_str::<Value>(&format!("[{}]", v.get())).is_ok();
        if !readable {
            unparsed.push(Value::from(k.as_str()));
        }
        if k == UNPARSED_KEY {
            continue; // written last, as the list of refused fields when there is one
        }
        if readable {
            push(k, v.get());
        } else {
            push(k, &Value::from(v.get()).to_string());
        }
    }
    if !unparsed.is_empty() {
        push(UNPARSED_KEY, &Value::Array(unparsed).to_string());
    } else if let Some(v) = fields.get(UNPARSED_KEY) {
        push(UNPARSED_KEY, v.get());
    }
    text.push('}');
    serde_json::from_str(&text).ok()
}

/// Decodes every readable item; returns them and how many could not be read.
pub(crate) fn decode_items<T: DeserializeOwned>(raw: &[Box<RawValue>]) -> (Vec<T>, usize) {
    let mut out = Vec::with_capacity(raw.len());
    let mut bad = 0usize;
    for r in raw {
        match decode_item(r) {
            Some(t) => out.push(t),
            None => bad = bad.saturating_add(1),
        }
    }
    (out, bad)
}

/// `null` (or a missing field, with `#[serde(default)]`) becomes the type's default.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Accepts `200`, `"200"`, `200.0` or `null`; anything else reads as absent rather than
/// failing the whole response (a vendor's odd value must not hide the other fields).
pub(crate) fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(v.as_ref().and_then(value_to_u64))
}

pub(crate) fn value_to_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.is_finite())
                .map(|f| f.round() as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Accepts `0.75`, `"0.75"`, `3` or `null`; anything else (or a non-finite number) reads
/// as absent.
pub(crate) fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite()))
}

/// Accepts `true`, `"true"`, `1`, `"yes"` and their opposites; anything else reads as absent.
pub(crate) fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A duration in milliseconds from a count of `unit_ms` units (Bland's minutes, Burki's
/// seconds); negative or absurd values read as absent.
pub(crate) fn units_to_ms(v: Option<f64>, unit_ms: f64) -> Option<u64> {
    let ms = v? * unit_ms;
    (0.0..1e15).contains(&ms).then(|| ms.round() as u64)
}

/// A recording link kept only when it is an `https:` URL; otherwise the note saying why.
pub(crate) fn recording_link(raw: Option<&str>) -> (Option<String>, Option<String>) {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => (None, None),
        Some(r) => match crate::domain::https_url(r) {
            Ok(u) => (Some(u), None),
            Err(why) => (
                None,
                Some(format!(
                    "The recording link was left out: {why} (“{}”). Open the recording from the vendor's dashboard.",
                    crate::error::shorten(r, 80)
                )),
            ),
        },
    }
}

/// An HTTP status code from a lenient number; out-of-range values read as absent.
pub(crate) fn http_code(v: Option<u64>) -> Option<u16> {
    v.filter(|c| (100..=599).contains(c)).map(|c| c as u16)
}

/// IDs arrive as strings or numbers; both display the same.
pub(crate) fn lenient_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// [`lenient_id`] held as a shared [`Name`](crate::domain::Name): the same webhook ID on
/// every log of a lookup is one copy while 100,000 logs wait to be grouped.
pub(crate) fn lenient_id_name<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<crate::domain::Name>, D::Error> {
    Ok(lenient_id(d)?.map(crate::domain::Name::from))
}

/// [`lenient_text`] held as a shared [`Name`](crate::domain::Name) (an event, a status).
pub(crate) fn lenient_name<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<crate::domain::Name>, D::Error> {
    Ok(lenient_text(d)?.map(crate::domain::Name::from))
}

/// Any JSON value read as text for display: strings as they are, the rest serialised.
pub(crate) fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

pub(crate) fn extra_value(m: &Map<String, Value>) -> Value {
    Value::Object(m.clone())
}

/// Whether every number in `text` reads back as the same text through serde_json's
/// `Value` (which holds numbers as u64, i64 or f64). When one does not (`1.10`, `1e3`, a
/// 23-digit integer), payloads keep the text as sent (`Payload`).
pub fn numbers_round_trip(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0usize;
    let mut in_str = false;
    while let Some(&c) = b.get(i) {
        if in_str {
            match c {
                b'\\' => i = i.saturating_add(1),
                b'"' => in_str = false,
                _ => {}
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b'-' || c.is_ascii_digit() {
            let start = i;
            while b.get(i).is_some_and(|c| {
                c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
            }) {
                i = i.saturating_add(1);
            }
            let token = &text[start..i];
            let same = serde_json::from_str::<serde_json::Number>(token)
                .is_ok_and(|n| n.to_string() == token);
            if !same {
                return false;
            }
            continue;
        }
        i = i.saturating_add(1);
    }
    true
}

/// The raw text of `field` in each item (aligned with `items`), for payloads that must
/// keep their exact numbers.
pub(crate) fn raw_field(items: &[Box<RawValue>], field: &str) -> Vec<Option<String>> {
    items
        .iter()
        .map(|it| {
            serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(it.get())
                .ok()
                .and_then(|m| m.get(field).map(|v| v.get().to_string()))
        })
        .collect()
}

/// Gives each decoded log the raw text of its `field`, read from the same answer's items
/// (skipped when an unreadable item broke the alignment).
pub(crate) fn attach_raw<T>(
    logs: &mut [T],
    items: &[Box<RawValue>],
    field: &str,
    slot: impl Fn(&mut T) -> &mut Payload,
) {
    let raws = raw_field(items, field);
    if raws.len() == logs.len() {
        for (l, r) in logs.iter_mut().zip(raws) {
            if let Some(r) = r {
                *slot(l) = Payload::from_text(&r);
            }
        }
    }
}

/// A payload the decoder could not parse (nested too deep) arrives as a JSON string of
/// its text and is named under [`UNPARSED_KEY`]: its payload is that text.
pub(crate) fn unparsed_payload(extra: &Map<String, Value>, field: &str, p: &mut Payload) {
    let named = extra
        .get(UNPARSED_KEY)
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|k| k == field));
    if named {
        if let Value::String(text) = p.value() {
            *p = Payload::from_sent(&text);
        }
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn numbers_that_survive_and_those_that_do_not() {
        assert!(numbers_round_trip(
            r#"{"a": 1, "b": -2, "c": 0.5, "d": "1.10 in a string", "e": [3, 4.25]}"#
        ));
        for bad in [
            r#"{"p": 1.10}"#,
            r#"[12345678901234567890123]"#,
            r#"{"e": 1e3}"#,
            r#"{"z": -0}"#,
        ] {
            assert!(!numbers_round_trip(bad), "{bad}");
        }
        assert!(
            numbers_round_trip(r#"{"s": "escaped \" 1.10"}"#),
            "numbers inside strings do not count"
        );
    }
}

#[cfg(test)]
mod decode_item_tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        id: String,
        n: Option<f64>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    /// `decode_item` as it was: the odd item rebuilt as a `Value` and read with `from_value`.
    fn through_value<T: DeserializeOwned>(raw: &str) -> Option<T> {
        if let Ok(t) = serde_json::from_str::<T>(raw) {
            return Some(t);
        }
        let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(raw).ok()?;
        let mut map = Map::new();
        let mut unparsed = Vec::new();
        for (k, v) in fields {
            match serde_json::from_str::<Value>(v.get()) {
                Ok(val) => {
                    map.insert(k, val);
                }
                Err(_) => {
                    map.insert(k.clone(), Value::String(v.get().to_string()));
                    unparsed.push(Value::String(k));
                }
            }
        }
        if !unparsed.is_empty() {
            map.insert(UNPARSED_KEY.into(), Value::Array(unparsed));
        }
        serde_json::from_value(Value::Object(map)).ok()
    }

    fn decode<T: DeserializeOwned>(s: &str) -> Option<T> {
        decode_item(&serde_json::from_str::<Box<RawValue>>(s).unwrap())
    }

    /// The odd-item path (a field past the reader's depth limit) gives what it gave when it
    /// went through a `Value`: readable fields as sent (numbers, escapes, keys), the refused
    /// one as its text and listed; a wrong type still refuses the item.
    #[test]
    fn odd_items_read_as_through_a_value() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let items = [
            format!(r#"{{"id": "a", "n": 0.1, "x": {deep}}}"#),
            format!(
                r#"{{"id": "\u00e9\"\\", "n": 1e300, "k\u00e9y": [1, 2.5, -0, null], "x": {deep}, "y": {deep}}}"#
            ),
            format!(
                r#"{{"id": "b", "n": 123456789.123456789, "x": {{"a": {deep}}}, "z": {{"q": "w"}}}}"#
            ),
            format!(r#"{{"id": "c", "x": {deep}, "{UNPARSED_KEY}": "vendor's own"}}"#),
            format!(r#"{{"id": "d", "{UNPARSED_KEY}": {deep}}}"#),
            format!(r#"{{"id": "e", "id": "again", "x": {deep}}}"#),
            format!(r#"{{"id": 5, "x": {deep}}}"#),
            format!(r#"{{"n": 1, "x": {deep}}}"#),
            format!(r#"{{"id": "f", "n": 2, "{UNPARSED_KEY}": [1]}}"#),
            r#"{"id": "g"}"#.to_string(),
            r#"[1, 2]"#.to_string(),
        ];
        for s in &items {
            let ours: Option<Item> = decode(s);
            assert_eq!(ours, through_value::<Item>(s), "{s}");
            assert_eq!(decode::<Value>(s), through_value::<Value>(s), "{s}");
        }
        let a: Item = decode(&items[0]).unwrap();
        assert_eq!(a.n, Some(0.1));
        assert_eq!(a.extra["x"], Value::String(deep.clone()));
        assert_eq!(a.extra[UNPARSED_KEY], serde_json::json!(["x"]));
        assert!(decode::<Item>(&items[6]).is_none());
    }

    /// A field just within the depth limit on its own but not inside the item is kept as
    /// its text (it was a value before, read through a `Value` with no depth limit); the
    /// item still decodes.
    #[test]
    fn a_field_at_the_depth_limit_keeps_its_item() {
        for levels in [125, 126, 127, 128] {
            let deep = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
            let s = format!(r#"{{"id": "a", "x": {deep}}}"#);
            let item: Item = decode(&s).unwrap_or_else(|| panic!("{levels}"));
            if levels <= 126 {
                assert!(item.extra["x"].is_array(), "{levels}");
            } else {
                assert_eq!(item.extra["x"], Value::String(deep), "{levels}");
            }
        }
    }
}
