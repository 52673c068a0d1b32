//! AWS Outposts StartConnection / GetConnection: reading calls, every rule at
//! its bounds, the model's facts (core/tests/data/outposts/model-facts.json)
//! and the seed documents' examples.

use cloudlink_core::catalogue::{Method, Operation, Service};
use cloudlink_core::outposts::{
    CONNECTION_ID_MAX, GetConnectionRequest, GetConnectionResponse, OutpostsRequest,
    StartConnectionRequest, StartConnectionResponse, WIREGUARD_KEY_LENGTH, WORD_ID_MAX,
};
use cloudlink_core::{ApiRequest, CallError, IncomingCall, Rule};
use serde_json::{Value, json};

const KEY: &str = "sRZUuXgi6hY6ikNFGXoAqZ2E70dTY+8EMXDCCVEfRWg=";

fn data(file: &str) -> Value {
    let path = format!("{}/tests/data/outposts/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn call<'a>(
    method: Method,
    path: &'a str,
    query: Option<&'a str>,
    body: &'a [u8],
) -> IncomingCall<'a> {
    IncomingCall {
        service: Service::Outposts,
        method,
        path,
        query,
        headers: &[],
        body,
    }
}

fn start(body: Value) -> Result<OutpostsRequest, CallError> {
    let bytes = serde_json::to_vec(&body).unwrap();
    OutpostsRequest::from_call(&call(Method::Post, "/connections", None, &bytes))
}

fn valid_start() -> Value {
    json!({
        "AssetId": "i_0123456789abcdef0",
        "ClientPublicKey": KEY,
        "DeviceSerialNumber": "GJX2D93HK1",
        "NetworkInterfaceDeviceIndex": 1
    })
}

/// The rules broken by a StartConnection body with `field` set to `value`.
fn start_errors(field: &str, value: Value) -> Vec<(String, Rule)> {
    let mut body = valid_start();
    if value.is_null() {
        body.as_object_mut().unwrap().remove(field);
    } else {
        body[field] = value;
    }
    match start(body).unwrap().validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .into_errors()
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect(),
    }
}

fn get_errors(id: &str) -> Vec<(String, Rule)> {
    let r = OutpostsRequest::GetConnection(GetConnectionRequest {
        connection_id: id.to_owned(),
    });
    match r.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .into_errors()
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect(),
    }
}

/// The (field, rule) pairs a request breaks.
type Broken = Vec<(String, Rule)>;
/// Method, path, query, body and the start of the expected message.
type MalformedCase = (
    Method,
    &'static str,
    Option<&'static str>,
    &'static [u8],
    &'static str,
);

const WORD: Rule = Rule::Charset {
    allowed: "letters, digits and underscores",
};
const WG_FORMAT: Rule = Rule::Format {
    expected: "a WireGuard public key: 43 base64 characters (letters, digits, / or +) then =",
};

