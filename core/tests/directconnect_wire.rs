//! Wire format of Direct Connect / DirectLink: every example of the AWS boto3
//! page and of OUTSCALE's DirectLink reference parses and re-serializes to the
//! same JSON; responses are tolerant; requests are strict.

use cloudlink_core::catalogue::Method;
use cloudlink_core::directconnect::{
    BgpPeer, ConfirmPrivateVirtualInterfaceResponse, Connection, ConnectionState, Connections,
    DeleteVirtualInterfaceResponse, DxRequest, Location, Locations, NewPrivateVirtualInterface,
    NewPrivateVirtualInterfaceAllocation, RouteFilterPrefix, Timestamp, VirtualGateway,
    VirtualGatewayState, VirtualGateways, VirtualInterface, VirtualInterfaceState,
    VirtualInterfaces,
};
use cloudlink_core::{ApiRequest, CallError, IncomingCall, Operation, Provider, Service};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

macro_rules! data {
    ($name:literal) => {
        ($name, include_str!(concat!("data/directconnect/", $name)))
    };
}

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

fn request_round_trip(operation: Operation, (name, text): (&str, &str)) {
    let request = DxRequest::from_json(operation, text.as_bytes())
        .unwrap_or_else(|e| panic!("{name} should parse as {operation}: {e}"));
    assert_eq!(request.operation(), operation);
    let original: Value = serde_json::from_str(text).unwrap();
    let again: Value = serde_json::from_slice(&request.to_json()).unwrap();
    assert_eq!(again, original, "{name} should re-serialize unchanged");
}

fn round_trip<T: DeserializeOwned + Serialize>((name, text): (&str, &str)) -> T {
    let parsed: T =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} should parse: {e}"));
    let original: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        original,
        "{name} should re-serialize unchanged"
    );
    parsed
}

#[test]
fn outscale_request_examples_round_trip() {
    let examples = [
        data!("outscale-CreateConnection-request.json"),
        data!("outscale-DeleteConnection-request.json"),
        data!("outscale-DescribeConnections-request.json"),
        data!("outscale-DescribeLocations-request.json"),
        data!("outscale-AllocatePrivateVirtualInterface-request.json"),
        data!("outscale-ConfirmPrivateVirtualInterface-request.json"),
        data!("outscale-CreatePrivateVirtualInterface-request.json"),
        data!("outscale-DeleteVirtualInterface-request.json"),
        data!("outscale-DescribeVirtualGateways-request.json"),
        data!("outscale-DescribeVirtualInterfaces-request.json"),
    ];
    for (operation, example) in OPERATIONS.into_iter().zip(examples) {
        assert!(example.0.contains(operation.name()));
        request_round_trip(operation, example);
    }
    let schemas = [
        (
            Operation::CreateConnection,
            data!("outscale-schema-CreateConnectionRequest.json"),
        ),
        (
            Operation::DeleteConnection,
            data!("outscale-schema-DeleteConnectionRequest.json"),
        ),
        (
            Operation::DescribeConnections,
            data!("outscale-schema-DescribeConnectionsRequest.json"),
        ),
        (
            Operation::DescribeLocations,
            data!("outscale-schema-DescribeLocationsRequest.json"),
        ),
        (
            Operation::AllocatePrivateVirtualInterface,
            data!("outscale-schema-AllocatePrivateVirtualInterfaceRequest.json"),
        ),
        (
            Operation::ConfirmPrivateVirtualInterface,
            data!("outscale-schema-ConfirmPrivateVirtualInterfaceRequest.json"),
        ),
        (
            Operation::CreatePrivateVirtualInterface,
            data!("outscale-schema-CreatePrivateVirtualInterfaceRequest.json"),
        ),
        (
            Operation::DeleteVirtualInterface,
            data!("outscale-schema-DeleteVirtualInterfaceRequest.json"),
        ),
        (
            Operation::DescribeVirtualGateways,
            data!("outscale-schema-DescribeVirtualGatewaysRequest.json"),
        ),
        (
            Operation::DescribeVirtualInterfaces,
            data!("outscale-schema-DescribeVirtualInterfacesRequest.json"),
        ),
    ];
    for (operation, example) in schemas {
        request_round_trip(operation, example);
    }
    round_trip::<NewPrivateVirtualInterface>(data!(
        "outscale-schema-NewPrivateVirtualInterface.json"
    ));
    round_trip::<NewPrivateVirtualInterfaceAllocation>(data!(
        "outscale-schema-NewPrivateVirtualInterfaceAllocation.json"
    ));
}

