//! Reading and validating a Direct Connect request never panics, whatever the
//! body; and what was accepted re-serializes to something read back equal.

use cloudlink_core::directconnect::DxRequest;
use cloudlink_core::{Operation, Provider};
use proptest::prelude::*;
use serde_json::Value;

const OPERATIONS: [Operation; 10] = [
    Operation::CreateConnection,
    Operation::DeleteConnection,
    Operation::DescribeConnections,
    Operation::DescribeLocations,
    Operation::AllocatePrivateVirtualInterface,
    Operation::ConfirmPrivateVirtualInterface,
    Operation::CreatePrivateVirtualInterface,
    Operation::DeleteVirtualInterface,
    Operation::DescribeVirtualGateways,
    Operation::DescribeVirtualInterfaces,
];

/// Field names the requests know, so generated objects often get past the
/// unknown-field check and reach validation.
const NAMES: &[&str] = &[
    "location",
    "bandwidth",
    "connectionName",
    "lagId",
    "tags",
    "key",
    "value",
    "providerName",
    "requestMACSec",
    "billingMode",
    "dryRun",
    "DryRun",
    "connectionId",
    "maxResults",
    "nextToken",
    "ownerAccount",
    "newPrivateVirtualInterfaceAllocation",
    "newPrivateVirtualInterface",
    "virtualInterfaceName",
    "vlan",
    "asn",
    "asnLong",
    "authKey",
    "amazonAddress",
    "customerAddress",
    "addressFamily",
    "mtu",
    "virtualGatewayId",
    "directConnectGatewayId",
    "virtualInterfaceId",
    "enableSiteLink",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            "\\PC{0,12}",
            "(dxcon|dxlag|dxvif|vgw)-[a-z0-9]{6,18}",
            "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,2}",
            Just("1Gbps".to_owned()),
            Just("ipv6".to_owned()),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(NAMES), inner), 0..8).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn check(operation: Operation, body: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(request) = DxRequest::from_json(operation, body) {
        for provider in [Provider::Aws, Provider::Outscale, Provider::Oci] {
            if let Err(errors) = request.validate(provider) {
                prop_assert!(!errors.errors().is_empty());
                let _ = errors.summary();
            }
        }
        let again = DxRequest::from_json(operation, &request.to_json());
        prop_assert_eq!(again.as_ref(), Ok(&request));
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(op in 0usize..10, body in prop::collection::vec(any::<u8>(), 0..256)) {
        check(OPERATIONS[op], &body)?;
    }

    #[test]
    fn arbitrary_json_never_panics(op in 0usize..10, body in json_value()) {
        check(OPERATIONS[op], body.to_string().as_bytes())?;
    }

    #[test]
    fn arbitrary_virtual_interfaces_never_panic(
        create in any::<bool>(),
        vif in prop::collection::vec((prop::sample::select(NAMES), json_value()), 0..12),
    ) {
        let vif: serde_json::Map<String, Value> = vif.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let (operation, parent) = if create {
            (Operation::CreatePrivateVirtualInterface, "newPrivateVirtualInterface")
        } else {
            (Operation::AllocatePrivateVirtualInterface, "newPrivateVirtualInterfaceAllocation")
        };
        let body = serde_json::json!({ "connectionId": "dxcon-fg5678gh", parent: vif });
        check(operation, body.to_string().as_bytes())?;
    }
}
