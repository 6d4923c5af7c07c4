//! How a webhook gets its deliveries (DESIGN.md §9 `delivery`): POSTed to
//! its URL (`push`), or kept for the account to fetch (`poll`, no URL).

use crate::domain::webhook_url::WebhookUrl;
use serde::{Deserialize, Serialize};

/// The `delivery` field: `push` (the default) or `poll`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMode {
    #[default]
    Push,
    Poll,
}

impl DeliveryMode {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "push" => Ok(Self::Push),
            "poll" => Ok(Self::Poll),
            _ => Err("must be push or poll".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Push => "push",
            Self::Poll => "poll",
        }
    }

    fn is_push(&self) -> bool {
        *self == Self::Push
    }
}

/// Where a webhook's deliveries go: a URL, or its poll feed. Fixed at
/// creation (a PATCH cannot switch it: pending deliveries would be left on
/// the wrong path).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EndpointParts", into = "EndpointParts")]
pub enum Endpoint {
    Push(WebhookUrl),
    Poll,
}

impl Endpoint {
    pub fn mode(&self) -> DeliveryMode {
        match self {
            Self::Push(_) => DeliveryMode::Push,
            Self::Poll => DeliveryMode::Poll,
        }
    }

    pub fn url(&self) -> Option<&WebhookUrl> {
        match self {
            Self::Push(url) => Some(url),
            Self::Poll => None,
        }
    }
}

/// How an `Endpoint` is stored: `url` as before, and `delivery` only for a
/// poll webhook (so a push webhook's item is as it always was).
#[derive(Serialize, Deserialize)]
struct EndpointParts {
    #[serde(default, skip_serializing_if = "DeliveryMode::is_push")]
    delivery: DeliveryMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<WebhookUrl>,
}

impl TryFrom<EndpointParts> for Endpoint {
    type Error = String;
    fn try_from(parts: EndpointParts) -> Result<Self, String> {
        match (parts.delivery, parts.url) {
            (DeliveryMode::Push, Some(url)) => Ok(Self::Push(url)),
            (DeliveryMode::Poll, None) => Ok(Self::Poll),
            (DeliveryMode::Push, None) => Err("a push webhook without a url".into()),
            (DeliveryMode::Poll, Some(_)) => Err("a poll webhook with a url".into()),
        }
    }
}

impl From<Endpoint> for EndpointParts {
    fn from(endpoint: Endpoint) -> Self {
        Self {
            delivery: endpoint.mode(),
            url: match endpoint {
                Endpoint::Push(url) => Some(url),
                Endpoint::Poll => None,
            },
        }
    }
}
