//! OCI instance console connections: reading calls, OCIDs, public keys, tags,
//! headers and query, and the seed document's shapes
//! (core/tests/data/oci/seed-examples.json).

use cloudlink_core::catalogue::{Method, Operation, Service};
use cloudlink_core::oci::{
    COMPARTMENT, CONSOLE_CONNECTION, CreateInstanceConsoleConnectionDetails,
    CreateInstanceConsoleConnectionRequest, DeleteInstanceConsoleConnectionRequest,
    GetInstanceConsoleConnectionRequest, INSTANCE, InstanceConsoleConnection, LifecycleState,
    ListInstanceConsoleConnectionsRequest, OciRequest, Ocid, OcidError, console_public_key,
    ocid_of,
};
use cloudlink_core::ssh::KeyError;
use cloudlink_core::{ApiRequest, CallError, IncomingCall, Rule};
use serde_json::{Value, json};

const PATH: &str = "/20160918/instanceConsoleConnections";
const INSTANCE_ID: &str =
    "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a";
const TENANCY_ID: &str =
    "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f44n2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
const COMPARTMENT_ID: &str =
    "ocid1.compartment.oc1..aaaaaaaaba3pv6wkcr4jqae5f44n2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
const CONNECTION_ID: &str = "ocid1.instanceconsoleconnection.oc1.phx.abyhqljr";

fn file(path: &str) -> String {
    let path = format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ed25519() -> String {
    file("ssh/ed25519.pub").trim().to_owned()
}

fn call<'a>(
    method: Method,
    path: &'a str,
    query: Option<&'a str>,
    headers: &'a [(String, String)],
    body: &'a [u8],
) -> IncomingCall<'a> {
    IncomingCall {
        service: Service::OciCore,
        method,
        path,
        query,
        headers,
        body,
    }
}

fn create(body: &Value) -> OciRequest {
    let bytes = serde_json::to_vec(body).unwrap();
    OciRequest::from_call(&call(Method::Post, PATH, None, &[], &bytes)).unwrap()
}

fn valid_create() -> Value {
    json!({"instanceId": INSTANCE_ID, "publicKey": ed25519()})
}

fn errors(r: &OciRequest) -> Vec<(String, Rule)> {
    match r.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .into_errors()
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect(),
    }
}

fn fields(r: &OciRequest) -> Vec<String> {
    errors(r).into_iter().map(|(f, _)| f).collect()
}

#[test]
fn ocids_are_parsed_into_their_parts() {
    let ocid = Ocid::parse(INSTANCE_ID).unwrap();
    assert_eq!(ocid.resource_type, "instance");
    assert_eq!(ocid.realm, "oc1");
    assert_eq!(ocid.region, "phx");
    assert_eq!(ocid.future_use, None);
    assert!(ocid.unique_id.starts_with("abuw4"));

    let tenancy = Ocid::parse(TENANCY_ID).unwrap();
    assert_eq!((tenancy.resource_type, tenancy.region), ("tenancy", ""));
    let six = Ocid::parse("ocid1.instance.oc2.eu-frankfurt-1..abc").unwrap();
    assert_eq!(
        (six.region, six.future_use, six.unique_id),
        ("eu-frankfurt-1", Some(""), "abc")
    );

    let bad = [
        ("", OcidError::NotOcid1),
        ("ocid2.instance.oc1.phx.abc", OcidError::NotOcid1),
        ("OCID1.instance.oc1.phx.abc", OcidError::NotOcid1),
        ("ocid1.instance.oc1.abc", OcidError::PartCount(4)),
        ("ocid1.instance.oc1.phx.x.y.abc", OcidError::PartCount(7)),
        ("ocid1..oc1.phx.abc", OcidError::BadPart("resource type")),
        (
            "ocid1.Instance.oc1.phx.abc",
            OcidError::BadPart("resource type"),
        ),
        ("ocid1.instance..phx.abc", OcidError::BadPart("realm")),
        ("ocid1.instance.oc1.ph x.abc", OcidError::BadPart("region")),
        ("ocid1.instance.oc1.phx.", OcidError::BadPart("unique id")),
        (
            "ocid1.instance.oc1.phx.ab/c",
            OcidError::BadPart("unique id"),
        ),
        (
            "ocid1.instance.oc1.phx.x/y.abc",
            OcidError::BadPart("future use part"),
        ),
    ];
    for (input, expected) in bad {
        assert_eq!(Ocid::parse(input), Err(expected), "{input}");
    }
}

