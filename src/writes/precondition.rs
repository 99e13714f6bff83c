//! `If-Match`: a write made against a copy the client read is refused with 412 when the resource
//! has changed since, or when the tag sent is not one of this resource's.
//!
//! ETags name the record version they were made at and carry a MAC of that version and the
//! resource's path (`ResponseCache::issued_for`). A resource is unchanged since version V when
//! its last change is at or before V, so a genuine ETag of any of its representations (any
//! encoding, any media type) made since its last change matches: changes to other resources do
//! not make a curator's copy stale. Another resource's ETag, or a made-up one, never matches.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

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
    /// version before this write; `issued_version` is the version of a tag made for this
    /// resource, `None` for any other tag.
    pub fn check(
        &self,
        last_changed: i64,
        current: i64,
        issued_version: impl Fn(&str) -> Option<i64>,
    ) -> Result<(), ApiError> {
        let Some(tags) = &self.0 else {
            return Ok(());
        };
        let matches = tags.split(',').map(str::trim).any(|tag| {
            // If-Match compares strongly: weak tags never match (they do not start with `"`).
            tag == "*"
                || issued_version(tag)
                    .is_some_and(|version| last_changed <= version && version <= current)
        });
        if matches {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "the ETag sent is not one of this resource's since its last change (revision {last_changed}): it has changed since the copy was read, or the tag is another resource's; read it again and reapply the change"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tags are `"<version>-<resource>"` here: issued for `resource` at `version`.
    fn issued_for_mine(tag: &str) -> Option<i64> {
        let (version, resource) = tag.strip_prefix('"')?.strip_suffix('"')?.split_once('-')?;
        (resource == "mine").then(|| version.parse().ok())?
    }

    #[test]
    fn a_tag_of_this_resource_matches_from_its_last_change_to_now() {
        let check = |tags: &str| IfMatch(Some(tags.into())).check(5, 9, issued_for_mine);
        assert!(check("\"5-mine\"").is_ok());
        assert!(check("\"9-mine\"").is_ok());
        assert!(check("\"4-mine\"").is_err(), "made before the last change");
        assert!(check("\"10-mine\"").is_err(), "from the future: not ours");
        assert!(check("\"7-other\"").is_err(), "another resource's");
        assert!(check("*").is_ok());
        assert!(check("W/\"7-mine\"").is_err());
        assert!(check("\"3-mine\", \"7-mine\"").is_ok());
        assert!(IfMatch(None).check(5, 9, issued_for_mine).is_ok());
    }
}
