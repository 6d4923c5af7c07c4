//! The sender against real loopback servers: what a receiver sees, and how
//! every kind of failure is named in the attempt log.

use async_trait::async_trait;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use hookrelay::domain::delivery::AttemptError;
use hookrelay::net::address::{AddressPolicy, Resolver};
use hookrelay::net::sender::{Outgoing, Sender, MAX_RESPONSE_KEPT, MAX_RESPONSE_READ};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Resolves every name to loopback, except `nowhere.test`, which fails, and
/// `private.test`, a private address.
struct ToLoopback;

#[async_trait]
impl Resolver for ToLoopback {
    async fn resolve(&self, host: &str, _: u16) -> std::io::Result<Vec<IpAddr>> {
        match host {
            "nowhere.test" => Err(std::io::Error::other("NXDOMAIN")),
            "private.test" => Ok(vec!["10.1.2.3".parse().expect("ip")]),
            _ => Ok(vec!["127.0.0.1".parse().expect("ip")]),
        }
    }
}

/// What `/echo` answers: the headers a test looks for, and the body.
fn echo(headers: &HeaderMap, body: &str) -> String {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (auth, custom, agent) = (
        header("authorization"),
        header("x-team"),
        header("user-agent"),
    );
    format!("{auth}|{custom}|{agent}|{body}")
}

