//! Replay end to end, embedded and on DynamoDB/SQS (moto): a webhook's
//! delivered and failed deliveries in a window, by status and event, sent
//! again once each (the receiver counts by webhook-id); a dry run that
//! counts the same and changes nothing; a replay past its time budget that
//! carries on in the background; switching an auto-disabled webhook on
//! with what failed while it was off; and the answers to bad requests.

use crate::helpers;
use crate::helpers::receiver::Receiver;
use crate::helpers::{error_fields, eventually, Auth, Server};
use hookrelay::config::Settings;
use hookrelay::domain::audit::Actor;
use hookrelay::domain::delivery::DeliveryStatus;
use hookrelay::domain::ids::WebhookId;
use hookrelay::domain::replay::Selection;
use hookrelay::domain::time::Timestamp;
use hookrelay::operations::replay::replay_webhook;
use hookrelay::pipeline::tasks::replay::replay_next;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

on_both_backends!(
    a_replay_window_sends_exactly_what_it_should_once,
    a_replay_past_its_budget_carries_on_in_the_background_each_once,
    switching_an_auto_disabled_webhook_on_replays_what_failed_while_it_was_off,
    bad_replays_are_refused_and_named,
);

/// One try per delivery, at most 1 s; a webhook is switched off after
/// `after_failures` failures in a row (0: never).
fn single_try(backend: Backend, after_failures: u32) -> Settings {
    let mut settings = helpers::settings(backend);
    settings.retry_schedule = vec![];
    settings.send_timeout = Duration::from_secs(1);
    settings.health.after_failures = after_failures;
    settings.health.after_seconds = 0;
    settings
}

/// A runner on a clock the test moves.
async fn on_manual_clock(backend: Backend) -> (Server, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let settings = single_try(backend, 0);
    let server = Server::start_full(backend, settings, None, clock.clone()).await;
    (server, clock)
}

/// Sends `dotted` (`name.type`); its one delivery's id.
async fn send(server: &Server, dotted: &str) -> String {
    let (name, kind) = dotted.split_once('.').expect("name.type");
    let event = json!({"name": name, "type": kind, "payload": {"n": 1}});
    server.send_event(event).await.remove(0)
}

/// The webhook's deliveries, oldest first.
async fn deliveries(server: &Server, webhook: &str) -> Vec<Value> {
    let path = format!("/v1/webhooks/{webhook}/deliveries?limit=100&sort=id&order=asc");
    server.all_pages(&path, "deliveries").await
}

/// The webhook's deliveries once `count` of them are delivered or failed.
async fn settled(server: &Server, webhook: &str, count: usize) -> Vec<Value> {
    // Generous: moto serves one request at a time, to every test at once.
    eventually(120, "the deliveries to settle", || async {
        let all = deliveries(server, webhook).await;
        let done = all.len() == count
            && all
                .iter()
                .all(|d| ["delivered", "failed"].contains(&d["status"].as_str().unwrap_or("")));
        done.then_some(all)
    })
    .await
}

