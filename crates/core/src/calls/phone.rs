//! Phone numbers as tickets write them, read into E.164 (`+` and 8 to 15 digits), the
//! form Bland and Burki filter calls by.
//!
//! A number written with `+` (or the `00` / `011` international prefixes) is read as
//! written. A national number needs a country: the person's default calling code, North
//! America (+1) unless set otherwise, and the note on the entry says it was assumed.
//! North American numbers are checked for their length (10 digits after the 1) and an
//! area code that does not start with 0 or 1; other countries only for E.164's bounds,
//! since their lengths vary.

use serde::{Deserialize, Serialize};

/// Fewest digits (country code included) read as a phone number: shorter ones are
/// extensions, short codes or IDs.
pub const MIN_DIGITS: usize = 8;
/// E.164's maximum.
pub const MAX_DIGITS: usize = 15;
/// Longest text read as a phone number at all (formatting included).
const MAX_TEXT: usize = 40;

/// North America's calling code, the default for numbers written without one.
pub const NANP: u16 = 1;

/// A phone number in E.164: `+` then 8 to 15 digits, the first not 0.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts only the strict E.164 form (what [`Phone::as_str`] gives back).
    pub fn parse_e164(s: &str) -> Option<Phone> {
        let digits = s.strip_prefix('+')?;
        let ok = (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
            && (!digits.starts_with('1') || nanp_ok(digits));
        ok.then(|| Phone(s.to_string()))
    }

    /// `+15550100199`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits without the `+`.
    pub fn digits(&self) -> &str {
        self.0.get(1..).unwrap_or("")
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(s: String) -> Result<Phone, String> {
        Phone::parse_e164(&s).ok_or_else(|| format!("“{s}” is not an E.164 phone number"))
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// A number read from text, with what was assumed to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneRead {
    pub phone: Phone,
    /// Said when a country code or prefix was assumed ("read as North American (+1)").
    pub note: Option<String>,
}

/// A `+1` number: 11 digits, area code not starting with 0 or 1.
fn nanp_ok(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b.first() == Some(&b'1') && b.get(1).is_some_and(|d| (b'2'..=b'9').contains(d))
}

/// Characters phone numbers are written with besides digits.
pub(crate) fn is_phone_format_char(c: char) -> bool {
    matches!(c, '-' | '.' | '(' | ')' | '/') || c.is_whitespace()
}

/// Checks the international digits (without `+`) and makes the number.
fn international(digits: &str, how: &str) -> Result<Phone, String> {
    let n = digits.len();
    if digits.starts_with('0') {
        return Err(format!("{how} 0, and no country code starts with 0"));
    }
    if n < MIN_DIGITS {
        return Err(format!(
            "it has {n} digits, fewer than any international number ({MIN_DIGITS} at least)"
        ));
    }
    if n > MAX_DIGITS {
        return Err(format!(
            "it has {n} digits, more than any phone number ({MAX_DIGITS} at most)"
        ));
    }
    if digits.starts_with('1') && !nanp_ok(digits) {
        return Err(format!(
            "a North American number (+1) has 10 digits after the 1 and an area code that does not start with 0 or 1; this has {} after it",
            n.saturating_sub(1)
        ));
    }
    Ok(Phone(format!("+{digits}")))
}

/// Reads a phone number written any usual way: `+1 (555) 010-0199`, `+44 (0)20 7946 0018`,
/// `0044 20 7946 0018`, `555.010.0199`, `tel:+15550100199`. `default_cc` is the calling
/// code assumed for a national number. The error says in words why it is not one.
pub fn read_phone(raw: &str, default_cc: u16) -> Result<PhoneRead, String> {
    let mut s = raw.trim();
    if let Some(rest) = s
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("tel:"))
        .and_then(|_| s.get(4..))
    {
        s = rest.trim();
    }
    if s.chars().count() > MAX_TEXT {
        return Err("it is longer than any phone number".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != '+' && !is_phone_format_char(*c))
    {
        let lower = s.to_ascii_lowercase();
        if lower.contains("ext") || lower.contains('x') || lower.contains('#') {
            return Err("it has an extension; search for the number without it".into());
        }
        return Err(format!("it holds “{c}”, which no phone number has"));
    }
    // A `+` is only ever the first sign (after an opening bracket at most).
    let plus = match s.find('+') {
        None => false,
        Some(i) => {
            let before_ok = s[..i].chars().all(|c| c == '(' || c.is_whitespace());
            if !before_ok || s[i.saturating_add(1)..].contains('+') {
                return Err("a “+” can only start a phone number".into());
            }
            true
        }
    };
    // "+44 (0)20 …": the bracketed 0 is the national trunk prefix, not dialled from abroad.
    let cleaned = if plus {
        s.replace("(0)", "")
    } else {
        s.to_string()
    };
    let digits: String = cleaned.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err("it has no digits".into());
    }
    if plus {
        return international(&digits, "the digits after “+” start with")
            .map(|phone| PhoneRead { phone, note: None });
    }
    if let Some(rest) = digits.strip_prefix("00") {
        let phone = international(rest, "after the international prefix 00 comes")?;
        return Ok(PhoneRead {
            note: Some(format!("“00” read as the international prefix: {phone}.")),
            phone,
        });
    }
    if default_cc == NANP {
        if let Some(rest) = digits.strip_prefix("011").filter(|r| r.len() >= MIN_DIGITS) {
            let phone = international(rest, "after the international prefix 011 comes")?;
            return Ok(PhoneRead {
                note: Some(format!(
                    "“011” read as the international prefix from North America: {phone}."
                )),
                phone,
            });
        }
        let n = digits.len();
        let full = match n {
            10 => format!("1{digits}"),
            11 if digits.starts_with('1') => digits.clone(),
            _ if digits.starts_with('0') => {
                return Err(
                    "a number starting with 0 is a national number outside North America; write it with its country code (+44 …)".into(),
                )
            }
            _ => {
                return Err(format!(
                    "it has {n} digits and no country code, and a North American number has 10; write it with its country code (+…)"
                ))
            }
        };
        if !nanp_ok(&full) {
            return Err(
                "a North American area code does not start with 0 or 1; if the number is from elsewhere, write it with its country code (+…)".into(),
            );
        }
        return Ok(PhoneRead {
            phone: Phone(format!("+{full}")),
            note: Some(
                "Written without a country code: read as North American (+1). If it is from elsewhere, write it with its country code."
                    .into(),
            ),
        });
    }
    // Elsewhere a national number drops one leading 0 (the trunk prefix) after the code.
    let national = digits.strip_prefix('0').unwrap_or(&digits);
    if national.len() < 6 {
        return Err(format!(
            "it has {} digits, fewer than a national number",
            national.len()
        ));
    }
    let phone = international(&format!("{default_cc}{national}"), "the number starts with")?;
    Ok(PhoneRead {
        note: Some(format!(
            "Written without a country code: read as +{default_cc}. If it is from elsewhere, write it with its country code."
        )),
        phone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> (String, bool) {
        let r = read_phone(raw, NANP).unwrap_or_else(|e| panic!("{raw}: {e}"));
        (r.phone.as_str().to_string(), r.note.is_some())
    }

    #[test]
    fn international_forms_are_read_as_written() {
        for raw in [
            "+15550100199",
            "+1 555 010 0199",
            "+1 (555) 010-0199",
            "+1-555-010-0199",
            "+1.555.010.0199",
            "tel:+15550100199",
            "(+1) 555 010 0199",
        ] {
            assert_eq!(ok(raw), ("+15550100199".into(), false), "{raw}");
        }
        assert_eq!(ok("+44 (0)20 7946 0018"), ("+442079460018".into(), false));
        assert_eq!(ok("+44 20 7946 0018"), ("+442079460018".into(), false));
        assert_eq!(ok("0044 20 7946 0018"), ("+442079460018".into(), true));
        assert_eq!(ok("011 44 20 7946 0018"), ("+442079460018".into(), true));
    }

    #[test]
    fn national_numbers_take_the_default_country_and_say_so() {
        for raw in [
            "(555) 010-0199",
            "555-010-0199",
            "555.010.0199",
            "5550100199",
            "1 555 010 0199",
        ] {
            let r = read_phone(raw, NANP).unwrap();
            assert_eq!(r.phone.as_str(), "+15550100199", "{raw}");
            assert!(r.note.unwrap().contains("North American (+1)"));
        }
        let uk = read_phone("020 7946 0018", 44).unwrap();
        assert_eq!(uk.phone.as_str(), "+442079460018");
        assert!(uk.note.unwrap().contains("+44"));
    }

    #[test]
    fn what_is_not_a_number_says_why() {
        for (raw, why) in [
            ("020 7946 0018", "outside North America"),
            ("+1 555 010 019", "North American"),
            ("+1 555 010", "fewer than any"),
            ("+0 555 010 0199", "no country code starts with 0"),
            ("+12", "fewer than any"),
            ("+1234567890123456", "more than any"),
            ("555 010 0199 x12", "extension"),
            ("5+55", "can only start"),
            ("123-4567", "no country code"),
            ("(155) 010-0199", "area code"),
            ("call me", "no phone number has"),
            ("---", "no digits"),
        ] {
            let e = read_phone(raw, NANP).unwrap_err();
            assert!(e.contains(why), "{raw}: {e}");
        }
    }

    #[test]
    fn e164_round_trips() {
        let p = read_phone("+1 (555) 010-0199", NANP).unwrap().phone;
        assert_eq!(Phone::parse_e164(p.as_str()), Some(p.clone()));
        assert_eq!(p.digits(), "15550100199");
        assert_eq!(Phone::parse_e164("15550100199"), None);
        assert_eq!(Phone::parse_e164("+1555"), None);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "\"+15550100199\"");
        assert!(serde_json::from_str::<Phone>("\"+1 555\"").is_err());
    }
}
