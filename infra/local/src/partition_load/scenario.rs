//! The workload, driven over the HTTP API as producers and consoles would:
//! three accounts (A sends to one webhook, B to 100, each with a payload
//! filter that its events match and a template shaping its body, C to six
//! (one shaped as `settings`) with failing, flaky,
//! rate-limited and recovered endpoints, and a seventh whose filter matches
//! none of them and which so gets nothing), delayed events (an SQS
//! delay, and Scheduler waits over 900 s), list reads at a modest rate, a
//! recover and a delete; the clock moves on only when the queue has drained.
//! Producers send in waves while the event source is held, so the delivery
//! function takes the queue in full batches, as it would at scale.

use super::functions::Functions;
use super::receiver::Endpoints;
use futures::stream::{self, StreamExt, TryStreamExt};
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::clock::Clock;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

pub const ADMIN_KEY: &str = "partition-load-admin-key-0123456789";
/// How many webhooks account B's events fan out to.
pub const WIDE_FANOUT: usize = 100;
/// How long the queue may take to drain after a step.
const DRAIN_LIMIT: Duration = Duration::from_secs(300);
/// Requests the producers keep in flight.
const IN_FLIGHT: usize = 4;
/// Rounds of traffic sent in one wave.
const WAVE: usize = 8;

/// How big a workload is: scale 1 makes about 500 deliveries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub scale: usize,
}

impl Size {
    pub const QUICK: Size = Size { scale: 1 };
    pub const FULL: Size = Size { scale: 4 };
}

pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base.to_owned(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: Option<&Value>,
        idempotency: Option<&str>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let mut request = self.http.request(method.clone(), url).bearer_auth(key);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        if let Some(idempotency) = idempotency {
            request = request.header("idempotency-key", idempotency);
        }
        let failed = |e: reqwest::Error| format!("{method} {path}: {e}");
        let response = request.send().await.map_err(failed)?;
        let status = response.status();
        let answer: Value = response.json().await.map_err(failed)?;
        if status.is_success() {
            Ok(answer)
        } else {
            Err(format!("{method} {path}: {status} {answer}"))
        }
    }

    async fn get(&self, path: &str, key: &str) -> Result<Value, String> {
        self.send(Method::GET, path, key, None, None).await
    }

    async fn post(&self, path: &str, key: &str, body: Value) -> Result<Value, String> {
        self.send(Method::POST, path, key, Some(&body), None).await
    }
}

/// An account of the workload, and its webhooks (name, id).
pub struct Tenant {
    pub label: &'static str,
    pub id: String,
    key: String,
    pub webhooks: Vec<(String, String)>,
}

impl Tenant {
    async fn create(api: &Api, label: &'static str) -> Result<Self, String> {
        let answer = api
            .post("/v1/accounts", ADMIN_KEY, json!({ "name": label }))
            .await?;
        let field = |name: &str| answer["account"][name].as_str().map(str::to_owned);
        Ok(Self {
            label,
            id: field("id").ok_or("an account without an id")?,
            key: field("api_key").ok_or("an account without a key")?,
            webhooks: Vec::new(),
        })
    }

    /// Creates a webhook; its name and id.
    async fn webhook(
        &self,
        api: &Api,
        name: &str,
        body: Value,
    ) -> Result<(String, String), String> {
        let answer = api.post("/v1/webhooks", &self.key, body).await?;
        let id = answer["webhook"]["id"]
            .as_str()
            .ok_or("a webhook without an id")?;
        Ok((name.to_owned(), id.to_owned()))
    }

    fn id_of(&self, name: &str) -> Result<&str, String> {
        let found = self.webhooks.iter().find(|(n, _)| n == name);
        found
            .map(|(_, id)| id.as_str())
            .ok_or_else(|| format!("{} has no webhook {name}", self.label))
    }
}

/// The accounts: A (fan-out 1), B (fan-out 100), C (mixed endpoints).
pub struct Cast {
    pub single: Tenant,
    pub wide: Tenant,
    pub mixed: Tenant,
}

impl Cast {
    pub fn tenants(&self) -> [&Tenant; 3] {
        [&self.single, &self.wide, &self.mixed]
    }

