//! What a SCIM filter lets the store narrow a list to before the filter itself runs: identity
//! providers look users up by `userName`, `externalId` or `id` before each write, and reading the
//! whole tenant for that is slow.
//!
//! Every condition derived here holds for every resource the filter matches: narrowing may keep
//! users the filter then drops, never drop one it would keep. The filter, evaluated in full over
//! the rendered resources, stays the final word.

use roster_core::id::UserId;
use roster_core::query::{Condition, UserFilter};
use roster_core::values::{AccountType, OptimizationInclusion, UserStatus};
use roster_scim::{CompareOp, Filter, Resolved, ResourceSchema};
use serde_json::Value;

use super::schemas::{ENTERPRISE_USER, GROUPS, ROSTER_USER};

/// Conditions (all of them) that every user matching `filter` under `schema` (the User schema,
/// with any extensions) meets. Terms of the top-level `and` chain are narrowed one by one: an
/// equality, or an `or` of equalities on one attribute. A term that cannot be narrowed
/// contributes nothing.
pub fn user_conditions(filter: &Filter, schema: &ResourceSchema) -> Vec<Condition> {
    conjuncts(filter)
        .into_iter()
        .filter_map(|term| implied(term, schema))
        .map(|filter| Condition {
            filter,
            negated: false,
        })
        .collect()
}

/// A name that every group matching `filter` has, in any case: the value of a top-level
/// `displayName eq`, for the store's name search (a group whose name equals it also contains it).
pub fn group_name(filter: &Filter) -> Option<String> {
    conjuncts(filter).into_iter().find_map(|term| match term {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value: Value::String(name),
        } => GROUPS
            .resolve(path)
            .filter(|r| r.extension.is_none() && r.sub_attribute.is_none())
            .filter(|r| r.attribute.name == "displayName")
            .map(|_| name.clone()),
        _ => None,
    })
}

/// The terms of an `and` chain (the filter itself when it is no `and`).
fn conjuncts(filter: &Filter) -> Vec<&Filter> {
    match filter {
        Filter::And(left, right) => {
            let mut terms = conjuncts(left);
            terms.extend(conjuncts(right));
            terms
        }
        other => vec![other],
    }
}

fn disjuncts(filter: &Filter) -> Vec<&Filter> {
    match filter {
        Filter::Or(left, right) => {
            let mut branches = disjuncts(left);
            branches.extend(disjuncts(right));
            branches
        }
        other => vec![other],
    }
}

/// One store filter that every user matching `term` meets: that of each branch of an `or`,
/// joined, when all of them narrow the same way.
fn implied(term: &Filter, schema: &ResourceSchema) -> Option<UserFilter> {
    let mut branches = disjuncts(term)
        .into_iter()
        .map(|branch| equality(branch, schema));
    let first = branches.next()??;
    branches.try_fold(first, |joined, branch| union(joined, branch?))
}

/// The store filter of `attribute eq value`, or of `attribute[… and value eq v and …]`.
fn equality(term: &Filter, schema: &ResourceSchema) -> Option<UserFilter> {
    match term {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } => stored_equality(schema.resolve(path)?.compared()?, value, None),
        // Some value of the complex attribute satisfies every condition of the inner chain, so
        // its `value` equals `v` (and for emails, its `type` says which address it is).
        Filter::ValuePath { path, filter } => {
            let resolved = schema.resolve(path)?;
            if resolved.sub_attribute.is_some() || !resolved.attribute.is_complex() {
                return None;
            }
            let inner = conjuncts(filter);
            let value = inner
                .iter()
                .find_map(|term| element_equality(term, "value"))?;
            let kind = inner.iter().find_map(|term| element_equality(term, "type"));
            stored_equality(resolved.compared()?, value, kind)
        }
        _ => None,
    }
}

/// The value of `name eq value` inside a value filter, where names are sub-attributes.
fn element_equality<'f>(term: &'f Filter, name: &str) -> Option<&'f Value> {
    match term {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } if path.uri.is_none()
            && path.sub_attribute.is_none()
            && path.attribute.eq_ignore_ascii_case(name) =>
        {
            Some(value)
        }
        _ => None,
    }
}

