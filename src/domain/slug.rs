//! `Slug`: the public identifier of agreements, rounds, commitments, observations and sources.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest slug accepted; long enough for any title, short enough to bound work on bad input.
const MAX_LEN: usize = 100;

/// Lowercase ASCII letters and digits separated by single hyphens, e.g. `geneva-talks`.
/// Stored as text: `sqlx(transparent)` lets queries bind it as it is.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(try_from = "String", into = "String")]
#[sqlx(transparent)]
pub struct Slug(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "a slug is 1 to {MAX_LEN} lowercase letters, digits and single hyphens, not starting or ending with a hyphen"
)]
pub struct InvalidSlug;

impl Slug {
    pub fn parse(value: &str) -> Result<Self, InvalidSlug> {
        let well_formed = !value.is_empty()
            && value.len() <= MAX_LEN
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--");
        if well_formed {
            Ok(Self(value.to_owned()))
        } else {
            Err(InvalidSlug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = InvalidSlug;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lowercase_words_joined_by_hyphens() {
        assert_eq!(
            Slug::parse("geneva-talks").unwrap().as_str(),
            "geneva-talks"
        );
        assert!(Slug::parse("round-2").is_ok());
    }

    #[test]
    fn rejects_anything_else() {
        for bad in [
            "",
            "Geneva",
            "a_b",
            "-a",
            "a-",
            "a--b",
            "a b",
            "ü",
            "../etc",
            &"a".repeat(101),
        ] {
            assert_eq!(Slug::parse(bad), Err(InvalidSlug), "{bad:?}");
        }
    }
}
