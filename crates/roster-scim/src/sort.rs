//! Ordering resources for the `sortBy` and `sortOrder` parameters (RFC 7644 §3.4.2.3).

use std::cmp::Ordering;
use std::str::FromStr;

use serde_json::Value;

use crate::compare::Scalar;
use crate::error::ScimError;
use crate::path::AttrPath;
use crate::resource::{container, get, is_assigned};
use crate::schema::{Resolved, ResourceSchema};

/// `sortOrder`: ascending unless the client asks otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortOrder {
    #[default]
    Ascending,
    Descending,
}

impl SortOrder {
    /// Parses `ascending` or `descending`, case-insensitively.
    pub fn parse(text: &str) -> Result<Self, ScimError> {
        match text.trim() {
            t if t.eq_ignore_ascii_case("ascending") => Ok(Self::Ascending),
            t if t.eq_ignore_ascii_case("descending") => Ok(Self::Descending),
            other => Err(ScimError::invalid_value(format!(
                "sortOrder must be \"ascending\" or \"descending\", not {other:?}"
            ))),
        }
    }

    /// Turns an ascending comparison (such as [`compare`]'s) into this order's. Reversing also
    /// moves resources without a value first, which is what the RFC asks for descending order.
    pub fn apply(self, ascending: Ordering) -> Ordering {
        match self {
            Self::Ascending => ascending,
            Self::Descending => ascending.reverse(),
        }
    }
}

impl FromStr for SortOrder {
    type Err = ScimError;

    fn from_str(text: &str) -> Result<Self, ScimError> {
        Self::parse(text)
    }
}