#[test]
fn outscale_dry_run_keeps_its_capital_d_where_documented() {
    let request =
        DxRequest::from_json(Operation::DescribeLocations, br#"{"DryRun": true}"#).unwrap();
    assert_eq!(request.to_json(), br#"{"DryRun":true}"#);
    let request =
        DxRequest::from_json(Operation::DescribeVirtualGateways, br#"{"DryRun": false}"#).unwrap();
    assert_eq!(request.to_json(), br#"{"DryRun":false}"#);
    assert!(DxRequest::from_json(Operation::DescribeLocations, br#"{"dryRun": true}"#).is_err());
    assert!(
        DxRequest::from_json(
            Operation::DeleteConnection,
            br#"{"connectionId": "x", "DryRun": true}"#
        )
        .is_err()
    );
}

#[test]
fn outscale_response_examples_round_trip() {
    let c: Connection = round_trip(data!("outscale-CreateConnection-response.json"));
    assert_eq!(
        c.connection_state,
        Some(ConnectionState::Unknown("string".to_owned()))
    );
    assert_eq!(c.loa_issue_time, Some(Timestamp::Text("string".to_owned())));
    assert_eq!(c.request_id.as_deref(), Some("string"));
    round_trip::<Connection>(data!("outscale-DeleteConnection-response.json"));
    let cs: Connections = round_trip(data!("outscale-DescribeConnections-response.json"));
    assert_eq!(cs.connections.len(), 1);
    let ls: Locations = round_trip(data!("outscale-DescribeLocations-response.json"));
    assert_eq!(ls.locations[0].location_code.as_deref(), Some("string"));
    let v: VirtualInterface = round_trip(data!(
        "outscale-AllocatePrivateVirtualInterface-response.json"
    ));
    assert_eq!(v.bgp_peers.as_ref().map(Vec::len), Some(1));
    assert_eq!(v.amazon_side_asn, Some(0));
    round_trip::<ConfirmPrivateVirtualInterfaceResponse>(data!(
        "outscale-ConfirmPrivateVirtualInterface-response.json"
    ));
    round_trip::<VirtualInterface>(data!(
        "outscale-CreatePrivateVirtualInterface-response.json"
    ));
    round_trip::<DeleteVirtualInterfaceResponse>(data!(
        "outscale-DeleteVirtualInterface-response.json"
    ));
    let gs: VirtualGateways = round_trip(data!("outscale-DescribeVirtualGateways-response.json"));
    assert_eq!(gs.virtual_gateways.len(), 1);
    let vs: VirtualInterfaces =
        round_trip(data!("outscale-DescribeVirtualInterfaces-response.json"));
    assert_eq!(vs.virtual_interfaces.len(), 1);

    round_trip::<BgpPeer>(data!("outscale-schema-BgpPeer.json"));
    round_trip::<ConfirmPrivateVirtualInterfaceResponse>(data!(
        "outscale-schema-ConfirmPrivateVirtualInterfaceResponse.json"
    ));
    round_trip::<Connection>(data!("outscale-schema-Connection.json"));
    round_trip::<Connection>(data!("outscale-schema-ConnectionResponse.json"));
    round_trip::<DeleteVirtualInterfaceResponse>(data!(
        "outscale-schema-DeleteVirtualInterfaceResponse.json"
    ));
    round_trip::<Connections>(data!("outscale-schema-DescribeConnectionsResponse.json"));
    round_trip::<Locations>(data!("outscale-schema-DescribeLocationsResponse.json"));
    round_trip::<VirtualGateways>(data!(
        "outscale-schema-DescribeVirtualGatewaysResponse.json"
    ));
    round_trip::<VirtualInterfaces>(data!(
        "outscale-schema-DescribeVirtualInterfacesResponse.json"
    ));
    round_trip::<Location>(data!("outscale-schema-Locations.json"));
    round_trip::<VirtualInterface>(data!(
        "outscale-schema-PrivateVirtualInterfaceResponse.json"
    ));
    round_trip::<RouteFilterPrefix>(data!("outscale-schema-RouteFilterPrefix.json"));
    round_trip::<VirtualGateway>(data!("outscale-schema-VirtualGateways.json"));
    round_trip::<VirtualInterface>(data!("outscale-schema-VirtualInterface.json"));
}

#[test]
fn aws_create_connection_examples_round_trip() {
    request_round_trip(
        Operation::CreateConnection,
        data!("aws-CreateConnection-request.json"),
    );
    let c: Connection = round_trip(data!("aws-CreateConnection-response.json"));
    assert_eq!(c.connection_state, Some(ConnectionState::Ordering));
    assert_eq!(
        c.loa_issue_time,
        Some(Timestamp::EpochSeconds(1_420_070_400.into()))
    );
    assert_eq!(c.mac_sec_keys.as_ref().map(Vec::len), Some(1));
    assert_eq!(c.tags.as_ref().unwrap()[0].key, "string");
}

#[test]
fn responses_accept_nulls_unknown_fields_and_states() {
    let body = json!({
        "connectionId": "dxcon-fg5678gh",
        "connectionState": "hibernating",
        "awsDevice": null, "lagId": null, "loaIssueTime": null, "partnerName": null, "vlan": null,
        "tags": null, "macSecKeys": null,
        "brandNewField": {"nested": [1, 2]}
    });
    let c: Connection = serde_json::from_value(body).unwrap();
    assert_eq!(
        c.connection_state,
        Some(ConnectionState::Unknown("hibernating".to_owned()))
    );
    assert_eq!(c.vlan, None);
    assert_eq!(c.loa_issue_time, None);
    let out = serde_json::to_value(&c).unwrap();
    assert_eq!(
        out,
        json!({"connectionId": "dxcon-fg5678gh", "connectionState": "hibernating"})
    );

    let list: Connections =
        serde_json::from_value(json!({"connections": null, "requestId": "r"})).unwrap();
    assert!(list.connections.is_empty());
    let list: VirtualInterfaces = serde_json::from_value(json!({})).unwrap();
    assert!(list.virtual_interfaces.is_empty());

    let vif: VirtualInterface = serde_json::from_value(json!({
        "virtualInterfaceState": "expired", "bgpPeers": null, "routeFilterPrefixes": null,
        "addressFamily": null, "amazonSideAsn": null, "customerRouterConfig": null
    }))
    .unwrap();
    assert_eq!(
        vif.virtual_interface_state,
        Some(VirtualInterfaceState::Expired)
    );

    // AWS JSON 1.1 sends timestamps as fractional epoch seconds.
    let c: Connection = serde_json::from_value(json!({"loaIssueTime": 1.4200704123E9})).unwrap();
    assert!(matches!(c.loa_issue_time, Some(Timestamp::EpochSeconds(_))));

    let parsed = cloudlink_core::wire::parse_response::<Locations>(
        Provider::Outscale,
        200,
        &[],
        br#"{"locations":[{"locationCode":"PAR1","locationName":"Equinix Pantin"}],"requestId":"x"}"#,
    )
    .unwrap();
    assert_eq!(parsed.locations[0].location_code.as_deref(), Some("PAR1"));
}

#[test]
fn states_and_polling() {
    // (state, transitional)
    let connection = [
        ("ordering", false),
        ("requested", true),
        ("pending", true),
        ("available", false),
        ("down", false),
        ("deleting", true),
        ("deleted", false),
        ("rejected", false),
        ("unknown", false),
        ("something-new", false),
    ];
    for (wire, transitional) in connection {
        let state = ConnectionState::from_wire(wire);
        assert_eq!(state.as_str(), wire);
        assert_eq!(state.is_transitional(), transitional, "{wire}");
    }
    assert!(!matches!(
        ConnectionState::from_wire("unknown"),
        ConnectionState::Unknown(_)
    ));

    let vif = [
        ("confirming", false),
        ("verifying", true),
        ("pending", true),
        ("available", false),
        ("down", false),
        ("testing", false),
        ("deleting", true),
        ("deleted", false),
        ("rejected", false),
        ("unknown", false),
        ("expired", false),
    ];
    for (wire, transitional) in vif {
        let state = VirtualInterfaceState::from_wire(wire);
        assert!(
            !matches!(state, VirtualInterfaceState::Unknown(_)),
            "{wire} is known"
        );
        assert_eq!(state.is_transitional(), transitional, "{wire}");
    }

    let vgw = [
        ("pending", true),
        ("available", false),
        ("deleting", true),
        ("deleted", false),
    ];
    for (wire, transitional) in vgw {
        let state = VirtualGatewayState::from_wire(wire);
        assert!(
            !matches!(state, VirtualGatewayState::Unknown(_)),
            "{wire} is known"
        );
        assert_eq!(state.is_transitional(), transitional, "{wire}");
    }
}

#[test]
fn requests_are_strict() {
    // An empty or blank body is `{}`.
    for body in [&b""[..], b"  \n", b"{}"] {
        let request = DxRequest::from_json(Operation::DescribeLocations, body).unwrap();
        assert_eq!(request.to_json(), b"{}");
    }
    let unknown = DxRequest::from_json(
        Operation::CreateConnection,
        br#"{"location": "x", "colour": "red"}"#,
    );
    assert_eq!(
        unknown,
        Err(CallError::Malformed("unknown field `colour`".to_owned()))
    );
    let nested = DxRequest::from_json(
        Operation::CreatePrivateVirtualInterface,
        br#"{"newPrivateVirtualInterface": {"vlan": 1, "routeTable": 2}}"#,
    );
    assert!(matches!(nested, Err(CallError::Malformed(m)) if m.contains("routeTable")));
    // A fraction or a string where a number belongs is the wrong type; the
    // message never repeats the value.
    for body in [
        &br#"{"newPrivateVirtualInterface": {"vlan": 1.5}}"#[..],
        br#"{"newPrivateVirtualInterface": {"vlan": "hunter2-secret"}}"#,
        br#"{"newPrivateVirtualInterface": {"authKey": ["hunter2-secret"]}}"#,
    ] {
        let err = DxRequest::from_json(Operation::CreatePrivateVirtualInterface, body).unwrap_err();
        assert!(
            matches!(&err, CallError::Malformed(m) if m.starts_with("a value of the wrong type")),
            "{err}"
        );
        assert!(!err.to_string().contains("hunter2"));
    }
    assert!(matches!(
        DxRequest::from_json(Operation::CreateConnection, b"{"),
        Err(CallError::Malformed(m)) if m.starts_with("truncated JSON")
    ));
    assert!(matches!(
        DxRequest::from_json(Operation::CreateConnection, b"[]"),
        Err(CallError::Malformed(_))
    ));
    assert!(matches!(
        DxRequest::from_json(Operation::StartConnection, b"{}"),
        Err(CallError::NotForwarded(_))
    ));
    assert!(matches!(
        DxRequest::from_json(Operation::GetInstanceConsoleConnection, b"{}"),
        Err(CallError::NotForwarded(_))
    ));
}

#[test]
fn to_json_sends_only_what_was_given() {
    let body = br#"{"connectionId":"dxcon-fg5678gh","newPrivateVirtualInterface":{"virtualInterfaceName":"v","vlan":7,"asnLong":4200000000,"virtualGatewayId":"vgw-0123abcd"}}"#;
    let request = DxRequest::from_json(Operation::CreatePrivateVirtualInterface, body).unwrap();
    let sent: Value = serde_json::from_slice(&request.to_json()).unwrap();
    assert_eq!(sent, serde_json::from_slice::<Value>(body).unwrap());
    assert_eq!(request.validate(Provider::Aws), Ok(()));
    assert!(request.validate(Provider::Outscale).is_err());
}

#[test]
fn secrets_are_redacted_in_debug() {
    let vif: VirtualInterface = serde_json::from_value(
        json!({"authKey": "bgp-secret-1", "bgpPeers": [{"authKey": "bgp-secret-2"}]}),
    )
    .unwrap();
    let debug = format!("{vif:?}");
    assert!(!debug.contains("bgp-secret"), "{debug}");
    let c: Connection =
        serde_json::from_value(json!({"macSecKeys": [{"ckn": "ckn-secret"}]})).unwrap();
    assert!(!format!("{c:?}").contains("ckn-secret"));
    // ...but sent and returned as is.
    assert_eq!(
        serde_json::to_value(&vif).unwrap()["authKey"],
        json!("bgp-secret-1")
    );
}

#[test]
fn directlink_call_is_parsed_validated_and_rebuilt() {
    let headers = vec![
        (
            "X-Amz-Target".to_owned(),
            "OvertureService.CreateConnection".to_owned(),
        ),
        (
            "Content-Type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        ),
    ];
    let body =
        br#"{"bandwidth":"10Gbps","connectionName":"paris","dryRun":true,"location":"PAR1"}"#;
    let call = IncomingCall {
        service: Service::DirectLink,
        method: Method::Post,
        path: "/",
        query: None,
        headers: &headers,
        body,
    };
    let request = ApiRequest::parse(&call).unwrap();
    let http = request.to_http().unwrap();
    assert_eq!(
        http.header("x-amz-target"),
        Some("OvertureService.CreateConnection")
    );
    let sent: Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(sent, serde_json::from_slice::<Value>(body).unwrap());

    // The same body to AWS: dryRun is OUTSCALE's, and 10Gbps is fine.
    let call = IncomingCall {
        service: Service::DirectConnect,
        ..call
    };
    match ApiRequest::parse(&call) {
        Err(CallError::Invalid(errors)) => {
            assert_eq!(errors.errors().len(), 1);
            assert_eq!(errors.errors()[0].field, "dryRun");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}
