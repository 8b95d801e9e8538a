//! The native list body: `page`, `page_size`, `filter_by`, `sort_by`, `search_query`, answered as
//! `{count, page, page_size, items}`.

use roster_core::query::{Condition, Page, PageRequest, Query, Slice, Sort};
use roster_core::FieldErrors;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::json_fields::JsonFields;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListPage<T> {
    /// How many items match, over all pages.
    pub count: u64,
    pub page: u32,
    pub page_size: u32,
    pub items: Vec<T>,
}

impl<T> ListPage<T> {
    pub fn from_page<S>(page: Page<S>, view: impl Fn(&S) -> T) -> Self {
        Self {
            count: page.total,
            page: page.request.page,
            page_size: page.request.size,
            items: page.items.iter().map(view).collect(),
        }
    }

    /// The page `request` asked for, from the slice the directory read for it (directory
    /// functions shared with dialects that page by offset answer a [`Slice`]).
    pub fn from_slice<S>(slice: Slice<S>, request: PageRequest, view: impl Fn(&S) -> T) -> Self {
        Self {
            count: slice.total,
            page: request.page,
            page_size: request.size,
            items: slice.items.iter().map(view).collect(),
        }
    }
}

/// Bounds on a list body, so that its query stays within what both databases take (SQLite binds at
/// most 32766 parameters, nests expressions at most 1000 deep and takes LIKE patterns up to 50000
/// bytes; PostgreSQL binds at most 65535 parameters). Beyond them a request is refused (400)
/// instead of failing in the database.
const MAX_CONDITIONS: usize = 10;
const MAX_VALUES: usize = 1000;
const MAX_SORTS: usize = 10;
const MAX_SEARCH_TERMS: usize = 100;
/// Longer than any name (256) or email (254): a longer term could match nothing.
const MAX_TERM_CHARS: usize = 256;

/// A search term, refused when longer than anything it could match.
fn search_term(text: &str) -> Result<String, String> {
    let term = text.trim();
    if term.chars().count() > MAX_TERM_CHARS {
        return Err(format!(
            "search terms are at most {MAX_TERM_CHARS} characters"
        ));
    }
    Ok(term.to_owned())
}

/// How many values a `filter_by` entry compares with (those of `custom_field_values` for custom fields).
fn value_count(values: &Value) -> usize {
    match values {
        Value::Array(items) => items.len(),
        Value::Object(object) => object.get("custom_field_values").map_or(0, value_count),
        _ => 1,
    }
}

/// `page` (from 1) and `page_size` (default 50, capped at 1000).
pub fn read_page(fields: &mut JsonFields<'_>) -> PageRequest {
    let page = fields.integer("page").unwrap_or(1);
    let size = fields
        .integer("page_size")
        .unwrap_or(u64::from(PageRequest::DEFAULT_SIZE));
    if page == 0 {
        fields.error("page", "pages start at 1");
    }
    if size == 0 {
        fields.error(
            "page_size",
            "must be at least 1 (at most 1000 are returned)",
        );
    }
    PageRequest::new(
        u32::try_from(page).unwrap_or(u32::MAX),
        u32::try_from(size).unwrap_or(u32::MAX),
    )
}

/// A body that only pages and searches (departments, integrations): `(search, page)`.
pub fn read_simple_list(body: Value, errors: &mut FieldErrors) -> (Option<String>, PageRequest) {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return (None, PageRequest::default());
    };
    let page = read_page(&mut fields);
    let search = fields.set("search_query", search_term);
    fields.deny_unknown();
    (search.filter(|text| !text.is_empty()), page)
}

/// What a list can be filtered, searched and sorted by, for one kind of item.
pub trait ListFields: Sized {
    type SortKey;
    /// A `filter_by` entry's condition, from its `field_id`, `field_values` and `field_order`.
    fn filter(field_id: &str, values: Value, order: Option<Value>) -> Result<Self, String>;
    /// `search_query`, split into its comma-separated terms.
    fn search(terms: Vec<String>) -> Self;
    /// A `sort_by` key.
    fn sort_key(field: &str) -> Option<Self::SortKey>;
}

