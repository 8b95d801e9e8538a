//! Typed comparison of attribute values, shared by filtering, sorting and PATCH: text is
//! case-folded unless the attribute is `caseExact`, date-times compare chronologically and
//! numbers numerically (RFC 7644 §3.4.2.2 and §3.4.2.3).

use std::borrow::Cow;
use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::{Number, Value};

use crate::schema::{Attribute, AttributeType};

/// A simple value read through its attribute's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'v> {
    /// Already lower-cased when the attribute is not `caseExact`.
    Text(Cow<'v, str>),
    Number(&'v Number),
    Boolean(bool),
    Instant(DateTime<FixedOffset>),
}

impl<'v> Scalar<'v> {
    /// `None` when the value does not have the attribute's type (or the attribute is complex).
    pub fn of(attribute: &Attribute, value: &'v Value) -> Option<Self> {
        use AttributeType as T;
        match (attribute.r#type, value) {
            (T::String | T::Reference | T::Binary, Value::String(text)) => {
                Some(Self::Text(if attribute.case_exact {
                    Cow::Borrowed(text)
                } else {
                    Cow::Owned(text.to_lowercase())
                }))
            }
            (T::DateTime, Value::String(text)) => {
                DateTime::parse_from_rfc3339(text).ok().map(Self::Instant)
            }
            (T::Boolean, Value::Bool(flag)) => Some(Self::Boolean(*flag)),
            (T::Integer | T::Decimal, Value::Number(number)) => Some(Self::Number(number)),
            _ => None,
        }
    }

    /// The order of two values of the same type; `None` across types.
    pub fn order(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Self::Text(a), Self::Text(b)) => Some(a.cmp(b)),
            (Self::Number(a), Self::Number(b)) => compare_numbers(a, b),
            (Self::Boolean(a), Self::Boolean(b)) => Some(a.cmp(b)),
            (Self::Instant(a), Self::Instant(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// Exact for integers, which `f64` would round beyond 2^53.
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Whether two values of `attribute` are the same value: typed equality for simple values,
/// JSON equality otherwise.
pub(crate) fn same_value(attribute: &Attribute, a: &Value, b: &Value) -> bool {
    match (Scalar::of(attribute, a), Scalar::of(attribute, b)) {
        (Some(a), Some(b)) => a.order(&b) == Some(Ordering::Equal),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attribute(definition: Value) -> Attribute {
        serde_json::from_value(definition).expect("valid attribute")
    }

    #[test]
    fn text_compares_case_insensitively_unless_case_exact() {
        let loose = attribute(json!({"name": "a"}));
        let exact = attribute(json!({"name": "a", "caseExact": true}));
        assert!(same_value(&loose, &json!("ABC"), &json!("abc")));
        assert!(!same_value(&exact, &json!("ABC"), &json!("abc")));
    }

    #[test]
    fn date_times_compare_chronologically() {
        let when = attribute(json!({"name": "a", "type": "dateTime"}));
        let early = json!("2011-05-13T06:42:34+02:00");
        let later = json!("2011-05-13T04:42:35Z");
        let (early, later) = (Scalar::of(&when, &early), Scalar::of(&when, &later));
        let order = early.zip(later).and_then(|(a, b)| a.order(&b));
        assert_eq!(order, Some(Ordering::Less));
    }

    #[test]
    fn numbers_compare_numerically_across_representations() {
        let number = attribute(json!({"name": "a", "type": "decimal"}));
        assert!(same_value(&number, &json!(2), &json!(2.0)));
        let (a, b) = (json!(9), json!(10));
        let order = Scalar::of(&number, &a)
            .zip(Scalar::of(&number, &b))
            .and_then(|(a, b)| a.order(&b));
        assert_eq!(order, Some(Ordering::Less));
    }

    #[test]
    fn values_of_the_wrong_type_have_no_scalar() {
        let flag = attribute(json!({"name": "a", "type": "boolean"}));
        assert_eq!(Scalar::of(&flag, &json!("true")), None);
        let when = attribute(json!({"name": "a", "type": "dateTime"}));
        assert_eq!(Scalar::of(&when, &json!("yesterday")), None);
    }
}