#[test]
fn start_connection_rules_at_their_bounds() {
    let f = |field: &str, rule: Rule| vec![(field.to_owned(), rule)];
    let ok = Vec::new;
    let cases: Vec<(&str, Value, Broken)> = vec![
        ("AssetId", json!("a"), ok()),
        ("AssetId", json!("A".repeat(100)), ok()),
        ("AssetId", json!("A_z_0"), ok()),
        ("AssetId", json!(""), f("AssetId", Rule::Required)),
        ("AssetId", Value::Null, f("AssetId", Rule::Required)),
        (
            "AssetId",
            json!("A".repeat(101)),
            f(
                "AssetId",
                Rule::Length {
                    min: 1,
                    max: 100,
                    actual: 101,
                },
            ),
        ),
        ("AssetId", json!("a-b"), f("AssetId", WORD)),
        ("AssetId", json!("a b"), f("AssetId", WORD)),
        ("AssetId", json!("é"), f("AssetId", WORD)),
        ("DeviceSerialNumber", Value::Null, ok()),
        ("DeviceSerialNumber", json!("1"), ok()),
        ("DeviceSerialNumber", json!("9".repeat(100)), ok()),
        (
            "DeviceSerialNumber",
            json!(""),
            f(
                "DeviceSerialNumber",
                Rule::Length {
                    min: 1,
                    max: 100,
                    actual: 0,
                },
            ),
        ),
        (
            "DeviceSerialNumber",
            json!("9".repeat(101)),
            f(
                "DeviceSerialNumber",
                Rule::Length {
                    min: 1,
                    max: 100,
                    actual: 101,
                },
            ),
        ),
        (
            "DeviceSerialNumber",
            json!("GJX-2D93"),
            f("DeviceSerialNumber", WORD),
        ),
        (
            "ClientPublicKey",
            json!(format!("{}=", "A".repeat(43))),
            ok(),
        ),
        (
            "ClientPublicKey",
            json!(format!("{}=", "/+9z".repeat(11).get(..43).unwrap())),
            ok(),
        ),
        (
            "ClientPublicKey",
            Value::Null,
            f("ClientPublicKey", Rule::Required),
        ),
        (
            "ClientPublicKey",
            json!(""),
            f("ClientPublicKey", Rule::Required),
        ),
        (
            "ClientPublicKey",
            json!(format!("{}=", "A".repeat(42))),
            f(
                "ClientPublicKey",
                Rule::ExactLength {
                    expected: 44,
                    actual: 43,
                },
            ),
        ),
        (
            "ClientPublicKey",
            json!(format!("{}=", "A".repeat(44))),
            f(
                "ClientPublicKey",
                Rule::ExactLength {
                    expected: 44,
                    actual: 45,
                },
            ),
        ),
        (
            "ClientPublicKey",
            json!("A".repeat(44)),
            f("ClientPublicKey", WG_FORMAT),
        ),
        (
            "ClientPublicKey",
            json!(format!("{}==", "A".repeat(42))),
            f("ClientPublicKey", WG_FORMAT),
        ),
        (
            "ClientPublicKey",
            json!(format!("{}-=", "A".repeat(42))),
            f("ClientPublicKey", WG_FORMAT),
        ),
        (
            "ClientPublicKey",
            json!(format!("{}é", "A".repeat(43))),
            f("ClientPublicKey", WG_FORMAT),
        ),
        ("NetworkInterfaceDeviceIndex", json!(0), ok()),
        ("NetworkInterfaceDeviceIndex", json!(1), ok()),
        (
            "NetworkInterfaceDeviceIndex",
            Value::Null,
            f("NetworkInterfaceDeviceIndex", Rule::Required),
        ),
        (
            "NetworkInterfaceDeviceIndex",
            json!(-1),
            f(
                "NetworkInterfaceDeviceIndex",
                Rule::Range {
                    min: 0,
                    max: 1,
                    actual: -1,
                },
            ),
        ),
        (
            "NetworkInterfaceDeviceIndex",
            json!(2),
            f(
                "NetworkInterfaceDeviceIndex",
                Rule::Range {
                    min: 0,
                    max: 1,
                    actual: 2,
                },
            ),
        ),
    ];
    for (field, value, expected) in cases {
        assert_eq!(
            start_errors(field, value.clone()),
            expected,
            "{field} = {value}"
        );
    }
}

#[test]
fn connection_id_rules_at_their_bounds() {
    let f = |rule: Rule| vec![("ConnectionId".to_owned(), rule)];
    let cases: Vec<(String, Vec<(String, Rule)>)> = vec![
        ("a".to_owned(), Vec::new()),
        ("Ab0+/=".to_owned(), Vec::new()),
        ("x".repeat(1024), Vec::new()),
        (String::new(), f(Rule::Required)),
        (
            "x".repeat(1025),
            f(Rule::Length {
                min: 1,
                max: 1024,
                actual: 1025,
            }),
        ),
        (
            "a-b".to_owned(),
            f(Rule::Charset {
                allowed: "letters, digits, +, / and =",
            }),
        ),
        (
            "a_b".to_owned(),
            f(Rule::Charset {
                allowed: "letters, digits, +, / and =",
            }),
        ),
    ];
    for (id, expected) in cases {
        assert_eq!(get_errors(&id), expected, "{id}");
    }
}

#[test]
fn every_broken_field_is_reported_at_once() {
    let r = start(json!({"DeviceSerialNumber": "a-b", "NetworkInterfaceDeviceIndex": 7})).unwrap();
    let fields: Vec<String> = r
        .validate()
        .unwrap_err()
        .into_errors()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "AssetId",
            "DeviceSerialNumber",
            "ClientPublicKey",
            "NetworkInterfaceDeviceIndex"
        ]
    );
}

