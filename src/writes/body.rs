//! `JsonBody`: a request body parsed into a write's type, refused precisely when it cannot be:
//! 415 for another media type, 413 past the body limit (the limit layer), 400 for bytes that
//! are not JSON, 422 naming each field that is unknown, missing, mistyped or invalid.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;
use sha2::{Digest, Sha256};

use crate::auth::Scope;
use crate::domain::FuzzyDate;
use crate::error::{ApiError, InvalidParam};

/// Longest one-line text (titles, names, notes), in characters.
pub const MAX_LINE_CHARS: usize = 2_000;
/// Longest prose field (summaries, outcomes, descriptions), in characters.
pub const MAX_PROSE_CHARS: usize = 20_000;

pub struct JsonBody<T> {
    pub value: T,
    /// SHA-256 of the raw bytes, which is what an idempotency key is bound to.
    pub sha256: [u8; 32],
}

/// The body of a write: the checks of it that its type cannot express (lengths, non-empty
/// text, dates), and the scope a token needs to send it (`write`, unless the body says so).
pub trait WriteBody: DeserializeOwned {
    const SCOPE: Scope = Scope::Write;

    fn validate(&self, checks: &mut Checks);
}

/// The fields at fault, collected so that one answer names them all.
#[derive(Default)]
pub struct Checks(Vec<InvalidParam>);

impl Checks {
    pub fn fail(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.0.push(InvalidParam {
            name: name.into(),
            reason: reason.into(),
        });
    }

    /// Text that must say something: not blank, at most `max_chars`, no control characters
    /// other than line breaks and tabs.
    pub fn text(&mut self, name: &str, value: &str, max_chars: usize) {
        if value.trim().is_empty() {
            self.fail(name, "must not be empty");
        } else if value.chars().count() > max_chars {
            self.fail(name, format!("must be at most {max_chars} characters"));
        } else if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.fail(
                name,
                "must not contain control characters other than line breaks and tabs",
            );
        }
    }

    pub fn optional_text(&mut self, name: &str, value: Option<&str>, max_chars: usize) {
        self.optional(name, value, |checks, name, value| {
            checks.text(name, value, max_chars);
        });
    }

    /// Runs `check` on a field the body may leave out, when it is given: what every optional
    /// field of a body (and every field of a `PATCH`) is checked with.
    pub fn optional<T: ?Sized, R>(
        &mut self,
        name: &str,
        value: Option<&T>,
        check: impl FnOnce(&mut Self, &str, &T) -> R,
    ) {
        if let Some(value) = value {
            check(self, name, value);
        }
    }

    /// An absolute http or https URL of at most a line's length.
    pub fn url(&mut self, name: &str, url: &str) {
        let valid =
            url::Url::parse(url).is_ok_and(|parsed| matches!(parsed.scheme(), "http" | "https"));
        if !valid || url.len() > MAX_LINE_CHARS {
            self.fail(name, "must be an absolute http or https URL");
        }
    }

    /// A `PATCH` body must change something: at least one of its fields (name, given) is given.
    pub fn something_to_change(&mut self, fields: &[(&str, bool)]) {
        if !fields.iter().any(|(_, given)| *given) {
            let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
            self.fail(
                "body",
                format!(
                    "nothing to change: give at least one of {}",
                    names.join(", ")
                ),
            );
        }
    }

    /// An ISO 8601 calendar date (`2025-06-11`).
    pub fn iso_date(&mut self, name: &str, value: &str) -> Option<jiff::civil::Date> {
        match value.parse::<jiff::civil::Date>() {
            Ok(date) if value.len() == 10 => Some(date),
            _ => {
                self.fail(name, "must be an ISO 8601 date such as 2025-06-11");
                None
            }
        }
    }

    /// A date's own words and its bounds, where given, in order.
    pub fn fuzzy_date(&mut self, name: &str, date: &FuzzyDate) {
        self.text(&format!("{name}.text"), &date.text, MAX_LINE_CHARS);
        let earliest = date
            .earliest
            .as_deref()
            .and_then(|value| self.iso_date(&format!("{name}.earliest"), value));
        let latest = date
            .latest
            .as_deref()
            .and_then(|value| self.iso_date(&format!("{name}.latest"), value));
        if let (Some(earliest), Some(latest)) = (earliest, latest)
            && earliest > latest
        {
            self.fail(format!("{name}.latest"), "must not be before `earliest`");
        }
    }

    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::unprocessable(self.0))
        }
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: WriteBody,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        match content_type.as_deref() {
            Some(value) if is_json(value) => {}
            Some(other) => {
                let shown: String = other.chars().take(100).collect();
                return Err(ApiError::UnsupportedMediaType(format!(
                    "the body must be `application/json`, not `{shown}`"
                ))
                .into_response());
            }
            None => {
                return Err(ApiError::UnsupportedMediaType(
                    "the body must be `application/json`: send a Content-Type header".to_owned(),
                )
                .into_response());
            }
        }
        // Past the body limit this is the limit layer's 413, made a problem further out.
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let value = parse(&bytes).map_err(IntoResponse::into_response)?;
        Ok(Self {
            value,
            sha256: Sha256::digest(&bytes).into(),
        })
    }
}

