//! Domain types. Each parses its input once and cannot hold an invalid value.

pub mod account;
pub mod delivery;
pub mod event;
pub mod field;
pub mod ids;
pub mod listing;
pub mod retry;
pub mod time;
pub mod webhook;
pub mod webhook_url;
