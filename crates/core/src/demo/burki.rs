//! Burki's demo endpoint: the webhook logs of one call.

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
            let logs = data::burki_logs(cid, self.now).unwrap_or_default();
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
        match data::burki_logs(call_id, self.now) {
            Some(_) => DemoResponse::json(200, logs_for(call_id)),
            None => DemoResponse::json(404, json!({"detail": "Call not found"})),
        }
    }
}
