//! `PartyCode`: an ISO 3166-1 alpha-2 code, accepted in any case, always upper case inside; and
//! the scheme a new party's code follows for its kind.

use super::checked::checked_string;
use super::{PartyKind, Slug};

checked_string! {
    /// An ISO 3166-1 alpha-2 code, upper case.
    pub struct PartyCode(String) else InvalidPartyCode(
        "a party code is an ISO 3166-1 alpha-2 code: two letters, such as `US` or `CN`"
    );
}

/// The codes a bloc or organisation may take: ISO 3166-1's exceptionally reserved codes that
/// name a grouping of states rather than a territory (ISO reserves them for this use; the other
/// reserved codes, such as `UK` or `IC`, name territories). Three codes, stable since ISO
/// reserved them, so a table here rather than a crate: the `isocountry` crate lists only the
/// assigned codes.
pub const BLOC_CODES: [(&str, &str); 3] = [
    ("EU", "European Union"),
    ("EZ", "Eurozone"),
    ("UN", "United Nations"),
];

impl PartyCode {
    /// Two letters, in upper case.
    fn accept(value: &str) -> Option<String> {
        let two_letters = value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic());
        two_letters.then(|| value.to_ascii_uppercase())
    }

    /// How the change log, a party's history and `as_of` key the party: its code in lower
    /// case (`cn`), the slug the database computes beside it (migration 0007).
    pub fn slug(&self) -> Slug {
        Slug::parse(&self.0.to_ascii_lowercase()).expect("two ASCII letters are a slug")
    }

    /// Whether the code follows the scheme for a new party of `kind`, or why not: a state's
    /// is an officially assigned ISO 3166-1 alpha-2 code, a bloc's one of `BLOC_CODES`.
    pub fn fits(&self, kind: PartyKind) -> Result<(), String> {
        match kind {
            PartyKind::State if isocountry::CountryCode::for_alpha2(&self.0).is_ok() => Ok(()),
            PartyKind::State => Err(format!(
                "`{self}` is not an assigned ISO 3166-1 alpha-2 code; a state's code is one, such as `JP`"
            )),
            PartyKind::Bloc if BLOC_CODES.iter().any(|(code, _)| *code == self.0) => Ok(()),
            PartyKind::Bloc => Err(format!(
                "`{self}` is not a bloc's code; a bloc's code is one of ISO 3166-1's exceptionally reserved codes {}",
                BLOC_CODES
                    .map(|(code, name)| format!("`{code}` ({name})"))
                    .join(", ")
            )),
        }
    }
}

/// A party's history is read at the path its item is (`/parties/{code}/history`, any case): its
/// code becomes the slug the change log keys it by.
impl From<PartyCode> for Slug {
    fn from(code: PartyCode) -> Self {
        code.slug()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_case_becomes_upper_case() {
        assert_eq!(PartyCode::parse("cn").unwrap().as_str(), "CN");
        assert_eq!(PartyCode::parse("Us").unwrap().as_str(), "US");
    }

    #[test]
    fn rejects_what_is_not_two_letters() {
        for bad in ["", "U", "USA", "1A", "U-", "ÜS"] {
            assert_eq!(PartyCode::parse(bad), Err(InvalidPartyCode), "{bad:?}");
        }
    }

    #[test]
    fn its_slug_is_the_code_in_lower_case() {
        assert_eq!(PartyCode::parse("CN").unwrap().slug().as_str(), "cn");
    }

    #[test]
    fn states_take_assigned_codes_and_blocs_reserved_ones() {
        let fits = |code: &str, kind| PartyCode::parse(code).unwrap().fits(kind).is_ok();
        assert!(fits("JP", PartyKind::State));
        assert!(fits("eu", PartyKind::Bloc));
        for unassigned in ["XX", "EU", "UK", "AA"] {
            assert!(!fits(unassigned, PartyKind::State), "{unassigned}");
        }
        assert!(!fits("JP", PartyKind::Bloc));
    }
}
