//! `hookrelay events send NAME.TYPE [PAYLOAD | -]`.

use crate::args::Events;
use crate::config::Env;
use crate::output::Out;
use crate::Failure;
use hookrelay_client::{Client, NewEvent};
use serde_json::{json, Value};

pub async fn run(
    client: &Client,
    command: Events,
    env: &Env,
    out: &mut Out<'_>,
) -> Result<(), Failure> {
    let Events::Send {
        event,
        payload,
        context,
        delay,
    } = command;
    let (name, kind) = event
        .split_once('.')
        .ok_or_else(|| Failure::Input(format!("`{event}` is not `name.type` (e.g. order.paid)")))?;
    let text = match payload.as_deref() {
        None | Some("-") => env
            .stdin
            .read()
            .map_err(|e| Failure::Input(e.to_string()))?,
        Some(given) => given.to_owned(),
    };
    let mut new = NewEvent::new(name, kind, json_of("payload", &text)?);
    if let Some(context) = context {
        new = new.with("context", json_of("--context", &context)?);
    }
    if let Some(delay) = delay {
        new = new.with("delay", json!(delay));
    }
    let sent = client.send_event(&new).await?;
    let deliveries = sent.deliveries.clone().unwrap_or_default();
    let human = match &sent.deliveries {
        Some(ids) => format!("Sent event {} to {} webhook(s).", sent.id, ids.len()),
        None => format!("Sent event {} (fanned out in the background).", sent.id),
    };
    out.done(&human, &json!({"id": sent.id, "deliveries": deliveries}));
    Ok(())
}

fn json_of(what: &str, text: &str) -> Result<Value, Failure> {
    serde_json::from_str(text.trim())
        .map_err(|e| Failure::Input(format!("{what} is not JSON: {e}")))
}