    /// Account and webhook ids by label (`A`, `C/dead`, `B/17`).
    pub fn labels(&self) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::new();
        for tenant in self.tenants() {
            labels.insert(tenant.id.clone(), tenant.label.to_owned());
            for (name, id) in &tenant.webhooks {
                labels.insert(id.clone(), format!("{}/{name}", tenant.label));
            }
        }
        labels
    }
}

/// B's webhooks' body: a message, as a chat integration would take it.
const SHAPE: &str = r#"{"text": "Order {{ payload.n }} paid: {{ payload.total }}",
 "order": {{ payload.n }}, "event": {{ event.name }}, "trace": {{ event.traceId }}}"#;

fn hook(url: String, events: &[&str]) -> Value {
    json!({ "name": "partition load", "url": url, "events": events })
}

/// The accounts and their webhooks (the set-up, not counted).
pub async fn cast(api: &Api, endpoints: &Endpoints) -> Result<Cast, String> {
    let mut single = Tenant::create(api, "A").await?;
    let ok = hook(endpoints.url("ok"), &["order.*"]);
    single
        .webhooks
        .push(single.webhook(api, "ok", ok.clone()).await?);
    let mut wide = Tenant::create(api, "B").await?;
    let names: Vec<String> = (1..=WIDE_FANOUT).map(|i| i.to_string()).collect();
    // Every fan-out weighs each filter; each stored webhook carries one.
    let mut matching = ok.clone();
    matching["filter"] = json!({"event": {"type": ["paid"]},
        "payload": {"n": [{"numeric": [">=", 0]}], "total": [{"anything-but": "0.00"}]}});
    // ... and each delivery is shaped by a template (rendered at fan-out and
    // again by the sender, and kept on the delivery for the log).
    matching["transform"] = json!({"template": SHAPE});
    let created: Vec<(String, String)> = stream::iter(&names)
        .map(|name| wide.webhook(api, name, matching.clone()))
        .buffered(IN_FLIGHT)
        .try_collect()
        .await?;
    wide.webhooks = created;
    let mut mixed = Tenant::create(api, "C").await?;
    let mut limited = hook(endpoints.url("ok"), &["order.*"]);
    limited["rate_limit"] = json!(10);
    let mut filtered = hook(endpoints.url("ok"), &["order.*", "invoice.*"]);
    filtered["filter"] = json!({"payload": {"n": [{"numeric": ["<", 0]}]}});
    let mut settings = hook(endpoints.url("ok"), &["order.*", "invoice.*"]);
    settings["transform"] = json!("settings");
    let bodies = [
        ("ok", settings),
        ("flaky", hook(endpoints.url("flaky"), &["order.*"])),
        ("dead", hook(endpoints.url("dead"), &["order.*"])),
        ("outage", hook(endpoints.url("outage"), &["order.*"])),
        ("limited", limited),
        ("filtered", filtered),
        ("doomed", ok),
    ];
    for (name, body) in bodies {
        mixed.webhooks.push(mixed.webhook(api, name, body).await?);
    }
    Ok(Cast {
        single,
        wide,
        mixed,
    })
}

/// One producer or console request.
struct Request<'a> {
    tenant: &'a Tenant,
    path: String,
    body: Option<Value>,
    idempotency: Option<String>,
}

/// Whether the `count` occurrences spread evenly over `rounds` fall in round `i`.
fn falls_in(i: usize, count: usize, rounds: usize) -> bool {
    i * count / rounds != (i + 1) * count / rounds
}

fn event<'a>(
    tenant: &'a Tenant,
    name: &str,
    kind: &str,
    n: usize,
    delay: Option<u32>,
) -> Request<'a> {
    let mut body = json!({"name": name, "type": kind, "payload": {"n": n, "total": "19.99"}});
    if let Some(delay) = delay {
        body["delay"] = json!(delay);
    }
    Request {
        tenant,
        path: "/v1/events".into(),
        body: Some(body),
        idempotency: None,
    }
}

