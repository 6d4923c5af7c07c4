//! What every HTTP function shares: the response envelope, the one mapping of
//! errors to it, request body and query parsing, and API-key auth.

pub mod auth;
pub mod body;
pub mod envelope;
pub mod error;
pub mod query;

pub use envelope::Reply;
pub use error::ApiError;
