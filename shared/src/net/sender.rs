//! Sends one signed POST: one shared reqwest client (rustls, redirects off,
//! whole-request timeout), at most 64 KiB of the answer read, and the address
//! rule applied at every send inside name resolution, so the connection goes
//! to the address that was checked (no DNS rebinding).

use crate::domain::delivery::AttemptError;
use crate::domain::time::Timestamp;
use crate::net::address::{AddressPolicy, Resolver};
use chrono::{DateTime, NaiveDateTime};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::{Host, Url};

/// What every send says it is (DESIGN.md §3).
pub const USER_AGENT: &str = concat!("hookrelay/", env!("CARGO_PKG_VERSION"));

/// At most this much of a response is read; reading stops there.
pub const MAX_RESPONSE_READ: usize = 64 * 1024;
/// At most this much of it is kept in the attempt log.
pub const MAX_RESPONSE_KEPT: usize = 4 * 1024;

/// What to send.
pub struct Outgoing {
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What came of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// HTTP status; 0 when there was no response.
    pub code: u16,
    pub duration_ms: u64,
    pub error: Option<AttemptError>,
    /// The first 4 KiB of the body (lossy UTF-8).
    pub response_body: String,
    /// Seconds from a `Retry-After` header (delta-seconds, or an HTTP date
    /// as seconds from now), when it has them.
    pub retry_after: Option<u32>,
    /// How many bytes of the response body were read: at most
    /// `MAX_RESPONSE_READ` (a chunk that crosses it counts up to it only).
    pub bytes_read: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("every address of the host is refused by the address rule")]
struct Blocked;

#[derive(Debug, thiserror::Error)]
#[error("the host name does not resolve: {0}")]
struct Unresolvable(String);

/// reqwest's resolver hook: resolve through the port, keep only allowed addresses.
struct GuardedResolver {
    resolver: Arc<dyn Resolver>,
    policy: AddressPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = self.resolver.clone();
        let policy = self.policy.clone();
        Box::pin(async move {
            let found = resolver.resolve(name.as_str(), 0).await.map_err(|e| {
                Box::new(Unresolvable(e.to_string())) as Box<dyn std::error::Error + Send + Sync>
            })?;
            if found.is_empty() {
                return Err(Box::new(Unresolvable("no addresses".into())) as _);
            }
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|ip| !policy.is_refused(*ip))
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(Blocked) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

pub struct Sender {
    client: reqwest::Client,
    policy: AddressPolicy,
}

impl Sender {
    pub fn new(
        policy: AddressPolicy,
        resolver: Arc<dyn Resolver>,
        timeout: Duration,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver {
                resolver,
                policy: policy.clone(),
            }))
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from HTTP(S)_PROXY would resolve and connect on its own,
            // past the address rule: never use one.
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(USER_AGENT)
            .build()?;
        Ok(Self { client, policy })
    }