/// The list reads a console makes now and then, in turn.
fn list(cast: &Cast, turn: usize) -> Result<Request<'_>, String> {
    let dead = cast.mixed.id_of("dead")?;
    let (tenant, path) = match turn % 6 {
        0 => (&cast.single, "/v1/deliveries?limit=50".to_owned()),
        1 => (&cast.wide, "/v1/deliveries?limit=50".to_owned()),
        2 => (&cast.wide, "/v1/webhooks?limit=100".to_owned()),
        3 => (
            &cast.mixed,
            format!("/v1/webhooks/{dead}/deliveries?limit=50"),
        ),
        4 => (
            &cast.mixed,
            "/v1/deliveries?status=failed&limit=50".to_owned(),
        ),
        _ => (
            &cast.mixed,
            "/v1/webhooks?sort=updated_at&limit=50".to_owned(),
        ),
    };
    Ok(Request {
        tenant,
        path,
        body: None,
        idempotency: None,
    })
}

/// Every request of the traffic, in waves, in the order producers send them.
fn traffic(cast: &Cast, size: Size) -> Result<Vec<Vec<Request<'_>>>, String> {
    let scale = size.scale;
    let rounds = 40 * scale;
    let mut waves = Vec::new();
    for i in 0..rounds {
        if i % WAVE == 0 {
            waves.push(Vec::new());
        }
        let Some(requests) = waves.last_mut() else {
            continue;
        };
        let mut single = event(&cast.single, "order", "paid", i, None);
        // Every fifth event of A claims an Idempotency-Key.
        single.idempotency = (i % 5 == 0).then(|| format!("a-{i}"));
        requests.push(single);
        if falls_in(i, 3 * scale, rounds) {
            requests.push(event(&cast.wide, "order", "paid", i, None));
        }
        if falls_in(i, 20 * scale, rounds) {
            requests.push(event(&cast.mixed, "order", "paid", i, None));
        }
        let delays = [(3, 2 * scale), (1_200, 2 * scale), (604_800, scale)];
        for (delay, count) in delays {
            if falls_in(i, count, rounds) {
                requests.push(event(&cast.mixed, "invoice", "due", i, Some(delay)));
            }
        }
        if i % WAVE == WAVE - 1 {
            requests.push(list(cast, i / WAVE)?);
        }
    }
    Ok(waves)
}

/// What the traffic left to check: deliveries whose first attempt waits
/// over 900 s, and when the last of them is due at the latest.
pub struct Sent {
    pub long_delayed: usize,
    pub last_due: Timestamp,
}

/// Sends `requests` with a few in flight; each answer, with the event's delay.
async fn send_all(
    api: &Api,
    requests: Vec<Request<'_>>,
) -> Result<Vec<(Option<u64>, Value)>, String> {
    stream::iter(requests)
        .map(|r| async move {
            let method = if r.body.is_some() {
                Method::POST
            } else {
                Method::GET
            };
            let delay = r.body.as_ref().and_then(|b| b["delay"].as_u64());
            let answer = api
                .send(
                    method,
                    &r.path,
                    &r.tenant.key,
                    r.body.as_ref(),
                    r.idempotency.as_deref(),
                )
                .await?;
            Ok::<_, String>((delay, answer))
        })
        .buffered(IN_FLIGHT)
        .try_collect()
        .await
}

