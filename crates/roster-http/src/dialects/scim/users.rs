//! `/scim/v2/Users`: create, read, list, search, replace, PATCH and delete, on the directory's users.
//! Each operation is also a plain function, so that `/Bulk` runs the same code.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roster_core::command::{NewUser, UserFieldNames};
use roster_core::id::UserId;
use roster_core::model::User;
use roster_core::{Caller, DomainError, FieldErrors, Patch, Reader};
use roster_scim::{patch, PatchOpKind, PatchRequest};
use serde_json::Value;

use super::error::ScimResult;
use super::extract::{IfMatch, ScimBase, ScimBody, ScimCaller};
use super::listing::{matching, page, user_window, window_page, ListParams, ListQuery};
use super::narrowing::user_conditions;
use super::resource::{differs, extensions_written, normalized};
use super::response::{resource, scim_json};
use super::schemas::USER;
use super::user_resource::{lower_user, user_resource, Touched, UserLookup};
use crate::AppState;

/// How SCIM names the fields a user write can fail on.
const FIELD_NAMES: UserFieldNames = UserFieldNames {
    email: "emails",
    department: "department",
    reporting_manager: "manager",
    reporting_manager_email: "manager",
    primary_source_integration: "body",
    custom_fields: "customFields",
    roles: "roles",
    groups: "groups",
};

/// List users: `filter`, `sortBy`, `sortOrder`, `startIndex`, `count`, `attributes`,
/// `excludedAttributes`. Without a filter or `sortBy`, only the page asked for is read. Equalities
/// on `userName`, `externalId`, `id`, `emails`, `active`, `userType`, `title`, `manager`,
/// `archived` and `optimizationInclusion` narrow the users read; the filter is then evaluated over
/// those.
#[utoipa::path(get, path = "/scim/v2/Users", tag = "scim",
    params(("filter" = Option<String>, Query), ("sortBy" = Option<String>, Query), ("sortOrder" = Option<String>, Query),
        ("startIndex" = Option<i64>, Query), ("count" = Option<i64>, Query), ("attributes" = Option<String>, Query),
        ("excludedAttributes" = Option<String>, Query)),
    responses((status = 200, description = "A ListResponse of Users", body = Object), (status = 400, body = Object)),
    security(("bearer" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    Query(query): ListQuery,
) -> ScimResult<Response> {
    let params = ListParams::from_query(&query)?;
    list(&state, &caller.reader(), &base, &params).await
}

/// Search users with a SearchRequest body.
#[utoipa::path(post, path = "/scim/v2/Users/.search", tag = "scim",
    request_body(content = Object, description = "A SearchRequest"),
    responses((status = 200, description = "A ListResponse of Users", body = Object), (status = 400, body = Object)),
    security(("bearer" = [])))]
pub async fn search_users(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    ScimBody(body): ScimBody,
) -> ScimResult<Response> {
    let params = ListParams::from_search(&body)?;
    list(&state, &caller.reader(), &base, &params).await
}

async fn list(
    state: &AppState,
    reader: &Reader<'_>,
    base: &ScimBase,
    params: &ListParams,
) -> ScimResult<Response> {
    let lookup = UserLookup::load(state, reader, base.clone()).await?;
    if let Some((offset, count)) = params.plain_window() {
        if let Some((total, users)) = user_window(state, reader, offset, count).await? {
            let resources = rendered(state, reader, &lookup, users).await?;
            let page = window_page(resources, &lookup.schema, total, params);
            return Ok(scim_json(StatusCode::OK, &page));
        }
    }
    let all = all_resources(state, reader, &lookup, params).await?;
    let kept = matching(all, &lookup.schema, params)?;
    let with_schema = kept.into_iter().map(|r| (r, &lookup.schema)).collect();
    Ok(scim_json(StatusCode::OK, &page(with_schema, params)))
}

/// The tenant's users as resources: those the filter can match, as far as the store can tell.
pub async fn all_resources(
    state: &AppState,
    reader: &Reader<'_>,
    lookup: &UserLookup,
    params: &ListParams,
) -> ScimResult<Vec<Value>> {
    let conditions = params
        .filter
        .as_ref()
        .map(|filter| user_conditions(filter, &lookup.schema))
        .unwrap_or_default();
    let users = state.directory.all_users_where(reader, conditions).await?;
    rendered(state, reader, lookup, users).await
}

