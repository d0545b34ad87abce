//! Who is signed in, in a team deployment: the proxy answers `session.json` (named by
//! `config.json`'s `session`) from the person's sign-in and the team's role list:
//! `{"user": "ana@example.org", "role": "support" | "admin"}`. A `support` person may
//! only read; the proxy enforces that, and the console disables every sending action with
//! the reason. A missing or unreadable file means no session (personal mode), said once.

use hookscope_core::error::shorten;
use serde_json::Value;

/// What the person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Reads only: no retry, resend or create.
    Support,
    /// Reads and sends.
    Admin,
}

impl Role {
    pub fn id(self) -> &'static str {
        match self {
            Role::Support => "support",
            Role::Admin => "admin",
        }
    }
}

/// The signed-in person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    pub role: Role,
}

/// The longest user name shown.
const MAX_USER: usize = 200;

impl Session {
    /// Reads the file's text, or says in words why it cannot be used.
    pub fn parse(text: &str) -> Result<Session, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
        let o = v.as_object().ok_or(
            "it must be one object such as {\"user\": \"ana@example.org\", \"role\": \"support\"}",
        )?;
        let user = o
            .get("user")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or("it names no user (\"user\" must be a name in quotes)")?;
        if user.chars().count() > MAX_USER {
            return Err(format!(
                "its user name is longer than {MAX_USER} characters"
            ));
        }
        if user.chars().any(char::is_control) {
            return Err("its user name holds a control character".into());
        }
        let role = match o.get("role").and_then(Value::as_str) {
            Some("support") => Role::Support,
            Some("admin") => Role::Admin,
            Some(other) => {
                return Err(format!(
                    "its role “{}” is neither support nor admin",
                    shorten(other, 40)
                ))
            }
            None => return Err("it gives no role (\"role\": \"support\" or \"admin\")".into()),
        };
        Ok(Session {
            user: user.to_string(),
            role,
        })
    }

    /// Why this person may not send webhooks, if their role forbids it.
    pub fn send_limit(&self) -> Option<String> {
        (self.role == Role::Support).then(|| {
            format!(
                "Your role ({}) may only review deliveries: ask an admin of your team to retry, resend or create webhooks.",
                self.role.id()
            )
        })
    }
}

/// How long start-up waits for the session file.
#[cfg(target_arch = "wasm32")]
const WAIT_MS: u32 = 3_000;

/// Reads the session file at `path` (relative to where hookscope is served, or absolute
/// on this site). `Err` is the sentence to show once.
#[cfg(target_arch = "wasm32")]
pub async fn load(path: &str) -> Result<Session, String> {
    use futures::future::{select, Either};
    use futures::FutureExt;
    let url = if path.starts_with('/') {
        path.to_string()
    } else {
        crate::platform::base::href(&format!("/{path}"))
    };
    let fetch = async move {
        let resp = gloo_net::http::Request::get(&url)
            .cache(web_sys::RequestCache::NoStore)
            .send()
            .await
            .map_err(|e| format!("it could not be fetched ({e})"))?;
        if !resp.ok() {
            return Err(format!("the server answered {}", resp.status()));
        }
        let text = resp
            .text()
            .await
            .map_err(|_| "it could not be read to the end".to_string())?;
        Session::parse(&text)
    };
    let timer = gloo_timers::future::TimeoutFuture::new(WAIT_MS);
    let said = |why: String| {
        format!("Who is signed in could not be read from the session file: {why}. No one is shown as signed in; what each connection may do follows its own settings, and the team's proxy still enforces roles.")
    };
    match select(fetch.boxed_local(), timer).await {
        Either::Left((r, _)) => r.map_err(said),
        Either::Right(_) => Err(said(format!("no answer within {} s", WAIT_MS / 1000))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_roles_read() {
        let s = Session::parse(r#"{"user": "ana@example.org", "role": "admin"}"#).unwrap();
        assert_eq!((s.user.as_str(), s.role), ("ana@example.org", Role::Admin));
        assert_eq!(s.send_limit(), None);
        let s =
            Session::parse(r#"{"user":" sam@example.org ","role":"support","extra":1}"#).unwrap();
        assert_eq!(s.user, "sam@example.org");
        assert!(s.send_limit().unwrap().contains("support"));
    }

    /// Every bad shape is named, never fatal.
    #[test]
    fn every_bad_shape_is_named() {
        for (text, said) in [
            ("", "not JSON"),
            ("<html>", "not JSON"),
            ("[]", "one object"),
            ("null", "one object"),
            (r#"{"role":"admin"}"#, "no user"),
            (r#"{"user":"","role":"admin"}"#, "no user"),
            (r#"{"user":7,"role":"admin"}"#, "no user"),
            (r#"{"user":"a"}"#, "no role"),
            (r#"{"user":"a","role":"root"}"#, "neither support nor admin"),
            (r#"{"user":"a","role":7}"#, "no role"),
            (
                "{\"user\":\"a\\u0007\",\"role\":\"admin\"}",
                "control character",
            ),
        ] {
            let e = Session::parse(text).unwrap_err();
            assert!(e.contains(said), "{text}: {e}");
        }
        let long = format!(r#"{{"user":"{}","role":"admin"}}"#, "a".repeat(201));
        assert!(Session::parse(&long).unwrap_err().contains("longer"));
    }
}
