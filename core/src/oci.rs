//! OCI instance console connections (Core Services API, version 20160918):
//! create, list, get and delete, with camelCase members as OCI spells them.
//!
//! A console connection lets a user reach an instance's serial console over
//! SSH with their own key, so the key is checked here (see [`crate::ssh`])
//! before it is sent, and the OCIDs are checked to name the right kind of
//! resource, which OCI would otherwise answer with a bare 404.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::base::{
    CallError, IncomingCall, header, json_body, path_with_id, percent_decode_query, percent_encode,
    truncate,
};
use crate::catalogue::{self, APPLICATION_JSON, Operation, OperationInfo, Service};
use crate::contract::{CONTENT_TYPE, IF_MATCH, OPC_RETRY_TOKEN};
use crate::rules;
use crate::ssh::{KeyType, PublicKey};
use crate::validate::{Errors, Rule, ValidationErrors, path};
use crate::wire::HttpRequest;

/// The API version prefix of every Core Services path.
pub const API_VERSION: &str = "20160918";

/// `opc-retry-token`: 1 to 64 characters (CreateInstanceConsoleConnection page).
pub const RETRY_TOKEN_MAX: usize = 64;
/// An OCID is at most 255 characters: the `compartmentId` of an
/// InstanceConsoleConnection is documented as 1 to 255 characters.
pub const OCID_MAX: usize = 255;
/// `limit` of list calls: OCI Core list operations take 1 to 1000.
pub const LIST_LIMIT_MAX: i64 = 1000;
/// Smallest RSA key accepted for a console connection.
pub const MIN_RSA_BITS: u32 = 2048;

// Tag limits, from OCI's Tagging documentation ("Tag limits"); the API page
// itself gives none. The service stays the authority: these only catch what
// it would refuse anyway.
/// Characters in a tag key or a defined tag namespace name.
pub const TAG_KEY_MAX: usize = 100;
/// Characters in a tag value.
pub const TAG_VALUE_MAX: usize = 256;
/// Tags (free-form and defined together) on one resource.
pub const TAGS_MAX: usize = 64;

const HEADER_CHARS: &str = "visible ASCII characters";

crate::open_enum! {
    /// `InstanceConsoleConnection.lifecycleState`.
    pub enum LifecycleState {
        Active => "ACTIVE",
        Creating => "CREATING",
        Deleted => "DELETED",
        Deleting => "DELETING",
        Failed => "FAILED",
    }
}

impl LifecycleState {
    /// Whether the state will change by itself, so a console should poll.
    pub fn is_transitional(&self) -> bool {
        matches!(self, LifecycleState::Creating | LifecycleState::Deleting)
    }
}

/// `freeformTags`: key to value.
pub type FreeformTags = BTreeMap<String, String>;
/// `definedTags`: namespace to key to value (only strings are supported).
pub type DefinedTags = BTreeMap<String, BTreeMap<String, String>>;

/// An instance console connection, as OCI answers it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceConsoleConnection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compartment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_string: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defined_tags: Option<DefinedTags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freeform_tags: Option<FreeformTags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_state: Option<LifecycleState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_host_key_fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vnc_connection_string: Option<String>,
}

/// The answer to `ListInstanceConsoleConnections`: a JSON array.
pub type ListInstanceConsoleConnectionsResponse = Vec<InstanceConsoleConnection>;

/// `CreateInstanceConsoleConnectionDetails`. There is no `compartmentId`:
/// the connection is created in the instance's compartment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateInstanceConsoleConnectionDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defined_tags: Option<DefinedTags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freeform_tags: Option<FreeformTags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

impl CreateInstanceConsoleConnectionDetails {
    fn check(&self, errors: &mut Errors) {
        errors.required("instanceId", self.instance_id.as_deref(), |v| {
            ocid_of(v, INSTANCE)
        });
        errors.required("publicKey", self.public_key.as_deref(), console_public_key);
        check_tags(
            errors,
            self.freeform_tags.as_ref(),
            self.defined_tags.as_ref(),
        );
    }
}

/// `POST /20160918/instanceConsoleConnections`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateInstanceConsoleConnectionRequest {
    pub details: CreateInstanceConsoleConnectionDetails,
    /// `opc-retry-token`.
    pub retry_token: Option<String>,
}

/// `GET /20160918/instanceConsoleConnections?compartmentId=...`. As JSON
/// (see [`crate::ApiRequest::from_input_json`]) its members are the query's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ListInstanceConsoleConnectionsRequest {
    pub compartment_id: Option<String>,
    pub instance_id: Option<String>,
    pub limit: Option<i64>,
    /// The `opc-next-page` of the previous answer.
    pub page: Option<String>,
}

