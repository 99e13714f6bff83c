//! `GET /api/v1/<noun>s/{slug}/history` of every resource: one handler, generic over the
//! resource, and one OpenAPI operation, named for each resource from its `Resource` impl. The
//! path takes the key the resource's item takes (`/parties/{code}/history`, any case).

use axum::extract::State;
use axum::response::Response;
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{HttpMethod, Operation, ParameterBuilder, Paths};
use utoipa_axum::router::UtoipaMethodRouter;
use utoipa_axum::routes;

use super::history::{HistoryEntry, HistoryOf, require_resource};
use super::resource::KindVisitor;
use crate::domain::Slug;
use crate::error::{ApiError, ItemErrors};
use crate::extract::{ApiPath, NoParams};
use crate::list::Page;
use crate::listing::{ListQuery, respond};
use crate::paging::PageParams;
use crate::resource::Resource;
use crate::state::AppState;

/// The route and operation of a kind's history, for `ResourceType::visit`.
pub struct HistoryRoute;

impl KindVisitor for HistoryRoute {
    type Output = UtoipaMethodRouter<AppState>;

    fn visit<R: Resource>(self) -> Self::Output {
        history_route::<R>()
    }
}

/// The route and operation of `R`'s history.
pub fn history_route<R: Resource>() -> UtoipaMethodRouter<AppState> {
    let (schemas, template, _): UtoipaMethodRouter<AppState> = routes!(history_operation);
    let operation = template
        .paths
        .into_values()
        .find_map(|item| item.get)
        .map(named_for::<R>)
        .unwrap_or_default();
    let mut paths = Paths::new();
    paths.add_path_operation(
        format!("/{}/{{{}}}/history", R::TABLE, R::KEY_NAME),
        vec![HttpMethod::Get],
        operation,
    );
    (schemas, paths, axum::routing::get(get_history::<R>))
}

/// A resource's history: 404 for an unknown resource, else a page of its revisions (or all of
/// them as CSV or NDJSON), like any collection.
async fn get_history<R: Resource>(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<R::Key>,
    request: ListQuery<NoParams>,
) -> Result<Response, ApiError> {
    let slug: Slug = key.into();
    require_resource(&mut *state.db.acquire().await?, R::TYPE, &slug).await?;
    respond(
        &state,
        HistoryOf {
            kind: R::TYPE,
            slug,
        },
        &request,
    )
    .await
}

/// The parts of every history's operation that do not name the resource; `named_for` adds
/// those that do. Never routed: `get_history` answers.
#[utoipa::path(
    get,
    path = "/history",
    params(("slug" = String, Path), PageParams),
    responses(
        (status = 200, description = "A page of the resource's revisions", body = Page<HistoryEntry>),
        ItemErrors
    )
)]
async fn history_operation() {}

/// The template operation, with `R`'s id, tag, summary, key and answer.
fn named_for<R: Resource>(mut operation: Operation) -> Operation {
    let noun = R::NOUN;
    operation.operation_id = Some(format!("{noun}_history"));
    operation.tags = Some(vec![R::TABLE.to_owned()]);
    operation.summary = Some(format!(
        "The {noun}'s revisions, oldest first (`sort=-revision`: newest first), with its view\n\
         before and after each; paged like any collection, or all of them as CSV or NDJSON."
    ));
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(slug) = parameter
            && slug.name == "slug"
        {
            *slug = ParameterBuilder::from(slug.clone())
                .name(R::KEY_NAME)
                .description(Some(format!("The {noun}'s {}", R::KEY_NAME)))
                .example(Some(Value::from(R::EXAMPLE)))
                .build();
        }
    }
    if let Some(RefOr::T(page)) = operation.responses.responses.get_mut("200") {
        page.description =
            format!("A page of the {noun}'s revisions, or all of them as CSV or NDJSON");
    }
    operation
}
