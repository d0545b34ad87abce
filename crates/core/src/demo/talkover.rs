//! Talkover's demo endpoints: a webhook's paginated logs (with the retries made here)
//! and retrying a log.

use super::*;

impl DemoApi {
    /// A webhook's logs as they stand now, newest first: generated ones plus retries.
    pub(super) fn talkover_current(
        &self,
        kind: &str,
        owner: &str,
        wh: &str,
        store: &DemoStore,
    ) -> Option<Vec<Value>> {
        let mut logs = data::talkover_logs(kind, owner, wh, self.now)
            .or_else(|| call_data::talkover_logs(kind, owner, wh, self.now))?;
        if let Some(added) = store.talkover_added.get(&format!("{kind}/{owner}/{wh}")) {
            let mut newest_first: Vec<Value> = added.iter().rev().cloned().collect();
            newest_first.append(&mut logs);
            logs = newest_first;
        }
        Some(logs)
    }

    pub(super) fn talkover_logs(
        &self,
        kind: &str,
        owner: &str,
        wh: &str,
        req: &DemoRequest,
        store: &DemoStore,
    ) -> DemoResponse {
        let q = |name: &str| {
            req.query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let per_page = match q("per_page").map(str::parse::<u64>) {
            None => 25,
            Some(Ok(n)) if (1..=100).contains(&n) => n,
            Some(_) => {
                return vendor_error(
                    Vendor::Talkover,
                    422,
                    "VALIDATION_ERROR",
                    "per_page must be between 1 and 100",
                )
            }
        };
        let page = match q("page").map(str::parse::<u64>) {
            None => 1,
            Some(Ok(n)) if n >= 1 => n,
            Some(_) => {
                return vendor_error(
                    Vendor::Talkover,
                    422,
                    "VALIDATION_ERROR",
                    "page must be a positive integer",
                )
            }
        };
        let page_of = |logs: Vec<Value>| {
            let total = logs.len() as u64;
            let last = total.div_ceil(per_page).max(1);
            let items: Vec<Value> = logs
                .into_iter()
                .skip(
                    usize::try_from(page.saturating_sub(1).saturating_mul(per_page))
                        .unwrap_or(usize::MAX),
                )
                .take(per_page as usize)
                .collect();
            json!({"success": true, "data": items, "pagination": {"current_page": page, "per_page": per_page, "total": total, "last_page": last}})
        };
        if let Some(inj) = injection(wh).or_else(|| injection(owner)) {
            let demo = data::talkover_logs("agents", "agt_demo_support", "wh_demo_crm", self.now)
                .unwrap_or_default();
            return injected(Vendor::Talkover, inj, || page_of(demo).to_string());
        }
        if kind == "agents" && owner == "agt_demo_support" && wh == data::HOSTILE_TALKOVER_HOOK {
            let mut r = DemoResponse::json(200, page_of(data::hostile_talkover_logs(self.now)));
            r.body = data::with_exact_numbers(r.body);
            return r;
        }
        if let (true, Some(n)) = (
            kind == "agents" && owner == data::SCALE_AGENT,
            data::scale_of(wh),
        ) {
            let first = usize::try_from(page.saturating_sub(1).saturating_mul(per_page))
                .unwrap_or(usize::MAX);
            let items: Vec<Value> = (first..n.min(first.saturating_add(per_page as usize)))
                .map(|i| data::scale_log(n, i, self.now))
                .collect();
            let last = (n as u64).div_ceil(per_page);
            let mut r = DemoResponse::json(
                200,
                json!({"success": true, "data": items, "pagination": {"current_page": page, "per_page": per_page, "total": n, "last_page": last}}),
            );
            // Volume, not latency, is what these show.
            r.delay_ms = 1;
            return r;
        }
        if kind == "agents" && owner == "agt_demo_support" && wh == data::TALKOVER_SHIFTING_HOOK {
            let mut logs =
                data::talkover_logs(kind, owner, "wh_demo_primary", self.now).unwrap_or_default();
            if page > 1 {
                // A new log arrived after page 1 was read: everything moves down by one.
                if let Some(mut newest) = logs.first().cloned() {
                    newest["id"] = json!("log-arrived-during-load");
                    logs.insert(0, newest);
                }
            }
            return DemoResponse::json(200, page_of(logs));
        }
        match self.talkover_current(kind, owner, wh, store) {
            Some(logs) => DemoResponse::json(200, page_of(logs)),
            None => vendor_error(Vendor::Talkover, 404, "NOT_FOUND", "Webhook not found"),
        }
    }

    /// Retries a failed log: answers like Talkover, and the new attempt (which the demo
    /// target accepts) appears in later lookups as the next attempt of the same delivery.
    pub(super) fn talkover_retry(
        &self,
        kind: &str,
        owner: &str,
        wh: &str,
        log_id: &str,
        store: &mut DemoStore,
    ) -> DemoResponse {
        if let Some(inj) = injection(log_id) {
            return injected(Vendor::Talkover, inj, || {
                json!({"success": true}).to_string()
            });
        }
        let Some(logs) = self.talkover_current(kind, owner, wh, store) else {
            return vendor_error(Vendor::Talkover, 404, "NOT_FOUND", "Webhook not found");
        };
        match logs.iter().find(|l| l["id"] == log_id) {
            None => vendor_error(Vendor::Talkover, 404, "NOT_FOUND", "Log not found"),
            Some(l) if l["status"] == "success" || l["status"] == "pending" => vendor_error(
                Vendor::Talkover,
                422,
                "LOG_NOT_RETRIABLE",
                "Log cannot be retried",
            ),
            Some(l) => {
                let added = store
                    .talkover_added
                    .get(&format!("{kind}/{owner}/{wh}"))
                    .map_or(0, Vec::len);
                let new_id = rng::Rng::from_text(&format!("retry:{log_id}:{added}")).uuid();
                // The next attempt number of this delivery (same event and payload).
                let next = logs
                    .iter()
                    .filter(|x| {
                        x["event"] == l["event"] && x["request_payload"] == l["request_payload"]
                    })
                    .filter_map(|x| x["attempt"].as_u64())
                    .max()
                    .unwrap_or(1)
                    .saturating_add(1);
                let mut log = l.clone();
                log["id"] = json!(new_id);
                log["attempt"] = json!(next);
                log["status"] = json!("success");
                log["http_status"] = json!(200);
                log["error"] = Value::Null;
                log["duration_ms"] = json!(120);
                log["response_body"] = json!("{\"received\":true}");
                log["response_headers"] = json!({"content-type": "application/json"});
                log["created_at"] = json!(data::ts(self.now));
                log["delivered_at"] = json!(data::ts(self.now));
                store
                    .talkover_added
                    .entry(format!("{kind}/{owner}/{wh}"))
                    .or_default()
                    .push(log);
                DemoResponse::json(
                    200,
                    json!({"success": true, "message": "Webhook retry queued", "data": {"log_id": new_id, "original_log_id": log_id, "queued_at": data::ts(self.now)}}),
                )
            }
        }
    }
}
