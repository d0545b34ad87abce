//! What a ticket holds, recognised: pasted text cut into entries, each read by its shape
//! as a Bland call ID (a UUID), a Burki call ID (an integer), a telephony call SID (`CA` +
//! 32 hex), a phone number (into E.164), a Bland SMS conversation ID (`convo_…`), or not
//! recognised, with the reason in words.
//!
//! Cutting: newlines, commas, semicolons, tabs and `|` always separate; spaces separate
//! too, except inside a phone number written with spaces (`+1 555 010 0199`, `(555)
//! 010-0199`, `020 7946 0018`), which is read as one number when it is written like one
//! (a `+`, a bracket, a dash or dot between groups, a leading 0, or 3-3-4 digit groups)
//! and reads as a valid number; plain numbers with spaces between them (`1001 1002`) stay
//! separate. Quotes, brackets and sentence punctuation around an entry are dropped, as
//! are invisible characters (zero-width spaces, byte-order marks); words without digits
//! are prose and are skipped (and counted). Entries are normalised (lowercase UUIDs,
//! `CA` + lowercase hex, E.164), so one call pasted twice in two forms is one entry.
//!
//! The kind is an input too: [`Entry::as_kind`] re-reads an entry as the kind the person
//! chose, and planning ([`super::plan`]) works from the entry's kind, whoever set it.

use super::phone::{is_phone_format_char, read_phone, Phone, NANP};
use crate::ids::{clean_integer_id, PathId, MAX_ID_LEN};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The most entries one search looks up; more are counted and left out.
pub const MAX_ENTRIES: usize = 50;
/// The most space-separated groups read as one phone number (`+1 555 010 0199` is 4).
const MAX_PHONE_GROUPS: usize = 6;

/// What an entry was recognised (or corrected) as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// A UUID: Bland's call IDs have this shape (Talkover's call IDs may too).
    BlandCallId,
    /// A whole number: Burki's internal call ID.
    BurkiCallId,
    /// `CA` + 32 hex digits: the telephony provider's call SID.
    CallSid,
    /// A phone number, normalised to E.164.
    Phone,
    /// `convo_…`: a Bland SMS conversation.
    BlandConversationId,
    /// A call ID matched against Talkover webhook logs (`request_payload.call_id`); never
    /// recognised by shape alone (it is a UUID like Bland's), only chosen.
    TalkoverCallId,
    /// Not recognised; [`Entry::reason`] says why.
    Unknown,
}

impl EntryKind {
    pub const ALL: [EntryKind; 7] = [
        EntryKind::BlandCallId,
        EntryKind::BurkiCallId,
        EntryKind::CallSid,
        EntryKind::Phone,
        EntryKind::BlandConversationId,
        EntryKind::TalkoverCallId,
        EntryKind::Unknown,
    ];

    /// Stable id, for `<select>` values and `data-kind`.
    pub fn id(self) -> &'static str {
        match self {
            EntryKind::BlandCallId => "bland-call-id",
            EntryKind::BurkiCallId => "burki-call-id",
            EntryKind::CallSid => "call-sid",
            EntryKind::Phone => "phone",
            EntryKind::BlandConversationId => "bland-conversation-id",
            EntryKind::TalkoverCallId => "talkover-call-id",
            EntryKind::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.id() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::BlandCallId => "Bland call ID",
            EntryKind::BurkiCallId => "Burki call ID",
            EntryKind::CallSid => "call SID",
            EntryKind::Phone => "phone number",
            EntryKind::BlandConversationId => "Bland SMS conversation ID",
            EntryKind::TalkoverCallId => "Talkover call ID",
            EntryKind::Unknown => "not looked up",
        }
    }
}

/// How to read what was pasted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecogniseOptions {
    /// Calling code assumed for a phone number written without one (1 = North America).
    pub default_calling_code: u16,
}

impl Default for RecogniseOptions {
    fn default() -> Self {
        RecogniseOptions {
            default_calling_code: NANP,
        }
    }
}