#[test]
fn model_facts_match_the_rules() {
    let facts = data("model-facts.json");
    let shapes = &facts["shapes"];
    for shape in ["AssetId", "DeviceSerialNumber"] {
        assert_eq!(shapes[shape]["min"], 1);
        assert_eq!(shapes[shape]["max"], WORD_ID_MAX);
        assert_eq!(shapes[shape]["pattern"], "^(\\w+)$");
    }
    assert_eq!(shapes["WireGuardPublicKey"]["min"], WIREGUARD_KEY_LENGTH);
    assert_eq!(shapes["WireGuardPublicKey"]["max"], WIREGUARD_KEY_LENGTH);
    assert_eq!(
        shapes["WireGuardPublicKey"]["pattern"],
        "^[a-zA-Z0-9/+]{43}=$"
    );
    assert_eq!(shapes["NetworkInterfaceDeviceIndex"]["min"], 0);
    assert_eq!(shapes["NetworkInterfaceDeviceIndex"]["max"], 1);
    assert_eq!(shapes["ConnectionId"]["min"], 1);
    assert_eq!(shapes["ConnectionId"]["max"], CONNECTION_ID_MAX);
    assert_eq!(
        shapes["ConnectionId"]["pattern"],
        "^[a-zA-Z0-9+/=]{1,1024}$"
    );

    // Lengths from the model: min and max pass, one outside fails.
    let string_fields = [
        ("AssetId", "AssetId", 'a'),
        ("DeviceSerialNumber", "DeviceSerialNumber", '7'),
    ];
    for (field, shape, c) in string_fields {
        let min = shapes[shape]["min"].as_u64().unwrap() as usize;
        let max = shapes[shape]["max"].as_u64().unwrap() as usize;
        assert!(
            start_errors(field, json!(c.to_string().repeat(min))).is_empty(),
            "{field}"
        );
        assert!(
            start_errors(field, json!(c.to_string().repeat(max))).is_empty(),
            "{field}"
        );
        assert!(
            !start_errors(field, json!(c.to_string().repeat(max + 1))).is_empty(),
            "{field}"
        );
    }
    let max = shapes["ConnectionId"]["max"].as_u64().unwrap() as usize;
    assert!(get_errors(&"=".repeat(max)).is_empty());
    assert!(!get_errors(&"=".repeat(max + 1)).is_empty());

    // Required members are exactly those the model lists.
    let required: Vec<&str> = facts["required"]["StartConnectionRequest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for member in facts["members"]["StartConnectionRequest"]
        .as_object()
        .unwrap()
        .keys()
    {
        let missing = start_errors(member, Value::Null);
        let is_required = missing == vec![(member.clone(), Rule::Required)];
        assert_eq!(is_required, required.contains(&member.as_str()), "{member}");
        assert!(is_required || missing.is_empty(), "{member}");
    }
    assert_eq!(
        facts["required"]["GetConnectionRequest"],
        json!(["ConnectionId"])
    );
    assert_eq!(
        get_errors(""),
        vec![("ConnectionId".to_owned(), Rule::Required)]
    );
}

#[test]
fn model_pattern_characters() {
    // `\w` is [A-Za-z0-9_]: every ASCII character is tried.
    for b in 0x20u8..0x7f {
        let c = char::from(b);
        let word = c.is_ascii_alphanumeric() || c == '_';
        assert_eq!(
            start_errors("AssetId", json!(format!("a{c}"))).is_empty(),
            word,
            "{c:?}"
        );
        let id_char = c.is_ascii_alphanumeric() || "+/=".contains(c);
        assert_eq!(get_errors(&format!("a{c}")).is_empty(), id_char, "{c:?}");
        let key_char = c.is_ascii_alphanumeric() || "/+".contains(c);
        let key = format!("{c}{}=", "A".repeat(42));
        assert_eq!(
            start_errors("ClientPublicKey", json!(key)).is_empty(),
            key_char,
            "{c:?}"
        );
    }
}

#[test]
fn model_members_match_the_serde_names() {
    let facts = data("model-facts.json");
    let members = |shape: &str| -> Vec<String> {
        let mut m: Vec<String> = facts["members"][shape]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        m.sort();
        m
    };
    let keys = |v: Value| -> Vec<String> {
        let mut m: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        m.sort();
        m
    };
    assert_eq!(keys(valid_start()), members("StartConnectionRequest"));
    let full_details = json!({
        "ClientPublicKey": KEY, "ServerPublicKey": KEY, "ServerEndpoint": "203.0.113.1:51820",
        "ClientTunnelAddress": "10.0.0.2/32", "ServerTunnelAddress": "10.0.0.1/32",
        "AllowedIps": ["10.0.0.0/16"]
    });
    let response: GetConnectionResponse =
        serde_json::from_value(json!({"ConnectionId": "abc=", "ConnectionDetails": full_details}))
            .unwrap();
    let back = serde_json::to_value(&response).unwrap();
    assert_eq!(keys(back.clone()), members("GetConnectionResponse"));
    assert_eq!(
        keys(back["ConnectionDetails"].clone()),
        members("ConnectionDetails")
    );
    let start_response: StartConnectionResponse =
        serde_json::from_value(json!({"ConnectionId": "abc=", "UnderlayIpAddress": "192.0.2.10"}))
            .unwrap();
    assert_eq!(
        keys(serde_json::to_value(&start_response).unwrap()),
        members("StartConnectionResponse")
    );
}

#[test]
fn seed_examples_parse_and_round_trip() {
    let examples = data("seed-examples.json");
    for body in examples["start_connection_requests"].as_array().unwrap() {
        let request = start(body.clone()).unwrap();
        let OutpostsRequest::StartConnection(typed) = &request else {
            panic!("{body}")
        };
        assert_eq!(&serde_json::to_value(typed).unwrap(), body);
        let sent: Value = serde_json::from_slice(&request.to_http().body).unwrap();
        assert_eq!(&sent, body);
    }
    for body in examples["start_connection_responses"].as_array().unwrap() {
        let typed: StartConnectionResponse = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&typed).unwrap(), body);
    }
    for body in examples["get_connection_responses"].as_array().unwrap() {
        let typed: GetConnectionResponse = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&typed).unwrap(), body);
        assert_eq!(
            typed.connection_details.unwrap().allowed_ips.unwrap(),
            ["string"]
        );
    }
}

