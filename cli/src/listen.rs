//! `hookrelay listen --forward-to URL`: deliveries of a deployed hookrelay
//! to a receiver on this machine, with no inbound connection. It creates a
//! temporary polling webhook (`"delivery": "poll"`) for the events asked,
//! polls it, POSTs each delivery to `URL` with its original headers and
//! signature, prints a line per delivery with the local answer, and
//! removes the webhook when stopped (Ctrl-C). Each page is acknowledged by
//! the next poll, whatever the local answer was (as `stripe listen`, it
//! forwards once).

use crate::args::Listen;
use crate::output::Out;
use crate::Failure;
use hookrelay_client::{Client, NewWebhook, PolledDelivery};
use serde_json::json;
use std::future::Future;
use std::time::{Duration, Instant};

pub async fn run(
    client: &Client,
    listen: Listen,
    out: &mut Out<'_>,
    stop: impl Future<Output = ()>,
) -> Result<(), Failure> {
    let events = if listen.events.is_empty() {
        vec!["*".to_owned()]
    } else {
        listen.events.clone()
    };
    let name = format!("hookrelay listen ({})", std::process::id());
    let new = NewWebhook::polling(&name, events.clone());
    let hook = client.create_webhook(&new).await?;
    let human = format!(
        "Listening for {} on webhook {}, forwarding to {}. Ctrl-C to stop.\nSigning secret: {}",
        events.join(", "),
        hook.id,
        listen.forward_to,
        hook.secret
    );
    out.done(
        &human,
        &json!({"listening": hook.id, "events": events,
        "forward_to": listen.forward_to, "secret": hook.secret}),
    );
    let forwarded = forward_until(client, &hook.id, &listen, out, stop).await;
    client.delete_webhook(&hook.id).await?;
    out.note(&format!("Removed webhook {}.", hook.id));
    forwarded
}

/// Polls and forwards until `stop`, then acknowledges what was forwarded.
async fn forward_until(
    client: &Client,
    webhook: &str,
    listen: &Listen,
    out: &mut Out<'_>,
    stop: impl Future<Output = ()>,
) -> Result<(), Failure> {
    let local = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(hookrelay_client::Error::from)?;
    let mut cursor: Option<String> = None;
    tokio::pin!(stop);
    loop {
        let page = client.poll(webhook, cursor.as_deref()).await?;
        for delivery in &page.deliveries {
            forward(&local, &listen.forward_to, delivery, out).await;
        }
        // The page's cursor acknowledges it at the next poll (none: nothing handed out).
        cursor = page.next_cursor;
        if page.has_more {
            continue;
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(Duration::from_millis(listen.interval_ms)) => {}
        }
    }
    if let Some(last) = cursor {
        client.poll(webhook, Some(&last)).await?;
    }
    Ok(())
}

/// POSTs one delivery to the local receiver and prints what it answered.
async fn forward(local: &reqwest::Client, to: &str, delivery: &PolledDelivery, out: &mut Out<'_>) {
    let mut request = local.post(to).body(delivery.body.clone());
    for (name, value) in &delivery.headers {
        request = request.header(name, value);
    }
    let started = Instant::now();
    let answered = request.send().await;
    let ms = started.elapsed().as_millis();
    let event = format!("{}.{}", delivery.event.name, delivery.event.kind);
    let (shown, status, error) = match &answered {
        Ok(answer) => {
            let code = answer.status().as_u16();
            (format!("{code} ({ms} ms)"), Some(code), None)
        }
        Err(e) => (format!("failed: {e}"), None, Some(e.to_string())),
    };
    out.done(
        &format!(
            "{}  {event}  {} -> {shown}",
            delivery.created_at, delivery.id
        ),
        &json!({"id": delivery.id, "event": delivery.event, "status": status,
            "error": error, "duration_ms": ms}),
    );
}
