//! `Slug`: the public identifier of agreements, rounds, commitments, observations and sources.

use super::checked::checked_string;

/// Longest slug accepted; long enough for any title, short enough to bound work on bad input.
const MAX_LEN: usize = 100;

checked_string! {
    /// Lowercase ASCII letters and digits separated by single hyphens, e.g. `geneva-talks`.
    pub struct Slug(String) else InvalidSlug(
        "a slug is 1 to {MAX_LEN} lowercase letters, digits and single hyphens, not starting or ending with a hyphen"
    );
}

impl Slug {
    /// A well-formed slug, as it is.
    fn accept(value: &str) -> Option<String> {
        let well_formed = !value.is_empty()
            && value.len() <= MAX_LEN
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--");
        well_formed.then(|| value.to_owned())
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
