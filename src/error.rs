//! `ApiError`, the one error type of the HTTP interface, answered as RFC 9457
//! `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

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
}

/// The error answer of a collection.
#[derive(utoipa::IntoResponses)]
pub enum CollectionErrors {
    /// An unknown parameter, a bad filter, sort or limit value, or a cursor that was altered or
    /// belongs to another query
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
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

    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(error).context("database query failed"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            Self::Internal(error) => {
                // The cause chain goes to the log, never to the client.
                tracing::error!(error = format!("{error:#}"), "internal error");
                problem(
                    status,
                    "an internal error occurred; it has been logged",
                    Vec::new(),
                )
            }
            Self::BadRequest {
                detail,
                invalid_params,
            } => problem(status, detail, invalid_params),
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
