//! `GET /v1/openapi.json`: the API described from the handlers' annotations.

mod filter;

use crate::{accounts, api_keys, console_links, event_types, filters, transforms, webhooks};
use axum::Json;
use hookrelay::domain::audit::Action;
use hookrelay::domain::branding::{AccentColor, Logo};
use hookrelay::domain::embed_origin::{self, MAX_EMBED_ORIGINS};
use hookrelay::domain::listing::Cursor;
use hookrelay::domain::poll::PollCursor;
use hookrelay::domain::retry::RetrySchedule;
use hookrelay::domain::transform::MAX_TEMPLATE_BYTES;
use hookrelay::domain::webhook::CustomHeaders;
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::http::error::ErrorBody;
use hookrelay::http::field::FieldError;
use serde_json::{json, Value};
use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer =
            || SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
        components.add_security_scheme("api_key", bearer());
        components.add_security_scheme(
            "api_key_basic",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
        // Local runner only; in AWS the route takes a SigV4-signed request.
        components.add_security_scheme(
            "admin_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The local runner's ADMIN_API_KEY. In AWS there is no admin key: \
                         POST /v1/accounts is authorised by API Gateway's IAM authoriser, \
                         so sign the request with AWS SigV4 (service `execute-api`) as a \
                         caller allowed execute-api:Invoke on that route; API Gateway \
                         itself answers 403 to an unsigned or refused request.",
                    ))
                    .build(),
            ),
        );
    }
}

/// What every operation shares, said once: a body that is not a JSON object
/// is 400; a credential the route is not for gets 403 (`http::auth::permit`);
/// request schemas take no other fields; and which bodies may be left out.
struct Contract;

/// Operations whose body may be left out (each field has a default).
const OPTIONAL_BODIES: &[&str] = &[
    "/v1/webhooks/{id}",
    "/v1/webhooks/{id}/secret/rotate",
    "/v1/console-links",
    "/v1/account",
];

/// Operations no account credential calls, so no scope applies.
const UNSCOPED: &[&str] = &["/v1/accounts", "/v1/openapi.json"];

const FORBIDDEN: &str = "The credential may not call this route: an API key whose scope does \
    not cover it (the message names the scope needed), a read-only console link beyond GET \
    (but GET /v1/webhooks/{id}/poll, which acknowledges) and POST /v1/filters/test and \
    POST /v1/transforms/preview, a console link on what only an API key manages (API keys, \
    console links, changing the account)";

