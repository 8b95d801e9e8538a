//! The writes one PATCH operation makes at its target (RFC 7644 §3.5.2.1–3), with the
//! mutability rules of RFC 7643 §2.2 enforced where a value actually changes.
//!
//! Values are taken out of the resource, changed and put back; an error midway leaves a
//! half-written copy, which [`super::apply`] then discards.

use serde_json::Value;

use super::elements::{self, same_element, settle_primary};
use super::target::Target;
use super::{coerce, PatchOpKind};
use crate::compare::same_value;
use crate::error::ScimError;
use crate::filter::{matches_element, Filter};
use crate::resource::{self, entry, get, is_assigned, Object};
use crate::schema::{Attribute, Mutability};

/// How the operation reached its target, which decides what a read-only target means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// Named by the operation's `path`: writing a read-only attribute is refused.
    Path,
    /// A member of a path-less value object: read-only attributes (`id`, `meta`, `groups`)
    /// are skipped, because clients send back resources they have read.
    ValueMember,
}

pub(super) fn apply(
    root: &mut Object,
    kind: PatchOpKind,
    target: &Target<'_, '_>,
    value: Option<&Value>,
    origin: Origin,
) -> Result<(), ScimError> {
    if target.attribute.mutability == Mutability::ReadOnly
        || target.leaf().mutability == Mutability::ReadOnly
    {
        return match origin {
            Origin::ValueMember => Ok(()),
            Origin::Path => Err(ScimError::mutability(format!(
                "`{}` is read-only",
                target.label
            ))),
        };
    }
    let container = container_mut(root, target.extension);
    if kind == PatchOpKind::Remove {
        return remove(container, target, value);
    }
    let value = value.ok_or_else(|| {
        ScimError::invalid_value(format!("`{kind}` of `{}` needs a value", target.label))
    })?;
    match (target.filter, target.sub_attribute) {
        (None, None) => write_attribute(container, kind, target, value),
        (None, Some(sub)) => write_sub_attribute(container, target, sub, value),
        (Some(filter), _) => write_selected(container, kind, target, filter, value),
    }
}

/// `add` or `replace` of a whole attribute.
fn write_attribute(
    container: &mut Object,
    kind: PatchOpKind,
    target: &Target<'_, '_>,
    value: &Value,
) -> Result<(), ScimError> {
    let (attribute, label) = (target.attribute, target.label.as_str());
    if attribute.multi_valued {
        let incoming = coerce::values(attribute, value, label)?;
        return match kind {
            PatchOpKind::Add => add_values(container, attribute, incoming, label),
            _ => replace_values(container, attribute, incoming, label),
        };
    }
    if attribute.is_complex() && !value.is_null() {
        // RFC 7644 §3.5.2.1 and §3.5.2.3 agree: both set the sub-attributes given and leave
        // the others as they were.
        let incoming = coerce::complex(attribute, value, label)?;
        let before = get(container, &attribute.name).cloned();
        let mut object = take_object(container, attribute);
        merge_members(&mut object, attribute, incoming, label)?;
        let merged = Value::Object(object);
        guard_unchanged(attribute, before.as_ref(), &merged, label)?;
        container.insert(attribute.name.clone(), merged);
        return Ok(());
    }
    let coerced = coerce::value(attribute, value, label)?;
    set_member(container, attribute, coerced, label)
}

/// `add` to a multi-valued attribute appends; a value already present is not added again, but
/// what the new copy adds to it (say `primary`) is merged in.
fn add_values(
    container: &mut Object,
    attribute: &Attribute,
    incoming: Vec<Value>,
    label: &str,
) -> Result<(), ScimError> {
    let mut items = take_values(container, attribute);
    let mut written = Vec::new();
    for new in incoming {
        match items
            .iter()
            .position(|existing| same_element(attribute, existing, &new))
        {
            Some(index) => {
                if let (Some(existing), Value::Object(members)) =
                    (items[index].as_object_mut(), new)
                {
                    merge_members(existing, attribute, members, label)?;
                }
                written.push(index);
            }
            None => {
                items.push(new);
                written.push(items.len() - 1);
            }
        }
    }
    settle_primary(&mut items, &written);
    put_values(container, attribute, items);
    Ok(())
}

/// `replace` of a multi-valued attribute without a filter replaces all its values.
fn replace_values(
    container: &mut Object,
    attribute: &Attribute,
    mut incoming: Vec<Value>,
    label: &str,
) -> Result<(), ScimError> {
    let all: Vec<usize> = (0..incoming.len()).collect();
    settle_primary(&mut incoming, &all);
    let replacement = Value::Array(incoming);
    guard_unchanged(
        attribute,
        get(container, &attribute.name),
        &replacement,
        label,
    )?;
    set_member(container, attribute, replacement, label)
}

