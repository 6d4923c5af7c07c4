//! template.yaml agrees with the code and with AWS's rules, where the two
//! could drift apart: the retention the parameters allow is what the
//! functions accept, and the delivery function reserves the concurrency its
//! queue's event source mapping may use.

use crate::helpers::template::template;
use hookrelay::config::{minimum_retention_days, ConfigError, Deployment, Settings};
use serde_json::{json, Value};

/// A whole number in the template (YAML may give it as a string).
fn number(value: &Value, what: &str) -> u64 {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|text| text.parse().ok()))
        .unwrap_or_else(|| panic!("{what} is not a whole number: {value}"))
}

/// The settings the functions read, with the template's values for the two
/// variables the parameters set.
fn lambda_settings(schedule: &str, retention_days: u64) -> Result<Settings, ConfigError> {
    Settings::from_lookup(Deployment::Lambda, |name| match name {
        "TABLE_NAME" => Some("hookrelay".to_owned()),
        "HOOKRELAY_RETRY_SCHEDULE" => Some(schedule.to_owned()),
        "RETENTION_DAYS" => Some(retention_days.to_string()),
        _ => None,
    })
}

#[test]
fn the_shortest_retention_allowed_is_what_the_functions_accept_with_the_default_schedule() {
    let template = template();
    let variables = &template["Globals"]["Function"]["Environment"]["Variables"];
    assert_eq!(variables["RETENTION_DAYS"], json!({"Ref": "RetentionDays"}));
    assert_eq!(
        variables["HOOKRELAY_RETRY_SCHEDULE"],
        json!({"Ref": "RetrySchedule"})
    );
    let parameters = &template["Parameters"];
    let schedule = parameters["RetrySchedule"]["Default"]
        .as_str()
        .expect("RetrySchedule has a default");
    let lowest = number(
        &parameters["RetentionDays"]["MinValue"],
        "RetentionDays MinValue",
    );

    let settings = lambda_settings(schedule, lowest).unwrap_or_else(|e| {
        panic!("RetentionDays MinValue {lowest} with the default schedule: {e}")
    });
    assert_eq!(
        minimum_retention_days(&settings.retry_schedule),
        lowest,
        "RetentionDays MinValue is the functions' minimum for the default RetrySchedule"
    );
    let refused = lambda_settings(schedule, lowest - 1).expect_err("a day less is refused");
    assert_eq!(refused.variable, "RETENTION_DAYS");
    // The default retention is allowed too.
    let default = number(&parameters["RetentionDays"]["Default"], "RetentionDays");
    assert!(lambda_settings(schedule, default).is_ok());
}

/// The fewest (`low`) or most a value can be: a number, or a `Ref` to a
/// parameter (its MinValue or MaxValue).
fn bound(template: &Value, value: &Value, low: bool, what: &str) -> u64 {
    match value["Ref"].as_str() {
        Some(parameter) => {
            let key = if low { "MinValue" } else { "MaxValue" };
            number(
                &template["Parameters"][parameter][key],
                &format!("{parameter} {key}"),
            )
        }
        None => number(value, what),
    }
}

#[test]
fn the_delivery_function_reserves_at_least_the_concurrency_its_queue_may_use() {
    let template = template();
    let resources = &template["Resources"];
    let mapping = &resources["DeliveryFunctionDeliveries"]["Properties"];
    assert_eq!(mapping["FunctionName"], json!({"Ref": "DeliveryFunction"}));
    let most_started = &mapping["ScalingConfig"]["MaximumConcurrency"];
    let reserved = &resources["DeliveryFunction"]["Properties"]["ReservedConcurrentExecutions"];
    assert!(
        !reserved.is_null(),
        "DeliveryFunction has no ReservedConcurrentExecutions: the mapping's invocations can be throttled"
    );
    // The same expression is equal for every parameter value; otherwise the
    // fewest that can be reserved must cover the most that can be started.
    if reserved != most_started {
        let fewest = bound(&template, reserved, true, "ReservedConcurrentExecutions");
        let most = bound(&template, most_started, false, "MaximumConcurrency");
        assert!(
            fewest >= most,
            "DeliveryFunction may reserve {fewest}, its mapping may start {most}"
        );
    }
    // Within what AWS accepts for MaximumConcurrency (2 to 1000).
    assert!(bound(&template, most_started, true, "MaximumConcurrency") >= 2);
    assert!(bound(&template, most_started, false, "MaximumConcurrency") <= 1000);
}
