//! `/scim/v2/Groups`: the directory's user groups. Members are users of the tenant; member ids
//! that name no user of the tenant are ignored (identity providers send ids of people Roster does
//! not have). The system groups Everyone and Service Accounts are not served here: their members
//! follow from the users.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roster_core::command::{NewUserGroup, UserGroupUpdate};
use roster_core::directory::AccessFieldNames;
use roster_core::id::{UserGroupId, UserId};
use roster_core::model::UserGroup;
use roster_core::query::{Condition, PageRequest, UserFilter, Window};
use roster_core::{Caller, DomainError, FieldErrors, Patch, Reader};
use roster_scim::{patch, PatchRequest};
use serde_json::Value;

use super::error::ScimResult;
use super::extract::{IfMatch, ScimBase, ScimBody, ScimCaller};
use super::group_resource::{group_resource, lower_group};
use super::listing::{matching, page, window_page, ListParams, ListQuery};
use super::narrowing::group_name;
use super::resource::{differs, normalized};
use super::response::{resource, scim_json};
use super::schemas::{GROUP, GROUPS};
use crate::AppState;

/// The attributes a client writes.
const ATTRIBUTES: [&str; 3] = ["displayName", "externalId", "members"];

const FIELD_NAMES: AccessFieldNames = AccessFieldNames {
    name: "displayName",
    description: "description",
    roles: "roles",
    members: "members",
    groups: "groups",
};

/// List groups, with the same parameters as users.
#[utoipa::path(get, path = "/scim/v2/Groups", tag = "scim",
    params(("filter" = Option<String>, Query), ("sortBy" = Option<String>, Query), ("sortOrder" = Option<String>, Query),
        ("startIndex" = Option<i64>, Query), ("count" = Option<i64>, Query), ("attributes" = Option<String>, Query),
        ("excludedAttributes" = Option<String>, Query)),
    responses((status = 200, description = "A ListResponse of Groups", body = Object), (status = 400, body = Object)),
    security(("bearer" = [])))]
pub async fn list_groups(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    Query(query): ListQuery,
) -> ScimResult<Response> {
    let params = ListParams::from_query(&query)?;
    list(&state, &caller.reader(), &base, &params).await
}

/// Search groups with a SearchRequest body.
#[utoipa::path(post, path = "/scim/v2/Groups/.search", tag = "scim",
    request_body(content = Object, description = "A SearchRequest"),
    responses((status = 200, description = "A ListResponse of Groups", body = Object), (status = 400, body = Object)),
    security(("bearer" = [])))]
pub async fn search_groups(
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
    let groups = plain_groups(state, reader, params).await?;
    // Without a filter or sortBy only the page's groups need their members read.
    if let Some((offset, count)) = params.plain_window() {
        let total = groups.len();
        let window: Vec<UserGroup> = groups.into_iter().skip(offset).take(count).collect();
        let resources = rendered(state, reader, base, &window).await?;
        let page = window_page(resources, &GROUPS, total, params);
        return Ok(scim_json(StatusCode::OK, &page));
    }
    let all = rendered(state, reader, base, &groups).await?;
    let kept = matching(all, &GROUPS, params)?;
    let with_schema = kept.into_iter().map(|r| (r, &*GROUPS)).collect();
    Ok(scim_json(StatusCode::OK, &page(with_schema, params)))
}

/// The plain groups of the tenant as resources, oldest first: those the filter can match, as far
/// as the store can tell.
pub async fn all_resources(
    state: &AppState,
    reader: &Reader<'_>,
    base: &ScimBase,
    params: &ListParams,
) -> ScimResult<Vec<Value>> {
    let groups = plain_groups(state, reader, params).await?;
    rendered(state, reader, base, &groups).await
}

/// The plain groups of the tenant the filter can match, as far as the store can tell, oldest
/// first.
async fn plain_groups(
    state: &AppState,
    reader: &Reader<'_>,
    params: &ListParams,
) -> ScimResult<Vec<UserGroup>> {
    let name = params.filter.as_ref().and_then(group_name);
    let mut groups = Vec::new();
    let mut offset = 0;
    loop {
        let window = Window::new(offset, PageRequest::MAX_SIZE);
        let listed = state
            .directory
            .user_groups_page(reader, name.as_deref(), window)
            .await?;
        let done = listed.items.len() < PageRequest::MAX_SIZE as usize;
        offset += listed.items.len() as u64;
        groups.extend(
            listed
                .items
                .into_iter()
                .filter(|group| group.system.is_none()),
        );
        if done {
            break;
        }
    }
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(groups)
}

