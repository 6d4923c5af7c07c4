//! Secrets at rest (DESIGN.md §9): every secret a webhook or an event
//! carries is sent where it belongs and never stored in the clear, on either
//! store; a secret whose key is unavailable is a 503, never read around.

use crate::helpers::receiver::{verify_with_standardwebhooks, Receiver, Request};
use crate::helpers::{self, Auth, Server};
use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hookrelay::adapters::aws::{kms, sdk_config};
use hookrelay::adapters::memory::{LocalKeyRing, MemoryQueue, MemoryScheduler, MemoryStore};
use hookrelay::app::Adapters;
use hookrelay::config::KeySource;
use hookrelay::domain::sealed::DataKey;
use hookrelay::domain::webhook::Secret;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay::ports::keys::{KeyError, KeyRing};
use hookrelay::ports::random::{OsRandom, Random};
use hookrelay::sealing::Sealer;
use hookrelay_local::Backend;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

on_both_backends!(
    secrets_are_sent_and_never_stored_in_the_clear,
    a_secret_whose_key_is_unavailable_is_a_503,
);

/// A local key ring that can be withdrawn (as a KMS key an operator disables).
struct Withdrawable {
    inner: LocalKeyRing,
    withdrawn: AtomicBool,
}

impl Withdrawable {
    fn check(&self) -> Result<(), KeyError> {
        match self.withdrawn.load(Ordering::Relaxed) {
            true => Err(KeyError("withdrawn by the test".into())),
            false => Ok(()),
        }
    }
}

#[async_trait]
impl KeyRing for Withdrawable {
    async fn generate(&self) -> Result<DataKey, KeyError> {
        self.check()?;
        self.inner.generate().await
    }

    async fn unwrap(&self, wrapped: &[u8]) -> Result<DataKey, KeyError> {
        self.check()?;
        self.inner.unwrap(wrapped).await
    }
}

/// A runner in memory on `ring` and `clock`, and its store, to read it whole.
async fn in_memory(ring: Arc<dyn KeyRing>, clock: Arc<dyn Clock>) -> (Server, Arc<MemoryStore>) {
    let sealer = Arc::new(Sealer::new(ring, Arc::new(OsRandom), clock.clone()));
    let store = Arc::new(MemoryStore::new(sealer.clone()));
    let adapters = Adapters {
        store: store.clone(),
        queue: Arc::new(MemoryQueue::new(clock.clone(), hookrelay_local::VISIBILITY)),
        scheduler: Arc::new(MemoryScheduler::new()),
        clock,
        sealer,
    };
    let server = Server::start_on(adapters, helpers::settings(Backend::Memory), None).await;
    (server, store)
}

/// Every item stored, as text: the memory store's items, or a Scan of the table.
async fn everything_stored(server: &Server, memory: Option<&MemoryStore>) -> Vec<String> {
    if let Some(store) = memory {
        return store.dump().iter().map(Value::to_string).collect();
    }
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let mut pages = client
        .scan()
        .table_name(&server.app.settings.table_name)
        .into_paginator()
        .items()
        .send();
    let mut items = Vec::new();
    while let Some(item) = pages.next().await {
        items.push(format!("{:?}", item.expect("scan")));
    }
    items
}

