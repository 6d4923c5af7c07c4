//! Nothing is ever stranded: a failure injected at each step of ingest,
//! fan-out, dispatch, test-send, retry, recover and cascade delete (a store,
//! queue or scheduler call that fails, as when the process dies there), then
//! time moves on, and every delivery ends `delivered` or `failed`: a message,
//! a schedule or the sweeper wakes each one. Faults are injected in process
//! (no real server fails on demand); everything else is the embedded runner.

mod ingest;
mod operations;
mod sending;

use crate::faults::{faulty, Faults};
use crate::helpers;
use crate::helpers::receiver::Receiver;
use crate::helpers::{eventually, Server};
use hookrelay::domain::delivery::Delivery;
use hookrelay::domain::event::Event;
use hookrelay::domain::ids::{EventId, WebhookId};
use hookrelay::domain::listing::ListParams;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay::ports::store::DeliveryFilter;
use hookrelay_local::Backend;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

struct Harness {
    server: Server,
    receiver: Receiver,
    clock: Arc<ManualClock>,
    faults: Arc<Faults>,
}

impl Harness {
    async fn start() -> Self {
        let clock = Arc::new(ManualClock::new(SystemClock.now()));
        let mut settings = helpers::settings(Backend::Memory);
        settings.retry_schedule = vec![5, 300];
        let adapters =
            hookrelay_local::adapters_with_clock(Backend::Memory, &settings, clock.clone())
                .await
                .expect("adapters");
        let faults = Arc::new(Faults::default());
        let server = Server::start_on(faulty(adapters, &faults), settings, None).await;
        Self {
            server,
            receiver: Receiver::start().await,
            clock,
            faults,
        }
    }

    async fn webhook(&self, path: &str) -> String {
        let body = json!({"name": path, "url": self.receiver.url(path), "events": ["order.*"]});
        self.server.webhook_id(body).await
    }

    /// `count` webhooks at the receiver's `path`.
    async fn webhooks(&self, path: &str, count: usize) {
        for _ in 0..count {
            self.webhook(path).await;
        }
    }

    /// Sends an event (with `extra` fields) with `fault` armed to fail once,
    /// after `passing` calls of it pass; it must be answered `status`.
    async fn event_failing_at(
        &self,
        fault: &'static str,
        passing: usize,
        extra: Value,
        status: u16,
    ) {
        self.faults.arm_after(fault, passing);
        let (answered, answer) = self.event(extra).await;
        assert_eq!(answered, status, "{fault}: {answer}");
    }

