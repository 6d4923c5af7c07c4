//! The functions as AWS runs them, in process, each on its own recorded SDK
//! clients (so each keeps its own caches, and its calls carry its name):
//! config-api, ingest and query behind the HTTP router; the delivery
//! function fed SQS batches of up to 10 by an event source mapping (receive,
//! `handle_batch`, delete what succeeded, flush stats, as its `main` does);
//! and, when the driver says (after moving the clock), EventBridge firing
//! due schedules and running the sweeper. What AWS itself does is recorded
//! as `aws`.
//!
//! Two things would make the figures depend on timing, and are pinned down:
//! the functions' caches (60 s in production) keep what they read for the
//! whole run, so after a warm-up a delivery pays no refills (what refills
//! cost per warm instance is reported apart); and the driver can hold the
//! event source while it sends, so batches are full, as at scale.

use super::clock::ShiftedClock;
use crate::worker::sqs_record;
use crate::{aws_adapters, VISIBILITY};
use aws_lambda_events::sqs::SqsEvent;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_sqs::types::QueueAttributeName;
use hookrelay::adapters::aws::{sdk_config, AwsClients, CallLog, SqsQueue};
use hookrelay::app::App;
use hookrelay::config::Settings;
use hookrelay::ports::queue::Received;
use hookrelay::warm::Warm;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub type Item = HashMap<String, AttributeValue>;

/// Who makes a call, as the log tags it.
pub const ORIGINS: [&str; 6] = [
    "config-api",
    "ingest",
    "query",
    "delivery",
    "sweeper",
    "aws",
];
/// The tag of AWS's own calls: the event source mapping, EventBridge.
pub const AWS_OWN: &str = "aws";
/// How long the functions' caches keep entries: longer than the run's clock.
const CACHE_SECONDS: i64 = 30 * 86_400;

/// What the event source mapping does now: whether it is held, and the
/// batches and messages it handed over.
#[derive(Debug, Default)]
struct Source {
    held: AtomicBool,
    busy: AtomicBool,
    batches: AtomicU64,
    messages: AtomicU64,
}

pub struct Functions {
    pub log: CallLog,
    pub clock: Arc<ShiftedClock>,
    /// The HTTP API's base URL.
    pub api: String,
    apps: HashMap<&'static str, App>,
    /// Uncounted clients: what the driver looks at is not the workload's.
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
    dynamodb: aws_sdk_dynamodb::Client,
    table: String,
    source: Arc<Source>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

fn failed(what: &str) -> impl Fn(String) -> String + '_ {
    move |err| format!("{what}: {err}")
}

impl Functions {
    pub async fn start(settings: &Settings) -> Result<Self, String> {
        let config = sdk_config().await;
        let log = CallLog::replayable();
        let clock = Arc::new(ShiftedClock::default());
        let mut apps = HashMap::new();
        for origin in ORIGINS {
            let clients = AwsClients::recorded(&config, &log.tagged(origin));
            let adapters = aws_adapters(settings, clients, clock.clone())
                .await
                .map_err(|e| failed(origin)(e.to_string()))?;
            let mut app = App::new(adapters, settings.clone()).map_err(|e| e.to_string())?;
            app.warm = Arc::new(Warm::keeping_for(CACHE_SECONDS, CACHE_SECONDS));
            apps.insert(origin, app);
        }
        let sqs = aws_sdk_sqs::Client::new(&config);
        let queue_name = format!("{}-deliveries", settings.table_name);
        let queue = SqsQueue::ensure(&sqs, &queue_name, VISIBILITY)
            .await
            .map_err(|e| e.to_string())?;
        let (stop, stopped) = watch::channel(false);
        let mut functions = Self {
            log,
            clock,
            api: String::new(),
            apps,
            sqs,
            queue_url: queue.url,
            dynamodb: aws_sdk_dynamodb::Client::new(&config),
            table: settings.table_name.clone(),
            source: Arc::default(),
            stop,
            tasks: Vec::new(),
        };
        functions.serve_api(stopped.clone()).await?;
        functions.start_event_source(stopped);
        Ok(functions)
    }

    fn app(&self, origin: &str) -> App {
        // Every origin's app is built in `start`.
        self.apps[origin].clone()
    }

