//! What each answer under `/api/v1` reads: the kinds of resource whose writes can change it,
//! declared once per GET route template in [`DECLARED`]. An answer's cache entry and ETag are
//! made at the largest version among those kinds (`Versions::of`), so that a write leaves the
//! answers that do not read what it changed, and their clients' ETags, as they were.
//!
//! A route that is not declared reads everything: a new route is correct before it is fast.
//! Declaring too little serves stale answers; too much costs only needless misses, so when in
//! doubt a route reads everything.

use std::sync::LazyLock;

use crate::domain::ResourceType::{self, Agreement, Commitment, Observation, Party, Round, Source};

/// One version slot per kind of resource, and one more for what no API write names: the
/// revisions other processes commit (an `import` writes gaps, expected effects, sectors), whose
/// changes are not read, move every slot on.
pub const SLOTS: usize = ResourceType::ALL.len() + 1;
const BASE: u8 = 1 << ResourceType::ALL.len();

/// A set of version slots: the kinds an answer reads, always with the base slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads {
    slots: u8,
    /// A query parameter whose presence makes the answer read everything (`?include=` embeds
    /// every collection in an agreement).
    everything_with: Option<&'static str>,
}

impl Reads {
    /// Answers that read nothing curators write (the API document, findings only the seed and
    /// imports write): they change only when everything does.
    pub const NOTHING: Self = Self::of(&[]);
    /// Answers that read every kind (whole documents, the change feed, search across kinds).
    pub const EVERYTHING: Self = Self {
        slots: ((1_u16 << SLOTS) - 1) as u8,
        everything_with: None,
    };

    /// Answers that read these kinds only.
    pub const fn of(kinds: &[ResourceType]) -> Self {
        let mut slots = BASE;
        let mut index = 0;
        while index < kinds.len() {
            slots |= 1 << kinds[index] as u8;
            index += 1;
        }
        Self {
            slots,
            everything_with: None,
        }
    }

    /// These reads, or everything when the query names `parameter`.
    const fn everything_with(self, parameter: &'static str) -> Self {
        Self {
            everything_with: Some(parameter),
            ..self
        }
    }

    /// The slots read, as indexes (a kind's is its place in `ResourceType::ALL`; the base's is
    /// the last).
    pub fn slots(self) -> impl Iterator<Item = usize> {
        (0..SLOTS).filter(move |slot| self.slots & (1 << slot) != 0)
    }

    /// Whether these reads include `kind`.
    pub fn includes(self, kind: ResourceType) -> bool {
        self.slots & (1 << kind as u8) != 0
    }

    /// What an answer to this query reads.
    fn for_query(self, query: Option<&str>) -> Self {
        let Some(parameter) = self.everything_with else {
            return self;
        };
        // A percent-encoded name may decode to the parameter: counted as naming it.
        let names = query.into_iter().flat_map(|query| query.split('&'));
        let named = names
            .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
            .any(|name| name == parameter || name.contains('%'));
        if named { Self::EVERYTHING } else { self }
    }
}

