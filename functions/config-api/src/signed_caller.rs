//! In Lambda, `POST /v1/accounts` is guarded by API Gateway's IAM authoriser
//! (template.yaml: `Auth: Authorizer: AWS_IAM` on that route only). What it
//! verified reaches the function in the request context
//! (`requestContext.authorizer.iam`); this layer hands that caller on as a
//! `SignedCaller`, which the `Admin` extractor requires, so the handler
//! never reads AWS types. Only API Gateway writes the request context: a
//! client cannot forge it, and a route without the authoriser carries none.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use hookrelay::http::auth::SignedCaller;
use lambda_http::request::RequestContext;

/// The caller the route's IAM authoriser verified, if it ran.
pub fn verified(context: &RequestContext) -> Option<SignedCaller> {
    let RequestContext::ApiGatewayV2(context) = context else {
        return None;
    };
    let iam = context.authorizer.as_ref()?.iam.as_ref()?;
    let arn = iam
        .user_arn
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())?;
    Some(SignedCaller {
        arn: arn.to_owned(),
    })
}

/// Puts the verified caller (if any) on the request, and nothing else.
pub async fn from_request_context(mut request: Request, next: Next) -> Response {
    let caller = request
        .extensions()
        .get::<RequestContext>()
        .and_then(verified);
    request.extensions_mut().remove::<SignedCaller>();
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}
