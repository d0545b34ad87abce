//! Which lookups each recognised entry can run with the person's connections, and, for
//! those it cannot, why in words. Works from the entry's kind, whether its shape or the
//! person set it.
//!
//! | kind | lookups |
//! |---|---|
//! | Bland call ID (a UUID) | Bland `GET /v1/calls/{id}`; each Talkover webhook named, its logs matched on `request_payload.call_id` |
//! | Talkover call ID | each Talkover webhook named, matched the same way |
//! | Burki call ID | Burki `GET /api/v1/calls/{id}` |
//! | call SID | Burki `GET /api/v1/calls/sid/{sid}` and the list filtered by `call_sid` (Bland documents no SID filter) |
//! | phone number | Bland `GET /v1/calls?to_number=` and `?from_number=`; Burki `GET /api/v1/calls?customer_phone=` |
//! | Bland conversation ID | Bland's SMS conversation webhook |
//!
//! Calls found then give their deliveries through [`super::deliveries_of`].

use super::recognise::{Entry, EntryKind};
use super::{CallQuery, CALLS_PAGE};
use crate::domain::Vendor;
use crate::ids::PathId;
use crate::lookup::Lookup;
use crate::vendors::{bland, burki, talkover};

/// A Talkover webhook whose logs may hold a call (Talkover has no call lookup: a call's
/// deliveries are found by reading a webhook's logs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TalkoverScope {
    pub owner: talkover::Owner,
    pub owner_id: PathId,
    pub webhook_id: PathId,
}

impl TalkoverScope {
    /// Where the person says it is: an agent's or a campaign's webhook.
    pub fn describe(&self) -> String {
        let owner = match self.owner {
            talkover::Owner::Agent => "agent",
            talkover::Owner::Campaign => "campaign",
        };
        format!("{owner} {}, webhook {}", self.owner_id, self.webhook_id)
    }
}

/// What the person can reach: the vendors they have connections for, and the Talkover
/// webhooks they named for searching.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    pub vendors: Vec<Vendor>,
    pub talkover_webhooks: Vec<TalkoverScope>,
}

impl Reach {
    pub fn new(vendors: impl IntoIterator<Item = Vendor>) -> Reach {
        Reach {
            vendors: vendors.into_iter().collect(),
            talkover_webhooks: vec![],
        }
    }

    pub fn with_talkover(mut self, scope: TalkoverScope) -> Reach {
        if !self.talkover_webhooks.contains(&scope) {
            self.talkover_webhooks.push(scope);
        }
        self
    }

    pub fn has(&self, v: Vendor) -> bool {
        self.vendors.contains(&v)
    }
}

/// One lookup an entry runs.
#[derive(Clone, Debug, PartialEq)]
pub enum CallLookup {
    /// Finds calls; each call's deliveries follow from [`super::deliveries_of`].
    Calls(CallQuery),
    /// Finds deliveries with no call record: Bland's SMS conversation webhook, or a
    /// Talkover webhook's logs, of which only those naming `call_id` belong (see
    /// [`talkover::deliveries_for_call`]).
    Deliveries {
        lookup: Lookup,
        call_id: Option<String>,
    },
}

impl CallLookup {
    pub fn vendor(&self) -> Vendor {
        match self {
            CallLookup::Calls(q) => q.vendor(),
            CallLookup::Deliveries { lookup, .. } => match lookup {
                Lookup::BlandCalls(_) | Lookup::BlandSms(_) => Vendor::Bland,
                Lookup::BurkiCalls { .. } => Vendor::Burki,
                Lookup::Talkover { .. } => Vendor::Talkover,
            },
        }
    }

