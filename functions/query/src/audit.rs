//! The audit log: who changed what, when (`hookrelay::domain::audit`).
//!
//! | route | handler |
//! |---|---|
//! | GET /v1/audit | [`list`] |

use hookrelay::domain::audit::{Action, ActorKind, AuditFilter, AuditRecord, ResourceKind};
use hookrelay::domain::ids::AuditId;
use hookrelay::domain::listing::Order;
use hookrelay::domain::time::Timestamp;
use hookrelay::http::answers::{InvalidParameter, UnknownKey};
use hookrelay::http::page_size::{fit_key_page, page_description};
use hookrelay::http::query::Query;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, Reply};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct AuditActor {
    /// `api_key`, `console_link` or `operator` (the deployment's admin, or
    /// one of its rules acting alone, as auto-disable does).
    #[serde(rename = "type")]
    #[schema(pattern = "^(api_key|console_link|operator)$")]
    pub kind: String,
    /// The key's or link's id; the operator's ARN (or `admin-key` locally).
    pub id: String,
    /// The key's name, `console link`, or the operator's ARN.
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditResource {
    /// `account`, `webhook`, `event_type`, `api_key`, `console_link` or `delivery`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id (an event type's is its `name.type`).
    pub id: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditChange {
    /// Any JSON; null: the field had no value, or the resource did not exist.
    pub before: Value,
    /// Any JSON; null: the field has no value, or the resource is gone.
    pub after: Value,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    pub actor: AuditActor,
    /// What was done, as `resource.verb`: e.g. `webhook.updated`.
    pub action: String,
    pub resource: AuditResource,
    /// Each changed field before and after. Secrets are masked as responses
    /// mask them (a URL's password, the signing secret but its last four
    /// characters, an endpoint API key); custom header values but their last four.
    pub changes: BTreeMap<String, AuditChange>,
}

/// A string enum as its JSON text.
fn text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        _ => String::new(),
    }
}

impl From<&AuditRecord> for AuditEntry {
    fn from(record: &AuditRecord) -> Self {
        let changes = record.changes.iter().map(|(field, change)| {
            let (before, after) = (change.before.clone(), change.after.clone());
            (field.clone(), AuditChange { before, after })
        });
        Self {
            id: record.id.to_string(),
            at: record.at.to_string(),
            actor: AuditActor {
                kind: text(&record.actor.kind),
                id: record.actor.id.clone(),
                name: record.actor.name.clone(),
            },
            action: record.action.as_str().to_owned(),
            resource: AuditResource {
                kind: text(&record.resource.kind),
                id: record.resource.id.clone(),
            },
            changes: changes.collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    pub audit: Vec<AuditEntry>,
    pub limit: u32,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The parameters `GET /v1/audit` takes.
const PARAMS: [&str; 10] = [
    "action",
    "resource_type",
    "resource_id",
    "actor_type",
    "actor_id",
    "start",
    "end",
    "order",
    "limit",
    "cursor",
];
const LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 100;

/// List audit records
///
/// Who changed what, and when: each change to the account's webhooks, event types, API keys,
/// console links and deliveries, with its actor and the fields changed (secrets masked). Newest
/// first by default; filters on the action, resource, actor and a `start`/`end` window on `at`;
/// pass `next_cursor` back as `cursor` for the next page.
///
/// Any scope may call it, and so may a console link. 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/audit", operation_id = "listAuditRecords", tag = "audit",
    params(
        ("action" = Option<String>, Query, description = "One action, e.g. `webhook.updated` (the enum lists them)"),
        ("resource_type" = Option<String>, Query, pattern = "^(account|webhook|event_type|api_key|console_link|delivery)$"),
        ("resource_id" = Option<String>, Query, max_length = 200),
        ("actor_type" = Option<String>, Query, pattern = "^(api_key|console_link|operator)$"),
        ("actor_id" = Option<String>, Query, max_length = 200),
        ("start" = Option<String>, Query, description = "at or after (ISO-8601 UTC)", format = DateTime),
        ("end" = Option<String>, Query, description = "at or before (ISO-8601 UTC)", format = DateTime),
        ("order" = Option<String>, Query, description = "desc (newest first, default) or asc", pattern = "^(asc|desc)$"),
        ("limit" = Option<u32>, Query, description = "1–100, default 50", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page", pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
    ),
    responses(
        (status = 200, description = page_description("the account's audit records that match every filter given, newest first; a page read past 1,000 records that did not match ends there, with `next_cursor`"), body = AuditList),
        UnknownKey, InvalidParameter,
    )
)]
pub async fn list(Scope(app, account): Scope, mut query: Query) -> Answer<AuditList> {
    query.allow(&PARAMS);
    let id = |v: &str| match v.len() <= 200 {
        true => Ok(v.to_owned()),
        false => Err("must be at most 200 characters".to_owned()),
    };
    let filter = AuditFilter {
        action: query.get("action", Action::parse),
        resource_type: query.get("resource_type", ResourceKind::parse),
        resource_id: query.get("resource_id", id),
        actor_type: query.get("actor_type", ActorKind::parse),
        actor_id: query.get("actor_id", id),
        start: query.get("start", Timestamp::parse),
        end: query.get("end", Timestamp::parse),
        ascending: query.get("order", Order::parse) == Some(Order::Asc),
    };
    let limit = query.get("limit", |v| {
        v.parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| format!("must be a whole number from 1 to {MAX_LIMIT}"))
    });
    let after = query.get("cursor", |v| {
        AuditId::parse(v)
            .map(|_| v.to_owned())
            .ok_or_else(|| "is not a next_cursor this list gave".to_owned())
    });
    query.finish()?;
    let limit = limit.unwrap_or(LIMIT);
    let now = app.clock.now();
    let page = app
        .store
        .list_audit(account, &filter, after.as_deref(), limit as usize, now)
        .await?;
    let (audit, next_cursor) = fit_key_page(&page, |r| (AuditEntry::from(r), r.id.to_string()));
    Ok(Reply::ok(AuditList {
        audit,
        limit,
        next_cursor,
    }))
}
