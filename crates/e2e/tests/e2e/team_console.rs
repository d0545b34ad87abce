//! The console in a team deployment, in a real browser: the shipped team nginx config
//! (only its EDIT lines changed) in front of the simulator, `config.json` declaring the
//! managed connections and the session file, a fresh browser profile per test. A support
//! person opens a link from a ticket with no set-up and may only read; an admin retries;
//! the key reaches no place the browser can see.

use crate::keys::{capture, everywhere};
use hookscope_e2e::team::{Server, Team, ADMIN, SUPPORT};
use hookscope_e2e::*;

fn team_config() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy/config.team.example.json");
    std::fs::read_to_string(path).expect("deploy/config.team.example.json")
}

/// The demo agent's primary webhook on the managed Talkover connection, as a ticket holds it.
const LINK: &str =
    "/hookscope/explorer?c=Talkover&k=talkover-agent&owner=agt_demo_support&wh=wh_demo_primary";

async fn signed_in(h: &mut Harness, who: &str, path: &str) -> Team {
    let team = Team::start(Server::Nginx, &h.sim, &[("config.json", &team_config())]).await;
    h.app = team.origin.clone();
    team.sign_in(&h.client, who, path).await;
    team
}

/// A support person: a link from a ticket opens with no set-up, the managed connections
/// are marked and locked, who is signed in shows, every sending action is disabled with
/// the reason, and a hand-made POST through the proxy is refused with 403.
#[tokio::test]
async fn support_opens_a_link_with_no_set_up_and_may_only_read() {
    let mut h = setup().await;
    let _team = signed_in(&mut h, SUPPORT, LINK).await;
    h.until("the deliveries of the link", || async {
        h.all("load-progress").await.is_empty() && h.row_count().await >= 150
    })
    .await;
    assert_eq!(
        h.attr("session-user", "data-role").await.as_deref(),
        Some("support")
    );
    assert!(h.text("session-user").await.contains(SUPPORT));
    assert!(
        h.all("demo-badge").await.is_empty(),
        "real data through the proxy"
    );
    // Retry one: disabled, the reason in its title.
    h.only_failed().await;
    h.click_first("delivery-row").await;
    let title = h.attr("retry-button", "title").await.unwrap_or_default();
    assert!(h.attr("retry-button", "disabled").await.is_some());
    assert!(title.contains("Your role (support)"), "{title}");
    // Retry all shown: disabled the same way.
    assert!(h.attr("bulk-retry", "disabled").await.is_some());
    // By hand, the proxy refuses it.
    let sent = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/hookscope/api/talkover/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs/x/retry', {method: 'POST'})
               .then(async r => done([r.status, await r.text()]));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(sent[0], 403, "{sent}");
    assert!(
        sent[1].as_str().unwrap_or("").contains("ROLE_FORBIDDEN"),
        "{sent}"
    );
    // The connections are the deployment's: marked, with no edit or remove.
    h.click("nav-connections").await;
    h.until("the managed rows", || async {
        h.attrs("connection-row", "data-managed").await == ["true", "true", "true"]
    })
    .await;
    assert!(h.all("connection-edit").await.is_empty());
    assert!(h.all("connection-remove").await.is_empty());
    h.finish().await;
}

/// An admin retries a failed delivery through the proxy; the new attempt shows; the
/// audit log holds that POST with the person and no key; the key is in no response,
/// header, storage, console line, export or page text the browser can see.
#[tokio::test]
async fn an_admin_retries_and_the_key_stays_on_the_server() {
    let mut h = setup().await;
    let team = signed_in(&mut h, ADMIN, LINK).await;
    h.until("the deliveries", || async {
        h.all("load-progress").await.is_empty() && h.row_count().await >= 150
    })
    .await;
    capture(&h).await;
    assert_eq!(
        h.attr("session-user", "data-role").await.as_deref(),
        Some("admin")
    );
    h.only_failed().await;
    h.click_first("delivery-row").await;
    h.find("attempt").await;
    let before = h.all("attempt").await.len();
    let id = h.attr("delivery-detail", "data-id").await.unwrap();
    h.click("retry-button").await;
    h.click("retry-confirm").await;
    h.until("the new attempt", || async {
        h.attrs("delivery-detail", "data-id").await.first() == Some(&id)
            && h.all("attempt").await.len() == before + 1
    })
    .await;
    let audit = team.audit_of(1).await;
    assert!(audit.contains(ADMIN) && audit.contains("/retry"), "{audit}");
    assert!(!audit.contains(KEY), "the key in the audit log");
    // An export, so a download is among the places checked.
    h.click("export-csv").await;
    h.until("the export", || async {
        h.client
            .execute("return window.__blobs.length", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
            > 0
    })
    .await;
    let seen = everywhere(&h).await;
    assert!(seen.contains("capture on"), "the capture worked");
    assert!(!seen.contains(KEY), "the key reached the browser");
    // Every answer's headers and body the page can read.
    let answers = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const urls = performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes('/api/') || u.endsWith('.json'));
             Promise.all(urls.map(u => fetch(u).then(async r => [...r.headers].join(' ') + await r.text()).catch(e => String(e))))
               .then(t => done(t.join('\\n')));",
            vec![],
        )
        .await
        .unwrap();
    let answers = answers.as_str().unwrap_or_default();
    assert!(answers.contains("wh_demo_primary"), "the answers were read");
    assert!(!answers.contains(KEY), "the key in an answer");
    h.finish().await;
}

/// A wrong password is refused; a vendor's 429 reaches the person with its Retry-After.
#[tokio::test]
async fn a_wrong_password_is_refused_and_a_429_keeps_its_retry_after() {
    let h = setup().await;
    let team = Team::start(Server::Nginx, &h.sim, &[("config.json", &team_config())]).await;
    let refused = team
        .send_as(
            None,
            "GET",
            "/hookscope/explorer",
            &[(
                "Authorization",
                &hookscope_e2e::team::basic(SUPPORT, "wrong"),
            )],
            None,
        )
        .await;
    assert_eq!(refused.0, 401);
    drop(team);
    let mut h = h;
    let _team = signed_in(&mut h, SUPPORT, "/hookscope/explorer").await;
    h.find("lookup-submit").await;
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"rate_limit_at": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "retry_after": "300", "only_path": "/logs"}),
    )
    .await;
    h.open(LINK).await;
    h.until("the rate-limit banner", || async {
        h.attrs("error-banner", "data-kind")
            .await
            .first()
            .map(String::as_str)
            == Some("rate-limited")
    })
    .await;
    assert_eq!(
        h.attr("error-banner", "data-retry-after").await.as_deref(),
        Some("300")
    );
    h.finish().await;
}
