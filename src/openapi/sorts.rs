//! The values each collection's `sort` takes, from its `Collection` (src/paging/), so that the
//! document enumerates exactly what `PageRequest::parse` accepts.

use serde_json::{Value, json};

use crate::paging::{Collection, MAX_SORT_KEYS};

/// The collection a listing operation pages, known by the last literal segment of its path
/// (`/agreements/{slug}/commitments` lists commitments; every `history` lists changes).
fn collection_of(path: &str) -> Option<&'static Collection> {
    let segment = path.rsplit('/').find(|segment| !segment.starts_with('{'))?;
    Some(match segment {
        "agreements" => &crate::agreements::AGREEMENTS,
        "timeline" => &crate::agreements::TIMELINE,
        "commitments" => &crate::commitments::COMMITMENTS,
        "parties" => &crate::parties::PARTIES,
        "rounds" => &crate::rounds::ROUNDS,
        "observations" => &crate::observations::OBSERVATIONS,
        "expected-effects" => &crate::expected_effects::EXPECTED_EFFECTS,
        "gaps" => &crate::gaps::GAPS,
        "sectors" => &crate::sectors::SECTORS,
        "reporters" => &crate::reporters::REPORTERS,
        "sources" => &crate::sources::queries::SOURCES,
        "changes" | "history" => &crate::revisions::feed::CHANGES,
        _ => return None,
    })
}

/// The schema of the `sort` parameter of the operation at `path`: a list (sent
/// comma-separated, as `PageParams` declares it) of up to `MAX_SORT_KEYS` keys, each a sort
/// field ascending or with `-` descending; `None` for a path that lists no known collection.
/// `uniqueItems` cannot say that `status` and `-status` are one field twice: that is a 400.
pub fn sort_schema(path: &str) -> Option<Value> {
    let collection = collection_of(path)?;
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
