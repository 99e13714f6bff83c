//! `Idempotency-Key`: a client that retries a write with the same key and body gets the first
//! answer again instead of a second change; the same key with another request is refused.
//! Keys belong to the token that used them and expire after `KEY_LIFETIME`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, Method};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on an answer replayed for a repeated key.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a key is remembered (documented in README and the OpenAPI document).
pub const KEY_LIFETIME: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);
const MAX_KEY_LEN: usize = 255;

/// The `Idempotency-Key` of a request, if it has one, and what it would be bound to.
pub struct IdempotencyKey {
    key: Option<String>,
    method: Method,
    path: String,
}

/// A key bound to one request: its method, path and body.
pub struct KeyedRequest {
    pub key: String,
    pub request_sha256: String,
}

impl IdempotencyKey {
    /// Binds the key (if any) to the request whose body hashes to `body_sha256`.
    pub fn bind(self, body_sha256: &[u8; 32]) -> Option<KeyedRequest> {
        let key = self.key?;
        let mut hasher = Sha256::new();
        hasher.update(self.method.as_str());
        hasher.update([0]);
        hasher.update(self.path.as_bytes());
        hasher.update([0]);
        hasher.update(body_sha256);
        Some(KeyedRequest {
            key,
            request_sha256: hex::encode(hasher.finalize()),
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let key = match parts.headers.get(IDEMPOTENCY_KEY) {
            None => None,
            Some(value) => {
                let valid = value
                    .to_str()
                    .ok()
                    .filter(|key| !key.is_empty() && key.len() <= MAX_KEY_LEN)
                    .filter(|key| key.bytes().all(|b| b.is_ascii_graphic()));
                let Some(key) = valid else {
                    return Err(ApiError::invalid_param(
                        "Idempotency-Key",
                        format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
                    ));
                };
                Some(key.to_owned())
            }
        };
        Ok(Self {
            key,
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
        })
    }
}
