//! Every AWS call has a deadline: clients built by `sdk_config_for` give up
//! on an endpoint that accepts connections and never answers, within the
//! operation timeout, instead of waiting for the Lambda function to time out.
//! The endpoint goes into the configuration itself (never the process
//! environment, which other tests read at the same time).

use aws_sdk_dynamodb::error::SdkError;
use hookrelay::adapters::aws::{sdk_config_for, AwsClients, SdkTimeouts, SqsQueue};
use hookrelay::domain::ids::DeliveryId;
use hookrelay::ports::clock::{Clock, SystemClock};
use hookrelay::ports::queue::Queue;
use hookrelay::ports::random::OsRandom;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Longer than any timeout below: past it, the call hangs (the bug).
const HANG: Duration = Duration::from_secs(20);

/// A loopback endpoint that accepts every connection, reads nothing and
/// never answers; and how many connections it accepted.
async fn stalled_endpoint() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (url, accepted)
}

/// Runs `call`, failing the test if it is still waiting after `HANG`.
async fn timed<T, E: std::fmt::Debug>(
    what: &str,
    call: impl std::future::Future<Output = Result<T, SdkError<E>>>,
) -> (SdkError<E>, Duration) {
    let started = Instant::now();
    match tokio::time::timeout(HANG, call).await {
        Err(_) => panic!("{what} still waiting after {HANG:?}: no timeout applies"),
        Ok(Ok(_)) => panic!("{what} got an answer from an endpoint that never answers"),
        Ok(Err(err)) => (err, started.elapsed()),
    }
}

#[tokio::test]
async fn a_stalled_call_to_any_service_fails_within_the_operation_timeout() {
    let (url, _) = stalled_endpoint().await;
    let limits = SdkTimeouts::AWS;
    let clients = AwsClients::new(&sdk_config_for(Some(&url), limits).await);
    let ((dynamodb, d), (sqs, s), (scheduler, c)) = tokio::join!(
        timed("DynamoDB ListTables", clients.dynamodb.list_tables().send()),
        timed("SQS ListQueues", clients.sqs.list_queues().send()),
        timed(
            "Scheduler ListScheduleGroups",
            clients.scheduler.list_schedule_groups().send()
        ),
    );
    for (service, timed_out, took) in [
        ("DynamoDB", matches!(dynamodb, SdkError::TimeoutError(_)), d),
        ("SQS", matches!(sqs, SdkError::TimeoutError(_)), s),
        (
            "Scheduler",
            matches!(scheduler, SdkError::TimeoutError(_)),
            c,
        ),
    ] {
        assert!(timed_out, "{service}: not a timeout");
        // No sooner than one attempt's limit, no later than the whole call's.
        assert!(
            took >= limits.attempt && took < limits.operation + Duration::from_secs(2),
            "{service} gave up after {took:?}"
        );
    }
}

#[tokio::test]
async fn a_stalled_attempt_is_tried_again_on_a_new_connection() {
    let (url, accepted) = stalled_endpoint().await;
    let limits = SdkTimeouts {
        attempt: Duration::from_millis(200),
        operation: Duration::from_secs(15),
    };
    let config = sdk_config_for(Some(&url), limits).await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let (err, took) = timed("DynamoDB ListTables", client.list_tables().send()).await;
    assert!(
        matches!(err, SdkError::TimeoutError(_)),
        "not a timeout: {err:?}"
    );
    // Standard retry mode: 3 attempts, backoffs of at most 1 s and 2 s.
    assert_eq!(accepted.load(Ordering::SeqCst), 3, "attempts");
    assert!(took < Duration::from_secs(5), "gave up after {took:?}");
}

/// A long poll on an empty queue answers after its wait, however short the
/// attempt timeout: that is waiting, not a stall (moto's server).
#[tokio::test]
async fn a_long_poll_outlasts_the_attempt_timeout() {
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL is not set: this test needs moto's server; run scripts/test.sh");
    let limits = SdkTimeouts {
        attempt: Duration::from_secs(1),
        operation: Duration::from_secs(2),
    };
    let sqs = aws_sdk_sqs::Client::new(&sdk_config_for(Some(&endpoint), limits).await);
    let name = format!(
        "poll-{}",
        DeliveryId::generate(SystemClock.now(), &OsRandom)
    );
    let info = SqsQueue::ensure(&sqs, &name, Duration::from_secs(30))
        .await
        .expect("queue on moto");
    let queue = SqsQueue::new(sqs, info.url);
    let started = Instant::now();
    let received = queue
        .receive(10, Duration::from_secs(3))
        .await
        .expect("an empty long poll is no error");
    assert!(received.is_empty());
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "moto waited {:?}: the poll did not outlast the attempt timeout",
        started.elapsed()
    );
}
