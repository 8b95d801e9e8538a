//! Rules about the values of multi-valued attributes: when two are the same value, which one is
//! primary, and what a value filter says about a value to create.

use serde_json::Value;

use super::coerce;
use crate::compare::same_value;
use crate::error::ScimError;
use crate::filter::{CompareOp, Filter};
use crate::resource::{get, get_mut, Object};
use crate::schema::Attribute;

/// Whether `new` is a value the attribute already holds as `existing`, so adding it changes
/// nothing new (RFC 7644 §3.5.2.1). Complex values are identified by their `value`
/// sub-attribute, and by `type` when both give one: adding `{"value": "id"}` to a group that has
/// `{"value": "id", "display": "Babs"}` does not make Babs a member twice.
pub(super) fn same_element(attribute: &Attribute, existing: &Value, new: &Value) -> bool {
    let (Some(existing), Some(new), Some(value)) = (
        existing.as_object(),
        new.as_object(),
        attribute.sub_attribute("value"),
    ) else {
        return same_value(attribute, existing, new);
    };
    let same = |sub: &Attribute| match (get(existing, &sub.name), get(new, &sub.name)) {
        (Some(a), Some(b)) => Some(same_value(sub, a, b)),
        _ => None,
    };
    let type_agrees = attribute
        .sub_attribute("type")
        .and_then(same)
        .unwrap_or(true);
    same(value) == Some(true) && type_agrees
}

/// RFC 7643 §2.4: `primary: true` may mark one value only. When a written value claims it,
/// the last such value written keeps it and the others lose it.
pub(super) fn settle_primary(items: &mut [Value], written: &[usize]) {
    let Some(&winner) = written
        .iter()
        .rev()
        .find(|&&index| is_primary(&items[index]))
    else {
        return;
    };
    for (index, item) in items.iter_mut().enumerate() {
        if index == winner {
            continue;
        }
        if let Some(primary) = item.as_object_mut().and_then(|m| get_mut(m, "primary")) {
            if *primary == Value::Bool(true) {
                *primary = Value::Bool(false);
            }
        }
    }
}

fn is_primary(item: &Value) -> bool {
    item.as_object().and_then(|members| get(members, "primary")) == Some(&Value::Bool(true))
}

/// The value a filter of `eq` comparisons joined by `and` describes (`type eq "work"` gives
/// `{"type": "work"}`), or `None` when the filter is any other shape and so names no single value.
pub(super) fn described_by(
    filter: &Filter,
    attribute: &Attribute,
    label: &str,
) -> Result<Option<Object>, ScimError> {
    let mut element = Object::new();
    Ok(collect_equalities(filter, attribute, label, &mut element)?.then_some(element))
}

fn collect_equalities(
    filter: &Filter,
    attribute: &Attribute,
    label: &str,
    element: &mut Object,
) -> Result<bool, ScimError> {
    match filter {
        Filter::And(left, right) => Ok(collect_equalities(left, attribute, label, element)?
            && collect_equalities(right, attribute, label, element)?),
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } if path.uri.is_none() && path.sub_attribute.is_none() => {
            let Some(sub) = attribute.sub_attribute(&path.attribute) else {
                return Ok(false);
            };
            element.insert(sub.name.clone(), coerce::value(sub, value, label)?);
            Ok(true)
        }
        _ => Ok(false),
    }
}
