//! What every provider module shares: the incoming call, the errors of
//! reading one, and the one set of body, query and encoding rules.
//!
//! This module is a leaf: it imports nothing from the provider modules or
//! from [`crate::call`], the dispatcher that uses them, so the dependency
//! graph of `core` has no cycle, and a JSON body, an empty body or a query
//! string is read the same way for every provider.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::catalogue::{Method, Operation, OperationInfo, Service};
use crate::validate::ValidationErrors;

/// A call as received, relative to the service root of a region:
/// for `POST /api/aws/outposts/us-east-1/connections`, `path` is `/connections`.
#[derive(Debug, Clone, Copy)]
pub struct IncomingCall<'a> {
    pub service: Service,
    pub method: Method,
    /// Path after the region, starting with `/`, percent-decoded.
    pub path: &'a str,
    /// Raw query string without `?`.
    pub query: Option<&'a str>,
    /// Request headers; lowercase names are not required.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl IncomingCall<'_> {
    /// Whether the body is empty or only whitespace.
    pub fn body_is_empty(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// Whether a query string was given.
    pub fn has_query(&self) -> bool {
        self.query.is_some_and(|q| !q.is_empty())
    }

    /// `NotForwarded` naming this call's method and (shortened) path.
    pub fn not_forwarded(&self) -> CallError {
        CallError::NotForwarded(format!(
            "{} {}",
            self.method.as_str(),
            truncate(self.path, 100)
        ))
    }

    /// Refuses a body for an operation that takes none.
    pub fn expect_no_body(&self, operation: Operation) -> Result<(), CallError> {
        if self.body_is_empty() {
            Ok(())
        } else {
            Err(CallError::Malformed(format!("{operation} takes no body")))
        }
    }

    /// Refuses a query string for an operation that takes none.
    pub fn expect_no_query(&self, operation: Operation) -> Result<(), CallError> {
        if self.has_query() {
            Err(CallError::Malformed(format!(
                "{operation} takes no query parameters"
            )))
        } else {
            Ok(())
        }
    }
}

/// Why a call was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// Not an operation cloudlink forwards for that service (answered with 403).
    NotForwarded(String),
    /// The body, path or query could not be read (400).
    Malformed(String),
    /// Read, but some fields break the rules (400 with every field error).
    Invalid(ValidationErrors),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::NotForwarded(what) => write!(f, "operation not forwarded: {what}"),
            CallError::Malformed(why) => write!(f, "malformed request: {why}"),
            CallError::Invalid(errors) => fmt::Display::fmt(errors, f),
        }
    }
}

impl std::error::Error for CallError {}

impl From<ValidationErrors> for CallError {
    fn from(e: ValidationErrors) -> Self {
        CallError::Invalid(e)
    }
}

/// Reads a JSON request body, the same way for every provider: an empty
/// body is `{}`, anything but a JSON object is refused (serde would read a
/// struct from an array, by position), and errors never echo a value.
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, CallError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => serde_json::from_slice(b"{}").map_err(|e| json_error(&e)),
        Some(b'{') => serde_json::from_slice(body).map_err(|e| json_error(&e)),
        Some(_) => Err(CallError::Malformed(
            "the body must be a JSON object".to_owned(),
        )),
    }
}

/// Turns a JSON error into a message that never repeats a value from the
/// body (which may hold a secret such as a BGP `authKey`).
pub fn json_error(e: &serde_json::Error) -> CallError {
    let text = e.to_string();
    let keep = [
        "unknown field",
        "missing field",
        "duplicate field",
        "unknown variant",
    ];
    if keep.iter().any(|k| text.starts_with(k)) {
        let short = text.split(", expected").next().unwrap_or(&text);
        let short = short.split(" at line").next().unwrap_or(short);
        return CallError::Malformed(short.to_owned());
    }
    let what = match e.classify() {
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Eof => "truncated JSON",
        serde_json::error::Category::Data => "a value of the wrong type",
        serde_json::error::Category::Io => "unreadable body",
    };
    CallError::Malformed(format!("{what} at line {} column {}", e.line(), e.column()))
}

/// A case-insensitive header lookup in a list of pairs.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The first `max` characters of `s`, for quoting user input in a message.
pub fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The path to send for a catalogue row: its template with the id
/// percent-encoded in place of `{id}`.
pub fn path_with_id(info: &OperationInfo, id: &str) -> String {
    match info.id_label() {
        Some((before, _, after)) => format!("{before}{}{after}", percent_encode(id)),
        None => info.path.to_owned(),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, for a path
/// segment or a query value.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a form-encoded query component (`+` is a space, as browsers'
/// `URLSearchParams` write it).
pub fn percent_decode_query(value: &str) -> Result<String, CallError> {
    let bad = || CallError::Malformed("invalid percent-encoding in the query".to_owned());
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or_else(bad)?;
                let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, Default)]
    #[serde(default)]
    struct Body {
        name: Option<String>,
    }

    #[test]
    fn json_body_reads_objects_and_empty_bodies_only() {
        assert_eq!(json_body::<Body>(b"  ").unwrap().name, None);
        let body: Body = json_body(br#" {"name":"a"}"#).unwrap();
        assert_eq!(body.name.as_deref(), Some("a"));
        assert_eq!(
            json_body::<Body>(br#"["a"]"#).unwrap_err(),
            CallError::Malformed("the body must be a JSON object".to_owned())
        );
        assert!(matches!(
            json_body::<Body>(b"{\"name\":"),
            Err(CallError::Malformed(m)) if m.starts_with("truncated JSON")
        ));
    }

    #[test]
    fn percent_round_trip() {
        let raw = "a b/c+d=é";
        let encoded = percent_encode(raw);
        assert_eq!(encoded, "a%20b%2Fc%2Bd%3D%C3%A9");
        assert_eq!(percent_decode_query(&encoded).unwrap(), raw);
        assert_eq!(percent_decode_query("a+b").unwrap(), "a b");
        assert!(percent_decode_query("%zz").is_err());
        assert!(percent_decode_query("%C3").is_err());
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("ééé", 2), "éé");
    }
}