/// What every GET route template under `/api/v1` reads. Nested lists read their agreement
/// (whose existence they check) and their items' kind; a round's view embeds its negotiators,
/// who are a party's people; sectors and reporters count mentions by facts of every kind.
/// Past views (`?as_of=`) read the kind's own change log, so they read what the route reads.
pub static DECLARED: &[(&str, Reads)] = &[
    ("/api/v1/openapi.json", Reads::NOTHING),
    ("/api/v1/agreements", Reads::of(&[Agreement])),
    (
        "/api/v1/agreements/{slug}",
        Reads::of(&[Agreement]).everything_with("include"),
    ),
    (
        "/api/v1/agreements/{slug}/commitments",
        Reads::of(&[Agreement, Commitment]),
    ),
    ("/api/v1/agreements/{slug}/export", Reads::EVERYTHING),
    ("/api/v1/agreements/{slug}/history", Reads::of(&[Agreement])),
    (
        "/api/v1/agreements/{slug}/observations",
        Reads::of(&[Agreement, Observation]),
    ),
    (
        "/api/v1/agreements/{slug}/parties",
        Reads::of(&[Agreement, Party]),
    ),
    (
        "/api/v1/agreements/{slug}/relations",
        Reads::of(&[Agreement]),
    ),
    (
        "/api/v1/agreements/{slug}/rounds",
        Reads::of(&[Agreement, Round, Party]),
    ),
    ("/api/v1/agreements/{slug}/timeline", Reads::EVERYTHING),
    ("/api/v1/changes", Reads::EVERYTHING),
    ("/api/v1/commitments", Reads::of(&[Commitment])),
    ("/api/v1/commitments/{slug}", Reads::of(&[Commitment])),
    (
        "/api/v1/commitments/{slug}/history",
        Reads::of(&[Commitment]),
    ),
    ("/api/v1/expected-effects", Reads::NOTHING),
    ("/api/v1/expected-effects/{slug}", Reads::NOTHING),
    ("/api/v1/gaps", Reads::NOTHING),
    ("/api/v1/gaps/{slug}", Reads::NOTHING),
    ("/api/v1/observations", Reads::of(&[Observation])),
    ("/api/v1/observations/{slug}", Reads::of(&[Observation])),
    (
        "/api/v1/observations/{slug}/history",
        Reads::of(&[Observation]),
    ),
    ("/api/v1/parties", Reads::of(&[Party])),
    ("/api/v1/parties/{code}", Reads::of(&[Party])),
    ("/api/v1/parties/{code}/history", Reads::of(&[Party])),
    ("/api/v1/reporters", Reads::EVERYTHING),
    ("/api/v1/rounds", Reads::of(&[Round, Party])),
    ("/api/v1/rounds/{slug}", Reads::of(&[Round, Party])),
    ("/api/v1/rounds/{slug}/history", Reads::of(&[Round])),
    ("/api/v1/search", Reads::EVERYTHING),
    ("/api/v1/sectors", Reads::EVERYTHING),
    ("/api/v1/sectors/{slug}", Reads::EVERYTHING),
    ("/api/v1/sources", Reads::of(&[Source])),
    ("/api/v1/sources/{slug}", Reads::of(&[Source])),
    ("/api/v1/sources/{slug}/history", Reads::of(&[Source])),
    ("/api/v1/sources/{slug}/text", Reads::of(&[Source])),
];

static ROUTES: LazyLock<matchit::Router<Reads>> = LazyLock::new(|| {
    let mut routes = matchit::Router::new();
    for (template, reads) in DECLARED {
        routes
            .insert(*template, *reads)
            .expect("declared templates are valid and distinct (a unit test builds them)");
    }
    routes
});

/// What the answer to `GET path_and_query` reads; everything for a path no route declares.
pub fn reads_of(path_and_query: &str) -> Reads {
    let (path, query) = path_and_query
        .split_once('?')
        .map_or((path_and_query, None), |(path, query)| (path, Some(query)));
    ROUTES
        .at(path)
        .map_or(Reads::EVERYTHING, |found| found.value.for_query(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_numbered_by_their_place_among_all() {
        for (place, kind) in ResourceType::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, place);
            assert_eq!(
                Reads::of(&[kind]).slots().collect::<Vec<_>>(),
                [place, SLOTS - 1]
            );
        }
        assert_eq!(Reads::EVERYTHING.slots().count(), SLOTS);
        assert_eq!(Reads::NOTHING.slots().collect::<Vec<_>>(), [SLOTS - 1]);
    }

    #[test]
    fn answers_read_what_their_route_declares_and_undeclared_paths_read_everything() {
        let commitments = Reads::of(&[Commitment]);
        assert_eq!(reads_of("/api/v1/commitments/a"), commitments);
        assert_eq!(reads_of("/api/v1/commitments?party=CN"), commitments);
        assert_eq!(reads_of("/api/v1/parties/CN"), Reads::of(&[Party]));
        assert_eq!(reads_of("/api/v1/search?q=x"), Reads::EVERYTHING);
        assert_eq!(reads_of("/api/v1/unknown"), Reads::EVERYTHING);
        assert_eq!(reads_of("/api/v1/commitments/"), Reads::EVERYTHING);
    }

    #[test]
    fn an_agreement_with_include_reads_everything() {
        let agreement = Reads::of(&[Agreement]).everything_with("include");
        assert_eq!(reads_of("/api/v1/agreements/a"), agreement);
        assert_eq!(reads_of("/api/v1/agreements/a?fields=slug"), agreement);
        for query in [
            "include=parties",
            "fields=slug&include",
            "%69nclude=parties",
        ] {
            let path = format!("/api/v1/agreements/a?{query}");
            assert_eq!(reads_of(&path), Reads::EVERYTHING, "{query}");
        }
    }

    #[test]
    fn every_item_read_at_by_if_match_reads_its_own_kind() {
        // An ETag made since the resource's last change names a version at or after it only
        // if its item's answers read its kind (`writes::precondition`).
        for kind in ResourceType::ALL {
            let item = kind.path("x");
            assert!(reads_of(&item).includes(kind), "{item}");
            assert_ne!(reads_of(&item), Reads::EVERYTHING, "{item} is declared");
        }
    }
}
