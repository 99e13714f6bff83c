//! The two reads every collection offers, `GET /<noun>s` and `GET /<noun>s/{key}`, written once
//! for every kind: a module names its path, tag, filter, view and descriptions, and these
//! macros write the handler and its OpenAPI operation, so that every collection answers and is
//! documented the same way. The answering itself is in `listing` (`ListQuery::answer`,
//! `read_one`) and `revisions` (`read_item`, the past).

/// `list_endpoint!(/// doc…  fn list_x = "/xs", tag "xs", XFilter => X, "200's description")`:
/// the collection, its query parameters `XFilter` (which lists it: a `Listing`). With
/// `as_of` after the description, `XFilter` also takes `as_of` and is a `PastFilter`.
macro_rules! list_endpoint {
    ($(#[doc = $doc:tt])* fn $name:ident = $path:tt, tag $tag:tt,
     $filter:ident => $view:ident, $description:tt $(, $as_of:ident)?) => {
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
            axum::extract::State(state): axum::extract::State<$crate::state::AppState>,
            request: $crate::listing::ListQuery<$filter>,
        ) -> Result<axum::response::Response, $crate::error::ApiError> {
            $crate::endpoints::list_endpoint!(@answer state, request $(, $as_of)?)
        }
    };
    (@answer $state:ident, $request:ident) => {
        $request.answer(&$state, std::convert::identity).await
    };
    (@answer $state:ident, $request:ident, as_of) => {{
        let past = $crate::revisions::AsOfListing::requested(
            $request.filter.as_of,
            &$request.filter,
            None,
        );
        $request
            .answer_or_past(&$state, past, std::convert::identity)
            .await
    }};
}
pub(crate) use list_endpoint;

/// `item_endpoint!(/// doc…  fn get_x = "/xs/{slug}", tag "xs", XPath { slug } => X, "200's
/// description", XFilter.slugs, "x")`: one item, the filter `XFilter` narrowed to the key the
/// path names (its list field `slugs`); a 404 names the noun `"x"`. With `history Resource`
/// in place of the filter, the item is a resource with a history and takes `as_of`.
macro_rules! item_endpoint {
    ($(#[doc = $doc:tt])* fn $name:ident = $path:tt, tag $tag:tt,
     $params:ident { $key:ident } => $view:ident, $description:tt,
     $filter:ident . $keys:ident, $noun:tt) => {
        $crate::endpoints::item_endpoint!(@get $(#[doc = $doc])* $name, $path, $tag,
            $params { $key }, $view, $description, $crate::extract::NoParams,
            |state, _query| -> axum::Json<$view> {
                let filter = $filter {
                    $keys: vec![$key.clone()].into(),
                    ..$filter::default()
                };
                $crate::listing::read_one(&state, filter, $noun, $key).await
            });
    };
    ($(#[doc = $doc:tt])* fn $name:ident = $path:tt, tag $tag:tt,
     $params:ident { $key:ident } => $view:ident, $description:tt, history $resource:ident) => {
        $crate::endpoints::item_endpoint!(@get $(#[doc = $doc])* $name, $path, $tag,
            $params { $key }, $view, $description, $crate::revisions::AsOfQuery,
            |state, query| -> axum::Json<serde_json::Value> {
                let resource = $crate::resource::ResourceType::$resource;
                $crate::revisions::read_item(&state, resource, &$key, query.as_of).await
            });
    };
    (@get $(#[doc = $doc:tt])* $name:ident, $path:tt, $tag:tt, $params:ident { $key:ident },
     $view:ident, $description:tt, $query_type:path,
     |$state:ident, $query:pat_param| -> $answer:ty $answering:block) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            get,
            path = $path,
            tag = $tag,
            params($params, $query_type),
            responses(
                (status = 200, description = $description, body = $view),
                $crate::error::ItemErrors
            )
        )]
        pub async fn $name(
            axum::extract::State($state): axum::extract::State<$crate::state::AppState>,
            $crate::extract::ApiPath($params { $key }): $crate::extract::ApiPath<$params>,
            $crate::extract::ApiQuery($query): $crate::extract::ApiQuery<$query_type>,
        ) -> Result<$answer, $crate::error::ApiError> $answering
    };
}
pub(crate) use item_endpoint;

/// `read_endpoints! { list { list_endpoint's arguments } item { item_endpoint's arguments } }`:
/// both reads of a collection that nothing else is routed beside, and `router()`, which serves
/// them.
macro_rules! read_endpoints {
    (list { $(#[doc = $list_doc:tt])* fn $list:ident = $($list_rest:tt)* }
     item { $(#[doc = $item_doc:tt])* fn $item:ident = $($item_rest:tt)* }) => {
        pub fn router() -> utoipa_axum::router::OpenApiRouter<$crate::state::AppState> {
            utoipa_axum::router::OpenApiRouter::new()
                .routes(utoipa_axum::routes!($list))
                .routes(utoipa_axum::routes!($item))
        }

        $crate::endpoints::list_endpoint!($(#[doc = $list_doc])* fn $list = $($list_rest)*);
        $crate::endpoints::item_endpoint!($(#[doc = $item_doc])* fn $item = $($item_rest)*);
    };
}
pub(crate) use read_endpoints;
