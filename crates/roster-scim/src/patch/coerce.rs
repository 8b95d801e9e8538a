//! Bringing PATCH values to their attribute's shape: the JSON kind its type calls for, canonical
//! sub-attribute names, and the lenient readings real clients need.

use chrono::DateTime;
use serde_json::{Number, Value};

use crate::error::ScimError;
use crate::resource::Object;
use crate::schema::{Attribute, AttributeType, Mutability};

/// A whole value of `attribute`: an array of values if it is multi-valued (a lone value counts
/// as one), else a single value. `null` stays `null`, which callers read as "clear".
pub(super) fn value(attribute: &Attribute, value: &Value, label: &str) -> Result<Value, ScimError> {
    if attribute.multi_valued && !value.is_null() {
        values(attribute, value, label).map(Value::Array)
    } else {
        single(attribute, value, label)
    }
}

/// The values given for a multi-valued attribute, nulls left out.
pub(super) fn values(
    attribute: &Attribute,
    value: &Value,
    label: &str,
) -> Result<Vec<Value>, ScimError> {
    let given = match value {
        Value::Array(items) => items.as_slice(),
        single => std::slice::from_ref(single),
    };
    given
        .iter()
        .filter(|item| !item.is_null())
        .map(|item| self::single(attribute, item, label))
        .collect()
}

fn single(attribute: &Attribute, value: &Value, label: &str) -> Result<Value, ScimError> {
    match value {
        Value::Null => Ok(Value::Null),
        _ if attribute.is_complex() => complex(attribute, value, label).map(Value::Object),
        _ => simple(attribute, value, label),
    }
}

/// One value of a complex attribute, members renamed to their canonical spelling. Read-only
/// members are dropped, since clients echo them (`display`, `manager.displayName`) without
/// meaning to write them.
pub(super) fn complex(
    attribute: &Attribute,
    value: &Value,
    label: &str,
) -> Result<Object, ScimError> {
    match value {
        Value::Object(members) => {
            let mut coerced = Object::new();
            for (name, member) in members {
                let sub = attribute.sub_attribute(name).ok_or_else(|| {
                    ScimError::invalid_path(format!("`{label}` has no sub-attribute `{name}`"))
                })?;
                if sub.mutability != Mutability::ReadOnly {
                    let sub_label = format!("{label}.{}", sub.name);
                    coerced.insert(sub.name.clone(), self::value(sub, member, &sub_label)?);
                }
            }
            Ok(coerced)
        }
        // Microsoft Entra ID sends a reference such as the enterprise `manager` as the bare id;
        // it is that value's `value` sub-attribute.
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            match attribute.sub_attribute("value") {
                Some(sub) => {
                    let coerced = simple(sub, value, &format!("{label}.{}", sub.name))?;
                    Ok(Object::from_iter([(sub.name.clone(), coerced)]))
                }
                None => Err(mismatch(attribute, value, label)),
            }
        }
        _ => Err(mismatch(attribute, value, label)),
    }
}

/// A simple value of the attribute's type. Strings that spell a boolean or a number are read as
/// one: Microsoft Entra ID sends `"active": "False"`.
fn simple(attribute: &Attribute, value: &Value, label: &str) -> Result<Value, ScimError> {
    use AttributeType as T;
    let coerced = match (attribute.r#type, value) {
        (T::String | T::Reference | T::Binary, Value::String(_))
        | (T::Boolean, Value::Bool(_))
        | (T::Decimal, Value::Number(_)) => Some(value.clone()),
        (T::Integer, Value::Number(n)) => (n.is_i64() || n.is_u64()).then(|| value.clone()),
        (T::DateTime, Value::String(text)) => DateTime::parse_from_rfc3339(text)
            .is_ok()
            .then(|| value.clone()),
        (T::Boolean, Value::String(text)) => parse_boolean(text).map(Value::Bool),
        (T::Integer, Value::String(text)) => text.trim().parse::<i64>().ok().map(Value::from),
        (T::Decimal, Value::String(text)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        _ => None,
    };
    coerced.ok_or_else(|| mismatch(attribute, value, label))
}

fn parse_boolean(text: &str) -> Option<bool> {
    match text.trim() {
        t if t.eq_ignore_ascii_case("true") => Some(true),
        t if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn mismatch(attribute: &Attribute, value: &Value, label: &str) -> ScimError {
    ScimError::invalid_value(format!(
        "`{label}` expects a {} value, not {value}",
        attribute.r#type.as_str()
    ))
}
