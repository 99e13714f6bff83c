//! What a token may do: a leaf, so that the command line's options (`config`) can name it
//! without depending on how tokens are checked.

use std::fmt;

use serde::Serialize;

/// What a token may do; each scope includes the ones before it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, sqlx::Type, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
pub enum Scope {
    /// Reads only (reads are public; such a token identifies a client and can write nothing).
    Read,
    /// Add sources, record and change commitments, rounds and observations.
    Write,
    /// Everything `write` may, and change an agreement itself.
    Admin,
}

impl Scope {
    /// The scope named `name` (`read`, `write`, `admin`), usable in constants: a write's
    /// OpenAPI operation names its scope as text, and `write_endpoint!` checks at compile time
    /// that it is the one its body requires (`WriteBody::SCOPE`).
    pub const fn named(name: &str) -> Self {
        match name.as_bytes() {
            b"read" => Self::Read,
            b"write" => Self::Write,
            b"admin" => Self::Admin,
            _ => panic!("no such scope"),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Admin => "admin",
        })
    }
}