#[test]
fn ocid_length_and_type_at_the_bounds() {
    let prefix = "ocid1.instance.oc1.phx.";
    let at_max = format!("{prefix}{}", "a".repeat(255 - prefix.len()));
    assert_eq!(ocid_of(&at_max, INSTANCE), Ok(()));
    let over = format!("{at_max}a");
    assert_eq!(
        ocid_of(&over, INSTANCE),
        Err(Rule::Length {
            min: 1,
            max: 255,
            actual: 256
        })
    );
    assert_eq!(Ocid::parse(&over), Err(OcidError::TooLong(256)));

    let cases = [
        (INSTANCE_ID, true, false, false),
        (TENANCY_ID, false, true, false),
        (COMPARTMENT_ID, false, true, false),
        (CONNECTION_ID, false, false, true),
        ("ocid1.volume.oc1.phx.abc", false, false, false),
        ("not an ocid", false, false, false),
    ];
    for (id, instance, compartment, connection) in cases {
        assert_eq!(ocid_of(id, INSTANCE).is_ok(), instance, "{id}");
        assert_eq!(ocid_of(id, COMPARTMENT).is_ok(), compartment, "{id}");
        assert_eq!(ocid_of(id, CONSOLE_CONNECTION).is_ok(), connection, "{id}");
    }
    assert_eq!(
        ocid_of(TENANCY_ID, INSTANCE),
        Err(Rule::Format {
            expected: INSTANCE.expected
        })
    );
}

#[test]
fn public_keys_follow_the_ssh_rules() {
    let cases = [
        ("ssh/rsa2048.pub", true),
        ("ssh/rsa3072.pub", true),
        ("ssh/rsa1024.pub", false),
        ("ssh/ed25519.pub", true),
        ("ssh/ecdsa256.pub", true),
        ("ssh/ecdsa384.pub", true),
        ("ssh/ecdsa521.pub", true),
    ];
    for (path, ok) in cases {
        assert_eq!(console_public_key(&file(path)).is_ok(), ok, "{path}");
    }
    assert_eq!(
        console_public_key(&file("ssh/rsa1024.pub")),
        Err(Rule::RsaTooShort {
            bits: 1024,
            min: 2048
        })
    );
    let mut body = valid_create();
    body["publicKey"] = json!("ssh-ed25519 AAAA");
    assert_eq!(
        errors(&create(&body)),
        vec![("publicKey".to_owned(), Rule::SshKey(KeyError::Truncated))]
    );
}

#[test]
fn create_rules() {
    let f = |field: &str| vec![field.to_owned()];
    let tag_key = |n: usize| "k".repeat(n);
    let cases: Vec<(Value, Vec<String>)> = vec![
        (valid_create(), Vec::new()),
        (json!({"publicKey": ed25519()}), f("instanceId")),
        (
            json!({"instanceId": "", "publicKey": ed25519()}),
            f("instanceId"),
        ),
        (
            json!({"instanceId": COMPARTMENT_ID, "publicKey": ed25519()}),
            f("instanceId"),
        ),
        (json!({"instanceId": INSTANCE_ID}), f("publicKey")),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": "  "}),
            f("publicKey"),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "freeformTags": {"Department": "Finance"}}),
            Vec::new(),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "freeformTags": {tag_key(100): "v".repeat(256)}}),
            Vec::new(),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "freeformTags": {"k": ""}}),
            Vec::new(),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "freeformTags": {tag_key(101): "v"}}),
            f(&format!("freeformTags.{}", tag_key(101))),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "freeformTags": {"": "v"}}),
            f("freeformTags."),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "freeformTags": {"k": "v".repeat(257)}}),
            f("freeformTags.k"),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "definedTags": {"Ops": {"CostCenter": "42"}}}),
            Vec::new(),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "definedTags": {"Ops": {}}}),
            f("definedTags.Ops"),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "definedTags": {tag_key(101): {"a": "b"}}}),
            f(&format!("definedTags.{}", tag_key(101))),
        ),
        (
            json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "definedTags": {"Ops": {"k": "v".repeat(257)}}}),
            f("definedTags.Ops.k"),
        ),
        (
            json!({}),
            vec!["instanceId".to_owned(), "publicKey".to_owned()],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(fields(&create(&body)), expected, "{body}");
    }
}

