//! Writes the starting corpora: the vendors' wire JSON as the demo API produces it (the
//! documented shapes, with every status and error the demo knows), their error bodies,
//! and typical inputs for the `inputs` target (fuzz/). `scripts/fuzz.sh` runs it first.

use hookscope_core::demo::{data, DemoApi, DemoRequest};
use hookscope_core::request::Method;
use std::path::Path;

fn main() {
    let out = std::env::args().nth(1).expect("usage: seeds <corpus dir>");
    let out = Path::new(&out);
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    let api = DemoApi {
        now: chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_000),
        expected_key: None,
    };
    let get = |path: String, query: Vec<(&str, &str)>| DemoRequest {
        method: Some(Method::Get),
        path,
        query: query
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        authorization: None,
        body: None,
    };
    let post = |path: &str, body: String| DemoRequest {
        method: Some(Method::Post),
        path: path.into(),
        query: vec![],
        authorization: None,
        body: Some(body),
    };
    let mut reqs = vec![
        get(
            format!(
                "/v1/sms/conversations/{}/webhook",
                data::BLAND_DOC_CONVERSATION
            ),
            vec![],
        ),
        get("/api/v1/calls/1001/webhook-logs".into(), vec![]),
        get("/api/v1/calls/990002/webhook-logs".into(), vec![]),
        get(
            "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs".into(),
            vec![("per_page", "100"), ("page", "1")],
        ),
        get(
            "/api/v1/campaigns/cmp_demo_winter/webhooks/wh_demo_campaign/logs".into(),
            vec![("per_page", "100"), ("page", "1")],
        ),
        post(
            "/v1/postcall/webhooks/create",
            format!(
                r#"{{"call_ids":["{}","{}","nope"],"webhook_url":"https://x.example/h"}}"#,
                data::bland_call_id(9),
                data::bland_call_id(1)
            ),
        ),
        post(
            "/v1/postcall/webhooks/resend",
            format!(r#"{{"call_ids":["{}"]}}"#, data::bland_call_id(2)),
        ),
    ];
    for id in [
        "err-401",
        "err-403",
        "err-404",
        "err-422",
        "err-429",
        "err-500",
        "err-html",
        "err-truncated",
        "err-empty",
        "err-vendor",
    ] {
        reqs.push(get(format!("/v1/postcall/webhooks/{id}"), vec![]));
    }
    for i in 0..5 {
        reqs.push(get(
            format!("/v1/postcall/webhooks/{}", data::bland_call_id(i)),
            vec![],
        ));
    }
    for (i, r) in reqs.iter().enumerate() {
        let resp = api.handle(r);
        // The first byte picks the status in the decoders target: 0 → 200.
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(resp.body.as_bytes());
        write("decoders", &format!("demo-{i:02}"), &bytes);
        let mut err = vec![8u8];
        err.extend_from_slice(resp.body.as_bytes());
        write("decoders", &format!("demo-{i:02}-as-429"), &err);
    }
    let inputs: [&str; 8] = [
        "c=Demo%20Bland&k=bland-call&id=a%2C%20b&status=failed&code=5xx&q=a%20b&from=2026-01-01T00%3A00&sort=-code&sel=x",
        "?c=Demo%20Talkover&k=talkover-agent&owner=agt_demo_support&wh=wh_demo_primary&c2=Sim%20Bland&k2=bland-call&id2=x&range=24h&hide=event&src=Demo%20Bland",
        "call_1\ncall_2, call_3;call_4\t\"call_5\"\r\n..\ncall_1",
        "https://hooks.example.com/bland/post-call?x=1",
        "/hookscope/proxy/bland",
        r#"{"vendors":["bland","acme"],"base_urls":{"bland":"/p"},"remember_keys":false}"#,
        r#"{"a":[1,2.50,{"b":null,"c":"\u00e9"}],"d":12345678901234567890}"#,
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ];
    for (i, t) in inputs.iter().enumerate() {
        write("inputs", &format!("seed-{i}"), t.as_bytes());
    }
}