async fn rendered(
    state: &AppState,
    reader: &Reader<'_>,
    lookup: &UserLookup,
    mut users: Vec<User>,
) -> ScimResult<Vec<Value>> {
    // Oldest first: new users come last, and pages stay stable while users are added.
    users.sort_by(|a, b| a.id.cmp(&b.id));
    let access = state.directory.users_access(reader, users).await?;
    Ok(access.iter().map(|a| user_resource(a, lookup)).collect())
}

/// Create a user. The work email (or an email `userName`) is the user's email.
#[utoipa::path(post, path = "/scim/v2/Users", tag = "scim",
    request_body(content = Object, description = "A SCIM User"),
    responses((status = 201, description = "The new User, with Location and ETag", body = Object), (status = 400, body = Object), (status = 409, body = Object)),
    security(("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    ScimBody(body): ScimBody,
) -> ScimResult<Response> {
    let created = create(&state, &caller, &base, &body).await?;
    Ok(resource(StatusCode::CREATED, &created))
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    base: &ScimBase,
    body: &Value,
) -> ScimResult<Value> {
    let writer = caller.writer()?;
    let lookup = UserLookup::load(state, &writer.reader(), base.clone()).await?;
    let normal = normalized(body, &lookup.schema, USER)?;
    let touched = everything(body, &lookup);
    let mut errors = FieldErrors::new();
    let mut update = lower_user(&normal, &touched, None, &lookup.custom, &mut errors);
    errors.clone().into_result()?;
    let Some(email) = update.email.take() else {
        return Err(DomainError::invalid("emails", "is required").into());
    };
    let display_name = update.display_name.take();
    let mut new = NewUser::from_email(email, update);
    if let Some(display_name) = display_name {
        new.display_name = display_name.clone();
        new.rest.display_name = Some(display_name);
    }
    let user = state
        .directory
        .create_user(&writer, new, &FIELD_NAMES, errors)
        .await?;
    one(state, &writer.reader(), lookup, user).await
}

/// Retrieve a user.
#[utoipa::path(get, path = "/scim/v2/Users/{id}", tag = "scim",
    params(("id" = String, Path), ("attributes" = Option<String>, Query), ("excludedAttributes" = Option<String>, Query)),
    responses((status = 200, description = "The User, with its ETag", body = Object), (status = 404, body = Object)),
    security(("bearer" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    Path(id): Path<String>,
    Query(query): ListQuery,
) -> ScimResult<Response> {
    let params = ListParams::from_query(&query)?;
    let reader = caller.reader();
    let user = state.directory.user(&reader, &user_id(&id)?).await?;
    let lookup = UserLookup::load(&state, &reader, base).await?;
    let schema = lookup.schema.clone();
    let found = one(&state, &reader, lookup, user).await?;
    Ok(resource(StatusCode::OK, &params.project(&found, &schema)))
}

/// Replace a user (RFC 7644 §3.5.1). Attributes left out are cleared where Roster can clear
/// them; an extension the body neither lists nor carries is left as it is. `If-Match` makes it
/// conditional.
#[utoipa::path(put, path = "/scim/v2/Users/{id}", tag = "scim",
    params(("id" = String, Path)),
    request_body(content = Object, description = "A SCIM User"),
    responses((status = 200, body = Object), (status = 400, body = Object), (status = 404, body = Object), (status = 409, body = Object), (status = 412, body = Object)),
    security(("bearer" = [])))]
pub async fn replace_user(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
    ScimBody(body): ScimBody,
) -> ScimResult<Response> {
    let replaced = replace(&state, &caller, &base, &id, &body, if_match).await?;
    Ok(resource(StatusCode::OK, &replaced))
}

pub async fn replace(
    state: &AppState,
    caller: &Caller,
    base: &ScimBase,
    id: &str,
    body: &Value,
    if_match: Option<i64>,
) -> ScimResult<Value> {
    let writer = caller.writer()?;
    let id = user_id(id)?;
    let current = state.directory.user(&writer.reader(), &id).await?;
    let lookup = UserLookup::load(state, &writer.reader(), base.clone()).await?;
    let normal = normalized(body, &lookup.schema, USER)?;
    let touched = everything(body, &lookup);
    let mut errors = FieldErrors::new();
    let update = lower_user(
        &normal,
        &touched,
        Some(&current),
        &lookup.custom,
        &mut errors,
    );
    let user = state
        .directory
        .update_user(&writer, &id, update, if_match, &FIELD_NAMES, errors)
        .await?;
    one(state, &writer.reader(), lookup, user).await
}