impl Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let error = || {
            utoipa::openapi::ResponseBuilder::new().content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let writes = [&mut item.post, &mut item.patch, &mut item.delete];
            for operation in writes.into_iter().flatten() {
                if let Some(body) = operation.request_body.as_mut() {
                    let responses = &mut operation.responses.responses;
                    responses.entry("400".into()).or_insert_with(|| {
                        error()
                            .description("The body is not a JSON object")
                            .build()
                            .into()
                    });
                    if OPTIONAL_BODIES.contains(&path.as_str()) {
                        body.required = Some(utoipa::openapi::Required::False);
                    }
                }
            }
            if UNSCOPED.contains(&path.as_str()) {
                continue;
            }
            let every = [
                &mut item.get,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in every.into_iter().flatten() {
                operation
                    .responses
                    .responses
                    .entry("403".into())
                    .or_insert_with(|| error().description(FORBIDDEN).build().into());
            }
        }
        let schemas = &mut openapi
            .components
            .get_or_insert_with(Default::default)
            .schemas;
        for (name, schema) in schemas.iter_mut() {
            if let (true, RefOr::T(Schema::Object(object))) =
                (name.ends_with("Request") || name == "AdHocTarget", schema)
            {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hookrelay",
        description = "Webhook delivery service. Every answer is JSON in the envelope \
            `{\"success\": true, \"code\": 200, ...}`; the schemas below show the fields after \
            `success` and `code`. Authenticate with `Authorization: Bearer KEY` or HTTP Basic \
            with the key as user name and an empty password. A console link's token \
            (`POST /v1/console-links`) is presented the same way; a read-only one answers \
            403 to every method but GET (and `POST /v1/filters/test` and \
            `POST /v1/transforms/preview`, which change nothing; not \
            `GET /v1/webhooks/{id}/poll`, which acknowledges). An API key has a scope (`POST /v1/api-keys`): `full` calls every \
            route, `ingest` only `POST /v1/events` and `POST /v1/events/batch`, `read` \
            only GETs (but `GET /v1/webhooks/{id}/poll`, which needs `full`), \
            `POST /v1/filters/test` and `POST /v1/transforms/preview`; \
            any other route answers 403 naming the scope it needs."
    ),
    paths(
        accounts::create,
        accounts::current,
        accounts::update,
        api_keys::create,
        api_keys::list,
        api_keys::revoke,
        console_links::create,
        console_links::list,
        console_links::revoke,
        event_types::create,
        event_types::list,
        event_types::get,
        event_types::update,
        event_types::delete,
        webhooks::create,
        webhooks::list,
        webhooks::get,
        webhooks::update,
        webhooks::delete,
        webhooks::rotate_secret,
        webhooks::send_test,
        filters::test,
        transforms::preview,
        hookrelay_ingest::events::create,
        hookrelay_ingest::batch::create,
        hookrelay_query::deliveries::list,
        hookrelay_query::deliveries::get,
        hookrelay_query::deliveries::retry,
        hookrelay_query::deliveries::list_for_webhook,
        hookrelay_query::deliveries::recover,
        hookrelay_query::replay::replay,
        hookrelay_query::poll::poll,
        hookrelay_query::stats::account,
        hookrelay_query::stats::webhook,
        hookrelay_query::audit::list,
        document,
    ),
    components(schemas(ErrorBody, FieldError)),
    tags(
        (name = "webhooks", description = "Endpoints that receive events: create, change, switch on and off, rotate their signing secrets, send a test event; try a payload filter or a body shape before saving it."),
        (name = "events", description = "Send events, one or a batch: hookrelay fans each out to the subscribed webhooks, signs and delivers it, and retries failures."),
        (name = "deliveries", description = "The delivery log: one delivery per event and webhook, with its attempts. Retry one; recover or replay a webhook's."),
        (name = "event types", description = "The account's catalogue of the events it sends, with example payloads and optional JSON Schemas that ingest enforces."),
        (name = "stats", description = "Delivery stats per hour or day, account-wide or for one webhook."),
        (name = "audit", description = "Who changed what, and when."),
        (name = "API keys", description = "The account's API keys and their scopes (`full`, `ingest`, `read`)."),
        (name = "console links", description = "Links that open the web console for an account without a key."),
        (name = "accounts", description = "Accounts (the operator creates them) and the account a credential opens."),
        (name = "meta", description = "This document."),
    ),
    servers(
        (url = "http://127.0.0.1:3000", description = "The local runner (`cargo run --bin hookrelay-local`) at its default address; `HOOKRELAY_ADDR` moves it."),
        (url = "https://{api_id}.execute-api.{region}.amazonaws.com", description = "A deployment in AWS: the API Gateway HTTP API's default endpoint (the stack's `ApiUrl` output).",
            variables(
                ("api_id" = (default = "abcdef1234", description = "The HTTP API's id")),
                ("region" = (default = "us-east-1", description = "The AWS region the stack is in")),
            )),
    ),
    modifiers(&Security, &Contract),
    security(("api_key" = []), ("api_key_basic" = [])),
)]
pub struct ApiDoc;

/// Get this OpenAPI document
///
/// The API as OpenAPI 3.1: every route, each field's bounds and patterns as the server checks
/// them, and every status it answers. The SDKs in `sdks/` are generated from it.
///
/// No credential needed.
#[utoipa::path(
    get, path = "/v1/openapi.json", operation_id = "getOpenApiDocument", tag = "meta", security(),
    responses((status = 200, description = "This OpenAPI document"))
)]
pub async fn document() -> Json<Value> {
    Json(refined())
}

