//! Domain types. Each parses its input once and cannot hold an invalid value.

pub mod account;
pub mod field;
pub mod ids;
pub mod listing;
pub mod time;
pub mod webhook;
pub mod webhook_url;
