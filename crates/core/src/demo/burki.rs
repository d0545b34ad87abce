//! Burki's demo endpoints: the webhook logs of one call, and its calls (one by ID, one by
//! SID, a filtered list).

use super::*;

impl DemoApi {
    pub(super) fn burki(&self, id: &str, req: &DemoRequest) -> DemoResponse {
        let Ok(call_id) = id.parse::<u64>() else {
            return DemoResponse::json(
                422,
                json!({"detail": [{"loc": ["path", "call_id"], "msg": "value is not a valid integer", "type": "type_error.integer"}]}),
            );
        };
        let filter = req
            .query
            .iter()
            .find(|(k, _)| k == "webhook_type")
            .map(|(_, v)| v.clone());
        let logs_for = |cid: u64| {
            let logs = data::burki_logs(cid, self.now)
                .or_else(|| call_data::burki_logs(cid, self.now))
                .unwrap_or_default();
            let logs: Vec<Value> = logs
                .into_iter()
                .filter(|l| filter.as_deref().is_none_or(|f| l["webhook_type"] == f))
                .collect();
            Value::Array(logs)
        };
        if let Some(inj) = injection(id) {
            return injected(Vendor::Burki, inj, || {
                logs_for(data::BURKI_FIRST_CALL).to_string()
            });
        }
        if call_id == data::HOSTILE_BURKI_CALL {
            let mut r = DemoResponse::json(200, Value::Array(data::hostile_burki_logs(self.now)));
            r.body = data::with_exact_numbers(r.body);
            return r;
        }
        match data::burki_logs(call_id, self.now)
            .or_else(|| call_data::burki_logs(call_id, self.now))
        {
            Some(_) => DemoResponse::json(200, logs_for(call_id)),
            None => DemoResponse::json(404, json!({"detail": "Call not found"})),
        }
    }

    /// `GET /api/v1/calls/{id}`.
    pub(super) fn burki_call(&self, id: &str) -> DemoResponse {
        let Ok(call_id) = id.parse::<u64>() else {
            return not_an_integer("call_id");
        };
        if let Some(inj) = injection(id) {
            let fake = call_data::burki_call(data::BURKI_FIRST_CALL, self.now);
            return injected(Vendor::Burki, inj, || {
                fake.unwrap_or(Value::Null).to_string()
            });
        }
        match call_data::burki_call(call_id, self.now) {
            Some(c) => DemoResponse::json(200, c),
            None => DemoResponse::json(404, json!({"detail": "Call not found"})),
        }
    }

    /// `GET /api/v1/calls/sid/{call_sid}`.
    pub(super) fn burki_call_by_sid(&self, sid: &str) -> DemoResponse {
        if let Some(inj) = injection(sid) {
            let fake = call_data::burki_call(data::BURKI_FIRST_CALL, self.now);
            return injected(Vendor::Burki, inj, || {
                fake.unwrap_or(Value::Null).to_string()
            });
        }
        match call_data::burki_calls(self.now)
            .into_iter()
            .find(|c| c["call_sid"] == sid)
        {
            Some(c) => DemoResponse::json(200, c),
            None => DemoResponse::json(404, json!({"detail": "Call not found"})),
        }
    }

    /// `GET /api/v1/calls?customer_phone=&call_sid=&skip=&limit=`: both filters match
    /// partially, as Burki documents; `limit` 1–1000 (default 100).
    pub(super) fn burki_calls(&self, req: &DemoRequest) -> DemoResponse {
        let q = |name: &str| {
            req.query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let skip = match q("skip").map(|v| v.parse::<u64>()) {
            None => 0,
            Some(Ok(n)) => n,
            Some(Err(_)) => return not_an_integer("skip"),
        };
        let limit = match q("limit").map(|v| v.parse::<u64>()) {
            None => 100,
            Some(Ok(n)) if (1..=1000).contains(&n) => n,
            Some(_) => {
                return DemoResponse::json(
                    422,
                    json!({"detail": [{"loc": ["query", "limit"], "msg": "ensure this value is between 1 and 1000", "type": "value_error.number.not_in_range"}]}),
                )
            }
        };
        let (phone, sid) = (q("customer_phone"), q("call_sid"));
        if let Some(inj) = phone.as_deref().or(sid.as_deref()).and_then(injection) {
            return injected(Vendor::Burki, inj, || {
                json!({"items": [], "total": 0}).to_string()
            });
        }
        let contains = |v: &Value, part: &Option<String>| {
            part.as_deref()
                .is_none_or(|p| v.as_str().is_some_and(|s| s.contains(p)))
        };
        let matching: Vec<Value> = call_data::burki_calls(self.now)
            .into_iter()
            .filter(|c| contains(&c["customer_phone_number"], &phone))
            .filter(|c| contains(&c["call_sid"], &sid))
            .collect();
        let total = matching.len();
        let items: Vec<Value> = matching
            .into_iter()
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect();
        DemoResponse::json(
            200,
            json!({"items": items, "total": total, "skip": skip, "limit": limit}),
        )
    }
}

/// FastAPI's answer to a path or query value that is not an integer.
fn not_an_integer(field: &str) -> DemoResponse {
    let place = if field == "call_id" { "path" } else { "query" };
    DemoResponse::json(
        422,
        json!({"detail": [{"loc": [place, field], "msg": "value is not a valid integer", "type": "type_error.integer"}]}),
    )
}
