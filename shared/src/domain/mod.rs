//! Domain types. Each parses its input once and cannot hold an invalid value.

/// Implements text (de)serialization through the type's `parse`, so a value
/// read back from storage is checked like one from a request. Defined before
/// the modules, so each of them can use it.
macro_rules! text_type {
    // A newtype over its text, shown as that text.
    ($name:ident, shown as is) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        text_type!($name);
    };
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<Self, String> {
                Self::parse(&text)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.to_string()
            }
        }
    };
}

/// A credential handed out once (an API key, a console token): `expose`
/// gives its text to answer it, `hash` what is stored, and Debug never
/// prints it.
macro_rules! credential {
    ($name:ident) => {
        impl $name {
            pub fn expose(&self) -> &str {
                &self.0
            }

            pub fn hash(&self) -> $crate::domain::account::KeyHash {
                $crate::domain::account::KeyHash::of(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(****)"))
            }
        }
    };
}

pub mod account;
pub mod api_key;
pub mod audit;
pub mod branding;
pub mod console_link;
pub mod delivery;
pub mod embed_origin;
pub mod event;
pub mod event_type;
pub mod filter;
pub mod health;
pub mod idempotency;
pub mod ids;
pub mod listing;
pub mod payload_schema;
pub mod poll;
pub mod quota;
pub mod replay;
pub mod retry;
pub mod sealed;
pub mod stats;
pub mod task;
pub mod time;
pub mod transform;
pub mod wake;
pub mod webhook;
pub mod webhook_url;