    async fn event(&self, extra: Value) -> (u16, Value) {
        let mut body = json!({"name": "order", "type": "paid", "payload": {"n": 1}});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap_or_default());
        self.server.post("/v1/events", body).await
    }

    /// A webhook whose endpoint answers 410 (failed at once), with `count`
    /// failed deliveries; its id.
    async fn gone_webhook_with_failures(&self, count: usize) -> String {
        let id = self.webhook("gone").await;
        for _ in 0..count {
            assert_eq!(self.event(json!({})).await.0, 202);
        }
        self.everything_settles(count).await;
        id
    }

    /// Recovers the webhook's failed deliveries since 2000; the answer.
    async fn recover(&self, id: &str) -> (u16, Value) {
        let path = format!("/v1/webhooks/{id}/recover");
        self.server
            .post(&path, json!({"since": "2000-01-01"}))
            .await
    }

    /// Every delivery of the account, read through the store.
    async fn deliveries(&self) -> Vec<Delivery> {
        let mut params = ListParams {
            limit: 100,
            ..ListParams::default()
        };
        let mut all = Vec::new();
        loop {
            let page = self
                .server
                .app
                .store
                .list_deliveries(
                    self.server.account,
                    &DeliveryFilter::default(),
                    &params,
                    self.clock.now(),
                )
                .await
                .unwrap();
            all.extend(page.items);
            match page.next_cursor {
                Some(cursor) => params.cursor = Some(cursor),
                None => return all,
            }
        }
    }

    /// A webhook and a test-send to it that is delivered while the store's
    /// `operation` after it fails once; the webhook's id.
    async fn test_send_with_its_write_failing(&self, operation: &'static str) -> String {
        let id = self.webhook("ok").await;
        self.faults.arm(operation);
        let (status, answer) = self
            .server
            .post(&format!("/v1/webhooks/{id}/test"), json!({}))
            .await;
        assert_eq!(
            (status, &answer["delivered"]),
            (200, &json!(true)),
            "{answer}"
        );
        assert_eq!(
            self.faults.struck(),
            1,
            "the write after the test-send failed"
        );
        id
    }

    /// Moves time on (past every lease, visibility timeout, retry and the
    /// sweeper's grace) until every delivery is final; at least `count` of them.
    /// Time moves only while no message is being handled: a send is never
    /// overtaken by its own lease (which, for real, outlasts the send timeout).
    async fn everything_settles(&self, count: usize) -> Vec<Delivery> {
        let settled = eventually(90, "every delivery to end delivered or failed", || async {
            eventually(10, "the worker to go quiet", || async {
                self.faults.quiet().then_some(())
            })
            .await;
            self.clock.advance_millis(5 * 60 * 1000);
            // A worker round (1 s poll) sees the new time.
            tokio::time::sleep(Duration::from_millis(150)).await;
            let all = self.deliveries().await;
            (all.len() >= count && all.iter().all(|d| d.status().is_final())).then_some(all)
        })
        .await;
        settled
    }

    /// One webhook at the receiver's `path` and one event to it, accepted
    /// with `fault` armed as in `event_failing_at`; its delivery once final,
    /// the fault having struck once.
    async fn one_event_despite(&self, path: &str, fault: &'static str, passing: usize) -> Delivery {
        self.webhook(path).await;
        self.event_failing_at(fault, passing, json!({}), 202).await;
        let mut settled = self.everything_settles(1).await;
        assert_eq!(self.faults.struck(), 1, "{fault}");
        settled.pop().expect("the delivery")
    }

    /// Every delivery (at least `count`) once final, each delivered.
    async fn everything_delivered(&self, count: usize) -> Vec<Delivery> {
        let settled = self.everything_settles(count).await;
        let undelivered: Vec<_> = settled
            .iter()
            .filter(|d| d.status().as_str() != "delivered")
            .collect();
        assert!(undelivered.is_empty(), "{undelivered:?}");
        settled
    }

    /// Every delivery (at least `count`) delivered at its first attempt, and
    /// `requests` requests at the receiver's `ok` in all.
    async fn everything_sent_once(&self, count: usize, requests: usize, what: &str) {
        let settled = self.everything_delivered(count).await;
        let again: Vec<_> = settled.iter().filter(|d| d.attempts() != 1).collect();
        assert!(again.is_empty(), "{what}: {again:?}");
        assert_eq!(self.receiver.requests("ok").len(), requests, "{what}");
    }

    /// Leftovers of a DELETE that died after removing the webhook: two of its
    /// deliveries, recorded straight into the store.
    async fn deliveries_of_a_webhook_that_is_gone(&self, id: &str) -> usize {
        let webhook = WebhookId::parse(id).unwrap();
        let now = self.clock.now();
        let url = hookrelay::domain::delivery::KeptUrl::shown(
            &hookrelay::domain::webhook_url::WebhookUrl::parse(&self.receiver.url("ok")).unwrap(),
        );
        let left: Vec<Delivery> = (0..2)
            .map(|_| {
                let event = Event::new(
                    EventId::generate(now, &hookrelay::ports::random::OsRandom),
                    self.server.account,
                    hookrelay::domain::event::EventKind {
                        name: hookrelay::domain::event::EventPart::parse("order").unwrap(),
                        kind: hookrelay::domain::event::EventPart::parse("paid").unwrap(),
                    },
                    hookrelay::domain::event::JsonText::parse("{}").unwrap(),
                    hookrelay::domain::event::JsonText::parse("{}").unwrap(),
                    now,
                    60,
                );
                Delivery::new(&event, Some(webhook), url.clone(), now)
            })
            .collect();
        self.server
            .app
            .store
            .insert_deliveries(&left)
            .await
            .unwrap();
        left.len()
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}
