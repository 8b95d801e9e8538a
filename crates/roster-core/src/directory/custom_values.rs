//! The rule that a custom field value fits its field's type, and checking a list of changes.

use std::collections::HashSet;

use serde_json::Value;

use crate::command::CustomValueChange;
use crate::error::{DomainResult, FieldErrors};
use crate::id::TenantId;
use crate::model::CustomField;
use crate::store::Session;
use crate::values::{FieldEntity, FieldType};

/// Checks custom value changes of an entity: each field exists in the tenant, belongs to `entity`,
/// appears once, and each value fits the field's type (and is put in its stored form). Failures go
/// into `errors`, named `<list>[i].field_id` / `<list>[i].field_value`.
pub(super) async fn check_custom_values(
    session: &mut dyn Session,
    tenant: &TenantId,
    entity: FieldEntity,
    changes: &mut [CustomValueChange],
    list: &str,
    errors: &mut FieldErrors,
) -> DomainResult<()> {
    let mut seen = HashSet::new();
    for (index, change) in changes.iter_mut().enumerate() {
        let at = |part: &str| format!("{list}[{index}].{part}");
        if !seen.insert(change.field_id.clone()) {
            errors.body(at("field_id"), "the same field is given more than once");
            continue;
        }
        let field = match session.custom_field(tenant, &change.field_id).await? {
            Some(field) if field.entity == entity => field,
            Some(field) => {
                errors.body(
                    at("field_id"),
                    format!(
                        "this custom field belongs to {}, not {}",
                        field.entity.group_key(),
                        entity.group_key()
                    ),
                );
                continue;
            }
            None => {
                errors.body(at("field_id"), "no custom field with this id exists");
                continue;
            }
        };
        if let Some(value) = &mut change.value {
            match check_custom_value(&field, value) {
                Ok(stored) => *value = stored,
                Err(reason) => errors.body(at("field_value"), reason),
            }
        }
    }
    Ok(())
}

/// The value as stored, if it fits `field`: text is a string; a number is a JSON number or a string
/// holding one; a date is `YYYY-MM-DD` or an RFC 3339 date-time; a bool is `true`/`false` (or the
/// strings); a select value is one of the field's options.
pub fn check_custom_value(field: &CustomField, value: &Value) -> Result<Value, String> {
    match (field.field_type, value) {
        (FieldType::Text, Value::String(text)) if text.chars().count() <= 4096 => Ok(value.clone()),
        (FieldType::Text, Value::String(_)) => Err("must be at most 4096 characters".into()),
        (FieldType::Text, _) => Err("must be a string (the field's type is text)".into()),
        (FieldType::Number, Value::Number(_)) => Ok(value.clone()),
        (FieldType::Number, Value::String(text)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "must be a number (the field's type is number)".into()),
        (FieldType::Number, _) => Err("must be a number (the field's type is number)".into()),
        (FieldType::Date, Value::String(text)) if is_date(text) => Ok(value.clone()),
        (FieldType::Date, _) => {
            Err("must be a date, YYYY-MM-DD or RFC 3339 (the field's type is date)".into())
        }
        (FieldType::Bool, Value::Bool(_)) => Ok(value.clone()),
        (FieldType::Bool, Value::String(text)) if text == "true" || text == "false" => {
            Ok(Value::Bool(text == "true"))
        }
        (FieldType::Bool, _) => Err("must be true or false (the field's type is bool)".into()),
        (FieldType::Select, Value::String(text)) if field.options.contains(text) => {
            Ok(value.clone())
        }
        (FieldType::Select, _) => Err(format!(
            "must be one of the field's options: {}",
            field.options.join(", ")
        )),
    }
}

fn is_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// The text a stored value is compared as when filtering (`"India"`, `"42"`, `"true"`). A whole
/// number is written without a fraction, however it was sent (`42`, `42.0`, `"42"`), so that one
/// filter finds it.
pub fn value_as_filter_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => match number.as_f64() {
            // Up to 2^53, where every whole f64 is exact (and -0.0 is 0).
            Some(float)
                if number.is_f64()
                    && float.fract() == 0.0
                    && float.abs() <= 9.007_199_254_740_992e15 =>
            {
                (float as i64).to_string()
            }
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{CustomFieldId, TenantId};
    use crate::values::FieldEntity;
    use serde_json::json;

    fn field(field_type: FieldType, options: &[&str]) -> CustomField {
        CustomField {
            id: CustomFieldId::generate(),
            tenant_id: TenantId::generate(),
            name: "f".into(),
            field_type,
            options: options.iter().map(|s| s.to_string()).collect(),
            entity: FieldEntity::User,
            created_at: crate::model::now(),
            updated_at: crate::model::now(),
        }
    }

    #[test]
    fn custom_field_value_must_fit_text() {
        assert!(check_custom_value(&field(FieldType::Text, &[]), &json!("x")).is_ok());
        assert!(check_custom_value(&field(FieldType::Text, &[]), &json!(3)).is_err());
    }

    #[test]
    fn custom_field_value_must_fit_number() {
        let number = field(FieldType::Number, &[]);
        assert_eq!(check_custom_value(&number, &json!(2.5)), Ok(json!(2.5)));
        assert_eq!(check_custom_value(&number, &json!("7")), Ok(json!(7.0)));
        assert!(check_custom_value(&number, &json!("seven")).is_err());
        assert!(check_custom_value(&number, &json!(true)).is_err());
    }

    #[test]
    fn a_whole_number_is_filtered_as_one_text_however_it_was_sent() {
        for value in [json!(42), json!(42.0)] {
            assert_eq!(value_as_filter_text(&value), "42");
        }
        assert_eq!(value_as_filter_text(&json!(2.5)), "2.5");
        assert_eq!(value_as_filter_text(&json!(-3.0)), "-3");
        assert_eq!(value_as_filter_text(&json!(-0.0)), "0");
        assert_eq!(
            value_as_filter_text(&json!(1e300)),
            json!(1e300).to_string()
        );
        assert_eq!(value_as_filter_text(&json!("7.0")), "7.0");
    }

    #[test]
    fn custom_field_value_must_fit_date() {
        let date = field(FieldType::Date, &[]);
        assert!(check_custom_value(&date, &json!("2024-02-29")).is_ok());
        assert!(check_custom_value(&date, &json!("2024-02-30")).is_err());
        assert!(check_custom_value(&date, &json!("2024-02-01T10:00:00Z")).is_ok());
    }

    #[test]
    fn custom_field_value_must_fit_bool() {
        let flag = field(FieldType::Bool, &[]);
        assert_eq!(check_custom_value(&flag, &json!("true")), Ok(json!(true)));
        assert!(check_custom_value(&flag, &json!(1)).is_err());
    }

    #[test]
    fn custom_field_value_must_be_a_select_option() {
        let select = field(FieldType::Select, &["India", "France"]);
        assert!(check_custom_value(&select, &json!("India")).is_ok());
        let error = check_custom_value(&select, &json!("Spain")).expect_err("not an option");
        assert!(error.contains("India, France"));
    }
}