    pub async fn send(&self, outgoing: Outgoing) -> Outcome {
        let started = Instant::now();
        let failed = |error| Outcome {
            code: 0,
            duration_ms: elapsed_ms(started),
            error: Some(error),
            response_body: String::new(),
            retry_after: None,
            bytes_read: 0,
        };
        // The resolver hook never sees IP literals: check them here.
        let literal = match outgoing.url.host() {
            Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        if literal.is_some_and(|ip| self.policy.is_refused(ip)) {
            return failed(AttemptError::BlockedAddress);
        }
        match self.request(outgoing).send().await {
            Ok(response) => read_answer(response, started).await,
            Err(err) => failed(classify(&err)),
        }
    }

    fn request(&self, outgoing: Outgoing) -> reqwest::RequestBuilder {
        // Credentials travel as a Basic header, not in the request line.
        let mut url = outgoing.url;
        let user = url.username().to_owned();
        let password = url.password().map(str::to_owned);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let mut request = self.client.post(url).body(outgoing.body);
        if !user.is_empty() || password.is_some() {
            request = request.basic_auth(
                percent_decode(&user),
                password.as_deref().map(percent_decode),
            );
        }
        for (name, value) in outgoing.headers {
            request = request.header(name, value);
        }
        request
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The outcome of an answer: its status, `Retry-After`, and up to
/// `MAX_RESPONSE_READ` bytes of its body.
async fn read_answer(mut response: reqwest::Response, started: Instant) -> Outcome {
    let code = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            // The one reading of the system clock here: `Sender` has no
            // Clock port (App builds it from the address policy, resolver
            // and timeout only), and an HTTP date is relative to the wall
            // clock of the moment the answer arrives anyway.
            let now = Timestamp::from_datetime(chrono::Utc::now());
            retry_after_seconds(v, now)
        });
    let mut body = CappedBody::default();
    let mut error = (!(200..300).contains(&code)).then_some(AttemptError::HttpStatus);
    while !body.is_full() {
        match response.chunk().await {
            Ok(Some(chunk)) => body.push(&chunk),
            Ok(None) => break,
            // A 2xx whose body does not arrive in time still is a 2xx
            // only if the whole request finished within the timeout.
            Err(err) => {
                if err.is_timeout() {
                    error = Some(AttemptError::Timeout);
                }
                break;
            }
        }
    }
    Outcome {
        code: if error == Some(AttemptError::Timeout) {
            0
        } else {
            code
        },
        duration_ms: elapsed_ms(started),
        error,
        response_body: String::from_utf8_lossy(&body.kept).into_owned(),
        retry_after,
        bytes_read: body.read,
    }
}

/// The answer's body as it is read: counts up to `MAX_RESPONSE_READ` bytes
/// and keeps only the first `MAX_RESPONSE_KEPT`, whatever the chunk sizes.
#[derive(Debug, Default)]
struct CappedBody {
    kept: Vec<u8>,
    read: usize,
}

impl CappedBody {
    /// Takes what of `chunk` fits under the read cap; the rest is dropped.
    fn push(&mut self, chunk: &[u8]) {
        let take = chunk.len().min(MAX_RESPONSE_READ.saturating_sub(self.read));
        let keep = take.min(MAX_RESPONSE_KEPT.saturating_sub(self.kept.len()));
        self.kept.extend(chunk.iter().take(keep));
        self.read += take;
    }