/// `GET /20160918/instanceConsoleConnections/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct GetInstanceConsoleConnectionRequest {
    pub instance_console_connection_id: String,
}

/// `DELETE /20160918/instanceConsoleConnections/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct DeleteInstanceConsoleConnectionRequest {
    pub instance_console_connection_id: String,
    /// `if-match`: the `etag` the caller last saw.
    pub if_match: Option<String>,
}

/// A typed OCI console connection request.
#[derive(Debug, Clone, PartialEq)]
pub enum OciRequest {
    Create(CreateInstanceConsoleConnectionRequest),
    List(ListInstanceConsoleConnectionsRequest),
    Get(GetInstanceConsoleConnectionRequest),
    Delete(DeleteInstanceConsoleConnectionRequest),
}

impl OciRequest {
    /// Reads a call on `/20160918/instanceConsoleConnections[/{id}]`,
    /// routed by the catalogue.
    pub fn from_call(call: &IncomingCall<'_>) -> Result<Self, CallError> {
        let (info, id) = catalogue::by_route(Service::OciCore, call.method, call.path)
            .ok_or_else(|| call.not_forwarded())?;
        let operation = info.operation;
        let request = match (operation, id) {
            (Operation::CreateInstanceConsoleConnection, None) => {
                OciRequest::Create(CreateInstanceConsoleConnectionRequest {
                    details: json_body(call.body)?,
                    retry_token: header(call.headers, OPC_RETRY_TOKEN).map(str::to_owned),
                })
            }
            (Operation::ListInstanceConsoleConnections, None) => {
                OciRequest::List(parse_list_query(call.query.unwrap_or(""))?)
            }
            (Operation::GetInstanceConsoleConnection, Some(id)) => {
                OciRequest::Get(GetInstanceConsoleConnectionRequest {
                    instance_console_connection_id: id,
                })
            }
            (Operation::DeleteInstanceConsoleConnection, Some(id)) => {
                OciRequest::Delete(DeleteInstanceConsoleConnectionRequest {
                    instance_console_connection_id: id,
                    if_match: header(call.headers, IF_MATCH).map(str::to_owned),
                })
            }
            _ => return Err(call.not_forwarded()),
        };
        if operation != Operation::CreateInstanceConsoleConnection {
            call.expect_no_body(operation)?;
        }
        if operation != Operation::ListInstanceConsoleConnections {
            call.expect_no_query(operation)?;
        }
        Ok(request)
    }

    /// This request's catalogue row.
    pub fn info(&self) -> OperationInfo {
        match self {
            OciRequest::Create(_) => catalogue::CREATE_INSTANCE_CONSOLE_CONNECTION,
            OciRequest::List(_) => catalogue::LIST_INSTANCE_CONSOLE_CONNECTIONS,
            OciRequest::Get(_) => catalogue::GET_INSTANCE_CONSOLE_CONNECTION,
            OciRequest::Delete(_) => catalogue::DELETE_INSTANCE_CONSOLE_CONNECTION,
        }
    }

    pub fn operation(&self) -> Operation {
        self.info().operation
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Errors::new();
        match self {
            OciRequest::Create(r) => {
                r.details.check(&mut errors);
                if let Some(token) = &r.retry_token {
                    errors.check("opc-retry-token", rules::length(token, 1, RETRY_TOKEN_MAX));
                    errors.check("opc-retry-token", header_value(token));
                }
            }
            OciRequest::List(r) => {
                errors.required("compartmentId", r.compartment_id.as_deref(), |v| {
                    ocid_of(v, COMPARTMENT)
                });
                if let Some(v) = &r.instance_id {
                    errors.check("instanceId", ocid_of(v, INSTANCE));
                }
                if let Some(v) = r.limit {
                    errors.check("limit", rules::range(v, 1, LIST_LIMIT_MAX));
                }
                if let Some(v) = &r.page {
                    // An opaque token from `opc-next-page`; OCI gives no limit.
                    errors.check("page", rules::non_empty(v));
                }
            }
            OciRequest::Get(r) => {
                check_connection_id(&mut errors, &r.instance_console_connection_id)
            }
            OciRequest::Delete(r) => {
                check_connection_id(&mut errors, &r.instance_console_connection_id);
                if let Some(v) = &r.if_match {
                    // An opaque etag; it only has to be a sound header value.
                    errors.check("if-match", rules::non_empty(v));
                    errors.check("if-match", header_value(v));
                }
            }
        }
        errors.into_result()
    }