/// Rules of request fields the annotations cannot state, by schema pointer.
fn field_rules() -> Vec<(String, Value)> {
    let not_null = || json!({"not": {"type": "null"}});
    let origin = json!({"pattern": embed_origin::PATTERN, "maxLength": embed_origin::MAX_LEN});
    let rules = [
        (
            "RotateRequest/properties/secret",
            json!({"pattern": SECRET_PATTERN}),
        ),
        (
            "AdHocTarget/properties/url",
            json!({"pattern": URL_PATTERN}),
        ),
        ("EventRequest/properties/payload", not_null()),
        ("FilterTestRequest/properties/payload", not_null()),
        (
            "ConsoleLinkRequest/properties/embed_origins",
            json!({"maxItems": MAX_EMBED_ORIGINS}),
        ),
        ("ConsoleLinkRequest/properties/embed_origins/items", origin),
        (
            "BrandingRequest/properties/accent_color",
            json!({"pattern": AccentColor::PATTERN}),
        ),
        (
            "BrandingRequest/properties/logo",
            json!({"pattern": Logo::PATTERN, "maxLength": Logo::MAX_LEN}),
        ),
        (
            "ReplayRequest/properties/event",
            json!({"pattern": EVENT_FILTER_PATTERN}),
        ),
        (
            "ReplayRequest/properties/status",
            json!({"pattern": FINAL_STATUS_LIST_PATTERN}),
        ),
        ("WebhookRequest", delivery_rule()),
        (
            "WebhookView/properties/delivery",
            json!({"enum": ["push", "poll"]}),
        ),
    ];
    let mut rules: Vec<(String, Value)> = rules.map(|(at, rule)| (at.to_owned(), rule)).into();
    for webhook in ["WebhookRequest", "WebhookChangeRequest"] {
        rules.extend(webhook_field_rules(webhook));
    }
    rules
}

/// The rules of the fields a webhook's create and change requests share.
fn webhook_field_rules(webhook: &str) -> impl Iterator<Item = (String, Value)> + '_ {
    let headers = json!({
        "maxProperties": CustomHeaders::MAX,
        "propertyNames": {"pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},
        "additionalProperties": {"type": "string", "pattern": "^[\\t -~]{0,4096}$"},
    });
    let retry_wait = json!({"minimum": 1, "maximum": RetrySchedule::MAX_WAIT_SECONDS});
    let fields = [
        (
            "delivery",
            json!({"type": ["string", "null"], "enum": ["push", "poll", null]}),
        ),
        ("secret", json!({"pattern": SECRET_PATTERN})),
        (
            "url",
            json!({"pattern": URL_PATTERN, "maxLength": WebhookUrl::MAX_LEN}),
        ),
        ("events/items", json!({"pattern": EVENT_PATTERN})),
        ("retry_schedule/items", retry_wait),
        ("headers", headers),
    ];
    fields
        .into_iter()
        .map(move |(field, rule)| (format!("{webhook}/properties/{field}"), rule))
}

/// The document with what the annotations cannot say: patterns several
/// schemas share, nested items, and query parameters by name. Each rule is
/// what the server's parser enforces (schemathesis checks they agree).
pub fn refined() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    // A key's name and a display name are `Name`s, as a webhook's is: the same rule.
    let name = doc.pointer("/components/schemas/WebhookRequest/properties/name/pattern");
    let mut schemas: Vec<(String, Value)> = [
        "ApiKeyRequest/properties/name",
        "BrandingRequest/properties/display_name",
    ]
    .map(|pointer| {
        (
            pointer.to_owned(),
            json!({"pattern": name.cloned(), "maxLength": 100}),
        )
    })
    .into();
    filter_schemas(&mut doc);
    transform_schemas(&mut doc);
    derive_change_request(&mut doc);
    schemas.extend(field_rules());
    for (pointer, rules) in schemas {
        if let Some(Value::Object(schema)) =
            doc.pointer_mut(&format!("/components/schemas/{pointer}"))
        {
            schema.extend(rules.as_object().cloned().unwrap_or_default());
        }
    }
    poll_cursor(&mut doc);
    parameter_patterns(&mut doc);
    audit_actions(&mut doc);
    batch_events(&mut doc);
    doc
}

