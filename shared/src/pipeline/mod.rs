//! An event's life, one module per stage, in order (see the crate's "Life
//! of an event"): `contract` (an enforced schema, before anything is
//! recorded) → `fanout` → `enqueue` → `wake` → `router` → `dispatch` →
//! `attempt` (with `request`) → `notes` → `auto_disable`; `tasks` carries
//! work too large for one step, and `sweep` is the backstop for lost
//! messages; `change_webhook` is the one way a stored webhook changes
//! (auto-disable here, the API's changes through it too). What a warm
//! sender buffers between writes is in `warm`.

pub mod attempt;
pub mod auto_disable;
pub mod change_webhook;
pub mod contract;
pub mod dispatch;
pub mod enqueue;
pub mod fanout;
pub mod notes;
pub mod request;
pub mod router;
pub mod sweep;
pub mod tasks;
pub mod wake;
