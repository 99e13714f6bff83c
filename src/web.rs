//! The pages: plain HTML, CSS and JavaScript modules, compiled into the binary, built only on
//! the public API. `/` is the index of agreements and `/agreements/{slug}` an agreement's page,
//! both rendered with the record in them (`crate::page`). A strict Content-Security-Policy keeps
//! them to their own origin.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::page::{AgreementPage, FirstPaint};
use crate::state::AppState;

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JSON: &str = "application/json";

/// An agreement page's template: `crate::page` fills the agreement's record in.
const AGREEMENT: &str = include_str!("../web/index.html");

/// The index's template: `crate::page` fills the agreements and the latest changes in.
const INDEX: &str = include_str!("../web/home.html");

/// What `/agreements/{slug}` answers for an agreement the record does not hold.
const MISSING: &str = include_str!("../web/missing.html");

/// Where each agreement's page is.
const AGREEMENT_PATH: &str = "/agreements/{slug}";

/// Files of the page served as they are, at `/<name>` from `web/<name>`, with their media type.
macro_rules! files {
    ($($media:ident $name:literal),+ $(,)?) => {
        [$((concat!("/", $name), $media, include_str!(concat!("../web/", $name)))),+]
    };
}

/// Every file of the page but the template: its path, its media type and its text.
const FILES: [(&str, &str, &str); 13] = files![
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
    JAVASCRIPT "home.js",
];

/// Nothing but this origin: no CDN, no inline script, no framing.
const CONTENT_SECURITY_POLICY: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
);

/// The pages' paths, for the metrics' route templates.
pub fn paths() -> impl Iterator<Item = String> {
    ["/", AGREEMENT_PATH]
        .into_iter()
        .chain(FILES.into_iter().map(|(path, _, _)| path))
        .map(str::to_owned)
}

/// The pages' routes; `api` is the API's router, through which the pages read the record.
pub fn router(api: Router, state: AppState) -> Router {
    let files = FILES
        .into_iter()
        .fold(Router::new(), |router, (path, content_type, body)| {
            router.route(path, get(move || asset(content_type, body)))
        });
    Router::new()
        .route("/", get(index))
        .route(AGREEMENT_PATH, get(agreement))
        .with_state(first_paint(api, state))
        .merge(files)
}

/// Marks an error answer that is a page for a reader, which the middleware leaves as it is
/// rather than answering problem+json.
#[derive(Clone, Copy)]
pub struct ReaderPage;

/// What renders the pages, reading the record through `api`.
pub fn first_paint(api: Router, state: AppState) -> FirstPaint {
    FirstPaint::new(api, state, AGREEMENT, INDEX)
}

async fn index(State(pages): State<FirstPaint>) -> impl IntoResponse {
    asset(HTML, pages.index().await).await
}

async fn agreement(State(pages): State<FirstPaint>, Path(slug): Path<String>) -> Response {
    match pages.agreement(&slug).await {
        AgreementPage::Found(html) => asset(HTML, html).await.into_response(),
        AgreementPage::Unknown => {
            let mut missing = (StatusCode::NOT_FOUND, asset(HTML, MISSING).await).into_response();
            missing.extensions_mut().insert(ReaderPage);
            missing
        }
    }
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
