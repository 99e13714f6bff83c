//! `PartyCode`: an ISO 3166-1 alpha-2 code, accepted in any case, always upper case inside.

use super::checked::checked_string;

checked_string! {
    /// An ISO 3166-1 alpha-2 code, upper case.
    pub struct PartyCode(String) else InvalidPartyCode(
        "a party code is an ISO 3166-1 alpha-2 code: two letters, such as `US` or `CN`"
    );
}

impl PartyCode {
    /// Two letters, in upper case.
    fn accept(value: &str) -> Option<String> {
        let two_letters = value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic());
        two_letters.then(|| value.to_ascii_uppercase())
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
