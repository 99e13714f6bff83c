//! `checked_string!`: what every string newtype checked at the boundary is besides its rule.

/// `checked_string! { /// doc…  pub struct Name(String) else Invalid("what it must be"); }`: a
/// string holding only what `Name::accept` (written beside it) makes of a value: the text to
/// hold, or none, for which `Name::parse` answers the error `Invalid`, saying what it must be.
/// It is checked wherever it arrives (`serde(try_from)`), stored and bound as the text it is
/// (`sqlx(transparent)`), and shown as that text.
macro_rules! checked_string {
    ($(#[$attr:meta])* pub struct $name:ident(String) else $invalid:ident($rule:literal);) => {
        $(#[$attr])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize, sqlx::Type,
        )]
        #[serde(try_from = "String", into = "String")]
        #[sqlx(transparent)]
        pub struct $name(String);

        #[derive(Debug, thiserror::Error, PartialEq, Eq)]
        #[error($rule)]
        pub struct $invalid;

        impl $name {
            pub fn parse(value: &str) -> Result<Self, $invalid> {
                Self::accept(value).map(Self).ok_or($invalid)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $invalid;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use checked_string;
