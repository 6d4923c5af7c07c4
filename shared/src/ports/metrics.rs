//! Delivery metrics as a port: CloudWatch embedded-metric-format (EMF) lines
//! in Lambda, nothing locally.

use crate::domain::retry::Next;
use crate::domain::time::Timestamp;
use serde_json::json;

pub trait Metrics: Send + Sync {
    /// One attempt's outcome and how long its send took.
    fn attempt(&self, at: Timestamp, next: Next, send_ms: u64);
}

/// No metrics (local runs and tests).
pub struct NoMetrics;

impl Metrics for NoMetrics {
    fn attempt(&self, _: Timestamp, _: Next, _: u64) {}
}

/// EMF JSON lines on stdout, which CloudWatch Logs turns into metrics in the
/// `hookrelay` namespace: DeliveriesDelivered, DeliveriesRetried,
/// DeliveriesFailed (counts) and SendLatency (milliseconds).
pub struct EmfMetrics;

impl EmfMetrics {
    pub fn line(at: Timestamp, next: Next, send_ms: u64) -> String {
        let count = |wanted: fn(&Next) -> bool| u8::from(wanted(&next));
        json!({
            "_aws": {
                "Timestamp": at.millis(),
                "CloudWatchMetrics": [{
                    "Namespace": "hookrelay",
                    "Dimensions": [[]],
                    "Metrics": [
                        {"Name": "DeliveriesDelivered", "Unit": "Count"},
                        {"Name": "DeliveriesRetried", "Unit": "Count"},
                        {"Name": "DeliveriesFailed", "Unit": "Count"},
                        {"Name": "SendLatency", "Unit": "Milliseconds"}
                    ]
                }]
            },
            "DeliveriesDelivered": count(|n| matches!(n, Next::Delivered)),
            "DeliveriesRetried": count(|n| matches!(n, Next::RetryAfter { .. })),
            "DeliveriesFailed": count(|n| matches!(n, Next::Failed)),
            "SendLatency": send_ms,
        })
        .to_string()
    }
}

impl Metrics for EmfMetrics {
    fn attempt(&self, at: Timestamp, next: Next, send_ms: u64) {
        // Lambda sends stdout to CloudWatch Logs, which extracts EMF lines.
        println!("{}", Self::line(at, next, send_ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emf_line_declares_and_carries_each_metric() {
        let at = Timestamp::from_millis(1_700_000_000_000).unwrap();
        let line: serde_json::Value =
            serde_json::from_str(&EmfMetrics::line(at, Next::RetryAfter { seconds: 5 }, 42))
                .unwrap();
        let declared = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(declared["Namespace"], "hookrelay");
        assert_eq!(line["_aws"]["Timestamp"], 1_700_000_000_000i64);
        for metric in declared["Metrics"].as_array().unwrap() {
            assert!(
                line.get(metric["Name"].as_str().unwrap()).is_some(),
                "{metric}"
            );
        }
        assert_eq!(
            (
                line["DeliveriesRetried"].clone(),
                line["DeliveriesDelivered"].clone(),
                line["SendLatency"].clone()
            ),
            (json!(1), json!(0), json!(42))
        );
    }
}