/// A batch's event is `EventRequest` with an optional `idempotency_key`
/// (`BatchEvent`). The batch takes any value as one, and refuses a bad one
/// in its own result (the batch is still 200), so its items are `BatchEvent`
/// or anything.
fn batch_events(doc: &mut Value) {
    let Some(mut event) = doc.pointer("/components/schemas/EventRequest").cloned() else {
        return;
    };
    event["properties"]["idempotency_key"] = json!({
        "type": "string",
        "pattern": IDEMPOTENCY_KEY_PATTERN,
        "description": "As the Idempotency-Key header of `POST /v1/events` (the same keys): \
            the same key and event text within 24 h answer the first result again and \
            record nothing new; the same key with another event is a 409 for this event",
    });
    event["description"] = json!(
        "One event of `POST /v1/events/batch`: the fields \
        `POST /v1/events` accepts, and its own optional `idempotency_key`."
    );
    doc["components"]["schemas"]["BatchEvent"] = event;
    let items = "/components/schemas/BatchRequest/properties/events/items";
    if let Some(schema) = doc.pointer_mut(items) {
        *schema = json!({"anyOf": [{"$ref": "#/components/schemas/BatchEvent"}, {}]});
    }
}

/// The filter's schemas (`filter::components`), and the fields that take
/// one (a webhook's before PATCH's request is derived from it).
fn filter_schemas(doc: &mut Value) {
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        schemas.extend(filter::components());
    }
    let fields = [
        ("WebhookRequest/properties/filter", true),
        ("FilterTestRequest/properties/filter", false),
    ];
    for (pointer, nullable) in fields {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{pointer}")) {
            *schema = filter::field(nullable, schema["description"].take());
        }
    }
    for event in ["FilterTestRequest", "TransformPreviewRequest"] {
        let pointer = format!("/components/schemas/{event}/properties/event");
        if let Some(schema) = doc.pointer_mut(&pointer) {
            *schema = filter::event_field(schema["description"].take());
        }
    }
}

/// A `transform`: `"default"`, `"settings"` or `{"template"}` (null where
/// `nullable`: a PATCH going back to the default).
fn transform_schemas(doc: &mut Value) {
    let template = json!({"type": "string", "maxLength": MAX_TEMPLATE_BYTES});
    let fields = [
        ("WebhookRequest", true),
        ("WebhookView", false),
        ("TransformPreviewRequest", false),
    ];
    for (schema, nullable) in fields {
        let pointer = format!("/components/schemas/{schema}/properties/transform");
        let Some(field) = doc.pointer_mut(&pointer) else {
            continue;
        };
        let mut shapes = vec![
            json!({"type": "string", "enum": ["default", "settings"]}),
            json!({"type": "object", "required": ["template"], "additionalProperties": false,
                   "properties": {"template": template}}),
        ];
        if nullable {
            shapes.push(json!({"type": "null"}));
        }
        *field = json!({"description": field["description"].take(), "anyOf": shapes});
    }
}

/// A poll's cursor takes the pattern its parser checks (`PollCursor`), as
/// the parameter and as the answer's `next_cursor`.
fn poll_cursor(doc: &mut Value) {
    let pattern = json!(PollCursor::pattern());
    let parameters = "/paths/~1v1~1webhooks~1{id}~1poll/get/parameters";
    if let Some(Value::Array(params)) = doc.pointer_mut(parameters) {
        for param in params.iter_mut().filter(|p| p["name"] == "cursor") {
            param["schema"]["pattern"] = pattern.clone();
        }
    }
    if let Some(next) = doc.pointer_mut("/components/schemas/PollPage/properties/next_cursor") {
        next["pattern"] = pattern;
    }
}

