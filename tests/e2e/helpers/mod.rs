//! The end-to-end harness: a local runner in process on a free loopback port,
//! in memory or on DynamoDB at moto's server, driven over HTTP only.

pub mod receiver;
pub mod template;

use futures::stream::{self, StreamExt};
use hookrelay::app::App;
use hookrelay::config::{AdminAuth, Deployment, Settings};
use hookrelay::domain::audit::Actor;
use hookrelay::domain::ids::WebhookId;
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::{
    EventPattern, EventPatterns, Name, Secret, Webhook, WebhookChanges,
};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::net::address::{Resolver, SystemResolver};
use hookrelay::pipeline::change_webhook::create_webhook;
use hookrelay::ports::clock::{Clock, SystemClock};
use hookrelay::ports::random::OsRandom;
use hookrelay_local::{adapters_with_clock, serve, Backend, Running};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

pub use hookrelay_local::Backend::{Aws, Memory};

pub const ADMIN_KEY: &str = "test-admin-key-0123456789";

/// Runs each listed scenario `async fn name(backend: Backend)` on both backends.
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod embedded {
            $(#[tokio::test] async fn $scenario() { super::$scenario($crate::helpers::Memory).await; })*
        }
        mod aws_on_moto {
            $(#[tokio::test] async fn $scenario() { super::$scenario($crate::helpers::Aws).await; })*
        }
    };
}

/// How a request authenticates.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    Basic(&'a str),
    Raw(&'a str),
}

pub struct Server {
    pub url: String,
    pub key: String,
    pub account: hookrelay::domain::ids::AccountId,
    /// The ports behind the server: tests read delivery state through them
    /// until the delivery log API exists.
    pub app: App,
    running: Running,
    client: reqwest::Client,
}

/// Local-mode settings with the admin key on; a fresh table for `Aws`.
pub fn settings(backend: Backend) -> Settings {
    let mut settings = Settings::defaults(Deployment::Local);
    settings.admin = AdminAuth::Key(hookrelay::domain::account::KeyHash::of(ADMIN_KEY));
    if backend == Backend::Aws {
        assert!(
            std::env::var_os("AWS_ENDPOINT_URL").is_some(),
            "AWS_ENDPOINT_URL is not set: the --aws end-to-end run needs moto's server; run scripts/test.sh"
        );
        let now = Timestamp::from_millis(now_ms()).expect("now");
        settings.table_name = format!("e2e-{}", WebhookId::generate(now, &OsRandom));
    }
    settings
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(0)
}

