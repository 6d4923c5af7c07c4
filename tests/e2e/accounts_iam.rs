//! In Lambda, `POST /v1/accounts` has no admin key: API Gateway's IAM
//! authoriser (template.yaml, `AWS_IAM` on that route) checks the SigV4
//! signature, and the function creates the account only for a request whose
//! context carries the caller the authoriser verified. These run the config
//! API as Lambda does (`lambda_router`, API Gateway v2 events through
//! lambda_http) on both backends.

use crate::helpers::{self, ADMIN_KEY};
use axum::body::to_bytes;
use hookrelay::config::AdminAuth;
use hookrelay_local::Backend;
use serde_json::{json, Value};
use tower::ServiceExt;

on_both_backends!(in_lambda_only_the_caller_iam_verified_creates_accounts);

const CALLER: &str = "arn:aws:iam::111122223333:user/operator";

/// An API Gateway HTTP API (payload 2.0) event for `POST /v1/accounts`;
/// `iam` is what the route's IAM authoriser put in the request context.
fn event(iam: Option<Value>, authorization: Option<&str>) -> String {
    let mut headers = json!({"content-type": "application/json", "host": "api.example"});
    if let Some(value) = authorization {
        headers["authorization"] = json!(value);
    }
    let mut context = json!({
        "accountId": "111122223333", "apiId": "api", "domainName": "api.example",
        "domainPrefix": "api", "requestId": "r1", "routeKey": "POST /v1/accounts",
        "stage": "$default", "time": "04/Dec/2026:12:00:00 +0000", "timeEpoch": 1796385600000_i64,
        "http": {"method": "POST", "path": "/v1/accounts", "protocol": "HTTP/1.1",
                 "sourceIp": "203.0.113.9", "userAgent": "curl/8.5.0"},
    });
    if let Some(iam) = iam {
        context["authorizer"] = json!({ "iam": iam });
    }
    json!({
        "version": "2.0", "routeKey": "POST /v1/accounts", "rawPath": "/v1/accounts",
        "rawQueryString": "", "headers": headers, "requestContext": context,
        "body": r#"{"name": "Acme"}"#, "isBase64Encoded": false,
    })
    .to_string()
}

fn verified(user_arn: &str) -> Value {
    json!({
        "accessKey": "AKIAEXAMPLE", "accountId": "111122223333", "callerId": "AIDAEXAMPLE",
        "cognitoIdentity": null, "principalOrgId": null,
        "userArn": user_arn, "userId": "AIDAEXAMPLE",
    })
}

async fn in_lambda_only_the_caller_iam_verified_creates_accounts(backend: Backend) {
    let mut settings = helpers::settings(backend);
    settings.admin = AdminAuth::Iam;
    let app = hookrelay_local::build_app(backend, settings)
        .await
        .expect("the app starts");
    let router = hookrelay_config_api::lambda_router(app);
    let send = |event: String| {
        let router = router.clone();
        async move {
            let request = lambda_http::request::from_str(&event).expect("an API Gateway v2 event");
            let response = router.oneshot(request).await.expect("an answer");
            let status = response.status().as_u16();
            let body = to_bytes(response.into_body(), 1 << 20).await.expect("body");
            let body: Value = serde_json::from_slice(&body).expect("JSON");
            assert_eq!(body["code"], json!(status), "{body}");
            (status, body)
        }
    };
    // No verified caller (a route without the authoriser): no admin, not
    // even with the local admin key, which means nothing in Lambda.
    let bearer = format!("Bearer {ADMIN_KEY}");
    for unsigned in [event(None, None), event(None, Some(&bearer))] {
        let (status, body) = send(unsigned).await;
        assert_eq!(status, 401, "{body}");
    }
    // A context whose IAM caller has no ARN is not a verified caller.
    let (status, body) = send(event(Some(verified("")), None)).await;
    assert_eq!(status, 401, "{body}");
    // The caller the authoriser verified: the account, its key shown once.
    let (status, body) = send(event(Some(verified(CALLER)), None)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["account"]["name"], "Acme");
    assert!(body["account"]["api_key"].as_str().unwrap().len() >= 32);
}
