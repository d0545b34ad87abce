//! The team deployment (deploy/nginx/hookscope-team.conf, deploy/caddy/Caddyfile.team), as
//! shipped, on Debian's nginx and Caddy, in front of a TLS vendor (test CA) in front of the
//! simulator (which accepts only the key `sim-key`). No browser: plain HTTP requests as
//! each person (crates/e2e/src/team.rs); every check runs on both servers
//! (`team::<check>::nginx`, `team::<check>::caddy`).

use hookscope_core::demo::data::bland_call_id;
use hookscope_e2e::nginx::{check_precompressed, get_encoded, header, header_values, send, Answer};
use hookscope_e2e::proxy::{self, sim_log, Rig, BROWSER_HEADERS};
use hookscope_e2e::team::{basic, write_key_file, Server, Team, ADMIN, NO_ROLE, ODD, SUPPORT};
use hookscope_e2e::tls::{Cert, TlsVendor};
use hookscope_e2e::KEY;
use serde_json::Value;

/// The config.json a deployer writes (deploy/config.team.example.json), served beside the app.
fn team_config() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy/config.team.example.json");
    std::fs::read_to_string(path).expect("deploy/config.team.example.json")
}

async fn rig(server: Server) -> Rig<Team> {
    let config = team_config();
    Rig::start(move |vendor| Team::with_vendor(server, vendor, &[("config.json", &config)])).await
}

/// Runs a check on each server: `team::<check>::nginx` and `team::<check>::caddy`.
macro_rules! on_both {
    ($($check:ident),* $(,)?) => {$(
        mod $check {
            use hookscope_e2e::team::Server;
            #[tokio::test]
            async fn nginx() {
                super::$check(Server::Nginx).await;
            }
            #[tokio::test]
            async fn caddy() {
                super::$check(Server::Caddy).await;
            }
        }
    )*};
}

on_both!(
    sign_in_is_required_for_everything,
    session_json_names_each_person_and_role,
    support_reads_with_the_servers_key_and_nothing_of_the_browsers,
    support_may_not_retry_or_resend_and_admin_may,
    a_vendors_429_reaches_the_person_with_retry_after_and_rate_limit_headers,
    each_role_gets_only_the_listed_endpoints,
    an_unclean_path_is_relayed_clean_or_refused,
    a_post_another_site_makes_the_browser_send_is_refused,
    a_role_neither_support_nor_admin_gets_nothing,
    a_vendor_refusing_the_key_is_told_apart_from_a_failed_sign_in,
    the_app_is_served_behind_the_sign_in,
    the_precompressed_copies_are_sent_behind_the_sign_in,
    the_key_goes_only_to_a_vendor_whose_certificate_was_checked,
);

fn talk(webhook: &str) -> String {
    format!("/hookscope/api/talkover/api/v1/agents/agt_demo_support/webhooks/{webhook}/logs")
}

/// One GET per vendor, as the console makes them.
fn reads() -> [String; 3] {
    [
        format!(
            "/hookscope/api/bland/v1/postcall/webhooks/{}",
            bland_call_id(3)
        ),
        "/hookscope/api/burki/api/v1/calls/1001/webhook-logs".into(),
        format!("{}?per_page=5&page=1", talk("wh_demo_primary")),
    ]
}

fn text(a: &Answer) -> String {
    String::from_utf8_lossy(&a.2).to_string()
}

fn json(a: &Answer) -> Value {
    serde_json::from_slice(&a.2).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(a)))
}

/// A refusal: `status`, JSON with this error code, and no-store.
fn assert_refused(a: &Answer, status: u16, code: &str, what: &str) {
    assert_eq!(a.0, status, "{what}: {}", text(a));
    assert_eq!(header(&a.1, "content-type"), "application/json", "{what}");
    assert_eq!(json(a)["error"]["code"], code, "{what}");
}

/// No answer holds the key, in a header or its body.
fn assert_no_key(answers: &[Answer]) {
    for a in answers {
        for (name, value) in &a.1 {
            assert!(!value.contains(KEY), "the key in the answer's {name}");
        }
        assert!(!text(a).contains(KEY), "the key in an answer: {}", text(a));
    }
}

