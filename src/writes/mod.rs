//! The machinery every write shares: the body it parses (`body`), the evidence it must quote
//! (`evidence`), `If-Match` (`precondition`), `Idempotency-Key` (`idempotency`), the
//! transaction that records it as a revision (`transaction`), and the batches in which
//! concurrent writes share one durable commit (`group`).

pub mod body;
mod change;
pub mod claim;
pub mod date;
mod endpoint;
pub mod evidence;
pub mod group;
pub mod idempotency;
pub mod precondition;
mod request;
pub mod transaction;

pub use body::{Checks, JsonBody, MAX_LINE_CHARS, MAX_PROSE_CHARS, WriteBody};
pub use change::Change;
pub(crate) use endpoint::write_endpoint;
pub use evidence::Evidence;
pub use idempotency::IdempotencyKey;
pub use precondition::IfMatch;
pub use request::{PartKind, WriteRequest};
pub use transaction::Write;

use crate::error::{ApiError, InvalidParam, Problem};

/// Refuses a write with 422 naming every field at fault, or lets it go on when none is.
pub fn refuse_faults(faults: Vec<InvalidParam>) -> Result<(), ApiError> {
    if faults.is_empty() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(faults))
    }
}

/// The error answers of a write (429 and 500 are added to every operation).
#[derive(utoipa::IntoResponses)]
pub enum WriteErrors {
    /// The body is not JSON, or a header (`Idempotency-Key`, `If-Match`) is malformed
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No token, an unknown token or a revoked one (`WWW-Authenticate: Bearer`)
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The token's scope does not allow this write
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// Nothing in the record has this slug
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The slug is taken
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// `If-Match` names a copy the resource has changed since
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// The body is larger than the limit
    #[response(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Problem),
    /// The body is not `application/json`
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// Fields unknown, missing or invalid, a quote not found in its source, or an
    /// `Idempotency-Key` reused for another request; `invalid_params` names each
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// The database cannot take writes now (read-only or full); reads continue
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}
