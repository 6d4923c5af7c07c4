//! Logging set-up. Never log secrets, API keys or payloads.

use tracing_subscriber::EnvFilter;

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// JSON lines for CloudWatch; Lambda adds its own timestamps.
pub fn init_lambda() {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter())
        // The current span's fields (a delivery's `trace_id`) on every line.
        .with_current_span(true)
        .with_span_list(false)
        .with_ansi(false)
        .without_time()
        .init();
}

/// Human-readable lines for the local runner.
pub fn init_local() {
    tracing_subscriber::fmt()
        .compact()
        .with_env_filter(filter())
        .init();
}