/// These groups as resources, their members read together.
async fn rendered(
    state: &AppState,
    reader: &Reader<'_>,
    base: &ScimBase,
    groups: &[UserGroup],
) -> ScimResult<Vec<Value>> {
    let ids: Vec<UserGroupId> = groups.iter().map(|group| group.id.clone()).collect();
    let mut members = state.directory.group_member_ids(reader, &ids).await?;
    Ok(groups
        .iter()
        .map(|group| {
            let ids = members.remove(&group.id).unwrap_or_default();
            group_resource(group, &ids.into_iter().collect::<Vec<_>>(), base)
        })
        .collect())
}

async fn render(
    state: &AppState,
    reader: &Reader<'_>,
    base: &ScimBase,
    group: &UserGroup,
) -> ScimResult<Value> {
    let members = member_ids(state, reader, &group.id).await?;
    let members: Vec<UserId> = members.into_iter().collect();
    Ok(group_resource(group, &members, base))
}

async fn member_ids(
    state: &AppState,
    reader: &Reader<'_>,
    group: &UserGroupId,
) -> ScimResult<BTreeSet<UserId>> {
    let ids = std::slice::from_ref(group);
    let mut members = state.directory.group_member_ids(reader, ids).await?;
    Ok(members.remove(group).unwrap_or_default())
}

/// Those of `ids` that are users of the tenant.
async fn existing_users(
    state: &AppState,
    reader: &Reader<'_>,
    ids: BTreeSet<UserId>,
) -> ScimResult<BTreeSet<UserId>> {
    if ids.is_empty() {
        return Ok(ids);
    }
    let condition = Condition {
        filter: UserFilter::Ids(ids.into_iter().collect()),
        negated: false,
    };
    let users = state
        .directory
        .all_users_where(reader, vec![condition])
        .await?;
    Ok(users.into_iter().map(|user| user.id).collect())
}

/// Create a group with its members, atomically.
#[utoipa::path(post, path = "/scim/v2/Groups", tag = "scim",
    request_body(content = Object, description = "A SCIM Group"),
    responses((status = 201, description = "The new Group, with Location and ETag", body = Object), (status = 400, body = Object), (status = 409, body = Object)),
    security(("bearer" = [])))]
pub async fn create_group(
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
    let reader = writer.reader();
    let normal = normalized(body, &GROUPS, GROUP)?;
    let mut errors = FieldErrors::new();
    let write = lower_group(&normal, &mut errors);
    errors.into_result()?;
    let Some(name) = write.name else {
        return Err(DomainError::invalid("displayName", "is required").into());
    };
    let new = NewUserGroup {
        name,
        description: None,
        external_id: write.external_id,
        role_ids: BTreeSet::new(),
        members: existing_users(state, &reader, write.members).await?,
    };
    let detail = state
        .directory
        .create_user_group(&writer, new, &FIELD_NAMES)
        .await?;
    render(state, &reader, base, &detail.group).await
}

/// Retrieve a group.
#[utoipa::path(get, path = "/scim/v2/Groups/{id}", tag = "scim",
    params(("id" = String, Path), ("attributes" = Option<String>, Query), ("excludedAttributes" = Option<String>, Query)),
    responses((status = 200, description = "The Group, with its ETag", body = Object), (status = 404, body = Object)),
    security(("bearer" = [])))]
pub async fn get_group(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    Path(id): Path<String>,
    Query(query): ListQuery,
) -> ScimResult<Response> {
    let params = ListParams::from_query(&query)?;
    let reader = caller.reader();
    let group = plain_group(&state, &reader, &id).await?;
    let found = render(&state, &reader, &base, &group).await?;
    Ok(resource(StatusCode::OK, &params.project(&found, &GROUPS)))
}

