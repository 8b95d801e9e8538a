//! Roster's HTTP edge: one router with request ids, metrics, body limits and panic safety, the
//! operational endpoints, the OpenAPI document, and one folder per API dialect.

mod bearer;
mod body;
mod dialects;
mod error;
mod etag;
mod json_fields;
mod metrics;
mod openapi;
mod ops;
mod request_id;
mod schema;

use std::future::Future;

use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::{middleware, Router};
use roster_core::{Directory, DomainError};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

pub use body::MAX_BODY_BYTES;
use dialects::bluexp::{self, BlueXpError};
use dialects::native::{self, NativeError};
use dialects::scim::{self, ScimFailure};
use dialects::wavefront::{self, WavefrontError};
pub use error::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub directory: Directory,
}

/// The OpenAPI document, generated from the route code.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(native::routes())
        .merge(wavefront::routes())
        .merge(bluexp::routes())
        .merge(scim::routes())
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics))
}

/// The whole application.
pub fn router(directory: Directory) -> Router {
    let (api, openapi) = api_routes().split_for_parts();
    // Zluri also serves its API under /ext/v2 (its own examples use both).
    let (native_alias, _) = native::routes().split_for_parts();
    api.nest("/ext", native_alias)
        .merge(SwaggerUi::new("/docs").url("/openapi.json", openapi))
        .fallback(|uri: Uri| async move { dialect_error(&uri, ApiError::NoRoute) })
        .method_not_allowed_fallback(|uri: Uri| async move {
            dialect_error(&uri, ApiError::MethodNotAllowed)
        })
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(metrics::middleware))
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn(request_id::middleware))
        .with_state(AppState { directory })
}

/// An error of the router itself, in the body of the dialect the path belongs to.
fn dialect_error(uri: &Uri, error: ApiError) -> Response {
    if uri.path().starts_with(wavefront::PREFIX) {
        WavefrontError(error).into_response()
    } else if uri.path().starts_with(bluexp::PREFIX) {
        BlueXpError(error).into_response()
    } else if uri.path().starts_with(scim::PREFIX) {
        ScimFailure::from(error).into_response()
    } else {
        NativeError(error).into_response()
    }
}

/// A panic is a bug: answered as an internal error (logged once, with the request id).
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
        .unwrap_or_else(|| "unknown panic".to_owned());
    NativeError(ApiError::Domain(DomainError::Internal(format!(
        "panic: {detail}"
    ))))
    .into_response()
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    directory: Directory,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    metrics::handle();
    axum::serve(listener, router(directory))
        .with_graceful_shutdown(shutdown)
        .await
}
