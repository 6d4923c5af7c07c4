//! Each function's IAM policy in template.yaml allows every AWS call that
//! function makes. moto checks no IAM, so this test runs each function on
//! its own SDK clients (recorded by the call interceptor) against moto,
//! drives every route and background path, and compares what each called
//! with what its policy allows.

use crate::helpers;
use crate::helpers::receiver::Receiver;
use crate::helpers::template::template;
use crate::helpers::{eventually, Auth, Server};
use hookrelay::adapters::aws::{sdk_config, AwsClients, CallLog};
use hookrelay::app::App;
use hookrelay::config::Settings;
use hookrelay::domain::account::ApiKey;
use hookrelay::net::address::SystemResolver;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay::ports::random::OsRandom;
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

/// Every action a function's inline policies allow.
fn allowed(template: &Value, function: &str) -> BTreeSet<String> {
    let policies = &template["Resources"][function]["Properties"]["Policies"];
    let mut actions = BTreeSet::new();
    for policy in policies
        .as_array()
        .unwrap_or_else(|| panic!("{function} has no Policies"))
    {
        for statement in policy["Statement"].as_array().into_iter().flatten() {
            if statement["Effect"] != "Allow" {
                continue;
            }
            match &statement["Action"] {
                Value::String(one) => {
                    actions.insert(one.clone());
                }
                Value::Array(many) => {
                    actions.extend(many.iter().filter_map(|a| a.as_str().map(str::to_owned)));
                }
                _ => {}
            }
        }
    }
    actions
}

/// Calls made by EventBridge itself (firing schedules), which the local runner
/// does on the delivery function's clients.
const EVENTBRIDGE_OWN: [&str; 3] = [
    "scheduler:ListSchedules",
    "scheduler:GetSchedule",
    "scheduler:DeleteSchedule",
];

/// The IAM action that authorizes an API call: SQS's batch calls are
/// authorized by their single-message action.
fn iam_action(call: &str) -> String {
    match call
        .strip_prefix("sqs:")
        .and_then(|op| op.strip_suffix("Batch"))
    {
        Some(single) => format!("sqs:{single}"),
        None => call.to_owned(),
    }
}

const FUNCTIONS: [&str; 5] = [
    "ConfigApiFunction",
    "IngestFunction",
    "QueryFunction",
    "DeliveryFunction",
    "SweeperFunction",
];

#[tokio::test]
async fn every_call_each_function_makes_is_allowed_by_its_policy() {
    let mut settings = helpers::settings(Backend::Aws);
    // A second retry long enough to go through the Scheduler.
    settings.retry_schedule = vec![1, 1_000];
    settings.send_timeout = Duration::from_secs(2);
    // The gone webhook's third failed delivery switches it off (with notice).
    settings.health.after_failures = 3;
    settings.health.after_seconds = 0;
    let (apps, logs) = each_function(&settings).await;
    let server = serve_functions(&apps).await;
    let receiver = Receiver::start().await;
    every_path(&server, &receiver).await;
    let swept = hookrelay::pipeline::sweep::sweep(&apps["SweeperFunction"], Duration::from_secs(5))
        .await
        .expect("sweep");
    assert!(swept >= 1, "the delayed delivery, three hours on");
    let refused = refused_calls(&logs);
    assert!(
        refused.is_empty(),
        "not allowed by template.yaml: {refused:#?}"
    );
    server.stop().await;
}

/// The functions may use one KMS key, the one that seals secrets at rest.
#[test]
fn kms_is_allowed_on_the_secrets_key_only() {
    let template = template();
    let secrets_key = json!({"Fn::GetAtt": ["SecretsKey", "Arn"]});
    for function in FUNCTIONS {
        let policies = &template["Resources"][function]["Properties"]["Policies"];
        let statements = policies
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p["Statement"].as_array().cloned().unwrap_or_default());
        let mut kms = 0;
        for statement in statements {
            let actions = match &statement["Action"] {
                Value::Array(many) => many.clone(),
                one => vec![one.clone()],
            };
            if actions
                .iter()
                .any(|a| a.as_str().is_some_and(|a| a.starts_with("kms:")))
            {
                kms += 1;
                assert_eq!(
                    statement["Resource"], secrets_key,
                    "{function}: {statement}"
                );
            }
        }
        assert_eq!(kms, 1, "{function} may use the secrets key");
    }
    let variables = &template["Globals"]["Function"]["Environment"]["Variables"];
    assert_eq!(variables["KMS_KEY_ARN"], secrets_key);
    let key = &template["Resources"]["SecretsKey"]["Properties"];
    assert_eq!(key["EnableKeyRotation"], true);
}

