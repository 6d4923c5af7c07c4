//! The HTTP client of a replayable call log's DynamoDB client: writes go
//! through one at a time and every answer is numbered as it comes, so the
//! numbers order the writes as DynamoDB applied them. (Two concurrent
//! writes to one item otherwise leave a replay unsure which came last.)

use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Whose turn it is: one write in flight, and the next answer's number.
#[derive(Debug, Default)]
pub struct Turns {
    writes: tokio::sync::Mutex<()>,
    next: AtomicU64,
}

/// An answer's number (a response extension the call log reads).
#[derive(Clone, Copy, Debug)]
pub struct Answered(pub u64);

const WRITES: [&str; 5] = [
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "TransactWriteItems",
];

fn is_write(request: &HttpRequest) -> bool {
    let target = request.headers().get("x-amz-target").unwrap_or_default();
    target
        .split_once('.')
        .is_some_and(|(_, operation)| WRITES.contains(&operation))
}

#[derive(Debug)]
struct InOrder {
    inner: SharedHttpClient,
    turns: Arc<Turns>,
}

#[derive(Debug)]
struct InOrderConnector {
    inner: SharedHttpConnector,
    turns: Arc<Turns>,
}

/// The client the SDK would build itself (rustls), to wrap.
pub fn default_client() -> SharedHttpClient {
    let rustls = tls::Provider::Rustls(tls::rustls_provider::CryptoMode::AwsLc);
    aws_smithy_http_client::Builder::new()
        .tls_provider(rustls)
        .build_https()
}

/// `inner`, with writes in turn and answers numbered.
pub fn in_order(inner: SharedHttpClient, turns: Arc<Turns>) -> SharedHttpClient {
    SharedHttpClient::new(InOrder { inner, turns })
}

impl HttpClient for InOrder {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(InOrderConnector {
            inner: self.inner.http_connector(settings, components),
            turns: self.turns.clone(),
        })
    }
}

impl HttpConnector for InOrderConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, turns) = (self.inner.clone(), self.turns.clone());
        let write = is_write(&request);
        HttpConnectorFuture::new(async move {
            // Held until the answer's head arrives: the write is applied by then.
            let _turn = if write {
                Some(turns.writes.lock().await)
            } else {
                None
            };
            let mut response = inner.call(request).await?;
            response.add_extension(Answered(turns.next.fetch_add(1, Ordering::SeqCst)));
            Ok(response)
        })
    }
}
