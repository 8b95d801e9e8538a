//! Listing and searching (RFC 7644 §3.4.2–3.4.3): `filter`, `sortBy`/`sortOrder`,
//! `startIndex`/`count`, `attributes`/`excludedAttributes`, from a query string or a SearchRequest
//! body, and `POST /.search` across both resource types.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roster_scim::projection::{parse_attribute_list, project};
use roster_scim::{
    filter, sort, AttrPath, CompareOp, Filter, ResourceSchema, ScimError, SortOrder,
};
use serde_json::Value;

use super::error::ScimResult;
use super::extract::{ScimBase, ScimBody, ScimCaller};
use super::resource::{field, text};
use super::response::{list, scim_json};
use super::schemas::{GROUPS, SEARCH_REQUEST, USERS};
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

    /// The value of a top-level `attribute eq "value"` filter (alone, or and-ed with others), so
    /// that a lookup can use an index before the filter is applied in full.
    pub fn equality_on(&self, attribute: &str) -> Option<String> {
        fn find(filter: &Filter, attribute: &str) -> Option<String> {
            match filter {
                Filter::Compare {
                    path,
                    op: CompareOp::Eq,
                    value: Value::String(value),
                } if path.sub_attribute.is_none()
                    && path.attribute.eq_ignore_ascii_case(attribute) =>
                {
                    Some(value.clone())
                }
                Filter::And(left, right) => {
                    find(left, attribute).or_else(|| find(right, attribute))
                }
                _ => None,
            }
        }
        find(self.filter.as_ref()?, attribute)
    }
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
    let users = users::all_resources(&state, &reader, &base, &params).await?;
    let groups = groups::all_resources(&state, &reader, &base).await?;
    let mut all: Vec<(Value, &ResourceSchema)> = Vec::new();
    for resource in matching_loose(users, &USERS, &params)? {
        all.push((resource, &USERS));
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
