//! Reading a JSON object field by field, collecting every failure instead of stopping at the first.
//! Dialects use it to lower a request body to a core command; it knows JSON types, not domain rules
//! (those come in as the `parse` functions of the domain's types).

use std::fmt::Display;

use roster_core::{FieldErrors, Patch};
use serde_json::{Map, Value};

/// The fields of one JSON object, consumed as they are read; what is left over is unknown.
#[derive(Debug)]
pub struct JsonFields<'e> {
    map: Map<String, Value>,
    prefix: String,
    errors: &'e mut FieldErrors,
}

impl<'e> JsonFields<'e> {
    /// The body's fields; `None` (with the error recorded) when the body is not an object.
    pub fn of_body(body: Value, errors: &'e mut FieldErrors) -> Option<Self> {
        match body {
            Value::Object(map) => Some(Self {
                map,
                prefix: String::new(),
                errors,
            }),
            _ => {
                errors.body("body", "must be a JSON object");
                None
            }
        }
    }

    /// The full name of a field, as the client would write its path.
    pub fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    pub fn error(&mut self, field: &str, reason: impl Into<String>) {
        let name = self.name(field);
        self.errors.body(name, reason);
    }

    /// Records an error on a field named in full (not relative to this object).
    pub fn error_at(&mut self, full_name: &str, reason: &str) {
        self.errors.body(full_name, reason);
    }

    /// Whether the client sent this field at all.
    pub fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    /// The raw value, if present.
    pub fn take(&mut self, field: &str) -> Option<Value> {
        self.map.remove(field)
    }

    /// A string field that must be present and valid.
    pub fn required<T, E: Display>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        if !self.has(field) {
            self.error(field, "is required");
            return None;
        }
        self.set(field, parse)
    }

    /// A string field that may be absent but not null (a required attribute being updated).
    pub fn set<T, E: Display>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match self.take(field)? {
            Value::String(text) => self.parsed(field, &text, parse),
            Value::Null => {
                self.error(field, "must not be null");
                None
            }
            _ => {
                self.error(field, "must be a string");
                None
            }
        }
    }

    /// A string field that may be absent (unchanged), null (cleared) or a value.
    pub fn patch<T, E: Display>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Patch<T> {
        self.patch_of(
            field,
            "must be a string or null",
            parse,
            |value| match value {
                Value::String(text) => Some(text.clone()),
                _ => None,
            },
        )
    }

    /// A number field that may be absent (unchanged), null (cleared) or a number, parsed from its
    /// JSON text as written (so `9.99` stays exactly 9.99).
    pub fn number<T, E: Display>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Patch<T> {
        self.patch_of(
            field,
            "must be a number or null",
            parse,
            |value| match value {
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            },
        )
    }

    /// A field that may be absent, null, or a value whose JSON `text` is parsed.
    fn patch_of<T, E: Display>(
        &mut self,
        field: &str,
        wrong_type: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
        text: impl FnOnce(&Value) -> Option<String>,
    ) -> Patch<T> {
        match self.take(field) {
            None => Patch::Unchanged,
            Some(Value::Null) => Patch::Clear,
            Some(value) => match text(&value) {
                Some(text) => self
                    .parsed(field, &text, parse)
                    .map_or(Patch::Unchanged, Patch::Set),
                None => {
                    self.error(field, wrong_type);
                    Patch::Unchanged
                }
            },
        }
    }

    /// A boolean field that may be absent but not null.
    pub fn bool(&mut self, field: &str) -> Option<bool> {
        match self.take(field)? {
            Value::Bool(flag) => Some(flag),
            _ => {
                self.error(field, "must be a boolean");
                None
            }
        }
    }

    /// A non-negative integer field that may be absent.
    pub fn integer(&mut self, field: &str) -> Option<u64> {
        match self.take(field)? {
            Value::Number(number) if number.as_u64().is_some() => number.as_u64(),
            _ => {
                self.error(field, "must be a non-negative integer");
                None
            }
        }
    }

    /// An array field that may be absent but not null.
    pub fn array(&mut self, field: &str) -> Option<Vec<Value>> {
        match self.take(field)? {
            Value::Array(items) => Some(items),
            _ => {
                self.error(field, "must be an array");
                None
            }
        }
    }

    /// An array of strings, each parsed; `field[i]` names a bad entry.
    pub fn string_array<T, E: Display>(
        &mut self,
        field: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<Vec<T>> {
        let items = self.array(field)?;
        let mut values = Vec::with_capacity(items.len());
        let mut ok = true;
        for (index, item) in items.into_iter().enumerate() {
            let at = format!("{field}[{index}]");
            match item {
                Value::String(text) => match parse(&text) {
                    Ok(value) => values.push(value),
                    Err(reason) => {
                        self.error(&at, reason.to_string());
                        ok = false;
                    }
                },
                _ => {
                    self.error(&at, "must be a string");
                    ok = false;
                }
            }
        }
        ok.then_some(values)
    }

    /// An array of strings like [`Self::string_array`], where `null` means the empty list (a set
    /// that is cleared).
    pub fn string_array_or_null<T, E: Display>(
        &mut self,
        field: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<Vec<T>> {
        if self.map.get(field).is_some_and(Value::is_null) {
            self.map.remove(field);
            return Some(Vec::new());
        }
        self.string_array(field, parse)
    }

    /// A nested object read with the same rules; its fields are named `field.name`. Absent → `None`;
    /// null → `Some(None)`; an object → `Some(Some(fields))`.
    pub fn object(&mut self, field: &str) -> Option<Option<JsonFields<'_>>> {
        let prefix = format!("{}.", self.name(field));
        match self.take(field)? {
            Value::Object(map) => Some(Some(JsonFields {
                map,
                prefix,
                errors: self.errors,
            })),
            Value::Null => Some(None),
            _ => {
                self.error(field, "must be an object or null");
                None
            }
        }
    }

    /// An object in an array, for reading `field[i].name`.
    pub fn element<'a>(
        item: Value,
        name: String,
        errors: &'a mut FieldErrors,
    ) -> Option<JsonFields<'a>> {
        match item {
            Value::Object(map) => Some(JsonFields {
                map,
                prefix: format!("{name}."),
                errors,
            }),
            _ => {
                errors.body(name, "must be an object");
                None
            }
        }
    }

    /// Reports every field that was not read as unknown (they are usually typos).
    pub fn deny_unknown(self) {
        let mut unknown: Vec<String> = self.map.keys().cloned().collect();
        unknown.sort();
        for field in unknown {
            self.errors
                .body(format!("{}{field}", self.prefix), "is not a known field");
        }
    }

    fn parsed<T, E: Display>(
        &mut self,
        field: &str,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(text) {
            Ok(value) => Some(value),
            Err(reason) => {
                self.error(field, reason.to_string());
                None
            }
        }
    }
}