/// Each function's app on its own recorded SDK clients.
async fn each_function(
    settings: &Settings,
) -> (BTreeMap<&'static str, App>, BTreeMap<&'static str, CallLog>) {
    let config = sdk_config().await;
    let mut logs = BTreeMap::new();
    let mut apps = BTreeMap::new();
    for function in FUNCTIONS {
        let log = CallLog::new();
        // The sweeper runs three hours on, when the delayed event is overdue.
        let clock: Arc<dyn Clock> = match function {
            "SweeperFunction" => {
                Arc::new(ManualClock::new(SystemClock.now().plus_seconds(3 * 3600)))
            }
            _ => Arc::new(SystemClock),
        };
        let adapters =
            hookrelay_local::aws_adapters(settings, AwsClients::recorded(&config, &log), clock)
                .await
                .expect("adapters on moto");
        let app =
            App::with_resolver(adapters, settings.clone(), Arc::new(SystemResolver)).expect("app");
        log.take(); // creating the table and queue is the template's job
        logs.insert(function, log);
        apps.insert(function, app);
    }
    (apps, logs)
}

/// A runner whose routes and worker are each served by their function's app.
async fn serve_functions(apps: &BTreeMap<&'static str, App>) -> Server {
    let routes = hookrelay_config_api::routes()
        .with_state(apps["ConfigApiFunction"].clone())
        .merge(hookrelay_ingest::routes().with_state(apps["IngestFunction"].clone()))
        .merge(hookrelay_query::routes().with_state(apps["QueryFunction"].clone()));
    let key = ApiKey::generate(&OsRandom);
    let account = hookrelay_local::default_account(&apps["ConfigApiFunction"], &key)
        .await
        .expect("account");
    let running = hookrelay_local::serve_split(
        hookrelay::http::with_fallbacks(routes),
        apps["DeliveryFunction"].clone(),
        "127.0.0.1:0".parse().expect("addr"),
        &key,
        account,
    )
    .await
    .expect("serve");
    Server::on(running, apps["ConfigApiFunction"].clone())
}

/// Each call a function made that its policy does not allow.
fn refused_calls(logs: &BTreeMap<&'static str, CallLog>) -> Vec<String> {
    let template = template();
    let mut refused = Vec::new();
    for (function, log) in logs {
        let calls = log.take();
        let kms = calls.iter().filter(|c| c.action.starts_with("kms:"));
        println!("{function}: {} KMS calls", kms.count());
        let made: BTreeSet<String> = calls
            .into_iter()
            .map(|call| iam_action(&call.action))
            .filter(|a| !(*function == "DeliveryFunction" && EVENTBRIDGE_OWN.contains(&a.as_str())))
            .collect();
        let allows = allowed(&template, function);
        println!("{function}: {made:?}");
        assert!(
            !made.is_empty(),
            "{function} made no call: the scenario misses it"
        );
        refused.extend(
            made.difference(&allows)
                .map(|action| format!("{function} calls {action}")),
        );
    }
    refused
}

/// The webhooks of `every_path`, by what their endpoint answers.
struct Hooks {
    ok: String,
    gone: String,
    failing: String,
}

