//! The representations of a collection (JSON, CSV, NDJSON, Parquet), how a request's `Accept` picks
//! one, and how CSV text cells are written: what exports, listings, paging and the response
//! cache's key all name, kept apart from any of them.

use axum::http::{HeaderMap, header};
use serde::Deserialize;
use utoipa::ToSchema;

/// A representation of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Json,
    Csv,
    Ndjson,
    #[cfg(feature = "parquet")]
    Parquet,
}

/// How many representations a collection has in this build.
const FORMATS: usize = 3 + cfg!(feature = "parquet") as usize;

impl Format {
    /// Every representation of a collection, in the order that breaks a tie.
    pub const ALL: [Self; FORMATS] = [
        Self::Json,
        Self::Csv,
        Self::Ndjson,
        #[cfg(feature = "parquet")]
        Self::Parquet,
    ];

    /// Its media type, as `Accept` names it.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv",
            Self::Ndjson => "application/x-ndjson",
            #[cfg(feature = "parquet")]
            Self::Parquet => "application/vnd.apache.parquet",
        }
    }

    /// Its media type, as a `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8; header=present",
            Self::Ndjson => "application/x-ndjson",
            #[cfg(feature = "parquet")]
            Self::Parquet => "application/vnd.apache.parquet",
        }
    }

    /// Its file extension, which also names it.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
            #[cfg(feature = "parquet")]
            Self::Parquet => "parquet",
        }
    }
}

/// What a request's `Accept` makes of what the API offers: the representation of a collection
/// it picks, and whether JSON, the only representation of everything else, is acceptable. The
/// one place where `Accept` is read, by collections, single resources and the response cache's
/// key alike; a handful of values, whatever the header's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Accepted {
    /// `None`: none of JSON, CSV, NDJSON and Parquet is acceptable (answered 406 unless `format` names one).
    pub collection: Option<Format>,
    pub json: bool,
}

impl Accepted {
    pub fn of(request: &HeaderMap) -> Self {
        Self {
            collection: Self::pick(request, &Format::ALL),
            json: Self::pick(request, &[Format::Json]).is_some(),
        }
    }

    /// What it decided, as names for the ETag.
    pub fn names(self) -> [&'static str; 2] {
        [
            self.collection.map_or("none", Format::extension),
            if self.json { "json" } else { "no-json" },
        ]
    }

    /// The most preferred of `offered` (RFC 9110 §12.5.1): each is weighed by the most specific
    /// media range that matches it (`text/csv` over `text/*` over `*/*`, the first listed among
    /// equals), `q=0` refuses it, and an offer no range matches is not acceptable. The highest
    /// weight wins; on a tie the more specific range, then the one listed first, then `offered`'s
    /// order. No `Accept`, or none that parses, accepts anything.
    pub fn pick(request: &HeaderMap, offered: &[Format]) -> Option<Format> {
        let any_range = ranges(request).next().is_some();
        let mut best: Option<(Format, Preference)> = None;
        for &format in offered {
            let preference = if any_range {
                preference(request, format.media_type())
            } else {
                Some(Preference::ANYTHING)
            };
            let Some(preference) = preference.filter(|preference| preference.weight > 0) else {
                continue;
            };
            if best.is_none_or(|(_, best)| preference.beats(&best)) {
                best = Some((format, preference));
            }
        }
        best.map(|(format, _)| format)
    }
}

/// How a request weighs one media type: through the most specific range that matches it.
#[derive(Debug, Clone, Copy)]
struct Preference {
    /// q-value in thousandths.
    weight: u16,
    /// 2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`.
    specificity: u8,
    /// The range's place in the header.
    position: usize,
}

impl Preference {
    const ANYTHING: Self = Self {
        weight: 1000,
        specificity: 0,
        position: 0,
    };

    fn beats(&self, other: &Self) -> bool {
        (
            self.weight,
            self.specificity,
            std::cmp::Reverse(self.position),
        ) > (
            other.weight,
            other.specificity,
            std::cmp::Reverse(other.position),
        )
    }
}

/// A media range of `Accept`: type, subtype and weight; parameters other than `q` are ignored.
struct MediaRange<'a> {
    kind: &'a str,
    subtype: &'a str,
    weight: u16,
}

/// The ranges of every `Accept` header, in order, skipping entries that do not parse; read in
/// place, without allocating, so that a long header costs no memory.
fn ranges(request: &HeaderMap) -> impl Iterator<Item = MediaRange<'_>> {
    request
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let (kind, subtype) = parts.next()?.trim().split_once('/')?;
            let (kind, subtype) = (kind.trim(), subtype.trim());
            if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
                return None;
            }
            let is_weight = |parameter: &&str| {
                parameter
                    .split_once('=')
                    .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            };
            // A weight out of range or not a number leaves the range out, as if unsent.
            let weight = match parts.find(is_weight) {
                Some(parameter) => weight_of(parameter)?,
                None => 1000,
            };
            Some(MediaRange {
                kind,
                subtype,
                weight,
            })
        })
}