/// The audit log's `action` filter takes the actions there are.
fn audit_actions(doc: &mut Value) {
    let actions: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    let Some(Value::Array(params)) = doc.pointer_mut("/paths/~1v1~1audit/get/parameters") else {
        return;
    };
    for param in params.iter_mut().filter(|p| p["name"] == "action") {
        param["schema"] = json!({"type": "string", "enum": actions});
    }
}

/// Query and header parameters, by name, get the pattern their parser checks.
fn parameter_patterns(doc: &mut Value) {
    let cursor = Cursor::pattern();
    let parameters: [(&str, &str); 6] = [
        ("cursor", &cursor),
        ("status", STATUS_LIST_PATTERN),
        ("event", EVENT_FILTER_PATTERN),
        ("event_id", ID_PATTERN),
        ("webhook_id", ID_PATTERN),
        ("Idempotency-Key", IDEMPOTENCY_KEY_PATTERN),
    ];
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let operations = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut());
    for operation in operations {
        let Some(Value::Array(params)) = operation.get_mut("parameters") else {
            continue;
        };
        for param in params {
            let name = param["name"].as_str().unwrap_or_default().to_owned();
            let schema = &mut param["schema"];
            if let Some((_, pattern)) = parameters.iter().find(|(n, _)| *n == name) {
                // A list in key order documents its own cursor pattern.
                if schema.get("pattern").is_none() {
                    schema["pattern"] = json!(pattern);
                }
            }
        }
    }
}

/// A webhook's `delivery` decides what else a create takes: `url` for a push
/// webhook (the default); for a poll webhook no `url`, `rate_limit` or
/// `retry_schedule` (null counts as not given). PATCH's request, derived
/// before it is added, has no such rule: the stored webhook's `delivery`
/// decides it there.
fn delivery_rule() -> Value {
    let not_given = json!({"type": "null"});
    json!({
        "if": {"properties": {"delivery": {"const": "poll"}}, "required": ["delivery"]},
        "then": {"properties": {
            "url": not_given, "rate_limit": not_given, "retry_schedule": not_given,
        }},
        "else": {"required": ["url"], "properties": {"url": {"type": "string"}}},
    })
}

/// PATCH takes any of the create fields: `WebhookChangeRequest` is
/// `WebhookRequest` with none required (nor non-null), and the PATCH body
/// refers to it.
fn derive_change_request(doc: &mut Value) {
    let Some(mut change) = doc.pointer("/components/schemas/WebhookRequest").cloned() else {
        return;
    };
    if let Some(schema) = change.as_object_mut() {
        // null means "not given" for these, as for every optional field.
        let required = schema.remove("required").unwrap_or_default();
        for name in required
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Some(kind) = schema["properties"][name].get_mut("type") {
                *kind = json!([kind.take(), "null"]);
            }
        }
        schema.insert(
            "description".into(),
            json!("The fields `PATCH /v1/webhooks/{id}` accepts: any of the create fields, and `replay_failed`."),
        );
        change_only_fields(schema);
    }
    doc["components"]["schemas"]["WebhookChangeRequest"] = change;
    let body = "/paths/~1v1~1webhooks~1{id}/patch/requestBody/content/application~1json/schema";
    if let Some(schema) = doc.pointer_mut(body) {
        *schema = json!({"$ref": "#/components/schemas/WebhookChangeRequest"});
    }
}

/// PATCH's `replay_failed` (`webhooks::CHANGE_ONLY_FIELDS`), which only
/// goes with `"enabled": true`.
fn change_only_fields(schema: &mut serde_json::Map<String, Value>) {
    schema["properties"]["replay_failed"] = json!({
        "type": ["boolean", "null"],
        "description": "With `\"enabled\": true` on a webhook that is off: switch it on and send \
            again, as new attempts, its deliveries that failed after it was switched off \
            (`disabled_at`); the answer's `replay` says how many. Not stored. True without \
            `\"enabled\": true` is a 422 naming it.",
    });
    schema.insert(
        "if".into(),
        json!({"properties": {"replay_failed": {"const": true}}, "required": ["replay_failed"]}),
    );
    schema.insert(
        "then".into(),
        json!({"properties": {"enabled": {"const": true}}, "required": ["enabled"]}),
    );
}

