//! In-memory adapters: the embedded local mode needs no AWS and no Python.

mod store;

pub use store::MemoryStore;
