//! What one delivery costs on the AWS adapters, measured: a runner on
//! recorded SDK clients (against AWS or moto) delivers events to one webhook
//! at fan-out 1, after one event that warms its caches; every call is counted
//! but the ones the event source mapping and EventBridge make, and the write
//! units are computed from the items as they were sent and as they are stored.
//! The pipeline test asserts on it (KMS calls included: none at steady
//! state); the benchmark prints it.

use crate::{aws_adapters, serve};
use aws_sdk_dynamodb::types::AttributeValue;
use hookrelay::adapters::aws::calls::{batch_puts, Call};
use hookrelay::adapters::aws::costs::{item_size, write_units};
use hookrelay::adapters::aws::{sdk_config, AwsClients, CallLog};
use hookrelay::app::App;
use hookrelay::config::Settings;
use hookrelay::ports::clock::SystemClock;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

type Item = HashMap<String, AttributeValue>;

/// Calls the local runner makes to do what AWS does around the functions:
/// the event source mapping's receive/delete, EventBridge firing schedules.
pub const RUNNER_OWN: [&str; 6] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "scheduler:ListSchedules",
    "scheduler:GetSchedule",
    "scheduler:DeleteSchedule",
];

/// The write units of one delivery, and the sizes they come from.
#[derive(Clone, Debug)]
pub struct DeliveryWrites {
    pub units: u64,
    pub event_bytes: usize,
    pub recorded_bytes: usize,
    pub delivered_bytes: usize,
}

#[derive(Clone, Debug)]
pub struct CostReport {
    pub events: usize,
    /// Counted calls by action (`dynamodb:Query`, ...), but stats flushes.
    pub calls: BTreeMap<String, usize>,
    /// UpdateItems that flushed delivery stats or webhook notes (batched: a
    /// few a second).
    pub stats_writes: usize,
    /// UpdateItems that counted ingest requests against the account's
    /// ingest quota (one per request; none with `HOOKRELAY_INGEST_RATE=0`),
    /// each one write unit: a cost of ingest, not of a delivery.
    pub quota_writes: usize,
    pub deliveries: Vec<DeliveryWrites>,
}

impl CostReport {
    pub fn calls_per_delivery(&self) -> f64 {
        self.calls.values().sum::<usize>() as f64 / self.events.max(1) as f64
    }

    pub fn most_write_units(&self) -> u64 {
        self.deliveries.iter().map(|d| d.units).max().unwrap_or(0)
    }
}

fn text(item: &Item, name: &str) -> String {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .cloned()
        .unwrap_or_default()
}

struct Driver {
    client: reqwest::Client,
    api: String,
    key: String,
}

impl Driver {
    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        let response = self
            .client
            .post(format!("{}{path}", self.api))
            .bearer_auth(&self.key)
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("{path}: {e}"))?;
        response.json().await.map_err(|e| format!("{path}: {e}"))
    }

    async fn event(&self, n: usize) -> Result<String, String> {
        let body =
            json!({"name": "order", "type": "paid", "payload": {"order_id": n, "total": "19.99"}});
        let answer = self.post("/v1/events", body).await?;
        answer["deliveries"][0]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no delivery in {answer}"))
    }
}

/// Reads items with a client that is not counted.
struct Reader {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl Reader {
    async fn item(&self, pk: String, sk: String) -> Result<Option<Item>, String> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(pk))
            .key("sk", AttributeValue::S(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| format!("get item: {e}"))?;
        Ok(answer.item)
    }