    /// The request to send, re-serialized from the typed model, with method
    /// and path from the catalogue row. Every call carries `accept` and
    /// `content-type`, body or not: what the `oci` SDKs send (compared on
    /// the wire by `proxy/tests/wire_exactness.rs`).
    pub fn to_http(&self) -> HttpRequest {
        let info = self.info();
        let mut headers = vec![
            ("accept".to_owned(), APPLICATION_JSON.to_owned()),
            (CONTENT_TYPE.to_owned(), APPLICATION_JSON.to_owned()),
        ];
        let mut body = Vec::new();
        let path_and_query = match self {
            OciRequest::Create(r) => {
                headers.extend(
                    r.retry_token
                        .iter()
                        .map(|t| (OPC_RETRY_TOKEN.to_owned(), t.clone())),
                );
                body = serde_json::to_vec(&r.details).unwrap_or_default();
                info.path.to_owned()
            }
            OciRequest::List(r) => list_path(info.path, r),
            OciRequest::Get(r) => path_with_id(&info, &r.instance_console_connection_id),
            OciRequest::Delete(r) => {
                headers.extend(r.if_match.iter().map(|v| (IF_MATCH.to_owned(), v.clone())));
                path_with_id(&info, &r.instance_console_connection_id)
            }
        };
        HttpRequest {
            method: info.method,
            path_and_query,
            headers,
            body,
        }
    }

    /// Gives a Create without `opc-retry-token` one, so a retried call can
    /// never create a second connection. Other requests are left alone.
    pub fn ensure_retry_token(&mut self, generate: impl FnOnce() -> String) {
        if let OciRequest::Create(r) = self
            && r.retry_token.is_none()
        {
            r.retry_token = Some(generate());
        }
    }
}

/// The collection path with the list's query, in the order the SDKs send it.
fn list_path(collection: &str, r: &ListInstanceConsoleConnectionsRequest) -> String {
    let limit = r.limit.map(|v| v.to_string());
    let pairs = [
        ("compartmentId", r.compartment_id.as_deref()),
        ("instanceId", r.instance_id.as_deref()),
        ("limit", limit.as_deref()),
        ("page", r.page.as_deref()),
    ];
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", percent_encode(v))))
        .collect();
    if query.is_empty() {
        collection.to_owned()
    } else {
        format!("{collection}?{}", query.join("&"))
    }
}

fn parse_list_query(query: &str) -> Result<ListInstanceConsoleConnectionsRequest, CallError> {
    let mut request = ListInstanceConsoleConnectionsRequest::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode_query(raw_name)?;
        let value = percent_decode_query(raw_value)?;
        let slot = match name.as_str() {
            "compartmentId" => &mut request.compartment_id,
            "instanceId" => &mut request.instance_id,
            "page" => &mut request.page,
            "limit" => {
                if request.limit.is_some() {
                    return Err(duplicate(&name));
                }
                let limit = value
                    .parse::<i64>()
                    .map_err(|_| CallError::Malformed("limit must be a whole number".to_owned()))?;
                request.limit = Some(limit);
                continue;
            }
            _ => {
                return Err(CallError::Malformed(format!(
                    "unknown query parameter {}",
                    truncate(&name, 64)
                )));
            }
        };
        if slot.is_some() {
            return Err(duplicate(&name));
        }
        *slot = Some(value);
    }
    Ok(request)
}

fn duplicate(name: &str) -> CallError {
    CallError::Malformed(format!("duplicate query parameter {name}"))
}

/// The `instanceConsoleConnection` id of Get and Delete.
fn check_connection_id(errors: &mut Errors, id: &str) {
    errors.required("instanceConsoleConnectionId", Some(id), |v| {
        ocid_of(v, CONSOLE_CONNECTION)
    });
}

/// A header value must be visible ASCII, or it could not be sent as is.
fn header_value(value: &str) -> Result<(), Rule> {
    rules::charset(value, HEADER_CHARS, |c| c.is_ascii_graphic())
}

/// The public key of a console connection: an OpenSSH public key line, RSA
/// keys of at least [`MIN_RSA_BITS`].
pub fn console_public_key(value: &str) -> Result<(), Rule> {
    let key = PublicKey::parse(value).map_err(Rule::SshKey)?;
    if key.key_type() == KeyType::Rsa && key.bits() < MIN_RSA_BITS {
        return Err(Rule::RsaTooShort {
            bits: key.bits(),
            min: MIN_RSA_BITS,
        });
    }
    Ok(())
}