    /// The read cap is reached: read no further.
    fn is_full(&self) -> bool {
        self.read >= MAX_RESPONSE_READ
    }
}

/// Seconds to wait from a `Retry-After` value (RFC 9110 section 10.2.3):
/// delta-seconds, or an HTTP date (IMF-fixdate `Wed, 21 Oct 2015 07:28:00 GMT`,
/// and the obsolete RFC 850 and asctime forms every recipient must accept),
/// counted from `now` and rounded up; a date already past is 0. Anything else
/// is `None`. Large values saturate at `u32::MAX` (the retry policy bounds them).
pub fn retry_after_seconds(header: &str, now: Timestamp) -> Option<u32> {
    let text = header.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let digits = text.trim_start_matches('0');
        if digits.len() > 10 {
            return Some(u32::MAX);
        }
        let seconds = digits.parse::<u64>().unwrap_or(0);
        return Some(u32::try_from(seconds).unwrap_or(u32::MAX));
    }
    let at_millis = DateTime::parse_from_rfc2822(text)
        .map(|at| at.timestamp_millis())
        .or_else(|_| {
            // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`; asctime: `Sun Nov  6 08:49:37 1994`.
            NaiveDateTime::parse_from_str(text, "%A, %d-%b-%y %H:%M:%S GMT")
                .or_else(|_| NaiveDateTime::parse_from_str(text, "%a %b %e %H:%M:%S %Y"))
                .map(|at| at.and_utc().timestamp_millis())
        })
        .ok()?;
    let wait_millis = at_millis.saturating_sub(now.millis()).max(0);
    let seconds = wait_millis.saturating_add(999) / 1000;
    Some(u32::try_from(seconds).unwrap_or(u32::MAX))
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Maps a reqwest failure to the attempt-log error names.
fn classify(err: &reqwest::Error) -> AttemptError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut text = String::new();
    while let Some(e) = source {
        if e.is::<Blocked>() {
            return AttemptError::BlockedAddress;
        }
        if e.is::<Unresolvable>() {
            return AttemptError::Dns;
        }
        text.push_str(&e.to_string().to_ascii_lowercase());
        text.push(' ');
        source = e.source();
    }
    if err.is_timeout() {
        AttemptError::Timeout
    } else if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
        AttemptError::Tls
    } else {
        AttemptError::Connect
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn retry_after_takes_delta_seconds() {
        let now = at("2015-10-21T07:00:00.000Z");
        assert_eq!(retry_after_seconds("120", now), Some(120));
        assert_eq!(retry_after_seconds(" 0 ", now), Some(0));
        assert_eq!(retry_after_seconds("0000000000000000007", now), Some(7));
        assert_eq!(
            retry_after_seconds("99999999999999999999", now),
            Some(u32::MAX)
        );
        for bad in ["", "  ", "-5", "+5", "1.5", "soon", "120s"] {
            assert_eq!(retry_after_seconds(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_takes_an_http_date_as_seconds_from_now() {
        let now = at("2015-10-21T07:00:00.000Z");
        // IMF-fixdate, 28 minutes ahead.
        assert_eq!(
            retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(1680)
        );
        // The obsolete RFC 850 and asctime forms.
        assert_eq!(
            retry_after_seconds("Wednesday, 21-Oct-15 07:28:00 GMT", now),
            Some(1680)
        );
        assert_eq!(
            retry_after_seconds("Wed Oct 21 07:28:00 2015", now),
            Some(1680)
        );
        assert_eq!(
            retry_after_seconds("Thu Oct 22  7:00:00 2015", now),
            Some(86_400)
        );
        assert_eq!(
            retry_after_seconds("Thu, 22 Oct 2015 07:00:00 GMT", now),
            Some(86_400)
        );
        // Part of a second ahead is rounded up: never retry early.
        assert_eq!(
            retry_after_seconds(
                "Wed, 21 Oct 2015 07:00:01 GMT",
                at("2015-10-21T07:00:00.250Z")
            ),
            Some(1)
        );
        // Now, or in the past: 0.
        assert_eq!(
            retry_after_seconds("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(0)
        );
        assert_eq!(
            retry_after_seconds("Tue, 20 Oct 2015 07:28:00 GMT", now),
            Some(0)
        );
        // Not a date.
        assert_eq!(
            retry_after_seconds("Wed, 32 Oct 2015 07:28:00 GMT", now),
            None
        );
        assert_eq!(retry_after_seconds("tomorrow", now), None);
    }

    #[test]
    fn the_body_is_read_up_to_64_kib_and_4_kib_of_it_kept() {
        // One chunk far past the cap.
        let mut body = CappedBody::default();
        body.push(&vec![b'x'; 1024 * 1024]);
        assert!(body.is_full());
        assert_eq!(
            (body.read, body.kept.len()),
            (MAX_RESPONSE_READ, MAX_RESPONSE_KEPT)
        );
        // Chunks that cross the cap part-way.
        let mut body = CappedBody::default();
        body.push(&vec![b'a'; 3 * 1024]);
        assert_eq!(
            (body.read, body.kept.len(), body.is_full()),
            (3 * 1024, 3 * 1024, false)
        );
        body.push(&vec![b'b'; 60 * 1024]);
        assert_eq!(
            (body.read, body.kept.len(), body.is_full()),
            (63 * 1024, MAX_RESPONSE_KEPT, false)
        );
        body.push(&vec![b'c'; 2 * 1024]);
        assert_eq!((body.read, body.is_full()), (MAX_RESPONSE_READ, true));
        body.push(b"more");
        assert_eq!(body.read, MAX_RESPONSE_READ);
        assert_eq!(&body.kept[..3 * 1024], &[b'a'; 3 * 1024][..]);
        assert!(body.kept[3 * 1024..].iter().all(|b| *b == b'b'));
    }
}