/// `name.familyName` sets one member. On a multi-valued attribute (`emails.type`) it sets that
/// member of every value, or creates a value holding it when there is none.
fn write_sub_attribute(
    container: &mut Object,
    target: &Target<'_, '_>,
    sub: &Attribute,
    value: &Value,
) -> Result<(), ScimError> {
    let (attribute, label) = (target.attribute, target.label.as_str());
    let coerced = coerce::value(sub, value, label)?;
    if !attribute.multi_valued {
        let mut object = take_object(container, attribute);
        set_member(&mut object, sub, coerced, label)?;
        container.insert(attribute.name.clone(), Value::Object(object));
        return Ok(());
    }
    let mut items = take_values(container, attribute);
    if items.is_empty() {
        items.push(Value::Object(Object::new()));
    }
    for element in items.iter_mut().filter_map(Value::as_object_mut) {
        set_member(element, sub, coerced.clone(), label)?;
    }
    let all: Vec<usize> = (0..items.len()).collect();
    settle_primary(&mut items, &all);
    put_values(container, attribute, items);
    Ok(())
}

/// `add` or `replace` at `attr[filter]` or `attr[filter].sub`. On the selected values, `add`
/// merges the given members, `replace` replaces each value whole (RFC 7644 §3.5.2.3), and a
/// trailing sub-attribute is set on each.
fn write_selected(
    container: &mut Object,
    kind: PatchOpKind,
    target: &Target<'_, '_>,
    filter: &Filter,
    value: &Value,
) -> Result<(), ScimError> {
    let (attribute, label) = (target.attribute, target.label.as_str());
    let mut items = take_values(container, attribute);
    let selected = select(&items, attribute, filter);
    let written = if selected.is_empty() {
        items.push(Value::Object(create_selected(target, filter, value)?));
        vec![items.len() - 1]
    } else {
        let coerced = match target.sub_attribute {
            Some(sub) => coerce::value(sub, value, label)?,
            None => Value::Object(coerce::complex(attribute, value, label)?),
        };
        for &index in &selected {
            let Some(element) = items[index].as_object_mut() else {
                continue;
            };
            match (target.sub_attribute, kind, &coerced) {
                (Some(sub), _, _) => set_member(element, sub, coerced.clone(), label)?,
                (None, PatchOpKind::Add, Value::Object(members)) => {
                    merge_members(element, attribute, members.clone(), label)?;
                }
                (None, _, Value::Object(members)) => *element = members.clone(),
                (None, _, _) => {}
            }
        }
        selected
    };
    settle_primary(&mut items, &written);
    put_values(container, attribute, items);
    Ok(())
}

/// RFC 7644 §3.5.2 answers a value filter that matches nothing with `noTarget`. Microsoft Entra
/// ID, however, sends `replace` (or `add`) of `emails[type eq "work"].value` to set a user's
/// first work address, and expects it to be created. A filter of `eq` comparisons joined by
/// `and` describes exactly one value, so for both operations we create it; any other filter
/// keeps the RFC's `noTarget`.
fn create_selected(
    target: &Target<'_, '_>,
    filter: &Filter,
    value: &Value,
) -> Result<Object, ScimError> {
    let (attribute, label) = (target.attribute, target.label.as_str());
    let Some(mut element) = elements::described_by(filter, attribute, label)? else {
        return Err(ScimError::no_target(format!("`{label}` matches no value")));
    };
    match target.sub_attribute {
        Some(sub) => set_member(&mut element, sub, coerce::value(sub, value, label)?, label)?,
        None => merge_members(
            &mut element,
            attribute,
            coerce::complex(attribute, value, label)?,
            label,
        )?,
    }
    Ok(element)
}

fn remove(
    container: &mut Object,
    target: &Target<'_, '_>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let (attribute, label) = (target.attribute, target.label.as_str());
    match (target.filter, target.sub_attribute) {
        (Some(filter), sub) => remove_selected(container, attribute, filter, sub, label),
        (None, Some(sub)) => {
            let Some(slot) = resource::get_mut(container, &attribute.name) else {
                return Ok(());
            };
            for element in objects_mut(slot) {
                remove_member(element, sub, label)?;
            }
            Ok(())
        }
        (None, None) => match value.filter(|v| !v.is_null()) {
            Some(listed) if attribute.multi_valued => {
                remove_listed(container, attribute, listed, label)
            }
            _ => remove_member(container, attribute, label),
        },
    }
}

/// Removing with a value filter that matches nothing succeeds without change: the RFC defines
/// `noTarget` for it, but the client's goal (the value gone) already holds, and identity
/// providers retrying a member removal should not fail on it.
fn remove_selected(
    container: &mut Object,
    attribute: &Attribute,
    filter: &Filter,
    sub: Option<&Attribute>,
    label: &str,
) -> Result<(), ScimError> {
    let mut items = take_values(container, attribute);
    let selected = select(&items, attribute, filter);
    match sub {
        Some(sub) => {
            for &index in &selected {
                if let Some(element) = items[index].as_object_mut() {
                    remove_member(element, sub, label)?;
                }
            }
        }
        None => {
            if !selected.is_empty() {
                ensure_values_removable(attribute, label)?;
            }
            let mut index = 0;
            items.retain(|_| {
                index += 1;
                !selected.contains(&(index - 1))
            });
        }
    }
    put_values(container, attribute, items);
    Ok(())
}

