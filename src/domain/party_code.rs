//! `PartyCode`: an ISO 3166-1 alpha-2 code, accepted in any case, always upper case inside.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Stored as text: `sqlx(transparent)` lets queries bind it as it is.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(try_from = "String", into = "String")]
#[sqlx(transparent)]
pub struct PartyCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a party code is an ISO 3166-1 alpha-2 code: two letters, such as `US` or `CN`")]
pub struct InvalidPartyCode;

impl PartyCode {
    pub fn parse(value: &str) -> Result<Self, InvalidPartyCode> {
        if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(value.to_ascii_uppercase()))
        } else {
            Err(InvalidPartyCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PartyCode {
    type Error = InvalidPartyCode;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PartyCode> for String {
    fn from(code: PartyCode) -> Self {
        code.0
    }
}

impl fmt::Display for PartyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
}
