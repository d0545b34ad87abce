//! One adapter per vendor. Each holds its request builders, its wire types exactly as
//! documented (unknown fields kept in `extra`, every optional field optional) and the
//! mapping into [`crate::domain`].

pub mod bland;
pub mod burki;
pub mod talkover;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

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

/// Any JSON value read as text for display: strings as they are, the rest serialised.
pub(crate) fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// A stable text form of a JSON value, used to recognise retries of the same message.
/// serde_json's map is ordered by key, so this is canonical.
pub(crate) fn canonical(v: &Value) -> String {
    v.to_string()
}

pub(crate) fn extra_value(m: &Map<String, Value>) -> Value {
    Value::Object(m.clone())
}
