//! What a PATCH path designates once resolved against the schema.

use crate::error::ScimError;
use crate::filter::{check_value_filter, Filter};
use crate::path::PatchPath;
use crate::schema::{Attribute, ResourceSchema, Schema};

/// A resolved PATCH target: an attribute, optionally narrowed to the values a filter selects
/// and/or to one sub-attribute.
#[derive(Debug)]
pub(super) struct Target<'s, 'p> {
    /// The extension URN whose object holds the attribute; `None` for core and common ones.
    pub extension: Option<&'s str>,
    pub attribute: &'s Attribute,
    /// Only on multi-valued complex attributes (checked by [`Target::resolve`]).
    pub filter: Option<&'p Filter>,
    pub sub_attribute: Option<&'s Attribute>,
    /// The path as the client wrote it, for error details.
    pub label: String,
}

impl<'s, 'p> Target<'s, 'p> {
    /// Resolves a path; an unknown attribute or sub-attribute, or a value filter where none can
    /// apply, is `invalidPath`.
    pub fn resolve(path: &'p PatchPath, schema: &'s ResourceSchema) -> Result<Self, ScimError> {
        let label = path.to_string();
        let unknown =
            || ScimError::invalid_path(format!("`{label}` names no attribute of this resource"));
        let resolved = schema.resolve(&path.attribute).ok_or_else(unknown)?;
        let sub_attribute = match &path.sub_attribute {
            None => resolved.sub_attribute,
            Some(name) => Some(resolved.attribute.sub_attribute(name).ok_or_else(unknown)?),
        };
        let filter = path.value_filter.as_ref();
        if let Some(filter) = filter {
            let attribute = resolved.attribute;
            if !(attribute.is_complex() && attribute.multi_valued) {
                return Err(ScimError::invalid_path(format!(
                    "`{label}`: only multi-valued complex attributes take a value filter"
                )));
            }
            check_value_filter(filter, attribute).map_err(|e| ScimError::invalid_path(e.detail))?;
        }
        Ok(Self {
            extension: resolved.extension,
            attribute: resolved.attribute,
            filter,
            sub_attribute,
            label,
        })
    }

    /// One whole attribute of an extension.
    pub fn whole(extension: &'s Schema, attribute: &'s Attribute) -> Self {
        Self {
            extension: Some(&extension.id),
            attribute,
            filter: None,
            sub_attribute: None,
            label: format!("{}:{}", extension.id, attribute.name),
        }
    }

    /// The most specific definition targeted.
    pub fn leaf(&self) -> &'s Attribute {
        self.sub_attribute.unwrap_or(self.attribute)
    }
}
