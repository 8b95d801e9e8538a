//! Filter evaluation (RFC 7644 §3.4.2.2). Every error a filter can have depends on the schema
//! alone, so [`check`] finds them all up front and [`eval`] cannot fail: an error never depends
//! on which resource a scan happens to meet first.

use std::cmp::Ordering;

use serde_json::Value;

use super::{CompareOp, Filter};
use crate::compare::Scalar;
use crate::error::ScimError;
use crate::path::AttrPath;
use crate::resource::{is_assigned, values};
use crate::schema::{Attribute, AttributeType, Resolved, ResourceSchema};

/// What a filter's paths are relative to: a resource, or one value of a complex attribute
/// (inside `emails[...]`, where `type` means `emails.type`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'s> {
    Resource(&'s ResourceSchema),
    Element(&'s Attribute),
}

impl<'s> Scope<'s> {
    fn resolve(&self, path: &AttrPath) -> Option<Resolved<'s>> {
        match self {
            Self::Resource(schema) => schema.resolve(path),
            // Sub-attributes are never complex (RFC 7643 §2.3.8), so one name is the whole path.
            Self::Element(parent) => {
                if path.uri.is_some() || path.sub_attribute.is_some() {
                    return None;
                }
                let attribute = parent.sub_attribute(&path.attribute)?;
                Some(Resolved {
                    extension: None,
                    attribute,
                    sub_attribute: None,
                })
            }
        }
    }
}

/// Whether one value of the complex attribute `parent` satisfies `filter` (a value filter).
pub(crate) fn matches_element(filter: &Filter, element: &Value, parent: &Attribute) -> bool {
    eval(filter, element, &Scope::Element(parent))
}

pub(crate) fn check(filter: &Filter, scope: &Scope<'_>) -> Result<(), ScimError> {
    match filter {
        Filter::And(left, right) | Filter::Or(left, right) => {
            check(left, scope)?;
            check(right, scope)
        }
        Filter::Not(inner) => check(inner, scope),
        Filter::Present(_) => Ok(()),
        Filter::Compare { path, op, value } => match scope.resolve(path) {
            None => Ok(()),
            Some(resolved) => check_comparison(path, resolved, *op, value),
        },
        Filter::ValuePath { path, filter } => match scope.resolve(path) {
            None => Ok(()),
            Some(resolved) if resolved.leaf().is_complex() => {
                check(filter, &Scope::Element(resolved.leaf()))
            }
            Some(_) => Err(ScimError::invalid_filter(format!(
                "`{path}` is not a complex attribute, so it takes no value filter"
            ))),
        },
    }
}

fn check_comparison(
    path: &AttrPath,
    resolved: Resolved<'_>,
    op: CompareOp,
    value: &Value,
) -> Result<(), ScimError> {
    let refuse = |reason: String| Err(ScimError::invalid_filter(reason));
    if resolved.leaf().is_complex() && op.is_ordering() {
        return refuse(format!(
            "`{path}` is complex; `{op}` orders simple attributes only"
        ));
    }
    let Some(compared) = resolved.compared() else {
        return refuse(format!(
            "`{path}` is complex and has no `value` sub-attribute to compare"
        ));
    };
    let attribute = compared.leaf();
    let kind = attribute.r#type.as_str();
    if op.is_ordering()
        && matches!(
            attribute.r#type,
            AttributeType::Boolean | AttributeType::Binary
        )
    {
        return refuse(format!("`{op}` cannot order `{path}`, a {kind} attribute"));
    }
    if op.is_substring() && !attribute.is_textual() {
        return refuse(format!(
            "`{op}` applies to strings only; `{path}` is a {kind} attribute"
        ));
    }
    if value.is_null() {
        return match op {
            CompareOp::Eq | CompareOp::Ne => Ok(()),
            _ => refuse(format!("`{op}` cannot compare with null")),
        };
    }
    if Scalar::of(attribute, value).is_none() {
        return refuse(format!(
            "{value} is not a {kind} value, as `{path}` requires"
        ));
    }
    Ok(())
}

