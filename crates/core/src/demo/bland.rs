//! Bland's demo endpoints: post-call and SMS webhook records, and bulk create/resend
//! (remembered in the [`DemoStore`], as Bland would).

use super::*;

impl DemoApi {
    /// The post-call record of a call as it stands now: the generated one, or the one
    /// created here, with every attempt added here.
    pub(super) fn bland_record(&self, id: &str, store: &DemoStore) -> Option<Value> {
        let mut rec = data::bland_call_index(id)
            .and_then(|i| data::bland_postcall_record(i, self.now))
            .or_else(|| {
                store.bland_created.get(id).map(|(url, at)| {
                    json!({"call_id": id, "url": url, "payload": {"call_id": id, "completed": true, "status": "completed"},
                           "created_at": at, "user_id": "org_demo_7f3a", "metadata": []})
                })
            })?;
        if let (Some(m), Some(extra)) = (rec["metadata"].as_array_mut(), store.bland_sent.get(id)) {
            m.extend(extra.iter().cloned());
        }
        Some(rec)
    }

    pub(super) fn bland_postcall(&self, id: &str, store: &DemoStore) -> DemoResponse {
        let ok = |rec: Value| json!({"data": rec, "errors": null}).to_string();
        if let Some(inj) = injection(id) {
            let fake = data::bland_postcall_record(0, self.now).unwrap_or(Value::Null);
            return injected(Vendor::Bland, inj, || ok(fake));
        }
        if id == data::HOSTILE_BLAND_CALL {
            let mut r = DemoResponse::json(
                200,
                json!({"data": data::hostile_bland_record(self.now), "errors": null}),
            );
            r.body = data::with_exact_numbers(r.body);
            return r;
        }
        if let Some(rec) = self.bland_record(id, store) {
            return DemoResponse::json(200, json!({"data": rec, "errors": null}));
        }
        match data::bland_call_index(id).map(|i| (i, data::bland_postcall_record(i, self.now))) {
            Some((_, Some(rec))) => DemoResponse::json(200, json!({"data": rec, "errors": null})),
            Some((_, None)) => vendor_error(
                Vendor::Bland,
                404,
                "invalid_parameter",
                &format!("No post call webhook has been sent for call {id}"),
            ),
            None => vendor_error(
                Vendor::Bland,
                404,
                "invalid_parameter",
                &format!("Call {id} not found"),
            ),
        }
    }

    pub(super) fn bland_sms(&self, id: &str) -> DemoResponse {
        if id == data::BLAND_DOC_CONVERSATION {
            return DemoResponse::text(200, "application/json", data::BLAND_DOC_SMS_EXAMPLE);
        }
        if let Some(inj) = injection(id) {
            let fake = data::bland_sms_record(0, self.now).unwrap_or(Value::Null);
            return injected(Vendor::Bland, inj, || {
                json!({"data": fake, "errors": null}).to_string()
            });
        }
        match data::bland_conversation_index(id) {
            Some(i) => DemoResponse::json(
                200,
                json!({"data": data::bland_sms_record(i, self.now), "errors": null}),
            ),
            None => vendor_error(
                Vendor::Bland,
                404,
                "invalid_parameter",
                &format!("Conversation {id} not found"),
            ),
        }
    }

    pub(super) fn bland_bulk(
        &self,
        op: &str,
        body: Option<&str>,
        store: &mut DemoStore,
    ) -> DemoResponse {
        store.bulk_requests = store.bulk_requests.saturating_add(1);
        let many = body.is_some_and(|b| b.matches(',').count() > 1);
        if store.transient_faults && many {
            let n = store.bulk_requests;
            if n % 7 == 2 {
                let mut r = vendor_error(Vendor::Bland, 429, "RATE_LIMITED", "Too many requests");
                r.retry_after = Some("2".into());
                return r;
            }
            if n % 7 == 4 {
                return vendor_error(
                    Vendor::Bland,
                    503,
                    "INTERNAL_SERVER_ERROR",
                    "Service temporarily unavailable",
                );
            }
        }
        let parsed: Option<Value> = body.and_then(|b| serde_json::from_str(b).ok());
        let Some(ids) = parsed
            .as_ref()
            .and_then(|v| v.get("call_ids"))
            .and_then(Value::as_array)
        else {
            return vendor_error(
                Vendor::Bland,
                400,
                "invalid_parameter",
                "call_ids must be an array of strings",
            );
        };
        let ids: Vec<String> = ids
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        if unique.len() != ids.len() {
            return vendor_error(
                Vendor::Bland,
                400,
                "invalid_parameter",
                "Each call ID must be unique within call_ids",
            );
        }
        let url = parsed
            .as_ref()
            .and_then(|v| v.get("webhook_url"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if op == "create" && url.as_deref().is_none_or(|u| !u.starts_with("http")) {
            return vendor_error(
                Vendor::Bland,
                400,
                "invalid_parameter",
                "webhook_url must be a valid URL",
            );
        }
        if let Some(inj) = ids.iter().find_map(|i| injection(i)) {
            return injected(Vendor::Bland, inj, || {
                json!({"data": [], "errors": null}).to_string()
            });
        }
        let mut data = Vec::new();
        let mut errors = Vec::new();
        for id in &ids {
            if id.contains(FAILING_CALL_MARK) {
                errors.push(json!({"error": "INTERNAL_SERVER_ERROR", "message": format!("Call {id}: the webhook could not be sent (internal error)")}));
                continue;
            }
            let known =
                data::bland_call_index(id).is_some() || store.bland_created.contains_key(id);
            let has_webhook = self.bland_record(id, store).is_some();
            let attempt = |kind: &str| json!({"sent_at": data::ts(self.now), "response_code": 200, "response_time": "131ms", "send_type": kind});
            match (op, known, has_webhook) {
                (_, false, _) => errors.push(json!({"error": "invalid_parameter", "message": format!("Call {id} not found")})),
                ("create", true, true) => errors.push(json!({"error": "invalid_parameter", "message": format!("Call {id} has already sent a post call webhook")})),
                ("create", true, false) => {
                    let url = url.clone().unwrap_or_default();
                    store.bland_created.insert(id.clone(), (url, data::ts(self.now)));
                    store.bland_sent.entry(id.clone()).or_default().push(attempt("create"));
                    data.extend(self.bland_record(id, store));
                }
                (_, true, false) => errors.push(json!({"error": "invalid_parameter", "message": format!("Call {id} has no post call webhook to resend")})),
                (_, true, true) => {
                    store.bland_sent.entry(id.clone()).or_default().push(attempt("resend"));
                    data.extend(self.bland_record(id, store));
                }
            }
        }
        let errors = if errors.is_empty() {
            Value::Null
        } else {
            Value::Array(errors)
        };
        DemoResponse::json(200, json!({"data": data, "errors": errors}))
    }
}
