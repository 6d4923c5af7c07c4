//! The pipeline's one failure type: infrastructure that did not answer. A
//! message whose handling fails this way comes back (SQS redelivers it); an
//! API request answers 503.

use crate::ports::queue::QueueError;
use crate::ports::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// A stored value this code wrote cannot be read back (a task's cursor):
    /// carrying on from a guess would repeat or skip work.
    #[error("stored state is corrupt: {0}")]
    Corrupt(String),
}
