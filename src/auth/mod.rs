//! Who may write: bearer tokens (`tokens`), the `Curator` extractor that authenticates a write,
//! and the per-token write limit (`write_limits`).

pub mod scope;
pub mod tokens;
pub mod write_limits;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

pub use scope::Scope;
pub use tokens::TokenInfo;
pub use write_limits::WriteLimits;

use crate::error::ApiError;
use crate::state::AppState;

const REALM: &str = "trade-agreement-api";

/// The author of a write: an authenticated, live token.
#[derive(Debug, Clone)]
pub struct Curator {
    pub name: String,
    pub scope: Scope,
}

impl Curator {
    /// Refuses with 403 unless the token's scope includes `needed`.
    pub fn require(&self, needed: Scope) -> Result<(), ApiError> {
        if self.scope >= needed {
            return Ok(());
        }
        Err(ApiError::Forbidden {
            detail: format!(
                "token `{}` has scope `{}`; this write needs `{needed}`",
                self.name, self.scope
            ),
            challenge: format!(
                r#"Bearer realm="{REALM}", error="insufficient_scope", scope="{needed}""#
            ),
        })
    }
}

fn unauthorized(detail: &str, error: Option<&str>) -> ApiError {
    let challenge = match error {
        Some(error) => format!(r#"Bearer realm="{REALM}", error="{error}""#),
        None => format!(r#"Bearer realm="{REALM}""#),
    };
    ApiError::Unauthorized {
        detail: detail.to_owned(),
        challenge,
    }
}

impl FromRequestParts<AppState> for Curator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(authorization) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(
                "writes need a token: send `Authorization: Bearer <token>`",
                None,
            ));
        };
        let presented = authorization
            .to_str()
            .ok()
            .and_then(|value| {
                let (scheme, token) = value.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                unauthorized(
                    "the Authorization header must be `Bearer <token>`",
                    Some("invalid_request"),
                )
            })?;
        let token = tokens::find(&state.db, presented)
            .await?
            .ok_or_else(|| unauthorized("the token is not known", Some("invalid_token")))?;
        if token.revoked_at.is_some() {
            return Err(unauthorized(
                "the token has been revoked",
                Some("invalid_token"),
            ));
        }
        state.write_limits.check(&token.name)?;
        Ok(Self {
            name: token.name,
            scope: token.scope,
        })
    }
}
