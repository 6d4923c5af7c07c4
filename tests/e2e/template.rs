//! template.yaml agrees with the code and with AWS's rules, where the two
//! could drift apart: the retention and ingest quota the parameters allow
//! are what the functions accept; the delivery function reserves the
//! concurrency its queue's event source mapping may use. And the hardening
//! stays: only POST /v1/accounts is authorised by IAM and no admin key is
//! deployed; access logs are JSON without the Authorization header and
//! expire; every queue is encrypted; every route is throttled; each checkov
//! skip gives its reason.

use crate::helpers::template::template;
use hookrelay::config::{
    minimum_retention_days, AdminAuth, ConfigError, Deployment, Settings, DEFAULT_INGEST_RATE,
};
use hookrelay::domain::quota::IngestQuota;
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
    lambda_with(&[
        ("HOOKRELAY_RETRY_SCHEDULE", schedule.to_owned()),
        ("RETENTION_DAYS", retention_days.to_string()),
    ])
}

/// The settings a function reads with `variables` set (and TABLE_NAME).
fn lambda_with(variables: &[(&str, String)]) -> Result<Settings, ConfigError> {
    Settings::from_lookup(Deployment::Lambda, |name| match name {
        "TABLE_NAME" => Some("hookrelay".to_owned()),
        _ => variables
            .iter()
            .find(|(variable, _)| *variable == name)
            .map(|(_, value)| value.clone()),
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
    // The sweeper runs one at a time, with one always free to run.
    let sweeper = &resources["SweeperFunction"]["Properties"]["ReservedConcurrentExecutions"];
    assert_eq!(number(sweeper, "SweeperFunction reserved concurrency"), 1);
}

/// Each HttpApi route of the template: (function, event, "METHOD PATH", event properties).
fn routes(template: &Value) -> Vec<(String, String, String, Value)> {
    let mut routes = Vec::new();
    for (function, resource) in template["Resources"].as_object().expect("Resources") {
        let events = resource["Properties"]["Events"].as_object();
        for (event, spec) in events.into_iter().flatten() {
            if spec["Type"] == "HttpApi" {
                let properties = &spec["Properties"];
                let key = format!(
                    "{} {}",
                    properties["Method"].as_str().expect("Method"),
                    properties["Path"].as_str().expect("Path")
                );
                routes.push((function.clone(), event.clone(), key, properties.clone()));
            }
        }
    }
    routes
}

#[test]
fn only_post_accounts_is_authorised_by_iam_and_no_admin_key_is_deployed() {
    let template = template();
    let api = &template["Resources"]["HttpApi"]["Properties"];
    assert_eq!(api["Auth"]["EnableIamAuthorizer"], json!(true));
    assert!(api["Auth"]["DefaultAuthorizer"].is_null(), "{api}");
    let mut iam = Vec::new();
    for (function, event, key, properties) in routes(&template) {
        match properties["Auth"]["Authorizer"].as_str() {
            Some("AWS_IAM") => iam.push((function, key)),
            None => {}
            Some(other) => panic!("{function}.{event} ({key}): authorizer {other}"),
        }
    }
    let expected = (
        "ConfigApiFunction".to_owned(),
        "POST /v1/accounts".to_owned(),
    );
    assert_eq!(iam, vec![expected]);
    // No admin key anywhere: not a parameter, not a function's variable.
    let text = template.to_string();
    assert!(!text.contains("ADMIN_API_KEY") && !text.contains("AdminApiKey"));
    // So the functions trust IAM for accounts.
    assert_eq!(lambda_with(&[]).unwrap().admin, AdminAuth::Iam);
}

#[test]
fn access_logs_are_json_lines_without_the_authorization_header_and_expire() {
    let template = template();
    let settings = &template["Resources"]["HttpApi"]["Properties"]["AccessLogSettings"];
    let format = settings["Format"].as_str().expect("an access-log format");
    let line: Value = serde_json::from_str(format).expect("the format is a JSON object");
    let fields = line.as_object().expect("an object");
    for (name, value) in fields {
        let value = value
            .as_str()
            .expect("every value is quoted: valid JSON even when empty");
        for what in [name.as_str(), value] {
            let what = what.to_ascii_lowercase();
            assert!(
                !what.contains("authorization") && !what.contains("header"),
                "{name}: {value}"
            );
        }
    }
    for needed in ["$context.requestId", "$context.status", "$context.routeKey"] {
        assert!(fields.values().any(|v| v == needed), "{needed} is logged");
    }
    let group = settings["DestinationArn"]["Fn::GetAtt"][0]
        .as_str()
        .expect("a log group of the template");
    let group = &template["Resources"][group];
    assert_eq!(group["Type"], "AWS::Logs::LogGroup");
    let retention = &group["Properties"]["RetentionInDays"];
    let parameter = retention["Ref"].as_str().expect("retention is a parameter");
    let days = &template["Parameters"][parameter];
    assert!(number(&days["Default"], parameter) >= 365, "{days}");
}

#[test]
fn every_queue_is_encrypted_at_rest() {
    let template = template();
    let queues: Vec<(&String, &Value)> = template["Resources"]
        .as_object()
        .expect("Resources")
        .iter()
        .filter(|(_, resource)| resource["Type"] == "AWS::SQS::Queue")
        .collect();
    assert!(
        queues.len() >= 3,
        "DeliveryQueue and both dead-letter queues"
    );
    for (name, queue) in queues {
        let properties = &queue["Properties"];
        let sse = properties["SqsManagedSseEnabled"] == json!(true);
        assert!(
            sse || !properties["KmsMasterKeyId"].is_null(),
            "{name} is not encrypted"
        );
    }
}

#[test]
fn every_route_is_throttled_and_route_settings_name_real_routes() {
    let template = template();
    let api = &template["Resources"]["HttpApi"]["Properties"];
    for limit in ["ThrottlingRateLimit", "ThrottlingBurstLimit"] {
        assert!(
            !api["DefaultRouteSettings"][limit].is_null(),
            "default {limit}"
        );
    }
    let keys: Vec<String> = routes(&template).into_iter().map(|r| r.2).collect();
    let settings = api["RouteSettings"].as_object().expect("RouteSettings");
    for (route, limits) in settings {
        // API Gateway refuses the stage if a key names no route.
        assert!(
            keys.contains(route),
            "RouteSettings names `{route}`, which is no route"
        );
        assert!(!limits["ThrottlingRateLimit"].is_null(), "{route}");
    }
    assert!(settings.contains_key("POST /v1/events"));
    assert!(settings.contains_key("POST /v1/accounts"));
}

#[test]
fn the_ingest_quota_the_parameter_allows_is_what_ingest_accepts() {
    let template = template();
    let variables =
        &template["Resources"]["IngestFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        variables["HOOKRELAY_INGEST_RATE"],
        json!({"Ref": "IngestRatePerAccount"})
    );
    let parameter = &template["Parameters"]["IngestRatePerAccount"];
    for key in ["MinValue", "MaxValue", "Default"] {
        let rate = number(&parameter[key], key);
        let settings = lambda_with(&[("HOOKRELAY_INGEST_RATE", rate.to_string())])
            .unwrap_or_else(|e| panic!("IngestRatePerAccount {key} {rate}: {e}"));
        let expected = IngestQuota::per_second(u32::try_from(rate).expect("u32"));
        assert_eq!(settings.ingest_quota, expected);
    }
    assert_eq!(
        number(&parameter["Default"], "Default"),
        u64::from(DEFAULT_INGEST_RATE)
    );
}

#[test]
fn each_checkov_skip_says_why() {
    let template = template();
    for (name, resource) in template["Resources"].as_object().expect("Resources") {
        let skips = resource["Metadata"]["checkov"]["skip"].as_array();
        for skip in skips.into_iter().flatten() {
            assert!(
                skip["id"].as_str().is_some_and(|id| id.starts_with("CKV_")),
                "{name}: {skip}"
            );
            let reason = skip["comment"].as_str().unwrap_or_default();
            assert!(
                reason.len() >= 40,
                "{name}: skip {} needs its reason",
                skip["id"]
            );
        }
    }
}