/// The store filter holding for every user whose resource (as `user_resource` renders it) has
/// `value` at `resolved`. `email_type` is the `type` an `emails[…]` value filter asks for.
fn stored_equality(
    resolved: Resolved<'_>,
    value: &Value,
    email_type: Option<&Value>,
) -> Option<UserFilter> {
    let leaf = resolved.leaf();
    let attribute = resolved.attribute.name.as_str();
    let sub_attribute = resolved.sub_attribute.map(|sub| sub.name.as_str());
    let filter = match (resolved.extension, attribute, sub_attribute, value) {
        // The store compares user names, emails and titles case-insensitively, which is at least
        // as loose as the schema's `caseExact`.
        (None, "userName", None, Value::String(name)) => UserFilter::UserNames(vec![name.clone()]),
        (None, "title", None, Value::String(title)) => UserFilter::Designation(vec![title.clone()]),
        (None, "emails", Some("value"), Value::String(email)) => {
            let work = email_type
                .and_then(Value::as_str)
                .is_some_and(|kind| kind.to_lowercase() == "work");
            if work {
                UserFilter::Emails(vec![email.clone()])
            } else if email.is_ascii() {
                // The work or the personal email; the store folds the case of the latter
                // exactly only for ASCII values.
                UserFilter::AnyEmails(vec![email.clone()])
            } else {
                return None;
            }
        }
        // The store compares external ids exactly: only as tight as a case-exact attribute.
        (None, "externalId", None, Value::String(id)) if leaf.case_exact => {
            UserFilter::ExternalIds(vec![id.clone()])
        }
        // Rendered ids are valid ids: one that does not parse matches no user.
        (None, "id", None, Value::String(id)) => UserFilter::Ids(parsed_id(id)),
        (None, "active", None, Value::Bool(true)) => UserFilter::Status(vec![UserStatus::Active]),
        (None, "active", None, Value::Bool(false)) => {
            UserFilter::Status(vec![UserStatus::Inactive, UserStatus::Suspended])
        }
        (None, "userType", None, Value::String(kind)) => UserFilter::AccountType(named(
            AccountType::ALL,
            |k| k.as_str(),
            kind,
            leaf.case_exact,
        )),
        (Some(ENTERPRISE_USER), "manager", Some("value"), Value::String(id)) => {
            UserFilter::ReportingManager(parsed_id(id))
        }
        (Some(ROSTER_USER), "archived", None, Value::Bool(archived)) => {
            UserFilter::Archived(*archived)
        }
        (Some(ROSTER_USER), "optimizationInclusion", None, Value::String(inclusion)) => {
            UserFilter::OptimizationInclusion(named(
                OptimizationInclusion::ALL,
                |i| i.as_str(),
                inclusion,
                leaf.case_exact,
            ))
        }
        _ => return None,
    };
    Some(filter)
}

/// The id, or none when it is not one (then the filter lists no id, and matches no user).
fn parsed_id(text: &str) -> Vec<UserId> {
    UserId::parse(text).into_iter().collect()
}

/// The values whose rendered name equals `text`, as the attribute compares text.
fn named<T: Copy>(all: &[T], name: fn(&T) -> &'static str, text: &str, exact: bool) -> Vec<T> {
    let fold = |text: &str| {
        if exact {
            text.to_owned()
        } else {
            text.to_lowercase()
        }
    };
    let wanted = fold(text);
    all.iter()
        .filter(|value| fold(name(value)) == wanted)
        .copied()
        .collect()
}

