//! A typed client for the hookrelay API (DESIGN.md §2): webhooks, events,
//! the delivery log and polling webhooks' feeds. Every call authenticates with an account
//! API key (`Authorization: Bearer`); an answer that is not a success is an
//! [`Error::Api`] with the envelope's message and field errors.
//!
//! ```no_run
//! # async fn demo() -> Result<(), hookrelay_client::Error> {
//! use hookrelay_client::{Client, NewEvent, NewWebhook};
//! let client = Client::new("http://127.0.0.1:3000", "hr_live_...")?;
//! let hook = client
//!     .create_webhook(&NewWebhook::new("orders", "https://example.com/in", ["order.*"]))
//!     .await?;
//! let sent = client
//!     .send_event(&NewEvent::new("order", "paid", serde_json::json!({"total": 12})))
//!     .await?;
//! let page = client.list_deliveries(&[("event_id", sent.id.as_str())]).await?;
//! # let _ = (hook, page); Ok(()) }
//! ```

mod types;

pub use types::*;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use url::Url;

/// What a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API answered with an error status: its message and field errors.
    #[error("{status}: {message}")]
    Api {
        status: u16,
        message: String,
        errors: Vec<FieldError>,
    },
    /// The API could not be reached, or its answer was not what it documents.
    #[error("could not reach hookrelay: {0}")]
    Transport(#[from] reqwest::Error),
    #[error("not a URL: {0}")]
    BadUrl(#[from] url::ParseError),
}

/// A client of one deployment, signed in with one account API key.
#[derive(Clone, Debug)]
pub struct Client {
    base: Url,
    key: String,
    http: reqwest::Client,
}

impl Client {
    /// `base`: the API's root (`https://hooks.example.com`, or the local runner's).
    pub fn new(base: &str, key: &str) -> Result<Self, Error> {
        Ok(Self {
            base: Url::parse(base)?,
            key: key.to_owned(),
            http: reqwest::Client::new(),
        })
    }

    /// One call: `body` as JSON, the success envelope read as `T`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<T, Error> {
        let mut url = self.base.join(path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = self.http.request(method, url).bearer_auth(&self.key);
        if let Some(body) = body {
            request = request.json(body);
        }
        let answer = request.send().await?;
        let status = answer.status();
        let envelope: Value = answer.json().await?;
        if !status.is_success() {
            return Err(api_error(status, &envelope));
        }
        serde_json::from_value(envelope).map_err(|e| Error::Api {
            status: status.as_u16(),
            message: format!("an answer this client does not understand: {e}"),
            errors: Vec::new(),
        })
    }

    pub async fn list_webhooks(&self, query: &[(&str, &str)]) -> Result<WebhookPage, Error> {
        self.call(Method::GET, "/v1/webhooks", query, None::<&Value>)
            .await
    }

    pub async fn get_webhook(&self, id: &str) -> Result<Webhook, Error> {
        let path = format!("/v1/webhooks/{id}");
        let one: WebhookBody = self.call(Method::GET, &path, &[], None::<&Value>).await?;
        Ok(one.webhook)
    }

    /// The created webhook, its secret whole (shown this once).
    pub async fn create_webhook(&self, new: &NewWebhook) -> Result<Webhook, Error> {
        let made: WebhookBody = self
            .call(Method::POST, "/v1/webhooks", &[], Some(new))
            .await?;
        Ok(made.webhook)
    }

    /// Changes the fields `changes` names (a JSON object, as PATCH takes it).
    pub async fn update_webhook(&self, id: &str, changes: &Value) -> Result<Webhook, Error> {
        let path = format!("/v1/webhooks/{id}");
        let changed: WebhookBody = self.call(Method::PATCH, &path, &[], Some(changes)).await?;
        Ok(changed.webhook)
    }

    pub async fn delete_webhook(&self, id: &str) -> Result<(), Error> {
        let path = format!("/v1/webhooks/{id}");
        let _: Value = self
            .call(Method::DELETE, &path, &[], None::<&Value>)
            .await?;
        Ok(())
    }

    pub async fn send_event(&self, event: &NewEvent) -> Result<SentEvent, Error> {
        self.call(Method::POST, "/v1/events", &[], Some(event))
            .await
    }

    /// The log, newest first unless `query` says otherwise (`status`,
    /// `webhook_id`, `event_id`, `limit`, `cursor`, ...).
    pub async fn list_deliveries(&self, query: &[(&str, &str)]) -> Result<DeliveryPage, Error> {
        self.call(Method::GET, "/v1/deliveries", query, None::<&Value>)
            .await
    }

    /// One delivery with its attempt log.
    pub async fn get_delivery(&self, id: &str) -> Result<Delivery, Error> {
        let path = format!("/v1/deliveries/{id}");
        let one: DeliveryBody = self.call(Method::GET, &path, &[], None::<&Value>).await?;
        Ok(one.delivery)
    }

    /// Sends a delivered or failed delivery again now; its view after the attempt.
    pub async fn retry_delivery(&self, id: &str) -> Result<Delivery, Error> {
        let path = format!("/v1/deliveries/{id}/retry");
        let again: DeliveryBody = self
            .call(
                Method::POST,
                &path,
                &[],
                Some(&Value::Object(Default::default())),
            )
            .await?;
        Ok(again.delivery)
    }

    /// The next deliveries of a polling webhook (`"delivery": "poll"`);
    /// `cursor` (the last page's `next_cursor`) acknowledges that page first.
    pub async fn poll(&self, webhook: &str, cursor: Option<&str>) -> Result<PollPage, Error> {
        let path = format!("/v1/webhooks/{webhook}/poll");
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.call(Method::GET, &path, &query, None::<&Value>).await
    }
}

fn api_error(status: StatusCode, envelope: &Value) -> Error {
    let message = envelope["message"]
        .as_str()
        .map_or_else(|| status.to_string(), str::to_owned);
    let errors = serde_json::from_value(envelope["errors"].clone()).unwrap_or_default();
    Error::Api {
        status: status.as_u16(),
        message,
        errors,
    }
}
