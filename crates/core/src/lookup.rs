//! What the person asks for in the lookup form, validated into requests.

use crate::domain::Vendor;
use crate::error::InputError;
use crate::ids::{clean_integer_id, split_id_list, PathId};
use crate::request::ApiRequest;
use crate::vendors::{bland, burki, talkover};

/// The lookups the console offers (`lookup-kind` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LookupKind {
    BlandCall,
    BlandSms,
    BurkiCall,
    TalkoverAgent,
    TalkoverCampaign,
}

impl LookupKind {
    pub const ALL: [LookupKind; 5] = [
        LookupKind::BlandCall,
        LookupKind::BlandSms,
        LookupKind::BurkiCall,
        LookupKind::TalkoverAgent,
        LookupKind::TalkoverCampaign,
    ];

    pub fn id(self) -> &'static str {
        match self {
            LookupKind::BlandCall => "bland-call",
            LookupKind::BlandSms => "bland-sms",
            LookupKind::BurkiCall => "burki-call",
            LookupKind::TalkoverAgent => "talkover-agent",
            LookupKind::TalkoverCampaign => "talkover-campaign",
        }
    }

    pub fn parse(s: &str) -> Option<LookupKind> {
        LookupKind::ALL.into_iter().find(|k| k.id() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            LookupKind::BlandCall => "Post-call webhook by call ID",
            LookupKind::BlandSms => "SMS conversation webhook",
            LookupKind::BurkiCall => "Webhook logs of a call",
            LookupKind::TalkoverAgent => "Agent webhook logs",
            LookupKind::TalkoverCampaign => "Campaign webhook logs",
        }
    }

    pub fn vendor(self) -> Vendor {
        match self {
            LookupKind::BlandCall | LookupKind::BlandSms => Vendor::Bland,
            LookupKind::BurkiCall => Vendor::Burki,
            LookupKind::TalkoverAgent | LookupKind::TalkoverCampaign => Vendor::Talkover,
        }
    }

    pub fn for_vendor(v: Vendor) -> Vec<LookupKind> {
        LookupKind::ALL
            .into_iter()
            .filter(|k| k.vendor() == v)
            .collect()
    }

    /// Label of the main ID field for this kind.
    pub fn id_label(self) -> &'static str {
        match self {
            LookupKind::BlandCall => "Call IDs",
            LookupKind::BlandSms => "Conversation IDs",
            LookupKind::BurkiCall => "Call IDs (internal integers)",
            LookupKind::TalkoverAgent => "Agent ID",
            LookupKind::TalkoverCampaign => "Campaign ID",
        }
    }

    pub fn uses_owner(self) -> bool {
        matches!(
            self,
            LookupKind::TalkoverAgent | LookupKind::TalkoverCampaign
        )
    }
}

/// Which form field an input error belongs to, so the message shows beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Id,
    OwnerId,
    WebhookId,
}

/// The raw form values (also what the URL holds).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LookupForm {
    pub id: String,
    pub owner_id: String,
    pub webhook_id: String,
    pub webhook_type: String,
}

impl LookupForm {
    /// The form as links hold it: trimmed, and only the fields this kind uses.
    pub fn normalised(&self, kind: LookupKind) -> LookupForm {
        let keep = |on: bool, v: &str| {
            if on {
                v.trim().to_string()
            } else {
                String::new()
            }
        };
        LookupForm {
            id: keep(!kind.uses_owner(), &self.id),
            owner_id: keep(kind.uses_owner(), &self.owner_id),
            webhook_id: keep(kind.uses_owner(), &self.webhook_id),
            webhook_type: keep(kind == LookupKind::BurkiCall, &self.webhook_type),
        }
    }

    /// True when no ID field is filled in.
    pub fn is_blank(&self) -> bool {
        self.id.trim().is_empty()
            && self.owner_id.trim().is_empty()
            && self.webhook_id.trim().is_empty()
    }
}

/// The most IDs one Bland lookup fans out to.
pub const MAX_BLAND_IDS: usize = 500;

/// A validated lookup, ready to become requests.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// One request per call ID (Bland has no list endpoint); fanned out with bounded concurrency.
    BlandCalls(Vec<PathId>),
    BlandSms(Vec<PathId>),
    /// One request per call (Burki's internal integer IDs), like Bland's calls.
    BurkiCalls {
        call_ids: Vec<u64>,
        webhook_type: Option<String>,
    },
    Talkover {
        owner: talkover::Owner,
        owner_id: PathId,
        webhook_id: PathId,
    },
}

