//! `ApiError`, the one error type of the HTTP interface, answered as RFC 9457
//! `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::telemetry::Clipped;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "about:blank",
    "title": "Bad Request",
    "status": 400,
    "detail": "unknown query parameter `colour`; this resource accepts: agreement, party, counterparty, status, category, specificity",
    "invalid_params": [{"name": "colour", "reason": "unknown query parameter"}]
}))]
pub struct Problem {
    /// A URI reference that identifies the problem type; `about:blank` means the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status phrase.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, precisely.
    pub detail: String,
    /// The parameters or fields at fault, where there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

/// A query parameter, path parameter or body field at fault.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"name": "status", "reason": "unknown variant `done`, expected one of `pending`, `in_progress`, `partially_fulfilled`, `fulfilled`, `stalled`, `withdrawn`, `expected`"}))]
pub struct InvalidParam {
    pub name: String,
    pub reason: String,
}

/// The error answers of an operation on one item (or on one agreement's nested collection).
#[derive(utoipa::IntoResponses)]
pub enum ItemErrors {
    /// The slug or code is malformed, or a query parameter is unknown or has a bad value
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// Nothing in the record has this slug or code
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// `Accept` refuses `application/json`, the one representation of a single resource
    #[response(status = 406, content_type = "application/problem+json")]
    NotAcceptable(Problem),
}

/// The error answer of a collection.
#[derive(utoipa::IntoResponses)]
pub enum CollectionErrors {
    /// An unknown parameter, a bad filter, sort or limit value, or a cursor that was altered or
    /// belongs to another query
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// `Accept` refuses JSON, CSV, NDJSON and Parquet alike, and `format` names none
    #[response(status = 406, content_type = "application/problem+json")]
    NotAcceptable(Problem),
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    BadRequest {
        detail: String,
        invalid_params: Vec<InvalidParam>,
    },
    /// No usable credentials; `challenge` is the `WWW-Authenticate` value.
    #[error("{detail}")]
    Unauthorized { detail: String, challenge: String },
    /// Credentials that do not allow this; `challenge` names the scope needed.
    #[error("{detail}")]
    Forbidden { detail: String, challenge: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// `Accept` refuses every representation the resource offers.
    #[error("{0}")]
    NotAcceptable(String),
    /// A well-formed body that the record cannot take (a quote not in its source, an unknown
    /// field), with the fields at fault.
    #[error("{detail}")]
    Unprocessable {
        detail: String,
        invalid_params: Vec<InvalidParam>,
    },
    /// A rate limit of `limit` requests per burst is spent for `retry_after_secs`.
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
        limit: u32,
    },
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        Self::NotFound(format!("no {what} `{id}` in the record"))
    }

    /// A 400 that names the parameter at fault.
    pub fn invalid_param(name: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::BadRequest {
            detail: format!("`{name}`: {reason}"),
            invalid_params: vec![InvalidParam {
                name: name.to_owned(),
                reason,
            }],
        }
    }

    /// A 406 listing the media types the resource offers.
    pub fn not_acceptable(offered: &[&str]) -> Self {
        Self::NotAcceptable(format!(
            "`Accept` accepts none of the media types this resource offers: {}",
            offered.join(", ")
        ))
    }

    /// A 422 naming every field at fault; the detail names the first.
    pub fn unprocessable(invalid_params: Vec<InvalidParam>) -> Self {
        let detail = match invalid_params.as_slice() {
            [] => "the body cannot be taken into the record".to_owned(),
            [only] => format!("`{}`: {}", only.name, only.reason),
            [first, rest @ ..] => format!(
                "`{}`: {} (and {} more field{} at fault)",
                first.name,
                first.reason,
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
        };
        Self::Unprocessable {
            detail,
            invalid_params,
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// SQLite's primary result codes that mean the database cannot take writes now, while reads may
/// still work: busy past the timeout, read-only (file permissions, a moved file), full (disk or
/// `max_page_count`).
const SQLITE_BUSY: i64 = 5;
const SQLITE_READONLY: i64 = 8;
const SQLITE_FULL: i64 = 13;

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        let primary_code = error
            .as_database_error()
            .and_then(|database| database.code())
            .and_then(|code| code.parse::<i64>().ok())
            .map(|code| code & 0xff);
        let reason = match primary_code {
            Some(SQLITE_READONLY) => Some("the database is read-only"),
            Some(SQLITE_FULL) => Some("the database is full"),
            Some(SQLITE_BUSY) => Some("the database is busy"),
            _ => None,
        };
        if let Some(reason) = reason {
            tracing::error!(error = %error, "write refused by the database");
            return Self::Unavailable(format!(
                "{reason}: the change was not recorded; reads continue, try the write again later"
            ));
        }
        Self::Internal(anyhow::Error::new(error).context("database query failed"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            Self::Internal(error) => {
                // The cause chain goes to the log, never to the client.
                tracing::error!(error = %Clipped(&format!("{error:#}")), "internal error");
                problem(
                    status,
                    "an internal error occurred; it has been logged",
                    Vec::new(),
                )
            }
            Self::BadRequest {
                detail,
                invalid_params,
            }
            | Self::Unprocessable {
                detail,
                invalid_params,
            } => problem(status, detail, invalid_params),
            Self::Unauthorized { detail, challenge } | Self::Forbidden { detail, challenge } => {
                let mut response = problem(status, detail, Vec::new());
                if let Ok(value) = HeaderValue::from_str(&challenge) {
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, value);
                }
                response
            }
            Self::TooManyRequests {
                detail,
                retry_after_secs,
                limit,
            } => {
                let mut response = problem(status, detail, Vec::new());
                let headers = response.headers_mut();
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
                headers.insert("x-ratelimit-remaining", HeaderValue::from(0));
                headers.insert("x-ratelimit-after", HeaderValue::from(retry_after_secs));
                response
            }
            Self::Unavailable(detail) => {
                let mut response = problem(status, detail, Vec::new());
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                response
            }
            other => problem(status, other.to_string(), Vec::new()),
        }
    }
}

/// Builds a problem+json response; every error answer of the service goes through here.
pub fn problem(
    status: StatusCode,
    detail: impl Into<String>,
    invalid_params: Vec<InvalidParam>,
) -> Response {
    let body = Problem {
        kind: "about:blank".to_owned(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: detail.into(),
        invalid_params,
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
        bytes,
    )
        .into_response()
}