/// How many requests the receiver's `path` got, by webhook-id.
fn sent(receiver: &Receiver, path: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in receiver.requests(path) {
        let id = request
            .headers
            .get("webhook-id")
            .cloned()
            .unwrap_or_default();
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

async fn replay(server: &Server, webhook: &str, body: Value) -> (u16, Value) {
    server
        .post(&format!("/v1/webhooks/{webhook}/replay"), body)
        .await
}

/// Replays `body` and expects it answered 200 with `replayed`.
async fn replayed(server: &Server, webhook: &str, body: Value, count: usize) -> Value {
    let (status, answer) = replay(server, webhook, body.clone()).await;
    assert_eq!(status, 200, "{body}: {answer}");
    let dry_run = body["dry_run"] == true;
    let want = json!({"replayed": count, "in_background": false, "dry_run": dry_run});
    assert_eq!(
        (
            &answer["replayed"],
            &answer["in_background"],
            &answer["dry_run"]
        ),
        (&want["replayed"], &want["in_background"], &want["dry_run"]),
        "{body}: {answer}"
    );
    answer
}

/// A's before the window, B–G in it, H after; B, C, D delivered, E, F, G
/// and H failed. The ids by letter, and the window.
async fn a_window_of_deliveries(
    server: &Server,
    clock: &ManualClock,
    receiver: &Receiver,
    webhook: &str,
) -> (HashMap<char, String>, Timestamp, Timestamp) {
    let path = format!("/v1/webhooks/{webhook}");
    let point_at = |to: &'static str| server.patch(&path, json!({"url": receiver.url(to)}));
    let mut ids = HashMap::from([('A', send(server, "order.paid").await)]);
    clock.advance_millis(1_000);
    let since = clock.now();
    for (letter, dotted) in [
        ('B', "order.paid"),
        ('C', "order.refunded"),
        ('D', "user.created"),
    ] {
        ids.insert(letter, send(server, dotted).await);
    }
    assert_eq!(point_at("fail").await.0, 200);
    clock.advance_millis(1_000);
    for (letter, dotted) in [
        ('E', "order.paid"),
        ('F', "user.created"),
        ('G', "order.refunded"),
    ] {
        ids.insert(letter, send(server, dotted).await);
    }
    clock.advance_millis(1_000);
    let until = clock.now();
    ids.insert('H', send(server, "order.paid").await);
    assert_eq!(point_at("ok").await.0, 200);
    let all = settled(server, webhook, 8).await;
    let mut failed: Vec<&str> = all
        .iter()
        .filter(|d| d["status"] == "failed")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    let mut want: Vec<&str> = ['E', 'F', 'G', 'H']
        .iter()
        .map(|l| ids[l].as_str())
        .collect();
    failed.sort();
    want.sort();
    assert_eq!(failed, want, "{all:?}");
    // Past the minute in which a sender may use the webhook as it read it.
    clock.advance_millis(61_000);
    (ids, since, until)
}

async fn a_replay_window_sends_exactly_what_it_should_once(backend: Backend) {
    let (server, clock) = on_manual_clock(backend).await;
    let receiver = Receiver::start().await;
    let body =
        json!({"name": "orders", "url": receiver.url("ok"), "events": ["order.*", "user.*"]});
    let webhook = server.webhook_id(body).await;
    let (ids, since, until) = a_window_of_deliveries(&server, &clock, &receiver, &webhook).await;
    let before = sent(&receiver, "ok");
    let window = |extra: Value| {
        let mut body = json!({"since": since.to_string(), "until": until.to_string()});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap());
        body
    };
    // A dry run counts what the replay sends, and changes nothing.
    let failed_orders = window(json!({"status": "failed", "event": "order"}));
    let unchanged = settled(&server, &webhook, 8).await;
    let mut dry = failed_orders.clone();
    dry["dry_run"] = json!(true);
    replayed(&server, &webhook, dry, 2).await;
    assert_eq!(settled(&server, &webhook, 8).await, unchanged);
    replayed(&server, &webhook, failed_orders, 2).await;
    let delivered_paid = window(json!({"status": "delivered", "event": "order.paid"}));
    replayed(&server, &webhook, delivered_paid, 1).await;
    // Every final status by default.
    replayed(&server, &webhook, window(json!({"event": "user"})), 2).await;
    clock.advance_millis(3_000);
    let again = ['B', 'D', 'E', 'F', 'G'];
    let settled_again = eventually(120, "each replayed delivery sent once more", || async {
        clock.advance_millis(1_000);
        let all = deliveries(&server, &webhook).await;
        let tried: usize = all
            .iter()
            .map(|d| d["attempts"].as_u64().unwrap() as usize)
            .sum();
        let pending = all.iter().any(|d| d["status"] == "scheduled");
        (!pending && tried == 8 + again.len()).then_some(all)
    })
    .await;
    let now = sent(&receiver, "ok");
    for (letter, id) in &ids {
        let more = now.get(id).copied().unwrap_or(0) - before.get(id).copied().unwrap_or(0);
        assert_eq!(
            more,
            usize::from(again.contains(letter)),
            "{letter}: {settled_again:?}"
        );
    }
    replays_are_audited(&server, &webhook, since, until).await;
    server.stop().await;
}

/// Each replay (not the dry run) is in the audit log, with what it took.
async fn replays_are_audited(server: &Server, webhook: &str, since: Timestamp, until: Timestamp) {
    let (status, log) = server.get("/v1/audit?action=webhook.replayed").await;
    assert_eq!(status, 200, "{log}");
    let records = log["audit"].as_array().unwrap();
    assert_eq!(records.len(), 3, "{log}");
    // Made at one instant of the test's clock: found by what they took.
    let mut took: Vec<Value> = records
        .iter()
        .map(|record| {
            assert_eq!(
                record["resource"],
                json!({"type": "webhook", "id": webhook})
            );
            let after = |field: &str| record["changes"][field]["after"].clone();
            json!([
                after("since"),
                after("until"),
                after("status"),
                after("event")
            ])
        })
        .collect();
    took.sort_by_key(Value::to_string);
    let (since, until) = (since.to_string(), until.to_string());
    assert_eq!(
        took,
        [
            json!([since, until, "delivered", "order.paid"]),
            json!([since, until, "delivered,failed", "user"]),
            json!([since, until, "failed", "order"]),
        ]
    );
}

async fn a_replay_past_its_budget_carries_on_in_the_background_each_once(backend: Backend) {
    let (server, clock) = on_manual_clock(backend).await;
    let receiver = Receiver::start().await;
    let body = json!({"name": "orders", "url": receiver.url("ok"), "events": ["order.*"]});
    let webhook = server.webhook_id(body).await;
    const COUNT: usize = 120;
    for _ in 0..COUNT {
        send(&server, "order.paid").await;
    }
    settled(&server, &webhook, COUNT).await;
    clock.advance_millis(1_000);
    let (app, account) = (&server.app, server.account);
    let now = clock.now();
    let selection = Selection {
        until: Some(now),
        statuses: vec![DeliveryStatus::Delivered, DeliveryStatus::Failed],
        began_at: now,
        ..Selection::failed_since(
            WebhookId::parse(&webhook).unwrap(),
            Timestamp::parse("2000-01-01").unwrap(),
        )
    };
    // No time budget: one page now, then the background carries on.
    let by = Actor::local_runner();
    let progress = replay_webhook(app, account, selection.clone(), Duration::ZERO, &by)
        .await
        .unwrap();
    assert_eq!((progress.replayed, progress.complete), (100, false));
    // The first page worked again while the background works the rest (a
    // step whose worker died before it moved on, then came back): it finds
    // only what the background has not sent yet.
    let (raced, _) = replay_next(app, account, &selection, None, false)
        .await
        .unwrap();
    assert!(raced <= COUNT - 100, "{raced}");
    eventually(120, "every delivery sent once more", || async {
        clock.advance_millis(1_000);
        let all = deliveries(&server, &webhook).await;
        let again = |d: &Value| d["attempts"] == 2 && d["status"] == "delivered";
        all.iter().all(again).then_some(())
    })
    .await;
    // Worked again once everything is sent: nothing.
    let (late, _) = replay_next(app, account, &selection, None, false)
        .await
        .unwrap();
    assert_eq!(late, 0);
    let counts = sent(&receiver, "ok");
    assert_eq!(counts.len(), COUNT);
    assert!(counts.values().all(|n| *n == 2), "{counts:?}");
    server.stop().await;
}

/// A webhook whose third failure in a row switches it off, and a delivery
/// to it still waiting then: it fails unsent once the webhook is off. The
/// webhook's id and that delivery's.
async fn switched_off_with_one_waiting(server: &Server, receiver: &Receiver) -> (String, String) {
    let body = json!({"name": "orders", "url": receiver.url("fail"), "events": ["order.*"]});
    let webhook = server.webhook_id(body).await;
    let delayed = json!({"name": "order", "type": "later", "payload": {}, "delay": 10});
    let waiting = server.send_event(delayed).await.remove(0);
    for _ in 0..3 {
        send(server, "order.paid").await;
    }
    let path = format!("/v1/webhooks/{webhook}");
    let off = eventually(20, "the switch-off", || async {
        let (_, got) = server.get(&path).await;
        (got["webhook"]["enabled"] == false).then_some(got["webhook"].clone())
    })
    .await;
    assert_eq!(off["disabled_reason"], "failing");
    let (_, still) = server.get(&format!("/v1/deliveries/{waiting}")).await;
    assert_eq!(
        still["delivery"]["status"], "scheduled",
        "waiting when it went off"
    );
    let unsent = server.settled_view(&waiting).await;
    assert_eq!(unsent["failure_reason"], "webhook_disabled", "{unsent}");
    (webhook, waiting)
}

async fn switching_an_auto_disabled_webhook_on_replays_what_failed_while_it_was_off(
    backend: Backend,
) {
    let server = Server::start_with(backend, single_try(backend, 3), None).await;
    let receiver = Receiver::start().await;
    let (webhook, waiting) = switched_off_with_one_waiting(&server, &receiver).await;
    let path = format!("/v1/webhooks/{webhook}");
    let (status, answer) = server.patch(&path, json!({"replay_failed": true})).await;
    assert_eq!(
        (status, error_fields(&answer)),
        (422, vec!["replay_failed".to_owned()])
    );
    let refused = replay(&server, &webhook, json!({"since": "2000-01-01"})).await;
    assert_eq!(refused.0, 409, "{}", refused.1);
    assert!(refused.1["message"]
        .as_str()
        .unwrap()
        .contains("replay_failed"));
    let on = json!({"enabled": true, "replay_failed": true, "url": receiver.url("ok")});
    let (status, answer) = server.patch(&path, on.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["webhook"]["enabled"], true);
    assert_eq!(
        answer["replay"],
        json!({"replayed": 1, "in_background": false})
    );
    let sent_again = eventually(20, "the waiting delivery sent", || async {
        let view = server.settled_view(&waiting).await;
        (view["status"] == "delivered").then_some(view)
    })
    .await;
    assert_eq!(sent_again["attempts"], 1, "{sent_again}");
    // Only what failed while it was off; once.
    assert_eq!(sent(&receiver, "ok"), HashMap::from([(waiting, 1)]));
    let (status, again) = server.patch(&path, on).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        again["replay"],
        json!({"replayed": 0, "in_background": false})
    );
    let (status, plain) = server.patch(&path, json!({"description": "d"})).await;
    assert_eq!((status, plain.get("replay")), (200, None), "{plain}");
    server.stop().await;
}