impl Server {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, settings(backend), None).await
    }

    /// With the test settings as `configure` leaves them.
    pub async fn start_tuned(backend: Backend, configure: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = settings(backend);
        configure(&mut settings);
        Self::start_with(backend, settings, None).await
    }

    pub async fn start_with(
        backend: Backend,
        settings: Settings,
        resolver: Option<Arc<dyn Resolver>>,
    ) -> Self {
        Self::start_full(backend, settings, resolver, Arc::new(SystemClock)).await
    }

    /// Each delivery tried once (no retries) for at most 1 s; a webhook is
    /// switched off after `after_failures` failures in a row (0: never).
    pub async fn start_single_try(backend: Backend, after_failures: u32) -> Self {
        Self::start_tuned(backend, |settings| {
            settings.retry_schedule = vec![];
            settings.send_timeout = std::time::Duration::from_secs(1);
            settings.health.after_failures = after_failures;
            settings.health.after_seconds = 0;
        })
        .await
    }

    /// With every port chosen: `clock` drives delays, retries and schedules.
    pub async fn start_full(
        backend: Backend,
        settings: Settings,
        resolver: Option<Arc<dyn Resolver>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        // Logs show with a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("hookrelay=debug")
            .try_init();
        let adapters = adapters_with_clock(backend, &settings, clock)
            .await
            .expect("adapters");
        Self::start_on(adapters, settings, resolver).await
    }

    /// On adapters the test built (e.g. one wrapped to inject a fault).
    pub async fn start_on(
        adapters: hookrelay::app::Adapters,
        settings: Settings,
        resolver: Option<Arc<dyn Resolver>>,
    ) -> Self {
        let resolver = resolver.unwrap_or_else(|| Arc::new(SystemResolver));
        let app = App::with_resolver(adapters, settings, resolver).expect("app");
        let running = serve(app.clone(), "127.0.0.1:0".parse().expect("addr"), None)
            .await
            .expect("serve");
        Self::on(running, app)
    }

    /// A runner started elsewhere (e.g. with a port set per function); `app`
    /// is what the test reads state through.
    pub fn on(running: Running, app: App) -> Self {
        Self {
            url: running.url(),
            key: running.api_key.clone(),
            account: running.account.id,
            running,
            app,
            client: reqwest::Client::new(),
        }
    }

    pub async fn stop(self) {
        self.running.stop().await;
    }

    /// Sends a request and returns the status and the JSON body (every answer is JSON).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.url));
        request = match auth {
            Auth::None => request,
            Auth::Bearer(key) => request.bearer_auth(key),
            Auth::Basic(key) => request.basic_auth(key, Some("")),
            Auth::Raw(header) => request.header("authorization", header),
        };
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: answer is not JSON ({e}): {text}"));
        assert_eq!(
            json["code"],
            json!(status),
            "{method} {path}: code equals status: {json}"
        );
        assert_eq!(
            json["success"],
            json!((200..300).contains(&status)),
            "{method} {path}: {json}"
        );
        (status, json)
    }

    /// A request with the server's key and `body` as JSON.
    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|body| body.to_string());
        self.call(method, path, Auth::Bearer(&self.key), body.as_deref())
            .await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.request(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.request(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.request(Method::DELETE, path, None).await
    }

    /// POSTs `body` as it is (not re-encoded) with the server's key: for
    /// bodies that must arrive byte for byte, or are not valid JSON.
    pub async fn post_text(&self, path: &str, body: &str) -> (u16, Value) {
        self.call(Method::POST, path, Auth::Bearer(&self.key), Some(body))
            .await
    }

    /// POST /v1/accounts with `auth` (the admin route).
    pub async fn post_account(&self, auth: Auth<'_>, body: &str) -> (u16, Value) {
        self.call(Method::POST, "/v1/accounts", auth, Some(body))
            .await
    }

    /// A new account through the admin route; its API key.
    pub async fn new_account(&self, name: &str) -> String {
        let body = json!({ "name": name }).to_string();
        let (status, answer) = self.post_account(Auth::Bearer(ADMIN_KEY), &body).await;
        assert_eq!(status, 201, "{answer}");
        answer["account"]["api_key"]
            .as_str()
            .expect("api_key")
            .to_owned()
    }

    /// Each `(query, parameter)`: GET `{path}?{query}` is a 422 naming
    /// that parameter alone.
    pub async fn assert_queries_refused(&self, path: &str, cases: &[(&str, &str)]) {
        for (query, parameter) in cases {
            let (status, answer) = self.get(&format!("{path}?{query}")).await;
            assert_eq!(status, 422, "{query}: {answer}");
            assert_eq!(error_fields(&answer), vec![*parameter], "{query}");
        }
    }

    /// Creates a webhook that must be accepted; its JSON.
    pub async fn create_webhook(&self, body: Value) -> Value {
        let (status, answer) = self.post("/v1/webhooks", body).await;
        assert_eq!(status, 201, "{answer}");
        answer["webhook"].clone()
    }

    /// Creates a webhook that must be accepted; its id.
    pub async fn webhook_id(&self, body: Value) -> String {
        self.create_webhook(body).await["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// `count` enabled webhooks of the server's account on `url`, subscribed
    /// to `order.*`, each with `changes`: stored directly, many at a time
    /// (not a request each); their ids.
    pub async fn insert_webhooks(
        &self,
        url: &str,
        count: usize,
        changes: &WebhookChanges,
    ) -> Vec<String> {
        let now = self.app.clock.now();
        let url = WebhookUrl::parse(url).expect("url");
        let patterns = EventPatterns::new(vec![EventPattern::parse("order.*").expect("pattern")]);
        let patterns = patterns.expect("patterns");
        let inserted: Vec<_> = stream::iter(0..count)
            .map(|i| {
                let mut webhook = Webhook::new(
                    WebhookId::generate(now, &OsRandom),
                    self.account,
                    Name::parse(&format!("hook {i}")).expect("name"),
                    url.clone(),
                    patterns.clone(),
                    Secret::generate(&OsRandom),
                    now,
                );
                changes.apply(&mut webhook, now);
                async move {
                    let stored = create_webhook(&self.app, &webhook, &Actor::local_runner()).await;
                    stored.map(|_| webhook.id().to_string())
                }
            })
            .buffer_unordered(32)
            .collect()
            .await;
        inserted.into_iter().map(|id| id.expect("stored")).collect()
    }

    /// Sends an event that must be accepted; the ids of its deliveries.
    pub async fn send_event(&self, event: Value) -> Vec<String> {
        let (status, answer) = self.post("/v1/events", event).await;
        assert_eq!(status, 202, "{answer}");
        assert!(answer["id"].is_string(), "{answer}");
        ids_in(&answer["deliveries"])
    }

    /// Every item of a list (`path` has a query string), page by page
    /// through `next_cursor`.
    pub async fn all_pages(&self, path: &str, field: &str) -> Vec<Value> {
        let (mut items, mut next) = (Vec::new(), path.to_owned());
        loop {
            let (status, page) = self.get(&next).await;
            assert_eq!(status, 200, "{next}: {page}");
            items.extend(page[field].as_array().expect("items").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => next = format!("{path}&cursor={cursor}"),
                None => return items,
            }
        }
    }

    /// The delivery's view once it is delivered or failed.
    pub async fn settled_view(&self, id: &str) -> Value {
        eventually(20, "the delivery to settle", || async {
            let (status, answer) = self.get(&format!("/v1/deliveries/{id}")).await;
            assert_eq!(status, 200, "{answer}");
            let delivery = answer["delivery"].clone();
            ["delivered", "failed"]
                .contains(&delivery["status"].as_str().unwrap_or_default())
                .then_some(delivery)
        })
        .await
    }
}

/// The ids in a JSON list: strings as they are, objects by their `id`.
pub fn ids_in(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| {
            item.as_str()
                .or_else(|| item["id"].as_str())
                .expect("an id")
                .to_owned()
        })
        .collect()
}

/// moto serves one request at a time, and this binary runs its tests side
/// by side: the partition-load workload (minutes of moto's time) and the
/// pipeline's timed ingest on moto hold this so that they never overlap (as
/// separate binaries they never did).
pub async fn moto_to_myself() -> tokio::sync::MutexGuard<'static, ()> {
    static MOTO: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    MOTO.lock().await
}

/// A valid create body with `name`.
pub fn webhook_body(name: &str) -> Value {
    json!({ "name": name, "url": "https://hooks.example.com/in", "events": ["user.created"] })
}

/// The fields named in a 422's `errors`.
pub fn error_fields(answer: &Value) -> Vec<String> {
    answer["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A list answered whole on its first page: offset 0, the default limit
/// and no cursor to a next one.
pub fn assert_one_page(list: &Value) {
    assert_fields(list, json!({"offset": 0, "limit": 50, "next_cursor": null}));
}

/// `value` has each field of `want` as `want` has it (other fields aside).
pub fn assert_fields(value: &Value, want: Value) {
    let want = want.as_object().expect("fields as an object");
    let got: serde_json::Map<String, Value> = want
        .keys()
        .map(|field| (field.clone(), value[field].clone()))
        .collect();
    assert_eq!(&got, want, "{value}");
}

/// Polls `check` every 25 ms until it gives a value or `seconds` pass.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {seconds} s waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}
