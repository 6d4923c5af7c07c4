//! In-memory adapters: the embedded local mode needs no AWS and no Python.

mod key_ring;
mod queue;
mod store;

pub use key_ring::LocalKeyRing;
pub use queue::{MemoryQueue, MemoryScheduler};
pub use store::MemoryStore;
