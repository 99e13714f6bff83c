//! What a create body says of its fact's attribution: who reports it (`reported_by`), why
//! the record infers it (`inferred_because`) and the quotes that show it (`evidence`), the
//! fields every such body names alike, declared once here.

use crate::attribution::Claim;
use crate::error::ApiError;
use crate::provenance::LocatedQuote;
use crate::writes::{Checks, Write};

/// A body that records a fact with its own claim.
pub trait ClaimedBody {
    fn claim(&self) -> Claim<'_>;

    /// The quotes that show the fact.
    fn evidence(&self) -> &[crate::writes::Evidence];

    /// The checks of the claimed fields: the reason's length, and the evidence list's.
    fn check_claimed(&self, checks: &mut Checks) {
        self.check_claimed_at(checks, "");
    }

    /// `check_claimed` of a fact within a body, its fields named after `at` (`objectives[0].`).
    fn check_claimed_at(&self, checks: &mut Checks, at: &str);
}

/// Locates a claimed fact's quotes and checks who it says reports it, naming each fault after
/// `at`: `""` for the body's own fact, `relations[0].` for one within it.
pub async fn verify(
    write: &mut Write,
    at: &str,
    fact: &impl ClaimedBody,
) -> Result<Vec<LocatedQuote>, ApiError> {
    let quotes = write
        .locate(&format!("{at}evidence"), fact.evidence())
        .await?;
    crate::attribution::check_claim_at(write.conn(), at, fact.claim()).await?;
    Ok(quotes)
}

/// `claimed_body! { /// doc…  #[derive(…)] pub struct NewX { fields… } }`: the body `NewX`
/// with, after its own fields, `reported_by`, `inferred_because` and `evidence`; its claim is
/// the first two (the seed's facts have theirs from `seed!`).
macro_rules! claimed_body {
    ($(#[$meta:meta])* pub struct $name:ident { $($fields:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($fields)*
            /// Slug of who reports it (see `/reporters`); absent: the first quote's source, in its
            /// own voice.
            #[schema(value_type = Option<String>)]
            pub reported_by: Option<$crate::domain::Slug>,
            /// Why the record infers it, in one sentence, where the quotes do not state it; absent for
            /// a stated fact.
            pub inferred_because: Option<String>,
            /// The quotes that show it: each is verified against its source.
            pub evidence: Vec<$crate::writes::Evidence>,
        }

        impl $crate::writes::claim::ClaimedBody for $name {
            fn claim(&self) -> $crate::attribution::Claim<'_> {
                $crate::attribution::Claim::of(&self.reported_by, &self.inferred_because)
            }

            fn evidence(&self) -> &[$crate::writes::Evidence] {
                &self.evidence
            }

            fn check_claimed_at(&self, checks: &mut $crate::writes::Checks, at: &str) {
                checks.optional_text(
                    &format!("{at}inferred_because"),
                    self.inferred_because.as_deref(),
                    $crate::writes::MAX_PROSE_CHARS,
                );
                $crate::writes::evidence::check_list(
                    checks,
                    &format!("{at}evidence"),
                    &self.evidence,
                );
            }
        }
    };
}
pub(crate) use claimed_body;
