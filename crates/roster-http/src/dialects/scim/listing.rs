//! Listing and searching (RFC 7644 §3.4.2–3.4.3): `filter`, `sortBy`/`sortOrder`,
//! `startIndex`/`count`, `attributes`/`excludedAttributes`, from a query string or a SearchRequest
//! body, and `POST /.search` across both resource types.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roster_core::model::User;
use roster_core::query::{PageRequest, Sort, UserQuery, UserSortKey};
use roster_core::Reader;
use roster_scim::projection::{parse_attribute_list, project};
use roster_scim::{filter, sort, AttrPath, Filter, ResourceSchema, ScimError, SortOrder};
use serde_json::Value;

use super::error::ScimResult;
use super::extract::{ScimBase, ScimBody, ScimCaller};
use super::resource::{field, text};
use super::response::{list, scim_json};
use super::schemas::{GROUPS, SEARCH_REQUEST};
use super::user_resource::UserLookup;
use super::{groups, users};
use crate::AppState;

/// The most resources one page holds (also the default page size).
pub const MAX_RESULTS: usize = 1000;

/// What a list or search asks for.
#[derive(Debug, Default)]
pub struct ListParams {
    pub filter: Option<Filter>,
    sort_by: Option<AttrPath>,
    order: SortOrder,
    /// 1-based.
    start_index: usize,
    count: usize,
    attributes: Vec<AttrPath>,
    excluded: Vec<AttrPath>,
}

impl ListParams {
    /// From a query string; parameter names are matched regardless of case.
    pub fn from_query(query: &HashMap<String, String>) -> ScimResult<Self> {
        let get = |name: &str| {
            query
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        Self::read(|name| get(name).map(|v| Value::String(v.to_owned())))
    }

    /// From a SearchRequest body (RFC 7644 §3.4.3).
    pub fn from_search(body: &Value) -> ScimResult<Self> {
        let schemas = field(body, "schemas").and_then(Value::as_array);
        if !schemas.is_some_and(|s| s.iter().any(|s| s == SEARCH_REQUEST)) {
            return Err(
                ScimError::invalid_syntax(format!("schemas must list {SEARCH_REQUEST}")).into(),
            );
        }
        Self::read(|name| field(body, name).cloned())
    }

    fn read(get: impl Fn(&str) -> Option<Value>) -> ScimResult<Self> {
        let string = |name: &str| -> ScimResult<Option<String>> {
            match get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) => Ok(Some(text)),
                Some(Value::Array(items)) => Ok(Some(
                    items.iter().filter_map(text).collect::<Vec<_>>().join(","),
                )),
                Some(Value::Number(number)) => Ok(Some(number.to_string())),
                Some(_) => Err(ScimError::invalid_value(format!("{name} must be a string")).into()),
            }
        };
        let number = |name: &str, default: usize| -> ScimResult<usize> {
            match string(name)? {
                None => Ok(default),
                Some(text) => text
                    .trim()
                    .parse::<i64>()
                    .map(|n| n.max(0) as usize)
                    .map_err(|_| {
                        ScimError::invalid_value(format!("{name} must be an integer")).into()
                    }),
            }
        };
        let list = |name: &str| -> ScimResult<Vec<AttrPath>> {
            match string(name)? {
                Some(text) if !text.trim().is_empty() => Ok(parse_attribute_list(&text)?),
                _ => Ok(Vec::new()),
            }
        };
        Ok(Self {
            filter: string("filter")?
                .map(|text| filter::parse(&text))
                .transpose()?,
            sort_by: string("sortBy")?
                .map(|text| AttrPath::parse(&text))
                .transpose()?,
            order: string("sortOrder")?
                .map(|text| SortOrder::parse(&text))
                .transpose()?
                .unwrap_or_default(),
            start_index: number("startIndex", 1)?.max(1),
            count: number("count", MAX_RESULTS)?.min(MAX_RESULTS),
            attributes: list("attributes")?,
            excluded: list("excludedAttributes")?,
        })
    }

    /// The stretch (0-based offset, length) of the tenant's users this list asks for, when the
    /// store can read just that: without a filter or `sortBy`, a list is every user in id order.
    pub fn plain_window(&self) -> Option<(usize, usize)> {
        (self.filter.is_none() && self.sort_by.is_none())
            .then_some((self.start_index - 1, self.count))
    }
}

/// The tenant's users `offset..offset + count` in id order (the order of unsorted lists), and how
/// many users it has; `None` when the offset is beyond what store pages can reach.
pub async fn user_window(
    state: &AppState,
    reader: &Reader<'_>,
    offset: usize,
    count: usize,
) -> ScimResult<Option<(usize, Vec<User>)>> {
    let Some((pages, skip)) = covering_pages(offset, count) else {
        return Ok(None);
    };
    let mut total = 0;
    let mut users = Vec::new();
    for page in pages {
        let query = UserQuery {
            conditions: Vec::new(),
            sort: vec![Sort {
                key: UserSortKey::Id,
                descending: false,
            }],
            page,
        };
        let listed = state.directory.list_users(reader, &query).await?;
        total = usize::try_from(listed.total).unwrap_or(usize::MAX);
        let full = listed.items.len() == page.size as usize;
        users.extend(listed.items);
        if !full {
            break;
        }
    }
    let window = users.into_iter().skip(skip).take(count).collect();
    Ok(Some((total, window)))
}

