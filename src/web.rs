//! The page at `/`: plain HTML, CSS and JavaScript modules, compiled into the binary, built only
//! on the public API; `/` itself comes with the record in it (`crate::page`). A strict
//! Content-Security-Policy keeps it to its own origin.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::page::FirstPaint;

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JSON: &str = "application/json";

/// The page's template: `crate::page` fills the record in.
const INDEX: &str = include_str!("../web/index.html");

/// Every file of the page: its path, its media type and its text.
const ASSETS: [(&str, &str, &str); 13] = [
    ("/", HTML, INDEX),
    ("/style.css", CSS, include_str!("../web/style.css")),
    ("/early.js", JAVASCRIPT, include_str!("../web/early.js")),
    ("/app.js", JAVASCRIPT, include_str!("../web/app.js")),
    ("/dom.js", JAVASCRIPT, include_str!("../web/dom.js")),
    ("/labels.js", JAVASCRIPT, include_str!("../web/labels.js")),
    ("/labels.json", JSON, include_str!("../web/labels.json")),
    ("/sources.js", JAVASCRIPT, include_str!("../web/sources.js")),
    ("/cards.js", JAVASCRIPT, include_str!("../web/cards.js")),
    ("/glance.js", JAVASCRIPT, include_str!("../web/glance.js")),
    ("/live.js", JAVASCRIPT, include_str!("../web/live.js")),
    ("/search.js", JAVASCRIPT, include_str!("../web/search.js")),
    ("/cite.js", JAVASCRIPT, include_str!("../web/cite.js")),
];

/// Nothing but this origin: no CDN, no inline script, no framing.
const CONTENT_SECURITY_POLICY: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
);

/// The page's paths, for the metrics' route templates.
pub fn paths() -> impl Iterator<Item = String> {
    ASSETS.into_iter().map(|(path, _, _)| path.to_owned())
}

/// The page's routes; `api` is the API's router, through which `/` reads the record.
pub fn router(api: Router) -> Router {
    let assets = ASSETS.into_iter().filter(|(path, _, _)| *path != "/").fold(
        Router::new(),
        |router, (path, content_type, body)| {
            router.route(path, get(move || asset(content_type, body)))
        },
    );
    Router::new()
        .route("/", get(index))
        .with_state(FirstPaint::new(api, INDEX))
        .merge(assets)
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
