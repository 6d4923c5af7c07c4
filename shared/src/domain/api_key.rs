//! An account's API keys as a resource: each with a name, a scope, a visible
//! prefix, an optional expiry and the time it was last used. The key itself
//! is shown once (`account::ApiKey`); only its hash is kept.

use crate::domain::account::{Account, ApiKey, KeyHash};
use crate::domain::ids::ApiKeyId;
use crate::domain::time::Timestamp;
use crate::domain::webhook::Name;
use crate::ports::random::Random;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a key may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every route.
    Full,
    /// `POST /v1/events` only.
    Ingest,
    /// GET only (and `POST /v1/filters/test`, which changes nothing).
    Read,
}

impl Scope {
    pub const HINT: &'static str = "must be `full`, `ingest` or `read`";

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "full" => Ok(Self::Full),
            "ingest" => Ok(Self::Ingest),
            "read" => Ok(Self::Read),
            _ => Err(Self::HINT.into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Ingest => "ingest",
            Self::Read => "read",
        }
    }

    /// Whether a key of this scope may call a route that needs `needed`.
    pub fn covers(self, needed: Scope) -> bool {
        self == Self::Full || self == needed
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The start of a key, kept to recognise it (`hr_live_ab12`): the generated
/// form's marker and 4 of its 43 random characters, or the first 4
/// characters of a key the operator chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyPrefix(String);

impl KeyPrefix {
    const VISIBLE: usize = 4;

    pub fn of(key: &ApiKey) -> Self {
        let text = key.expose();
        let (marker, rest) = match text.strip_prefix(ApiKey::PREFIX) {
            Some(rest) => (ApiKey::PREFIX, rest),
            None => ("", text),
        };
        Self(format!(
            "{marker}{}",
            rest.chars().take(Self::VISIBLE).collect::<String>()
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Writes of `last_used_at` are at least this far apart.
pub const LAST_USED_STEP_SECONDS: i64 = 60;

/// The name the key an account is created with gets.
const FIRST_KEY_NAME: &str = "Initial key";

/// Revoking this key would leave the account without a usable full key.
#[derive(Debug, PartialEq, Eq)]
pub struct LastFullKey;

/// An API key as stored: whose it is, what it may do, and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRecord {
    id: ApiKeyId,
    /// The account it opens, kept whole so a request needs one read.
    account: Account,
    name: Name,
    scope: Scope,
    /// `None` for the key an account was created with before keys had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prefix: Option<KeyPrefix>,
    created_at: Timestamp,
    /// Not `expires_at`, the table's TTL attribute: an expired key stays
    /// listed (and refused) until it is revoked.
    #[serde(
        rename = "valid_until",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    expires_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_used_at: Option<Timestamp>,
    key_hash: KeyHash,
}

/// What a new key is asked to be.
pub struct NewKey {
    pub name: Name,
    pub scope: Scope,
    pub expires_at: Option<Timestamp>,
}

impl NewKey {
    /// The full key an account is created with.
    pub fn first() -> Self {
        Self {
            name: Name::parse(FIRST_KEY_NAME).unwrap_or_else(|_| unreachable!("a valid name")),
            scope: Scope::Full,
            expires_at: None,
        }
    }

    /// An expiry must be later than `now`.
    pub fn expiry(at: Timestamp, now: Timestamp) -> Result<Timestamp, String> {
        if at > now {
            Ok(at)
        } else {
            Err(format!("must be later than now ({now})"))
        }
    }
}

impl ApiKeyRecord {
    /// A new key of `account`: the record, and the key to show once.
    pub fn issue(
        account: &Account,
        new: NewKey,
        now: Timestamp,
        random: &dyn Random,
    ) -> (Self, ApiKey) {
        let key = ApiKey::generate(random);
        (Self::of(account, &key, new, now, random), key)
    }

    /// The record of `key` (generated, or chosen by the operator).
    pub fn of(
        account: &Account,
        key: &ApiKey,
        new: NewKey,
        now: Timestamp,
        random: &dyn Random,
    ) -> Self {
        Self {
            id: ApiKeyId::generate(now, random),
            account: account.clone(),
            name: new.name,
            scope: new.scope,
            prefix: Some(KeyPrefix::of(key)),
            created_at: now,
            expires_at: new.expires_at,
            last_used_at: None,
            key_hash: key.hash(),
        }
    }

    /// The key an account was created with before keys were a resource (a
    /// stored item that names only the account): full, never expiring, made
    /// with the account, its prefix unknown.
    pub fn carried_over(account: Account, key_hash: KeyHash) -> Self {
        let new = NewKey::first();
        Self {
            id: ApiKeyId::first_of(account.id),
            name: new.name,
            scope: new.scope,
            prefix: None,
            created_at: account.created_at,
            expires_at: None,
            last_used_at: None,
            key_hash,
            account,
        }
    }

    pub fn id(&self) -> ApiKeyId {
        self.id
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    pub fn name(&self) -> &Name {
        &self.name
    }

    pub fn scope(&self) -> Scope {
        self.scope
    }

    pub fn prefix(&self) -> Option<&KeyPrefix> {
        self.prefix.as_ref()
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires_at
    }

    pub fn last_used_at(&self) -> Option<Timestamp> {
        self.last_used_at
    }

    pub fn key_hash(&self) -> KeyHash {
        self.key_hash
    }

    pub fn is_live(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|end| now < end)
    }

    /// Notes a use at `now`; whether that is a change to write (the last
    /// one noted is `LAST_USED_STEP_SECONDS` old or more).
    pub fn note_use(&mut self, now: Timestamp) -> bool {
        if self
            .last_used_at
            .is_some_and(|last| now < last.plus_seconds(LAST_USED_STEP_SECONDS))
        {
            return false;
        }
        self.last_used_at = Some(now);
        true
    }

    /// The latest stored `last_used_at` that a use noted at `at` replaces.
    pub fn replaces_use_before(at: Timestamp) -> Timestamp {
        at.plus_seconds(-LAST_USED_STEP_SECONDS)
    }

    /// Whether revoking this key at `now` leaves the account a full key that
    /// works: `Ok(None)` when it needs none (this key is not a working full
    /// key), `Ok(Some(key))` naming one of `keys` that must still be there
    /// when it goes, or `LastFullKey`.
    pub fn revocation<'a>(
        &self,
        keys: impl IntoIterator<Item = &'a ApiKeyRecord>,
        now: Timestamp,
    ) -> Result<Option<&'a ApiKeyRecord>, LastFullKey> {
        if self.scope != Scope::Full || !self.is_live(now) {
            return Ok(None);
        }
        keys.into_iter()
            .filter(|key| key.id != self.id && key.scope == Scope::Full && key.is_live(now))
            // The one that works longest, so the witness is a sound choice.
            .max_by_key(|key| key.expires_at.map_or(i64::MAX, Timestamp::millis))
            .map(Some)
            .ok_or(LastFullKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::AccountId;
    use crate::ports::random::OsRandom;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_millis(1_790_000_000_000 + seconds * 1000).unwrap()
    }

    fn acme() -> Account {
        Account {
            id: AccountId::generate(at(0), &OsRandom),
            name: Name::parse("Acme").unwrap(),
            created_at: at(0),
        }
    }

    fn key(account: &Account, scope: Scope, expires_at: Option<Timestamp>) -> ApiKeyRecord {
        let new = NewKey {
            name: Name::parse("k").unwrap(),
            scope,
            expires_at,
        };
        ApiKeyRecord::issue(account, new, at(0), &OsRandom).0
    }

    #[test]
    fn scopes_cover_themselves_and_full_covers_all() {
        use Scope::*;
        for (scope, needed, covers) in [
            (Full, Full, true),
            (Full, Ingest, true),
            (Full, Read, true),
            (Ingest, Ingest, true),
            (Ingest, Read, false),
            (Ingest, Full, false),
            (Read, Read, true),
            (Read, Ingest, false),
            (Read, Full, false),
        ] {
            assert_eq!(scope.covers(needed), covers, "{scope} for {needed}");
            assert_eq!(Scope::parse(scope.as_str()), Ok(scope));
        }
        assert!(Scope::parse("admin").is_err());
    }

    #[test]
    fn the_prefix_shows_the_marker_and_four_characters() {
        let (record, secret) = ApiKeyRecord::issue(&acme(), NewKey::first(), at(0), &OsRandom);
        let prefix = record.prefix().unwrap().as_str();
        assert_eq!(prefix.len(), ApiKey::PREFIX.len() + 4);
        assert!(secret.expose().starts_with(prefix), "{prefix}");
        let chosen = ApiKey::from_configured("local-dev-key-0123456789").unwrap();
        assert_eq!(KeyPrefix::of(&chosen).as_str(), "loca");
        assert!(record.key_hash().matches(&secret.hash()));
    }

    #[test]
    fn uses_are_noted_at_most_once_a_minute() {
        let mut record = key(&acme(), Scope::Read, None);
        assert!(record.note_use(at(10)));
        assert!(!record.note_use(at(69)));
        assert_eq!(record.last_used_at(), Some(at(10)));
        assert!(record.note_use(at(70)));
        assert_eq!(ApiKeyRecord::replaces_use_before(at(70)), at(10));
    }

    #[test]
    fn expired_keys_stop_at_their_end() {
        let record = key(&acme(), Scope::Full, Some(at(60)));
        assert!(record.is_live(at(59)));
        assert!(!record.is_live(at(60)));
    }

    #[test]
    fn the_last_working_full_key_stays() {
        let account = acme();
        let first = key(&account, Scope::Full, None);
        let reader = key(&account, Scope::Read, None);
        let expired = key(&account, Scope::Full, Some(at(5)));
        let now = at(10);
        let all = [first.clone(), reader.clone(), expired.clone()];
        assert_eq!(first.revocation(&all, now), Err(LastFullKey));
        assert_eq!(reader.revocation(&all, now), Ok(None));
        assert_eq!(expired.revocation(&all, now), Ok(None));
        let second = key(&account, Scope::Full, Some(at(3600)));
        let all = [first.clone(), second.clone(), expired];
        assert_eq!(first.revocation(&all, now), Ok(Some(&second)));
        assert_eq!(second.revocation(&all, now), Ok(Some(&first)));
    }

    #[test]
    fn a_carried_over_key_is_the_accounts_full_key() {
        let account = acme();
        let hash = KeyHash::of("hr_old-key");
        let record = ApiKeyRecord::carried_over(account.clone(), hash);
        assert_eq!(record.id(), ApiKeyId::first_of(account.id));
        assert_eq!(record.scope(), Scope::Full);
        assert_eq!(record.created_at(), account.created_at);
        assert_eq!(record.prefix(), None);
        assert!(record.key_hash().matches(&hash));
    }
}