#[test]
fn responses_keep_reading_when_fields_are_added_or_missing() {
    let typed: GetConnectionResponse =
        serde_json::from_value(json!({"ConnectionId": "x", "SomethingNew": 1})).unwrap();
    assert_eq!(typed.connection_id.as_deref(), Some("x"));
    assert_eq!(typed.connection_details, None);
    let empty: StartConnectionResponse = serde_json::from_slice(b"{}").unwrap();
    assert_eq!(empty, StartConnectionResponse::default());
}

#[test]
fn calls_are_routed_or_refused() {
    let body = serde_json::to_vec(&valid_start()).unwrap();
    let routed = [
        (
            Method::Post,
            "/connections",
            body.as_slice(),
            Operation::StartConnection,
        ),
        (
            Method::Get,
            "/connections/abc=",
            b"".as_slice(),
            Operation::GetConnection,
        ),
        (
            Method::Get,
            "/connections/a/b+c=",
            b"".as_slice(),
            Operation::GetConnection,
        ),
    ];
    for (method, path, body, operation) in routed {
        let r = OutpostsRequest::from_call(&call(method, path, None, body)).unwrap();
        assert_eq!(r.operation(), operation, "{path}");
    }
    let refused = [
        (Method::Get, "/connections"),
        (Method::Post, "/connections/abc"),
        (Method::Delete, "/connections/abc"),
        (Method::Post, "/"),
        (Method::Post, "/connections/"),
        (Method::Get, "/connectionsabc"),
        (Method::Get, "/outposts"),
    ];
    for (method, path) in refused {
        let e = OutpostsRequest::from_call(&call(method, path, None, &body)).unwrap_err();
        assert!(matches!(e, CallError::NotForwarded(_)), "{path}: {e:?}");
    }
}

#[test]
fn unreadable_calls_are_malformed() {
    let cases: Vec<MalformedCase> = vec![
        (
            Method::Post,
            "/connections",
            None,
            b"{\"AssetId\": \"a\", \"Extra\": 1}",
            "unknown field `Extra`",
        ),
        (
            Method::Post,
            "/connections",
            None,
            b"{\"NetworkInterfaceDeviceIndex\": \"1\"}",
            "a value of the wrong type",
        ),
        (
            Method::Post,
            "/connections",
            None,
            b"{\"AssetId\": ",
            "truncated JSON",
        ),
        (
            Method::Post,
            "/connections",
            None,
            b"[\"i_0123\"]",
            "the body must be a JSON object",
        ),
        (
            Method::Post,
            "/connections",
            Some("x=1"),
            b"{}",
            "StartConnection takes no query parameters",
        ),
        (
            Method::Get,
            "/connections/abc",
            None,
            b"{}",
            "GetConnection takes no body",
        ),
    ];
    for (method, path, query, body, expected) in cases {
        match OutpostsRequest::from_call(&call(method, path, query, body)) {
            Err(CallError::Malformed(m)) => assert!(m.starts_with(expected), "{m} / {expected}"),
            other => panic!("{path} {body:?}: {other:?}"),
        }
    }
}

