//! The page at `/`: plain HTML, CSS and JavaScript modules, compiled into the binary, built only
//! on the public API; `/` itself comes with the record in it (`crate::page`). A strict
//! Content-Security-Policy keeps it to its own origin.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::page::FirstPaint;
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JSON: &str = "application/json";

/// The page's template: `crate::page` fills the record in.
const INDEX: &str = include_str!("../web/index.html");

/// Files of the page served as they are, at `/<name>` from `web/<name>`, with their media type.
macro_rules! files {
    ($($media:ident $name:literal),+ $(,)?) => {
        [$((concat!("/", $name), $media, include_str!(concat!("../web/", $name)))),+]
    };
}

/// Every file of the page but the template: its path, its media type and its text.
const FILES: [(&str, &str, &str); 12] = files![
    CSS "style.css",
    JAVASCRIPT "early.js",
    JAVASCRIPT "app.js",
    JAVASCRIPT "dom.js",
    JAVASCRIPT "labels.js",
    JSON "labels.json",
    JAVASCRIPT "sources.js",
    JAVASCRIPT "cards.js",
    JAVASCRIPT "glance.js",
    JAVASCRIPT "live.js",
    JAVASCRIPT "search.js",
    JAVASCRIPT "cite.js",
];

/// Nothing but this origin: no CDN, no inline script, no framing.
const CONTENT_SECURITY_POLICY: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
);

/// The page's paths, for the metrics' route templates.
pub fn paths() -> impl Iterator<Item = String> {
    std::iter::once("/")
        .chain(FILES.into_iter().map(|(path, _, _)| path))
        .map(str::to_owned)
}

/// The page's routes; `api` is the API's router, through which `/` reads the record.
pub fn router(api: Router, state: AppState) -> Router {
    let files = FILES
        .into_iter()
        .fold(Router::new(), |router, (path, content_type, body)| {
            router.route(path, get(move || asset(content_type, body)))
        });
    Router::new()
        .route("/", get(index))
        .with_state(FirstPaint::new(api, state, INDEX))
        .merge(files)
}

async fn index(State(page): State<FirstPaint>) -> impl IntoResponse {
    asset(HTML, page.html().await).await
}

async fn asset(content_type: &'static str, body: impl IntoResponse) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
            // The assets change only with the binary; revalidating costs a round trip.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, no-cache"),
            ),
        ],
        body,
    )
}
