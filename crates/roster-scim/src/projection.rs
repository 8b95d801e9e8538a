//! Choosing which attributes a response carries (RFC 7644 §3.4.2.5 and §3.9): the `attributes`
//! and `excludedAttributes` parameters, bounded by each attribute's `returned` characteristic.

use serde_json::Value;

use crate::error::ScimError;
use crate::path::AttrPath;
use crate::resource::Object;
use crate::schema::{Attribute, ResourceSchema, Returned, Schema};

/// Parses the comma-separated `attributes` or `excludedAttributes` parameter. An empty
/// parameter names nothing; a malformed name is `invalidPath`.
pub fn parse_attribute_list(text: &str) -> Result<Vec<AttrPath>, ScimError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',').map(AttrPath::parse).collect()
}

/// The resource as a response should show it:
///
/// - `returned: always` attributes (`id`, `schemas`, …) are always there;
/// - `never` ones (`password`) never are;
/// - `request` ones only when `attributes` names them;
/// - `default` ones unless `attributes` is given and does not name them, or `excludedAttributes`
///   does.
///
/// Names may be sub-attributes (`name.givenName`, `emails.value`), URN-qualified, or a whole
/// extension URN. Names the schema does not know select nothing. When both lists are given the
/// exclusions apply to what `attributes` selected (the RFC does not say how they combine).
pub fn project(
    resource: &Value,
    schema: &ResourceSchema,
    attributes: &[AttrPath],
    excluded: &[AttrPath],
) -> Value {
    let Value::Object(members) = resource else {
        return resource.clone();
    };
    let selection = Selection {
        requested: Names::resolve(schema, attributes),
        excluded: Names::resolve(schema, excluded),
        restricted: !attributes.is_empty(),
    };
    let mut projected = Object::new();
    for (key, value) in members {
        let kept = match schema.extension(key) {
            Some(extension) => value
                .as_object()
                .map(|inner| project_extension(inner, extension, &selection))
                .filter(|inner| !inner.is_empty())
                .map(Value::Object),
            None => match schema.root_attribute(key) {
                Some(attribute) => project_attribute(attribute, None, value, &selection),
                // Not in the schema, so nothing says it may be hidden; only a selection hides it.
                None => (!selection.restricted).then(|| value.clone()),
            },
        };
        if let Some(kept) = kept {
            projected.insert(key.clone(), kept);
        }
    }
    Value::Object(projected)
}

fn project_extension(members: &Object, extension: &Schema, selection: &Selection<'_>) -> Object {
    members
        .iter()
        .filter_map(|(key, value)| {
            let attribute = extension.attribute(key)?;
            let kept = project_attribute(attribute, Some(&extension.id), value, selection)?;
            Some((key.clone(), kept))
        })
        .collect()
}

fn project_attribute(
    attribute: &Attribute,
    extension: Option<&str>,
    value: &Value,
    selection: &Selection<'_>,
) -> Option<Value> {
    let keep = selection.decide(attribute, extension);
    if matches!(keep, Keep::Nothing) {
        return None;
    }
    if !attribute.is_complex() {
        return Some(value.clone());
    }
    match value {
        Value::Array(elements) => {
            let kept: Vec<Value> = elements
                .iter()
                .filter_map(|e| project_complex(attribute, e, &keep))
                .collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        single => project_complex(attribute, single, &keep),
    }
}

fn project_complex(attribute: &Attribute, value: &Value, keep: &Keep<'_>) -> Option<Value> {
    let Value::Object(members) = value else {
        return Some(value.clone());
    };
    let kept: Object = members
        .iter()
        .filter(|(name, _)| keep.keeps_sub_attribute(attribute.sub_attribute(name)))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    (!kept.is_empty()).then_some(Value::Object(kept))
}

/// How much of one attribute to return.
enum Keep<'s> {
    Nothing,
    Whole,
    /// Only these sub-attributes (plus those returned always).
    Only(Vec<&'s Attribute>),
    /// All sub-attributes returned by default but these.
    AllBut(Vec<&'s Attribute>),
}

impl Keep<'_> {
    /// `sub_attribute` is `None` for a member the schema does not define.
    fn keeps_sub_attribute(&self, sub_attribute: Option<&Attribute>) -> bool {
        let Some(sub) = sub_attribute else {
            return matches!(self, Self::Whole | Self::AllBut(_));
        };
        let listed = |list: &[&Attribute]| list.iter().any(|named| std::ptr::eq(*named, sub));
        match (sub.returned, self) {
            (Returned::Never, _) | (_, Self::Nothing) => false,
            (Returned::Always, _) => true,
            (Returned::Request, Self::Only(list)) => listed(list),
            (Returned::Request, _) => false,
            (Returned::Default, Self::Whole) => true,
            (Returned::Default, Self::Only(list)) => listed(list),
            (Returned::Default, Self::AllBut(list)) => !listed(list),
        }
    }
}

struct Selection<'s> {
    requested: Names<'s>,
    excluded: Names<'s>,
    /// Whether `attributes` was given, which hides every default attribute it does not name.
    restricted: bool,
}

