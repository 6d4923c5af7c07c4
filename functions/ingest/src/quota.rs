//! The account-level ingest quota (`HOOKRELAY_INGEST_RATE`): an event past
//! it is answered 429 with `Retry-After`, before anything is recorded, so
//! the client sends it again; none is dropped.

use hookrelay::app::App;
use hookrelay::domain::ids::AccountId;
use hookrelay::http::ApiError;

/// Counts `count` events against the account's quota for this second (on
/// the first of its counters with room), or refuses them. A warm instance that saw this second refused refuses the
/// rest of it without a write: a client far over its quota costs about one
/// write per instance a second, not one per request.
pub async fn admit(app: &App, account: AccountId, count: u32) -> Result<(), ApiError> {
    let Some(quota) = app.settings.ingest_quota else {
        return Ok(());
    };
    let now = app.clock.now();
    let windows = quota.windows(account, now, &*app.random);
    let second = now.epoch_seconds();
    if app.warm.spent_quota.get(&account, now) != Some(second) {
        for window in &windows {
            if app.store.take_ingest_quota(window, count).await? {
                return Ok(());
            }
        }
    }
    app.warm.spent_quota.put(account, second, now);
    let retry_after = windows.first().map_or(1, |w| w.retry_after(now));
    Err(ApiError::TooManyRequests {
        message: format!(
            "the account's ingest quota ({} events a second) is used up: nothing was \
             recorded; send the event again after {retry_after} s",
            quota.events_per_second()
        ),
        retry_after,
    })
}
