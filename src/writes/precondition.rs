//! `If-Match`: a write made against a copy the client read is refused with 412 when the resource
//! has changed since.
//!
//! ETags name the record version they were made at (`cache::etag_version`). A resource is
//! unchanged since version V when its last change is at or before V, so an ETag of any of its
//! representations (any encoding, any media type) since its last change matches: changes to
//! other resources do not make a curator's copy stale.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::cache::etag_version;
use crate::error::ApiError;

pub struct IfMatch(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get(header::IF_MATCH) {
            None => Ok(Self(None)),
            Some(value) => value
                .to_str()
                .map(|value| Self(Some(value.to_owned())))
                .map_err(|_| ApiError::invalid_param("If-Match", "must be a list of ETags")),
        }
    }
}

impl IfMatch {
    /// `last_changed` is the revision that last changed the resource, `current` the record's
    /// version before this write.
    pub fn check(&self, last_changed: i64, current: i64) -> Result<(), ApiError> {
        let Some(tags) = &self.0 else {
            return Ok(());
        };
        let matches = tags.split(',').map(str::trim).any(|tag| {
            // If-Match compares strongly: weak tags never match.
            tag == "*"
                || etag_version(tag)
                    .is_some_and(|version| last_changed <= version && version <= current)
        });
        if matches {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "the resource has changed since the copy whose ETag was sent (it was last changed at revision {last_changed}); read it again and reapply the change"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_matches_from_the_resource_last_change_to_now() {
        let tag = |version: i64| IfMatch(Some(format!("\"{version}-0123abcd\"")));
        assert!(tag(5).check(5, 9).is_ok());
        assert!(tag(9).check(5, 9).is_ok());
        assert!(tag(4).check(5, 9).is_err(), "made before the last change");
        assert!(tag(10).check(5, 9).is_err(), "from the future: not ours");
        assert!(IfMatch(Some("*".into())).check(5, 9).is_ok());
        assert!(IfMatch(Some("W/\"7-ab\"".into())).check(5, 9).is_err());
        assert!(IfMatch(Some("\"3-a\", \"7-b\"".into())).check(5, 9).is_ok());
        assert!(IfMatch(None).check(5, 9).is_ok());
    }
}