/// Most structural faults one answer names; past them the body is surely not this write's.
const MAX_STRUCTURAL_FAULTS: usize = 20;

/// Parses and validates a body; public for the fuzz targets.
pub fn parse<T: WriteBody>(bytes: &[u8]) -> Result<T, ApiError> {
    let document: Value =
        serde_json::from_slice(bytes).map_err(|error| json_error("body".to_owned(), error))?;
    let value: T = shaped(document)?;
    let mut checks = Checks::default();
    value.validate(&mut checks);
    checks.into_result()?;
    Ok(value)
}

/// The document as a `T`, or a 422 naming every field of the wrong shape: serde stops at the
/// first, so each one found is taken out and the rest read again, until a fault cannot be
/// taken out (a missing field, an element of a list) or the ones taken out are all there was.
fn shaped<T: DeserializeOwned>(mut document: Value) -> Result<T, ApiError> {
    let mut faults: Vec<InvalidParam> = Vec::new();
    loop {
        let error = match serde_path_to_error::deserialize::<_, T>(&document) {
            Ok(value) if faults.is_empty() => return Ok(value),
            Ok(_) => break,
            Err(error) => error,
        };
        let path = error.path().clone();
        let name = match path.to_string().as_str() {
            "." | "" => "body".to_owned(),
            path => path.to_owned(),
        };
        let reason = error.into_inner().to_string();
        // A field taken out, now missing, was named already.
        let already_named = faults
            .iter()
            .any(|fault| missing_field(&name, &reason).is_some_and(|field| field == fault.name));
        if already_named {
            break;
        }
        faults.push(InvalidParam { name, reason });
        if faults.len() >= MAX_STRUCTURAL_FAULTS || !take_out(&mut document, &path) {
            break;
        }
    }
    Err(ApiError::unprocessable(faults))
}

/// The field a "missing field `x`" fault of the object at `parent` names, as a path.
fn missing_field(parent: &str, reason: &str) -> Option<String> {
    let field = reason.strip_prefix("missing field `")?.split('`').next()?;
    Some(match parent {
        "body" => field.to_owned(),
        parent => format!("{parent}.{field}"),
    })
}

/// Removes the object member at `path`; false when the path does not end at one.
fn take_out(document: &mut Value, path: &serde_path_to_error::Path) -> bool {
    let segments: Vec<_> = path.iter().collect();
    let Some((Segment::Map { key }, parents)) = segments.split_last() else {
        return false;
    };
    let mut at = document;
    for segment in parents {
        let next = match segment {
            Segment::Map { key } => at.get_mut(key.as_str()),
            Segment::Seq { index } => at.get_mut(*index),
            _ => None,
        };
        let Some(next) = next else {
            return false;
        };
        at = next;
    }
    at.as_object_mut()
        .is_some_and(|object| object.remove(key.as_str()).is_some())
}

/// Bytes that are not JSON are a 400; JSON of the wrong shape names its field in a 422.
fn json_error(field: String, error: serde_json::Error) -> ApiError {
    let reason = error.to_string();
    if error.classify() == serde_json::error::Category::Data {
        return ApiError::unprocessable(vec![InvalidParam {
            name: field,
            reason,
        }]);
    }
    ApiError::BadRequest {
        detail: format!("the body is not valid JSON: {reason}"),
        invalid_params: vec![InvalidParam {
            name: "body".to_owned(),
            reason,
        }],
    }
}
