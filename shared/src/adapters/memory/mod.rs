//! In-memory adapters: the embedded local mode needs no AWS and no Python.

mod queue;
mod store;

pub use queue::{MemoryQueue, MemoryScheduler};
pub use store::MemoryStore;
