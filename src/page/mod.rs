//! The pages rendered on the server: `/` lists the agreements and the latest changes
//! (`index`), and `/agreements/{slug}` is served with that agreement's whole record already in
//! it (the status at a glance, every card, the timeline and every cited source), so that it
//! reads without JavaScript. The markup is the script's own, node for node: the script keeps it
//! and only attaches behaviour, so nothing moves when it starts.
//!
//! The record is read through the API's own router, in-process (`read`), so the pages show
//! exactly the views the API serves. The HTML is kept per page and record version (the one the
//! API's cache follows): an unchanged record costs no read.

mod cards;
mod context;
mod glance;
mod html;
mod index;
mod read;
mod render;
mod sections;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;

use crate::state::AppState;
use read::Reader;

/// The most pages kept: far more than the record's agreements, and only pages of agreements
/// that exist are kept, so no reader can grow it.
const KEPT_PAGES: usize = 256;

/// The key the index is kept under: no agreement's slug holds a `/`.
const INDEX_KEY: &str = "/";

/// What `/agreements/{slug}` answers.
pub enum AgreementPage {
    Found(Bytes),
    /// No such agreement in the record.
    Unknown,
}

/// Renders the pages from their templates and the record read through the API.
#[derive(Clone)]
pub struct FirstPaint {
    reader: Reader,
    /// Whose record version says when kept HTML is stale: the one the API's own cache
    /// follows, read without a query.
    state: AppState,
    template: &'static str,
    index_template: &'static str,
    /// Each page as last rendered, with the record version it shows.
    kept: Arc<quick_cache::sync::Cache<String, (i64, Bytes)>>,
}

impl FirstPaint {
    pub fn new(
        api: Router,
        state: AppState,
        template: &'static str,
        index_template: &'static str,
    ) -> Self {
        Self {
            reader: Reader::new(api),
            state,
            template,
            index_template,
            kept: Arc::new(quick_cache::sync::Cache::new(KEPT_PAGES)),
        }
    }

    /// The agreement's page with its record in it; the bare template (the script then loads
    /// the record, or says why it cannot) if the record cannot be read.
    pub async fn agreement(&self, slug: &str) -> AgreementPage {
        let revision = self.state.record_version();
        if let Some(html) = self.kept(slug, revision) {
            return AgreementPage::Found(html);
        }
        let bare = render::for_agreement(self.template, slug);
        match render::Views::read(&self.reader, slug).await {
            Ok((views, texts)) => {
                let html = Bytes::from(render::page(&bare, &views, &texts));
                self.kept.insert(slug.to_owned(), (revision, html.clone()));
                AgreementPage::Found(html)
            }
            Err(StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST) => AgreementPage::Unknown,
            Err(_) => AgreementPage::Found(Bytes::from(bare)),
        }
    }

    /// The index of agreements with the latest changes; the bare template if the record
    /// cannot be read.
    pub async fn index(&self) -> Bytes {
        let revision = self.state.record_version();
        if let Some(html) = self.kept(INDEX_KEY, revision) {
            return html;
        }
        let Some(html) = index::page(self.index_template, &self.reader).await else {
            return Bytes::from_static(self.index_template.as_bytes());
        };
        let html = Bytes::from(html);
        self.kept
            .insert(INDEX_KEY.to_owned(), (revision, html.clone()));
        html
    }

    fn kept(&self, key: &str, revision: i64) -> Option<Bytes> {
        self.kept
            .get(key)
            .filter(|(kept, _)| *kept == revision)
            .map(|(_, html)| html)
    }

    /// How many pages are kept, for tests of its bound.
    pub fn kept_pages(&self) -> usize {
        self.kept.len()
    }
}