#[test]
fn tag_count_at_the_bound() {
    let tags = |n: usize| -> Value {
        (0..n)
            .map(|i| (format!("k{i}"), json!("v")))
            .collect::<serde_json::Map<String, Value>>()
            .into()
    };
    let body = |free: usize, defined: usize| json!({"instanceId": INSTANCE_ID, "publicKey": ed25519(), "freeformTags": tags(free), "definedTags": {"Ops": tags(defined)}});
    assert!(errors(&create(&body(32, 32))).is_empty());
    assert!(
        errors(&create(
            &body(64, 0)
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.remove("definedTags");
                    Value::Object(o)
                })
                .unwrap()
        ))
        .is_empty()
    );
    assert_eq!(
        errors(&create(&body(33, 32))),
        vec![(
            "tags".to_owned(),
            Rule::TooMany {
                max: 64,
                actual: 65
            }
        )]
    );
}

#[test]
fn retry_token_rules() {
    let with_token = |token: &str| {
        OciRequest::Create(CreateInstanceConsoleConnectionRequest {
            details: serde_json::from_value(valid_create()).unwrap(),
            retry_token: Some(token.to_owned()),
        })
    };
    let header_chars = Rule::Charset {
        allowed: "visible ASCII characters",
    };
    let cases = [
        ("a".to_owned(), Vec::new()),
        ("t".repeat(64), Vec::new()),
        (
            String::new(),
            vec![(
                "opc-retry-token".to_owned(),
                Rule::Length {
                    min: 1,
                    max: 64,
                    actual: 0,
                },
            )],
        ),
        (
            "t".repeat(65),
            vec![(
                "opc-retry-token".to_owned(),
                Rule::Length {
                    min: 1,
                    max: 64,
                    actual: 65,
                },
            )],
        ),
        (
            "a b".to_owned(),
            vec![("opc-retry-token".to_owned(), header_chars.clone())],
        ),
        (
            "a\nb".to_owned(),
            vec![("opc-retry-token".to_owned(), header_chars)],
        ),
    ];
    for (token, expected) in cases {
        assert_eq!(errors(&with_token(&token)), expected, "{token:?}");
    }
}