/// The store pages holding `offset..offset + count`, and how many items of the first precede
/// it. Store pages start at multiples of their size, so a stretch that does not start at a
/// multiple of `count` is read as one somewhat larger page that covers it (at most twice its
/// length), or else as the two pages of `count` it straddles. `count=0` asks only for the total,
/// which any page carries.
fn covering_pages(offset: usize, count: usize) -> Option<(Vec<PageRequest>, usize)> {
    // Built field by field: a covering page may be larger than `PageRequest::new` allows.
    let page = |number: usize, size: usize| -> Option<PageRequest> {
        Some(PageRequest {
            page: u32::try_from(number + 1).ok()?,
            size: u32::try_from(size).ok()?,
        })
    };
    let count = count.max(1);
    if let Some(size) = (count..=2 * count).find(|size| offset % size + count <= *size) {
        return Some((vec![page(offset / size, size)?], offset % size));
    }
    let first = offset / count;
    let pages = vec![page(first, count)?, page(first + 1, count)?];
    Some((pages, offset % count))
}

/// Resources that match the filter, sorted, of one type.
pub fn matching(
    resources: Vec<Value>,
    schema: &ResourceSchema,
    params: &ListParams,
) -> ScimResult<Vec<Value>> {
    let mut kept = Vec::with_capacity(resources.len());
    if let Some(filter) = &params.filter {
        filter.validate(schema)?;
        for resource in resources {
            if filter.matches(&resource, schema)? {
                kept.push(resource);
            }
        }
    } else {
        kept = resources;
    }
    if let Some(by) = &params.sort_by {
        kept.sort_by(|a, b| params.order.apply(sort::compare(a, b, by, schema)));
    }
    Ok(kept)
}

/// One page, already cut from `total` results by the store, each projected, as a ListResponse.
pub fn window_page(
    resources: Vec<Value>,
    schema: &ResourceSchema,
    total: usize,
    params: &ListParams,
) -> Value {
    let page = resources
        .iter()
        .map(|resource| params.project(resource, schema))
        .collect();
    list(page, total, params.start_index)
}

/// One page of `resources` (already filtered and sorted), each projected, as a ListResponse.
pub fn page(resources: Vec<(Value, &ResourceSchema)>, params: &ListParams) -> Value {
    let total = resources.len();
    let page: Vec<Value> = resources
        .into_iter()
        .skip(params.start_index - 1)
        .take(params.count)
        .map(|(resource, schema)| params.project(&resource, schema))
        .collect();
    list(page, total, params.start_index)
}

impl ListParams {
    pub fn project(&self, resource: &Value, schema: &ResourceSchema) -> Value {
        project(resource, schema, &self.attributes, &self.excluded)
    }
}

/// Search users and groups together (RFC 7644 §3.4.3, at the root). Each resource is matched with
/// its own type's schema; a filter naming an attribute one type lacks matches none of that type.
#[utoipa::path(post, path = "/scim/v2/.search", tag = "scim",
    request_body(content = Object, description = "A SearchRequest"),
    responses((status = 200, description = "A ListResponse of Users and Groups", body = Object), (status = 400, body = Object)),
    security(("bearer" = [])))]
pub async fn search_all(
    State(state): State<AppState>,
    ScimCaller(caller): ScimCaller,
    base: ScimBase,
    ScimBody(body): ScimBody,
) -> ScimResult<Response> {
    let params = ListParams::from_search(&body)?;
    let reader = caller.reader();
    let lookup = UserLookup::load(&state, &reader, base.clone()).await?;
    let users = users::all_resources(&state, &reader, &lookup, &params).await?;
    let groups = groups::all_resources(&state, &reader, &base, &params).await?;
    let mut all: Vec<(Value, &ResourceSchema)> = Vec::new();
    for resource in matching_loose(users, &lookup.schema, &params)? {
        all.push((resource, &lookup.schema));
    }
    for resource in matching_loose(groups, &GROUPS, &params)? {
        all.push((resource, &GROUPS));
    }
    Ok(scim_json(StatusCode::OK, &page(all, &params)))
}

/// [`matching`] where a filter that does not fit this type's schema matches nothing of it.
fn matching_loose(
    resources: Vec<Value>,
    schema: &ResourceSchema,
    params: &ListParams,
) -> ScimResult<Vec<Value>> {
    match params.filter.as_ref().map(|filter| filter.validate(schema)) {
        Some(Err(_)) => Ok(Vec::new()),
        _ => matching(resources, schema, params),
    }
}

/// The query string of a list.
pub type ListQuery = Query<HashMap<String, String>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_pages_hold_exactly_the_stretch_asked_for_and_at_most_twice_as_much() {
        for count in [1, 2, 3, 7, 100, 999, 1000] {
            for offset in (0..20_000).chain([123_456, 999_999]) {
                let (pages, skip) = covering_pages(offset, count).expect("pages");
                let first = pages[0];
                let start = first.offset() as usize;
                let end = pages
                    .iter()
                    .map(|p| p.offset() as usize + p.size as usize)
                    .max();
                assert_eq!(start + skip, offset, "{offset} {count}");
                assert!(end.expect("a page") >= offset + count, "{offset} {count}");
                let read: usize = pages.iter().map(|p| p.size as usize).sum();
                assert!(read <= 2 * count, "{offset} {count}: {pages:?}");
                if let [a, b] = pages[..] {
                    assert_eq!(
                        a.offset() + u64::from(a.size),
                        b.offset(),
                        "{offset} {count}"
                    );
                }
            }
        }
    }

    #[test]
    fn pages_start_on_the_stretch_when_they_can() {
        let (pages, skip) = covering_pages(200, 100).expect("pages");
        assert_eq!((pages, skip), (vec![PageRequest::new(3, 100)], 0));
        let (pages, skip) = covering_pages(5, 0).expect("pages");
        assert_eq!((pages, skip), (vec![PageRequest::new(6, 1)], 0));
    }
}