/// Replace a group: its name, external id and members (added and removed atomically).
#[utoipa::path(put, path = "/scim/v2/Groups/{id}", tag = "scim",
    params(("id" = String, Path)),
    request_body(content = Object, description = "A SCIM Group"),
    responses((status = 200, body = Object), (status = 400, body = Object), (status = 404, body = Object), (status = 409, body = Object), (status = 412, body = Object)),
    security(("bearer" = [])))]
pub async fn replace_group(
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
    let normal = normalized(body, &GROUPS, GROUP)?;
    write(state, caller, id, &normal, &ATTRIBUTES, if_match).await?;
    let reader = writer.reader();
    let group = plain_group(state, &reader, id).await?;
    render(state, &reader, base, &group).await
}

/// Change a group with PATCH operations; member adds and removes apply atomically. Answers the
/// Group.
#[utoipa::path(patch, path = "/scim/v2/Groups/{id}", tag = "scim",
    params(("id" = String, Path)),
    request_body(content = Object, description = "A PatchOp"),
    responses((status = 200, body = Object), (status = 400, body = Object), (status = 404, body = Object), (status = 412, body = Object)),
    security(("bearer" = [])))]
pub async fn patch_group(
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
    let reader = caller.reader();
    let request = PatchRequest::from_json(body)?;
    let group = plain_group(state, &reader, id).await?;
    let old = render(state, &reader, base, &group).await?;
    let mut new = old.clone();
    patch::apply(&mut new, &request.operations, &GROUPS)?;
    let changed: Vec<&str> = ATTRIBUTES
        .into_iter()
        .filter(|key| differs(&old, &new, key))
        .collect();
    // Written even when nothing changed, so that a stale If-Match still answers 412.
    write(state, caller, id, &new, &changed, if_match).await?;
    let group = plain_group(state, &reader, id).await?;
    render(state, &reader, base, &group).await
}

/// Writes the `touched` attributes of `resource` to the group, in one transaction.
async fn write(
    state: &AppState,
    caller: &Caller,
    id: &str,
    resource: &Value,
    touched: &[&str],
    if_match: Option<i64>,
) -> ScimResult<()> {
    let writer = caller.writer()?;
    let reader = writer.reader();
    let group = plain_group(state, &reader, id).await?;
    let mut errors = FieldErrors::new();
    let wanted = lower_group(resource, &mut errors);
    errors.into_result()?;
    // A SCIM Group lists its members, so its tag is the revision, which covers them.
    let mut update = UserGroupUpdate {
        if_revision: if_match,
        ..UserGroupUpdate::default()
    };
    if touched.contains(&"displayName") {
        update.name = wanted.name;
    }
    if touched.contains(&"externalId") {
        update.external_id = wanted.external_id.map_or(Patch::Clear, Patch::Set);
    }
    if touched.contains(&"members") {
        let current = member_ids(state, &reader, &group.id).await?;
        let wanted = existing_users(state, &reader, wanted.members).await?;
        update.add_members = wanted.difference(&current).cloned().collect();
        update.remove_members = current.difference(&wanted).cloned().collect();
    }
    state
        .directory
        .update_user_group(&writer, &group.id, update, &FIELD_NAMES)
        .await?;
    Ok(())
}

/// Delete a group; its members leave it. `If-Match` makes it conditional.
#[utoipa::path(delete, path = "/scim/v2/Groups/{id}", tag = "scim",
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Object), (status = 412, body = Object)),
    security(("bearer" = [])))]
pub async fn delete_group(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
) -> ScimResult<StatusCode> {
    delete(&state, &caller, &id, if_match).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `if_match` is the group's revision (its `meta.version`), which covers its members.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    id: &str,
    if_match: Option<i64>,
) -> ScimResult<()> {
    let writer = caller.writer()?;
    let group = plain_group(state, &writer.reader(), id).await?;
    state
        .directory
        .delete_user_group(&writer, &group.id, if_match)
        .await?;
    Ok(())
}

/// The plain group `id` names; ids that are not ours and system groups are 404.
async fn plain_group(state: &AppState, reader: &Reader<'_>, id: &str) -> ScimResult<UserGroup> {
    let not_found = || DomainError::not_found("group");
    let id = UserGroupId::parse(id).map_err(|_| not_found())?;
    let detail = state.directory.user_group(reader, &id).await?;
    if detail.group.system.is_some() {
        return Err(not_found().into());
    }
    Ok(detail.group)
}
