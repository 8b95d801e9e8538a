//! Recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2 (figure 1):
//! `or` over `and` over `not` / parentheses / attribute expressions.

use super::{CompareOp, Filter};
use crate::syntax::{Cursor, Parsed};

/// A whole filter: nothing may follow it.
pub(crate) fn filter(cursor: &mut Cursor<'_>) -> Parsed<Filter> {
    let parsed = Parser {
        cursor,
        in_value_path: false,
    }
    .or_expression()?;
    cursor.skip_whitespace();
    if !cursor.is_at_end() {
        return cursor.error(format!("unexpected {}", cursor.upcoming()));
    }
    Ok(parsed)
}

/// The `valFilter` between a value path's brackets; the caller consumes the `]`.
pub(crate) fn value_filter(cursor: &mut Cursor<'_>) -> Parsed<Filter> {
    let parsed = Parser {
        cursor,
        in_value_path: true,
    }
    .or_expression()?;
    cursor.skip_whitespace();
    Ok(parsed)
}

struct Parser<'c, 'a> {
    cursor: &'c mut Cursor<'a>,
    /// Value paths do not nest: a `valFilter` holds attribute expressions only.
    in_value_path: bool,
}

impl Parser<'_, '_> {
    fn or_expression(&mut self) -> Parsed<Filter> {
        let mut left = self.and_expression()?;
        loop {
            self.cursor.skip_whitespace();
            if !self.cursor.eat_keyword("or") {
                return Ok(left);
            }
            let right = self.and_expression()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
    }

    fn and_expression(&mut self) -> Parsed<Filter> {
        let mut left = self.unary()?;
        loop {
            self.cursor.skip_whitespace();
            if !self.cursor.eat_keyword("and") {
                return Ok(left);
            }
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Parsed<Filter> {
        self.cursor.skip_whitespace();
        if self.cursor.eat('(') {
            return self.group();
        }
        // `not` only negates a parenthesised filter; otherwise it is an attribute named "not".
        let before_not = self.cursor.clone();
        if self.cursor.eat_keyword("not") {
            self.cursor.skip_whitespace();
            if self.cursor.eat('(') {
                return Ok(Filter::Not(Box::new(self.group()?)));
            }
            *self.cursor = before_not;
        }
        self.attribute_expression()
    }

    /// The rest of `( filter )`, the opening parenthesis consumed.
    fn group(&mut self) -> Parsed<Filter> {
        let inner = self.or_expression()?;
        self.cursor.skip_whitespace();
        self.cursor.expect(')')?;
        Ok(inner)
    }

    fn attribute_expression(&mut self) -> Parsed<Filter> {
        let path = self.cursor.attr_path()?;
        if self.cursor.eat('[') {
            if self.in_value_path {
                return self.cursor.error("value filters cannot be nested");
            }
            if path.sub_attribute.is_some() {
                return self.cursor.error(format!(
                    "`{path}` is a sub-attribute; it has no values to filter"
                ));
            }
            let inner = value_filter(self.cursor)?;
            self.cursor.expect(']')?;
            return Ok(Filter::ValuePath {
                path,
                filter: Box::new(inner),
            });
        }
        self.cursor.skip_whitespace();
        if self.cursor.eat_keyword("pr") {
            return Ok(Filter::Present(path));
        }
        let word = self.cursor.peek_word();
        let op = match CompareOp::from_keyword(word) {
            Some(op) if self.cursor.eat_keyword(word) => op,
            _ => {
                return self.cursor.error(format!(
                    "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after \
                     `{path}`, found {}",
                    self.cursor.upcoming()
                ))
            }
        };
        self.cursor.skip_whitespace();
        let value = self.cursor.comparison_value()?;
        Ok(Filter::Compare { path, op, value })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, CompareOp, Filter};
    use crate::error::ScimType;
    use crate::path::AttrPath;
    use serde_json::json;

    fn parsed(text: &str) -> Filter {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn eq(attribute: &str, value: &str) -> Filter {
        Filter::Compare {
            path: AttrPath::new(attribute),
            op: CompareOp::Eq,
            value: json!(value),
        }
    }

    fn present(attribute: &str) -> Filter {
        Filter::Present(AttrPath::new(attribute))
    }

    fn boxed(filter: Filter) -> Box<Filter> {
        Box::new(filter)
    }

    #[test]
    fn filter_parses_comparison() {
        assert_eq!(
            parsed(r#"userName eq "bjensen""#),
            eq("userName", "bjensen")
        );
    }

    #[test]
    fn filter_operators_and_keywords_are_case_insensitive() {
        assert_eq!(
            parsed(r#"userName EQ "bjensen""#),
            eq("userName", "bjensen")
        );
        assert_eq!(
            parsed("title PR AND userType Pr"),
            Filter::And(boxed(present("title")), boxed(present("userType")))
        );
        assert!(matches!(parsed(r#"NOT (title pr)"#), Filter::Not(_)));
    }

    #[test]
    fn filter_precedence_and_binds_tighter_than_or() {
        assert_eq!(
            parsed("a pr or b pr and c pr"),
            Filter::Or(
                boxed(present("a")),
                boxed(Filter::And(boxed(present("b")), boxed(present("c"))))
            )
        );
    }

    #[test]
    fn filter_precedence_not_binds_tighter_than_and() {
        assert_eq!(
            parsed("not (a pr) and b pr"),
            Filter::And(boxed(Filter::Not(boxed(present("a")))), boxed(present("b")))
        );
    }

    #[test]
    fn filter_parentheses_group() {
        assert_eq!(
            parsed("(a pr or b pr) and c pr"),
            Filter::And(
                boxed(Filter::Or(boxed(present("a")), boxed(present("b")))),
                boxed(present("c"))
            )
        );
    }

    #[test]
    fn filter_not_accepts_optional_space_before_parenthesis() {
        assert_eq!(parsed("not(a pr)"), parsed("not (a pr)"));
    }

    #[test]
    fn filter_attribute_named_not_is_still_an_attribute() {
        assert_eq!(parsed("not pr"), present("not"));
    }

    #[test]
    fn filter_parses_value_path() {
        let filter = parsed(r#"emails[type eq "work" and value co "@example.com"]"#);
        assert_eq!(
            filter,
            Filter::ValuePath {
                path: AttrPath::new("emails"),
                filter: boxed(Filter::And(
                    boxed(eq("type", "work")),
                    boxed(Filter::Compare {
                        path: AttrPath::new("value"),
                        op: CompareOp::Co,
                        value: json!("@example.com")
                    })
                ))
            }
        );
    }

    #[test]
    fn filter_parses_json_values() {
        let value_of = |text: &str| match parsed(&format!("a eq {text}")) {
            Filter::Compare { value, .. } => value,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(value_of(r#""O'Malley \"Jr\"""#), json!("O'Malley \"Jr\""));
        assert_eq!(value_of("true"), json!(true));
        assert_eq!(value_of("false"), json!(false));
        assert_eq!(value_of("null"), json!(null));
        assert_eq!(value_of("42"), json!(42));
        assert_eq!(value_of("-1.5"), json!(-1.5));
    }

    #[test]
    fn filter_parses_urn_qualified_paths() {
        let filter = parsed(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#);
        let Filter::Compare { path, op, .. } = filter else {
            panic!("not a comparison")
        };
        assert_eq!(
            path.uri.as_deref(),
            Some("urn:ietf:params:scim:schemas:core:2.0:User")
        );
        assert_eq!((path.attribute.as_str(), op), ("userName", CompareOp::Sw));
    }

    #[test]
    fn filter_parses_every_rfc_example() {
        for example in [
            r#"userName eq "bjensen""#,
            r#"name.familyName co "O'Malley""#,
            r#"userName sw "J""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            "title pr",
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
            r#"title pr and userType eq "Employee""#,
            r#"title pr or userType eq "Intern""#,
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType eq "Employee" and (emails.type eq "work")"#,
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        ] {
            let filter = parsed(example);
            assert_eq!(parsed(&filter.to_string()), filter, "{example} round-trips");
        }
    }

    #[test]
    fn filter_display_parenthesises_or_under_and() {
        let filter = parsed(r#"a eq "x" and (b pr or c pr)"#);
        assert_eq!(filter.to_string(), r#"a eq "x" and (b pr or c pr)"#);
    }

    fn rejection(text: &str) -> String {
        let error = parse(text).expect_err(text);
        assert_eq!(error.scim_type, Some(ScimType::InvalidFilter), "{text}");
        error.detail
    }

    #[test]
    fn filter_rejects_trailing_garbage() {
        assert!(rejection(r#"userName eq "x" extra"#).contains("position 16"));
    }

    #[test]
    fn filter_rejects_unterminated_string() {
        assert!(rejection(r#"userName eq "bjensen"#).contains("unterminated string"));
    }

    #[test]
    fn filter_rejects_unknown_operator() {
        assert!(rejection(r#"userName like "x""#).contains("found `like"));
    }

    #[test]
    fn filter_rejects_malformed_expressions() {
        for bad in [
            "",
            "userName",
            "userName eq",
            "userName eq bjensen",
            "(title pr",
            "title pr)",
            "title pr and",
            "not title pr",
            r#"emails[type eq "work""#,
            r#"emails[type eq "work"].value eq "x""#,
            r#"emails[type eq "work" and ims[type pr]]"#,
            r#"name.givenName[value pr]"#,
        ] {
            rejection(bad);
        }
    }
}
