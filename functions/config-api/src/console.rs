//! `GET /console` and its assets: the web console, a static client of `/v1`,
//! shipped inside the binary (nothing is fetched from elsewhere at run time).

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
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
/// cannot be sent anywhere else, and the page cannot be framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; \
    form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `GET /console`: the page.
pub async fn index() -> Response {
    asset("index.html").unwrap_or_else(|| ApiError::NotFound("console").into_response())
}

/// `GET /console/{file}`: one of its assets.
pub async fn file(Path(name): Path<String>) -> Response {
    asset(&name).unwrap_or_else(|| ApiError::NotFound("console asset").into_response())
}

fn asset(name: &str) -> Option<Response> {
    let (_, content_type, body) = ASSETS.iter().find(|(n, _, _)| *n == name)?;
    let mut response = (StatusCode::OK, *body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, *content_type),
        (header::CACHE_CONTROL, "no-cache"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
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