async fn bad_replays_are_refused_and_named(backend: Backend) {
    let server = Server::start(backend).await;
    let webhook = server.webhook_id(helpers::webhook_body("orders")).await;
    for (body, field) in [
        (json!({}), "since"),
        (json!({"since": "yesterday"}), "since"),
        (
            json!({"since": "2026-01-02", "until": "2026-01-01"}),
            "until",
        ),
        (
            json!({"since": "2026-01-01", "status": "scheduled"}),
            "status",
        ),
        (
            json!({"since": "2026-01-01", "status": "failed,nope"}),
            "status",
        ),
        (json!({"since": "2026-01-01", "event": "a.b.c"}), "event"),
        (json!({"since": "2026-01-01", "dry_run": "yes"}), "dry_run"),
        (
            json!({"since": "2026-01-01", "webhook_id": webhook}),
            "webhook_id",
        ),
    ] {
        let (status, answer) = replay(&server, &webhook, body.clone()).await;
        assert_eq!(
            (status, error_fields(&answer)),
            (422, vec![field.to_owned()]),
            "{body}: {answer}"
        );
    }
    // A `since` after now, `until` left out: an empty window, not an error.
    let later = json!({"since": "2999-01-01", "dry_run": true});
    replayed(&server, &webhook, later, 0).await;
    let since = json!({"since": "2026-01-01"});
    let key = server.new_account("other").await;
    let body = helpers::webhook_body("theirs").to_string();
    let (_, made) = server
        .call(
            Method::POST,
            "/v1/webhooks",
            Auth::Bearer(&key),
            Some(&body),
        )
        .await;
    let theirs = made["webhook"]["id"].as_str().unwrap();
    assert_eq!(replay(&server, theirs, since.clone()).await.0, 404);
    assert_eq!(replay(&server, "not-an-id", since.clone()).await.0, 404);
    // Off: a replay is refused, a dry run still counts.
    let path = format!("/v1/webhooks/{webhook}");
    assert_eq!(server.patch(&path, json!({"enabled": false})).await.0, 200);
    assert_eq!(replay(&server, &webhook, since).await.0, 409);
    replayed(
        &server,
        &webhook,
        json!({"since": "2026-01-01", "dry_run": true}),
        0,
    )
    .await;
    server.stop().await;
}
