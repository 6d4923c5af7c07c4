//! Use cases an API call starts (each one a handler calls): they reuse the
//! pipeline's stages (an attempt now, a background task) under the request's
//! budget.

pub mod poll;
pub mod purge;
pub mod replay;
pub mod retry;
pub mod test_send;
