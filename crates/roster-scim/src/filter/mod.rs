//! SCIM filters (RFC 7644 §3.4.2.2): the expression tree, its parser and its evaluation.
//!
//! The tree is public so a caller can recognise simple shapes (say `userName eq "x"`) and answer
//! them from an index instead of scanning with [`Filter::matches`].

mod eval;
pub(crate) mod parser;

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use crate::error::ScimError;
use crate::path::AttrPath;
use crate::schema::{Attribute, ResourceSchema};
use crate::syntax::Cursor;

pub(crate) use eval::matches_element;
use eval::Scope;

/// A parsed filter. Inside [`Filter::ValuePath`] the paths name sub-attributes of the filtered
/// attribute (`type` in `emails[type eq "work"]`).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attrPath op value`; the value is a JSON string, number, boolean or null.
    Compare {
        path: AttrPath,
        op: CompareOp,
        value: Value,
    },
    /// `attrPath pr`: the attribute has a non-empty value.
    Present(AttrPath),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `attrPath[filter]`: some value of the complex attribute satisfies the inner filter.
    ValuePath {
        path: AttrPath,
        filter: Box<Filter>,
    },
}

/// The comparison operators of RFC 7644 §3.4.2.2, table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    /// The operator a keyword names, case-insensitively.
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        const ALL: [CompareOp; 9] = [
            CompareOp::Eq,
            CompareOp::Ne,
            CompareOp::Co,
            CompareOp::Sw,
            CompareOp::Ew,
            CompareOp::Gt,
            CompareOp::Ge,
            CompareOp::Lt,
            CompareOp::Le,
        ];
        ALL.into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(keyword))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }

    /// `gt`, `ge`, `lt`, `le`: undefined for booleans, binaries and complex attributes.
    pub fn is_ordering(self) -> bool {
        matches!(self, Self::Gt | Self::Ge | Self::Lt | Self::Le)
    }

    /// `co`, `sw`, `ew`: defined for text only.
    pub fn is_substring(self) -> bool {
        matches!(self, Self::Co | Self::Sw | Self::Ew)
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a `filter` query parameter (or `filter` of a search request). Operators, keywords and
/// attribute names are case-insensitive; `not` binds tighter than `and`, which binds tighter
/// than `or`. A syntax error is `invalidFilter`, its detail saying where.
pub fn parse(input: &str) -> Result<Filter, ScimError> {
    parser::filter(&mut Cursor::new(input))
        .map_err(|e| ScimError::invalid_filter(format!("invalid filter: {}", e.describe())))
}

impl FromStr for Filter {
    type Err = ScimError;

    fn from_str(input: &str) -> Result<Self, ScimError> {
        parse(input)
    }
}

impl Filter {
    /// Checks the filter against the schema: operators must suit the attribute types and values
    /// must have them, else `invalidFilter`. Attributes the schema does not know are accepted and
    /// simply never match. [`Self::matches`] checks too; call this to fail before a scan.
    pub fn validate(&self, schema: &ResourceSchema) -> Result<(), ScimError> {
        eval::check(self, &Scope::Resource(schema))
    }

    /// Whether `resource` satisfies the filter, after [`Self::validate`].
    pub fn matches(&self, resource: &Value, schema: &ResourceSchema) -> Result<bool, ScimError> {
        let scope = Scope::Resource(schema);
        eval::check(self, &scope)?;
        Ok(eval::eval(self, resource, &scope))
    }
}

/// Checks a value filter (the `[...]` of a PATCH path) against the complex attribute it filters.
pub(crate) fn check_value_filter(filter: &Filter, parent: &Attribute) -> Result<(), ScimError> {
    eval::check(filter, &Scope::Element(parent))
}

impl fmt::Display for Filter {
    /// Canonical text that parses back to an equivalent filter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare { path, op, value } => write!(f, "{path} {op} {value}"),
            Self::Present(path) => write!(f, "{path} pr"),
            Self::And(left, right) => {
                write_and_operand(f, left)?;
                f.write_str(" and ")?;
                write_and_operand(f, right)
            }
            Self::Or(left, right) => write!(f, "{left} or {right}"),
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::ValuePath { path, filter } => write!(f, "{path}[{filter}]"),
        }
    }
}

/// An `or` inside an `and` needs parentheses to keep its meaning.
fn write_and_operand(f: &mut fmt::Formatter<'_>, operand: &Filter) -> fmt::Result {
    match operand {
        Filter::Or(..) => write!(f, "({operand})"),
        _ => write!(f, "{operand}"),
    }
}
