//! Attribute paths: `attrPath` (RFC 7644 §3.4.2.2, used by filters, `attributes`, `sortBy`) and
//! the PATCH `path` (§3.5.2), which may select values of a multi-valued attribute by filter.

use std::fmt;
use std::str::FromStr;

use crate::error::ScimError;
use crate::filter::{self, Filter};
use crate::syntax::{Cursor, Parsed};

/// `[URI ":"] attribute ["." subAttribute]`, e.g. `name.givenName` or
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
///
/// Names keep the client's spelling; lookups compare them case-insensitively (RFC 7643 §2.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttrPath {
    /// The schema URN qualifying the name, if given.
    pub uri: Option<String>,
    pub attribute: String,
    pub sub_attribute: Option<String>,
}

impl AttrPath {
    /// An unqualified path to a top-level attribute.
    pub fn new(attribute: impl Into<String>) -> Self {
        Self {
            uri: None,
            attribute: attribute.into(),
            sub_attribute: None,
        }
    }

    /// The same path extended (or re-pointed) to one sub-attribute.
    pub fn with_sub_attribute(mut self, sub_attribute: impl Into<String>) -> Self {
        self.sub_attribute = Some(sub_attribute.into());
        self
    }

    /// Parses a whole attribute path. A malformed one is `invalidPath`: the RFC names no error
    /// for `attributes` or `sortBy`, and that is the keyword describing a bad attribute path.
    pub fn parse(text: &str) -> Result<Self, ScimError> {
        let mut cursor = Cursor::new(text.trim());
        let parsed = cursor.attr_path().and_then(|path| {
            if cursor.is_at_end() {
                Ok(path)
            } else {
                cursor.error(format!("unexpected {}", cursor.upcoming()))
            }
        });
        parsed.map_err(|e| {
            ScimError::invalid_path(format!("invalid attribute path: {}", e.describe()))
        })
    }
}

impl FromStr for AttrPath {
    type Err = ScimError;

