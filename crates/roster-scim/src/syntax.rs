//! A cursor over filter and path text with the lexical pieces both grammars share (RFC 7644
//! §3.4.2.2 and §3.5.2): attribute paths, keywords, and JSON comparison values.

use serde_json::Value;

use crate::path::AttrPath;

/// What went wrong, and where (a byte offset), for the caller to wrap in its SCIM error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub position: usize,
    pub message: String,
}

impl SyntaxError {
    /// "`message` at position `n`", ready for an error detail.
    pub fn describe(&self) -> String {
        format!("{} at position {}", self.message, self.position)
    }
}

pub(crate) type Parsed<T> = Result<T, SyntaxError>;

#[derive(Clone)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, position: 0 }
    }

    pub fn error<T>(&self, message: impl Into<String>) -> Parsed<T> {
        Err(SyntaxError {
            position: self.position,
            message: message.into(),
        })
    }

    fn rest(&self) -> &'a str {
        &self.text[self.position..]
    }

    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub fn is_at_end(&self) -> bool {
        self.position == self.text.len()
    }

    /// A short excerpt of what comes next, for "unexpected …" messages.
    pub fn upcoming(&self) -> String {
        match self.peek() {
            None => "end of input".to_owned(),
            Some(_) => format!("`{}`", self.rest().chars().take(12).collect::<String>()),
        }
    }

    pub fn skip_whitespace(&mut self) {
        let trimmed = self.rest().trim_start();
        self.position = self.text.len() - trimmed.len();
    }

    pub fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.position += expected.len_utf8();
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, expected: char) -> Parsed<()> {
        if self.eat(expected) {
            Ok(())
        } else {
            self.error(format!("expected `{expected}`, found {}", self.upcoming()))
        }
    }

    /// The run of letters at the cursor (operators and keywords), without consuming it.
    pub fn peek_word(&self) -> &'a str {
        let rest = self.rest();
        let end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        &rest[..end]
    }

    /// Consumes `keyword` (case-insensitively) if it is the whole word at the cursor.
    pub fn eat_keyword(&mut self, keyword: &str) -> bool {
        let word = self.peek_word();
        let ends_word = !self.rest()[word.len()..].starts_with(is_name_char);
        if word.eq_ignore_ascii_case(keyword) && ends_word {
            self.position += word.len();
            true
        } else {
            false
        }
    }

    /// `attrPath = [URI ":"] ATTRNAME *1subAttr`. The URI, when there is one, runs to the last
    /// `:` of the token, since attribute names cannot contain one while URNs such as
    /// `urn:…:enterprise:2.0:User` contain dots.
    pub fn attr_path(&mut self) -> Parsed<AttrPath> {
        let start = self.position;
        let rest = self.rest();
        let end = rest.find(|c: char| !is_path_char(c)).unwrap_or(rest.len());
        let token = &rest[..end];
        if token.is_empty() {
            return self.error(format!(
                "expected an attribute path, found {}",
                self.upcoming()
            ));
        }
        let (uri, names) = match token.rfind(':') {
            Some(colon) => (Some(&token[..colon]), &token[colon + 1..]),
            None => (None, token),
        };
        let mut parts = names.split('.');
        let attribute = parts.next().unwrap_or_default();
        let sub_attribute = parts.next();
        let malformed = uri.is_some_and(str::is_empty)
            || !is_attribute_name(attribute)
            || sub_attribute.is_some_and(|s| !is_attribute_name(s))
            || parts.next().is_some();
        if malformed {
            return self.error(format!("malformed attribute path `{token}`"));
        }
        self.position = start + end;
        Ok(AttrPath {
            uri: uri.map(str::to_owned),
            attribute: attribute.to_owned(),
            sub_attribute: sub_attribute.map(str::to_owned),
        })
    }

    /// A bare attribute name (the `subAttr` after a value filter's `].`).
    pub fn attribute_name(&mut self) -> Parsed<String> {
        let rest = self.rest();
        let end = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
        let name = &rest[..end];
        if !is_attribute_name(name) {
            return self.error(format!(
                "expected an attribute name, found {}",
                self.upcoming()
            ));
        }
        self.position += end;
        Ok(name.to_owned())
    }

    /// `compValue = false / null / true / number / string`, with JSON's syntax for each; the
    /// literal is handed to serde_json so escapes and numbers mean exactly what JSON says.
    pub fn comparison_value(&mut self) -> Parsed<Value> {
        let start = self.position;
        let literal = match self.peek() {
            Some('"') => self.string_literal()?,
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let rest = self.rest();
                let end = rest
                    .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
                    .unwrap_or(rest.len());
                &rest[..end]
            }
            _ => {
                let word = self.peek_word();
                if ["true", "false", "null"].contains(&word) {
                    word
                } else {
                    return self.error(format!(
                        "expected a comparison value (string, number, true, false or null), \
                         found {}",
                        self.upcoming()
                    ));
                }
            }
        };
        let value = serde_json::from_str::<Value>(literal)
            .or_else(|e| self.error(format!("invalid comparison value `{literal}`: {e}")))?;
        self.position = start + literal.len();
        Ok(value)
    }

    /// The quoted string at the cursor, quotes included, with escapes left for JSON to decode.
    fn string_literal(&self) -> Parsed<&'a str> {
        let rest = self.rest();
        let mut escaped = false;
        for (offset, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return Ok(&rest[..=offset]),
                _ => {}
            }
        }
        self.error("unterminated string")
    }
}

/// `nameChar = "-" / "_" / DIGIT / ALPHA`
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Characters of a whole `attrPath` token, URN prefix included.
fn is_path_char(c: char) -> bool {
    is_name_char(c) || matches!(c, ':' | '.' | '$')
}

/// `ATTRNAME = ALPHA *(nameChar)`, plus a leading `$` because RFC 7643 itself names `$ref`.
fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '$');
    first_ok && chars.all(is_name_char)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Parsed<Value> {
        Cursor::new(text).comparison_value()
    }

    #[test]
    fn comparison_values_follow_json() {
        assert_eq!(value(r#""a\"b\u00e9""#), Ok(json!("a\"bé")));
        assert_eq!(value("true"), Ok(json!(true)));
        assert_eq!(value("null"), Ok(Value::Null));
        assert_eq!(value("-12"), Ok(json!(-12)));
        assert_eq!(value("2.5e3"), Ok(json!(2500.0)));
    }

    #[test]
    fn comparison_values_reject_bare_words_and_bad_literals() {
        assert!(value("bjensen").is_err());
        assert!(value("True").is_err());
        assert!(value("1.2.3").is_err());
        assert!(value(r#""\q""#).is_err());
        assert_eq!(
            value(r#""open"#).map_err(|e| e.message),
            Err("unterminated string".into())
        );
    }

    #[test]
    fn attr_path_stops_at_the_first_non_path_character() {
        let mut cursor = Cursor::new("emails[type eq \"work\"]");
        let path = cursor.attr_path().expect("parses");
        assert_eq!(path.attribute, "emails");
        assert_eq!(cursor.peek(), Some('['));
    }

    #[test]
    fn keywords_must_be_whole_words() {
        let mut cursor = Cursor::new("order");
        assert!(!cursor.eat_keyword("or"));
        assert!(Cursor::new("OR (").eat_keyword("or"));
    }
}