/// Evaluates a [`check`]ed filter. Unknown attributes match nothing: RFC 7644 does not make them
/// an error, and a resource simply has no value for them.
pub(crate) fn eval(filter: &Filter, node: &Value, scope: &Scope<'_>) -> bool {
    match filter {
        Filter::And(left, right) => eval(left, node, scope) && eval(right, node, scope),
        Filter::Or(left, right) => eval(left, node, scope) || eval(right, node, scope),
        Filter::Not(inner) => !eval(inner, node, scope),
        Filter::Present(path) => scope
            .resolve(path)
            .is_some_and(|resolved| values(node, &resolved).into_iter().any(is_assigned)),
        Filter::Compare { path, op, value } => scope
            .resolve(path)
            .and_then(Resolved::compared)
            .is_some_and(|resolved| compare_values(node, resolved, *op, value)),
        Filter::ValuePath { path, filter } => scope.resolve(path).is_some_and(|resolved| {
            let element_scope = Scope::Element(resolved.leaf());
            values(node, &resolved)
                .into_iter()
                .any(|element| eval(filter, element, &element_scope))
        }),
    }
}

/// A multi-valued attribute matches when any of its values does; an absent one only matches
/// `ne`. Against `null`, `eq` means unassigned and `ne` assigned (RFC 7643 §2.5).
fn compare_values(node: &Value, resolved: Resolved<'_>, op: CompareOp, expected: &Value) -> bool {
    let actual = values(node, &resolved);
    if expected.is_null() {
        let assigned = actual.into_iter().any(is_assigned);
        return (op == CompareOp::Eq) != assigned;
    }
    if actual.is_empty() {
        return op == CompareOp::Ne;
    }
    let attribute = resolved.leaf();
    actual
        .into_iter()
        .any(|value| satisfies(attribute, value, op, expected))
}

