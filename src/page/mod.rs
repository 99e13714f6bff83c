//! The page's first paint, rendered on the server: `/` is served with the record already in it
//! (the status at a glance, the commitments with their quotes, the gaps and the source text), so
//! that it reads without JavaScript; the script then rebuilds those parts and enhances them.
//!
//! The record is read through the API's own router, in-process, so the page shows exactly the
//! views the API serves. The HTML is kept per record version (the one the API's cache follows): an
//! unchanged record costs no read.

mod render;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, header};
use serde_json::Value;
use tower::ServiceExt;

use crate::state::AppState;

/// The agreement the page is about.
const AGREEMENT: &str = "us-china-trade-framework";

/// The largest answer the page reads (the record is far smaller).
const READ_LIMIT: usize = 16 << 20;

/// Renders `/` from the page's template and the record read through `api`.
#[derive(Clone)]
pub struct FirstPaint {
    api: Router,
    /// Whose record version says when the kept HTML is stale: the one the API's own cache
    /// follows, read without a query.
    state: AppState,
    template: &'static str,
    rendered: Arc<Mutex<Option<(i64, Bytes)>>>,
}

impl FirstPaint {
    pub fn new(api: Router, state: AppState, template: &'static str) -> Self {
        Self {
            api,
            state,
            template,
            rendered: Arc::default(),
        }
    }

    /// The page with the record in it; the bare template if the record cannot be read (the
    /// script then loads it, or says why it cannot).
    pub async fn html(&self) -> Bytes {
        let revision = self.state.record_version();
        if let Some((cached, html)) = self.cached()
            && cached == revision
        {
            return html;
        }
        let Some(record) = self.record().await else {
            return Bytes::from_static(self.template.as_bytes());
        };
        let html = Bytes::from(render::page(self.template, &record));
        if let Ok(mut slot) = self.rendered.lock() {
            *slot = Some((revision, html.clone()));
        }
        html
    }

    fn cached(&self) -> Option<(i64, Bytes)> {
        self.rendered.lock().ok()?.clone()
    }

    /// What the first paint shows: the same reads the script makes.
    async fn record(&self) -> Option<render::Record> {
        let agreement = self
            .json(&format!(
                "/api/v1/agreements/{AGREEMENT}?include=parties,sources,gaps"
            ))
            .await?;
        let commitments = self.json("/api/v1/commitments?limit=100").await?;
        let source = agreement["included"]["sources"][0].clone();
        let text = match source["slug"].as_str() {
            Some(slug) => self.text(&format!("/api/v1/sources/{slug}/text")).await?,
            None => String::new(),
        };
        Some(render::Record {
            agreement,
            commitments: commitments["data"].as_array().cloned().unwrap_or_default(),
            source,
            text,
        })
    }

    async fn json(&self, path: &str) -> Option<Value> {
        serde_json::from_slice(&self.read(path).await?).ok()
    }

    async fn text(&self, path: &str) -> Option<String> {
        String::from_utf8(self.read(path).await?).ok()
    }

    async fn read(&self, path: &str) -> Option<Vec<u8>> {
        let request = Request::get(path)
            .header(header::ACCEPT, "application/json, text/plain")
            .body(Body::empty())
            .ok()?;
        let response = self.api.clone().oneshot(request).await.ok()?;
        if !response.status().is_success() {
            return None;
        }
        let body = axum::body::to_bytes(response.into_body(), READ_LIMIT)
            .await
            .ok()?;
        Some(body.to_vec())
    }
}