/// Change a user with PATCH operations (RFC 7644 §3.5.2): `add`, `replace` and `remove`, with or
/// without a path, value filters included. All operations apply or none; answers the User.
#[utoipa::path(patch, path = "/scim/v2/Users/{id}", tag = "scim",
    params(("id" = String, Path)),
    request_body(content = Object, description = "A PatchOp"),
    responses((status = 200, body = Object), (status = 400, body = Object), (status = 404, body = Object), (status = 412, body = Object)),
    security(("bearer" = [])))]
pub async fn patch_user(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
    ScimBody(body): ScimBody,
) -> ScimResult<Response> {
    let patched = patch_one(&state, &caller, &base, &id, &body, if_match).await?;
    Ok(resource(StatusCode::OK, &patched))
}

pub async fn patch_one(
    state: &AppState,
    caller: &Caller,
    base: &ScimBase,
    id: &str,
    body: &Value,
    if_match: Option<i64>,
) -> ScimResult<Value> {
    let writer = caller.writer()?;
    let reader = writer.reader();
    let id = user_id(id)?;
    let request = PatchRequest::from_json(body)?;
    let access = state.directory.user_access(&reader, &id).await?;
    let lookup = UserLookup::load(state, &reader, base.clone()).await?;
    let old = user_resource(&access, &lookup);
    let mut new = old.clone();
    patch::apply(&mut new, &request.operations, &lookup.schema)?;
    let touched: Touched = lookup
        .writable_keys()
        .into_iter()
        .filter(|key| differs(&old, &new, key))
        .collect();
    let mut errors = FieldErrors::new();
    let mut update = lower_user(
        &new,
        &touched,
        Some(&access.user),
        &lookup.custom,
        &mut errors,
    );
    // The password is never read back, so its removal shows in the operations only.
    let removes_password = request.operations.iter().any(|op| {
        op.op == PatchOpKind::Remove
            && op
                .path
                .as_ref()
                .is_some_and(|p| p.attribute.attribute.eq_ignore_ascii_case("password"))
    });
    if removes_password {
        update.credential = Patch::Clear;
    }
    let user = state
        .directory
        .update_user(&writer, &id, update, if_match, &FIELD_NAMES, errors)
        .await?;
    one(state, &reader, lookup, user).await
}

/// Delete a user; `If-Match` makes it conditional.
#[utoipa::path(delete, path = "/scim/v2/Users/{id}", tag = "scim",
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Object), (status = 412, body = Object)),
    security(("bearer" = [])))]
pub async fn delete_user(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
) -> ScimResult<StatusCode> {
    delete(&state, &caller, &id, if_match).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete(
    state: &AppState,
    caller: &Caller,
    id: &str,
    if_match: Option<i64>,
) -> ScimResult<()> {
    let writer = caller.writer()?;
    let id = user_id(id)?;
    state.directory.delete_user(&writer, &id, if_match).await?;
    Ok(())
}

/// A path id: anything that is not one of ours names no user (404, not 400: SCIM ids are opaque).
pub fn user_id(id: &str) -> ScimResult<UserId> {
    UserId::parse(id).map_err(|_| DomainError::not_found("user").into())
}

/// The user as a resource, with a lookup loaded before it was written.
async fn one(
    state: &AppState,
    reader: &Reader<'_>,
    mut lookup: UserLookup,
    user: User,
) -> ScimResult<Value> {
    lookup.learn_department(state, reader, &user).await?;
    let access = state.directory.users_access(reader, vec![user]).await?;
    let access = access
        .first()
        .ok_or_else(|| DomainError::not_found("user"))?;
    Ok(user_resource(access, &lookup))
}

/// What a create or replace writes: every core attribute, and the attributes of the extensions
/// the body writes.
fn everything(body: &Value, lookup: &UserLookup) -> Touched {
    let written = extensions_written(body, &lookup.schema);
    lookup
        .writable_keys()
        .into_iter()
        .filter(|key| match key.rsplit_once(':') {
            Some((urn, _)) => written.iter().any(|w| w == urn),
            None => true,
        })
        .collect()
}
