//! Console links: a short-lived, revocable token that opens the console for
//! one account, optionally read-only, so a producer can hand the console to
//! its own customer without sharing the account's API key.

use crate::domain::account::{Account, KeyHash};
use crate::domain::api_key::Scope;
use crate::domain::embed_origin::EmbedOrigin;
use crate::domain::ids::{AccountId, ApiKeyId, ConsoleLinkId};
use crate::domain::time::Timestamp;
use crate::ports::random::Random;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Lifetimes a link may be minted with, in seconds (one minute to a week).
pub const TTL_MIN_SECONDS: u64 = 60;
pub const TTL_MAX_SECONDS: u64 = 7 * 86_400;
pub const TTL_DEFAULT_SECONDS: u64 = 3_600;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleLink {
    pub id: ConsoleLinkId,
    /// The account it opens, kept whole so a request made with the link
    /// needs one read.
    pub account: Account,
    pub read_only: bool,
    pub created_at: Timestamp,
    /// Epoch seconds; also the table's TTL attribute.
    pub expires_at: i64,
    pub token_hash: KeyHash,
    /// Origins allowed to frame the console this link opens
    /// (`frame-ancestors`); none: it cannot be framed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embed_origins: Vec<EmbedOrigin>,
}

impl ConsoleLink {
    /// A new link for `account` and the token that opens it (shown once).
    pub fn mint(
        account: &Account,
        read_only: bool,
        ttl_seconds: u64,
        now: Timestamp,
        random: &dyn Random,
    ) -> (Self, ConsoleToken) {
        let id = ConsoleLinkId::generate(now, random);
        let token = ConsoleToken::generate(account.id, id, random);
        let ttl = i64::try_from(ttl_seconds.min(TTL_MAX_SECONDS)).unwrap_or(0);
        let link = Self {
            id,
            account: account.clone(),
            read_only,
            created_at: now,
            expires_at: now.epoch_seconds() + ttl,
            token_hash: token.hash(),
            embed_origins: Vec::new(),
        };
        (link, token)
    }

    pub fn is_live(&self, now: Timestamp) -> bool {
        now.epoch_seconds() < self.expires_at
    }

    /// Whether `presented` (a token's hash) opens this link at `now`.
    pub fn admits(&self, presented: &KeyHash, now: Timestamp) -> bool {
        self.is_live(now) && self.token_hash.matches(presented)
    }

    pub fn expires(&self) -> Timestamp {
        Timestamp::from_millis(self.expires_at.saturating_mul(1000)).unwrap_or(self.created_at)
    }
}

/// `hrc_{account}.{link}.{secret}`: names its link, so a request finds it
/// with one read, and carries 32 random bytes, compared by hash.
pub struct ConsoleToken(String);

impl ConsoleToken {
    pub const PREFIX: &'static str = "hrc_";

    fn generate(account: AccountId, link: ConsoleLinkId, random: &dyn Random) -> Self {
        let mut secret = [0u8; 32];
        random.fill(&mut secret);
        Self(format!(
            "{}{account}.{link}.{}",
            Self::PREFIX,
            URL_SAFE_NO_PAD.encode(secret)
        ))
    }

    /// The account and link a presented credential names, if it is shaped
    /// like a console token.
    pub fn address(presented: &str) -> Option<(AccountId, ConsoleLinkId)> {
        let rest = presented.strip_prefix(Self::PREFIX)?;
        let (address, secret) = rest.rsplit_once('.')?;
        (!secret.is_empty()).then_some(())?;
        parse_address(address)
    }
}

impl ConsoleLink {
    /// `{account}.{link}`: where the link is, and nothing secret (the
    /// console page of an embeddable link names it in `?link=`).
    pub fn address(&self) -> String {
        format!("{}.{}", self.account.id, self.id)
    }
}

/// The account and link an address (`ConsoleLink::address`) names.
pub fn parse_address(text: &str) -> Option<(AccountId, ConsoleLinkId)> {
    let (account, link) = text.split_once('.')?;
    Some((AccountId::parse(account)?, ConsoleLinkId::parse(link)?))
}
credential!(ConsoleToken);

/// What a request's credential grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// One of the account's API keys: what its scope covers, until it expires.
    ApiKey {
        id: ApiKeyId,
        scope: Scope,
        expires_at: Option<Timestamp>,
    },
    /// A console link: until it expires or is revoked, maybe read-only.
    ConsoleLink {
        id: ConsoleLinkId,
        read_only: bool,
        expires_at: Timestamp,
    },
}

impl Access {
    /// GET only: a read-only link, or a key of scope `read`.
    pub fn read_only(&self) -> bool {
        match self {
            Self::ApiKey { scope, .. } => *scope == Scope::Read,
            Self::ConsoleLink { read_only, .. } => *read_only,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::webhook::Name;
    use crate::ports::random::OsRandom;

    fn account(now: Timestamp) -> Account {
        Account {
            id: AccountId::generate(now, &OsRandom),
            name: Name::parse("Acme").unwrap(),
            created_at: now,
        }
    }

    #[test]
    fn a_token_names_its_link_and_opens_only_it_until_it_expires() {
        let now = Timestamp::parse("2026-11-23T10:00:00Z").unwrap();
        let acme = account(now);
        let (link, token) = ConsoleLink::mint(&acme, true, 600, now, &OsRandom);
        assert_eq!(
            ConsoleToken::address(token.expose()),
            Some((acme.id, link.id))
        );
        assert!(link.admits(&token.hash(), now));
        assert!(link.admits(&token.hash(), now.plus_seconds(599)));
        assert!(!link.admits(&token.hash(), now.plus_seconds(600)));
        let (_, other) = ConsoleLink::mint(&acme, true, 600, now, &OsRandom);
        assert!(!link.admits(&other.hash(), now));
        assert!(!format!("{token:?}").contains(token.expose()));
        assert_eq!(parse_address(&link.address()), Some((acme.id, link.id)));
        assert!(token.expose().contains(&link.address()));
    }

    #[test]
    fn only_token_shaped_credentials_have_an_address() {
        for bad in ["hr_abc", "hrc_", "hrc_x.y.z", "hrc_{a}.{b}."] {
            assert_eq!(ConsoleToken::address(bad), None, "{bad}");
        }
    }
}