#[test]
fn missing_members_are_a_validation_error_not_a_parse_error() {
    // An empty body reads as `{}`, as for every provider.
    let empty =
        OutpostsRequest::from_call(&call(Method::Post, "/connections", None, b" ")).unwrap();
    assert_eq!(
        empty,
        OutpostsRequest::StartConnection(StartConnectionRequest::default())
    );
    let r = start(json!({})).unwrap();
    assert_eq!(
        r,
        OutpostsRequest::StartConnection(StartConnectionRequest::default())
    );
    let errors = r.validate().unwrap_err();
    assert_eq!(errors.errors().len(), 3);
    assert!(errors.errors().iter().all(|e| e.rule == Rule::Required));
}

#[test]
fn to_http_builds_the_rest_json_request() {
    let r = start(valid_start()).unwrap();
    let http = r.to_http();
    assert_eq!(http.method, Method::Post);
    assert_eq!(http.path_and_query, "/connections");
    assert_eq!(http.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&http.body).unwrap(),
        valid_start()
    );

    let g = OutpostsRequest::GetConnection(GetConnectionRequest {
        connection_id: "a/b+c=".to_owned(),
    });
    let http = g.to_http();
    assert_eq!(http.method, Method::Get);
    assert_eq!(http.path_and_query, "/connections/a%2Fb%2Bc%3D");
    assert!(http.body.is_empty());
    assert_eq!(http.header("content-type"), None);
}

#[test]
fn api_request_parse_validates_and_round_trips() {
    let body = serde_json::to_vec(&valid_start()).unwrap();
    let parsed = ApiRequest::parse(&call(Method::Post, "/connections", None, &body)).unwrap();
    assert_eq!(parsed.operation(), Operation::StartConnection);
    let http = parsed.to_http().unwrap();
    let again =
        ApiRequest::parse(&call(http.method, &http.path_and_query, None, &http.body)).unwrap();
    assert_eq!(again, parsed);

    let bad = serde_json::to_vec(&json!({"AssetId": "x"})).unwrap();
    let e = ApiRequest::parse(&call(Method::Post, "/connections", None, &bad)).unwrap_err();
    assert!(matches!(e, CallError::Invalid(_)));

    let get = ApiRequest::parse(&call(Method::Get, "/connections/abc=", None, b"")).unwrap();
    assert_eq!(get.to_http().unwrap().path_and_query, "/connections/abc%3D");
}

proptest::proptest! {
    #[test]
    fn from_call_and_validate_never_panic(
        path in "/connections(/[a-zA-Z0-9+/=é_-]{0,20})?|/[a-z/]{0,12}",
        get in proptest::bool::ANY,
        body in "\\PC{0,200}",
    ) {
        let method = if get { Method::Get } else { Method::Post };
        if let Ok(r) = OutpostsRequest::from_call(&call(method, &path, None, body.as_bytes())) {
            let _ = r.validate();
            let _ = r.to_http();
        }
    }

    #[test]
    fn any_start_body_validates_without_panic(
        asset in proptest::option::of("\\PC{0,120}"),
        serial in proptest::option::of("\\PC{0,120}"),
        key in proptest::option::of("[A-Za-z0-9/+=é-]{40,48}"),
        index in proptest::option::of(proptest::num::i64::ANY),
    ) {
        let r = StartConnectionRequest {
            asset_id: asset,
            device_serial_number: serial,
            client_public_key: key,
            network_interface_device_index: index,
        };
        let body = serde_json::to_vec(&r).unwrap();
        let parsed = OutpostsRequest::from_call(&call(Method::Post, "/connections", None, &body)).unwrap();
        proptest::prop_assert_eq!(&parsed, &OutpostsRequest::StartConnection(r));
        let _ = parsed.validate();
    }
}
