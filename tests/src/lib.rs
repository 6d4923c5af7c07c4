//! The tests live in e2e/: one binary, e2e/main.rs, with a module per area.