    async fn serve_api(&mut self, mut stopped: watch::Receiver<bool>) -> Result<(), String> {
        let routes = hookrelay_config_api::routes()
            .with_state(self.app("config-api"))
            .merge(hookrelay_ingest::routes().with_state(self.app("ingest")))
            .merge(hookrelay_query::routes().with_state(self.app("query")));
        let router = hookrelay::http::with_fallbacks(routes);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| failed("api")(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| failed("api")(e.to_string()))?;
        self.api = format!("http://{addr}");
        self.tasks.push(tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            });
            if let Err(err) = serving.await {
                tracing::warn!(error = %err, "the workload's API stopped");
            }
        }));
        Ok(())
    }

    fn start_event_source(&mut self, mut stopped: watch::Receiver<bool>) {
        let (delivery, aws, source) = (self.app("delivery"), self.app("aws"), self.source.clone());
        self.tasks.push(tokio::spawn(async move {
            while !*stopped.borrow() {
                if source.held.load(Ordering::SeqCst) {
                    let _ =
                        tokio::time::timeout(Duration::from_millis(50), stopped.changed()).await;
                    continue;
                }
                let received = tokio::select! {
                    received = aws.queue.receive(10, Duration::from_secs(1)) => received,
                    _ = stopped.changed() => return,
                };
                match received {
                    Ok(batch) if batch.is_empty() => {}
                    Ok(batch) => {
                        source.busy.store(true, Ordering::SeqCst);
                        source.batches.fetch_add(1, Ordering::SeqCst);
                        source
                            .messages
                            .fetch_add(batch.len() as u64, Ordering::SeqCst);
                        invoke(&delivery, &aws, batch).await;
                        source.busy.store(false, Ordering::SeqCst);
                    }
                    Err(err) => tracing::warn!(error = %err, "receive failed"),
                }
            }
        }));
    }

    /// Holds the event source (`true`) while the driver sends, so what
    /// was sent waits in the queue and goes in full batches, or lets it go.
    pub fn hold(&self, held: bool) {
        self.source.held.store(held, Ordering::SeqCst);
    }

    /// The batches the delivery function got and their messages, since the last call.
    pub fn take_batches(&self) -> (u64, u64) {
        let batches = self.source.batches.swap(0, Ordering::SeqCst);
        (batches, self.source.messages.swap(0, Ordering::SeqCst))
    }

    /// EventBridge: every schedule due by the workload's clock goes on the queue.
    pub async fn fire_schedules(&self) -> Result<(), String> {
        crate::worker::fire_due_schedules(&self.app("aws"))
            .await
            .map_err(|e| failed("firing schedules")(e.to_string()))
    }

    /// The sweeper's EventBridge rule.
    pub async fn sweep(&self) -> Result<(), String> {
        hookrelay::pipeline::sweep::sweep(&self.app("sweeper"), Duration::from_secs(10))
            .await
            .map(|_| ())
            .map_err(|e| failed("sweep")(e.to_string()))
    }

    /// Waits until the queue holds nothing (visible, delayed or in flight)
    /// and no batch is being handled, twice in a row.
    pub async fn drained(&self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        let mut quiet = 0;
        while quiet < 2 {
            if Instant::now() > deadline {
                return Err(format!("the queue did not drain in {limit:?}"));
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            let idle = !self.source.busy.load(Ordering::SeqCst) && self.queued().await? == 0;
            quiet = if idle { quiet + 1 } else { 0 };
        }
        Ok(())
    }

    async fn queued(&self) -> Result<u64, String> {
        let counts = [
            QueueAttributeName::ApproximateNumberOfMessages,
            QueueAttributeName::ApproximateNumberOfMessagesDelayed,
            QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
        ];
        let answer = self
            .sqs
            .get_queue_attributes()
            .queue_url(&self.queue_url)
            .set_attribute_names(Some(counts.to_vec()))
            .send()
            .await
            .map_err(|e| failed("queue attributes")(e.to_string()))?;
        let attributes = answer.attributes.unwrap_or_default();
        Ok(counts
            .iter()
            .filter_map(|name| attributes.get(name)?.parse::<u64>().ok())
            .sum())
    }

    /// Every item in the table, read with an uncounted client.
    pub async fn stored_items(&self) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .dynamodb
                .scan()
                .table_name(&self.table)
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| failed("scan")(e.to_string()))?;
            items.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// One invocation of the delivery function on `batch`, as Lambda's event
/// source mapping makes it: what succeeded is deleted, then stats are flushed.
async fn invoke(delivery: &App, aws: &App, batch: Vec<Received>) {
    let mut event = SqsEvent::default();
    let mut handles = HashMap::new();
    for message in batch {
        handles.insert(message.message_id.clone(), message.receipt_handle.clone());
        event.records.push(sqs_record(message));
    }
    let response = hookrelay_delivery::handle_batch(delivery, event).await;
    for failure in response.batch_item_failures {
        handles.remove(&failure.item_identifier);
    }
    for receipt in handles.values() {
        if let Err(err) = aws.queue.delete(receipt).await {
            tracing::warn!(error = %err, "delete failed; the message comes back");
        }
    }
    hookrelay::pipeline::attempt::after_batch(delivery).await;
}
