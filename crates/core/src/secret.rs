//! API keys as a type that cannot be printed by accident.

use crate::error::InputError;

/// Longest key accepted; vendor keys are far shorter, so more is a paste accident.
pub const MAX_KEY_LEN: usize = 1000;

/// An API key. `Debug` and `Display` print `•••`, so no `{:?}`, log line or error report
/// can carry it; the only way to the text is [`ApiKey::expose`], which the transport calls
/// to build the auth header. It is not `Serialize`: storing it is an explicit choice.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks a typed, pasted or stored key. A leading `Bearer ` is dropped (the transport
    /// adds it for the vendors that want it). Every character must be visible ASCII: the
    /// browser refuses anything else in a header, and a paste often brings an invisible
    /// one (a zero-width space, a byte-order mark, a no-break space). Empty is allowed: a
    /// connection may be saved before its key is known.
    pub fn parse(raw: &str) -> Result<ApiKey, InputError> {
        let k = raw.trim_matches(|c: char| c.is_ascii_whitespace());
        let k = ["Bearer ", "bearer ", "BEARER "]
            .iter()
            .find_map(|p| k.strip_prefix(p))
            .unwrap_or(k)
            .trim_matches(|c: char| c.is_ascii_whitespace());
        let len = k.chars().count();
        if len > MAX_KEY_LEN {
            return Err(InputError::BadKey(format!(
                "API key is too long ({len} characters; at most {MAX_KEY_LEN}). Copy just the key."
            )));
        }
        if let Some((pos, c)) = k
            .chars()
            .enumerate()
            .find(|(_, c)| !matches!(*c, '!'..='~'))
        {
            return Err(InputError::BadKey(format!(
                "API key contains {} at position {}, which cannot be sent in an HTTP header. Copy the key again from the vendor's dashboard (pastes often bring invisible characters).",
                describe(c),
                pos.saturating_add(1)
            )));
        }
        Ok(ApiKey(k.to_string()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The key itself. Call only where it must travel: the auth header, or the storage of
    /// a key the person asked to remember.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `••••abcd` for keys long enough that the tail gives nothing away; `••••` otherwise.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        if n <= 8 {
            "••••".into()
        } else {
            format!("••••{}", &self.0[n.saturating_sub(4)..])
        }
    }
}

/// Text typed into a key field, not yet checked: kept apart from other form state so a
/// `{:?}` of the form cannot print it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(pub String);

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretText(•••)")
    }
}

/// A character as a person can recognise it, invisible ones by name.
fn describe(c: char) -> String {
    let name = match c {
        ' ' => Some("a space"),
        '\t' => Some("a tab"),
        '\n' | '\r' => Some("a line break"),
        '\u{200B}' => Some("an invisible zero-width space"),
        '\u{200C}' | '\u{200D}' => Some("an invisible zero-width joiner"),
        '\u{FEFF}' => Some("an invisible byte-order mark"),
        '\u{00A0}' => Some("a no-break space"),
        '\u{2060}' => Some("an invisible word joiner"),
        _ => None,
    };
    match name {
        Some(n) => format!("{n} (U+{:04X})", c as u32),
        None if c.is_control() => format!("a control character (U+{:04X})", c as u32),
        None => format!("“{c}” (U+{:04X})", c as u32),
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(•••)")
    }
}

impl std::fmt::Display for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("•••")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let k = ApiKey::parse("sk-live-secret-123").unwrap();
        assert_eq!(format!("{k:?}"), "ApiKey(•••)");
        assert_eq!(format!("{k}"), "•••");
        assert_eq!(k.expose(), "sk-live-secret-123");
        assert_eq!(k.masked(), "••••-123");
        assert_eq!(ApiKey::parse("short").unwrap().masked(), "••••");
    }

    #[test]
    fn bearer_prefix_and_whitespace_dropped() {
        assert_eq!(
            ApiKey::parse(" Bearer talq_x \n").unwrap().expose(),
            "talq_x"
        );
        assert_eq!(ApiKey::parse("").unwrap(), ApiKey::default());
    }

    /// The defect class: characters a browser refuses in a header value.
    #[test]
    fn non_header_characters_refused_with_a_name() {
        for (raw, said) in [
            ("sk\u{200B}abc", "zero-width space"),
            ("\u{FEFF}sk-abc", "byte-order mark"),
            ("sk•abc", "“•”"),
            ("sk abc", "a space"),
            ("sk\u{00A0}abc", "no-break space"),
            ("sk\tabc", "a tab"),
            ("skéabc", "“é”"),
            ("sk\u{7f}abc", "control character"),
            ("sk\u{0}abc", "control character"),
        ] {
            let e = ApiKey::parse(raw).unwrap_err().to_string();
            assert!(e.contains(said), "{raw:?}: {e}");
            assert!(
                e.contains("position 3") || raw.starts_with('\u{FEFF}'),
                "{e}"
            );
            assert!(!e.contains("abc"), "the message never repeats the key: {e}");
        }
        assert!(ApiKey::parse(&"k".repeat(1001)).is_err());
    }
}