/// A filter met by the users of either: the same filter with both lists of values.
fn union(left: UserFilter, right: UserFilter) -> Option<UserFilter> {
    use UserFilter as F;
    fn both<T>(mut left: Vec<T>, right: Vec<T>) -> Vec<T> {
        left.extend(right);
        left
    }
    Some(match (left, right) {
        (F::UserNames(a), F::UserNames(b)) => F::UserNames(both(a, b)),
        (F::ExternalIds(a), F::ExternalIds(b)) => F::ExternalIds(both(a, b)),
        (F::Ids(a), F::Ids(b)) => F::Ids(both(a, b)),
        (F::Emails(a), F::Emails(b)) => F::Emails(both(a, b)),
        // AnyEmails also compares the work email, exactly as Emails does.
        (F::AnyEmails(a), F::AnyEmails(b) | F::Emails(b)) | (F::Emails(b), F::AnyEmails(a)) => {
            F::AnyEmails(both(a, b))
        }
        (F::Designation(a), F::Designation(b)) => F::Designation(both(a, b)),
        (F::Status(a), F::Status(b)) => F::Status(both(a, b)),
        (F::AccountType(a), F::AccountType(b)) => F::AccountType(both(a, b)),
        (F::ReportingManager(a), F::ReportingManager(b)) => F::ReportingManager(both(a, b)),
        (F::OptimizationInclusion(a), F::OptimizationInclusion(b)) => {
            F::OptimizationInclusion(both(a, b))
        }
        (F::Archived(a), F::Archived(b)) if a == b => F::Archived(a),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialects::scim::schemas::USERS;
    use roster_scim::filter;

    const MANAGER: &str = "5f1d7a2b9c8e4d3f2a1b0c9e";

    fn narrowed(text: &str) -> Vec<UserFilter> {
        let parsed = filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        user_conditions(&parsed, &USERS)
            .into_iter()
            .map(|condition| {
                assert!(!condition.negated, "{text}");
                condition.filter
            })
            .collect()
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn user_name_eq_narrows_to_user_names_whatever_the_spelling_of_the_attribute() {
        for text in [
            r#"userName eq "Ada@Example.com""#,
            r#"USERNAME eq "Ada@Example.com""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "Ada@Example.com""#,
        ] {
            assert_eq!(
                narrowed(text),
                [UserFilter::UserNames(strings(&["Ada@Example.com"]))],
                "{text}"
            );
        }
    }

    #[test]
    fn and_chains_narrow_on_every_term_that_can() {
        let text =
            r#"userName eq "ada" and (title pr and active eq true) and name.givenName eq "Ada""#;
        assert_eq!(
            narrowed(text),
            [
                UserFilter::UserNames(strings(&["ada"])),
                UserFilter::Status(vec![UserStatus::Active]),
            ]
        );
    }

    #[test]
    fn or_of_equalities_on_one_attribute_narrows_to_all_their_values() {
        assert_eq!(
            narrowed(r#"userName eq "a" or userName eq "b" or USERNAME eq "c""#),
            [UserFilter::UserNames(strings(&["a", "b", "c"]))]
        );
        assert_eq!(
            narrowed(r#"title eq "x" and (externalId eq "1" or externalId eq "2")"#),
            [
                UserFilter::Designation(strings(&["x"])),
                UserFilter::ExternalIds(strings(&["1", "2"])),
            ]
        );
        assert_eq!(
            narrowed("active eq true or active eq false"),
            [UserFilter::Status(vec![
                UserStatus::Active,
                UserStatus::Inactive,
                UserStatus::Suspended
            ])]
        );
    }

    #[test]
    fn what_a_user_may_match_without_the_value_does_not_narrow() {
        for text in [
            r#"not (userName eq "a")"#,
            r#"userName ne "a""#,
            "userName pr",
            r#"userName co "a""#,
            r#"userName sw "a""#,
            r#"userName gt "a""#,
            r#"userName eq "a" or externalId eq "b""#,
            r#"userName eq "a" or title pr"#,
            r#"(userName eq "a" and active eq true) or userName eq "b""#,
            "archived eq true or archived eq false",
            "userName eq null",
            "title eq null",
            r#"name.givenName eq "Ada""#,
            r#"displayName eq "Ada""#,
            r#"emails.type eq "work""#,
            r#"emails[type eq "work"]"#,
            r#"emails[value co "x" and type eq "work"]"#,
            r#"emails[value eq "a@example.com" or type eq "work"]"#,
            r#"favoriteColor eq "blue""#,
            r#"meta.resourceType eq "User""#,
        ] {
            assert_eq!(narrowed(text), [], "{text}");
        }
    }

    #[test]
    fn invalid_values_do_not_narrow_so_the_filter_still_fails() {
        for text in [
            r#"active eq "true""#,
            "userName eq 12",
            "title eq true",
            r#"userName[value eq "a"]"#,
        ] {
            assert_eq!(narrowed(text), [], "{text}");
        }
    }

    #[test]
    fn ids_narrow_and_an_id_that_is_no_id_matches_no_user() {
        let id: UserId = UserId::parse(MANAGER).expect("id");
        assert_eq!(
            narrowed(&format!(r#"id eq "{MANAGER}""#)),
            [UserFilter::Ids(vec![id])]
        );
        assert_eq!(narrowed(r#"id eq "nope""#), [UserFilter::Ids(Vec::new())]);
        assert_eq!(
            narrowed(r#"id eq "nope" or id eq "nada""#),
            [UserFilter::Ids(Vec::new())]
        );
    }

    #[test]
    fn emails_narrow_to_both_addresses_unless_the_work_one_is_named() {
        for text in [
            r#"emails eq "A@example.com""#,
            r#"emails.value eq "A@example.com""#,
            r#"emails[value eq "A@example.com"]"#,
            r#"emails[type eq "home" and value eq "A@example.com"]"#,
        ] {
            assert_eq!(
                narrowed(text),
                [UserFilter::AnyEmails(strings(&["A@example.com"]))],
                "{text}"
            );
        }
        assert_eq!(
            narrowed(r#"emails[type eq "Work" and value eq "A@example.com"]"#),
            [UserFilter::Emails(strings(&["A@example.com"]))]
        );
        // The store folds the personal email's case in ASCII only.
        assert_eq!(narrowed(r#"emails eq "Ölaf@example.com""#), []);
        assert_eq!(
            narrowed(r#"emails[type eq "work" and value eq "Ölaf@example.com"]"#),
            [UserFilter::Emails(strings(&["Ölaf@example.com"]))]
        );
    }

    #[test]
    fn user_type_is_matched_regardless_of_case_and_unknown_types_match_no_user() {
        assert_eq!(
            narrowed(r#"userType eq "Employee""#),
            [UserFilter::AccountType(vec![AccountType::Employee])]
        );
        assert_eq!(
            narrowed(r#"userType eq "Intern""#),
            [UserFilter::AccountType(Vec::new())]
        );
    }

    #[test]
    fn roster_extension_attributes_narrow_qualified_or_not() {
        let urn = ROSTER_USER;
        assert_eq!(
            narrowed(&format!("{urn}:archived eq true")),
            [UserFilter::Archived(true)]
        );
        assert_eq!(narrowed("archived eq false"), [UserFilter::Archived(false)]);
        assert_eq!(
            narrowed(&format!(
                r#"{urn}:optimizationInclusion eq "exclude for unused""#
            )),
            [UserFilter::OptimizationInclusion(vec![
                OptimizationInclusion::ExcludeUnused
            ])]
        );
        // optimizationInclusion is case-exact.
        assert_eq!(
            narrowed(r#"optimizationInclusion eq "Exclude For Unused""#),
            [UserFilter::OptimizationInclusion(Vec::new())]
        );
    }

    #[test]
    fn manager_narrows_by_its_value() {
        let id: UserId = UserId::parse(MANAGER).expect("id");
        for text in [
            format!(r#"{ENTERPRISE_USER}:manager.value eq "{MANAGER}""#),
            format!(r#"{ENTERPRISE_USER}:manager eq "{MANAGER}""#),
            format!(r#"manager.value eq "{MANAGER}""#),
        ] {
            assert_eq!(
                narrowed(&text),
                [UserFilter::ReportingManager(vec![id.clone()])],
                "{text}"
            );
        }
        assert_eq!(
            narrowed(r#"manager.value eq "nobody""#),
            [UserFilter::ReportingManager(Vec::new())]
        );
        assert_eq!(narrowed(r#"manager.$ref eq "x""#), []);
    }

    #[test]
    fn groups_narrow_to_a_display_name_equality() {
        let name = |text: &str| group_name(&filter::parse(text).expect("parses"));
        assert_eq!(
            name(r#"displayName eq "Engineers""#).as_deref(),
            Some("Engineers")
        );
        assert_eq!(
            name(r#"externalId eq "1" and DISPLAYNAME eq "Eng""#).as_deref(),
            Some("Eng")
        );
        for text in [
            r#"displayName ne "Engineers""#,
            r#"not (displayName eq "Engineers")"#,
            r#"displayName eq "a" or displayName eq "b""#,
            "displayName pr",
        ] {
            assert_eq!(name(text), None, "{text}");
        }
    }
}