#[test]
fn list_rules() {
    let list = |query: &str| {
        OciRequest::from_call(&call(Method::Get, PATH, Some(query), &[], b"")).unwrap()
    };
    let cases: Vec<(String, Vec<(String, Rule)>)> = vec![
        (format!("compartmentId={COMPARTMENT_ID}"), Vec::new()),
        (
            format!("compartmentId={TENANCY_ID}&instanceId={INSTANCE_ID}&limit=1&page=abc"),
            Vec::new(),
        ),
        (
            format!("compartmentId={COMPARTMENT_ID}&limit=1000"),
            Vec::new(),
        ),
        (
            String::new(),
            vec![("compartmentId".to_owned(), Rule::Required)],
        ),
        (
            "compartmentId=".to_owned(),
            vec![("compartmentId".to_owned(), Rule::Required)],
        ),
        (
            format!("compartmentId={INSTANCE_ID}"),
            vec![(
                "compartmentId".to_owned(),
                Rule::Format {
                    expected: COMPARTMENT.expected,
                },
            )],
        ),
        (
            format!("compartmentId={COMPARTMENT_ID}&instanceId={COMPARTMENT_ID}"),
            vec![(
                "instanceId".to_owned(),
                Rule::Format {
                    expected: INSTANCE.expected,
                },
            )],
        ),
        (
            format!("compartmentId={COMPARTMENT_ID}&limit=0"),
            vec![(
                "limit".to_owned(),
                Rule::Range {
                    min: 1,
                    max: 1000,
                    actual: 0,
                },
            )],
        ),
        (
            format!("compartmentId={COMPARTMENT_ID}&limit=1001"),
            vec![(
                "limit".to_owned(),
                Rule::Range {
                    min: 1,
                    max: 1000,
                    actual: 1001,
                },
            )],
        ),
        (
            format!("compartmentId={COMPARTMENT_ID}&page="),
            vec![("page".to_owned(), Rule::Required)],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(errors(&list(&query)), expected, "{query}");
    }
}

#[test]
fn list_query_is_decoded_and_re_encoded() {
    let query = format!("compartmentId={COMPARTMENT_ID}&page=a%2Bb+c%2F&limit=5");
    let r = OciRequest::from_call(&call(Method::Get, PATH, Some(&query), &[], b"")).unwrap();
    let OciRequest::List(list) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(
        list,
        &ListInstanceConsoleConnectionsRequest {
            compartment_id: Some(COMPARTMENT_ID.to_owned()),
            instance_id: None,
            limit: Some(5),
            page: Some("a+b c/".to_owned()),
        }
    );
    let http = r.to_http();
    assert_eq!(http.method, Method::Get);
    assert_eq!(
        http.path_and_query,
        format!("{PATH}?compartmentId={COMPARTMENT_ID}&limit=5&page=a%2Bb%20c%2F")
    );
    let (path, query) = http.path_and_query.split_once('?').unwrap();
    let again = OciRequest::from_call(&call(Method::Get, path, Some(query), &[], b"")).unwrap();
    assert_eq!(again, r);
}

#[test]
fn bad_queries_are_malformed() {
    let cases = [
        (
            "compartmentId=a&compartmentId=b",
            "duplicate query parameter compartmentId",
        ),
        ("limit=1&limit=2", "duplicate query parameter limit"),
        ("limit=ten", "limit must be a whole number"),
        ("sortBy=NAME", "unknown query parameter sortBy"),
        ("page=%zz", "invalid percent-encoding in the query"),
        ("page=%f", "invalid percent-encoding in the query"),
        ("page=%ff", "invalid percent-encoding in the query"),
    ];
    for (query, expected) in cases {
        let e = OciRequest::from_call(&call(Method::Get, PATH, Some(query), &[], b"")).unwrap_err();
        assert_eq!(e, CallError::Malformed(expected.to_owned()), "{query}");
    }
}

#[test]
fn calls_are_routed_or_refused() {
    let body = serde_json::to_vec(&valid_create()).unwrap();
    let item = format!("{PATH}/{CONNECTION_ID}");
    let routed = [
        (
            Method::Post,
            PATH,
            body.as_slice(),
            Operation::CreateInstanceConsoleConnection,
        ),
        (
            Method::Get,
            PATH,
            b"".as_slice(),
            Operation::ListInstanceConsoleConnections,
        ),
        (
            Method::Get,
            item.as_str(),
            b"".as_slice(),
            Operation::GetInstanceConsoleConnection,
        ),
        (
            Method::Delete,
            item.as_str(),
            b"".as_slice(),
            Operation::DeleteInstanceConsoleConnection,
        ),
    ];
    for (method, path, body, operation) in routed {
        let r = OciRequest::from_call(&call(method, path, None, &[], body)).unwrap();
        assert_eq!(r.operation(), operation, "{} {path}", method.as_str());
    }
    let refused = [
        (Method::Delete, PATH.to_owned()),
        (Method::Post, item.clone()),
        (Method::Get, format!("{item}/extra")),
        (Method::Get, format!("{PATH}x")),
        (Method::Get, "/20160918/instances".to_owned()),
        (Method::Get, "/".to_owned()),
    ];
    for (method, path) in refused {
        let e = OciRequest::from_call(&call(method, &path, None, &[], b"")).unwrap_err();
        assert!(matches!(e, CallError::NotForwarded(_)), "{path}: {e:?}");
    }
    let e = OciRequest::from_call(&call(Method::Get, &item, None, &[], b"{}")).unwrap_err();
    assert_eq!(
        e,
        CallError::Malformed("GetInstanceConsoleConnection takes no body".to_owned())
    );
    let e = OciRequest::from_call(&call(Method::Delete, &item, Some("a=b"), &[], b"")).unwrap_err();
    assert_eq!(
        e,
        CallError::Malformed(
            "DeleteInstanceConsoleConnection takes no query parameters".to_owned()
        )
    );
    let e = OciRequest::from_call(&call(
        Method::Post,
        PATH,
        None,
        &[],
        b"{\"compartmentId\": \"x\"}",
    ))
    .unwrap_err();
    assert_eq!(
        e,
        CallError::Malformed("unknown field `compartmentId`".to_owned())
    );
}

#[test]
fn get_and_delete_ids_and_headers() {
    let item = |id: &str| format!("{PATH}/{id}");
    let get =
        |id: &str| OciRequest::from_call(&call(Method::Get, &item(id), None, &[], b"")).unwrap();
    assert!(errors(&get(CONNECTION_ID)).is_empty());
    assert_eq!(fields(&get(INSTANCE_ID)), ["instanceConsoleConnectionId"]);
    assert_eq!(
        errors(&get("")),
        vec![("instanceConsoleConnectionId".to_owned(), Rule::Required)]
    );

    let headers = vec![("If-Match".to_owned(), "\"etag-1\"".to_owned())];
    let path = item(CONNECTION_ID);
    let delete = OciRequest::from_call(&call(Method::Delete, &path, None, &headers, b"")).unwrap();
    assert_eq!(
        delete,
        OciRequest::Delete(DeleteInstanceConsoleConnectionRequest {
            instance_console_connection_id: CONNECTION_ID.to_owned(),
            if_match: Some("\"etag-1\"".to_owned()),
        })
    );
    assert!(errors(&delete).is_empty());
    let http = delete.to_http();
    assert_eq!(http.method, Method::Delete);
    assert_eq!(http.path_and_query, path);
    assert_eq!(http.header("if-match"), Some("\"etag-1\""));

    let bad_etag = OciRequest::Delete(DeleteInstanceConsoleConnectionRequest {
        instance_console_connection_id: CONNECTION_ID.to_owned(),
        if_match: Some("a\r\nb".to_owned()),
    });
    assert_eq!(fields(&bad_etag), ["if-match"]);

    let http = get(CONNECTION_ID).to_http();
    assert_eq!(
        (http.method, http.path_and_query.as_str()),
        (Method::Get, path.as_str())
    );
    assert_eq!(
        http.headers,
        [
            ("accept".to_owned(), "application/json".to_owned()),
            ("content-type".to_owned(), "application/json".to_owned()),
        ]
    );
}

/// The `oci` SDK sends `accept` and `content-type` as `application/json` on every call, GET and
/// DELETE included; so does core, each exactly once.
#[test]
fn every_request_accepts_and_declares_json_once() {
    let delete = OciRequest::Delete(DeleteInstanceConsoleConnectionRequest {
        instance_console_connection_id: CONNECTION_ID.to_owned(),
        if_match: Some("etag-1".to_owned()),
    });
    let requests = [
        create(&valid_create()),
        OciRequest::List(ListInstanceConsoleConnectionsRequest::default()),
        OciRequest::Get(GetInstanceConsoleConnectionRequest {
            instance_console_connection_id: CONNECTION_ID.to_owned(),
        }),
        delete,
    ];
    for r in requests {
        let http = r.to_http();
        for name in ["accept", "content-type"] {
            let values: Vec<_> = http.headers.iter().filter(|(n, _)| n == name).collect();
            assert_eq!(
                values,
                [&(name.to_owned(), "application/json".to_owned())],
                "{:?}",
                r.operation()
            );
        }
    }
}

#[test]
fn create_carries_the_retry_token() {
    let body = serde_json::to_vec(&valid_create()).unwrap();
    let headers = vec![("OPC-Retry-Token".to_owned(), "token-1".to_owned())];
    let mut r = OciRequest::from_call(&call(Method::Post, PATH, None, &headers, &body)).unwrap();
    r.ensure_retry_token(|| panic!("a token is already set"));
    let http = r.to_http();
    assert_eq!(http.method, Method::Post);
    assert_eq!(http.path_and_query, PATH);
    assert_eq!(http.header("opc-retry-token"), Some("token-1"));
    assert_eq!(http.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&http.body).unwrap(),
        valid_create()
    );

    let mut r = create(&valid_create());
    assert_eq!(r.to_http().header("opc-retry-token"), None);
    r.ensure_retry_token(|| "generated".to_owned());
    assert_eq!(r.to_http().header("opc-retry-token"), Some("generated"));

    let mut list = OciRequest::List(ListInstanceConsoleConnectionsRequest::default());
    list.ensure_retry_token(|| panic!("only Create takes a token"));
}

