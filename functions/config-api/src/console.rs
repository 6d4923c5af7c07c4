//! `GET /console` and its assets: the web console, a static client of `/v1`,
//! shipped inside the binary (nothing is fetched from elsewhere at run time).

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hookrelay::app::App;
use hookrelay::domain::console_link::parse_address;
use hookrelay::http::ApiError;

/// A JavaScript module of the console.
macro_rules! js {
    ($name:literal) => {
        (
            $name,
            "text/javascript; charset=utf-8",
            include_str!(concat!("../console/", $name)),
        )
    };
}

/// Every file of the console: name under `/console/`, content type, bytes.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../console/index.html"),
    ),
    js!("app.js"),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../console/style.css"),
    ),
    js!("api.js"),
    js!("ui.js"),
    js!("webhooks.js"),
    js!("event_picker.js"),
    js!("filter_field.js"),
    js!("transform_field.js"),
    js!("deliveries.js"),
    js!("event_types.js"),
    js!("links.js"),
    js!("keys.js"),
    js!("stats.js"),
    js!("audit.js"),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../console/favicon.svg"),
    ),
];

/// Only our own files, and only our own API: a console token in the page
/// cannot be sent anywhere else; framed only by `$ancestors` (`Framing`).
macro_rules! policy {
    ($ancestors:literal) => {
        concat!(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; ",
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors ",
            $ancestors
        )
    };
}

/// Who may show a page in a frame.
enum Framing {
    /// Nobody: the plain console and its files (`frame-ancestors 'none'`,
    /// and `X-Frame-Options: DENY` for browsers without CSP's).
    Nobody,
    /// The origins a console link names (`embed_origins`), space-separated.
    /// No `X-Frame-Options` then: it cannot name them, and a browser that
    /// reads both would refuse what the policy allows.
    Origins(String),
}

impl Framing {
    /// For `GET /console?link={account}.{link}`: the origins that link
    /// names, while it is live. The address is not secret (the token stays
    /// in the URL's #fragment, which no request carries), so the page's
    /// request, its logs and any Referer hold no credential.
    async fn of_page(app: &App, query: Option<&str>) -> Self {
        let address = query
            .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("link=")))
            .and_then(parse_address);
        let Some((account, id)) = address else {
            return Self::Nobody;
        };
        match app
            .store
            .get_console_link(account, id, app.clock.now())
            .await
        {
            Ok(Some(link)) if !link.embed_origins.is_empty() => {
                let origins: Vec<&str> = link.embed_origins.iter().map(|o| o.as_str()).collect();
                Self::Origins(origins.join(" "))
            }
            Ok(_) => Self::Nobody,
            Err(err) => {
                tracing::warn!(error = %err, link = %id, "console link not read: the page may not be framed");
                Self::Nobody
            }
        }
    }

    fn headers(&self) -> Vec<(HeaderName, HeaderValue)> {
        let origins = match self {
            Self::Origins(origins) => origins,
            Self::Nobody => {
                return vec![
                    (
                        header::CONTENT_SECURITY_POLICY,
                        HeaderValue::from_static(policy!("'none'")),
                    ),
                    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
                ]
            }
        };
        // `EmbedOrigin`s: nothing in them can end or bend the policy.
        match HeaderValue::from_str(&format!(policy!("{}"), origins)) {
            Ok(value) => vec![(header::CONTENT_SECURITY_POLICY, value)],
            Err(_) => Self::Nobody.headers(),
        }
    }
}

/// `GET /console`: the page; `?link=` (an embeddable console link's
/// address) lets the origins that link names frame it.
pub async fn index(State(app): State<App>, RawQuery(query): RawQuery) -> Response {
    let framing = Framing::of_page(&app, query.as_deref()).await;
    asset("index.html", &framing).unwrap_or_else(|| ApiError::NotFound("console").into_response())
}

/// `GET /console/{file}`: one of its assets.
pub async fn file(Path(name): Path<String>) -> Response {
    asset(&name, &Framing::Nobody)
        .unwrap_or_else(|| ApiError::NotFound("console asset").into_response())
}

fn asset(name: &str, framing: &Framing) -> Option<Response> {
    let (_, content_type, body) = ASSETS.iter().find(|(n, _, _)| *n == name)?;
    let mut response = (StatusCode::OK, *body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, *content_type),
        (header::CACHE_CONTROL, "no-cache"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.extend(framing.headers());
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_only_shipped_assets() {
        let (_, _, page) = ASSETS[0];
        let after = |attribute: &'static str| page.split(attribute).skip(1);
        for rest in after("src=\"").chain(after("href=\"")) {
            let target = rest.split('"').next().unwrap_or_default();
            if let Some(name) = target.strip_prefix("/console/") {
                assert!(ASSETS.iter().any(|(n, _, _)| *n == name), "{target}");
            } else {
                assert!(target.starts_with('#'), "{target} is not shipped");
            }
        }
    }
}