/// Keeps text as it is (for fields with no rule beyond being a string).
pub fn any_text(text: &str) -> Result<String, std::convert::Infallible> {
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_failing_field_is_reported() {
        let mut errors = FieldErrors::new();
        let mut fields = JsonFields::of_body(json!({"a": 1, "b": null, "typo": true}), &mut errors)
            .expect("object");
        assert_eq!(fields.set("a", any_text), None);
        assert_eq!(fields.set("b", any_text), None);
        fields.deny_unknown();
        let names: Vec<_> = errors.iter().map(|e| e.field.clone()).collect();
        assert_eq!(names, ["a", "b", "typo"]);
    }

    #[test]
    fn patch_distinguishes_absent_null_and_value() {
        let mut errors = FieldErrors::new();
        let mut fields =
            JsonFields::of_body(json!({"n": null, "v": "x"}), &mut errors).expect("object");
        assert_eq!(fields.patch("absent", any_text), Patch::Unchanged);
        assert_eq!(fields.patch("n", any_text), Patch::Clear);
        assert_eq!(fields.patch("v", any_text), Patch::Set("x".to_owned()));
        assert!(errors.is_empty());
    }

    #[test]
    fn nested_fields_are_named_with_their_path() {
        let mut errors = FieldErrors::new();
        let mut fields = JsonFields::of_body(json!({"o": {"k": 3}}), &mut errors).expect("object");
        if let Some(Some(mut inner)) = fields.object("o") {
            inner.set("k", any_text);
        }
        assert_eq!(errors.iter().next().map(|e| e.field.as_str()), Some("o.k"));
    }
}
