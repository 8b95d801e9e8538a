//! Reading and writing attributes inside JSON resources, where SCIM names are case-insensitive
//! (RFC 7643 §2.1) but the resource should keep each schema's canonical spelling.

use serde_json::{Map, Value};

use crate::schema::Resolved;

pub(crate) type Object = Map<String, Value>;

/// The key of `map` spelling `name` in any case.
pub(crate) fn find_key<'m>(map: &'m Object, name: &str) -> Option<&'m String> {
    map.keys().find(|key| key.eq_ignore_ascii_case(name))
}

pub(crate) fn get<'m>(map: &'m Object, name: &str) -> Option<&'m Value> {
    find_key(map, name).and_then(|key| map.get(key))
}

pub(crate) fn get_mut<'m>(map: &'m mut Object, name: &str) -> Option<&'m mut Value> {
    let key = find_key(map, name)?.clone();
    map.get_mut(&key)
}

pub(crate) fn remove(map: &mut Object, name: &str) -> Option<Value> {
    let key = find_key(map, name)?.clone();
    map.remove(&key)
}

/// Sets `name` (the canonical spelling), replacing the value under any other spelling.
pub(crate) fn insert(map: &mut Object, name: &str, value: Value) {
    remove(map, name);
    map.insert(name.to_owned(), value);
}

/// The value under `name`, moved to the canonical spelling, or `Null` inserted if absent.
pub(crate) fn entry<'m>(map: &'m mut Object, name: &str) -> &'m mut Value {
    let existing = remove(map, name).unwrap_or(Value::Null);
    map.entry(name.to_owned()).or_insert(existing)
}

/// The object holding an attribute: the resource itself, or its extension object.
pub(crate) fn container<'v>(resource: &'v Value, extension: Option<&str>) -> Option<&'v Object> {
    let root = resource.as_object()?;
    match extension {
        None => Some(root),
        Some(urn) => get(root, urn)?.as_object(),
    }
}

/// RFC 7643 §2.5: null, an empty string and an empty array or object all mean "unassigned";
/// a complex value counts as assigned when one of its members is.
pub(crate) fn is_assigned(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => items.iter().any(is_assigned),
        Value::Object(members) => members.values().any(is_assigned),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// The values a resolved path reaches in `node`: each value of a multi-valued attribute, or the
/// named sub-attribute of each. Nulls are left out, since they mean "no value".
pub(crate) fn values<'v>(node: &'v Value, at: &Resolved<'_>) -> Vec<&'v Value> {
    let Some(value) = container(node, at.extension).and_then(|c| get(c, &at.attribute.name)) else {
        return Vec::new();
    };
    let reached: Vec<&Value> = match at.sub_attribute {
        None => flatten(value).collect(),
        Some(sub) => flatten(value)
            .filter_map(Value::as_object)
            .filter_map(|element| get(element, &sub.name))
            .flat_map(flatten)
            .collect(),
    };
    reached.into_iter().filter(|v| !v.is_null()).collect()
}

fn flatten(value: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Value::Array(items) => Box::new(items.iter()),
        single => Box::new(std::iter::once(single)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_schemas::{bjensen, user_schema};
    use crate::AttrPath;
    use serde_json::json;

    #[test]
    fn values_reach_sub_attributes_of_every_element() {
        let schema = user_schema();
        let path = AttrPath::parse("EMAILS.value").expect("parses");
        let at = schema.resolve(&path).expect("resolves");
        let user = bjensen();
        assert_eq!(
            values(&user, &at),
            [&json!("bjensen@example.com"), &json!("babs@jensen.org")]
        );
    }

    #[test]
    fn entry_moves_value_to_canonical_spelling() {
        let mut map = json!({"USERNAME": "a"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        *entry(&mut map, "userName") = json!("b");
        assert_eq!(Value::Object(map), json!({"userName": "b"}));
    }

    #[test]
    fn unassigned_values_are_null_or_empty() {
        for value in [
            json!(null),
            json!(""),
            json!([]),
            json!({}),
            json!({"a": null}),
            json!([""]),
        ] {
            assert!(!is_assigned(&value), "{value}");
        }
        for value in [json!(false), json!(0), json!("x"), json!([{"value": "x"}])] {
            assert!(is_assigned(&value), "{value}");
        }
    }
}
