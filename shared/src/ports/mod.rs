//! The ports business rules talk to. Adapters live in `crate::adapters`.

pub mod clock;
pub mod keys;
pub mod metrics;
pub mod queue;
pub mod random;
pub mod store;