#[test]
fn seed_examples_parse_and_round_trip() {
    let examples: Value = serde_json::from_str(&file("oci/seed-examples.json")).unwrap();
    for body in examples["create_details"].as_array().unwrap() {
        let r = create(body);
        assert!(errors(&r).is_empty(), "{body}");
        let OciRequest::Create(c) = &r else { panic!() };
        assert_eq!(&serde_json::to_value(&c.details).unwrap(), body);
        let sent: Value = serde_json::from_slice(&r.to_http().body).unwrap();
        assert_eq!(&sent, body);
    }
    let connections: Vec<InstanceConsoleConnection> =
        serde_json::from_value(examples["connections"].clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&connections).unwrap(),
        examples["connections"]
    );
    let states: Vec<LifecycleState> = connections
        .iter()
        .filter_map(|c| c.lifecycle_state.clone())
        .collect();
    assert_eq!(
        states,
        [
            LifecycleState::Active,
            LifecycleState::Creating,
            LifecycleState::Unknown("SOMETHING_NEW".to_owned())
        ]
    );
    // The fingerprint OCI shows is the MD5 form of the key's blob.
    let key = cloudlink_core::ssh::PublicKey::parse(&ed25519()).unwrap();
    assert_eq!(
        connections[0].fingerprint.as_deref(),
        Some(key.fingerprint_md5().as_str())
    );
}

