//! An origin allowed to frame a console link's console (`frame-ancestors`):
//! `scheme://host[:port]` and nothing else, so it reads the same in the
//! Content-Security-Policy header as in the browser's own origin.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The most origins one link may name.
pub const MAX_EMBED_ORIGINS: usize = 10;
/// The longest origin text accepted.
pub const MAX_LEN: usize = 300;

/// `http` or `https`, a host name (ASCII labels, the last starting with a
/// letter) or a dotted IPv4 address, and an optional port. Kept lowercase,
/// without the scheme's default port, as a browser serialises an origin.
/// Nothing else: no path, user info, wildcard or IPv6 literal (which a
/// `frame-ancestors` source cannot name), so the header cannot be bent.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmbedOrigin(String);

impl EmbedOrigin {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > MAX_LEN {
            return Err(format!("must be at most {MAX_LEN} characters"));
        }
        let lower = text.to_ascii_lowercase();
        let (scheme, authority) = lower
            .split_once("://")
            .filter(|(scheme, _)| ["http", "https"].contains(scheme))
            .ok_or("must start with https:// (or http://)")?;
        if authority.contains(['/', '?', '#', '@']) {
            return Err(
                "must be an origin only: scheme://host[:port], without a path, query or user"
                    .into(),
            );
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(parse_port(port)?)),
            None => (authority, None),
        };
        check_host(host)?;
        let default = if scheme == "https" { 443 } else { 80 };
        Ok(Self(match port.filter(|p| *p != default) {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        }))
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// `localhost` or an address in 127.0.0.0/8: this machine, where http
    /// is always allowed (a browser treats it as a secure context).
    pub fn is_loopback(&self) -> bool {
        let host = self.0.split("://").nth(1).unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        host == "localhost"
            || host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|address| address.is_loopback())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A link's `embed_origins`: at most `MAX_EMBED_ORIGINS` origins, each
/// https, or http on loopback or where the deployment allows http
/// (`HOOKRELAY_ALLOW_HTTP`, as for webhook URLs); one named twice is kept once.
pub fn parse_list(texts: &[&str], allow_http: bool) -> Result<Vec<EmbedOrigin>, String> {
    if texts.len() > MAX_EMBED_ORIGINS {
        return Err(format!("must name at most {MAX_EMBED_ORIGINS} origins"));
    }
    let mut origins: Vec<EmbedOrigin> = Vec::new();
    let mut refused = Vec::new();
    for text in texts {
        match EmbedOrigin::parse(text) {
            Err(message) => refused.push(format!("`{text}` {message}")),
            Ok(origin) if !(origin.is_https() || origin.is_loopback() || allow_http) => refused.push(
                format!("`{text}` must be https (this deployment allows http only on localhost and 127.0.0.0/8)"),
            ),
            Ok(origin) if origins.contains(&origin) => {}
            Ok(origin) => origins.push(origin),
        }
    }
    match refused.is_empty() {
        true => Ok(origins),
        false => Err(refused.join("; ")),
    }
}

/// 1–65535, written without leading zeros.
fn parse_port(text: &str) -> Result<u16, String> {
    let bad = || "must have a port from 1 to 65535 after the colon".to_owned();
    if text.starts_with('0') || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    text.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(bad)
}

/// A dotted IPv4 address, or DNS labels of letters, digits and inner
/// hyphens, the last starting with a letter (else a browser reads it as
/// an address).
fn check_host(host: &str) -> Result<(), String> {
    if host.starts_with('[') {
        return Err(
            "must name a host name or IPv4 address (frame-ancestors cannot name an IPv6 address)"
                .into(),
        );
    }
    let labels: Vec<&str> = host.split('.').collect();
    let ipv4 = labels.len() == 4 && labels.iter().all(|l| is_octet(l));
    let label = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let named = labels.iter().all(label)
        && labels
            .last()
            .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()));
    match ipv4 || named {
        true => Ok(()),
        false => Err("must name a host (letters, digits, hyphens and dots; Unicode names in their xn-- form) or an IPv4 address".into()),
    }
}

/// 0–255 without leading zeros (which a browser would read as octal).
fn is_octet(text: &str) -> bool {
    (text == "0" || !text.starts_with('0'))
        && (1..=3).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && text.parse::<u16>().is_ok_and(|n| n <= 255)
}