async fn send_traffic(
    api: &Api,
    functions: &Functions,
    cast: &Cast,
    size: Size,
) -> Result<Sent, String> {
    let mut long_delayed = 0;
    for wave in traffic(cast, size)? {
        functions.hold(true);
        let answers = send_all(api, wave).await;
        functions.hold(false);
        long_delayed += answers?
            .iter()
            .filter(|(delay, _)| delay.is_some_and(|d| d > 900))
            .map(|(_, answer)| answer["deliveries"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
        functions.drained(DRAIN_LIMIT).await?;
    }
    let last_due = functions.clock.now().plus_seconds(604_800);
    // A repeated Idempotency-Key answers the first answer again.
    let again = event(&cast.single, "order", "paid", 0, None);
    let repeat = api.send(
        Method::POST,
        "/v1/events",
        &cast.single.key,
        again.body.as_ref(),
        Some("a-0"),
    );
    repeat.await?;
    Ok(Sent {
        long_delayed,
        last_due,
    })
}

/// Moves the clock on past every retry wait over 900 s (1,200 s ± 20 %) and
/// the delays of 1,200 s; nothing that waits is past its sweep time (due +
/// 900 s), so the sweeper finds nothing stranded.
async fn past_long_waits(functions: &Functions) -> Result<(), String> {
    let clock = &functions.clock;
    clock.advance_to(clock.now().plus_seconds(1_500));
    after_moving_on(functions).await
}

/// Every function reads what it keeps (an API key, a webhook, an outcome
/// noted) once: one event of each account, to every webhook, through to its
/// last retry. Not counted: at scale, refills are per warm instance and minute.
pub async fn warm_up(api: &Api, functions: &Functions, cast: &Cast) -> Result<(), String> {
    for tenant in cast.tenants() {
        let request = event(tenant, "order", "paid", 0, None);
        api.post(&request.path, &tenant.key, request.body.unwrap_or_default())
            .await?;
    }
    functions.drained(DRAIN_LIMIT).await?;
    past_long_waits(functions).await?;
    functions.take_batches();
    Ok(())
}

/// EventBridge's part once the clock moved on: due schedules fire, the
/// queue drains, the sweeper runs (and finds nothing stranded).
async fn after_moving_on(functions: &Functions) -> Result<(), String> {
    functions.fire_schedules().await?;
    functions.drained(DRAIN_LIMIT).await?;
    functions.sweep().await?;
    functions.drained(DRAIN_LIMIT).await
}

/// The counted workload; what it sent.
pub async fn workload(
    api: &Api,
    functions: &Functions,
    endpoints: &Endpoints,
    cast: &Cast,
    size: Size,
) -> Result<Sent, String> {
    let since = functions.clock.now();
    let sent = send_traffic(api, functions, cast, size).await?;
    functions.drained(DRAIN_LIMIT).await?;
    past_long_waits(functions).await?;
    // The outage ends: its failed deliveries are recovered.
    endpoints.end_outage();
    let mixed = &cast.mixed;
    let outage = mixed.id_of("outage")?;
    let recover = json!({ "since": since.to_string() });
    api.post(
        &format!("/v1/webhooks/{outage}/recover"),
        &mixed.key,
        recover,
    )
    .await?;
    functions.drained(DRAIN_LIMIT).await?;
    let doomed = mixed.id_of("doomed")?;
    api.send(
        Method::DELETE,
        &format!("/v1/webhooks/{doomed}"),
        &mixed.key,
        None,
        None,
    )
    .await?;
    functions.drained(DRAIN_LIMIT).await?;
    // A week on: the longest delays come due.
    functions.clock.advance_to(sent.last_due.plus_seconds(2));
    after_moving_on(functions).await?;
    api.get("/v1/deliveries?limit=50", &mixed.key).await?;
    api.get("/v1/webhooks?limit=50", &mixed.key).await?;
    none_filtered_out(api, mixed).await?;
    shaped_as_sent(api, &cast.wide).await?;
    Ok(sent)
}

/// B's deliveries went out shaped by its template, and the log shows so.
async fn shaped_as_sent(api: &Api, wide: &Tenant) -> Result<(), String> {
    let listed = api
        .get("/v1/deliveries?limit=1&status=delivered", &wide.key)
        .await?;
    let body = &listed["deliveries"][0]["payload"];
    match body["text"].as_str() {
        Some(text) if text.starts_with("Order ") && body["order"].is_number() => Ok(()),
        _ => Err(format!(
            "B's delivery was not shaped by its template: {listed}"
        )),
    }
}

/// The webhook whose filter matches none of the events got no delivery.
async fn none_filtered_out(api: &Api, mixed: &Tenant) -> Result<(), String> {
    let filtered = mixed.id_of("filtered")?;
    let path = format!("/v1/webhooks/{filtered}/deliveries?limit=1");
    let listed = api.get(&path, &mixed.key).await?;
    match listed["deliveries"].as_array() {
        Some(none) if none.is_empty() => Ok(()),
        _ => Err(format!(
            "C/filtered, whose filter matches nothing, got {listed}"
        )),
    }
}