impl Lookup {
    pub fn validate(kind: LookupKind, form: &LookupForm) -> Result<Lookup, (Field, InputError)> {
        let id_list = |field: &'static str| -> Result<Vec<PathId>, (Field, InputError)> {
            let (ids, _dups) = split_id_list(&form.id);
            if ids.is_empty() {
                return Err((Field::Id, InputError::Empty { field }));
            }
            if ids.len() > MAX_BLAND_IDS {
                return Err((
                    Field::Id,
                    InputError::TooLong {
                        field,
                        len: ids.len(),
                        max: MAX_BLAND_IDS,
                    },
                ));
            }
            ids.iter()
                .map(|i| PathId::typed(field, i).map_err(|e| (Field::Id, e)))
                .collect()
        };
        match kind {
            LookupKind::BlandCall => Ok(Lookup::BlandCalls(id_list("Call ID")?)),
            LookupKind::BlandSms => Ok(Lookup::BlandSms(id_list("Conversation ID")?)),
            LookupKind::BurkiCall => {
                let call_ids = id_list("Call ID")?
                    .iter()
                    .map(|i| clean_integer_id("Call ID", i.as_str()).map_err(|e| (Field::Id, e)))
                    .collect::<Result<Vec<u64>, _>>()?;
                let t = form.webhook_type.trim();
                Ok(Lookup::BurkiCalls {
                    call_ids,
                    webhook_type: (!t.is_empty()).then(|| t.to_string()),
                })
            }
            LookupKind::TalkoverAgent | LookupKind::TalkoverCampaign => {
                let (owner, label) = if kind == LookupKind::TalkoverAgent {
                    (talkover::Owner::Agent, "Agent ID")
                } else {
                    (talkover::Owner::Campaign, "Campaign ID")
                };
                let owner_id =
                    PathId::typed(label, &form.owner_id).map_err(|e| (Field::OwnerId, e))?;
                let webhook_id = PathId::typed("Webhook ID", &form.webhook_id)
                    .map_err(|e| (Field::WebhookId, e))?;
                Ok(Lookup::Talkover {
                    owner,
                    owner_id,
                    webhook_id,
                })
            }
        }
    }

    /// The first requests to send, each with the ID it asks about (where it asks about one).
    /// Talkover asks for page 1; later pages follow its pagination.
    pub fn requests(&self) -> Vec<(Option<PathId>, ApiRequest)> {
        match self {
            Lookup::BlandCalls(ids) => ids
                .iter()
                .map(|i| (Some(i.clone()), bland::postcall_webhook(i)))
                .collect(),
            Lookup::BlandSms(ids) => ids
                .iter()
                .map(|i| (Some(i.clone()), bland::sms_webhook(i)))
                .collect(),
            _ => self
                .initial_requests()
                .into_iter()
                .map(|r| (None, r))
                .collect(),
        }
    }

    /// How many requests [`Lookup::initial_requests`] would send, without building them.
    pub fn initial_request_count(&self) -> usize {
        match self {
            Lookup::BlandCalls(ids) | Lookup::BlandSms(ids) => ids.len(),
            Lookup::BurkiCalls { call_ids, .. } => call_ids.len(),
            Lookup::Talkover { .. } => 1,
        }
    }

    /// The first requests to send. Talkover asks for page 1; later pages follow its pagination.
    pub fn initial_requests(&self) -> Vec<ApiRequest> {
        match self {
            Lookup::BlandCalls(ids) => ids.iter().map(bland::postcall_webhook).collect(),
            Lookup::BlandSms(ids) => ids.iter().map(bland::sms_webhook).collect(),
            Lookup::BurkiCalls {
                call_ids,
                webhook_type,
            } => call_ids
                .iter()
                .map(|c| burki::webhook_logs(*c, webhook_type.as_deref()))
                .collect(),
            Lookup::Talkover {
                owner,
                owner_id,
                webhook_id,
            } => {
                vec![talkover::logs(
                    *owner,
                    owner_id,
                    webhook_id,
                    1,
                    talkover::MAX_PER_PAGE,
                )]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_count_matches_the_requests() {
        for (kind, id) in [
            (LookupKind::BlandCall, "a, b, c"),
            (LookupKind::BlandSms, "convo_1"),
            (LookupKind::BurkiCall, "1 2 3 4"),
        ] {
            let l = Lookup::validate(kind, &form(id)).unwrap();
            assert_eq!(
                l.initial_request_count(),
                l.initial_requests().len(),
                "{id}"
            );
        }
    }

    fn form(id: &str) -> LookupForm {
        LookupForm {
            id: id.into(),
            ..Default::default()
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in LookupKind::ALL {
            assert_eq!(LookupKind::parse(k.id()), Some(k));
        }
        assert_eq!(LookupKind::parse("nope"), None);
    }

    #[test]
    fn bland_lists_and_errors() {
        let l = Lookup::validate(LookupKind::BlandCall, &form(" a, b \n a ")).unwrap();
        let id = |s: &str| PathId::typed("Call ID", s).unwrap();
        assert_eq!(l, Lookup::BlandCalls(vec![id("a"), id("b")]));
        assert_eq!(l.initial_requests()[1].path, "/v1/postcall/webhooks/b");
        let (f, e) = Lookup::validate(LookupKind::BlandSms, &form("  ")).unwrap_err();
        assert_eq!(f, Field::Id);
        assert_eq!(e.to_string(), "Conversation ID is required.");
    }

    #[test]
    fn burki_integer_and_type() {
        let mut f = form("17");
        f.webhook_type = " call_ended ".into();
        let l = Lookup::validate(LookupKind::BurkiCall, &f).unwrap();
        assert_eq!(
            l.initial_requests()[0].path_and_query(),
            "/api/v1/calls/17/webhook-logs?webhook_type=call_ended"
        );
        assert!(Lookup::validate(LookupKind::BurkiCall, &form("CA9f")).is_err());
        let several =
            Lookup::validate(LookupKind::BurkiCall, &form("1001, 1002\n1001 1003")).unwrap();
        assert_eq!(
            several.initial_requests().len(),
            3,
            "several calls at once, repeats dropped"
        );
        let (_, e) = Lookup::validate(LookupKind::BurkiCall, &form("1001, CA9f")).unwrap_err();
        assert!(e.to_string().contains("whole number"), "{e}");
    }

    #[test]
    fn talkover_needs_both_ids() {
        let f = LookupForm {
            owner_id: "ag".into(),
            ..Default::default()
        };
        let (field, _) = Lookup::validate(LookupKind::TalkoverAgent, &f).unwrap_err();
        assert_eq!(field, Field::WebhookId);
        let f = LookupForm {
            owner_id: "../ag".into(),
            webhook_id: "w#1".into(),
            ..Default::default()
        };
        let l = Lookup::validate(LookupKind::TalkoverCampaign, &f).unwrap();
        assert_eq!(
            l.initial_requests()[0].path,
            "/api/v1/campaigns/..%2Fag/webhooks/w%231/logs"
        );
    }
}
