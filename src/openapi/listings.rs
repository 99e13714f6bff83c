//! The values each collection's `sort` and `facets` take, from its `Collection` (src/paging/)
//! and its `Listing::FACETS`, so that the document enumerates exactly what `PageRequest::parse`
//! and the page's counts accept: a value the document allows is never a 400.

use serde_json::{Value, json};

use crate::listing::Listing;
use crate::paging::{Collection, MAX_SORT_KEYS};

/// What a listing operation pages: its collection (with its sort fields) and its facets.
struct Listed {
    collection: &'static Collection,
    facets: &'static [&'static str],
}

/// The collection and facets of `L`.
fn listed<L: Listing>() -> Listed {
    Listed {
        collection: L::COLLECTION,
        facets: L::FACETS,
    }
}

/// A collection without facets.
fn plain(collection: &'static Collection) -> Listed {
    Listed {
        collection,
        facets: &[],
    }
}

/// What the listing operation at `path` pages, known by the last literal segment of its path
/// (`/agreements/{slug}/commitments` lists commitments; every `history` lists changes).
fn listed_at(path: &str) -> Option<Listed> {
    let segment = path.rsplit('/').find(|segment| !segment.starts_with('{'))?;
    Some(match segment {
        "agreements" => listed::<crate::agreements::AgreementFilter>(),
        "timeline" => plain(&crate::agreements::TIMELINE),
        "relations" => plain(&crate::agreements::RELATED_AGREEMENTS),
        "commitments" => listed::<crate::commitments::CommitmentFilter>(),
        "parties" => listed::<crate::parties::PartyFilter>(),
        "rounds" => listed::<crate::rounds::RoundFilter>(),
        "observations" => listed::<crate::observations::ObservationFilter>(),
        "expected-effects" => listed::<crate::expected_effects::ExpectedEffectFilter>(),
        "gaps" => listed::<crate::gaps::GapFilter>(),
        "sectors" => listed::<crate::sectors::SectorFilter>(),
        "reporters" => plain(&crate::reporters::REPORTERS),
        "sources" => listed::<crate::sources::queries::SourceFilter>(),
        "changes" => plain(&crate::revisions::feed::CHANGES),
        "history" => plain(&crate::revisions::feed::HISTORY),
        _ => return None,
    })
}

/// The schema of the `facets` parameter of the operation at `path`: a list (sent
/// comma-separated) of the collection's facets, each once; `Some(None)` where the collection
/// has none (the operation then does not offer the parameter), `None` for a path that lists no
/// known collection.
pub fn facets_schema(path: &str) -> Option<Option<Value>> {
    let facets = listed_at(path)?.facets;
    Some((!facets.is_empty()).then(|| {
        json!({
            "type": "array",
            "items": {"type": "string", "enum": facets},
            "minItems": 1,
            "maxItems": facets.len(),
            "uniqueItems": true
        })
    }))
}

/// The schema of the `sort` parameter of the operation at `path`: a list (sent
/// comma-separated, as `PageParams` declares it) of up to `MAX_SORT_KEYS` keys, each a sort
/// field ascending or with `-` descending; `None` for a path that lists no known collection.
/// `status` and `-status` together are distinct items; the second orders nothing and is dropped.
pub fn sort_schema(path: &str) -> Option<Value> {
    let collection = listed_at(path)?.collection;
    let values: Vec<String> = collection
        .sort_fields
        .iter()
        .flat_map(|field| [field.name.to_owned(), format!("-{}", field.name)])
        .collect();
    Some(json!({
        "type": "array",
        "items": {"type": "string", "enum": values},
        "minItems": 1,
        "maxItems": MAX_SORT_KEYS.min(collection.sort_fields.len()),
        "uniqueItems": true
    }))
}
