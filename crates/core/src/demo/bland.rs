//! Bland's demo endpoints: post-call and SMS webhook records, and bulk create/resend
//! (remembered in the [`DemoStore`], as Bland would).

use super::*;

impl DemoApi {
    /// The post-call record of a call as it stands now: the generated one, or the one
    /// created here, with every attempt added here.
    pub(super) fn bland_record(&self, id: &str, store: &DemoStore) -> Option<Value> {
        let mut rec = data::bland_call_index(id)
            .and_then(|i| data::bland_postcall_record(i, self.now))
            .or_else(|| call_data::bland_postcall(id, self.now))
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
        if call_data::is_bland_find_call(id) {
            return vendor_error(
                Vendor::Bland,
                404,
                "invalid_parameter",
                &format!("No post call webhook has been sent for call {id}"),
            );
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
            let known = data::bland_call_index(id).is_some()
                || call_data::is_bland_find_call(id)
                || store.bland_created.contains_key(id);
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

    /// `GET /v1/calls/{id}`: the call itself, no envelope.
    pub(super) fn bland_call(&self, id: &str) -> DemoResponse {
        if let Some(inj) = injection(id) {
            let fake = call_data::bland_call(&data::bland_call_id(0), self.now);
            return injected(Vendor::Bland, inj, || {
                fake.unwrap_or(Value::Null).to_string()
            });
        }
        match call_data::bland_call(id, self.now) {
            Some(rec) => DemoResponse::json(200, rec),
            None => vendor_error(
                Vendor::Bland,
                404,
                "invalid_parameter",
                &format!("Call {id} not found"),
            ),
        }
    }

    /// `GET /v1/calls?to_number=&from_number=&limit=&from=&to=`: newest first; `count` is
    /// how many match; `from`/`to` pick a range of them and `limit` caps it.
    pub(super) fn bland_calls(&self, req: &DemoRequest) -> DemoResponse {
        let q = |name: &str| {
            req.query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
        };
        let number = |name: &str| q(name).filter(|v| !v.is_empty()).map(str::to_string);
        let (to_number, from_number) = (number("to_number"), number("from_number"));
        let int = |name: &str, default: u64| match q(name) {
            None | Some("") => Ok(default),
            Some(v) => v.parse::<u64>().map_err(|_| {
                vendor_error(
                    Vendor::Bland,
                    400,
                    "invalid_parameter",
                    &format!("{name} must be a non-negative integer"),
                )
            }),
        };
        let (limit, from, to) = match (int("limit", 1000), int("from", 0), int("to", u64::MAX)) {
            (Ok(l), Ok(f), Ok(t)) => (l, f, t),
            (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
        };
        if let Some(inj) = to_number
            .as_deref()
            .or(from_number.as_deref())
            .and_then(injection)
        {
            return injected(Vendor::Bland, inj, || {
                json!({"count": 0, "calls": []}).to_string()
            });
        }
        let matching: Vec<Value> = call_data::bland_calls(self.now)
            .into_iter()
            .filter(|c| to_number.as_deref().is_none_or(|n| c["to"] == n))
            .filter(|c| from_number.as_deref().is_none_or(|n| c["from"] == n))
            .collect();
        let count = matching.len();
        let start = usize::try_from(from).unwrap_or(usize::MAX);
        let take = usize::try_from(to.saturating_sub(from).min(limit)).unwrap_or(usize::MAX);
        // The list carries the documented summary fields of each call.
        let fields = [
            "call_id",
            "created_at",
            "call_length",
            "to",
            "from",
            "completed",
            "queue_status",
            "error_message",
            "answered_by",
            "batch_id",
        ];
        let calls: Vec<Value> = matching
            .into_iter()
            .skip(start)
            .take(take)
            .map(|c| {
                let mut out = serde_json::Map::new();
                for f in fields {
                    if let Some(v) = c.get(f) {
                        out.insert(f.to_string(), v.clone());
                    }
                }
                Value::Object(out)
            })
            .collect();
        DemoResponse::json(200, json!({"count": count, "calls": calls}))
    }
}