/// Compares two resources by `by` in ascending order, for `sort_by` (then [`SortOrder::apply`]).
///
/// Values compare by type: text case-insensitively unless `caseExact`, date-times
/// chronologically, numbers numerically. A multi-valued attribute sorts by its primary value,
/// else its first. Resources without a value sort after those with one. An attribute the schema
/// does not know leaves the order unchanged.
pub fn compare(a: &Value, b: &Value, by: &AttrPath, schema: &ResourceSchema) -> Ordering {
    let Some(resolved) = schema.resolve(by) else {
        return Ordering::Equal;
    };
    match (sort_key(a, resolved), sort_key(b, resolved)) {
        (Some(a), Some(b)) => a.order(&b).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn sort_key<'v>(resource: &'v Value, resolved: Resolved<'_>) -> Option<Scalar<'v>> {
    let attribute = resolved.attribute;
    let value = get(container(resource, resolved.extension)?, &attribute.name)?;
    let chosen = match value {
        Value::Array(values) if attribute.multi_valued => representative(values)?,
        single => single,
    };
    // A complex attribute without a named sub-attribute sorts by its `value`, as filters do.
    let leaf = match resolved.sub_attribute {
        Some(sub) => Some(sub),
        None if attribute.is_complex() => attribute.sub_attribute("value"),
        None => None,
    };
    let (definition, sorted) = match leaf {
        Some(sub) => (sub, get(chosen.as_object()?, &sub.name)?),
        None => (attribute, chosen),
    };
    if !is_assigned(sorted) {
        return None;
    }
    Scalar::of(definition, sorted)
}

/// The primary value of a multi-valued attribute, or its first.
fn representative(values: &[Value]) -> Option<&Value> {
    let is_primary = |value: &&Value| {
        value
            .as_object()
            .and_then(|members| get(members, "primary"))
            == Some(&Value::Bool(true))
    };
    values.iter().find(is_primary).or_else(|| values.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_schemas::{user_schema, ENTERPRISE};
    use serde_json::json;

    fn sorted(mut resources: Vec<Value>, by: &str, order: SortOrder) -> Vec<Value> {
        let schema = user_schema();
        let by = AttrPath::parse(by).expect("path parses");
        resources.sort_by(|a, b| order.apply(compare(a, b, &by, &schema)));
        resources
    }

    fn users(names: &[&str]) -> Vec<Value> {
        names.iter().map(|name| json!({"userName": name})).collect()
    }

    #[test]
    fn sort_compares_strings_case_insensitively() {
        let result = sorted(users(&["b", "C", "a"]), "userName", SortOrder::Ascending);
        assert_eq!(result, users(&["a", "b", "C"]));
    }

    #[test]
    fn sort_respects_case_exact() {
        let ids = vec![json!({"id": "b"}), json!({"id": "B"}), json!({"id": "a"})];
        let result = sorted(ids, "id", SortOrder::Ascending);
        assert_eq!(
            result,
            [json!({"id": "B"}), json!({"id": "a"}), json!({"id": "b"})]
        );
    }

    #[test]
    fn sort_missing_values_last_in_ascending_order() {
        let resources = vec![
            json!({}),
            json!({"title": "b"}),
            json!({"title": ""}),
            json!({"title": "a"}),
        ];
        let result = sorted(resources, "title", SortOrder::Ascending);
        assert_eq!(result[..2], [json!({"title": "a"}), json!({"title": "b"})]);
    }

    #[test]
    fn sort_missing_values_first_in_descending_order() {
        let resources = vec![json!({"title": "a"}), json!({}), json!({"title": "b"})];
        let result = sorted(resources, "title", SortOrder::Descending);
        assert_eq!(
            result,
            [json!({}), json!({"title": "b"}), json!({"title": "a"})]
        );
    }

    #[test]
    fn sort_multi_valued_uses_primary_value() {
        let a = json!({"emails": [{"value": "z@x"}, {"value": "a@x", "primary": true}]});
        let b = json!({"emails": [{"value": "m@x", "primary": true}]});
        let result = sorted(
            vec![b.clone(), a.clone()],
            "emails.value",
            SortOrder::Ascending,
        );
        assert_eq!(result, [a, b]);
    }

    #[test]
    fn sort_multi_valued_without_primary_uses_first_value() {
        let a = json!({"emails": [{"value": "b@x"}, {"value": "z@x"}]});
        let b = json!({"emails": [{"value": "c@x"}, {"value": "a@x"}]});
        let result = sorted(vec![b.clone(), a.clone()], "emails", SortOrder::Ascending);
        assert_eq!(result, [a, b]);
    }

    #[test]
    fn sort_date_times_chronologically() {
        let early = json!({"meta": {"lastModified": "2011-05-13T06:00:00+02:00"}});
        let late = json!({"meta": {"lastModified": "2011-05-13T05:00:00Z"}});
        let result = sorted(
            vec![late.clone(), early.clone()],
            "meta.lastModified",
            SortOrder::Ascending,
        );
        assert_eq!(result, [early, late]);
    }

    #[test]
    fn sort_numbers_numerically() {
        let counts: Vec<Value> = [10, 9, 100]
            .iter()
            .map(|n| json!({"loginCount": n}))
            .collect();
        let result = sorted(counts, "loginCount", SortOrder::Ascending);
        assert_eq!(
            result,
            [
                json!({"loginCount": 9}),
                json!({"loginCount": 10}),
                json!({"loginCount": 100})
            ]
        );
    }

    #[test]
    fn sort_by_extension_attribute() {
        let a = json!({ENTERPRISE: {"employeeNumber": "1"}});
        let b = json!({ENTERPRISE: {"employeeNumber": "2"}});
        let by = format!("{ENTERPRISE}:employeeNumber");
        assert_eq!(
            sorted(vec![b.clone(), a.clone()], &by, SortOrder::Ascending),
            [a, b]
        );
    }

    #[test]
    fn sort_by_unknown_attribute_keeps_order() {
        let resources = users(&["b", "a"]);
        assert_eq!(
            sorted(resources.clone(), "favoriteColor", SortOrder::Ascending),
            resources
        );
    }

    #[test]
    fn sort_order_parses_case_insensitively() {
        assert_eq!(SortOrder::parse("Descending"), Ok(SortOrder::Descending));
        assert_eq!("ASCENDING".parse::<SortOrder>(), Ok(SortOrder::Ascending));
        assert_eq!(SortOrder::default(), SortOrder::Ascending);
        assert!(SortOrder::parse("up").is_err());
    }
}
