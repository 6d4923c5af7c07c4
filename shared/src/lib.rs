//! hookrelay's shared core: domain types that cannot hold bad values, the ports
//! business rules talk to and their AWS and in-memory adapters, the use cases
//! (an event's pipeline, and the operations an API call starts), and the HTTP
//! pieces every API function uses. The function crates only parse, call one
//! use case and shape the answer.
//!
//! # Layout
//!
//! ```text
//! app.rs          App: the ports (Store, Queue, Scheduler, Clock, Random, Resolver,
//!                 Sender, Metrics, the Sealer on the KeyRing) and the settings,
//!                 built once per process
//! warm/           Warm: what a warm process keeps between requests (sender
//!                 caches, unwritten notes and stats, API keys, subscribers)
//! error.rs        DispatchError: the pipeline's one error (infrastructure down)
//! domain/         values and rules, no I/O: accounts and their API keys (scopes),
//!                 webhooks, events, deliveries and their state machine
//!                 (`Change` → `Effects`), tasks, wake buckets
//! ports/          the traits use cases talk to; adapters/ implements them
//!                 (aws: DynamoDB, SQS, Scheduler; memory: local mode and tests)
//! sealing/        secrets at rest: the one seal/open step (a webhook's secrets, an
//!                 ad-hoc URL's password) and the data keys a warm process keeps
//! net/ http/      the one HTTP client and its address rule; the API's envelope,
//!                 errors, body and query parsing, auth
//! config/ telemetry.rs  settings from the environment (config/keys.rs: the keys that seal)
//! pipeline/       what happens to an event, in the order it lives (below)
//! operations/     what an API call starts: test_send, retry, recover, purge
//!                 (a deleted webhook's deliveries), poll (a poll webhook's feed:
//!                 acknowledge a cursor's page, hand out the next, signed);
//!                 operations use the pipeline, never the other way round
//! ```
//!
//! # Life of an event
//!
//! 1. **Ingest** (`functions/ingest`) validates the event and hands it to
//!    [`pipeline::fanout`]: the event and one delivery per matching webhook are
//!    recorded in one write, and each delivery's first message
//!    ([`pipeline::enqueue`]) goes on the queue; a larger fan-out continues as a
//!    background task ([`pipeline::tasks`]), a page of webhooks per step.
//! 2. **Waits** ([`pipeline::wake`]): a message due within 15 minutes is a
//!    queue delay; a later one waits in a wake bucket whose one schedule puts
//!    its deliveries back on the queue at their second.
//! 3. **Routing** ([`pipeline::router`]): the delivery function (or the local
//!    worker) hands each queue message to its use case: a delivery's attempt,
//!    a task's step, or a wake bucket that fired.
//! 4. **Triage** ([`pipeline::dispatch`]): a fresh first message is trusted;
//!    any other claims the delivery first, so an attempt is sent once; a
//!    rate-limited webhook's send slot is reserved.
//! 5. **Attempt** ([`pipeline::attempt`]): the request ([`pipeline::request`]:
//!    body, headers, signatures) is sent once and recorded with one conditional
//!    write: `delivered`, the next attempt (back to step 2), or `failed`.
//! 6. **After the batch**: what the sender noted on each webhook
//!    ([`pipeline::notes`]) is written, the failure rule applied
//!    ([`pipeline::auto_disable`]: `webhook.failing`, then switched off with
//!    `webhook.disabled`, each an event of its own, back to step 1), and the
//!    delivery counters flushed ([`warm::stats_buffer`]).
//! 7. **Backstop** ([`pipeline::sweep`]): whatever a lost message left past its
//!    sweep time (a delivery or a task step) is queued again.
//!
//! A poll webhook's deliveries (`"delivery": "poll"`) stop after step 1: they
//! are recorded in the webhook's feed with no message, and
//! [`operations::poll`] hands them out, signed as step 5 would send them,
//! when the account fetches them; a later fetch acknowledges them.
//!
//! Any step may also be started by an API call ([`operations`]): a test-send
//! or a retry makes an attempt now (step 5); a recover queues failed
//! deliveries again (step 3), a delete purges a webhook's deliveries.

pub mod adapters;
pub mod app;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod net;
pub mod operations;
pub mod pipeline;
pub mod ports;
pub mod sealing;
pub mod telemetry;
pub mod warm;
