//! `hookrelay deliveries list | get | retry | tail`.

use crate::args::{Deliveries, LogFilter};
use crate::output::Out;
use crate::Failure;
use hookrelay_client::{Client, Delivery};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

const HEADERS: [&str; 7] = [
    "ID", "STATUS", "CODE", "ATTEMPTS", "EVENT", "WEBHOOK", "CREATED",
];

pub async fn run(
    client: &Client,
    command: Deliveries,
    out: &mut Out<'_>,
    stop: impl Future<Output = ()>,
) -> Result<(), Failure> {
    match command {
        Deliveries::List(filter) => {
            let page = list(client, &filter, None).await?;
            let rows: Vec<Vec<String>> = page.0.iter().map(row).collect();
            let machine = json!({"deliveries": page.0.iter().map(view).collect::<Vec<_>>(),
                "next_cursor": page.1});
            out.table(&HEADERS, &rows, &machine);
        }
        Deliveries::Get { id } => {
            let one = client.get_delivery(&id).await?;
            out.done(&detail(&one), &view(&one));
        }
        Deliveries::Retry { id } => {
            let again = client.retry_delivery(&id).await?;
            let human = format!(
                "Sent {} again: {} (HTTP {}).",
                again.id, again.status, again.code
            );
            out.done(&human, &view(&again));
        }
        Deliveries::Tail {
            filter,
            interval_ms,
        } => {
            tail(
                client,
                &filter,
                Duration::from_millis(interval_ms),
                out,
                stop,
            )
            .await?
        }
    }
    Ok(())
}

async fn list(
    client: &Client,
    filter: &LogFilter,
    sort: Option<&str>,
) -> Result<(Vec<Delivery>, Option<String>), Failure> {
    let mut query = filter.query();
    if let Some(sort) = sort {
        query.push(("sort", sort.to_owned()));
    }
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = client.list_deliveries(&pairs).await?;
    Ok((page.deliveries, page.next_cursor))
}

/// Prints each delivery that appears or changes (status, attempts) until
/// `stop`, oldest change first, looking every `every`.
async fn tail(
    client: &Client,
    filter: &LogFilter,
    every: Duration,
    out: &mut Out<'_>,
    stop: impl Future<Output = ()>,
) -> Result<(), Failure> {
    let mut seen: HashMap<String, (String, u32)> = HashMap::new();
    tokio::pin!(stop);
    loop {
        let (mut recent, _) = list(client, filter, Some("updated_at")).await?;
        recent.reverse();
        for delivery in recent {
            let state = (delivery.status.clone(), delivery.attempts);
            if seen.get(&delivery.id) != Some(&state) {
                out.done(&row(&delivery).join("  "), &view(&delivery));
                seen.insert(delivery.id.clone(), state);
            }
        }
        tokio::select! {
            () = &mut stop => return Ok(()),
            () = tokio::time::sleep(every) => {}
        }
    }
}

fn row(delivery: &Delivery) -> Vec<String> {
    vec![
        delivery.id.clone(),
        delivery.status.clone(),
        delivery.code.to_string(),
        delivery.attempts.to_string(),
        format!("{}.{}", delivery.event.name, delivery.event.kind),
        delivery
            .webhook_id
            .clone()
            .unwrap_or_else(|| "(ad hoc)".to_owned()),
        delivery.created_at.clone(),
    ]
}

fn detail(delivery: &Delivery) -> String {
    let mut lines: Vec<String> = HEADERS
        .iter()
        .zip(row(delivery))
        .map(|(name, value)| format!("{:<9} {value}", name.to_lowercase()))
        .collect();
    lines.push(format!(
        "{:<9} {}",
        "url",
        delivery.url.clone().unwrap_or_default()
    ));
    for attempt in delivery
        .extra
        .get("attempt_log")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        lines.push(format!(
            "attempt   {} HTTP {} in {} ms {}",
            attempt["at"].as_str().unwrap_or_default(),
            attempt["code"],
            attempt["duration_ms"],
            attempt["error"].as_str().unwrap_or_default()
        ));
    }
    let body = delivery
        .payload
        .as_ref()
        .map(|p| p.to_string())
        .unwrap_or_default();
    lines.push(format!("{:<9} {body}", "body"));
    lines.join("\n")
}

/// The delivery as `--json` prints it: every field the API answered.
fn view(delivery: &Delivery) -> Value {
    let mut fields = delivery.extra.clone();
    let named = json!({"id": delivery.id, "event_id": delivery.event_id,
        "webhook_id": delivery.webhook_id, "url": delivery.url, "event": delivery.event,
        "status": delivery.status, "code": delivery.code, "attempts": delivery.attempts,
        "created_at": delivery.created_at, "updated_at": delivery.updated_at,
        "payload": delivery.payload});
    if let Value::Object(named) = named {
        fields.extend(named);
    }
    Value::Object(fields)
}
