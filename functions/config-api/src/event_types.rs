//! The event-type catalogue ("Available events"):
//!
//! | route | handler |
//! |---|---|
//! | POST /v1/event-types | [`create`] |
//! | GET /v1/event-types | [`list`] |
//! | GET /v1/event-types/{event} | [`get`] |
//! | PATCH /v1/event-types/{event} | [`update`] |
//! | DELETE /v1/event-types/{event} | [`delete`] |
//!
//! `{event}` is `name.type`. The catalogue documents what a producer sends;
//! subscriptions are not limited to it.

use axum::extract::Path;
use hookrelay::app::App;
use hookrelay::domain::audit::{changes_between, Action, Actor};
use hookrelay::domain::event::{EventKind, EventPart};
use hookrelay::domain::event_type::{EventType, EventTypeChanges, Example};
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::payload_schema::PayloadSchema;
use hookrelay::domain::webhook::Description;
use hookrelay::http::answers::{InvalidFields, InvalidFieldsNamed, InvalidParameter};
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::field::FieldError;
use hookrelay::http::page_size::{fit_key_page, page_description};
use hookrelay::http::query::Query;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::pipeline::contract;
use hookrelay::ports::store::StoreError;
use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::Object;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct EventTypeView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `name.type`: the path of this event type, and what webhooks subscribe to.
    pub event: String,
    pub description: Option<String>,
    /// An example payload (any JSON).
    pub example: Option<Value>,
    /// The JSON Schema (draft 2020-12) of its events' `payload`; null: none.
    pub schema: Option<Value>,
    /// Whether `POST /v1/events` refuses a payload that breaks `schema`.
    pub enforce: bool,
    /// Moves on with every change of `schema` (0: it never had one).
    pub schema_version: u32,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&EventType> for EventTypeView {
    fn from(t: &EventType) -> Self {
        Self {
            name: t.event.name.to_string(),
            kind: t.event.kind.to_string(),
            event: t.key(),
            description: t.description.as_ref().map(ToString::to_string),
            example: t
                .example
                .as_ref()
                .and_then(|e| serde_json::from_str(e.as_str()).ok()),
            schema: t.schema.as_ref().map(PayloadSchema::value),
            enforce: t.enforce,
            schema_version: t.schema_version,
            created_at: t.created_at.to_string(),
            updated_at: t.updated_at.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventTypeBody {
    pub event_type: EventTypeView,
}

impl From<&EventType> for EventTypeBody {
    fn from(event_type: &EventType) -> Self {
        Self {
            event_type: event_type.into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventTypeList {
    pub event_types: Vec<EventTypeView>,
    pub limit: u32,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventTypeDeleted {
    pub event: String,
    pub deleted: bool,
}

/// The fields `POST /v1/event-types` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct EventTypeRequest {
    /// 1–64 of `[A-Za-z0-9_-]`, e.g. `user`.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,64}$")]
    name: String,
    /// 1–64 of `[A-Za-z0-9_-]`, e.g. `created`.
    #[schema(rename = "type", pattern = "^[A-Za-z0-9_-]{1,64}$")]
    kind: String,
    /// At most 1000 characters.
    #[schema(max_length = 1000)]
    description: Option<String>,
    /// An example payload: any JSON, at most 16 KiB; it must keep to `schema`.
    example: Option<Value>,
    /// A JSON Schema (draft 2020-12) for the events' `payload`, at most 64
    /// KiB; references only within itself (nothing is fetched).
    schema: Option<Object>,
    /// Refuse (422, naming each JSON pointer) events whose payload breaks
    /// `schema`; default false; without a schema it enforces nothing until
    /// one is set. Applies within 60 s (warm functions keep what they read
    /// of it that long).
    enforce: Option<bool>,
}
pub const CREATE_FIELDS: &[&str] = &[
    "name",
    "type",
    "description",
    "example",
    "schema",
    "enforce",
];

/// The fields `PATCH /v1/event-types/{event}` accepts; null clears one.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct EventTypeChangeRequest {
    #[schema(max_length = 1000)]
    description: Option<String>,
    example: Option<Value>,
    /// A new schema moves `schema_version` on; null removes it.
    schema: Option<Object>,
    enforce: Option<bool>,
}
pub const CHANGE_FIELDS: &[&str] = &["description", "example", "schema", "enforce"];

hookrelay::error_answers! {
    NotInCatalogue = 404, "Not in this account's catalogue";
}

/// `{event}` in an event type's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // describes the path parameter for OpenAPI
pub struct EventPath {
    /// `name.type`
    event: String,
}

/// Page size of the catalogue: default and most.
const LIMIT: u32 = 100;

fn parse_changes(fields: &mut Fields) -> EventTypeChanges {
    EventTypeChanges {
        description: fields.nullable("description", |v| Description::parse(read::string(v)?)),
        example: fields.nullable("example", Example::from_value),
        schema: fields.nullable("schema", PayloadSchema::from_value),
        enforce: fields.optional("enforce", read::boolean),
    }
}

/// The fields an entry's rules refuse (`EventType::change`), as a 422.
fn refused(errors: Vec<(&'static str, String)>) -> ApiError {
    let errors = errors.into_iter().map(|(f, m)| FieldError::new(f, m));
    ApiError::Invalid(errors.collect())
}

/// A lost conditional write means something specific here: `instead`.
fn on_conflict(err: StoreError, instead: ApiError) -> ApiError {
    match err {
        StoreError::Conflict => instead,
        other => other.into(),
    }
}

fn event_kind(text: &str) -> Result<EventKind, ApiError> {
    EventKind::parse_dotted(text).ok_or(ApiError::NotFound("event type"))
}

async fn find(app: &App, account: AccountId, event: &str) -> Result<EventType, ApiError> {
    app.store
        .get_event_type(account, &event_kind(event)?)
        .await?
        .ok_or(ApiError::NotFound("event type"))
}

/// Add an event type to the catalogue
///
/// Documents an event (`name`.`type`) in the account's catalogue (the console's "Available
/// events"): a description, an example payload, and optionally a JSON Schema (2020-12) for
/// payloads that ingest enforces with `enforce`. Without `enforce` it is advisory:
/// subscriptions and events are not limited to the catalogue.
///
/// Needs a `full`-scope key. 409 when the catalogue has it, 422 names each invalid field (an
/// example that breaks the schema too).
#[utoipa::path(
    post, path = "/v1/event-types", operation_id = "createEventType", tag = "event types",
    request_body(content = EventTypeRequest, example = json!({
        "name": "order", "type": "paid", "description": "An order was paid in full.",
        "example": {"order_id": "A-1001", "total": 149.9, "currency": "EUR"},
        "schema": {"type": "object", "required": ["order_id", "total"], "properties": {
            "order_id": {"type": "string"}, "total": {"type": "number", "minimum": 0},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}},
        "enforce": true,
    })),
    responses(
        (status = 201, description = "Added to the catalogue", body = EventTypeBody),
        (status = 409, description = "The catalogue has this event type", body = ErrorBody),
        InvalidFieldsNamed,
    )
)]
pub async fn create(
    Scope(app, account): Scope,
    by: Actor,
    body: JsonObject,
) -> Answer<EventTypeBody> {
    let mut fields = Fields::new(body, CREATE_FIELDS);
    let name = fields.required("name", |v| EventPart::parse(read::string(v)?));
    let kind = fields.required("type", |v| EventPart::parse(read::string(v)?));
    let changes = parse_changes(&mut fields);
    let (name, kind) = fields.done(name.zip(kind))?;
    let kind = EventKind { name, kind };
    let event_type = EventType::new(account, kind, changes, app.clock.now()).map_err(refused)?;
    let act = Action::EventTypeCreated.by(&by);
    let changes = changes_between(None, Some(&event_type));
    let audit = app.audit(account, act, event_type.key(), changes);
    app.store
        .insert_event_type(&event_type, &audit)
        .await
        .map_err(|err| on_conflict(err, ApiError::Exists("event type")))?;
    contract::forget(&app, account, &event_type.event);
    Ok(Reply::created(EventTypeBody::from(&event_type)))
}

/// List event types
///
/// The account's catalogue in `name.type` order, one page at a time: pass `next_cursor` back as
/// `cursor`.
///
/// Any scope may call it. 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/event-types", operation_id = "listEventTypes", tag = "event types",
    params(
        ("limit" = Option<u32>, Query, description = "1–100, default 100", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page", pattern = "^[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9_-]{1,64}$"),
    ),
    responses(
        (status = 200, description = page_description("the catalogue, in `name.type` order"), body = EventTypeList),
        InvalidParameter,
    )
)]
pub async fn list(Scope(app, account): Scope, mut query: Query) -> Answer<EventTypeList> {
    let (limit, after) = query.key_page(LIMIT, |c| EventKind::parse_dotted(c).is_some());
    query.finish()?;
    let page = app
        .store
        .list_event_types(account, after.as_deref(), limit as usize)
        .await?;
    let (event_types, next_cursor) = fit_key_page(&page, |t| (EventTypeView::from(t), t.key()));
    Ok(Reply::ok(EventTypeList {
        event_types,
        limit,
        next_cursor,
    }))
}

/// Get an event type
///
/// One catalogue entry, with its `schema`, `enforce` and `schema_version`.
///
/// Any scope may call it. 404 when it is not in the catalogue.
#[utoipa::path(
    get, path = "/v1/event-types/{event}", operation_id = "getEventType", tag = "event types", params(EventPath),
    responses((status = 200, description = "The event type", body = EventTypeBody), NotInCatalogue)
)]
pub async fn get(Scope(app, account): Scope, Path(event): Path<String>) -> Answer<EventTypeBody> {
    let event_type = find(&app, account, &event).await?;
    Ok(Reply::ok(EventTypeBody::from(&event_type)))
}

/// Update an event type
///
/// Changes `description`, `example`, `schema` or `enforce`; a field left out keeps its value
/// and null clears it. A new schema moves `schema_version` on.
///
/// Needs a `full`-scope key. 404 when it is not in the catalogue, 422 names each invalid field.
#[utoipa::path(
    patch, path = "/v1/event-types/{event}", operation_id = "updateEventType", tag = "event types", params(EventPath),
    request_body(content = EventTypeChangeRequest, example = json!({
        "description": "An order was paid (card or transfer).", "enforce": false,
    })),
    responses(
        (status = 200, description = "The changed event type", body = EventTypeBody),
        NotInCatalogue, InvalidFields,
    )
)]
pub async fn update(
    Scope(app, account): Scope,
    Path(event): Path<String>,
    by: Actor,
    body: JsonObject,
) -> Answer<EventTypeBody> {
    event_kind(&event)?;
    let mut fields = Fields::new(body, CHANGE_FIELDS);
    let changes = parse_changes(&mut fields);
    fields.finish()?;
    let before = find(&app, account, &event).await?;
    let mut event_type = before.clone();
    event_type
        .change(changes, app.clock.now())
        .map_err(refused)?;
    let act = Action::EventTypeUpdated.by(&by);
    let changes = changes_between(Some(&before), Some(&event_type));
    let audit = app.audit(account, act, event_type.key(), changes);
    app.store
        .update_event_type(&event_type, &audit)
        .await
        .map_err(|err| on_conflict(err, ApiError::NotFound("event type")))?;
    contract::forget(&app, account, &event_type.event);
    Ok(Reply::ok(EventTypeBody::from(&event_type)))
}

/// Remove an event type
///
/// Removes it from the catalogue. Webhooks subscribed to it are unchanged, and events of its
/// name are still taken.
///
/// Needs a `full`-scope key. 404 when it is not in the catalogue.
#[utoipa::path(
    delete, path = "/v1/event-types/{event}", operation_id = "deleteEventType", tag = "event types", params(EventPath),
    responses(
        (status = 200, description = "Removed from the catalogue (webhooks subscribed to it are unchanged)", body = EventTypeDeleted),
        NotInCatalogue,
    )
)]
pub async fn delete(
    Scope(app, account): Scope,
    Path(event): Path<String>,
    by: Actor,
) -> Answer<EventTypeDeleted> {
    let before = find(&app, account, &event).await?;
    let kind = before.event.clone();
    let act = Action::EventTypeDeleted.by(&by);
    let audit = app.audit(
        account,
        act,
        before.key(),
        changes_between(Some(&before), None),
    );
    if !app.store.delete_event_type(account, &kind, &audit).await? {
        return Err(ApiError::NotFound("event type"));
    }
    contract::forget(&app, account, &kind);
    Ok(Reply::ok(EventTypeDeleted {
        event: kind.dotted(),
        deleted: true,
    }))
}
