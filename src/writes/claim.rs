//! What a create body says of its fact's attribution: who reports it (`reported_by`) and why
//! the record infers it (`inferred_because`), the fields every such body names alike.

use crate::attribution::Claim;

/// A body that records a fact with its own claim.
pub trait ClaimedBody {
    fn claim(&self) -> Claim<'_>;
}

/// `claimed_body!(NewX)`: `NewX`'s claim is its `reported_by` and `inferred_because`.
macro_rules! claimed_body {
    ($body:ty) => {
        impl $crate::writes::claim::ClaimedBody for $body {
            fn claim(&self) -> $crate::attribution::Claim<'_> {
                $crate::attribution::Claim::of(&self.reported_by, &self.inferred_because)
            }
        }
    };
}
pub(crate) use claimed_body;
