//! Reads of the API's own router, in-process, so that the server-rendered pages show exactly
//! the views the API serves.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

/// The largest answer the pages read (the record is far smaller).
const READ_LIMIT: usize = 16 << 20;

#[derive(Clone)]
pub struct Reader {
    api: Router,
}

impl Reader {
    pub fn new(api: Router) -> Self {
        Self { api }
    }

    /// Every item of a collection, following `next_cursor` from page to page.
    pub async fn all(&self, path: &str) -> Option<Vec<Value>> {
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

    pub async fn json(&self, path: &str) -> Option<Value> {
        self.answer(path).await.ok()
    }

    /// The JSON at `path`, or the status that said why not (500 when there was no answer).
    pub async fn answer(&self, path: &str) -> Result<Value, StatusCode> {
        serde_json::from_slice(&self.read(path).await?)
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub async fn text(&self, path: &str) -> Option<String> {
        String::from_utf8(self.read(path).await.ok()?).ok()
    }

    async fn read(&self, path: &str) -> Result<Vec<u8>, StatusCode> {
        let request = Request::get(path)
            .header(header::ACCEPT, "application/json, text/plain")
            .body(Body::empty())
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        let response = self
            .api
            .clone()
            .oneshot(request)
            .await
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        if !response.status().is_success() {
            return Err(response.status());
        }
        let body = axum::body::to_bytes(response.into_body(), READ_LIMIT)
            .await
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        Ok(body.to_vec())
    }
}