    /// Waits until every delivery put in `puts` is delivered; their final items.
    async fn delivered(&self, puts: &[Item], count: usize) -> Result<Vec<(Item, Item)>, String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let mut done = Vec::new();
            for put in puts.iter().filter(|i| text(i, "pk").starts_with("D#")) {
                match self.item(text(put, "pk"), text(put, "sk")).await? {
                    Some(stored) if text(&stored, "status") == "delivered" => {
                        done.push((put.clone(), stored))
                    }
                    _ => break,
                }
            }
            if done.len() >= count {
                return Ok(done);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{} of {count} deliveries delivered in 60 s",
                    done.len()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Delivers `events` events to `url` (which must answer 2xx) on the AWS
/// adapters configured by the environment, and reports what they cost.
pub async fn measure(settings: Settings, url: &str, events: usize) -> Result<CostReport, String> {
    let config = sdk_config().await;
    let log = CallLog::new();
    let clients = AwsClients::recorded(&config, &log);
    let adapters = aws_adapters(&settings, clients, Arc::new(SystemClock))
        .await
        .map_err(|e| e.to_string())?;
    let reader = Reader {
        client: aws_sdk_dynamodb::Client::new(&config),
        table: settings.table_name.clone(),
    };
    let app = App::new(adapters, settings).map_err(|e| e.to_string())?;
    let running = serve(app, ([127, 0, 0, 1], 0).into(), None)
        .await
        .map_err(|e| e.to_string())?;
    let driver = Driver {
        client: reqwest::Client::new(),
        api: running.url(),
        key: running.api_key.clone(),
    };
    // Every kind of secret, so that sealing and opening them is counted.
    let url = url.replacen("://", "://costs:url-password@", 1);
    let webhook = json!({"name": "costs", "url": url, "events": ["order.*"],
        "api_key": "endpoint-api-key", "headers": {"X-Token": "header-value"}});
    driver.post("/v1/webhooks", webhook).await?;
    // A warm function: the first event fills the API-key and webhook caches.
    driver.event(0).await?;
    reader.delivered(&batch_puts(&log.snapshot()), 1).await?;
    log.take();
    for n in 1..=events {
        driver.event(n).await?;
    }
    let finals = reader
        .delivered(&batch_puts(&log.snapshot()), events)
        .await?;
    let calls = log.take();
    running.stop().await;
    tally(&calls, &finals, events)
}

/// What the counted `calls` and the deliveries they made (`finals`: as
/// first recorded, as delivered) came to.
fn tally(calls: &[Call], finals: &[(Item, Item)], events: usize) -> Result<CostReport, String> {
    let mut counted = BTreeMap::new();
    // Written once per batch (each second here, each SQS batch in Lambda),
    // not once per delivery: delivery stats, and what senders note on webhooks.
    let is_stats = |c: &&Call| {
        c.body
            .as_deref()
            .is_some_and(|b| b.contains("\"STATS#") || b.contains("\"HEALTH#"))
    };
    let stats_writes = calls.iter().filter(is_stats).count();
    let is_quota = |c: &&Call| c.body.as_deref().is_some_and(|b| b.contains("\"QUOTA#"));
    let quota_writes = calls.iter().filter(is_quota).count();
    for call in calls
        .iter()
        .filter(|c| !RUNNER_OWN.contains(&c.action.as_str()) && !is_stats(c) && !is_quota(c))
    {
        *counted.entry(call.action.clone()).or_default() += 1;
    }
    let stored_events: HashMap<String, Item> = batch_puts(calls)
        .into_iter()
        .filter(|i| text(i, "pk").starts_with("EVENT#"))
        .map(|i| (text(&i, "id"), i))
        .collect();
    let mut deliveries = Vec::new();
    for (recorded, delivered) in finals {
        let event = stored_events
            .get(&text(recorded, "event_id"))
            .ok_or("a delivery whose event was not written in the same batch")?;
        deliveries.push(DeliveryWrites {
            units: write_units(None, Some(event))
                + write_units(None, Some(recorded))
                + write_units(Some(recorded), Some(delivered)),
            event_bytes: item_size(event),
            recorded_bytes: item_size(recorded),
            delivered_bytes: item_size(delivered),
        });
    }
    Ok(CostReport {
        events,
        calls: counted,
        stats_writes,
        quota_writes,
        deliveries,
    })
}