#[test]
fn lifecycle_states() {
    let cases = [
        ("ACTIVE", false),
        ("CREATING", true),
        ("DELETED", false),
        ("DELETING", true),
        ("FAILED", false),
        ("UPDATING", false),
    ];
    for (wire, transitional) in cases {
        let state = LifecycleState::from_wire(wire);
        assert_eq!(state.is_transitional(), transitional, "{wire}");
        assert_eq!(state.as_str(), wire);
    }
    assert_eq!(
        LifecycleState::KNOWN,
        ["ACTIVE", "CREATING", "DELETED", "DELETING", "FAILED"]
    );
}

#[test]
fn api_request_parse_round_trips_every_operation() {
    let body = serde_json::to_vec(&valid_create()).unwrap();
    let item = format!("{PATH}/{CONNECTION_ID}");
    let query = format!("compartmentId={COMPARTMENT_ID}&limit=10");
    let calls = [
        (Method::Post, PATH, None, body.as_slice()),
        (Method::Get, PATH, Some(query.as_str()), b"".as_slice()),
        (Method::Get, item.as_str(), None, b"".as_slice()),
        (Method::Delete, item.as_str(), None, b"".as_slice()),
    ];
    for (method, path, query, body) in calls {
        let parsed = ApiRequest::parse(&call(method, path, query, &[], body)).unwrap();
        let http = parsed.to_http().unwrap();
        let (p, q) = match http.path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (http.path_and_query.as_str(), None),
        };
        let again = ApiRequest::parse(&call(http.method, p, q, &http.headers, &http.body)).unwrap();
        assert_eq!(again, parsed, "{path}");
    }
}

#[test]
fn details_default_is_empty_json() {
    let empty = CreateInstanceConsoleConnectionDetails::default();
    assert_eq!(serde_json::to_value(empty).unwrap(), json!({}));
}

proptest::proptest! {
    #[test]
    fn from_call_and_validate_never_panic(
        tail in "(/[a-z0-9.%é-]{0,30})?",
        method in 0usize..3,
        query in proptest::option::of("[a-zA-Z=&%0-9+.é]{0,40}"),
        body in "\\PC{0,200}",
        token in proptest::option::of("\\PC{0,80}"),
    ) {
        let path = format!("{PATH}{tail}");
        let method = [Method::Get, Method::Post, Method::Delete][method];
        let headers: Vec<(String, String)> =
            token.into_iter().map(|t| ("opc-retry-token".to_owned(), t)).collect();
        if let Ok(r) = OciRequest::from_call(&call(method, &path, query.as_deref(), &headers, body.as_bytes())) {
            let _ = r.validate();
            let _ = r.to_http();
        }
    }

    #[test]
    fn any_create_details_validate_without_panic(
        instance in proptest::option::of("ocid1\\.[a-z]{0,10}\\.[a-z0-9]{0,3}\\.[a-z-]{0,5}\\.[a-z0-9]{0,10}|\\PC{0,20}"),
        key in proptest::option::of("(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256) [A-Za-z0-9+/=]{0,100}( \\PC{0,10})?"),
        tags in proptest::collection::btree_map("\\PC{0,110}", "\\PC{0,260}", 0..70),
    ) {
        let details = CreateInstanceConsoleConnectionDetails {
            instance_id: instance,
            public_key: key,
            freeform_tags: Some(tags),
            defined_tags: None,
        };
        let _ = OciRequest::Create(CreateInstanceConsoleConnectionRequest { details, retry_token: None }).validate();
    }
}
