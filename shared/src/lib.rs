//! hookrelay's shared core: domain types that cannot hold bad values, the ports
//! (Store, Clock, Random, Resolver) business rules talk to, their AWS and
//! in-memory adapters, and the HTTP pieces every API function uses.

pub mod adapters;
pub mod app;
pub mod attempt;
pub mod cache;
pub mod cascade_delete;
pub mod config;
pub mod dispatch;
pub mod domain;
pub mod errors;
pub mod fanout;
pub mod health;
pub mod http;
pub mod net;
pub mod notes;
pub mod ports;
pub mod recover;
pub mod signing;
pub mod stats;
pub mod sweep;
pub mod tasks;
pub mod telemetry;
pub mod waits;
pub mod webhook_change;
