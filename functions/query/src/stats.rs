//! Delivery stats routes:
//!
//! | route | handler |
//! |---|---|
//! | GET /v1/stats | [`account`] |
//! | GET /v1/webhooks/{id}/stats | [`webhook`] |
//!
//! Each answer sums the hourly counters (`hookrelay::pipeline::stats_buffer`) of its window
//! into hours or days: one Query of at most one item per hour, never a read
//! of the deliveries themselves.

use crate::deliveries::own_webhook;
use axum::extract::Path;
use hookrelay::app::App;
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::stats::{Granularity, StatsScope, Tally};
use hookrelay::domain::time::Timestamp;
use hookrelay::http::answers::{InvalidParameter, NoSuchWebhook, WebhookPath};
use hookrelay::http::query::Query;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct StatusCounts {
    /// Attempts that delivered (2xx).
    pub delivered: u64,
    /// Attempts that failed with a retry to follow.
    pub scheduled: u64,
    /// Deliveries that ended failed: their last attempt, or none (webhook
    /// disabled or deleted, event expired).
    pub failed: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Figures {
    pub attempts: u64,
    /// Attempts without a 2xx.
    pub errors: u64,
    /// errors / attempts; 0 without attempts.
    pub error_rate: f64,
    /// The median send duration, from a histogram (exact to its buckets:
    /// 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000 ms);
    /// null without attempts.
    pub median_duration_ms: Option<u64>,
    pub counts: StatusCounts,
}

impl From<&Tally> for Figures {
    fn from(tally: &Tally) -> Self {
        Self {
            attempts: tally.attempts,
            errors: tally.errors,
            error_rate: tally.error_rate(),
            median_duration_ms: tally.median_ms(),
            counts: StatusCounts {
                delivered: tally.delivered,
                scheduled: tally.scheduled,
                failed: tally.failed,
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Bucket {
    pub start: String,
    pub end: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    /// Null for the account-wide stats.
    pub webhook_id: Option<String>,
    /// hour or day
    pub granularity: String,
    /// The window, on bucket boundaries (UTC).
    pub start: String,
    pub end: String,
    /// The whole window.
    pub totals: Figures,
    /// Every bucket of the window, oldest first (empty ones too).
    pub buckets: Vec<Bucket>,
}

/// The window asked for, on bucket boundaries.
struct Window {
    granularity: Granularity,
    start: Timestamp,
    end: Timestamp,
}

/// `granularity` (hour, default, or day), `end` (default now) and `start`
/// (default a day or 30 days before `end`). A longer window than one answer
/// holds keeps its last buckets; an `end` at or before `start` has none.
fn window(mut query: Query, now: Timestamp) -> Result<Window, ApiError> {
    query.allow(&["start", "end", "granularity"]);
    let granularity = query
        .get("granularity", Granularity::parse)
        .unwrap_or(Granularity::Hour);
    let end = query.get("end", Timestamp::parse);
    let start = query.get("start", Timestamp::parse);
    query.finish()?;
    let end = granularity.ceil(end.unwrap_or(now));
    let default_span = match granularity {
        Granularity::Hour => 24,
        Granularity::Day => 30,
    };
    let width = granularity.seconds();
    let earliest = end.plus_seconds(-width * granularity.max_buckets());
    let start = start
        .map(|s| granularity.floor(s))
        .unwrap_or_else(|| end.plus_seconds(-width * default_span))
        .max(earliest);
    Ok(Window {
        granularity,
        start,
        end: end.max(start),
    })
}

async fn stats(app: &App, account: AccountId, scope: StatsScope, window: Window) -> Answer<Stats> {
    let hours = app
        .store
        .read_stats(account, scope, window.start, window.end)
        .await?;
    let width = window.granularity.seconds();
    let mut buckets: BTreeMap<Timestamp, Tally> = BTreeMap::new();
    let mut at = window.start;
    while at < window.end {
        buckets.insert(at, Tally::default());
        at = at.plus_seconds(width);
    }
    let mut totals = Tally::default();
    for (hour, tally) in &hours {
        totals.merge(tally);
        if let Some(bucket) = buckets.get_mut(&window.granularity.floor(*hour)) {
            bucket.merge(tally);
        }
    }
    Ok(Reply::ok(Stats {
        webhook_id: match scope {
            StatsScope::Account => None,
            StatsScope::Webhook(id) => Some(id.to_string()),
        },
        granularity: window.granularity.as_str().to_owned(),
        start: window.start.to_string(),
        end: window.end.to_string(),
        totals: Figures::from(&totals),
        buckets: buckets
            .iter()
            .map(|(start, tally)| Bucket {
                start: start.to_string(),
                end: start.plus_seconds(width).to_string(),
                figures: Figures::from(tally),
            })
            .collect(),
    }))
}

/// Get the account's delivery stats
///
/// Attempts, errors, error rate, median duration and delivery counts per hour or day
/// (`granularity`, UTC) over a window (`start`, `end`), with `totals`: every bucket of the
/// window, empty ones too, oldest first.
///
/// Any scope may call it. 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/stats", operation_id = "getAccountStats", tag = "stats",
    params(StatsQuery),
    responses(
        (status = 200, description = "The account's delivery stats per bucket", body = Stats),
        InvalidParameter,
    )
)]
pub async fn account(Scope(app, account): Scope, query: Query) -> Answer<Stats> {
    let window = window(query, app.clock.now())?;
    stats(&app, account, StatsScope::Account, window).await
}

/// Get a webhook's delivery stats
///
/// The stats of `GET /v1/stats` for one webhook's deliveries.
///
/// Any scope may call it. 404 for an unknown webhook, 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/webhooks/{id}/stats", operation_id = "getWebhookStats", tag = "stats", params(WebhookPath, StatsQuery),
    responses(
        (status = 200, description = "The webhook's delivery stats per bucket", body = Stats),
        NoSuchWebhook, InvalidParameter,
    )
)]
pub async fn webhook(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    query: Query,
) -> Answer<Stats> {
    let webhook = own_webhook(&app, account, &id).await?;
    let window = window(query, app.clock.now())?;
    stats(&app, account, StatsScope::Webhook(webhook), window).await
}

#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes query parameters for OpenAPI
pub struct StatsQuery {
    /// Start of the window (ISO-8601 UTC), floored to its bucket; default a
    /// day (hour) or 30 days (day) before `end`. At most 744 hours or 90
    /// days: a longer window keeps its last ones.
    #[param(format = DateTime)]
    start: Option<String>,
    /// End of the window (exclusive; ISO-8601 UTC), rounded up to its
    /// bucket; default now. At or before `start`: no buckets.
    #[param(format = DateTime)]
    end: Option<String>,
    /// hour (default) or day (UTC days)
    #[param(pattern = "^(hour|day)$")]
    granularity: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use hookrelay::domain::stats::DURATION_BUCKETS;
    use hookrelay::http::page_size::{escaped_len, ANSWER_BUDGET};

    /// Stats are not paged: their longest window (744 hours) with the
    /// largest counts answers far under what a list page may take.
    #[test]
    fn the_longest_window_answers_far_under_the_page_budget() {
        // As large as the median's sum over the duration buckets allows.
        let most = u64::MAX / 64;
        let tally = Tally {
            attempts: most,
            errors: most,
            delivered: most,
            scheduled: most,
            failed: most,
            durations: [most; DURATION_BUCKETS],
        };
        let time = "2026-11-22T12:00:00.000Z".to_owned();
        let bucket = || Bucket {
            start: time.clone(),
            end: time.clone(),
            figures: Figures::from(&tally),
        };
        let hours = Granularity::Hour.max_buckets() as usize;
        let stats = Stats {
            webhook_id: Some("01a20435-db85-7331-8eb8-7ca5b7410b5a".into()),
            granularity: "hour".into(),
            start: time.clone(),
            end: time.clone(),
            totals: Figures::from(&tally),
            buckets: (0..hours).map(|_| bucket()).collect(),
        };
        let encoded = escaped_len(&serde_json::to_vec(&stats).unwrap());
        assert!(encoded < ANSWER_BUDGET / 10, "{encoded} bytes");
    }
}