impl<'s> Selection<'s> {
    fn decide(&self, attribute: &'s Attribute, extension: Option<&str>) -> Keep<'s> {
        let chosen = match attribute.returned {
            Returned::Never => return Keep::Nothing,
            // `excludedAttributes` has no effect on these (RFC 7644 §3.4.2.5).
            Returned::Always => return Keep::Whole,
            Returned::Default | Returned::Request => {
                let by_default = attribute.returned == Returned::Default;
                let subs = self.requested.sub_attributes_of(attribute);
                if self.requested.names_whole(attribute)
                    || (by_default && self.requested.names_extension(extension))
                {
                    Keep::Whole
                } else if !subs.is_empty() {
                    Keep::Only(subs)
                } else if by_default && !self.restricted {
                    Keep::Whole
                } else {
                    Keep::Nothing
                }
            }
        };
        if self.excluded.names_whole(attribute) || self.excluded.names_extension(extension) {
            return Keep::Nothing;
        }
        let excluded_subs = self.excluded.sub_attributes_of(attribute);
        match chosen {
            _ if excluded_subs.is_empty() => chosen,
            Keep::Whole => Keep::AllBut(excluded_subs),
            Keep::Only(subs) => Keep::Only(
                subs.into_iter()
                    .filter(|sub| !excluded_subs.iter().any(|x| std::ptr::eq(*x, *sub)))
                    .collect(),
            ),
            other => other,
        }
    }
}

/// A parameter's names, resolved against the schema. Definitions are compared by identity: the
/// schema hands out the same reference for every spelling of a name.
struct Names<'s> {
    extensions: Vec<&'s str>,
    paths: Vec<(&'s Attribute, Option<&'s Attribute>)>,
}

impl<'s> Names<'s> {
    fn resolve(schema: &'s ResourceSchema, paths: &[AttrPath]) -> Self {
        let mut names = Self {
            extensions: Vec::new(),
            paths: Vec::new(),
        };
        for path in paths {
            if let Some(extension) = schema.extension_named(path) {
                names.extensions.push(&extension.id);
            } else if let Some(resolved) = schema.resolve(path) {
                names
                    .paths
                    .push((resolved.attribute, resolved.sub_attribute));
            }
        }
        names
    }

    fn names_whole(&self, attribute: &Attribute) -> bool {
        self.paths
            .iter()
            .any(|(named, sub)| std::ptr::eq(*named, attribute) && sub.is_none())
    }

    fn names_extension(&self, extension: Option<&str>) -> bool {
        extension.is_some_and(|urn| self.extensions.contains(&urn))
    }

    fn sub_attributes_of(&self, attribute: &Attribute) -> Vec<&'s Attribute> {
        self.paths
            .iter()
            .filter(|(named, _)| std::ptr::eq(*named, attribute))
            .filter_map(|(_, sub)| *sub)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_schemas::{bjensen, user_schema, ENTERPRISE};
    use serde_json::json;

    fn projected(attributes: &str, excluded: &str) -> Value {
        let attributes = parse_attribute_list(attributes).expect("attributes parse");
        let excluded = parse_attribute_list(excluded).expect("excluded parse");
        project(&bjensen(), &user_schema(), &attributes, &excluded)
    }