/// Every route, and the background paths behind them (fan-out through the
/// queue, a retry through the Scheduler, test-send, retry, recover, replay,
/// purge).
async fn every_path(server: &Server, receiver: &Receiver) {
    let hook = |name: &str, path: &str| json!({"name": name, "url": receiver.url(path), "events": ["order.*"]});
    let hooks = Hooks {
        ok: server.webhook_id(hook("ok", "ok")).await,
        gone: server.webhook_id(hook("gone", "gone")).await,
        failing: server.webhook_id(hook("fail", "fail")).await,
    };
    webhook_paths(server, &hooks.ok).await;
    let event_id = event_paths(server, receiver).await;
    delivery_paths(server, &hooks, &event_id).await;
    console_paths(server).await;
    key_paths(server).await;
}

/// Each request, with the server's key (and its JSON body), answered 200.
async fn all_ok(server: &Server, requests: Vec<(Method, String, Option<Value>)>) {
    for (method, path, body) in requests {
        let (status, answer) = server.request(method.clone(), &path, body).await;
        assert_eq!(status, 200, "{method} {path}: {answer}");
    }
}

/// Read, change, rotate and test-send a webhook.
async fn webhook_paths(server: &Server, ok: &str) {
    let one = format!("/v1/webhooks/{ok}");
    let change = Some(json!({"description": "d"}));
    let post = |path: String| (Method::POST, path, Some(json!({})));
    let requests = vec![
        (Method::GET, one.clone(), None),
        (Method::GET, "/v1/webhooks?sort=updated_at".into(), None),
        (Method::PATCH, one.clone(), change),
        post(format!("{one}/secret/rotate")),
        post(format!("{one}/test")),
        (
            Method::POST,
            "/v1/filters/test".into(),
            Some(filter_tried()),
        ),
    ];
    all_ok(server, requests).await;
}

/// A filter tried on an example (it reads nothing from AWS).
fn filter_tried() -> Value {
    json!({"filter": {"payload": {"n": [1]}}, "event": "order.paid", "payload": {"n": 1}})
}

/// Events now, delayed, and fanned out through the queue, until the
/// failing webhook has been tried twice; the id of the first event.
async fn event_paths(server: &Server, receiver: &Receiver) -> String {
    let event =
        |delay: u32| json!({"name": "order", "type": "paid", "payload": {"n": 1}, "delay": delay});
    assert_eq!(server.post("/v1/events", event(0)).await.0, 202);
    assert_eq!(server.post("/v1/events", event(3_600)).await.0, 202);
    // An ad-hoc URL with a password: sealed at ingest, opened to send.
    let ad_hoc = receiver.url("ok").replacen("://", "://user:password@", 1);
    let mut sealed = event(0);
    sealed["webhook"] = json!({ "url": ad_hoc });
    assert_eq!(server.post("/v1/events", sealed).await.0, 202);
    let (_, answer) = server.post_text("/v1/events", &event(0).to_string()).await;
    let event_id = answer["id"].as_str().unwrap().to_owned();
    let batch = json!({"events": [event(0), event(3_600)]});
    let (status, answer) = server.post("/v1/events/batch", batch).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["code"] == 202),
        "{answer}"
    );
    // Past one page of webhooks: the fan-out goes through the queue.
    for n in 0..100 {
        server
            .create_webhook(json!({"name": format!("more {n}"), "url": receiver.url("ok"), "events": ["order.*"]}))
            .await;
    }
    // Ingest is another function here: it sees new webhooks once its
    // subscriber cache's bound has passed (as on AWS).
    tokio::time::sleep(Duration::from_secs(
        hookrelay::warm::SUBSCRIBERS_SECONDS.unsigned_abs() + 1,
    ))
    .await;
    assert_eq!(server.post("/v1/events", event(0)).await.0, 202);
    eventually(120, "the fan-out through the queue", || async {
        (receiver.requests("ok").len() >= 105).then_some(())
    })
    .await;
    eventually(30, "the failing webhook's second attempt", || async {
        (receiver.requests("fail").len() >= 2).then_some(())
    })
    .await;
    event_id
}

