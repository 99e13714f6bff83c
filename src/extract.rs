//! Extractors that reject in problem+json: `ApiQuery` for query strings (unknown parameters are
//! errors; repeated keys and comma-separated values fill lists) and `ApiPath` for path segments,
//! with the path shapes it parses (`paths`).

mod paths;

use axum::extract::{FromRequestParts, Path, RawPathParams};
use axum::http::request::Parts;
use serde::de::{self, DeserializeOwned, IntoDeserializer};
use serde::{Deserialize, Deserializer};

use crate::error::{ApiError, InvalidParam};

pub use paths::{
    AgreementPath, CommitmentPath, ExpectedEffectPath, GapPath, ObservationPath, PartyPath,
    RoundPath, SectorPath, SourcePath,
};

/// A query string parsed into `T`, which should `deny_unknown_fields`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let taken = parts
            .extensions
            .get::<TakenBefore>()
            .map_or(&[][..], |taken| taken.0);
        parse_query_accepting(parts.uri.query().unwrap_or_default(), taken).map(ApiQuery)
    }
}

/// Query parameters a layer in front of the handler takes out of the query before `ApiQuery`
/// reads it (`fields` on one item), so that the answer to an unknown parameter lists them
/// among those the resource takes.
#[derive(Debug, Clone, Copy)]
pub struct TakenBefore(pub &'static [&'static str]);

/// Parses a query string, naming the parameter at fault when it cannot.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    parse_query_accepting(query, &[])
}

/// Parses a query string into `T`; `also_accepted` names the parameters the resource takes
/// besides `T`'s fields (parsed elsewhere), so that an unknown parameter's answer lists them all.
pub fn parse_query_accepting<T: DeserializeOwned>(
    query: &str,
    also_accepted: &[&str],
) -> Result<T, ApiError> {
    let deserializer = serde_html_form::Deserializer::from_bytes(query.as_bytes());
    let parsed = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let name = error.path().to_string();
        let message = error.into_inner().to_string();
        query_error(&name, &message, also_accepted)
    })?;
    // serde_html_form reads `?limit=` as no limit; an empty value is a mistake, not an absence.
    if let Some((name, _)) =
        form_urlencoded::parse(query.as_bytes()).find(|(_, value)| value.is_empty())
    {
        return Err(ApiError::invalid_param(&name, "must not be empty"));
    }
    Ok(parsed)
}

fn query_error(name: &str, message: &str, also_accepted: &[&str]) -> ApiError {
    // serde reports an unknown parameter as "unknown field `x`, expected one of `a`, `b`", or
    // "expected `a` or `b`" when there are two.
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (unknown, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let mut accepted: Vec<String> = if rest.contains("there are no fields") {
            Vec::new()
        } else {
            expected
                .trim_start_matches(", expected ")
                .trim_start_matches("one of ")
                .split(", ")
                .flat_map(|names| names.split(" or "))
                .map(|name| name.replace('`', ""))
                .filter(|name| !name.is_empty())
                .collect()
        };
        accepted.extend(also_accepted.iter().map(|name| (*name).to_owned()));
        let accepted = accepted.join(", ");
        let detail = if accepted.is_empty() {
            format!("unknown query parameter `{unknown}`; this resource takes none")
        } else {
            format!("unknown query parameter `{unknown}`; this resource accepts: {accepted}")
        };
        return ApiError::BadRequest {
            detail,
            invalid_params: vec![InvalidParam {
                name: unknown.to_owned(),
                reason: "unknown query parameter".to_owned(),
            }],
        };
    }
    if name.is_empty() || name == "." {
        return ApiError::BadRequest {
            detail: format!("the query string cannot be read: {message}"),
            invalid_params: Vec::new(),
        };
    }
    let name = name.split(['[', '.']).next().unwrap_or(name);
    ApiError::invalid_param(name, message.to_owned())
}

/// A path segment parsed into `T` (a slug, a party code).
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => {
                // Every route has one path parameter; name it in the answer.
                let name = RawPathParams::from_request_parts(parts, state)
                    .await
                    .ok()
                    .and_then(|params| params.iter().next().map(|(key, _)| key.to_owned()))
                    .unwrap_or_else(|| "path".to_owned());
                let text = rejection.body_text();
                let reason = text.strip_prefix("Invalid URL: ").unwrap_or(&text);
                Err(ApiError::invalid_param(&name, reason))
            }
        }
    }
}

/// Most values a list-valued parameter takes.
pub const MAX_LIST_VALUES: usize = 20;

/// A list-valued parameter: `?status=pending&status=expected` and `?status=pending,expected`
/// both give two values; each is parsed as a `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueList<T>(pub Vec<T>);

impl<T> Default for ValueList<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

/// The values, so that a filter reads its parameters as the lists they are.
impl<T> std::ops::Deref for ValueList<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<'l, T> IntoIterator for &'l ValueList<T> {
    type Item = &'l T;
    type IntoIter = std::slice::Iter<'l, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> From<Vec<T>> for ValueList<T> {
    fn from(values: Vec<T>) -> Self {
        Self(values)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for ValueList<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Vec<String> = Vec::deserialize(deserializer)?;
        let mut values = Vec::new();
        for part in raw.iter().flat_map(|value| value.split(',')) {
            if part.is_empty() {
                return Err(de::Error::custom("empty value in list"));
            }
            if values.len() == MAX_LIST_VALUES {
                return Err(de::Error::custom(format!(
                    "takes at most {MAX_LIST_VALUES} values"
                )));
            }
            let deserializer: de::value::StrDeserializer<'_, de::value::Error> =
                part.into_deserializer();
            values.push(T::deserialize(deserializer).map_err(de::Error::custom)?);
        }
        Ok(Self(values))
    }
}

/// The query of a resource that takes no parameters: any parameter is an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// No parameters to document, for operations that list `NoParams` beside others.
impl utoipa::IntoParams for NoParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        Vec::new()
    }
}
