//! Imprecise dates: the source's own words plus a precision, with calendar bounds only where the
//! source gives them.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use utoipa::ToSchema;

/// How precise a date is. `relative` dates ("earlier this year") have no calendar bounds unless
/// the source gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
    Relative,
    Unknown,
}

/// A date as the source states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "earlier this year", "precision": "relative", "earliest": null, "latest": null}))]
pub struct FuzzyDate {
    /// The source's own words for when.
    pub text: String,
    pub precision: DatePrecision,
    /// Earliest ISO 8601 date it can be, where known; never guessed.
    #[serde(default)]
    pub earliest: Option<String>,
    /// Latest ISO 8601 date it can be, where known; never guessed.
    #[serde(default)]
    pub latest: Option<String>,
}

impl FuzzyDate {
    /// Rebuilds a date from its four nullable columns; a date without text is no date.
    pub fn from_columns(
        text: Option<String>,
        precision: Option<DatePrecision>,
        earliest: Option<String>,
        latest: Option<String>,
    ) -> Option<Self> {
        Some(Self {
            text: text?,
            precision: precision.unwrap_or(DatePrecision::Unknown),
            earliest,
            latest,
        })
    }

    /// Reads a date stored as the columns `<prefix>_text`, `_precision`, `_earliest` and
    /// `_latest` of a row.
    pub fn from_row(row: &SqliteRow, prefix: &str) -> sqlx::Result<Option<Self>> {
        let column = |part: &str| format!("{prefix}_{part}");
        Ok(Self::from_columns(
            row.try_get(column("text").as_str())?,
            row.try_get(column("precision").as_str())?,
            row.try_get(column("earliest").as_str())?,
            row.try_get(column("latest").as_str())?,
        ))
    }
}