/// The log, stats, retry, recover, replay (and on again with it) and delete.
async fn delivery_paths(server: &Server, hooks: &Hooks, event_id: &str) {
    let Hooks { ok, gone, failing } = hooks;
    let read = |path: String| (Method::GET, path, None);
    let mut requests: Vec<_> = [
        "/v1/stats?granularity=day".to_owned(),
        format!("/v1/webhooks/{ok}/stats"),
        format!("/v1/deliveries?event_id={event_id}"),
        "/v1/deliveries?status=failed".to_owned(),
        "/v1/deliveries?status=delivered,scheduled&sort=updated_at".to_owned(),
        format!("/v1/webhooks/{ok}/deliveries"),
    ]
    .into_iter()
    .map(read)
    .collect();
    let (_, delivered) = server
        .get(&format!("/v1/webhooks/{ok}/deliveries?status=delivered"))
        .await;
    let one = format!(
        "/v1/deliveries/{}",
        delivered["deliveries"][0]["id"].as_str().unwrap()
    );
    requests.push(read(one.clone()));
    requests.push((Method::POST, format!("{one}/retry"), Some(json!({}))));
    all_ok(server, requests).await;
    eventually(30, "the gone webhook's deliveries to fail", || async {
        let (_, failed) = server
            .get(&format!("/v1/webhooks/{gone}/deliveries?status=failed"))
            .await;
        (failed["deliveries"].as_array().map_or(0, Vec::len) >= 3).then_some(())
    })
    .await;
    // Switched off (and so sealed again) by the delivery function: read here.
    assert_eq!(server.get(&format!("/v1/webhooks/{gone}")).await.0, 200);
    let since = Some(json!({"since": "2000-01-01"}));
    let recover = format!("/v1/webhooks/{gone}/recover");
    let replay = format!("/v1/webhooks/{ok}/replay");
    let counted = Some(json!({"since": "2000-01-01", "dry_run": true}));
    // Switched on again by the config-api function, with what failed while off.
    let on = Some(json!({"enabled": true, "replay_failed": true}));
    let delete = format!("/v1/webhooks/{failing}");
    let requests = vec![
        (Method::POST, recover, since.clone()),
        (Method::POST, replay.clone(), counted),
        (Method::POST, replay, since),
        (Method::PATCH, format!("/v1/webhooks/{gone}"), on),
        (Method::DELETE, delete, None),
    ];
    all_ok(server, requests).await;
}

/// The console's own routes: the catalogue, links, and a request made with a link.
async fn console_paths(server: &Server) {
    let body = json!({"name": "order", "type": "paid", "example": {"id": 1}});
    assert_eq!(server.post("/v1/event-types", body).await.0, 201);
    assert_eq!(server.get("/v1/event-types?limit=1").await.0, 200);
    assert_eq!(server.get("/v1/event-types/order.paid").await.0, 200);
    let change = json!({"description": "d"});
    assert_eq!(
        server.patch("/v1/event-types/order.paid", change).await.0,
        200
    );
    assert_eq!(server.delete("/v1/event-types/order.paid").await.0, 200);
    let (status, link) = server.post("/v1/console-links", json!({})).await;
    assert_eq!(status, 201);
    assert_eq!(server.get("/v1/console-links").await.0, 200);
    let token = link["console_link"]["token"].as_str().unwrap();
    let (status, _) = server
        .call(Method::GET, "/v1/account", Auth::Bearer(token), None)
        .await;
    assert_eq!(status, 200);
    let id = link["console_link"]["id"].as_str().unwrap();
    let path = format!("/v1/console-links/{id}");
    assert_eq!(server.delete(&path).await.0, 200);
}

/// API keys: made, used by the query function (which notes the use), listed, revoked.
async fn key_paths(server: &Server) {
    let (status, made) = server
        .post("/v1/api-keys", json!({"name": "reader", "scope": "read"}))
        .await;
    assert_eq!(status, 201);
    let key = made["api_key"]["key"].as_str().unwrap();
    let (status, _) = server
        .call(reqwest::Method::GET, "/v1/stats", Auth::Bearer(key), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(server.get("/v1/api-keys").await.0, 200);
    let id = made["api_key"]["id"].as_str().unwrap();
    assert_eq!(server.delete(&format!("/v1/api-keys/{id}")).await.0, 200);
}
