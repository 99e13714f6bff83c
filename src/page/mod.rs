//! The page's first paint, rendered on the server: `/` is served with the whole record already in
//! it (the status at a glance, every card, the timeline and every cited source), so that it reads
//! without JavaScript. The markup is the script's own, node for node: the script keeps it and
//! only attaches behaviour, so nothing moves when it starts.
//!
//! The record is read through the API's own router, in-process, so the page shows exactly the
//! views the API serves. The HTML is kept per record version (the one the API's cache follows): an
//! unchanged record costs no read.

mod cards;
mod context;
mod glance;
mod html;
mod render;
mod sections;

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
        let Some((views, texts)) = self.record().await else {
            return Bytes::from_static(self.template.as_bytes());
        };
        let html = Bytes::from(render::page(self.template, &views, &texts));
        if let Ok(mut slot) = self.rendered.lock() {
            *slot = Some((revision, html.clone()));
        }
        html
    }

    fn cached(&self) -> Option<(i64, Bytes)> {
        self.rendered.lock().ok()?.clone()
    }

    /// What the first paint shows: the same reads the script makes (web/app.js `fetchRecord`),
    /// with every page of each collection.
    async fn record(&self) -> Option<(render::Views, Vec<String>)> {
        let agreement = self
            .json(&format!(
                "/api/v1/agreements/{AGREEMENT}?include=parties,rounds,observations,sources,expected_effects,gaps"
            ))
            .await?;
        let agreements = self.json("/api/v1/agreements").await?;
        let latest = self.json("/api/v1/changes?sort=-revision&limit=1").await?;
        let views = render::Views {
            agreement,
            agreements: agreements["data"].as_array().cloned().unwrap_or_default(),
            timeline: self
                .all(&format!(
                    "/api/v1/agreements/{AGREEMENT}/timeline?limit=100"
                ))
                .await?,
            commitments: self.all("/api/v1/commitments?limit=100").await?,
            sectors: self.all("/api/v1/sectors?limit=100").await?,
            sources: self.all("/api/v1/sources?limit=100").await?,
            latest: latest["data"][0].clone(),
        };
        let mut texts = Vec::new();
        for source in views.cited_sources(&views.facts()) {
            let slug = source["slug"].as_str()?;
            texts.push(self.text(&format!("/api/v1/sources/{slug}/text")).await?);
        }
        Some((views, texts))
    }

    /// Every item of a collection, following `next_cursor` from page to page.
    async fn all(&self, path: &str) -> Option<Vec<Value>> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = match &cursor {
                Some(cursor) => {
                    let cursor: String =
                        form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
                    self.json(&format!("{path}&cursor={cursor}")).await?
                }
                None => self.json(path).await?,
            };
            items.extend(page["data"].as_array()?.iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return Some(items),
            }
        }
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
