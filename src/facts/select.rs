//! `Select`: the read of one page of a collection of facts, with the filters collections share
//! (slug lists, vocabulary values, membership through a link table, reporters, sectors).

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{Fact, sourcing};
use crate::attribution::{MENTIONED_SECTOR, REPORTED_BY};
use crate::domain::Slug;
use crate::listable::Tally;
use crate::paging::PageRequest;
use crate::sql::{SqlValue, and_in, push_in_list};

/// A select of facts, narrowed by filters; an empty list filters nothing. Column names and SQL
/// come from the code, never from a request.
pub struct Select<F: Fact> {
    query: QueryBuilder<Sqlite>,
    /// What closes a tally's subquery (`tally_of`); empty for a page's select.
    closing: &'static str,
    fact: std::marker::PhantomData<F>,
}

impl<F: Fact> Select<F> {
    /// `columns` are those of the view (aliased where the column is named otherwise); each row
    /// also brings the fact's sourcing.
    pub fn from(table: &'static str, columns: &'static str) -> Self {
        let mut query = QueryBuilder::new(format!("select {columns}"));
        let key = format!("{table}.{}", F::KEY_COLUMN);
        sourcing::push_columns(&mut query, F::KIND, &key);
        query.push(format!(" from {table} where 1 = 1"));
        Self {
            query,
            closing: "",
            fact: std::marker::PhantomData,
        }
    }

    /// A count of the rows the filters keep, per value of `field` (a name of the view, among
    /// `columns`), or in one group without one: the page's select, wrapped, so that facets and
    /// totals see exactly the rows its pages do.
    pub fn tally_of(
        table: &'static str,
        columns: &'static str,
        field: Option<&'static str>,
    ) -> Self {
        let (value, closing) = match field {
            Some(field) => (format!("cast({field} as text)"), ") group by 1"),
            None => ("null".to_owned(), ")"),
        };
        Self {
            query: QueryBuilder::new(format!(
                "select {value}, count(*) from (select {columns} from {table} where 1 = 1"
            )),
            closing,
            fact: std::marker::PhantomData,
        }
    }

    /// Keeps rows whose `column` is one of `values`.
    pub fn any<'t>(
        &mut self,
        column: &'static str,
        values: impl IntoIterator<Item = impl SqlValue<'t>>,
    ) -> &mut Self {
        and_in(&mut self.query, column, values);
        self
    }

    /// Keeps rows whose `first` or `second` column is one of `values`.
    pub fn either<'t, V: SqlValue<'t> + Copy>(
        &mut self,
        first: &'static str,
        second: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        let values: Vec<V> = values.into_iter().collect();
        if !values.is_empty() {
            self.query.push(format!(" and ({first} in "));
            push_in_list(&mut self.query, values.iter().copied());
            self.query.push(format!(" or {second} in "));
            push_in_list(&mut self.query, values);
            self.query.push(")");
        }
        self
    }

    /// Keeps rows whose `column` is `value`, where there is one.
    pub fn equal(&mut self, column: &'static str, value: &Option<Slug>) -> &mut Self {
        if let Some(value) = value {
            self.query.push(format!(" and {column} = "));
            self.query.push_bind(value.as_str().to_owned());
        }
        self
    }

    /// Keeps rows whose key is in `subquery` (a select of one column ending in `in `) for one
    /// of `values`: membership through a link table.
    pub fn linked<'t>(
        &mut self,
        subquery: &'static str,
        values: impl IntoIterator<Item = impl SqlValue<'t>>,
    ) -> &mut Self {
        let values: Vec<_> = values.into_iter().collect();
        if !values.is_empty() {
            self.query
                .push(format!(" and {} in ({subquery}", F::KEY_COLUMN));
            push_in_list(&mut self.query, values);
            self.query.push(")");
        }
        self
    }

    /// Keeps facts reported by one of `reporters` (reporters' slugs).
    pub fn reported_by(&mut self, reporters: &[Slug]) -> &mut Self {
        let reporters = reporters.iter().map(Slug::as_str);
        REPORTED_BY.and_one_of(&mut self.query, F::KIND.subject, F::KEY_COLUMN, reporters);
        self
    }

    /// Keeps facts that mention one of `sectors` (sectors' slugs).
    pub fn mentioning(&mut self, sectors: &[Slug]) -> &mut Self {
        let sectors = sectors.iter().map(Slug::as_str);
        MENTIONED_SECTOR.and_one_of(&mut self.query, F::KIND.subject, F::KEY_COLUMN, sectors);
        self
    }

    /// Reads a select made by `tally_of`.
    pub async fn tally(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<Tally> {
        self.query.push(self.closing);
        self.query.build_query_as().fetch_all(conn).await
    }

    /// Reads one page of the facts, each with its sourcing.
    pub async fn page(
        &mut self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<F>> {
        page.push_sql(&mut self.query);
        let rows = self.query.build().fetch_all(&mut *conn).await?;
        rows.iter()
            .map(|row| {
                let mut fact = F::from_row(row)?;
                let sourcing = sourcing::decode(row, F::KIND, fact.key())?;
                fact.attach(sourcing);
                Ok(fact)
            })
            .collect()
    }
}