/// How `request` weighs `media_type` (`type/subtype`); `None` when no range matches it.
fn preference(request: &HeaderMap, media_type: &str) -> Option<Preference> {
    let (kind, subtype) = media_type.split_once('/')?;
    let mut best: Option<Preference> = None;
    for (position, range) in ranges(request).enumerate() {
        let specificity = if range.kind == "*" {
            0
        } else if !range.kind.eq_ignore_ascii_case(kind) {
            continue;
        } else if range.subtype == "*" {
            1
        } else if range.subtype.eq_ignore_ascii_case(subtype) {
            2
        } else {
            continue;
        };
        if best.is_none_or(|best| specificity > best.specificity) {
            best = Some(Preference {
                weight: range.weight,
                specificity,
                position,
            });
        }
    }
    best
}

/// `q=0.5` as 500; `None` for anything that is not a weight between 0 and 1. Shared by
/// `Accept` and `Accept-Encoding`.
pub fn weight_of(parameter: &str) -> Option<u16> {
    let (name, value) = parameter.trim().split_once('=')?;
    if !name.trim().eq_ignore_ascii_case("q") {
        return None;
    }
    let value: f32 = value.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

/// How CSV text cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvCells {
    /// A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in
    /// front, so that a spreadsheet shows it as text instead of running it as a formula.
    #[default]
    Neutralised,
    /// Every cell exactly as in the JSON view (`csv_raw=true`), for tools that read CSV as data.
    Raw,
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accepted(accept: &str) -> Accepted {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
        Accepted::of(&headers)
    }

    fn collection(accept: &str) -> Option<Format> {
        accepted(accept).collection
    }

    #[test]
    fn no_accept_or_an_unparsable_one_gets_json() {
        assert_eq!(
            Accepted::of(&HeaderMap::new()).collection,
            Some(Format::Json)
        );
        assert_eq!(collection(""), Some(Format::Json));
        assert_eq!(collection("nonsense"), Some(Format::Json));
        assert!(accepted("").json);
    }

    #[test]
    fn the_heaviest_media_type_wins() {
        assert_eq!(collection("text/csv"), Some(Format::Csv));
        assert_eq!(
            collection("application/x-ndjson; q=0.9"),
            Some(Format::Ndjson)
        );
        assert_eq!(
            collection("application/json, text/csv;q=0.5"),
            Some(Format::Json)
        );
        assert_eq!(
            collection("application/json;q=0.4, TEXT/CSV;q=0.5"),
            Some(Format::Csv)
        );
        assert_eq!(collection("application/json, */*"), Some(Format::Json));
        assert_eq!(
            collection("text/csv;q=2, application/json"),
            Some(Format::Json)
        );
    }

    #[test]
    fn ties_go_to_the_more_specific_range_then_the_first_listed_then_json() {
        assert_eq!(collection("*/*"), Some(Format::Json));
        assert_eq!(collection("text/csv, */*"), Some(Format::Csv));
        assert_eq!(collection("text/csv, application/json"), Some(Format::Csv));
        assert_eq!(collection("application/json, text/csv"), Some(Format::Json));
        assert_eq!(collection("text/*"), Some(Format::Csv));
        assert_eq!(collection("application/*"), Some(Format::Json));
        assert_eq!(
            collection("application/json;q=0, application/*"),
            Some(Format::Ndjson)
        );
    }

    #[cfg(feature = "parquet")]
    #[test]
    fn parquet_is_negotiated_like_the_others() {
        assert_eq!(
            collection("application/vnd.apache.parquet, application/json;q=0.9"),
            Some(Format::Parquet)
        );
        assert_eq!(
            collection("application/vnd.apache.parquet;q=0, application/x-ndjson;q=0.1"),
            Some(Format::Ndjson)
        );
    }

    #[test]
    fn q_zero_refuses_and_unnamed_types_are_not_acceptable() {
        assert_eq!(collection("text/csv;q=0"), None);
        assert_eq!(collection("text/csv;q=0, */*"), Some(Format::Json));
        assert_eq!(collection("text/html"), None);
        assert_eq!(
            collection("application/json;q=0, */*;q=0.1"),
            Some(Format::Csv)
        );
        assert_eq!(collection("text/*;q=0, text/csv"), Some(Format::Csv));
        assert!(!accepted("text/csv").json);
        assert!(!accepted("application/json;q=0, */*").json);
        assert!(accepted("text/csv, */*;q=0.1").json);
    }
}