/// What `WebhookUrl::parse` takes apart from the host: http(s), an
/// authority, no spaces, control characters, backslashes or #fragment. The
/// host must parse and, where the deployment says so, resolve to a public
/// address (422 otherwise), which no pattern can say.
const URL_PATTERN: &str =
    r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f\x7f-\x9f\\#/?]+([/?][^\s\x00-\x1f\x7f-\x9f\\#]*)?$";
/// What `Secret::parse` accepts: `whsec_` and the base64 of 24–64 bytes,
/// padded or not.
const SECRET_PATTERN: &str = "^whsec_(?:(?:[A-Za-z0-9+/]{4}){8,21}|(?:[A-Za-z0-9+/]{4}){8,20}[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=?|(?:[A-Za-z0-9+/]{4}){8,21}[A-Za-z0-9+/][AQgw](?:==)?)$";
/// `EventPattern::parse`: `*`, `name.*` or `name.type`.
const EVENT_PATTERN: &str = "^(\\*|[A-Za-z0-9_-]{1,64}\\.(\\*|[A-Za-z0-9_-]{1,64}))$";
const EVENT_FILTER_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64})?$";
const STATUS_LIST_PATTERN: &str = "^(created|scheduled|dispatched|delivered|failed)(,(created|scheduled|dispatched|delivered|failed))*$";
/// What a replay's `status` takes: final statuses only.
const FINAL_STATUS_LIST_PATTERN: &str = "^(delivered|failed)(,(delivered|failed))*$";
const ID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
/// 1–255 visible characters once surrounding blanks are trimmed.
const IDEMPOTENCY_KEY_PATTERN: &str = "^[\\t ]*[!-~]([\\t -~]{0,253}[!-~])?[\\t ]*$";

#[cfg(test)]
mod tests {
    use super::*;
    use hookrelay::domain::filter::MAX_DEPTH;

    /// The property names of schema `name` in `doc`.
    fn properties(doc: &Value, name: &str) -> Vec<String> {
        let properties = doc["components"]["schemas"][name]["properties"].as_object();
        let properties = properties.unwrap_or_else(|| panic!("no object schema {name}"));
        properties.keys().cloned().collect()
    }

    /// The documented request bodies list exactly the fields the handlers accept.
    #[test]
    fn request_schemas_match_the_accepted_fields() {
        use hookrelay_ingest::{batch, events};
        use hookrelay_query::{deliveries, replay};
        let accepted_with_key = [events::EVENT_FIELDS, &[events::KEY_FIELD]].concat();
        let pairs: [(&str, &[&str]); 16] = [
            ("WebhookRequest", webhooks::WEBHOOK_FIELDS),
            ("RotateRequest", webhooks::ROTATE_FIELDS),
            ("CreateAccountRequest", accounts::CREATE_FIELDS),
            ("RecoverRequest", deliveries::RECOVER_FIELDS),
            ("ReplayRequest", replay::REPLAY_FIELDS),
            ("ConsoleLinkRequest", console_links::CREATE_FIELDS),
            ("ApiKeyRequest", api_keys::CREATE_FIELDS),
            ("AccountChangeRequest", accounts::CHANGE_FIELDS),
            ("BrandingRequest", crate::branding::FIELDS),
            ("EventTypeRequest", event_types::CREATE_FIELDS),
            ("EventTypeChangeRequest", event_types::CHANGE_FIELDS),
            ("FilterTestRequest", filters::TEST_FIELDS),
            ("TransformPreviewRequest", transforms::PREVIEW_FIELDS),
            ("EventRequest", events::EVENT_FIELDS),
            ("BatchRequest", batch::BATCH_FIELDS),
            ("BatchEvent", &accepted_with_key),
        ];
        let doc = refined();
        for (schema, fields) in pairs {
            let mut documented = properties(&doc, schema);
            documented.sort();
            let mut accepted: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
            accepted.sort();
            assert_eq!(documented, accepted, "{schema}");
        }
    }