impl fmt::Debug for EmbedOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmbedOrigin({})", self.0)
    }
}

impl fmt::Display for EmbedOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

text_type!(EmbedOrigin);

/// What `EmbedOrigin::parse` takes, as a JSON Schema pattern (ECMA-262):
/// the OpenAPI document states it, and a test holds the two together.
pub const PATTERN: &str = concat!(
    "^[Hh][Tt][Tt][Pp][Ss]?://",
    "(((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])",
    "|([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)",
    "(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?$",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_kept_as_a_browser_writes_it() {
        for (given, kept) in [
            ("https://app.example.com", "https://app.example.com"),
            ("HTTPS://App.Example.COM:443", "https://app.example.com"),
            ("http://127.0.0.1:4567", "http://127.0.0.1:4567"),
            ("http://localhost:80", "http://localhost"),
            (
                "https://xn--bcher-kva.example:8443",
                "https://xn--bcher-kva.example:8443",
            ),
            ("https://10.0.0.255", "https://10.0.0.255"),
        ] {
            assert_eq!(
                EmbedOrigin::parse(given).map(|o| o.to_string()),
                Ok(kept.into()),
                "{given}"
            );
        }
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        for bad in [
            "app.example.com",
            "ftp://app.example.com",
            "https://app.example.com/",
            "https://app.example.com/settings",
            "https://app.example.com?x=1",
            "https://app.example.com#x",
            "https://user@app.example.com",
            "https://*.example.com",
            "https://[::1]:4567",
            "https://app.example.com:0",
            "https://app.example.com:65536",
            "https://app.example.com:080",
            "https://app.example.com:",
            "https://256.1.1.1",
            "https://127.0.0.01",
            "https://1.2.3",
            "https://-app.example.com",
            "https://app..example.com",
            "https://bücher.example",
            "https://a.example.com; script-src *",
            "https://app.example.com 'unsafe-inline'",
            "",
        ] {
            assert!(EmbedOrigin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_is_localhost_or_127_slash_8() {
        let loopback = |t: &str| EmbedOrigin::parse(t).unwrap().is_loopback();
        assert!(loopback("http://localhost:3000"));
        assert!(loopback("http://127.0.0.1:4567"));
        assert!(loopback("http://127.1.2.3"));
        assert!(!loopback("http://127.example.com"));
        assert!(!loopback("http://localhost.example.com"));
        assert!(!loopback("http://10.0.0.1"));
    }

    #[test]
    fn a_list_is_short_https_or_local_and_names_each_once() {
        let list = |texts: &[&str], http| parse_list(texts, http).map(|o| o.len());
        assert_eq!(
            list(&["https://a.example", "HTTPS://A.example:443"], false),
            Ok(1)
        );
        assert_eq!(
            list(&["http://127.0.0.1:4567", "http://localhost"], false),
            Ok(2)
        );
        assert!(list(&["http://app.example.com"], false)
            .unwrap_err()
            .contains("must be https"));
        assert_eq!(list(&["http://app.example.com"], true), Ok(1));
        let eleven: Vec<String> = (0..11).map(|i| format!("https://a{i}.example")).collect();
        let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
        assert!(list(&eleven, false).unwrap_err().contains("at most 10"));
        assert!(list(&[], false) == Ok(0));
        assert!(list(&["https://a.example/x"], true)
            .unwrap_err()
            .starts_with("`https://a.example/x` must be an origin"));
    }

    /// The OpenAPI pattern accepts what the parser accepts, on both lists.
    #[test]
    fn the_pattern_agrees_with_the_parser() {
        let schema = serde_json::json!({"type": "string", "pattern": PATTERN});
        let pattern = jsonschema::draft202012::new(&schema).unwrap();
        for text in [
            "https://app.example.com",
            "HTTP://127.0.0.1:4567",
            "https://a-b.c9:65535",
            "https://app.example.com/",
            "https://256.1.1.1",
            "https://1.2.3",
            "https://app.example.com:080",
            "https://[::1]",
            "https://x.1a",
        ] {
            assert_eq!(
                pattern.is_valid(&serde_json::json!(text)),
                EmbedOrigin::parse(text).is_ok(),
                "{text}"
            );
        }
    }
}
