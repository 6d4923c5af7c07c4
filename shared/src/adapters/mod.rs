//! Adapters for the ports: `memory` (embedded local mode, tests) and `aws`.

pub mod aws;
pub mod memory;