    #[test]
    fn patch_takes_the_create_fields_none_required() {
        let doc = refined();
        let change = &doc["components"]["schemas"]["WebhookChangeRequest"];
        let create = &doc["components"]["schemas"]["WebhookRequest"]["properties"];
        assert_eq!(
            change["properties"]["url"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(
            change["properties"]["url"]["pattern"],
            create["url"]["pattern"]
        );
        assert_eq!(change["properties"]["secret"], create["secret"]);
        assert!(change.get("required").is_none());
        let mut documented: Vec<&String> =
            change["properties"].as_object().unwrap().keys().collect();
        documented.sort();
        let mut accepted: Vec<&str> =
            [webhooks::WEBHOOK_FIELDS, webhooks::CHANGE_ONLY_FIELDS].concat();
        accepted.sort();
        assert_eq!(documented, accepted);
        let body = &doc["paths"]["/v1/webhooks/{id}"]["patch"]["requestBody"];
        assert_eq!(
            body["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/WebhookChangeRequest"
        );
        assert_eq!(body["required"], false);
    }

    /// Every `$ref` of the document, the filter's levels included, names a schema it has.
    #[test]
    fn every_reference_names_a_schema() {
        fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
            match value {
                Value::Object(map) => {
                    found.extend(map.get("$ref").and_then(Value::as_str));
                    map.values().for_each(|v| refs(v, found));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
                _ => {}
            }
        }
        let doc = refined();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        for reference in found {
            let pointer = reference.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "{reference}");
        }
        let deepest = format!("/components/schemas/FilterFields{MAX_DEPTH}/additionalProperties");
        assert_eq!(
            doc.pointer(&deepest),
            Some(&json!({"$ref": "#/components/schemas/FilterLeaf"}))
        );
    }

    #[test]
    fn every_route_is_documented() {
        let doc = ApiDoc::openapi();
        for path in [
            "/v1/accounts",
            "/v1/account",
            "/v1/api-keys",
            "/v1/api-keys/{id}",
            "/v1/console-links",
            "/v1/console-links/{id}",
            "/v1/event-types",
            "/v1/event-types/{event}",
            "/v1/webhooks",
            "/v1/webhooks/{id}",
            "/v1/webhooks/{id}/secret/rotate",
            "/v1/webhooks/{id}/test",
            "/v1/filters/test",
            "/v1/transforms/preview",
            "/v1/events",
            "/v1/events/batch",
            "/v1/deliveries",
            "/v1/deliveries/{id}",
            "/v1/deliveries/{id}/retry",
            "/v1/webhooks/{id}/deliveries",
            "/v1/webhooks/{id}/recover",
            "/v1/webhooks/{id}/replay",
            "/v1/webhooks/{id}/poll",
            "/v1/stats",
            "/v1/webhooks/{id}/stats",
            "/v1/audit",
            "/v1/openapi.json",
        ] {
            assert!(doc.paths.paths.contains_key(path), "{path}");
        }
    }

    /// Each operation of the refined document: method, path and the operation.
    fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
        let mut found = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("a path item") {
                found.push((method.to_uppercase(), path.clone(), operation));
            }
        }
        found
    }

    /// What generators need of each operation: a unique camelCase
    /// operationId, a one-line summary and a description.
    #[test]
    fn every_operation_has_a_unique_id_a_summary_and_a_description() {
        let doc = refined();
        let mut ids = std::collections::BTreeSet::new();
        for (method, path, operation) in operations(&doc) {
            let id = operation["operationId"].as_str().unwrap_or_default();
            let camel = id.starts_with(|c: char| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric());
            assert!(
                camel,
                "{method} {path}: operationId {id:?} is not camelCase"
            );
            assert!(
                ids.insert(id),
                "{method} {path}: operationId {id} is used twice"
            );
            let summary = operation["summary"].as_str().unwrap_or_default();
            assert!(!summary.is_empty(), "{method} {path} has no summary");
            assert!(
                !summary.contains('\n'),
                "{method} {path}: summary of one line"
            );
            let description = operation["description"].as_str().unwrap_or_default();
            assert!(
                !description.is_empty(),
                "{method} {path} has no description"
            );
        }
    }