/// Microsoft Entra ID removes group members with `path: "members"` and the members as `value`
/// instead of a value filter: the listed values are removed, the others kept.
fn remove_listed(
    container: &mut Object,
    attribute: &Attribute,
    listed: &Value,
    label: &str,
) -> Result<(), ScimError> {
    let listed = coerce::values(attribute, listed, label)?;
    let mut items = take_values(container, attribute);
    let before = items.len();
    items.retain(|item| {
        !listed
            .iter()
            .any(|gone| same_element(attribute, item, gone))
    });
    if items.len() != before {
        ensure_values_removable(attribute, label)?;
    }
    put_values(container, attribute, items);
    Ok(())
}

/// Indices of the values a filter selects (values that are not objects never match).
fn select(items: &[Value], attribute: &Attribute, filter: &Filter) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.is_object() && matches_element(filter, item, attribute))
        .map(|(index, _)| index)
        .collect()
}

fn merge_members(
    object: &mut Object,
    attribute: &Attribute,
    incoming: Object,
    label: &str,
) -> Result<(), ScimError> {
    for (name, value) in incoming {
        // Names come from `coerce::complex`, which only keeps defined sub-attributes.
        if let Some(sub) = attribute.sub_attribute(&name) {
            set_member(object, sub, value, &format!("{label}.{name}"))?;
        }
    }
    Ok(())
}

/// Sets (or with `null`, clears) one member of an object under its canonical name.
fn set_member(
    object: &mut Object,
    attribute: &Attribute,
    value: Value,
    label: &str,
) -> Result<(), ScimError> {
    guard_unchanged(attribute, get(object, &attribute.name), &value, label)?;
    if value.is_null() {
        resource::remove(object, &attribute.name);
    } else {
        resource::insert(object, &attribute.name, value);
    }
    Ok(())
}

fn remove_member(object: &mut Object, attribute: &Attribute, label: &str) -> Result<(), ScimError> {
    set_member(object, attribute, Value::Null, label)
}

/// RFC 7643 §2.2: an `immutable` attribute may be written while unassigned, and rewritten with
/// the value it has, but never changed or cleared.
fn guard_unchanged(
    attribute: &Attribute,
    current: Option<&Value>,
    new: &Value,
    label: &str,
) -> Result<(), ScimError> {
    let changes_assigned_value = attribute.mutability == Mutability::Immutable
        && current
            .is_some_and(|current| is_assigned(current) && !same_value(attribute, current, new));
    if changes_assigned_value {
        return Err(ScimError::mutability(format!(
            "`{label}` is immutable and already set"
        )));
    }
    Ok(())
}

/// New values may be added to an immutable multi-valued attribute, existing ones not removed.
fn ensure_values_removable(attribute: &Attribute, label: &str) -> Result<(), ScimError> {
    if attribute.mutability == Mutability::Immutable {
        return Err(ScimError::mutability(format!(
            "`{label}` is immutable; values cannot be removed"
        )));
    }
    Ok(())
}

/// The object holding the target: the resource itself or its extension object (created empty,
/// since the write may be the extension's first attribute).
fn container_mut<'r>(root: &'r mut Object, extension: Option<&str>) -> &'r mut Object {
    let Some(urn) = extension else {
        return root;
    };
    let slot = entry(root, urn);
    if !slot.is_object() {
        *slot = Value::Object(Object::new());
    }
    slot.as_object_mut()
        .expect("the slot was just made an object")
}

/// The attribute's values, taken out of the container (a lone value counts as one).
fn take_values(container: &mut Object, attribute: &Attribute) -> Vec<Value> {
    match resource::remove(container, &attribute.name) {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => Vec::new(),
        Some(single) => vec![single],
    }
}

fn put_values(container: &mut Object, attribute: &Attribute, items: Vec<Value>) {
    if !items.is_empty() {
        container.insert(attribute.name.clone(), Value::Array(items));
    }
}

/// The complex attribute's object, taken out of the container (empty if it had none).
fn take_object(container: &mut Object, attribute: &Attribute) -> Object {
    match resource::remove(container, &attribute.name) {
        Some(Value::Object(members)) => members,
        _ => Object::new(),
    }
}

/// The objects a complex attribute holds: its one value, or each of its values.
fn objects_mut(slot: &mut Value) -> Vec<&mut Object> {
    match slot {
        Value::Object(members) => vec![members],
        Value::Array(items) => items.iter_mut().filter_map(Value::as_object_mut).collect(),
        _ => Vec::new(),
    }
}
