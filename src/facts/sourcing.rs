//! What is stored beside a fact, read in the fact's own row: three correlated subqueries that
//! gather its quotes, its attribution and its sector mentions as JSON, so that a page of facts
//! (or of child facts) with their sourcing is one statement, not four (each statement is a
//! round trip to the connection's worker thread). SQLite's JSON functions live here only.

use serde::Deserialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::{Sourcing, SubjectKind};
use crate::attribution::{Attribution, Reporter};
use crate::domain::{Basis, ReporterKind};
use crate::provenance::Provenance;

/// The columns `push_columns` adds, read back by `decode`.
const PROVENANCE: &str = "sourcing_provenance";
const ATTRIBUTION: &str = "sourcing_attribution";
const SECTORS: &str = "sourcing_sectors";

/// Appends `, <quotes> as sourcing_provenance, <attribution> as sourcing_attribution,
/// <sectors> as sourcing_sectors` to a select list: the sourcing of the fact of `kind` whose
/// key is the SQL expression `key` (a column or an expression over the row's columns; code,
/// never a request). What the kind does not have is `null`.
pub fn push_columns(query: &mut QueryBuilder<Sqlite>, kind: SubjectKind, key: &str) {
    query.push(
        ", (select json_group_array(json_object('source', source_slug, 'quote', quote, \
         'start', start_char, 'end', end_char) order by position) \
         from provenance where subject_type = ",
    );
    query.push_bind(kind.subject);
    query.push(format!(" and subject_key = {key}) as {PROVENANCE}"));
    if kind.attributed {
        // `json()` keeps the parties an array: a subquery's result loses its JSON subtype.
        query.push(
            ", (select json_object('slug', r.slug, 'kind', r.kind, 'name', r.name, \
             'parties', json((select json_group_array(party_code order by position) \
                              from reporter_parties p where p.reporter_slug = r.slug)), \
             'basis', b.basis, 'reason', b.reason) \
             from fact_basis b join reporters r on r.slug = b.reported_by \
             where b.subject_type = ",
        );
        query.push_bind(kind.subject);
        query.push(format!(" and b.subject_key = {key}) as {ATTRIBUTION}"));
    } else {
        query.push(format!(", null as {ATTRIBUTION}"));
    }
    if kind.mentions_sectors {
        query.push(
            ", (select json_group_array(sector_slug order by sector_slug) \
             from sector_mentions where subject_type = ",
        );
        query.push_bind(kind.subject);
        query.push(format!(" and subject_key = {key}) as {SECTORS}"));
    } else {
        query.push(format!(", null as {SECTORS}"));
    }
}

/// A fact's attribution as `push_columns` selects it.
#[derive(Deserialize)]
struct AttributionRow {
    slug: String,
    kind: ReporterKind,
    name: String,
    parties: Vec<String>,
    basis: Basis,
    reason: Option<String>,
}

/// The sourcing of the fact `key` of `kind` from its row's `push_columns` columns. A fact of an
/// attributed kind without an attribution is a row the database should not hold (every write
/// records one), and fails the read.
pub fn decode(row: &SqliteRow, kind: SubjectKind, key: &str) -> sqlx::Result<Sourcing> {
    let provenance: Vec<Provenance> = json_column(row, PROVENANCE)?.unwrap_or_default();
    let attribution = if kind.attributed {
        let stored: AttributionRow = json_column(row, ATTRIBUTION)?.ok_or_else(|| {
            sqlx::Error::Decode(format!("no attribution recorded for fact `{key}`").into())
        })?;
        Attribution {
            reported_by: Reporter {
                slug: stored.slug,
                kind: stored.kind,
                name: stored.name,
                parties: stored.parties,
            },
            basis: stored.basis,
            basis_reason: stored.reason,
        }
    } else {
        Attribution::default()
    };
    let sectors: Vec<String> = json_column(row, SECTORS)?.unwrap_or_default();
    Ok(Sourcing {
        provenance,
        attribution,
        sectors,
    })
}

/// The JSON text of `column` read as `T`; `None` where it is null.
fn json_column<T: for<'de> Deserialize<'de>>(
    row: &SqliteRow,
    column: &str,
) -> sqlx::Result<Option<T>> {
    let text: Option<&str> = row.try_get(column)?;
    text.map(|text| {
        serde_json::from_str(text).map_err(|error| sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: Box::new(error),
        })
    })
    .transpose()
}
