//! Where a write stores a fuzzy date: four columns (its words, precision, earliest and latest
//! day), bound in that order by every insert and update that records one.

use sqlx::Sqlite;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;

use crate::domain::FuzzyDate;

pub trait BindDate {
    /// Binds a date's four columns, in order; all null where there is no date.
    fn bind_date(self, date: Option<&FuzzyDate>) -> Self;
}

impl BindDate for Query<'_, Sqlite, SqliteArguments> {
    fn bind_date(self, date: Option<&FuzzyDate>) -> Self {
        self.bind(date.map(|date| &date.text))
            .bind(date.map(|date| date.precision))
            .bind(date.and_then(|date| date.earliest.as_ref()))
            .bind(date.and_then(|date| date.latest.as_ref()))
    }
}