/// The body of a filtered list (`POST /v2/users`, `/v2/applications`, …).
pub fn read_query<F: ListFields>(body: Value, errors: &mut FieldErrors) -> Query<F, F::SortKey> {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return Query::default();
    };
    let mut query = Query {
        page: read_page(&mut fields),
        ..Query::default()
    };
    let filters = fields.array("filter_by");
    if filters
        .as_ref()
        .is_some_and(|filters| filters.len() > MAX_CONDITIONS)
    {
        fields.error("filter_by", format!("at most {MAX_CONDITIONS} conditions"));
    }
    if let Some(filters) = filters.filter(|filters| filters.len() <= MAX_CONDITIONS) {
        for (index, filter) in filters.into_iter().enumerate() {
            let name = fields.name(&format!("filter_by[{index}]"));
            let mut scratch = FieldErrors::new();
            if let Some(condition) = read_condition(filter, &name, &mut scratch) {
                query.conditions.push(condition);
            }
            for error in scratch.iter() {
                fields.error_at(&error.field, &error.reason);
            }
        }
    }
    let sorts = fields.array("sort_by");
    if sorts.as_ref().is_some_and(|sorts| sorts.len() > MAX_SORTS) {
        fields.error("sort_by", format!("at most {MAX_SORTS} sort keys"));
    }
    if let Some(sorts) = sorts.filter(|sorts| sorts.len() <= MAX_SORTS) {
        for (index, sort) in sorts.iter().enumerate() {
            match read_sort::<F>(sort) {
                Ok(sort) => query.sort.extend(sort),
                Err(reason) => fields.error(&format!("sort_by[{index}]"), reason),
            }
        }
    }
    if let Some(search) = fields.set("search_query", |text| Ok::<_, String>(text.to_owned())) {
        let terms: Vec<String> = search
            .split(',')
            .map(str::trim)
            .filter(|term| !term.is_empty())
            .map(str::to_owned)
            .collect();
        let too_long = terms.iter().find_map(|term| search_term(term).err());
        if terms.len() > MAX_SEARCH_TERMS {
            fields.error("search_query", format!("at most {MAX_SEARCH_TERMS} terms"));
        } else if let Some(reason) = too_long {
            fields.error("search_query", reason);
        } else if !terms.is_empty() {
            query.conditions.push(Condition {
                filter: F::search(terms),
                negated: false,
            });
        }
    }
    fields.deny_unknown();
    query
}

/// `{"user_name": 1}` or `{"user_name": -1}`; several keys sort in the order given.
fn read_sort<F: ListFields>(sort: &Value) -> Result<Vec<Sort<F::SortKey>>, String> {
    let object = sort
        .as_object()
        .ok_or("must be an object like {\"user_name\": 1}")?;
    object
        .iter()
        .map(|(field, direction)| {
            let key = F::sort_key(field).ok_or_else(|| format!("cannot sort by {field:?}"))?;
            match direction.as_i64() {
                Some(1) => Ok(Sort {
                    key,
                    descending: false,
                }),
                Some(-1) => Ok(Sort {
                    key,
                    descending: true,
                }),
                _ => Err(format!("the direction of {field} must be 1 or -1")),
            }
        })
        .collect()
}

/// One `filter_by` entry: `{field_id, field_values, negative?}`.
fn read_condition<F: ListFields>(
    filter: Value,
    name: &str,
    errors: &mut FieldErrors,
) -> Option<Condition<F>> {
    let mut fields = JsonFields::element(filter, name.to_owned(), errors)?;
    let field_id: Option<String> =
        fields.required("field_id", |text| Ok::<_, String>(text.to_owned()));
    let negated = fields.bool("negative").unwrap_or(false);
    let order = fields.take("field_order");
    // Accepted for compatibility; Roster's source filters need no "only" flag.
    let _ = fields.take("is_only");
    let values = fields.take("field_values");
    let filter = match (field_id, values) {
        (Some(_), Some(values)) if value_count(&values) > MAX_VALUES => {
            Err(format!("at most {MAX_VALUES} values"))
        }
        (Some(field_id), Some(values)) => F::filter(&field_id, values, order),
        (Some(_), None) => Err("field_values is required".to_owned()),
        (None, _) => return None,
    };
    let filter = match filter {
        Ok(filter) => Some(filter),
        Err(reason) => {
            fields.error("field_values", reason);
            None
        }
    };
    fields.deny_unknown();
    filter.map(|filter| Condition { filter, negated })
}

/// A list of strings (a single string is taken as a list of one), each parsed.
pub fn strings<T, E: std::fmt::Display>(
    values: Value,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Vec<T>, String> {
    let items = match values {
        Value::Array(items) => items,
        single => vec![single],
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(text) => parse(text).map_err(|reason| format!("{text:?} {reason}")),
            Value::Bool(flag) => parse(&flag.to_string()).map_err(|reason| reason.to_string()),
            Value::Number(number) => {
                parse(&number.to_string()).map_err(|reason| reason.to_string())
            }
            _ => Err("values must be strings".to_owned()),
        })
        .collect()
}

pub fn single_bool(values: Value) -> Result<bool, String> {
    let value = match values {
        Value::Array(mut items) if items.len() == 1 => items.remove(0),
        other => other,
    };
    match value {
        Value::Bool(flag) => Ok(flag),
        Value::String(text) if text == "true" || text == "false" => Ok(text == "true"),
        _ => Err("must be true or false".to_owned()),
    }
}

/// The body of every native list endpoint.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ListBody {
    /// From 1; default 1.
    page: Option<u32>,
    /// Default 50, capped at 1000.
    page_size: Option<u32>,
    /// Conditions, all of which must hold; each endpoint lists the `field_id`s it takes. At most 10
    /// conditions, each comparing with at most 1000 values.
    filter_by: Option<Vec<FilterBody>>,
    /// E.g. `[{"user_name": 1}]`; 1 ascending, -1 descending; each endpoint lists its keys. At
    /// most 10 entries.
    #[schema(value_type = Option<Vec<Object>>)]
    sort_by: Option<Vec<Value>>,
    /// Comma-separated terms; an item matches when its name (or email) contains any of them. At
    /// most 100 terms, each at most 256 characters (longer than any name or email).
    search_query: Option<String>,
}

#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct FilterBody {
    field_id: String,
    #[schema(value_type = Object)]
    field_values: Value,
    /// True to match items for which the condition does not hold.
    negative: Option<bool>,
}