async fn receiver() -> SocketAddr {
    let app = Router::new()
        .route("/ok", post(|| async { "thanks" }))
        .route(
            "/echo",
            post(|headers: HeaderMap, body: String| async move { echo(&headers, &body) }),
        )
        .route(
            "/fail",
            post(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") }),
        )
        .route(
            "/moved",
            post(|| async { (StatusCode::FOUND, [("location", "/ok")], "") }),
        )
        .route(
            "/busy",
            post(|| async { (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "120")], "") }),
        )
        .route("/big", post(|| async { "x".repeat(200 * 1024) }))
        // 1 MiB answered as one body chunk.
        .route("/huge", post(|| async { vec![b'y'; 1024 * 1024] }))
        .route(
            "/busy-until",
            post(|| async {
                let at = chrono::Utc::now() + chrono::Duration::seconds(3600);
                let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
                (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", date)], "")
            }),
        )
        .route(
            "/busy-since",
            post(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
                    "",
                )
            }),
        )
        .route(
            "/slow",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

fn sender(allowed: &str) -> Sender {
    let policy = AddressPolicy::new(AddressPolicy::parse_subnets(allowed).expect("subnets"));
    Sender::new(policy, Arc::new(ToLoopback), Duration::from_millis(500)).expect("client")
}

async fn post_to(sender: &Sender, url: &str) -> hookrelay::net::sender::Outcome {
    let url = Url::parse(url).expect("url");
    sender
        .send(Outgoing {
            url,
            headers: vec![
                ("x-team".into(), "billing".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: br#"{"hello":"world"}"#.to_vec(),
        })
        .await
}

#[tokio::test]
async fn a_2xx_is_success_and_the_receiver_gets_body_headers_and_basic_auth() {
    let addr = receiver().await;
    let s = sender("127.0.0.0/8");
    let ok = post_to(&s, &format!("http://{addr}/ok")).await;
    assert_eq!(
        (ok.code, ok.error, ok.response_body.as_str()),
        (200, None, "thanks")
    );
    let echo = post_to(
        &s,
        &format!("http://bob:p%40ss@receiver.test:{}/echo", addr.port()),
    )
    .await;
    let parts: Vec<&str> = echo.response_body.splitn(4, '|').collect();
    // base64("bob:p@ss")
    assert_eq!(parts[0], "Basic Ym9iOnBAc3M=");
    assert_eq!(parts[1], "billing");
    assert!(parts[2].starts_with("hookrelay/"), "{}", parts[2]);
    assert_eq!(parts[3], r#"{"hello":"world"}"#);
}

#[tokio::test]
async fn non_2xx_redirects_and_retry_after_are_reported() {
    let addr = receiver().await;
    let s = sender("127.0.0.0/8");
    let fail = post_to(&s, &format!("http://{addr}/fail")).await;
    assert_eq!(
        (fail.code, fail.error, fail.response_body.as_str()),
        (500, Some(AttemptError::HttpStatus), "boom")
    );
    let moved = post_to(&s, &format!("http://{addr}/moved")).await;
    assert_eq!(
        (moved.code, moved.error),
        (302, Some(AttemptError::HttpStatus)),
        "redirects are not followed"
    );
    let busy = post_to(&s, &format!("http://{addr}/busy")).await;
    assert_eq!((busy.code, busy.retry_after), (429, Some(120)));
}

#[tokio::test]
async fn only_the_first_4_kib_of_a_large_answer_is_kept() {
    let addr = receiver().await;
    let big = post_to(&sender("127.0.0.0/8"), &format!("http://{addr}/big")).await;
    assert_eq!(
        (big.code, big.response_body.len()),
        (200, MAX_RESPONSE_KEPT)
    );
}

#[tokio::test]
async fn one_huge_chunk_is_read_only_up_to_64_kib() {
    let addr = receiver().await;
    let huge = post_to(&sender("127.0.0.0/8"), &format!("http://{addr}/huge")).await;
    assert_eq!((huge.code, huge.error), (200, None));
    assert_eq!(
        huge.bytes_read, MAX_RESPONSE_READ,
        "reading stops at 64 KiB"
    );
    assert!(huge.response_body.len() <= MAX_RESPONSE_KEPT);
    assert_eq!(huge.response_body, "y".repeat(MAX_RESPONSE_KEPT));
    // A small answer is read whole.
    let ok = post_to(&sender("127.0.0.0/8"), &format!("http://{addr}/ok")).await;
    assert_eq!(ok.bytes_read, "thanks".len());
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_seconds_from_now() {
    let addr = receiver().await;
    let s = sender("127.0.0.0/8");
    let until = post_to(&s, &format!("http://{addr}/busy-until")).await;
    assert_eq!(until.code, 503);
    // An hour ahead at whole-second precision, read a moment later.
    let seconds = until.retry_after.expect("retry_after");
    assert!((3590..=3600).contains(&seconds), "{seconds}");
    let since = post_to(&s, &format!("http://{addr}/busy-since")).await;
    assert_eq!((since.code, since.retry_after), (503, Some(0)));
}

#[tokio::test]
async fn a_slow_endpoint_times_out() {
    let addr = receiver().await;
    let slow = post_to(&sender("127.0.0.0/8"), &format!("http://{addr}/slow")).await;
    assert_eq!((slow.code, slow.error), (0, Some(AttemptError::Timeout)));
    assert!(
        slow.duration_ms >= 400 && slow.duration_ms < 3_000,
        "{}",
        slow.duration_ms
    );
}

#[tokio::test]
async fn refused_addresses_are_never_connected_to() {
    let addr = receiver().await;
    let strict = sender("");
    let literal = post_to(&strict, &format!("http://{addr}/ok")).await;
    assert_eq!(literal.error, Some(AttemptError::BlockedAddress));
    // A name that resolves to loopback is refused at send, too.
    let named = post_to(&strict, &format!("http://rebound.test:{}/ok", addr.port())).await;
    assert_eq!(
        (named.code, named.error),
        (0, Some(AttemptError::BlockedAddress))
    );
    // Loopback allowed, a name resolving to a private address still refused.
    let private = post_to(&sender("127.0.0.0/8"), "http://private.test/in").await;
    assert_eq!(
        (private.code, private.error),
        (0, Some(AttemptError::BlockedAddress))
    );
}

#[tokio::test]
async fn dns_and_connect_failures_are_named() {
    let s = sender("127.0.0.0/8");
    let dns = post_to(&s, "http://nowhere.test/").await;
    assert_eq!(dns.error, Some(AttemptError::Dns));
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr");
    let connect = post_to(&s, &format!("http://{closed}/")).await;
    assert_eq!(
        (connect.code, connect.error),
        (0, Some(AttemptError::Connect))
    );
}