fn satisfies(attribute: &Attribute, actual: &Value, op: CompareOp, expected: &Value) -> bool {
    let (Some(actual), Some(expected)) = (
        Scalar::of(attribute, actual),
        Scalar::of(attribute, expected),
    ) else {
        // A stored value of the wrong type equals nothing.
        return op == CompareOp::Ne;
    };
    let order = actual.order(&expected);
    match op {
        CompareOp::Eq => order == Some(Ordering::Equal),
        CompareOp::Ne => order != Some(Ordering::Equal),
        CompareOp::Gt => order == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
        CompareOp::Lt => order == Some(Ordering::Less),
        CompareOp::Le => matches!(order, Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => {
            let (Scalar::Text(actual), Scalar::Text(expected)) = (actual, expected) else {
                return false;
            };
            match op {
                CompareOp::Co => actual.contains(expected.as_ref()),
                CompareOp::Sw => actual.starts_with(expected.as_ref()),
                _ => actual.ends_with(expected.as_ref()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::error::ScimType;
    use crate::filter::parse;
    use crate::test_schemas::{bjensen, user_schema};

    fn matches(filter: &str, resource: &Value) -> bool {
        let parsed = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
        parsed
            .matches(resource, &user_schema())
            .unwrap_or_else(|e| panic!("{filter}: {e}"))
    }

    fn invalid(filter: &str) -> String {
        let parsed = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
        let error = parsed.validate(&user_schema()).expect_err(filter);
        assert_eq!(error.scim_type, Some(ScimType::InvalidFilter));
        error.detail
    }

    /// A user for the RFC 7644 §3.4.2.2 examples: an Employee with a work address at
    /// example.com and a title, plus an xmpp handle at foo.com.
    fn employee() -> Value {
        let mut user = bjensen();
        user["emails"] = json!([
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ]);
        user["ims"] = json!([{"value": "babs@foo.com", "type": "xmpp"}]);
        user
    }

    fn intern() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "jsmith", "userType": "Intern", "name": {"familyName": "O'Malley"},
            "emails": [{"value": "jsmith@example.org", "type": "home"}],
            "meta": {"resourceType": "User", "lastModified": "2011-05-13T04:42:34Z"}
        })
    }

    #[test]
    fn rfc_example_user_name_eq() {
        assert!(matches(r#"userName eq "bjensen@example.com""#, &employee()));
        assert!(!matches(r#"userName eq "bjensen""#, &employee()));
    }

    #[test]
    fn rfc_example_family_name_co() {
        assert!(matches(r#"name.familyName co "O'Malley""#, &intern()));
        assert!(!matches(r#"name.familyName co "O'Malley""#, &employee()));
    }

    #[test]
    fn rfc_example_user_name_sw() {
        assert!(matches(r#"userName sw "J""#, &intern()));
        assert!(matches(
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            &intern()
        ));
        assert!(!matches(r#"userName sw "J""#, &employee()));
    }

    #[test]
    fn rfc_example_title_pr() {
        assert!(matches("title pr", &employee()));
        assert!(!matches("title pr", &intern()));
    }

    #[test]
    fn rfc_example_last_modified_gt() {
        let mut later = employee();
        later["meta"]["lastModified"] = json!("2011-05-13T04:42:35Z");
        assert!(matches(
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            &later
        ));
        assert!(!matches(
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            &intern()
        ));
        assert!(matches(
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            &intern()
        ));
        assert!(matches(
            r#"meta.lastModified lt "2011-05-13T04:42:35Z""#,
            &intern()
        ));
        assert!(matches(
            r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
            &intern()
        ));
    }

    #[test]
    fn rfc_example_title_pr_and_user_type() {
        let filter = r#"title pr and userType eq "Employee""#;
        assert!(matches(filter, &employee()));
        assert!(!matches(filter, &intern()));
    }

    #[test]
    fn rfc_example_title_pr_or_user_type() {
        let filter = r#"title pr or userType eq "Intern""#;
        assert!(matches(filter, &employee()));
        assert!(matches(filter, &intern()));
        assert!(!matches(filter, &json!({"userType": "Contractor"})));
    }

    #[test]
    fn rfc_example_schemas_eq_extension() {
        let filter = r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#;
        assert!(matches(filter, &employee()));
        assert!(!matches(filter, &intern()));
    }

    #[test]
    fn rfc_example_emails_co_grouped_with_or() {
        let filter = r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#;
        assert!(matches(filter, &employee()));
        assert!(!matches(filter, &intern()));
    }

    #[test]
    fn rfc_example_not_emails() {
        let filter = r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#;
        assert!(!matches(filter, &employee()));
        assert!(!matches(filter, &intern()));
        let elsewhere = json!({"userType": "Intern", "emails": [{"value": "x@elsewhere.net"}]});
        assert!(matches(filter, &elsewhere));
    }

    #[test]
    fn rfc_example_emails_type_in_parentheses() {
        let filter = r#"userType eq "Employee" and (emails.type eq "work")"#;
        assert!(matches(filter, &employee()));
        assert!(!matches(filter, &intern()));
    }

    #[test]
    fn rfc_example_emails_value_path() {
        let filter =
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#;
        assert!(matches(filter, &employee()));
        let mut home_only = employee();
        home_only["emails"] = json!([{"value": "b@example.com", "type": "home"}]);
        assert!(!matches(filter, &home_only));
    }

    #[test]
    fn rfc_example_value_paths_joined_by_or() {
        let filter = r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#;
        assert!(matches(filter, &employee()));
        assert!(!matches(filter, &intern()));
        let xmpp_only = json!({"ims": [{"type": "xmpp", "value": "me@foo.com"}]});
        assert!(matches(filter, &xmpp_only));
    }

    #[test]
    fn filter_value_path_requires_one_element_to_match_all_conditions() {
        // A work address elsewhere and a home address at example.com: no single element fits.
        let user = json!({"emails": [
            {"value": "a@elsewhere.net", "type": "work"},
            {"value": "b@example.com", "type": "home"}
        ]});
        assert!(!matches(
            r#"emails[type eq "work" and value co "@example.com"]"#,
            &user
        ));
        assert!(matches(
            r#"emails.type eq "work" and emails.value co "@example.com""#,
            &user
        ));
    }

    #[test]
    fn filter_strings_compare_case_insensitively_unless_case_exact() {
        assert!(matches(r#"userName eq "BJENSEN@example.COM""#, &employee()));
        assert!(matches(r#"emails.value ew "EXAMPLE.COM""#, &employee()));
        assert!(matches(
            r#"id eq "2819c223-7f76-453a-919d-413861904646""#,
            &employee()
        ));
        assert!(!matches(
            r#"id eq "2819C223-7F76-453A-919D-413861904646""#,
            &employee()
        ));
        assert!(!matches(
            r#"externalId eq "ABC""#,
            &json!({"externalId": "abc"})
        ));
    }

    #[test]
    fn filter_attribute_names_are_case_insensitive() {
        assert!(matches(r#"USERNAME eq "bjensen@example.com""#, &employee()));
        assert!(matches(r#"Name.FamilyName eq "jensen""#, &employee()));
    }

    #[test]
    fn filter_numbers_compare_numerically() {
        assert!(matches("loginCount gt 9", &employee()));
        assert!(matches("loginCount eq 12.0", &employee()));
        assert!(matches("score le 4.5", &employee()));
        assert!(!matches("score lt 4.5", &employee()));
    }

    #[test]
    fn filter_date_times_compare_chronologically() {
        assert!(matches(
            r#"hireDate eq "2010-01-23T05:56:22+01:00""#,
            &employee()
        ));
        assert!(matches(
            r#"meta.created lt "2010-01-23T04:56:22.001Z""#,
            &employee()
        ));
    }

    #[test]
    fn filter_booleans_compare_with_eq() {
        assert!(matches("active eq true", &employee()));
        assert!(!matches("active eq false", &employee()));
        assert!(matches(
            r#"emails[primary eq true and type eq "work"]"#,
            &employee()
        ));
    }

    #[test]
    fn filter_meta_resource_type_eq() {
        assert!(matches(r#"meta.resourceType eq "User""#, &employee()));
        assert!(!matches(r#"meta.resourceType eq "Group""#, &employee()));
    }

    #[test]
    fn filter_extension_attributes_by_urn() {
        let user = employee();
        let urn = crate::test_schemas::ENTERPRISE;
        assert!(matches(
            &format!(r#"{urn}:employeeNumber eq "701984""#),
            &user
        ));
        assert!(matches(
            &format!(r#"{urn}:manager.value sw "26118915""#),
            &user
        ));
        assert!(matches(r#"department eq "tour operations""#, &user));
    }

    #[test]
    fn filter_present_ignores_null_and_empty_values() {
        for empty in [
            json!({"title": null}),
            json!({"title": ""}),
            json!({"emails": []}),
            json!({"name": {}}),
        ] {
            assert!(
                !matches("title pr or emails pr or name pr", &empty),
                "{empty}"
            );
        }
        assert!(matches("emails.value pr", &employee()));
    }

    #[test]
    fn filter_ne_on_absent_attribute_is_true() {
        assert!(matches(r#"title ne "Boss""#, &intern()));
        assert!(!matches(r#"title eq "Boss""#, &intern()));
    }

    #[test]
    fn filter_multi_valued_matches_when_any_value_matches() {
        assert!(matches(r#"emails.type eq "home""#, &employee()));
        assert!(matches(r#"emails.type eq "work""#, &employee()));
        assert!(!matches(r#"emails.type eq "other""#, &employee()));
    }

    #[test]
    fn filter_complex_attribute_compares_its_value_sub_attribute() {
        assert!(matches(r#"emails eq "babs@jensen.org""#, &employee()));
    }

    #[test]
    fn filter_eq_null_means_unassigned() {
        assert!(matches("title eq null", &intern()));
        assert!(matches("title ne null", &employee()));
        assert!(!matches("title eq null", &employee()));
    }

    #[test]
    fn filter_unknown_attribute_matches_nothing() {
        assert!(!matches(r#"favoriteColor eq "x""#, &employee()));
        assert!(!matches(r#"favoriteColor ne "x""#, &employee()));
        assert!(!matches("favoriteColor pr", &employee()));
        assert!(!matches(r#"urn:example:ext:foo eq "x""#, &employee()));
        assert!(!matches(r#"emails[nope eq "x"]"#, &employee()));
    }

    #[test]
    fn filter_ordering_booleans_is_invalid_filter() {
        assert!(invalid("active gt true").contains("boolean"));
    }

    #[test]
    fn filter_ordering_complex_attributes_is_invalid_filter() {
        assert!(invalid(r#"emails gt "a""#).contains("complex"));
        assert!(invalid(r#"name lt "a""#).contains("complex"));
    }

    #[test]
    fn filter_ordering_binary_is_invalid_filter() {
        invalid(r#"x509Certificates.value ge "TUlJ""#);
    }

    #[test]
    fn filter_substring_operators_need_strings() {
        invalid(r#"active co "t""#);
        invalid(r#"meta.lastModified sw "2011""#);
        invalid(r#"loginCount ew "2""#);
    }

    #[test]
    fn filter_value_must_have_the_attribute_type() {
        invalid(r#"active eq "true""#);
        invalid(r#"loginCount eq "12""#);
        invalid("userName eq 12");
        invalid(r#"meta.lastModified gt "last tuesday""#);
        invalid("userName gt null");
    }

    #[test]
    fn filter_complex_without_value_sub_attribute_is_invalid_filter() {
        invalid(r#"name eq "Barbara""#);
    }

    #[test]
    fn filter_value_path_on_simple_attribute_is_invalid_filter() {
        invalid(r#"userName[value eq "x"]"#);
    }

    #[test]
    fn filter_errors_are_found_whatever_the_resource() {
        let filter = parse(r#"userName eq "nobody" and active gt true"#).expect("parses");
        assert!(filter.matches(&json!({}), &user_schema()).is_err());
    }
}
