//! Sends one signed POST: one shared reqwest client (rustls, redirects off,
//! whole-request timeout), at most 64 KiB of the answer read, and the address
//! rule applied at every send inside name resolution, so the connection goes
//! to the address that was checked (no DNS rebinding).

use crate::domain::delivery::AttemptError;
use crate::net::address::{AddressPolicy, Resolver};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::{Host, Url};

/// At most this much of a response is read.
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
    /// Seconds from a `Retry-After` header, when it has them.
    pub retry_after: Option<u32>,
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
            .user_agent(concat!("hookrelay/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, policy })
    }

    pub async fn send(&self, outgoing: Outgoing) -> Outcome {
        let started = Instant::now();
        let elapsed =
            |started: Instant| u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let failed = |error, started| Outcome {
            code: 0,
            duration_ms: elapsed(started),
            error: Some(error),
            response_body: String::new(),
            retry_after: None,
        };
        // The resolver hook never sees IP literals: check them here.
        let literal = match outgoing.url.host() {
            Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        if literal.is_some_and(|ip| self.policy.is_refused(ip)) {
            return failed(AttemptError::BlockedAddress, started);
        }
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
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(err) => return failed(classify(&err), started),
        };
        let code = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u32>().ok());
        let mut body = Vec::new();
        let mut error = (!(200..300).contains(&code)).then_some(AttemptError::HttpStatus);
        while body.len() < MAX_RESPONSE_READ {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
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
        body.truncate(MAX_RESPONSE_KEPT);
        Outcome {
            code: if error == Some(AttemptError::Timeout) {
                0
            } else {
                code
            },
            duration_ms: elapsed(started),
            error,
            response_body: String::from_utf8_lossy(&body).into_owned(),
            retry_after,
        }
    }
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