    fn from_str(text: &str) -> Result<Self, ScimError> {
        Self::parse(text)
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(uri) = &self.uri {
            write!(f, "{uri}:")?;
        }
        f.write_str(&self.attribute)?;
        if let Some(sub) = &self.sub_attribute {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A PATCH operation's `path`: `attrPath / valuePath ["." subAttr]`, e.g. `name.familyName`,
/// `members[value eq "2819c223"]` or `emails[type eq "work"].value`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    pub attribute: AttrPath,
    /// Selects the values of a multi-valued complex attribute; its paths are sub-attributes.
    pub value_filter: Option<Filter>,
    /// The sub-attribute after a value filter (`].value`). Without a filter the sub-attribute
    /// is in `attribute.sub_attribute` instead.
    pub sub_attribute: Option<String>,
}

impl PatchPath {
    /// Parses a PATCH path; any malformation, filter included, is `invalidPath`.
    pub fn parse(text: &str) -> Result<Self, ScimError> {
        let mut cursor = Cursor::new(text.trim());
        Self::parse_from(&mut cursor)
            .map_err(|e| ScimError::invalid_path(format!("invalid PATCH path: {}", e.describe())))
    }

    fn parse_from(cursor: &mut Cursor<'_>) -> Parsed<Self> {
        let attribute = cursor.attr_path()?;
        let mut path = Self {
            attribute,
            value_filter: None,
            sub_attribute: None,
        };
        if cursor.eat('[') {
            if path.attribute.sub_attribute.is_some() {
                return cursor
                    .error("a value filter must follow an attribute, not a sub-attribute");
            }
            path.value_filter = Some(filter::parser::value_filter(cursor)?);
            cursor.expect(']')?;
            if cursor.eat('.') {
                path.sub_attribute = Some(cursor.attribute_name()?);
            }
        }
        if !cursor.is_at_end() {
            return cursor.error(format!("unexpected {}", cursor.upcoming()));
        }
        Ok(path)
    }

    /// The sub-attribute the path ends in, whichever side of a value filter it was written.
    pub fn target_sub_attribute(&self) -> Option<&str> {
        self.sub_attribute
            .as_deref()
            .or(self.attribute.sub_attribute.as_deref())
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.attribute)?;
        if let Some(filter) = &self.value_filter {
            write!(f, "[{filter}]")?;
        }
        if let Some(sub) = &self.sub_attribute {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

impl FromStr for PatchPath {
    type Err = ScimError;

    fn from_str(text: &str) -> Result<Self, ScimError> {
        Self::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ScimType;
    use crate::filter::CompareOp;
    use serde_json::json;

    const ENTERPRISE: &str = crate::test_schemas::ENTERPRISE;

    #[test]
    fn attr_path_parses_plain_and_sub_attribute_names() {
        assert_eq!(AttrPath::parse("userName"), Ok(AttrPath::new("userName")));
        assert_eq!(
            AttrPath::parse("name.givenName"),
            Ok(AttrPath::new("name").with_sub_attribute("givenName"))
        );
    }

    #[test]
    fn attr_path_urn_prefix_ends_at_last_colon() {
        let path = AttrPath::parse(&format!("{ENTERPRISE}:manager.value")).expect("parses");
        assert_eq!(path.uri.as_deref(), Some(ENTERPRISE));
        assert_eq!(path.attribute, "manager");
        assert_eq!(path.sub_attribute.as_deref(), Some("value"));
    }

    #[test]
    fn attr_path_accepts_dollar_ref() {
        let path = AttrPath::parse("members.$ref").expect("parses");
        assert_eq!(path.sub_attribute.as_deref(), Some("$ref"));
    }

    #[test]
    fn attr_path_displays_as_written() {
        let text = format!("{ENTERPRISE}:manager.value");
        assert_eq!(AttrPath::parse(&text).map(|p| p.to_string()), Ok(text));
    }

    #[test]
    fn attr_path_rejects_malformed_names() {
        for bad in ["", "1abc", "a.b.c", "a b", ":name", "name.", "na!me"] {
            let error = AttrPath::parse(bad).expect_err(bad);
            assert_eq!(error.scim_type, Some(ScimType::InvalidPath), "{bad}");
        }
    }

    #[test]
    fn patch_path_parses_value_filter_and_sub_attribute() {
        let path = PatchPath::parse(r#"emails[type eq "work"].value"#).expect("parses");
        assert_eq!(path.attribute, AttrPath::new("emails"));
        assert_eq!(path.sub_attribute.as_deref(), Some("value"));
        assert_eq!(
            path.value_filter,
            Some(Filter::Compare {
                path: AttrPath::new("type"),
                op: CompareOp::Eq,
                value: json!("work")
            })
        );
    }

    #[test]
    fn patch_path_parses_member_filter_without_sub_attribute() {
        let path = PatchPath::parse(r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#)
            .expect("parses");
        assert!(path.value_filter.is_some());
        assert_eq!(path.sub_attribute, None);
    }

    #[test]
    fn patch_path_displays_canonically() {
        let path = PatchPath::parse(r#"emails[TYPE EQ "work"].value"#).expect("parses");
        assert_eq!(path.to_string(), r#"emails[TYPE eq "work"].value"#);
    }

    #[test]
    fn patch_path_keeps_plain_sub_attribute_in_attr_path() {
        let path = PatchPath::parse("name.familyName").expect("parses");
        assert_eq!(path.target_sub_attribute(), Some("familyName"));
        assert_eq!(path.value_filter, None);
    }

    #[test]
    fn patch_path_errors_are_invalid_path() {
        for bad in [
            r#"emails[type eq "work""#,
            r#"emails[type xx "work"]"#,
            r#"emails[type eq "work"]value"#,
            r#"emails.value[type eq "work"]"#,
            r#"emails[type eq "work"]."#,
            "emails trailing",
        ] {
            let error = PatchPath::parse(bad).expect_err(bad);
            assert_eq!(error.scim_type, Some(ScimType::InvalidPath), "{bad}");
        }
    }
}
