//! cloudlink's Direct Connect constants and field sets against the facts
//! copied from botocore's model (`data/directconnect/aws-model-facts.json`).

use cloudlink_core::directconnect::{
    self as dx, AddressFamily, BgpPeerState, BgpStatus, BillingMode, ConnectionState, DxRequest,
    HasLogicalRedundancy, VirtualInterfaceState,
};
use cloudlink_core::{Operation, Provider};
use serde_json::{Map, Value, json};

fn facts() -> Value {
    serde_json::from_str(include_str!("data/directconnect/aws-model-facts.json")).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// Every run of digits in a sentence, in order ("from 1 to 2147483646" -> [1, 2147483646]).
fn numbers(sentence: &str) -> Vec<i64> {
    sentence
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

#[test]
fn tag_limits_match_the_model() {
    let f = facts();
    let key = &f["shapes"]["TagKey"];
    let value = &f["shapes"]["TagValue"];
    assert_eq!(key["min"], json!(dx::AWS_TAG_KEY_MIN));
    assert_eq!(key["max"], json!(dx::AWS_TAG_KEY_MAX));
    assert_eq!(value["min"], json!(dx::AWS_TAG_VALUE_MIN));
    assert_eq!(value["max"], json!(dx::AWS_TAG_VALUE_MAX));
    assert_eq!(f["shapes"]["TagList"]["min"], json!(1));
    // The pattern is the one `is_tag_char` implements.
    let pattern = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$";
    assert_eq!(key["pattern"], json!(pattern));
    assert_eq!(value["pattern"], json!(pattern));
    for c in [
        'a', 'Z', 'é', '東', '5', '٣', ' ', '\u{3000}', '_', '.', ':', '/', '=', '+', '-', '@',
    ] {
        assert!(dx::is_tag_char(c), "{c:?} is in the class");
    }
    for c in [
        '*', '#', '\t', '\n', '"', '\'', '\\', '(', '!', '?', '%', '&', '\u{0}',
    ] {
        assert!(!dx::is_tag_char(c), "{c:?} is not in the class");
    }
}

#[test]
fn documented_numbers_match_the_model() {
    let f = facts();
    let doc = |k: &str| f["documented"][k].as_str().unwrap().to_owned();
    assert_eq!(
        numbers(&doc("NewPrivateVirtualInterface.asn")),
        [dx::AWS_ASN_MIN, dx::AWS_ASN_MAX]
    );
    assert_eq!(
        numbers(&doc("NewPrivateVirtualInterface.asnLong")),
        [dx::AWS_ASN_MIN, dx::AWS_LONG_ASN_MAX]
    );
    for k in [
        "NewPrivateVirtualInterface.authKey",
        "NewPrivateVirtualInterfaceAllocation.authKey",
    ] {
        assert_eq!(
            numbers(&doc(k)),
            [dx::AWS_AUTH_KEY_MIN as i64, dx::AWS_AUTH_KEY_MAX as i64]
        );
    }
    // The model documents 1500 and 8500 (and 1500 as the default); 9001 is
    // the user guide's jumbo size for private interfaces, accepted too.
    let mtus = numbers(&doc("NewPrivateVirtualInterface.mtu"));
    assert_eq!(mtus, [1500, 8500, 1500]);
    for mtu in mtus {
        assert!(dx::AWS_MTUS.contains(&mtu));
    }
    let name = doc("NewPrivateVirtualInterface.virtualInterfaceName");
    assert_eq!(numbers(&name)[0], dx::AWS_VIF_NAME_MAX as i64);
    assert!(name.contains("a-z, 0-9 and a hyphen"));
}

#[test]
fn enums_match_the_model() {
    let f = facts();
    let shapes = &f["shapes"];
    assert_eq!(
        strings(&shapes["AddressFamily"]["enum"]),
        AddressFamily::KNOWN
    );
    assert_eq!(
        strings(&shapes["RequestBillingMode"]["enum"]),
        BillingMode::KNOWN
    );
    assert_eq!(
        strings(&shapes["ConnectionState"]["enum"]),
        ConnectionState::KNOWN
    );
    assert_eq!(
        strings(&shapes["BGPPeerState"]["enum"]),
        BgpPeerState::KNOWN
    );
    assert_eq!(strings(&shapes["BGPStatus"]["enum"]), BgpStatus::KNOWN);
    assert_eq!(
        strings(&shapes["HasLogicalRedundancy"]["enum"]),
        HasLogicalRedundancy::KNOWN
    );
    // The model's states, then OUTSCALE's `expired`.
    let mut vif = strings(&shapes["VirtualInterfaceState"]["enum"]);
    vif.push("expired".to_owned());
    assert_eq!(vif, VirtualInterfaceState::KNOWN);
}

fn operation_of(shape: &str) -> Option<Operation> {
    Some(match shape {
        "CreateConnectionRequest" => Operation::CreateConnection,
        "DeleteConnectionRequest" => Operation::DeleteConnection,
        "DescribeConnectionsRequest" => Operation::DescribeConnections,
        "AllocatePrivateVirtualInterfaceRequest" => Operation::AllocatePrivateVirtualInterface,
        "ConfirmPrivateVirtualInterfaceRequest" => Operation::ConfirmPrivateVirtualInterface,
        "CreatePrivateVirtualInterfaceRequest" => Operation::CreatePrivateVirtualInterface,
        "DeleteVirtualInterfaceRequest" => Operation::DeleteVirtualInterface,
        "DescribeVirtualInterfacesRequest" => Operation::DescribeVirtualInterfaces,
        _ => return None,
    })
}

/// A body for `shape` where every model member is present with a plausible value.
fn every_member(shape: &str, members: &Map<String, Value>) -> Value {
    let mut body = Map::new();
    for member in strings(&members[shape]) {
        let value = match member.as_str() {
            "newPrivateVirtualInterface" => every_member("NewPrivateVirtualInterface", members),
            "newPrivateVirtualInterfaceAllocation" => {
                every_member("NewPrivateVirtualInterfaceAllocation", members)
            }
            "tags" => json!([{"key": "k", "value": "v"}]),
            "vlan"
            | "asn"
            | "asnLong"
            | "mtu"
            | "maxResults"
            | "prefixPoolAllocatedCountIpv4"
            | "prefixPoolAllocatedCountIpv6" => json!(1),
            "requestMACSec" | "enableSiteLink" => json!(true),
            _ => json!("x"),
        };
        body.insert(member, value);
    }
    Value::Object(body)
}

#[test]
fn every_model_member_is_accepted_and_sent_back() {
    let f = facts();
    let members = f["members"].as_object().unwrap();
    for shape in members.keys() {
        let Some(operation) = operation_of(shape) else {
            continue;
        };
        let body = every_member(shape, members);
        let request = DxRequest::from_json(operation, body.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{shape}: every model member should be accepted: {e}"));
        let sent: Value = serde_json::from_slice(&request.to_json()).unwrap();
        assert_eq!(sent, body, "{shape}");
    }
    for operation in f["operations_without_input"].as_array().unwrap() {
        let operation = match operation.as_str().unwrap() {
            "DescribeLocations" => Operation::DescribeLocations,
            "DescribeVirtualGateways" => Operation::DescribeVirtualGateways,
            other => panic!("unexpected {other}"),
        };
        let request = DxRequest::from_json(operation, b"{}").unwrap();
        assert_eq!(request.validate(Provider::Aws), Ok(()));
    }
}

#[test]
fn every_model_required_member_is_reported_when_missing() {
    let f = facts();
    for (shape, required) in f["required"].as_object().unwrap() {
        let Some(operation) = operation_of(shape) else {
            continue;
        };
        let request = DxRequest::from_json(operation, b"{}").unwrap();
        let required = strings(required);
        if required.is_empty() {
            assert_eq!(
                request.validate(Provider::Aws),
                Ok(()),
                "{shape} needs nothing"
            );
            continue;
        }
        let errors = request.validate(Provider::Aws).unwrap_err();
        for member in required {
            assert!(
                errors
                    .for_field(&member)
                    .any(|e| e.rule == cloudlink_core::Rule::Required),
                "{shape}.{member} should be required"
            );
        }
    }
    // Nested shapes, inside an otherwise empty parent.
    for (operation, parent, shape) in [
        (
            Operation::CreatePrivateVirtualInterface,
            "newPrivateVirtualInterface",
            "NewPrivateVirtualInterface",
        ),
        (
            Operation::AllocatePrivateVirtualInterface,
            "newPrivateVirtualInterfaceAllocation",
            "NewPrivateVirtualInterfaceAllocation",
        ),
    ] {
        let body = json!({ parent: {} });
        let request = DxRequest::from_json(operation, body.to_string().as_bytes()).unwrap();
        let errors = request.validate(Provider::Aws).unwrap_err();
        for member in strings(&f["required"][shape]) {
            let field = format!("{parent}.{member}");
            assert!(
                errors
                    .for_field(&field)
                    .any(|e| e.rule == cloudlink_core::Rule::Required),
                "{field} should be required"
            );
        }
    }
}
