//! A write's handler and its OpenAPI operation, written once: `write_endpoint!`. Each write
//! module gives its method, path, body, view and the work itself; how a write answers (200 with
//! the new `ETag` for `PATCH`, 201 with `ETag` and `Location` for `POST`), its errors and its
//! bearer scope are said here, alike for every resource.

/// `write_endpoint!(/// doc…  patch "/xs/{slug}", tag "xs", params XPath { slug }, body XUpdate => X "The x
/// as it now stands", scope "write", fn update_x(state, request) { … })`: the handler
/// `update_x(state, path, request: WriteRequest<XUpdate>)` running the block. `post` in place
/// of `patch` answers 201, `post adding` (a `POST` that adds to a resource) 200; the path type
/// may be left out where the path has no parameters.
macro_rules! write_endpoint {
    ($(#[doc = $doc:tt])* patch $($rest:tt)*) => {
        $crate::writes::write_endpoint!(@operation $(#[doc = $doc])* patch, 200,
            (("ETag" = String, description = "The resource's new ETag, for the next `If-Match`")),
            $($rest)*);
    };
    // A `POST` that adds to a resource in the record (a relation to an agreement) answers as
    // a `PATCH` does: 200, the resource as it now stands and its new ETag.
    ($(#[doc = $doc:tt])* post adding $($rest:tt)*) => {
        $crate::writes::write_endpoint!(@operation $(#[doc = $doc])* post, 200,
            (("ETag" = String, description = "The resource's new ETag, for the next `If-Match`")),
            $($rest)*);
    };
    ($(#[doc = $doc:tt])* post $($rest:tt)*) => {
        $crate::writes::write_endpoint!(@operation $(#[doc = $doc])* post, 201,
            (("ETag" = String, description = "The created resource's ETag"),
             ("Location" = String, description = "The created resource's URL")),
            $($rest)*);
    };
    (@operation $(#[doc = $doc:tt])* $method:ident, $status:tt, $headers:tt, $path:tt, tag $tag:tt,
     $(params $params:ident { $($binding:tt)* },)? body $body:ident => $view:ident $description:tt,
     scope $scope:tt, fn $name:ident($state:ident, $request:ident) $work:block) => {
        // The document's scope is the one the body requires, or the build fails.
        const _: () = assert!(
            <$body as $crate::writes::WriteBody>::SCOPE as u8
                == $crate::auth::Scope::named($scope) as u8,
            "the documented scope differs from the body's WriteBody::SCOPE"
        );
        $(#[doc = $doc])*
        #[utoipa::path(
            $method,
            path = $path,
            tag = $tag,
            $(params($params),)?
            request_body(content = $body, content_type = "application/json"),
            responses(
                (status = $status, description = $description, body = $view, headers $headers),
                $crate::writes::WriteErrors
            ),
            security(("bearer" = [$scope]))
        )]
        pub async fn $name(
            axum::extract::State($state): axum::extract::State<$crate::state::AppState>,
            $($crate::extract::ApiPath($params { $($binding)* }): $crate::extract::ApiPath<$params>,)?
            $request: $crate::writes::WriteRequest<$body>,
        ) -> Result<axum::response::Response, $crate::error::ApiError> $work
    };
}
pub(crate) use write_endpoint;
