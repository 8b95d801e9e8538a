//! A resource type's schemas together (core, extensions, common attributes), and the lookup that
//! turns an attribute path into the definition it names.

use super::{common_attributes, Attribute, Schema};
use crate::path::AttrPath;

/// The schemas describing one resource type, e.g. User = core User + enterprise extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSchema {
    pub core: Schema,
    /// Extension schemas; in resources their attributes live under a key equal to the URN.
    pub extensions: Vec<Schema>,
}

/// Where an attribute path leads: the definitions it names, and where its value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved<'s> {
    /// The extension URN whose object holds the attribute, or `None` for a core or common one.
    pub extension: Option<&'s str>,
    pub attribute: &'s Attribute,
    pub sub_attribute: Option<&'s Attribute>,
}

impl<'s> Resolved<'s> {
    /// The most specific definition named: the sub-attribute if there is one.
    pub fn leaf(&self) -> &'s Attribute {
        self.sub_attribute.unwrap_or(self.attribute)
    }

    /// What a filter comparison reads: the attribute itself, or for a complex one its `value`
    /// sub-attribute, which is how RFC 7644 lets `emails co "x"` mean `emails.value co "x"`.
    pub fn compared(self) -> Option<Self> {
        if !self.leaf().is_complex() {
            return Some(self);
        }
        let value = self.attribute.sub_attribute("value")?;
        Some(Self {
            sub_attribute: Some(value),
            ..self
        })
    }
}

impl ResourceSchema {
    pub fn new(core: Schema, extensions: Vec<Schema>) -> Self {
        Self { core, extensions }
    }

    /// The extension whose URN is `urn`, case-insensitively.
    pub fn extension(&self, urn: &str) -> Option<&Schema> {
        self.extensions
            .iter()
            .find(|e| e.id.eq_ignore_ascii_case(urn))
    }

    /// The extension a path names as a whole (`urn:…:enterprise:2.0:User`), if it does: such a
    /// path parses as URI `urn:…:2.0` plus attribute `User`.
    pub fn extension_named(&self, path: &AttrPath) -> Option<&Schema> {
        if path.uri.is_none() || path.sub_attribute.is_some() {
            return None;
        }
        self.extension(&path.to_string())
    }

    /// The top-level attribute a path names (its sub-attribute, if any, is not looked at).
    pub fn attribute(&self, path: &AttrPath) -> Option<&Attribute> {
        self.top_level(path).map(|(_, attribute)| attribute)
    }

    /// The sub-attribute a path names, or `None` if it names none or an unknown one.
    pub fn sub_attribute(&self, path: &AttrPath) -> Option<&Attribute> {
        self.resolve(path).and_then(|r| r.sub_attribute)
    }

    /// Resolves a path case-insensitively, qualified by the core or an extension URN or not.
    ///
    /// An unqualified name is looked up in the core schema, then among the common attributes,
    /// then in the extensions, where it must be defined by exactly one of them. RFC 7644 §3.10
    /// only promises unqualified names for the core schema; accepting an unambiguous extension
    /// name as well costs nothing and spares clients that leave the URN out.
    pub fn resolve(&self, path: &AttrPath) -> Option<Resolved<'_>> {
        let (extension, attribute) = self.top_level(path)?;
        let sub_attribute = match &path.sub_attribute {
            None => None,
            Some(name) => Some(attribute.sub_attribute(name)?),
        };
        Some(Resolved {
            extension,
            attribute,
            sub_attribute,
        })
    }

    fn top_level(&self, path: &AttrPath) -> Option<(Option<&str>, &Attribute)> {
        let name = path.attribute.as_str();
        match &path.uri {
            Some(uri) if uri.eq_ignore_ascii_case(&self.core.id) => {
                self.core_or_common(name).map(|a| (None, a))
            }
            Some(uri) => {
                let extension = self.extension(uri)?;
                extension
                    .attribute(name)
                    .map(|a| (Some(extension.id.as_str()), a))
            }
            None => self.core_or_common(name).map(|a| (None, a)).or_else(|| {
                let mut defining = self
                    .extensions
                    .iter()
                    .filter_map(|e| e.attribute(name).map(|a| (Some(e.id.as_str()), a)));
                let found = defining.next()?;
                defining.next().is_none().then_some(found)
            }),
        }
    }

    fn core_or_common(&self, name: &str) -> Option<&Attribute> {
        self.core.attribute(name).or_else(|| {
            common_attributes()
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(name))
        })
    }

    /// The attribute stored directly in the resource object under `name`: a core or common one.
    pub(crate) fn root_attribute(&self, name: &str) -> Option<&Attribute> {
        self.core_or_common(name)
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::{AttributeType, Mutability, Returned};
    use crate::test_schemas::{user_schema, ENTERPRISE};
    use crate::AttrPath;

    fn path(text: &str) -> AttrPath {
        AttrPath::parse(text).expect("test path parses")
    }

    #[test]
    fn resolve_is_case_insensitive() {
        let schema = user_schema();
        let resolved = schema.resolve(&path("NAME.GIVENNAME")).expect("resolves");
        assert_eq!(resolved.attribute.name, "name");
        assert_eq!(resolved.leaf().name, "givenName");
    }

    #[test]
    fn resolve_accepts_core_urn_qualified_names() {
        let schema = user_schema();
        let resolved = schema
            .resolve(&path(
                "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
            ))
            .expect("resolves");
        assert_eq!(resolved.extension, None);
        assert_eq!(resolved.leaf().name, "familyName");
    }

    #[test]
    fn resolve_finds_extension_attributes_by_urn() {
        let schema = user_schema();
        let resolved = schema
            .resolve(&path(&format!("{ENTERPRISE}:manager.value")))
            .expect("ok");
        assert_eq!(resolved.extension, Some(ENTERPRISE));
        assert_eq!(resolved.attribute.name, "manager");
        assert_eq!(resolved.leaf().name, "value");
    }

    #[test]
    fn resolve_finds_unambiguous_unqualified_extension_attributes() {
        let schema = user_schema();
        let resolved = schema.resolve(&path("employeeNumber")).expect("resolves");
        assert_eq!(resolved.extension, Some(ENTERPRISE));
    }

    #[test]
    fn resolve_provides_common_attributes() {
        let schema = user_schema();
        let id = schema.attribute(&path("id")).expect("id");
        assert_eq!(
            (id.mutability, id.returned),
            (Mutability::ReadOnly, Returned::Always)
        );
        assert!(id.case_exact);
        assert!(
            schema
                .attribute(&path("externalId"))
                .expect("externalId")
                .case_exact
        );
        let modified = schema
            .sub_attribute(&path("meta.lastModified"))
            .expect("meta");
        assert_eq!(modified.r#type, AttributeType::DateTime);
        assert!(schema.sub_attribute(&path("meta.location")).is_some());
    }

    #[test]
    fn resolve_rejects_unknown_names_and_urns() {
        let schema = user_schema();
        assert!(schema.resolve(&path("favoriteColor")).is_none());
        assert!(schema.resolve(&path("name.nope")).is_none());
        assert!(schema
            .resolve(&path("urn:example:other:userName"))
            .is_none());
        assert!(schema
            .resolve(&path(&format!("{ENTERPRISE}:userName")))
            .is_none());
    }

    #[test]
    fn extension_named_recognises_whole_extension_paths() {
        let schema = user_schema();
        assert!(schema.extension_named(&path(ENTERPRISE)).is_some());
        assert!(schema
            .extension_named(&path(&ENTERPRISE.to_lowercase()))
            .is_some());
        assert!(schema.extension_named(&path("userName")).is_none());
    }
}