/// One thing found in the pasted text. Not deserialisable on purpose: an entry is only
/// ever made by reading text ([`recognise`]) or re-reading it as a kind ([`Entry::as_kind`]);
/// a link or storage keeps the text and the corrections ([`Recognised::corrected`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// As found in the text (surrounding quotes, brackets and punctuation dropped).
    pub text: String,
    pub kind: EntryKind,
    /// Normalised: a lowercase UUID, `CA` + lowercase hex, E.164, the integer, or the text.
    pub value: String,
    /// What was assumed to read it ("read as North American (+1)"), when anything was.
    pub note: Option<String>,
    /// Why it is not looked up (only for [`EntryKind::Unknown`]).
    pub reason: Option<String>,
    /// Other kinds it could well be, to offer first when correcting it.
    pub also: Vec<EntryKind>,
    /// The person chose the kind (rather than its shape).
    pub corrected: bool,
}

/// An entry that cannot be read as the kind the person chose.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("“{text}” cannot be looked up as a {kind}: {reason}")]
pub struct KindError {
    pub kind: &'static str,
    pub text: String,
    pub reason: String,
}

impl Entry {
    fn new(text: &str, kind: EntryKind, value: String) -> Entry {
        Entry {
            text: text.to_string(),
            kind,
            value,
            note: None,
            reason: None,
            also: vec![],
            corrected: false,
        }
    }

    fn unknown(text: &str, reason: impl Into<String>) -> Entry {
        let mut e = Entry::new(text, EntryKind::Unknown, text.to_string());
        e.reason = Some(reason.into());
        e
    }

    fn noted(mut self, note: Option<String>) -> Entry {
        self.note = note;
        self
    }

    fn also(mut self, kinds: &[EntryKind]) -> Entry {
        self.also = kinds.to_vec();
        self
    }

    /// The phone number, for a phone entry.
    pub fn phone(&self) -> Option<Phone> {
        (self.kind == EntryKind::Phone)
            .then(|| Phone::parse_e164(&self.value))
            .flatten()
    }

    /// The integer, for a Burki call ID entry.
    pub fn burki_id(&self) -> Option<u64> {
        (self.kind == EntryKind::BurkiCallId)
            .then(|| self.value.parse().ok())
            .flatten()
    }

    /// The entry as the kind the person chose, re-read from what was pasted; says why
    /// when it cannot be that kind. Choosing [`EntryKind::Unknown`] sets it aside.
    pub fn as_kind(&self, kind: EntryKind, opts: &RecogniseOptions) -> Result<Entry, KindError> {
        // Normalised IDs stay as read; a phone number or an unrecognised entry is re-read
        // from its text (`+15550100199` as a Burki ID would be nonsense, `5550100199` not).
        let source = match self.kind {
            EntryKind::Phone | EntryKind::Unknown => self.text.as_str(),
            _ => self.value.as_str(),
        };
        let err = |reason: String| KindError {
            kind: kind.label(),
            text: self.text.clone(),
            reason,
        };
        let path_id = |field: &'static str| {
            PathId::typed(field, source)
                .map(|p| p.as_str().to_string())
                .map_err(|e| err(e.to_string()))
        };
        let mut e = match kind {
            EntryKind::Unknown => {
                let mut e = Entry::unknown(&self.text, "Set aside: not looked up.");
                e.also = self.also.clone();
                e
            }
            EntryKind::BlandCallId => {
                let v = path_id("Bland call ID")?;
                let note = (!is_uuid(&v)).then(|| {
                    "Not a UUID, the shape of Bland's call IDs: looked up as written.".to_string()
                });
                Entry::new(&self.text, kind, v).noted(note)
            }
            EntryKind::BlandConversationId => {
                let v = path_id("Conversation ID")?;
                Entry::new(&self.text, kind, v)
            }
            EntryKind::CallSid => {
                let v = path_id("Call SID")?;
                let note = (!is_sid(&v)).then(|| {
                    "Not CA followed by 32 hex digits, the shape of a call SID: looked up as written."
                        .to_string()
                });
                Entry::new(&self.text, kind, v).noted(note)
            }
            EntryKind::TalkoverCallId => {
                // Matched against log payloads, never put into a path; the same limits hold.
                let v = path_id("Talkover call ID")?;
                Entry::new(&self.text, kind, v)
            }
            EntryKind::BurkiCallId => {
                let n =
                    clean_integer_id("Burki call ID", source).map_err(|e| err(e.to_string()))?;
                Entry::new(&self.text, kind, n.to_string())
            }
            EntryKind::Phone => {
                let r = read_phone(source, opts.default_calling_code).map_err(err)?;
                Entry::new(&self.text, kind, r.phone.as_str().to_string()).noted(r.note)
            }
        };
        e.corrected = kind != self.kind || self.corrected;
        if kind != EntryKind::Unknown {
            e.also = self.also.iter().copied().filter(|k| *k != kind).collect();
            if self.kind != kind && self.kind != EntryKind::Unknown {
                e.also.insert(0, self.kind);
            }
        }
        Ok(e)
    }
}