fn random_text(prefix: &str) -> String {
    let mut bytes = [0u8; 12];
    OsRandom.fill(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// What the webhook in the test holds, and what an ad-hoc URL does.
struct Secrets {
    signing: Vec<String>,
    api_key: String,
    header: String,
    password: String,
    ad_hoc_password: String,
}

impl Secrets {
    fn new() -> Self {
        Self {
            signing: (0..3)
                .map(|_| Secret::generate(&OsRandom).to_string())
                .collect(),
            api_key: random_text("key-"),
            header: random_text("header-"),
            password: random_text("pw-"),
            ad_hoc_password: random_text("adhoc-"),
        }
    }

    /// Each secret as it could appear stored (a signing secret without its prefix too).
    fn texts(&self) -> Vec<&str> {
        let signing = self.signing.iter().flat_map(|s| [s.as_str(), &s[6..]]);
        signing
            .chain([
                self.api_key.as_str(),
                &self.header,
                &self.password,
                &self.ad_hoc_password,
            ])
            .collect()
    }
}

/// A webhook with a URL password, an API key and a custom header, whose
/// secret is rotated twice (all three sign), and an event to it and one to
/// an ad-hoc URL with a password; the ids of the two deliveries.
async fn deliver_with_every_secret(
    server: &Server,
    receiver: &Receiver,
    s: &Secrets,
) -> (String, String) {
    let url = |user: &str, password: &str, path: &str| {
        receiver
            .url(path)
            .replacen("://", &format!("://{user}:{password}@"), 1)
    };
    let id = server
        .webhook_id(json!({
            "name": "sealed", "url": url("alice", &s.password, "ok"), "events": ["order.*"],
            "secret": s.signing[0], "api_key": s.api_key, "headers": {"X-Team-Token": s.header},
        }))
        .await;
    for next in &s.signing[1..] {
        let rotate = format!("/v1/webhooks/{id}/secret/rotate");
        let (status, answer) = server.post(&rotate, json!({"secret": next})).await;
        assert_eq!(status, 200, "{answer}");
    }
    let event = json!({"name": "order", "type": "paid", "payload": {"n": 1}});
    let to_webhook = server.send_event(event).await;
    let ad_hoc = json!({"name": "order", "type": "paid", "payload": {"n": 2},
        "webhook": {"url": url("bob", &s.ad_hoc_password, "ok")}});
    let to_ad_hoc = server.send_event(ad_hoc).await;
    (to_webhook[0].clone(), to_ad_hoc[0].clone())
}

fn check_webhook_request(request: &Request, s: &Secrets) {
    let header = |name: &str| request.headers.get(name).cloned().unwrap_or_default();
    assert_eq!(header("authorization"), basic("alice", &s.password));
    assert_eq!(header("x-api-key"), s.api_key);
    assert_eq!(header("x-team-token"), s.header);
    assert_eq!(header("webhook-signature").split(' ').count(), 3);
    for secret in &s.signing {
        verify_with_standardwebhooks(secret, request);
    }
}

async fn secrets_are_sent_and_never_stored_in_the_clear(backend: Backend) {
    let (server, memory) = match backend {
        Backend::Memory => {
            let ring = Arc::new(LocalKeyRing::ephemeral(Arc::new(OsRandom)));
            let (server, store) = in_memory(ring, Arc::new(SystemClock)).await;
            (server, Some(store))
        }
        Backend::Aws => (Server::start(backend).await, None),
    };
    let receiver = Receiver::start().await;
    let s = Secrets::new();
    let (to_webhook, to_ad_hoc) = deliver_with_every_secret(&server, &receiver, &s).await;
    for id in [&to_webhook, &to_ad_hoc] {
        assert_eq!(server.settled_view(id).await["status"], "delivered");
    }
    // Sent again from the delivery as stored: its sealed URL opens.
    let retry = format!("/v1/deliveries/{to_ad_hoc}/retry");
    assert_eq!(server.post(&retry, json!({})).await.0, 200);
    let (ad_hoc, to_hook): (Vec<Request>, Vec<Request>) = receiver
        .requests("ok")
        .into_iter()
        .partition(|r| r.headers["webhook-id"] == to_ad_hoc);
    check_webhook_request(&to_hook[0], &s);
    assert_eq!(ad_hoc.len(), 2);
    for request in &ad_hoc {
        assert_eq!(
            request.headers["authorization"],
            basic("bob", &s.ad_hoc_password)
        );
    }
    let stored = everything_stored(&server, memory.as_deref()).await;
    assert!(
        stored.len() >= 6,
        "account, key, webhook, events, deliveries: {stored:?}"
    );
    let sealed = stored
        .iter()
        .filter(|item| item.contains("sealed:v1:"))
        .count();
    assert_eq!(
        sealed, 2,
        "the webhook and the ad-hoc delivery hold sealed values"
    );
    for secret in s.texts() {
        let found: Vec<&String> = stored.iter().filter(|item| item.contains(secret)).collect();
        assert!(
            found.is_empty(),
            "{secret} is stored in the clear: {found:?}"
        );
    }
    println!(
        "{backend:?}: {} items scanned, {sealed} with sealed values, no secret in the clear",
        stored.len()
    );
    server.stop().await;
}

/// Reads and writes that need the webhook's secrets answer 503 in the
/// envelope; nothing of the webhook or the key ring's answer shows.
async fn assert_unavailable(server: &Server, key: &str, id: &str, secret: &str) {
    let event = json!({"name": "order", "type": "paid", "payload": {}}).to_string();
    let change = json!({"description": "d"}).to_string();
    for (method, path, body) in [
        (reqwest::Method::GET, format!("/v1/webhooks/{id}"), None),
        (reqwest::Method::GET, "/v1/webhooks".to_owned(), None),
        (
            reqwest::Method::PATCH,
            format!("/v1/webhooks/{id}"),
            Some(change.as_str()),
        ),
        (
            reqwest::Method::POST,
            "/v1/events".to_owned(),
            Some(event.as_str()),
        ),
    ] {
        let (status, answer) = server.call(method, &path, Auth::Bearer(key), body).await;
        assert_eq!(status, 503, "{path}: {answer}");
        assert_eq!(
            answer["message"],
            "the key that protects stored secrets is unavailable; try again shortly"
        );
        assert!(!answer.to_string().contains(secret), "{answer}");
    }
}

async fn a_secret_whose_key_is_unavailable_is_a_503(backend: Backend) {
    let secret = Secret::generate(&OsRandom).to_string();
    let hook = json!({"name": "locked", "url": "https://hooks.example.com/in", "events": ["order.*"], "secret": secret});
    match backend {
        Backend::Memory => {
            let ring = Arc::new(Withdrawable {
                inner: LocalKeyRing::ephemeral(Arc::new(OsRandom)),
                withdrawn: AtomicBool::new(false),
            });
            let clock = Arc::new(ManualClock::new(SystemClock.now()));
            let (server, _) = in_memory(ring.clone(), clock.clone()).await;
            let id = server.webhook_id(hook).await;
            ring.withdrawn.store(true, Ordering::Relaxed);
            // Past the hour a process keeps the data keys it has.
            clock.advance_millis((hookrelay::sealing::OPENED_KEY_SECONDS + 1) * 1000);
            assert_unavailable(&server, &server.key, &id, &secret).await;
            ring.withdrawn.store(false, Ordering::Relaxed);
            assert_eq!(server.get(&format!("/v1/webhooks/{id}")).await.0, 200);
            server.stop().await;
        }
        Backend::Aws => {
            let writer = Server::start(backend).await;
            let id = writer.webhook_id(hook).await;
            // Another deployment on the same table, with another KMS key:
            // KMS refuses to unwrap the first one's data keys for it.
            let table = writer.app.settings.table_name.clone();
            let client = aws_sdk_kms::Client::new(&sdk_config().await);
            let other = kms::ensure_key(&client, &format!("{table}-other"))
                .await
                .expect("key");
            let reader = Server::start_tuned(backend, |settings| {
                settings.table_name = table;
                settings.keys = KeySource::Kms(other);
            })
            .await;
            assert_unavailable(&reader, &writer.key, &id, &secret).await;
            assert_eq!(writer.get(&format!("/v1/webhooks/{id}")).await.0, 200);
            reader.stop().await;
            writer.stop().await;
        }
    }
}
