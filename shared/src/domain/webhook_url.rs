//! A webhook's target: an absolute http(s) URL (RFC 3986, via the `url` crate).

use serde::{Deserialize, Serialize};
use std::fmt;
use url::Url;

const MASK: &str = "****";

/// An absolute `http` or `https` URL with a host and no fragment. User info
/// (sent as Basic auth) and the query string are kept. Whether `http` and the
/// host's addresses are allowed is deployment policy: see `net::address`.
/// The `url` crate normalises what it keeps (e.g. `https://a.example` becomes
/// `https://a.example/`, a default port is dropped).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebhookUrl(Url);

impl WebhookUrl {
    pub const MAX_LEN: usize = 2048;

    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > Self::MAX_LEN {
            return Err(format!("must be at most {} characters", Self::MAX_LEN));
        }
        // The WHATWG parser forgives what RFC 3986 does not; refuse that first.
        if text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return Err("must not contain spaces, control characters or backslashes".into());
        }
        // `http:///x` would read as host `x`: the authority must be there.
        let has_authority = text.split_once("://").is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && !scheme.contains(['/', '?', '#'])
                && !rest.starts_with(['/', '?', '#'])
        });
        if !has_authority {
            return Err("is not an absolute URL: it must start with https:// (or http://)".into());
        }
        let url = Url::parse(text).map_err(|e| format!("is not an absolute URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("must be an http or https URL".into());
        }
        if url.host().is_none() {
            return Err("must name a host".into());
        }
        if url.fragment().is_some() {
            return Err("must not have a #fragment (it is never sent)".into());
        }
        Ok(Self(url))
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// A URL sent back as responses show it (password `****`) keeps the
    /// password of `current`.
    pub fn keeping_masked_password(mut self, current: &WebhookUrl) -> Self {
        if self.0.password() == Some(MASK) {
            // Cannot fail: the URL has a host, so it can carry a password.
            let _ = self.0.set_password(current.0.password());
        }
        self
    }

    /// The URL as responses show it: any password replaced by `****`.
    pub fn masked(&self) -> String {
        self.masked_url().to_string()
    }

    /// `masked`, as a URL (what is kept where only the shown form is needed).
    pub fn masked_url(&self) -> Self {
        let mut shown = self.0.clone();
        if shown.password().is_some() {
            // Cannot fail: the URL has a host, so it can carry a password.
            let _ = shown.set_password(Some(MASK));
        }
        Self(shown)
    }

    pub fn has_password(&self) -> bool {
        self.0.password().is_some()
    }

    /// Whether it holds a password other than the mask.
    pub fn shows_password(&self) -> bool {
        self.0.password().is_some_and(|p| p != MASK)
    }
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookUrl({})", self.masked())
    }
}

impl fmt::Display for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

text_type!(WebhookUrl);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_user_info_and_query_and_masks_the_password() {
        let url = WebhookUrl::parse("https://bob:s3cret@hooks.example.com/in?team=7").unwrap();
        assert_eq!(
            url.to_string(),
            "https://bob:s3cret@hooks.example.com/in?team=7"
        );
        assert_eq!(url.masked(), "https://bob:****@hooks.example.com/in?team=7");
        assert!(!format!("{url:?}").contains("s3cret"));
        let resent = WebhookUrl::parse(&url.masked())
            .unwrap()
            .keeping_masked_password(&url);
        assert_eq!(resent, url);
        assert!(url.shows_password() && !url.masked_url().shows_password());
        assert!(url.masked_url().has_password());
        let bare = WebhookUrl::parse("https://hooks.example.com/in").unwrap();
        assert!(!bare.has_password() && bare.masked_url() == bare);
    }

    #[test]
    fn refuses_what_is_not_an_absolute_http_url() {
        for bad in [
            "hooks.example.com/in",
            "/relative",
            "ftp://example.com/",
            "mailto:someone@example.com",
            "https://example.com/#frag",
            "https://",
            "",
            "http:example.com",
            "https:\\\\example.com\\x",
            " https://example.com/",
            "https://exa mple.com/",
            "https://example.com/a\tb",
            "http:///example.com",
            "http://?q@example.com",
        ] {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
        assert!(WebhookUrl::parse(&format!("https://e.com/{}", "a".repeat(2100))).is_err());
    }
}
