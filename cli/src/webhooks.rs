//! `hookrelay webhooks list | create | enable | disable | delete`.

use crate::args::Webhooks;
use crate::output::Out;
use crate::Failure;
use hookrelay_client::{Client, NewWebhook, Webhook};
use serde_json::{json, Value};

pub async fn run(client: &Client, command: Webhooks, out: &mut Out<'_>) -> Result<(), Failure> {
    match command {
        Webhooks::List { limit } => {
            let page = client
                .list_webhooks(&[("limit", limit.to_string().as_str())])
                .await?;
            let rows: Vec<Vec<String>> = page.webhooks.iter().map(row).collect();
            let machine = json!({"webhooks": page.webhooks.iter().map(view).collect::<Vec<_>>(),
                "next_cursor": page.next_cursor});
            out.table(&["ID", "NAME", "STATUS", "EVENTS", "URL"], &rows, &machine);
        }
        Webhooks::Create {
            name,
            url,
            events,
            secret,
        } => {
            let mut new = NewWebhook::new(&name, &url, events);
            if let Some(secret) = secret {
                new = new.with("secret", json!(secret));
            }
            let made = client.create_webhook(&new).await?;
            let human = format!(
                "Created webhook {} ({}).\nSigning secret (shown this once): {}",
                made.id, made.name, made.secret
            );
            out.done(&human, &view(&made));
        }
        Webhooks::Enable { id } => switch(client, &id, true, out).await?,
        Webhooks::Disable { id } => switch(client, &id, false, out).await?,
        Webhooks::Delete { id } => {
            client.delete_webhook(&id).await?;
            out.done(&format!("Deleted webhook {id}."), &json!({"deleted": id}));
        }
    }
    Ok(())
}

async fn switch(client: &Client, id: &str, on: bool, out: &mut Out<'_>) -> Result<(), Failure> {
    let changed = client.update_webhook(id, &json!({ "enabled": on })).await?;
    let state = if on { "on" } else { "off" };
    out.done(
        &format!("Webhook {} ({}) is {state}.", changed.id, changed.name),
        &view(&changed),
    );
    Ok(())
}

fn row(webhook: &Webhook) -> Vec<String> {
    vec![
        webhook.id.clone(),
        webhook.name.clone(),
        if webhook.enabled { "on" } else { "off" }.to_owned(),
        webhook.events.join(","),
        webhook.url.clone().unwrap_or_else(|| "(poll)".to_owned()),
    ]
}

/// The webhook as `--json` prints it: every field the API answered.
fn view(webhook: &Webhook) -> Value {
    let mut fields = webhook.extra.clone();
    fields.insert("id".into(), json!(webhook.id));
    fields.insert("name".into(), json!(webhook.name));
    fields.insert("url".into(), json!(webhook.url));
    fields.insert("events".into(), json!(webhook.events));
    fields.insert("enabled".into(), json!(webhook.enabled));
    fields.insert("secret".into(), json!(webhook.secret));
    Value::Object(fields)
}