    /// Sorted, whatever map ordering serde_json was built with.
    fn keys(value: &Value) -> Vec<&str> {
        let mut keys: Vec<&str> = value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn projection_default_returns_everything_but_never_and_request() {
        let user = projected("", "");
        let mut expected = bjensen();
        if let Some(members) = expected.as_object_mut() {
            members.remove("password");
        }
        assert_eq!(user, expected);
    }

    #[test]
    fn projection_never_hides_password() {
        assert!(projected("", "").get("password").is_none());
        assert!(projected("password", "").get("password").is_none());
    }

    #[test]
    fn projection_attributes_returns_named_plus_always() {
        let user = projected("userName", "");
        assert_eq!(keys(&user), ["id", "schemas", "userName"]);
    }

    #[test]
    fn projection_request_attribute_only_when_named() {
        let mut user = bjensen();
        user["x509Certificates"] = json!([{"value": "MIIDQzCC"}]);
        let schema = user_schema();
        assert!(project(&user, &schema, &[], &[])
            .get("x509Certificates")
            .is_none());
        let named = [AttrPath::new("x509Certificates")];
        assert!(project(&user, &schema, &named, &[])
            .get("x509Certificates")
            .is_some());
    }

    #[test]
    fn projection_selects_sub_attributes() {
        let user = projected("name.givenName,emails.value", "");
        assert_eq!(user["name"], json!({"givenName": "Barbara"}));
        assert_eq!(
            user["emails"],
            json!([{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}])
        );
    }

    #[test]
    fn projection_names_are_case_insensitive_and_urn_qualified() {
        let user = projected(
            "USERNAME,urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
            "",
        );
        assert_eq!(user["userName"], "bjensen@example.com");
        assert_eq!(user["name"], json!({"familyName": "Jensen"}));
    }

    #[test]
    fn projection_selects_extension_attribute_by_urn() {
        let user = projected(&format!("{ENTERPRISE}:employeeNumber"), "");
        assert_eq!(user[ENTERPRISE], json!({"employeeNumber": "701984"}));
        assert_eq!(keys(&user), ["id", "schemas", ENTERPRISE]);
    }

    #[test]
    fn projection_selects_whole_extension_by_urn() {
        let user = projected(ENTERPRISE, "");
        assert_eq!(user[ENTERPRISE], bjensen()[ENTERPRISE]);
        assert!(user.get("userName").is_none());
    }

    #[test]
    fn projection_excluded_attributes_are_removed() {
        let user = projected("", "emails,name.formatted,meta");
        assert!(user.get("emails").is_none() && user.get("meta").is_none());
        assert_eq!(
            user["name"],
            json!({"familyName": "Jensen", "givenName": "Barbara"})
        );
        assert_eq!(user["userName"], "bjensen@example.com");
    }

    #[test]
    fn projection_excluded_cannot_remove_always_attributes() {
        let user = projected("", "id,schemas");
        assert!(user.get("id").is_some() && user.get("schemas").is_some());
    }

    #[test]
    fn projection_excludes_whole_extension_by_urn() {
        assert!(projected("", ENTERPRISE).get(ENTERPRISE).is_none());
        let manager = projected("", &format!("{ENTERPRISE}:manager"));
        assert_eq!(keys(&manager[ENTERPRISE]), ["department", "employeeNumber"]);
    }

    #[test]
    fn projection_exclusions_apply_to_selected_attributes() {
        let user = projected("name", "name.givenName");
        assert_eq!(
            user["name"],
            json!({"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen"})
        );
    }

    #[test]
    fn projection_drops_empty_selections() {
        let user = projected("name.middleName,emails.display", "");
        assert_eq!(keys(&user), ["id", "schemas"]);
    }

    #[test]
    fn projection_ignores_unknown_names() {
        assert_eq!(keys(&projected("favoriteColor", "")), ["id", "schemas"]);
        assert_eq!(projected("", "favoriteColor"), projected("", ""));
    }

    #[test]
    fn attribute_list_splits_on_commas_and_trims() {
        let list = parse_attribute_list(" userName , name.givenName").expect("parses");
        assert_eq!(
            list,
            [
                AttrPath::new("userName"),
                AttrPath::new("name").with_sub_attribute("givenName")
            ]
        );
        assert_eq!(parse_attribute_list("  "), Ok(Vec::new()));
    }

    #[test]
    fn attribute_list_rejects_malformed_names() {
        assert!(parse_attribute_list("userName,,title").is_err());
        assert!(parse_attribute_list("user name").is_err());
    }
}