/// Everything read from one paste.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Recognised {
    /// At most [`MAX_ENTRIES`], once each, in the order pasted.
    pub entries: Vec<Entry>,
    /// Entries dropped because an earlier one was the same (after normalising).
    pub duplicates: usize,
    /// Distinct entries beyond [`MAX_ENTRIES`], not looked up.
    pub left_out: usize,
    /// Words without digits (prose around the identifiers), skipped.
    pub words_skipped: usize,
}

impl Recognised {
    /// The entries' values, one per line: what a link or the search box can hold, and
    /// reads back as the same entries.
    pub fn normalised_text(&self) -> String {
        self.entries
            .iter()
            .map(|e| e.value.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The entries with the person's corrections applied: each `(text, kind)` re-reads the
    /// entry pasted as `text` as that kind. A correction naming no entry is ignored; one
    /// that cannot apply leaves the entry as recognised and comes back with why.
    pub fn corrected(
        &self,
        corrections: &[(String, EntryKind)],
        opts: &RecogniseOptions,
    ) -> (Recognised, Vec<KindError>) {
        let mut out = self.clone();
        let mut errors = Vec::new();
        for e in &mut out.entries {
            let Some((_, kind)) = corrections.iter().rev().find(|(t, _)| *t == e.text) else {
                continue;
            };
            if *kind == e.kind {
                continue;
            }
            match e.as_kind(*kind, opts) {
                Ok(c) => *e = c,
                Err(err) => errors.push(err),
            }
        }
        (out, errors)
    }

    /// How many entries were recognised (are not [`EntryKind::Unknown`]).
    pub fn usable(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.kind != EntryKind::Unknown)
            .count()
    }

    /// A sentence about what was dropped, when anything was.
    pub fn dropped_words(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.left_out > 0 {
            parts.push(format!(
                "Only the first {MAX_ENTRIES} entries are looked up; {} more {} left out: search for them next.",
                self.left_out,
                if self.left_out == 1 { "was" } else { "were" }
            ));
        }
        if self.duplicates > 0 {
            parts.push(format!(
                "{} repeated {} dropped.",
                self.duplicates,
                if self.duplicates == 1 {
                    "entry was"
                } else {
                    "entries were"
                }
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// Reads `text` with the default options (national numbers are North American).
pub fn recognise(text: &str) -> Recognised {
    recognise_with(text, &RecogniseOptions::default())
}

/// Reads `text`: cut into entries, each recognised, repeats dropped, at most
/// [`MAX_ENTRIES`] kept.
pub fn recognise_with(text: &str, opts: &RecogniseOptions) -> Recognised {
    let mut out = Recognised::default();
    let mut seen = std::collections::HashSet::new();
    for piece in text.split(is_hard_separator) {
        let piece: String = piece.chars().filter(|c| !is_invisible(*c)).collect();
        let words: Vec<&str> = piece
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        let mut i = 0usize;
        while let Some(rest) = words.get(i..).filter(|r| !r.is_empty()) {
            let (used, entry) = match phone_run(rest, opts) {
                Some((used, phone)) => (used, Some(phone)),
                None => {
                    let t = rest.first().map_or("", |w| w.trim_matches(is_edge));
                    if !t.chars().any(char::is_alphanumeric) {
                        // Empty, or a lone dash or sign between entries.
                        (1, None)
                    } else if is_prose(t) {
                        out.words_skipped = out.words_skipped.saturating_add(1);
                        (1, None)
                    } else {
                        (1, Some(classify(t, opts)))
                    }
                }
            };
            i = i.saturating_add(used.max(1));
            let Some(entry) = entry else { continue };
            if !seen.insert(entry.value.clone()) {
                out.duplicates = out.duplicates.saturating_add(1);
            } else if out.entries.len() >= MAX_ENTRIES {
                out.left_out = out.left_out.saturating_add(1);
            } else {
                out.entries.push(entry);
            }
        }
    }
    out
}

fn is_hard_separator(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | ','
            | ';'
            | '\t'
            | '|'
            | '\u{0B}'
            | '\u{0C}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Zero-width characters and byte-order marks: copy artefacts, never part of an ID.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Quotes, brackets and sentence punctuation around an entry.
fn is_edge(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '«'
            | '»'
            | '„'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '.'
            | ':'
            | '!'
            | '?'
            | '#'
            | '*'
    )
}

/// [`is_edge`] without brackets and dots, which phone numbers are written with.
fn is_phone_edge(c: char) -> bool {
    is_edge(c) && !matches!(c, '(' | ')' | '.')
}

/// A word of prose: letters only (an apostrophe inside allowed), no digits.
fn is_prose(t: &str) -> bool {
    t.chars()
        .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
        && t.chars().any(char::is_alphabetic)
}

/// Whether a word can be part of a phone number written with spaces.
fn phone_word(w: &str) -> bool {
    let w = w.trim_matches(is_phone_edge);
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_digit() || c == '+' || is_phone_format_char(c))
}

/// A phone number written over several words at the start of `words`: how many words it
/// takes, and the entry. The longest reading wins (`+44 20 7946 0018`, not `+44 20 7946`).
fn phone_run(words: &[&str], opts: &RecogniseOptions) -> Option<(usize, Entry)> {
    let phoneish = words
        .iter()
        .take(MAX_PHONE_GROUPS)
        .take_while(|w| phone_word(w))
        .count();
    (2..=phoneish).rev().find_map(|k| {
        let group = words.get(..k)?;
        if !written_as_phone(group) {
            return None;
        }
        let joined = group.join(" ");
        let text = joined.trim_matches(is_phone_edge);
        let r = read_phone(text, opts.default_calling_code).ok()?;
        Some((
            k,
            Entry::new(text, EntryKind::Phone, r.phone.as_str().to_string()).noted(r.note),
        ))
    })
}

/// Whether groups separated by spaces are written like one phone number rather than
/// several numbers (`1001 1002` is two Burki IDs).
fn written_as_phone(group: &[&str]) -> bool {
    let words: Vec<&str> = group
        .iter()
        .map(|w| w.trim_matches(is_phone_edge))
        .collect();
    let first = words.first().copied().unwrap_or("");
    let inner_format = words.iter().any(|w| {
        w.trim_end_matches(['.', ','])
            .contains(['-', '.', '(', ')', '/'])
    });
    let lens: Vec<usize> = words.iter().map(|w| w.len()).collect();
    let all_digits = words.iter().all(|w| w.bytes().all(|b| b.is_ascii_digit()));
    first.starts_with('+')
        || first.starts_with('(')
        || first.starts_with('0')
        || inner_format
        || (all_digits && (lens == [3, 3, 4] || lens == [1, 3, 3, 4]))
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `8-4-4-4-12` hex digits.
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8usize, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && is_hex(p))
}

/// `CA` + 32 hex digits (either case).
pub fn is_sid(s: &str) -> bool {
    s.len() == 34
        && s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("CA"))
        && s.get(2..).is_some_and(is_hex)
}

/// `convo_` and letters, digits, `_` or `-`.
fn is_conversation(s: &str) -> bool {
    s.strip_prefix("convo_").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// Other Twilio SIDs people paste by mistake: two letters + 32 hex.
fn other_twilio_sid(s: &str) -> Option<&'static str> {
    if s.len() != 34 || !s.get(2..).is_some_and(is_hex) {
        return None;
    }
    let prefix = s.get(..2)?.to_ascii_uppercase();
    Some(match prefix.as_str() {
        "AC" => "an account SID (AC…)",
        "RE" => "a recording SID (RE…)",
        "SM" | "MM" => "a message SID (SM…)",
        "PN" => "a phone number SID (PN…)",
        "CF" => "a conference SID (CF…)",
        "TR" => "a trunk SID (TR…)",
        p if p.bytes().all(|b| b.is_ascii_uppercase()) => "a Twilio SID of another kind",
        _ => return None,
    })
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// Reads one entry (already cut and trimmed) by its shape.
pub fn classify(t: &str, opts: &RecogniseOptions) -> Entry {
    let len = t.chars().count();
    if len > MAX_ID_LEN {
        return Entry::unknown(
            t,
            format!("It is {len} characters long, longer than any call ID ({MAX_ID_LEN} at most)."),
        );
    }
    if t.chars().any(char::is_control) {
        return Entry::unknown(t, "It holds a control character; copy it again.");
    }
    if let Some(rest) = strip_prefix_ci(t, "tel:") {
        return phone_entry(t, rest, opts, None);
    }
    if strip_prefix_ci(t, "https://").is_some() || strip_prefix_ci(t, "http://").is_some() {
        return from_link(t, opts);
    }
    if is_uuid(t) {
        let v = t.to_ascii_lowercase();
        let note = (v != t).then(|| {
            "Written in capitals: read in lower case, as the vendors write call IDs.".to_string()
        });
        return Entry::new(t, EntryKind::BlandCallId, v)
            .noted(note)
            .also(&[EntryKind::TalkoverCallId]);
    }
    if is_sid(t) {
        let v = format!("CA{}", t.get(2..).unwrap_or("").to_ascii_lowercase());
        let note = (v != t).then(|| {
            "Read as CA followed by lower-case hex, as call SIDs are written.".to_string()
        });
        return Entry::new(t, EntryKind::CallSid, v).noted(note);
    }
    if let Some(what) = other_twilio_sid(t) {
        return Entry::unknown(
            t,
            format!("This is {what}, not a call SID; a call SID starts with CA."),
        );
    }
    if is_conversation(t) {
        return Entry::new(t, EntryKind::BlandConversationId, t.to_string());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return digits_entry(t, opts);
    }
    if t.starts_with('+')
        || t.chars()
            .all(|c| c.is_ascii_digit() || is_phone_format_char(c))
    {
        return phone_entry(t, t, opts, None);
    }
    let id_like = PathId::typed("ID", t).is_ok();
    let any_kind: &[EntryKind] = if id_like {
        &[
            EntryKind::BlandCallId,
            EntryKind::TalkoverCallId,
            EntryKind::BlandConversationId,
        ]
    } else {
        &[]
    };
    if t.contains('-') && t.split('-').count() == 5 && is_hex(&t.replace('-', "")) {
        return Entry::unknown(
            t,
            format!("It looks like a call ID (a UUID) but has {len} characters instead of 36; copy it again."),
        )
        .also(any_kind);
    }
    if len == 32 && is_hex(t) {
        return Entry::unknown(
            t,
            "32 hex digits without CA in front: a call SID is CA followed by 32 hex digits.",
        )
        .also(any_kind);
    }
    if t.contains('@') {
        return Entry::unknown(
            t,
            "An email address: search for the call by its phone number or an ID instead.",
        );
    }
    Entry::unknown(
        t,
        "Not the shape of a call ID (UUID), Burki call ID (a number), call SID (CA…), phone number or conversation ID (convo_…); choose its kind if you know it.",
    )
    .also(any_kind)
}

/// A phone number, or why `number` (part of `text`) is not one.
fn phone_entry(text: &str, number: &str, opts: &RecogniseOptions, extra: Option<&str>) -> Entry {
    match read_phone(number, opts.default_calling_code) {
        Ok(r) => {
            let note = match (r.note, extra) {
                (Some(n), Some(x)) => Some(format!("{n} {x}")),
                (n, x) => n.or(x.map(str::to_string)),
            };
            Entry::new(text, EntryKind::Phone, r.phone.as_str().to_string()).noted(note)
        }
        Err(why) => Entry::unknown(text, format!("Not a phone number: {why}.")),
    }
}

/// A number without signs: a Burki call ID when short, a phone number when long.
fn digits_entry(t: &str, opts: &RecogniseOptions) -> Entry {
    let n = t.len();
    let fits = t.parse::<u64>().is_ok();
    if t.starts_with('0') {
        if n >= 7 {
            return phone_entry(t, t, opts, None);
        }
        return Entry::unknown(
            t,
            "A number with a leading zero is neither a Burki call ID nor a phone number.",
        );
    }
    if n <= 9 {
        return Entry::new(t, EntryKind::BurkiCallId, t.to_string());
    }
    let burki: &[EntryKind] = if fits { &[EntryKind::BurkiCallId] } else { &[] };
    let maybe_burki = "If it is a Burki call ID, change its kind.";
    if let Ok(r) = read_phone(t, opts.default_calling_code) {
        let note = format!(
            "Only digits: read as a phone number. {}{maybe_burki}",
            r.note.map(|n| format!("{n} ")).unwrap_or_default()
        );
        return Entry::new(t, EntryKind::Phone, r.phone.as_str().to_string())
            .noted(Some(note))
            .also(burki);
    }
    if let Ok(r) = read_phone(&format!("+{t}"), opts.default_calling_code) {
        let note = format!(
            "Written without “+”: read as the international number {}; check its country code. {maybe_burki}",
            r.phone
        );
        return Entry::new(t, EntryKind::Phone, r.phone.as_str().to_string())
            .noted(Some(note))
            .also(burki);
    }
    if fits {
        return Entry::new(t, EntryKind::BurkiCallId, t.to_string())
            .noted(Some(format!(
                "A {n}-digit number that is no phone number: read as a Burki call ID."
            )))
            .also(&[EntryKind::Phone]);
    }
    Entry::unknown(
        t,
        format!("It has {n} digits: too long for a phone number or a Burki call ID."),
    )
}

/// An ID inside a link (`https://app.bland.ai/…/calls/<uuid>`), or why there is none.
fn from_link(t: &str, opts: &RecogniseOptions) -> Entry {
    let found = t
        .split(['/', '?', '&', '=', '#', ';'])
        .rev()
        .find(|s| is_uuid(s) || is_sid(s) || is_conversation(s));
    match found {
        Some(id) => {
            let mut e = classify(id, opts);
            let from = "Taken from a link.".to_string();
            e.note = Some(match e.note {
                Some(n) => format!("{from} {n}"),
                None => from,
            });
            e
        }
        None => Entry::unknown(
            t,
            "A web address with no call ID in it: paste the call ID, SID or phone number it refers to.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each entry's kind and value, for comparing a whole reading at once.
    fn pairs(entries: &[Entry]) -> Vec<(EntryKind, &str)> {
        entries.iter().map(|e| (e.kind, e.value.as_str())).collect()
    }

    const UUID: &str = "9d404c1b-6a23-4426-953a-a52c392ff8f1";
    const SID: &str = "CA0123456789abcdef0123456789abcdef";

    #[test]
    fn every_kind_by_its_shape() {
        let text = format!("{UUID}\n1001, {SID}; +1 (555) 010-0199\tconvo_abc123 | what?");
        let r = recognise(&text);
        assert_eq!(
            pairs(&r.entries),
            vec![
                (EntryKind::BlandCallId, UUID),
                (EntryKind::BurkiCallId, "1001"),
                (EntryKind::CallSid, SID),
                (EntryKind::Phone, "+15550100199"),
                (EntryKind::BlandConversationId, "convo_abc123"),
            ]
        );
        assert_eq!(r.words_skipped, 1, "“what” is prose");
        assert_eq!(r.entries[0].also, vec![EntryKind::TalkoverCallId]);
    }

    #[test]
    fn separators_quotes_brackets_and_plus() {
        use EntryKind::{BurkiCallId as Burki, Phone};
        let both_phones = [(Phone, "+15550100199"), (Phone, "+442079460018")];
        for (text, want) in [
            (
                "\"1001\" (1002) [1003] '1004'. #1005 `1006`",
                ["1001", "1002", "1003", "1004", "1005", "1006"]
                    .map(|v| (Burki, v))
                    .to_vec(),
            ),
            ("+15550100199,+442079460018", both_phones.to_vec()),
            // Spaces separate plain numbers but not a number written with spaces.
            (
                "1001 1002 +1 555 010 0199 1003",
                vec![
                    (Burki, "1001"),
                    (Burki, "1002"),
                    (Phone, "+15550100199"),
                    (Burki, "1003"),
                ],
            ),
            (
                "call (555) 010-0199 now; +44 20 7946 0018",
                both_phones.to_vec(),
            ),
            (
                "\u{FEFF}10\u{200B}01\r\n1002",
                vec![(Burki, "1001"), (Burki, "1002")],
            ),
        ] {
            assert_eq!(pairs(&recognise(text).entries), want, "{text:?}");
        }
    }

    #[test]
    fn normalised_forms_and_duplicates() {
        let upper = UUID.to_ascii_uppercase();
        let lower_sid = format!("ca{}", &SID[2..]);
        let r = recognise(&format!(
            "{UUID} {upper} {lower_sid} {SID} 555-010-0199 +15550100199 (555) 010-0199"
        ));
        assert_eq!(r.entries.len(), 3);
        assert_eq!(r.duplicates, 4);
        assert!(r.entries[1]
            .note
            .as_deref()
            .unwrap()
            .contains("lower-case hex"));
        let phone = &r.entries[2];
        assert_eq!(phone.value, "+15550100199");
        assert!(phone
            .note
            .as_deref()
            .unwrap()
            .contains("North American (+1)"));
        assert!(r
            .dropped_words()
            .unwrap()
            .contains("4 repeated entries were dropped"));
    }

    #[test]
    fn long_digit_strings_are_phones_short_ones_burki() {
        let r = recognise("123456789 5550100199 442079460018 1234567890 12345678901234567 99999999999999999999 00123");
        assert_eq!(
            pairs(&r.entries),
            vec![
                (EntryKind::BurkiCallId, "123456789"),
                (EntryKind::Phone, "+15550100199"),
                (EntryKind::Phone, "+442079460018"),
                (EntryKind::BurkiCallId, "1234567890"),
                (EntryKind::BurkiCallId, "12345678901234567"),
                (EntryKind::Unknown, "99999999999999999999"),
                (EntryKind::Unknown, "00123"),
            ]
        );
        assert!(r.entries[1]
            .note
            .as_deref()
            .unwrap()
            .contains("Burki call ID, change its kind"));
        assert_eq!(r.entries[1].also, vec![EntryKind::BurkiCallId]);
        assert!(r.entries[2]
            .note
            .as_deref()
            .unwrap()
            .contains("without “+”"));
        assert!(r.entries[5]
            .reason
            .as_deref()
            .unwrap()
            .contains("20 digits"));
    }

    #[test]
    fn unknown_entries_say_why() {
        for (t, why) in [
            ("AC0123456789abcdef0123456789abcdef", "account SID"),
            ("9d404c1b-6a23-4426-953a-a52c392ff8f", "35 characters"),
            ("0123456789abcdef0123456789abcdef", "without CA"),
            ("ana@example.org", "email address"),
            ("https://example.org/tickets/7", "web address"),
            ("err-html", "choose its kind"),
            ("+12", "Not a phone number"),
            ("555-010", "Not a phone number"),
        ] {
            let r = recognise(t);
            assert_eq!(r.entries.len(), 1, "{t}");
            let e = &r.entries[0];
            assert_eq!(e.kind, EntryKind::Unknown, "{t}");
            assert!(
                e.reason.as_deref().unwrap().contains(why),
                "{t}: {:?}",
                e.reason
            );
        }
        let long = "x1".repeat(150);
        assert!(recognise(&long).entries[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("300 characters"));
    }

    #[test]
    fn ids_inside_links_are_taken_out() {
        let r = recognise(&format!(
            "https://app.bland.ai/dashboard/calls/{UUID}?tab=logs"
        ));
        assert_eq!(r.entries[0].kind, EntryKind::BlandCallId);
        assert_eq!(r.entries[0].value, UUID);
        assert!(r.entries[0].note.as_deref().unwrap().contains("link"));
    }

    #[test]
    fn at_most_fifty_entries() {
        let text: String = (1000..1080).map(|n| format!("{n}\n")).collect();
        let r = recognise(&format!("{text}1000"));
        assert_eq!(r.entries.len(), MAX_ENTRIES);
        assert_eq!(r.left_out, 30);
        assert_eq!(r.duplicates, 1);
        assert!(r.dropped_words().unwrap().contains("30 more were left out"));
    }

    #[test]
    fn the_person_can_correct_a_kind() {
        let opts = RecogniseOptions::default();
        let r = recognise("5550100199 1001 err-html");
        let phone = &r.entries[0];
        let burki = phone.as_kind(EntryKind::BurkiCallId, &opts).unwrap();
        assert_eq!(
            (burki.kind, burki.value.as_str()),
            (EntryKind::BurkiCallId, "5550100199")
        );
        assert!(burki.corrected);
        assert_eq!(burki.also, vec![EntryKind::Phone]);
        let e = r.entries[1].as_kind(EntryKind::Phone, &opts).unwrap_err();
        assert!(
            e.to_string()
                .contains("cannot be looked up as a phone number"),
            "{e}"
        );
        let bland = r.entries[2].as_kind(EntryKind::BlandCallId, &opts).unwrap();
        assert_eq!(bland.value, "err-html");
        assert!(bland.note.as_deref().unwrap().contains("Not a UUID"));
        let e = r.entries[2]
            .as_kind(EntryKind::BurkiCallId, &opts)
            .unwrap_err();
        assert!(e.reason.contains("whole number"), "{e}");
        let aside = r.entries[1].as_kind(EntryKind::Unknown, &opts).unwrap();
        assert_eq!(aside.kind, EntryKind::Unknown);
        let uk = RecogniseOptions {
            default_calling_code: 44,
        };
        let e = recognise_with("020 7946 0018", &uk);
        assert_eq!(e.entries[0].value, "+442079460018");
    }

    #[test]
    fn corrections_apply_by_the_pasted_text() {
        let opts = RecogniseOptions::default();
        let r = recognise("5550100199, 1001, err-html");
        let (c, errors) = r.corrected(
            &[
                ("5550100199".into(), EntryKind::BurkiCallId),
                ("1001".into(), EntryKind::Phone),
                ("err-html".into(), EntryKind::BlandCallId),
                ("not pasted".into(), EntryKind::Phone),
            ],
            &opts,
        );
        assert_eq!(
            pairs(&c.entries),
            vec![
                (EntryKind::BurkiCallId, "5550100199"),
                (EntryKind::BurkiCallId, "1001"),
                (EntryKind::BlandCallId, "err-html"),
            ]
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].text, "1001");
        assert!(c.entries.iter().filter(|e| e.corrected).count() == 2);
    }

    #[test]
    fn kinds_round_trip() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.id()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.id())
            );
        }
    }

    #[test]
    fn reading_the_normalised_text_gives_the_same_entries() {
        let r = recognise(&format!(
            "{}, 1001, (555) 010-0199, ca{}, convo_x, what's that-thing 0044 20 7946 0018",
            UUID.to_uppercase(),
            &SID[2..].to_uppercase()
        ));
        let again = recognise(&r.normalised_text());
        assert_eq!(pairs(&r.entries), pairs(&again.entries));
    }
}
