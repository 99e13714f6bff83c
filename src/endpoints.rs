//! How a `GET` is served, written once: a module names its path, tag, parameters, view and
//! descriptions, and these macros write the handler and its OpenAPI operation, so that every
//! read answers and is documented the same way. `list_endpoint!` serves a collection,
//! `item_endpoint!` one item under a key, and `read_endpoints!` both reads of a collection from
//! one description of it. The answering itself is in `listing` (`ListQuery::answer`,
//! `read_one`) and `revisions` (`read_item`, the past).

/// `list_endpoint!(/// doc…  fn list_x = "/xs", tag "xs", XFilter => X, "200's description")`:
/// the collection, its query parameters `XFilter` (which lists it: a `Listing`). With
/// `as_of` after the description, `XFilter` also takes `as_of` and is a `PastFilter`. With
/// `|state, request| answer` there instead, `answer` answers `request`, the
/// `ListQuery<XFilter>` (whose `XFilter` need then not be a `Listing`).
macro_rules! list_endpoint {
    ($(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $filter:ident => $view:ident, $description:expr) => {
        $crate::endpoints::list_endpoint!($(#[doc = $doc])* fn $name = $path, tag $tag,
            $filter => $view, $description,
            |state, request| request.answer(&state, std::convert::identity).await);
    };
    ($(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $filter:ident => $view:ident, $description:expr, as_of) => {
        $crate::endpoints::list_endpoint!($(#[doc = $doc])* fn $name = $path, tag $tag,
            $filter => $view, $description, |state, request| {
                let past = $crate::revisions::AsOfListing::requested(
                    request.filter.as_of,
                    &request.filter,
                    None,
                );
                request
                    .answer_or_past(&state, past, std::convert::identity)
                    .await
            });
    };
    ($(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $filter:ident => $view:ident, $description:expr,
     |$state:ident, $request:ident| $answer:expr) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            get,
            path = $path,
            tag = $tag,
            params($filter, $crate::paging::PageParams),
            responses(
                (status = 200, description = $description, body = $crate::list::Page<$view>),
                $crate::error::CollectionErrors
            )
        )]
        pub async fn $name(
            axum::extract::State($state): axum::extract::State<$crate::state::AppState>,
            $request: $crate::listing::ListQuery<$filter>,
        ) -> Result<axum::response::Response, $crate::error::ApiError> {
            $answer
        }
    };
}
pub(crate) use list_endpoint;

/// `item_endpoint!(/// doc…  fn get_x = "/xs/{slug}", tag "xs", XPath { slug } => X, "200's
/// description", XFilter.slugs, "x")`: one item, the filter `XFilter` narrowed to the key the
/// path names (its list field `slugs`); a 404 names the noun `"x"`. With `history Resource`
/// in place of the filter, the item is a resource with a history and takes `as_of`.
///
/// Any other answer: `…, "200's description", XQuery, |state, query, other: Extractor| ->
/// Answer { … }` runs the block with the path's key bound, the query's parameters `XQuery`
/// bound to the pattern `query`, and any further extractors; `X [content_type = …]` (or
/// `[headers(…)]`) adds to what the 200 answer documents.
macro_rules! item_endpoint {
    ($(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $params:ident { $key:ident } => $view:ident, $description:expr,
     $filter:ident . $keys:ident, $noun:tt) => {
        $crate::endpoints::item_endpoint!($(#[doc = $doc])* fn $name = $path, tag $tag,
            $params { $key } => $view, $description, $crate::extract::NoParams,
            |state, _query| -> axum::Json<$view> {
                let filter = $filter {
                    $keys: vec![$key.clone()].into(),
                    ..$filter::default()
                };
                $crate::listing::read_one(&state, filter, $noun, $key).await
            });
    };
    ($(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $params:ident { $key:ident } => $view:ident, $description:expr, history $resource:ident) => {
        $crate::endpoints::item_endpoint!($(#[doc = $doc])* fn $name = $path, tag $tag,
            $params { $key } => $view, $description, $crate::revisions::AsOfQuery,
            |state, query| -> axum::Json<serde_json::Value> {
                let resource = $crate::resource::ResourceType::$resource;
                $crate::revisions::read_item(&state, resource, &$key, query.as_of).await
            });
    };
    ($(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $params:ident { $key:ident } => $view:ident $([$($documented:tt)*])?, $description:expr,
     $query_type:path, |$state:ident, $query:pat_param $(, $extra:ident: $extra_type:ty)*|
     -> $answer:ty $answering:block) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            get,
            path = $path,
            tag = $tag,
            params($params, $query_type),
            responses(
                (status = 200, description = $description, body = $view $(, $($documented)*)?),
                $crate::error::ItemErrors
            )
        )]
        pub async fn $name(
            axum::extract::State($state): axum::extract::State<$crate::state::AppState>,
            $crate::extract::ApiPath($params { $key }): $crate::extract::ApiPath<$params>,
            $crate::extract::ApiQuery($query): $crate::extract::ApiQuery<$query_type>,
            $($extra: $extra_type,)*
        ) -> Result<$answer, $crate::error::ApiError> $answering
    };
}
pub(crate) use item_endpoint;

/// Both reads of a collection and `router()`, which serves them (and, after `also`, other
/// handlers of this module's paths), said once:
///
/// ```text
/// read_endpoints! {
///     at "/xs" / XPath { slug }, tag "xs", XFilter.slugs => X;
///     /// doc…
///     fn list_xs, "list's 200 description";
///     /// doc…
///     fn get_x, "x";
/// }
/// ```
///
/// The collection is at `/xs` and its items at `/xs/{slug}`; both take the tag "xs" and answer
/// `X`. The list takes the filter `XFilter` (`as_of` after its description: also the past);
/// one item is the filter narrowed to the path's key (its list field `slugs`), described as
/// "The x", and a 404 names the noun "x". With `history` after the noun, the item is the
/// resource `X` with its history instead, and takes `as_of`.
macro_rules! read_endpoints {
    (at $path:literal / $params:ident { $key:ident }, tag $tag:tt,
     $filter:ident . $keys:ident => $view:ident;
     $(#[doc = $list_doc:tt])* fn $list:ident, $list_description:literal $(, $as_of:ident)?;
     $(#[doc = $item_doc:tt])* fn $item:ident, $noun:literal $(, $history:ident)?;
     $(also $($also:path),+;)?) => {
        pub fn router() -> utoipa_axum::router::OpenApiRouter<$crate::state::AppState> {
            utoipa_axum::router::OpenApiRouter::new()
                .routes(utoipa_axum::routes!($list))
                .routes(utoipa_axum::routes!($item))
                $($(.routes(utoipa_axum::routes!($also)))+)?
        }

        $crate::endpoints::list_endpoint!($(#[doc = $list_doc])* fn $list = $path, tag $tag,
            $filter => $view, $list_description $(, $as_of)?);
        $crate::endpoints::read_endpoints!(@item $(#[doc = $item_doc])* fn $item
            = concat!($path, "/{", stringify!($key), "}"), tag $tag, $params { $key } => $view,
            $noun, $filter.$keys $(, $history)?);
    };
    (@item $(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $params:ident { $key:ident } => $view:ident, $noun:literal, $filter:ident . $keys:ident) => {
        $crate::endpoints::item_endpoint!($(#[doc = $doc])* fn $name = $path, tag $tag,
            $params { $key } => $view, concat!("The ", $noun), $filter.$keys, $noun);
    };
    (@item $(#[doc = $doc:tt])* fn $name:ident = $path:expr, tag $tag:tt,
     $params:ident { $key:ident } => $view:ident, $noun:literal, $filter:ident . $keys:ident,
     history) => {
        $crate::endpoints::item_endpoint!($(#[doc = $doc])* fn $name = $path, tag $tag,
            $params { $key } => $view,
            concat!("The ", $noun, ", as it stands or as it stood at `as_of`"), history $view);
    };
}
pub(crate) use read_endpoints;