    /// Renaming an operationId renames the SDKs' functions: these stay.
    #[test]
    fn operation_ids_are_stable() {
        let doc = refined();
        let pinned = "
            POST /v1/webhooks createWebhook
            GET /v1/webhooks listWebhooks
            GET /v1/webhooks/{id} getWebhook
            PATCH /v1/webhooks/{id} updateWebhook
            DELETE /v1/webhooks/{id} deleteWebhook
            POST /v1/webhooks/{id}/secret/rotate rotateWebhookSecret
            POST /v1/webhooks/{id}/test sendTestEvent
            POST /v1/events createEvent
            POST /v1/events/batch createEventBatch
            GET /v1/deliveries listDeliveries
            GET /v1/deliveries/{id} getDelivery
            POST /v1/deliveries/{id}/retry retryDelivery
            GET /v1/webhooks/{id}/deliveries listWebhookDeliveries
            POST /v1/webhooks/{id}/recover recoverWebhook
            POST /v1/webhooks/{id}/replay replayWebhook
            GET /v1/stats getAccountStats
            GET /v1/audit listAuditRecords
            POST /v1/event-types createEventType
            POST /v1/api-keys createApiKey
            POST /v1/console-links createConsoleLink
            POST /v1/accounts createAccount";
        let ids: Vec<(String, String, &str)> = operations(&doc)
            .into_iter()
            .map(|(m, p, op)| (m, p, op["operationId"].as_str().unwrap_or_default()))
            .collect();
        for line in pinned.trim().lines() {
            let [method, path, id] = line.split_whitespace().collect::<Vec<_>>()[..] else {
                panic!("{line}: not METHOD PATH ID");
            };
            let found = ids.iter().find(|(m, p, _)| m == method && p == path);
            assert_eq!(found.map(|(_, _, id)| *id), Some(id), "{method} {path}");
        }
    }

    /// Every tag an operation uses is declared, with a description, and
    /// every declared tag is used; the document names its servers.
    #[test]
    fn tags_are_declared_and_servers_named() {
        let doc = refined();
        let declared: std::collections::BTreeSet<&str> = doc["tags"]
            .as_array()
            .expect("declared tags")
            .iter()
            .map(|tag| {
                let name = tag["name"].as_str().expect("a tag's name");
                assert!(tag["description"].as_str().is_some(), "tag {name}");
                name
            })
            .collect();
        let mut used = std::collections::BTreeSet::new();
        for (method, path, operation) in operations(&doc) {
            let tags = operation["tags"].as_array().expect("tags");
            assert!(!tags.is_empty(), "{method} {path} has no tag");
            used.extend(tags.iter().filter_map(Value::as_str));
        }
        assert_eq!(used, declared);
        let servers = doc["servers"].as_array().expect("servers");
        assert!(!servers.is_empty());
        for server in servers {
            assert!(server["url"].as_str().is_some(), "{server}");
            assert!(server["description"].as_str().is_some(), "{server}");
        }
    }

    /// Every request body has an example, and the example keeps to the
    /// body's schema (schemathesis sends it to the server too).
    #[test]
    fn every_request_body_has_an_example_that_fits_its_schema() {
        let doc = refined();
        for (method, path, operation) in operations(&doc) {
            let Some(body) = operation.get("requestBody") else {
                continue;
            };
            let media = &body["content"]["application/json"];
            let example = media.get("example").unwrap_or_else(|| {
                panic!("{method} {path}: the request body has no example");
            });
            // The whole document as the root, so `#/components/...` resolves.
            let mut root = doc.clone();
            root["components"]["schemas"]["__body"] = media["schema"].clone();
            root["$ref"] = json!("#/components/schemas/__body");
            let validator = jsonschema::draft202012::new(&root).expect("a schema");
            let errors: Vec<String> = validator
                .iter_errors(example)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{method} {path}: {errors:?}");
        }
    }
}
