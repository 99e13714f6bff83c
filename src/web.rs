//! The page at `/`: plain HTML, CSS and JavaScript modules, compiled into the binary, built only
//! on the public API. A strict Content-Security-Policy keeps it to its own origin.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file of the page: its path, its media type and its text.
const ASSETS: [(&str, &str, &str); 11] = [
    ("/", HTML, include_str!("../web/index.html")),
    ("/style.css", CSS, include_str!("../web/style.css")),
    ("/app.js", JAVASCRIPT, include_str!("../web/app.js")),
    ("/dom.js", JAVASCRIPT, include_str!("../web/dom.js")),
    ("/labels.js", JAVASCRIPT, include_str!("../web/labels.js")),
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

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    ASSETS
        .into_iter()
        .fold(Router::new(), |router, (path, content_type, body)| {
            router.route(path, get(move || asset(content_type, body)))
        })
}

async fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
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