/// Without a password, with a wrong one, or as someone not on the list: 401 (and a
/// basic-auth challenge) for the app, its config, session.json and the API, whatever the
/// method, and nothing reaches the vendor. (nginx runs `return` before its password
/// check: a session.json written with `return` in its own location answers here 200.)
async fn sign_in_is_required_for_everything(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let paths = [
        ("GET", "/hookscope/".to_string()),
        ("GET", "/hookscope/explorer?c=Bland".into()),
        ("GET", "/hookscope/config.json".into()),
        ("GET", "/hookscope/session.json".into()),
        ("GET", reads()[0].clone()),
        ("GET", reads()[2].clone()),
        ("POST", format!("{}/log_1/retry", talk("wh_demo_crm"))),
        (
            "POST",
            "/hookscope/api/bland/v1/postcall/webhooks/resend".into(),
        ),
        ("GET", "/hookscope/api/bland/v1/admin".into()),
        ("GET", "/hookscope/api/nobody/x".into()),
    ];
    let wrong = [
        None,
        Some(basic(ADMIN, "not-her-password")),
        Some(basic(SUPPORT, "")),
        Some(basic("mallory@example.org", team.password(ADMIN))),
        Some(format!("Bearer {KEY}")),
    ];
    for (method, path) in &paths {
        for auth in &wrong {
            let headers: Vec<(&str, &str)> = auth
                .as_deref()
                .map(|a| ("Authorization", a))
                .into_iter()
                .collect();
            let body = (*method == "POST").then_some(r#"{"call_ids":["x"]}"#);
            let a = send(&team.origin, method, path, &headers, body).await;
            assert_eq!(a.0, 401, "{method} {path} with {auth:?}: {}", text(&a));
            let challenge = header(&a.1, "www-authenticate");
            assert!(challenge.starts_with("Basic realm="), "{path}: {challenge}");
        }
    }
    assert!(
        sim_log(&rig.sim).await.is_empty(),
        "a request reached the vendor"
    );
    // The bare /hookscope is sent on to /hookscope/ before the sign-in (nginx's `return`,
    // Caddy's `redir`): it holds nothing.
    let a = send(&team.origin, "GET", "/hookscope", &[], None).await;
    assert_eq!(a.0, 301);
    assert!(header(&a.1, "location").ends_with("/hookscope/"));
    // The right password opens each.
    for path in [
        "/hookscope/",
        "/hookscope/config.json",
        "/hookscope/session.json",
    ] {
        let a = team.get_as(SUPPORT, path).await;
        assert_eq!(a.0, 200, "{path}");
    }
}

/// session.json tells the app who signed in and their role, is never stored, and a name
/// that would break its JSON (a quote, a backslash) is refused with a JSON error instead
/// of being written; that person gets nothing from the vendors either.
async fn session_json_names_each_person_and_role(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    for (user, role) in [(ADMIN, "admin"), (SUPPORT, "support")] {
        let a = team.get_as(user, "/hookscope/session.json").await;
        assert_eq!(a.0, 200, "{user}");
        assert_eq!(json(&a), serde_json::json!({"user": user, "role": role}));
        assert_eq!(header(&a.1, "content-type"), "application/json");
        assert_eq!(header_values(&a.1, "cache-control"), ["no-store"]);
    }
    let a = team.get_as(ODD, "/hookscope/session.json").await;
    assert_refused(&a, 403, "BAD_USER_NAME", "session.json for an odd name");
    assert!(
        !text(&a).contains(ODD),
        "the name was written: {}",
        text(&a)
    );
    for path in reads() {
        let a = team.get_as(ODD, &path).await;
        assert_refused(&a, 403, "BAD_USER_NAME", &path);
    }
    assert!(sim_log(&rig.sim).await.is_empty());
}

/// A support person's GET to each vendor arrives with the organisation's key in the
/// vendor's format (the simulator accepts only `sim-key`: the person's own basic-auth
/// Authorization would be a 401) and none of the browser's Cookie, Proxy-Authorization,
/// Origin, forwarding headers and the like. Same for an admin's POST.
async fn support_reads_with_the_servers_key_and_nothing_of_the_browsers(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let mut answers = Vec::new();
    for path in reads() {
        let a = team
            .send_as(Some(SUPPORT), "GET", &path, &BROWSER_HEADERS, None)
            .await;
        assert_eq!(a.0, 200, "{path}: {}", text(&a));
        answers.push(a);
    }
    let body = format!(
        r#"{{"call_ids":["{}"],"webhook_url":"https://hooks.example/h"}}"#,
        bland_call_id(9)
    );
    let mut headers = BROWSER_HEADERS.to_vec();
    headers.push(("Content-Type", "application/json"));
    let a = team
        .send_as(
            Some(ADMIN),
            "POST",
            "/hookscope/api/bland/v1/postcall/webhooks/create",
            &headers,
            Some(&body),
        )
        .await;
    assert_eq!(a.0, 200, "{}", text(&a));
    answers.push(a);
    let seen = sim_log(&rig.sim).await;
    assert_eq!(seen.len(), 4);
    let (get, post) = match server {
        Server::Nginx => proxy::NGINX_FORWARDS,
        // Caddy drops the known ones only (deploy/caddy/Caddyfile.team says so).
        Server::Caddy => proxy::CADDY_FORWARDS,
    };
    for r in &seen[..3] {
        assert_eq!(r["headers"], serde_json::json!(get), "{r}");
    }
    assert_eq!(seen[3]["headers"], serde_json::json!(post));
    for name in [
        "cookie",
        "proxy-authorization",
        "origin",
        "referer",
        "x-forwarded-for",
    ] {
        assert!(
            seen.iter()
                .all(|r| !r["headers"].as_array().unwrap().iter().any(|h| h == name)),
            "{name} reached the vendor"
        );
    }
    let hosts: Vec<&str> = seen.iter().map(|r| r["host"].as_str().unwrap()).collect();
    assert_eq!(
        hosts,
        [
            "api.bland.ai",
            "api.burki.dev",
            "app.talkover.ai",
            "api.bland.ai"
        ]
    );
    assert_no_key(&answers);
    assert!(
        !team.logs().contains(KEY),
        "the key is in a log: {}",
        team.logs()
    );
}

/// A failed Talkover delivery of the demo agent's CRM webhook (through the proxy).
async fn failed_log(team: &Team) -> String {
    let path = format!("{}?per_page=100&page=1", talk("wh_demo_crm"));
    let a = team.get_as(SUPPORT, &path).await;
    assert_eq!(a.0, 200, "{}", text(&a));
    json(&a)["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["status"] == "failed" || l["status"] == "retrying")
        .expect("a failed delivery")["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Support's hand-made retry and resend are refused (403, ROLE_FORBIDDEN, JSON) and never
/// reach the vendor; the admin's reach it and succeed. Every POST is in the audit log
/// (time, user, role, method, path, status) and nothing else is; no log, no file the server
/// wrote and no answer holds the key (or a person's password).
async fn support_may_not_retry_or_resend_and_admin_may(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let log = failed_log(team).await;
    let retry = format!("{}/{log}/retry", talk("wh_demo_crm"));
    let resend = "/hookscope/api/bland/v1/postcall/webhooks/resend";
    let ids = format!(r#"{{"call_ids":["{}"]}}"#, bland_call_id(3));
    let json_type = [("Content-Type", "application/json")];
    let before = sim_log(&rig.sim).await.len();
    let mut answers = Vec::new();
    for (path, body) in [(retry.as_str(), None), (resend, Some(ids.as_str()))] {
        let a = team
            .send_as(Some(SUPPORT), "POST", path, &json_type, body)
            .await;
        assert_refused(&a, 403, "ROLE_FORBIDDEN", path);
        let message = json(&a)["error"]["message"].as_str().unwrap().to_string();
        assert!(
            message.contains("support") && message.contains("admin"),
            "{message}"
        );
        assert_eq!(header_values(&a.1, "cache-control"), ["no-store"]);
        answers.push(a);
    }
    assert_eq!(
        sim_log(&rig.sim).await.len(),
        before,
        "support's POST reached the vendor"
    );
    let a = team.send_as(Some(ADMIN), "POST", &retry, &[], None).await;
    assert_eq!(a.0, 200, "{}", text(&a));
    assert_eq!(json(&a)["data"]["original_log_id"], log.as_str());
    answers.push(a);
    let a = team
        .send_as(Some(ADMIN), "POST", resend, &json_type, Some(&ids))
        .await;
    assert!(a.0 != 401 && a.0 != 403, "{}", text(&a));
    let resend_status = a.0;
    answers.push(a);
    let seen = sim_log(&rig.sim).await;
    let posts: Vec<&str> = seen[before..]
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(posts, ["POST", "POST"]);

    // The audit log: the four POSTs, in order, nothing else (the GET above is not in it).
    let want = [
        (SUPPORT, "support", retry.as_str(), 403),
        (SUPPORT, "support", resend, 403),
        (ADMIN, "admin", retry.as_str(), 200),
        (ADMIN, "admin", resend, resend_status),
    ];
    let audit = team.audit_of(want.len()).await;
    let lines: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), want.len(), "{audit}");
    for (line, (user, role, path, status)) in lines.iter().zip(want) {
        let got = match server {
            Server::Nginx => (
                line["user"].clone(),
                line["role"].clone(),
                line["method"].clone(),
                line["path"].clone(),
                line["status"].clone(),
                line["time"].as_str().is_some_and(|t| t.len() >= 19),
            ),
            Server::Caddy => (
                line["user_id"].clone(),
                line["resp_headers"]["X-Hookscope-Role"][0].clone(),
                line["request"]["method"].clone(),
                line["request"]["uri"].clone(),
                line["status"].clone(),
                line["ts"].as_str().is_some_and(|t| t.len() >= 19),
            ),
        };
        assert_eq!(
            got,
            (
                user.into(),
                role.into(),
                "POST".into(),
                path.into(),
                status.into(),
                true
            ),
            "{line}"
        );
    }
    if server == Server::Nginx {
        // Refused by nginx: the vendor never answered.
        assert_eq!(lines[0]["vendor_status"], "");
        assert_eq!(lines[2]["vendor_status"], "200");
    }
    let logs = team.logs();
    assert!(
        !logs.contains(KEY),
        "the key is in a file the server wrote: {logs}"
    );
    for user in [ADMIN, SUPPORT] {
        let secret = team.basic(user);
        let password = team.password(user);
        assert!(
            !logs.contains(&secret[6..]),
            "{user}'s credentials are logged"
        );
        assert!(!logs.contains(password), "{user}'s password is logged");
    }
    assert_no_key(&answers);
}

/// The vendor's 429 reaches the person as it is: its Retry-After and X-RateLimit-* (the
/// console waits that long), and the rate-limit headers of ordinary answers too; the
/// vendor's CORS headers do not (the app is same-origin; another site must not read the
/// answers).
async fn a_vendors_429_reaches_the_person_with_retry_after_and_rate_limit_headers(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let json_type = [("Content-Type", "application/json")];
    let limits = r#"{"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1796000000"}"#;
    let faults = r#"{"rate_limit_at":[1],"retry_after":"7"}"#;
    for (path, body) in [("/__sim/answer-headers", limits), ("/__sim/faults", faults)] {
        let a = send(&rig.sim, "POST", path, &json_type, Some(body)).await;
        assert_eq!(a.0, 200, "{path}");
    }
    let path = &reads()[2];
    let a = team
        .send_as(
            Some(SUPPORT),
            "GET",
            path,
            &[("Origin", "https://elsewhere.example")],
            None,
        )
        .await;
    assert_eq!(a.0, 429, "{}", text(&a));
    let seen = sim_log(&rig.sim).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["limited"], true);
    for (name, value) in [
        ("retry-after", "7"),
        ("x-ratelimit-limit", "100"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "1796000000"),
    ] {
        assert_eq!(header_values(&a.1, name), [value], "{name}");
    }
    assert_eq!(header_values(&a.1, "cache-control"), ["no-store"]);
    for a in [a, team.get_as(SUPPORT, path).await] {
        assert!(!header(&a.1, "x-ratelimit-limit").is_empty());
        for name in [
            "access-control-allow-origin",
            "access-control-allow-methods",
            "access-control-expose-headers",
        ] {
            assert!(header_values(&a.1, name).is_empty(), "{name} passed on");
        }
    }
}

/// The console's endpoints (crates/e2e/src/proxy.rs: ALLOWED) under /hookscope/api/: the
/// admin gets each; support gets the GETs, and the POSTs are ROLE_FORBIDDEN. Everything
/// else (proxy.rs: REFUSED, other paths, methods, "..", encoded slashes, no such vendor)
/// is NOT_ALLOWED (403) or NOT_FOUND (404) JSON for both, and never reaches the vendor.
async fn each_role_gets_only_the_listed_endpoints(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let to_api = |t: &str| proxy::fill(t).replace("/hookscope/proxy/", "/hookscope/api/");
    for user in [ADMIN, SUPPORT] {
        for row in proxy::table(&to_api(proxy::REFUSED)) {
            let (method, path, want) = (&row[0], &row[1], row[2].parse::<u16>().unwrap());
            let a = team.send_as(Some(user), method, path, &[], None).await;
            if server == Server::Nginx && path.ends_with("x%00") {
                // nginx's own parser refuses a NUL before any location.
                assert_eq!(a.0, 400, "{method} {path}");
                continue;
            }
            let code = if want == 403 {
                "NOT_ALLOWED"
            } else {
                "NOT_FOUND"
            };
            assert_refused(&a, want, code, &format!("{user}: {method} {path}"));
        }
    }
    assert!(
        sim_log(&rig.sim).await.is_empty(),
        "a refused request reached the vendor"
    );
    assert_eq!(rig.vendor.seen.requests(), 0);

    let ids = format!(
        r#"{{"call_ids":["{}"],"webhook_url":"https://hooks.example/h"}}"#,
        bland_call_id(3)
    );
    for user in [ADMIN, SUPPORT] {
        for row in proxy::table(&proxy::fill(proxy::ALLOWED)) {
            let (method, vendor, path) = (&row[0], &row[1], &row[2]);
            let body = (method == "POST" && vendor == "bland").then_some(ids.as_str());
            let headers: &[(&str, &str)] = if body.is_some() {
                &[("Content-Type", "application/json")]
            } else {
                &[]
            };
            let full = format!("/hookscope/api/{vendor}{path}");
            let before = sim_log(&rig.sim).await.len();
            let a = team.send_as(Some(user), method, &full, headers, body).await;
            let seen = sim_log(&rig.sim).await;
            if user == SUPPORT && method == "POST" {
                assert_refused(&a, 403, "ROLE_FORBIDDEN", &full);
                assert_eq!(seen.len(), before, "support's {full} reached the vendor");
                continue;
            }
            assert_eq!(
                seen.len(),
                before + 1,
                "{user}: {method} {full}: {}",
                text(&a)
            );
            let last = &seen[before];
            let query = last["query"].as_str().unwrap_or("");
            let got = format!(
                "{}{}{query}",
                last["path"].as_str().unwrap(),
                if query.is_empty() { "" } else { "?" }
            );
            assert_eq!(
                (last["method"].as_str().unwrap(), got.as_str()),
                (method.as_str(), path.as_str())
            );
            assert_ne!(a.0, 401, "{full}: the vendor refused the key");
        }
    }
}

/// A path whose decoded, cleaned form is on the list but whose raw form differs ("..",
/// "./", "//", an escaped "/" or letter): the allow-list must not check one path and relay
/// another. nginx relays the cleaned path it matched; Caddy (which would relay the raw
/// one) refuses it.
async fn an_unclean_path_is_relayed_clean_or_refused(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    proxy::check_unclean_paths_with(
        &rig.sim,
        server == Server::Nginx,
        |raw| async move {
            let path = format!("/hookscope/api/bland{raw}");
            team.get_as(SUPPORT, &path).await
        },
        |a, raw| assert_refused(a, 403, "NOT_ALLOWED", raw),
    )
    .await;
}

/// A POST that another site's page made the browser send (it would carry the admin's
/// password: browsers send basic auth to every request to the host) is refused, and never
/// reaches the vendor; the same POST from the app's own page passes.
async fn a_post_another_site_makes_the_browser_send_is_refused(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let path = "/hookscope/api/bland/v1/postcall/webhooks/resend";
    let ids = format!(r#"{{"call_ids":["{}"]}}"#, bland_call_id(3));
    for site in ["cross-site", "same-site"] {
        let headers = [("Sec-Fetch-Site", site), ("Content-Type", "text/plain")];
        let a = team
            .send_as(Some(ADMIN), "POST", path, &headers, Some(&ids))
            .await;
        assert_refused(&a, 403, "CROSS_SITE", site);
    }
    assert!(
        sim_log(&rig.sim).await.is_empty(),
        "a cross-site POST reached the vendor"
    );
    let headers = [
        ("Sec-Fetch-Site", "same-origin"),
        ("Content-Type", "application/json"),
    ];
    let a = team
        .send_as(Some(ADMIN), "POST", path, &headers, Some(&ids))
        .await;
    assert_eq!(sim_log(&rig.sim).await.len(), 1, "{}", text(&a));
}

/// The app behind the sign-in, as the personal config serves it: the page and its deep
/// links (index.html, no-cache), the security headers (connect-src narrowed to this
/// origin), hashed files for a year, a missing file 404, config.json as the deployer
/// wrote it.
async fn the_app_is_served_behind_the_sign_in(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let a = team.get_as(SUPPORT, "/hookscope/").await;
    assert_eq!(a.0, 200);
    let index = text(&a);
    assert!(index.contains("/hookscope/boot-"), "the sub-path build");
    let csp = header(&a.1, "content-security-policy");
    assert!(csp.contains("connect-src 'self';"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header(&a.1, "x-content-type-options"), "nosniff");
    assert_eq!(header(&a.1, "referrer-policy"), "no-referrer");
    assert_eq!(
        header(&a.1, "strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
    assert_eq!(header_values(&a.1, "cache-control"), ["no-cache"]);
    for deep in [
        "/hookscope/explorer?c=Bland&k=bland-call",
        "/hookscope/bulk",
    ] {
        let a = team.get_as(SUPPORT, deep).await;
        assert_eq!((a.0, text(&a)), (200, index.clone()), "{deep}");
        assert_eq!(header_values(&a.1, "cache-control"), ["no-cache"], "{deep}");
    }
    let a = team.get_as(SUPPORT, "/hookscope").await;
    assert_eq!(a.0, 301);
    assert!(header(&a.1, "location").ends_with("/hookscope/"));
    let wasm = index
        .split('"')
        .find(|s| s.ends_with("_bg.wasm"))
        .expect("the wasm's address in index.html")
        .to_string();
    let a = team.get_as(SUPPORT, &wasm).await;
    assert_eq!(a.0, 200, "{wasm}");
    assert_eq!(header(&a.1, "content-type"), "application/wasm");
    assert_eq!(
        header_values(&a.1, "cache-control"),
        ["public, max-age=31536000, immutable"]
    );
    let a = team
        .get_as(SUPPORT, "/hookscope/hookscope-0123456789abcdef.js")
        .await;
    assert_eq!(a.0, 404);
    let a = team.get_as(SUPPORT, "/hookscope/config.json").await;
    assert_eq!(a.0, 200);
    assert_eq!(
        json(&a),
        serde_json::from_str::<Value>(&team_config()).unwrap()
    );
    assert_eq!(header_values(&a.1, "cache-control"), ["no-cache"]);
    let managed = json(&a)["connections"].as_array().unwrap().clone();
    for c in &managed {
        assert_eq!(c["key"], "proxy");
        let base = c["base_url"].as_str().unwrap();
        assert_eq!(
            base,
            format!("/hookscope/api/{}", c["vendor"].as_str().unwrap())
        );
    }
    assert_eq!(managed.len(), 3);
}

/// The release build's precompressed copies, as the personal configs send them
/// (`check_precompressed`: FILE.br for `Accept-Encoding: br, gzip`, FILE.gz for `gzip`,
/// FILE without, each with FILE's type, Cache-Control, Vary and security headers; the
/// copies by name 404), to someone signed in; without a password, a 401 and none of
/// their bytes, for the copies asked for by name too.
async fn the_precompressed_copies_are_sent_behind_the_sign_in(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let auth = team.basic(SUPPORT);
    check_precompressed(&team.origin, &[("Authorization", &auth)]).await;
    for path in ["/hookscope/", "/hookscope/index.html.br"] {
        let a = get_encoded(&team.origin, path, Some("br, gzip"), &[]).await;
        assert_eq!(a.0, 401, "{path}");
        assert!(
            header(&a.1, "www-authenticate").starts_with("Basic realm="),
            "{path}"
        );
    }
}

/// The team proxy checks the vendor's certificate as the personal one does: a self-signed
/// "api.bland.ai" gets a connection but no request (so never the key), and the person a 502.
async fn the_key_goes_only_to_a_vendor_whose_certificate_was_checked(server: Server) {
    let (sim_addr, sim) = proxy::simulator().await;
    let bad = TlsVendor::start(sim_addr, Cert::SelfSigned).await;
    let team = Team::with_vendor(server, bad.addr, &[]);
    let a = team.get_as(SUPPORT, &reads()[0]).await;
    assert_eq!(a.0, 502, "{}", text(&a));
    assert!(bad.seen.connections() > 0, "never reached the vendor");
    assert_eq!(bad.seen.requests(), 0, "a request (with the key) was sent");
    assert!(sim_log(&sim).await.is_empty());
    assert!(!team.logs().contains(KEY));
}

/// deploy/nginx/hookscope-key.sh writes the key file only root reads (folder 0700, file
/// 0600, the line nginx includes) from standard input, and refuses a key nginx would
/// misread (a "$", a quote, a space) without touching the file in place.
#[tokio::test]
async fn the_key_script_writes_a_root_only_file_and_refuses_unsafe_keys() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("hookscope-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = write_key_file(&dir, "talkover", "talq_abc.DEF-123");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.join("talkover.conf");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&file), 0o600);
    let line = "set $hookscope_talkover_key \"talq_abc.DEF-123\";\n";
    assert_eq!(std::fs::read_to_string(&file).unwrap(), line);
    for bad in ["talq_$x", "a\"b", "a b", "a;b", "", "key\nother-key"] {
        let out = write_key_file(&dir, "talkover", bad);
        assert!(!out.status.success(), "{bad:?} was accepted");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), line, "{bad:?}");
    }
    let out = write_key_file(&dir, "nobody", "k");
    assert!(!out.status.success());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["talkover.conf"], "nothing else left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The entry point for the browser tests of the team flow (the app side's): headless
/// Chromium signs in through `Team::sign_in` and opens a deep link at a clean address;
/// then the page's own same-origin requests carry the person's password (the browser keeps
/// it for the origin): session.json answers the person, a GET reaches the vendor with the
/// key, and a POST is refused for support.
#[tokio::test]
async fn a_browser_signed_in_with_team_sign_in_is_that_person_on_every_request() {
    let mut h = hookscope_e2e::setup().await;
    let team = Team::start(Server::Nginx, &h.sim, &[("config.json", &team_config())]).await;
    h.app = team.origin.clone();
    team.sign_in(&h.client, SUPPORT, "/hookscope/explorer")
        .await;
    // The app itself loaded behind the sign-in, at the clean address, and read the session.
    h.until("the app naming the person signed in", || async {
        h.attr("session-user", "data-role").await.as_deref() == Some("support")
    })
    .await;
    assert!(h
        .url()
        .await
        .starts_with(&format!("{}/hookscope/explorer", team.origin)));
    let fetch = |path: String| {
        let h = &h;
        async move {
            h.client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     fetch(arguments[0]).then(async r => done([r.status, await r.text()]))
                       .catch(e => done([0, String(e)]));",
                    vec![serde_json::json!(path)],
                )
                .await
                .unwrap()
        }
    };
    let session = fetch("/hookscope/session.json".into()).await;
    assert_eq!(session[0], 200, "{session}");
    let who: Value = serde_json::from_str(session[1].as_str().unwrap()).unwrap();
    assert_eq!(who, serde_json::json!({"user": SUPPORT, "role": "support"}));
    let read = fetch(reads()[0].clone()).await;
    assert_eq!(read[0], 200, "{read}");
    let seen = sim_log(&h.sim).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let retry = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/hookscope/api/bland/v1/postcall/webhooks/resend', {method: 'POST',
               headers: {'content-type': 'application/json'}, body: '{\"call_ids\":[\"x\"]}'})
               .then(async r => done([r.status, await r.text()]));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(retry[0], 403, "{retry}");
    assert!(retry[1].as_str().unwrap().contains("ROLE_FORBIDDEN"));
    assert_eq!(sim_log(&h.sim).await.len(), 1);
    h.finish().await;
}

/// Someone whose role (from the role list) is neither support nor admin: session.json and
/// every API call answer ROLE_UNKNOWN (403 JSON), and nothing reaches the vendor.
async fn a_role_neither_support_nor_admin_gets_nothing(server: Server) {
    let rig = rig(server).await;
    let team = &rig.proxy;
    let a = team.get_as(NO_ROLE, "/hookscope/session.json").await;
    assert_refused(&a, 403, "ROLE_UNKNOWN", "session.json");
    for path in reads() {
        let a = team.get_as(NO_ROLE, &path).await;
        assert_refused(&a, 403, "ROLE_UNKNOWN", &path);
    }
    let retry = format!("{}/log_1/retry", talk("wh_demo_crm"));
    let a = team.send_as(Some(NO_ROLE), "POST", &retry, &[], None).await;
    assert_refused(&a, 403, "ROLE_UNKNOWN", &retry);
    assert!(sim_log(&rig.sim).await.is_empty());
}

/// When the vendor refuses the organisation's key (a wrong key on the server), the person
/// gets the vendor's 401 and its body, without the vendor's WWW-Authenticate: the app can
/// tell it from the server's own 401 (which asks for the person's password), and a browser
/// does not pop up a password prompt for the vendor.
async fn a_vendor_refusing_the_key_is_told_apart_from_a_failed_sign_in(server: Server) {
    let (sim_addr, sim) = proxy::simulator().await;
    let vendor = TlsVendor::start(sim_addr, Cert::Trusted).await;
    let team = Team::with_key(server, vendor.addr, &[], "not-the-key");
    let challenge = r#"{"WWW-Authenticate": "Basic realm=\"vendor\""}"#;
    let json_type = [("Content-Type", "application/json")];
    let a = send(
        &sim,
        "POST",
        "/__sim/answer-headers",
        &json_type,
        Some(challenge),
    )
    .await;
    assert_eq!(a.0, 200);
    for path in reads() {
        let a = team.get_as(SUPPORT, &path).await;
        assert_eq!(a.0, 401, "{path}: {}", text(&a));
        assert!(header_values(&a.1, "www-authenticate").is_empty(), "{path}");
        assert!(
            text(&a).contains("Invalid or missing API key"),
            "{}",
            text(&a)
        );
    }
    assert_eq!(sim_log(&sim).await.len(), 3);
    let a = team.send_as(None, "GET", &reads()[0], &[], None).await;
    assert!(header(&a.1, "www-authenticate").contains("hookscope"));
}