fn check_tags(errors: &mut Errors, freeform: Option<&FreeformTags>, defined: Option<&DefinedTags>) {
    let mut total = 0;
    for (key, value) in freeform.into_iter().flatten() {
        total += 1;
        let field = path("freeformTags", &truncate(key, TAG_KEY_MAX + 1));
        errors.check(field.clone(), rules::length(key, 1, TAG_KEY_MAX));
        errors.check(field, rules::length(value, 0, TAG_VALUE_MAX));
    }
    for (namespace, tags) in defined.into_iter().flatten() {
        let ns_field = path("definedTags", &truncate(namespace, TAG_KEY_MAX + 1));
        errors.check(ns_field.clone(), rules::length(namespace, 1, TAG_KEY_MAX));
        if tags.is_empty() {
            errors.add(ns_field.clone(), Rule::EmptyNamespace);
        }
        for (key, value) in tags {
            total += 1;
            let field = path(&ns_field, &truncate(key, TAG_KEY_MAX + 1));
            errors.check(field.clone(), rules::length(key, 1, TAG_KEY_MAX));
            errors.check(field, rules::length(value, 0, TAG_VALUE_MAX));
        }
    }
    if total > TAGS_MAX {
        errors.add(
            "tags",
            Rule::TooMany {
                max: TAGS_MAX,
                actual: total,
            },
        );
    }
}

/// Which resource types an OCID field accepts, and how to say so.
#[derive(Debug, Clone, Copy)]
pub struct OcidKind {
    pub types: &'static [&'static str],
    pub expected: &'static str,
}

pub const INSTANCE: OcidKind = OcidKind {
    types: &["instance"],
    expected: "an instance OCID (ocid1.instance.<realm>.<region>.<unique id>)",
};
pub const COMPARTMENT: OcidKind = OcidKind {
    types: &["compartment", "tenancy"],
    expected: "a compartment or tenancy OCID (ocid1.compartment.<realm>..<unique id>)",
};
pub const CONSOLE_CONNECTION: OcidKind = OcidKind {
    types: &["instanceconsoleconnection"],
    expected: "an instance console connection OCID (ocid1.instanceconsoleconnection.<realm>.<region>.<unique id>)",
};

/// Checks that `value` is an OCID of one of `kind`'s resource types.
pub fn ocid_of(value: &str, kind: OcidKind) -> Result<(), Rule> {
    rules::length(value, 1, OCID_MAX)?;
    match Ocid::parse(value) {
        Ok(ocid) if kind.types.contains(&ocid.resource_type) => Ok(()),
        _ => Err(Rule::Format {
            expected: kind.expected,
        }),
    }
}

/// An Oracle Cloud ID:
/// `ocid1.<resource type>.<realm>.[region][.future use].<unique id>`.
///
/// The region is empty for resources that are not regional (tenancies,
/// compartments); the future-use part is absent or empty today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ocid<'a> {
    pub resource_type: &'a str,
    pub realm: &'a str,
    pub region: &'a str,
    pub future_use: Option<&'a str>,
    pub unique_id: &'a str,
}

/// Why a string is not an OCID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcidError {
    TooLong(usize),
    /// Not starting with `ocid1.`.
    NotOcid1,
    /// Fewer than 5 or more than 6 dot-separated parts.
    PartCount(usize),
    /// A part is empty where it may not be, or holds a character it may not.
    BadPart(&'static str),
}

impl fmt::Display for OcidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OcidError::TooLong(n) => write!(f, "is {n} characters long, more than {OCID_MAX}"),
            OcidError::NotOcid1 => f.write_str("must start with ocid1."),
            OcidError::PartCount(n) => write!(f, "must have 5 or 6 dot-separated parts, not {n}"),
            OcidError::BadPart(part) => write!(f, "has an invalid {part}"),
        }
    }
}

impl std::error::Error for OcidError {}

impl<'a> Ocid<'a> {
    pub fn parse(value: &'a str) -> Result<Ocid<'a>, OcidError> {
        let len = value.chars().count();
        if len > OCID_MAX {
            return Err(OcidError::TooLong(len));
        }
        let parts: Vec<&str> = value.split('.').collect();
        if parts.first() != Some(&"ocid1") {
            return Err(OcidError::NotOcid1);
        }
        let (resource_type, realm, region, future_use, unique_id) = match parts.as_slice() {
            [_, t, realm, region, unique] => (*t, *realm, *region, None, *unique),
            [_, t, realm, region, future, unique] => (*t, *realm, *region, Some(*future), *unique),
            _ => return Err(OcidError::PartCount(parts.len())),
        };
        let lower_alnum = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        let region_chars = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if resource_type.is_empty() || !lower_alnum(resource_type) {
            return Err(OcidError::BadPart("resource type"));
        }
        if realm.is_empty() || !lower_alnum(realm) {
            return Err(OcidError::BadPart("realm"));
        }
        if !region_chars(region) {
            return Err(OcidError::BadPart("region"));
        }
        if future_use.is_some_and(|f| !region_chars(f)) {
            return Err(OcidError::BadPart("future use part"));
        }
        let unique_ok = unique_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if unique_id.is_empty() || !unique_ok {
            return Err(OcidError::BadPart("unique id"));
        }
        Ok(Ocid {
            resource_type,
            realm,
            region,
            future_use,
            unique_id,
        })
    }
}
