//! A connection to one vendor account: its name (used in links), vendor, base URL, key
//! and limits. Pure data with the rules that check it, shared by the form, the storage
//! reader and the network layer (which alone reads the key, for the auth header).

use crate::domain::Vendor;
use crate::secret::ApiKey;

pub const DEFAULT_TIMEOUT_SECS: u32 = 30;

/// The checks shared by the connection form and the storage reader.
pub mod rules {
    pub const MAX_NAME_LEN: usize = 60;
    pub const TIMEOUT_SECS: std::ops::RangeInclusive<u32> = 1..=300;

    pub fn name(raw: &str) -> Result<String, String> {
        let name = raw.trim();
        if name.is_empty() {
            Err(
                "Name is required (it identifies the connection in links and the lookup form)."
                    .into(),
            )
        } else if name.chars().count() > MAX_NAME_LEN {
            Err(format!(
                "Name is too long (at most {MAX_NAME_LEN} characters)."
            ))
        } else if name.chars().any(char::is_control) {
            Err("Name contains a control character.".into())
        } else {
            Ok(name.to_string())
        }
    }

    pub fn timeout(raw: &str) -> Result<u32, String> {
        match raw.trim().parse::<u32>() {
            Ok(t) if TIMEOUT_SECS.contains(&t) => Ok(t),
            _ => Err(format!(
                "Timeout must be a whole number of seconds from {} to {}.",
                TIMEOUT_SECS.start(),
                TIMEOUT_SECS.end()
            )),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    pub name: String,
    pub vendor: Vendor,
    pub base_url: String,
    /// Never stored with the settings; see the module docs.
    pub key: ApiKey,
    /// The key is (to be) kept in [`KEYS_KEY`]: set when it was read from there or the
    /// person ticked "Remember" in this tab; never from the stored settings.
    pub remember: bool,
    pub demo: bool,
    /// Review only: every action that sends a webhook is disabled.
    pub readonly: bool,
    pub timeout_secs: u32,
    /// Declared by the deployment (`config.json`): the same for everyone, never edited,
    /// removed or stored in the browser. Its key is added by the deployment's proxy, so
    /// the browser sends none.
    pub managed: bool,
    /// Why the signed-in person may not send webhooks at all (their role), if so.
    pub role_limit: Option<String>,
}

impl Connection {
    /// The demo connection of `vendor` (answered in-process, no key).
    pub fn demo(vendor: Vendor) -> Connection {
        Connection {
            name: format!("Demo {}", vendor.label()),
            vendor,
            base_url: vendor.default_base_url().to_string(),
            key: ApiKey::default(),
            remember: false,
            demo: true,
            readonly: false,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            managed: false,
            role_limit: None,
        }
    }

    /// A connection the deployment declares: its proxy adds the key.
    pub fn managed(name: String, vendor: Vendor, base_url: String) -> Connection {
        Connection {
            name,
            vendor,
            base_url,
            key: ApiKey::default(),
            remember: false,
            demo: false,
            readonly: false,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            managed: true,
            role_limit: None,
        }
    }

    /// A short, masked view of the key for display: `••••abcd`.
    pub fn masked_key(&self) -> String {
        if self.managed {
            return "added by the deployment's proxy (none in this browser)".into();
        }
        if self.key.is_empty() {
            return if self.demo {
                "not needed (demo)".into()
            } else {
                "none — add one to use this connection".into()
            };
        }
        self.key.masked()
    }

    /// Why this connection may not send webhooks (retry, resend, create), if it may not.
    pub fn readonly_reason(&self) -> Option<String> {
        if let Some(why) = &self.role_limit {
            return Some(why.clone());
        }
        self.readonly.then(|| {
            format!(
                "“{}” is read-only: it may review deliveries but not send webhooks (retry, resend or create).",
                self.name
            )
        })
    }

    /// The timeout in milliseconds, bounded whatever the field holds.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_secs
            .clamp(*rules::TIMEOUT_SECS.start(), *rules::TIMEOUT_SECS.end())
            .saturating_mul(1000)
    }
}
