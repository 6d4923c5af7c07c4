//! The account-level ingest quota (`HOOKRELAY_INGEST_RATE`): an event past
//! it is answered 429 with `Retry-After`, before anything is recorded, so
//! the client sends it again; none is dropped.

use hookrelay::app::App;
use hookrelay::domain::ids::AccountId;
use hookrelay::http::error::ErrorBody;
use hookrelay::http::ApiError;

/// The 429 both ingest routes document.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 429,
    description = "The account's ingest quota (HOOKRELAY_INGEST_RATE events a second) has no room left this second for the request's events (a batch's valid events count, all at once): none was recorded; send the same request again after `Retry-After` seconds (a batch larger than a whole second's quota never fits: send fewer)",
    headers(("Retry-After" = u64, description = "Seconds to wait before sending the same request again"))
)]
pub struct QuotaRefused(pub ErrorBody);

/// Counts `count` events (a request's, in one step: all or none) against
/// the account's quota for this second (on the first of its counters with
/// room), or refuses them. A warm instance that saw this second refuse as
/// many refuses the rest of it without a write: a client far over its quota
/// costs about one write per instance a second, not one per request.
pub async fn admit(app: &App, account: AccountId, count: u32) -> Result<(), ApiError> {
    let Some(quota) = app.settings.ingest_quota.filter(|_| count > 0) else {
        return Ok(());
    };
    let now = app.clock.now();
    let windows = quota.windows(account, now, &*app.random);
    let second = now.epoch_seconds();
    let spent = app.warm.spent_quota.get(&account, now);
    // More than a whole second's quota fits no counter: no write for it.
    let may_fit = count <= quota.events_per_second()
        && !spent.is_some_and(|(at, refused)| at == second && count >= refused);
    if may_fit {
        for window in &windows {
            if app.store.take_ingest_quota(window, count).await? {
                return Ok(());
            }
        }
        app.warm.spent_quota.put(account, (second, count), now);
    }
    let retry_after = windows.first().map_or(1, |w| w.retry_after(now));
    Err(ApiError::TooManyRequests {
        message: refusal(quota.events_per_second(), count, retry_after),
        retry_after,
    })
}

/// Why a request of `count` events was refused, and what to do.
fn refusal(per_second: u32, count: u32, retry_after: u64) -> String {
    let quota = format!("the account's ingest quota ({per_second} events a second)");
    match count {
        1 => format!(
            "{quota} is used up: nothing was recorded; send the event again after {retry_after} s"
        ),
        _ if count > per_second => format!(
            "{quota} can never take {count} events at once: nothing was recorded; send fewer \
             a request"
        ),
        _ => format!(
            "{quota} has fewer than {count} events left this second: nothing was recorded; \
             send the same request again after {retry_after} s (or fewer events now)"
        ),
    }
}
