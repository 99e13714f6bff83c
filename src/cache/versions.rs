//! `Versions`: the record's version per kind of resource, the revision that last changed a
//! resource of that kind. An answer's version is the largest among the kinds it reads
//! (`dependencies`): it moves on with every write to one of them and with no other.
//!
//! Why this is never stale: an answer's version is read before the answer is rendered, and a
//! write moves its kinds' versions on after it commits; revisions commit in their order, so a
//! write the answer did not see has a revision above every version the answer was made at,
//! and moving any slot the answer reads to it moves the answer's version on.

use std::sync::atomic::{AtomicI64, Ordering};

use super::dependencies::{Reads, SLOTS, reads_of};
use crate::domain::ResourceType;

#[derive(Debug)]
pub struct Versions([AtomicI64; SLOTS]);

impl Versions {
    /// Every kind at `version`: the record's version when the process starts.
    pub fn new(version: i64) -> Self {
        Self(std::array::from_fn(|_| AtomicI64::new(version)))
    }

    /// The version of answers that read `reads`.
    pub fn of(&self, reads: Reads) -> i64 {
        reads
            .slots()
            .map(|slot| self.0[slot].load(Ordering::Acquire))
            .max()
            .unwrap_or_default()
    }

    /// The record's version: its latest revision.
    pub fn record(&self) -> i64 {
        self.of(Reads::EVERYTHING)
    }

    /// `revision` changed resources of these kinds (never moves a version back).
    pub fn changed(&self, revision: i64, kinds: &[ResourceType]) {
        for kind in kinds {
            self.0[*kind as usize].fetch_max(revision, Ordering::AcqRel);
        }
    }

    /// `revision` may have changed anything: what another process commits, unread.
    pub fn changed_everything(&self, revision: i64) {
        for slot in &self.0 {
            slot.fetch_max(revision, Ordering::AcqRel);
        }
    }
}

/// What an answer was made from: the kinds it reads and their version then.
#[derive(Debug, Clone, Copy)]
pub(super) struct Freshness {
    reads: Reads,
    pub(super) version: i64,
}

impl Freshness {
    /// What the answer to `GET path_and_query` is made from now.
    pub(super) fn of(versions: &Versions, path_and_query: &str) -> Self {
        let reads = reads_of(path_and_query);
        Self {
            reads,
            version: versions.of(reads),
        }
    }

    /// Whether no write has changed what the answer reads since.
    pub(super) fn is_current(&self, versions: &Versions) -> bool {
        versions.of(self.reads) == self.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ResourceType::{Commitment, Party, Round};

    #[test]
    fn a_write_moves_on_the_answers_that_read_its_kind_and_no_other() {
        let versions = Versions::new(3);
        let rounds = Reads::of(&[Round, Party]);
        let commitments = Reads::of(&[Commitment]);
        versions.changed(4, &[Party]);
        assert_eq!(versions.of(rounds), 4);
        assert_eq!(versions.of(commitments), 3);
        assert_eq!(versions.of(Reads::NOTHING), 3);
        assert_eq!(versions.record(), 4);

        versions.changed(6, &[Round]);
        versions.changed(5, &[Round, Party]);
        assert_eq!(versions.of(rounds), 6, "never back");
        assert_eq!(versions.of(commitments), 3);

        versions.changed_everything(7);
        for reads in [rounds, commitments, Reads::NOTHING, Reads::EVERYTHING] {
            assert_eq!(versions.of(reads), 7);
        }
    }
}
