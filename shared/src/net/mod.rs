//! The network: the address rule and its resolver port (`address`), and the
//! one HTTP client every send goes through (`sender`).

pub mod address;
pub mod sender;