    /// What it looks for, in words.
    pub fn describe(&self) -> String {
        match self {
            CallLookup::Calls(q) => q.describe(),
            CallLookup::Deliveries { lookup, call_id } => match (lookup, call_id) {
                (
                    Lookup::Talkover {
                        owner,
                        owner_id,
                        webhook_id,
                    },
                    Some(id),
                ) => format!(
                    "Talkover: the logs of {} that name the call {id}",
                    TalkoverScope {
                        owner: *owner,
                        owner_id: owner_id.clone(),
                        webhook_id: webhook_id.clone(),
                    }
                    .describe()
                ),
                (Lookup::BlandSms(ids), _) => format!(
                    "Bland: the SMS conversation webhook of {}",
                    ids.iter()
                        .map(PathId::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                (Lookup::BlandCalls(_), _) => "Bland: post-call webhooks".into(),
                (Lookup::BurkiCalls { .. }, _) => "Burki: webhook logs".into(),
                (Lookup::Talkover { .. }, None) => "Talkover: webhook logs".into(),
            },
        }
    }
}

/// What one entry will run, and what it cannot.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryPlan {
    pub entry: Entry,
    pub lookups: Vec<CallLookup>,
    /// Lookups this kind has that cannot run here, each with why and what would help
    /// ("Burki call IDs need a Burki connection; there is none.").
    pub cannot: Vec<String>,
}

impl EntryPlan {
    /// Why nothing runs for this entry, when nothing does.
    pub fn why_nothing(&self) -> Option<String> {
        if !self.lookups.is_empty() {
            return None;
        }
        Some(if self.entry.kind == EntryKind::Unknown {
            self.entry
                .reason
                .clone()
                .unwrap_or_else(|| "Not looked up.".into())
        } else if self.cannot.is_empty() {
            "Nothing can look this up.".into()
        } else {
            self.cannot.join(" ")
        })
    }
}

fn need(what: &str, v: Vendor) -> String {
    format!("{what} need a {} connection; there is none.", v.label())
}

/// The Talkover searches of several entries, one per webhook: each webhook's logs are
/// read once and matched against every call ID looked for there (in entry order).
pub fn talkover_searches(plans: &[EntryPlan]) -> Vec<(Lookup, Vec<String>)> {
    let mut out: Vec<(Lookup, Vec<String>)> = Vec::new();
    let searches = plans
        .iter()
        .flat_map(|p| &p.lookups)
        .filter_map(|l| match l {
            CallLookup::Deliveries {
                lookup: lookup @ Lookup::Talkover { .. },
                call_id: Some(id),
            } => Some((lookup, id)),
            _ => None,
        });
    for (lookup, id) in searches {
        match out.iter_mut().find(|(l, _)| l == lookup) {
            Some((_, ids)) if !ids.contains(id) => ids.push(id.clone()),
            Some(_) => {}
            None => out.push((lookup.clone(), vec![id.clone()])),
        }
    }
    out
}

/// Plans every entry (in order).
pub fn plan(entries: &[Entry], reach: &Reach) -> Vec<EntryPlan> {
    entries.iter().map(|e| plan_entry(e, reach)).collect()
}

/// The lookups `entry` runs as its kind (recognised or chosen) with what `reach` holds.
/// IDs enter paths only as [`PathId`]s or integers; one that fails the checks is said.
pub fn plan_entry(entry: &Entry, reach: &Reach) -> EntryPlan {
    let mut lookups = Vec::new();
    let mut cannot = Vec::new();
    let bland = reach.has(Vendor::Bland);
    let burki = reach.has(Vendor::Burki);
    let talkover = reach.has(Vendor::Talkover);
    let path_id =
        |field: &'static str, cannot: &mut Vec<String>| match PathId::typed(field, &entry.value) {
            Ok(id) => Some(id),
            Err(e) => {
                cannot.push(e.to_string());
                None
            }
        };
    let talkover_search = |lookups: &mut Vec<CallLookup>, cannot: &mut Vec<String>, must: bool| {
        if !talkover {
            if must {
                cannot.push(need("Talkover call IDs", Vendor::Talkover));
            }
            return;
        }
        if reach.talkover_webhooks.is_empty() {
            cannot.push(
                "Talkover has no call lookup: name the agent or campaign webhook whose logs may hold this call, and they are searched for it."
                    .into(),
            );
            return;
        }
        for s in &reach.talkover_webhooks {
            lookups.push(CallLookup::Deliveries {
                lookup: Lookup::Talkover {
                    owner: s.owner,
                    owner_id: s.owner_id.clone(),
                    webhook_id: s.webhook_id.clone(),
                },
                call_id: Some(entry.value.clone()),
            });
        }
    };
    match entry.kind {
        EntryKind::Unknown => {}
        EntryKind::BlandCallId => {
            if bland {
                if let Some(id) = path_id("Bland call ID", &mut cannot) {
                    lookups.push(CallLookup::Calls(CallQuery::BlandCall(id)));
                }
            } else {
                cannot.push(need("Bland call IDs", Vendor::Bland));
            }
            // A UUID may as well be a Talkover call's.
            talkover_search(&mut lookups, &mut cannot, false);
        }
        EntryKind::TalkoverCallId => talkover_search(&mut lookups, &mut cannot, true),
        EntryKind::BurkiCallId => match (burki, entry.burki_id()) {
            (true, Some(id)) => lookups.push(CallLookup::Calls(CallQuery::BurkiCall(id))),
            (true, None) => cannot.push(format!(
                "“{}” is not a whole number, which Burki call IDs are.",
                entry.value
            )),
            (false, _) => cannot.push(need("Burki call IDs", Vendor::Burki)),
        },
        EntryKind::CallSid => {
            if burki {
                if let Some(sid) = path_id("Call SID", &mut cannot) {
                    lookups.push(CallLookup::Calls(CallQuery::BurkiCallBySid(sid)));
                    lookups.push(CallLookup::Calls(CallQuery::BurkiCalls(
                        burki::CallsQuery::sid(&entry.value, CALLS_PAGE),
                    )));
                }
            } else {
                cannot.push(
                    "Call SIDs are looked up on Burki (its calls carry the SID); there is no Burki connection.".into(),
                );
            }
            if bland {
                cannot.push(
                    "Bland documents no search by call SID: search by the phone number or the Bland call ID instead.".into(),
                );
            }
        }
        EntryKind::Phone => match entry.phone() {
            None => cannot.push(format!("“{}” is not an E.164 phone number.", entry.value)),
            Some(p) => {
                if bland {
                    lookups.push(CallLookup::Calls(CallQuery::BlandCalls(
                        bland::CallsQuery::calls_to(&p, CALLS_PAGE),
                    )));
                    lookups.push(CallLookup::Calls(CallQuery::BlandCalls(
                        bland::CallsQuery::calls_from(&p, CALLS_PAGE),
                    )));
                } else {
                    cannot.push(need("Bland calls to or from a number", Vendor::Bland));
                }
                if burki {
                    lookups.push(CallLookup::Calls(CallQuery::BurkiCalls(
                        burki::CallsQuery::customer(&p, CALLS_PAGE),
                    )));
                } else {
                    cannot.push(need("Burki calls with a customer's number", Vendor::Burki));
                }
                if talkover {
                    cannot.push(
                        "Talkover has no search by phone number: search by its call ID.".into(),
                    );
                }
            }
        },
        EntryKind::BlandConversationId => {
            if bland {
                if let Some(id) = path_id("Conversation ID", &mut cannot) {
                    lookups.push(CallLookup::Deliveries {
                        lookup: Lookup::BlandSms(vec![id]),
                        call_id: None,
                    });
                }
            } else {
                cannot.push(need("Bland conversation IDs", Vendor::Bland));
            }
        }
    }
    EntryPlan {
        entry: entry.clone(),
        lookups,
        cannot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::recognise::{recognise, RecogniseOptions};

    fn scope() -> TalkoverScope {
        TalkoverScope {
            owner: talkover::Owner::Agent,
            owner_id: PathId::typed("Agent ID", "agt_demo_support").unwrap(),
            webhook_id: PathId::typed("Webhook ID", "wh_demo_calls").unwrap(),
        }
    }

    fn all() -> Reach {
        Reach::new(Vendor::ALL).with_talkover(scope())
    }

    fn paths(p: &EntryPlan) -> Vec<String> {
        p.lookups
            .iter()
            .map(|l| match l {
                CallLookup::Calls(q) => q.request().path_and_query(),
                CallLookup::Deliveries { lookup, .. } => {
                    lookup.initial_requests()[0].path_and_query()
                }
            })
            .collect()
    }

    const UUID: &str = "9d404c1b-6a23-4426-953a-a52c392ff8f1";
    const SID: &str = "CA0123456789abcdef0123456789abcdef";

    #[test]
    fn every_kind_with_every_connection() {
        let r = recognise(&format!(
            "{UUID} 1001 {SID} +15550100199 convo_abc123 what-is-this"
        ));
        let plans = plan(&r.entries, &all());
        assert_eq!(
            paths(&plans[0]),
            [
                format!("/v1/calls/{UUID}"),
                "/api/v1/agents/agt_demo_support/webhooks/wh_demo_calls/logs?per_page=100&page=1"
                    .into()
            ]
        );
        assert_eq!(paths(&plans[1]), ["/api/v1/calls/1001"]);
        assert_eq!(
            paths(&plans[2]),
            [
                format!("/api/v1/calls/sid/{SID}"),
                format!("/api/v1/calls?call_sid={SID}&skip=0&limit=50")
            ]
        );
        assert!(plans[2].cannot[0].contains("Bland documents no search by call SID"));
        assert_eq!(
            paths(&plans[3]),
            [
                "/v1/calls?to_number=%2B15550100199&limit=50&from=0&to=50",
                "/v1/calls?from_number=%2B15550100199&limit=50&from=0&to=50",
                "/api/v1/calls?customer_phone=%2B15550100199&skip=0&limit=50"
            ]
        );
        assert_eq!(
            paths(&plans[4]),
            ["/v1/sms/conversations/convo_abc123/webhook"]
        );
        assert!(plans[5].lookups.is_empty());
        assert!(plans[5].why_nothing().unwrap().contains("Not the shape"));
        let CallLookup::Deliveries { call_id, .. } = &plans[0].lookups[1] else {
            panic!("a Talkover search")
        };
        assert_eq!(call_id.as_deref(), Some(UUID));
        assert!(plans[0].lookups[1]
            .describe()
            .contains("that name the call"));
    }

    #[test]
    fn talkover_searches_read_each_webhook_once() {
        let other = TalkoverScope {
            owner: talkover::Owner::Campaign,
            owner_id: PathId::typed("Campaign ID", "cmp").unwrap(),
            webhook_id: PathId::typed("Webhook ID", "wh").unwrap(),
        };
        let reach = all().with_talkover(other);
        let second = "0b7e4c2a-9f13-4d6e-8a5b-7c6d5e4f3a2b";
        let plans = plan(
            &recognise(&format!("{UUID} 1001 {second} {UUID}")).entries,
            &reach,
        );
        let s = talkover_searches(&plans);
        assert_eq!(s.len(), 2, "two webhooks");
        assert!(s
            .iter()
            .all(|(_, ids)| ids == &[UUID.to_string(), second.to_string()]));
    }

    #[test]
    fn missing_connections_are_said() {
        let r = recognise(&format!("1001 {UUID} {SID} +15550100199 convo_x"));
        let bland_only = plan(&r.entries, &Reach::new([Vendor::Bland]));
        assert_eq!(
            bland_only[0].why_nothing().unwrap(),
            "Burki call IDs need a Burki connection; there is none."
        );
        assert_eq!(bland_only[1].lookups.len(), 1);
        assert!(bland_only[2]
            .why_nothing()
            .unwrap()
            .contains("there is no Burki connection"));
        assert_eq!(bland_only[3].lookups.len(), 2);
        assert_eq!(
            bland_only[3].cannot,
            ["Burki calls with a customer's number need a Burki connection; there is none."]
        );
        let burki_only = plan(&r.entries, &Reach::new([Vendor::Burki]));
        assert_eq!(
            burki_only[1].why_nothing().unwrap(),
            "Bland call IDs need a Bland connection; there is none."
        );
        assert_eq!(
            burki_only[4].why_nothing().unwrap(),
            "Bland conversation IDs need a Bland connection; there is none."
        );
        let talkover_unscoped = plan(&r.entries, &Reach::new([Vendor::Talkover]));
        assert!(talkover_unscoped[1]
            .why_nothing()
            .unwrap()
            .contains("name the agent or campaign webhook"));
    }

    #[test]
    fn the_corrected_kind_is_what_is_planned() {
        let opts = RecogniseOptions::default();
        let r = recognise(UUID);
        let as_talkover = r.entries[0]
            .as_kind(EntryKind::TalkoverCallId, &opts)
            .unwrap();
        let p = plan_entry(&as_talkover, &all());
        assert_eq!(p.lookups.len(), 1);
        assert_eq!(p.lookups[0].vendor(), Vendor::Talkover);
        let none = plan_entry(&as_talkover, &Reach::new([Vendor::Bland]));
        assert_eq!(
            none.why_nothing().unwrap(),
            "Talkover call IDs need a Talkover connection; there is none."
        );
        let phone = recognise("5550100199").entries[0]
            .as_kind(EntryKind::BurkiCallId, &opts)
            .unwrap();
        assert_eq!(
            paths(&plan_entry(&phone, &all())),
            ["/api/v1/calls/5550100199"]
        );
        let aside = r.entries[0].as_kind(EntryKind::Unknown, &opts).unwrap();
        let p = plan_entry(&aside, &all());
        assert_eq!(p.why_nothing().unwrap(), "Set aside: not looked up.");
    }

    #[test]
    fn ids_reach_paths_only_through_their_checks() {
        let opts = RecogniseOptions::default();
        let odd = recognise("x/../admin").entries[0].clone();
        let as_bland = odd.as_kind(EntryKind::BlandCallId, &opts).unwrap();
        assert_eq!(
            paths(&plan_entry(&as_bland, &all()))[0],
            "/v1/calls/x%2F..%2Fadmin"
        );
        let dots = Entry {
            value: "..".into(),
            ..as_bland
        };
        let p = plan_entry(&dots, &Reach::new([Vendor::Bland]));
        assert!(p.lookups.is_empty());
        assert!(p.why_nothing().unwrap().contains("cannot be “.” or “..”"));
    }
}
