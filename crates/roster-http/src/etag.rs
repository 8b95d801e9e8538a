//! Versions on the wire: `ETag` on responses, `If-Match` on conditional updates.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The strong entity tag of a version: `"7"`.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// A JSON response for an entity at `version`, with its `ETag`.
pub fn versioned(status: StatusCode, body: impl serde::Serialize, version: i64) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    response
}

/// The version an update is conditional on: `None` without `If-Match` (or with `*`). A tag that is
/// not one of ours can match no version, so it yields one that never exists and the update gets 412.
pub fn if_match(headers: &HeaderMap) -> Option<i64> {
    let value = headers
        .get(axum::http::header::IF_MATCH)?
        .to_str()
        .unwrap_or("");
    version_of_tag(value)
}

/// The version an entity tag names (`"3"`, `W/"3"`, `3`), as [`if_match`] reads it.
pub fn version_of_tag(tag: &str) -> Option<i64> {
    let tag = tag.trim();
    if tag == "*" {
        return None;
    }
    let tag = tag.strip_prefix("W/").unwrap_or(tag).trim_matches('"');
    Some(tag.parse::<i64>().unwrap_or(-1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::IF_MATCH,
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn if_match_reads_strong_weak_and_bare_tags() {
        assert_eq!(if_match(&headers("\"3\"")), Some(3));
        assert_eq!(if_match(&headers("W/\"4\"")), Some(4));
        assert_eq!(if_match(&headers("5")), Some(5));
        assert_eq!(if_match(&headers("*")), None);
        assert_eq!(if_match(&headers("\"abc\"")), Some(-1));
        assert_eq!(if_match(&HeaderMap::new()), None);
    }
}
