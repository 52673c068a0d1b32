//! Every validation rule of Direct Connect (AWS) and DirectLink (OUTSCALE),
//! table-driven: for each bound, the last valid and the first invalid value.

use cloudlink_core::directconnect::DxRequest;
use cloudlink_core::validate::FieldError;
use cloudlink_core::{Operation, Provider, Rule};
use serde_json::{Value, json};

use Operation::{
    AllocatePrivateVirtualInterface as Allocate, ConfirmPrivateVirtualInterface as Confirm,
    CreateConnection, CreatePrivateVirtualInterface as CreateVif, DeleteConnection,
    DeleteVirtualInterface, DescribeConnections, DescribeLocations, DescribeVirtualGateways,
    DescribeVirtualInterfaces,
};
use Provider::{Aws, Outscale};

const IN_OUTSCALE: Rule = Rule::NotSupported { provider: Outscale };
const IN_AWS: Rule = Rule::NotSupported { provider: Aws };

/// A request body every rule test starts from; valid for `provider`.
fn valid_body(provider: Provider, operation: Operation) -> Value {
    let outscale = provider == Outscale;
    let mut body = match operation {
        CreateConnection => {
            json!({"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": "office-link"})
        }
        DeleteConnection => json!({"connectionId": "dxcon-fg5678gh"}),
        DescribeConnections => json!({"connectionId": "dxcon-fg5678gh"}),
        DescribeLocations | DescribeVirtualGateways => json!({}),
        Allocate => json!({
            "connectionId": "dxcon-fg5678gh",
            "ownerAccount": "123456789012",
            "newPrivateVirtualInterfaceAllocation": {
                "virtualInterfaceName": "my-vif", "vlan": 101, "asn": 65000,
                "authKey": "s3cr3t-bgp-key",
                "amazonAddress": "169.254.0.1/30", "customerAddress": "169.254.0.2/30"
            }
        }),
        Confirm => {
            json!({"virtualInterfaceId": "dxvif-fgh0hcrk", "virtualGatewayId": "vgw-0123abcd"})
        }
        CreateVif => json!({
            "connectionId": "dxcon-fg5678gh",
            "newPrivateVirtualInterface": {
                "virtualInterfaceName": "my-vif", "vlan": 101, "asn": 65000,
                "authKey": "s3cr3t-bgp-key",
                "amazonAddress": "169.254.0.1/30", "customerAddress": "169.254.0.2/30",
                "virtualGatewayId": "vgw-0123abcd"
            }
        }),
        DeleteVirtualInterface => json!({"virtualInterfaceId": "dxvif-fgh0hcrk"}),
        DescribeVirtualInterfaces => json!({"connectionId": "dxcon-fg5678gh"}),
        other => panic!("{other} is not a direct connect operation"),
    };
    if outscale {
        let dry_run = if matches!(operation, DescribeLocations | DescribeVirtualGateways) {
            "DryRun"
        } else {
            "dryRun"
        };
        body[dry_run] = json!(false);
    }
    body
}

/// Sets (or with `None` removes) the field at a dotted path.
fn set(body: &mut Value, path: &str, value: Option<Value>) {
    let (parents, last) = match path.rsplit_once('.') {
        Some((parents, last)) => (parents.split('.').collect::<Vec<_>>(), last),
        None => (Vec::new(), path),
    };
    let mut at = body;
    for p in parents {
        at = &mut at[p];
    }
    let object = at.as_object_mut().expect("path leads to an object");
    match value {
        Some(v) => {
            object.insert(last.to_owned(), v);
        }
        None => {
            object.remove(last);
        }
    }
}

fn validate(provider: Provider, operation: Operation, body: &Value) -> Result<(), Vec<FieldError>> {
    let request = DxRequest::from_json(operation, body.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{operation} body should parse: {e}: {body}"));
    request.validate(provider).map_err(|e| e.into_errors())
}

/// One row: on `provider`'s `operation`, setting `path` to `value` (None:
/// removing it) gives exactly `expected` at `field` (None: valid).
struct Case {
    provider: Provider,
    operation: Operation,
    path: &'static str,
    value: Option<Value>,
    field: &'static str,
    expected: Option<Rule>,
}

fn ok(provider: Provider, operation: Operation, path: &'static str, value: Value) -> Case {
    Case {
        provider,
        operation,
        path,
        value: Some(value),
        field: path,
        expected: None,
    }
}

fn bad(
    provider: Provider,
    operation: Operation,
    path: &'static str,
    value: Value,
    rule: Rule,
) -> Case {
    Case {
        provider,
        operation,
        path,
        value: Some(value),
        field: path,
        expected: Some(rule),
    }
}

fn missing(
    provider: Provider,
    operation: Operation,
    path: &'static str,
    rule: Option<Rule>,
) -> Case {
    Case {
        provider,
        operation,
        path,
        value: None,
        field: path,
        expected: rule,
    }
}

impl Case {
    fn at(mut self, field: &'static str) -> Case {
        self.field = field;
        self
    }
}

fn run(cases: Vec<Case>) {
    for case in cases {
        let mut body = valid_body(case.provider, case.operation);
        set(&mut body, case.path, case.value.clone());
        let result = validate(case.provider, case.operation, &body);
        let label = format!(
            "{:?} {} {} = {:?}",
            case.provider, case.operation, case.path, case.value
        );
        match case.expected {
            None => assert_eq!(result, Ok(()), "{label} should be valid"),
            Some(rule) => assert_eq!(
                result,
                Err(vec![FieldError::new(case.field, rule)]),
                "{label} should break exactly one rule"
            ),
        }
    }
}

fn range(min: i64, max: i64, actual: i64) -> Rule {
    Rule::Range { min, max, actual }
}

fn length(min: usize, max: usize, actual: usize) -> Rule {
    Rule::Length { min, max, actual }
}

#[test]
fn base_bodies_are_valid() {
    for provider in [Aws, Outscale] {
        for operation in [
            CreateConnection,
            DeleteConnection,
            DescribeConnections,
            DescribeLocations,
            Allocate,
            Confirm,
            CreateVif,
            DeleteVirtualInterface,
            DescribeVirtualGateways,
            DescribeVirtualInterfaces,
        ] {
            assert_eq!(
                validate(provider, operation, &valid_body(provider, operation)),
                Ok(()),
                "{provider:?} {operation}"
            );
        }
    }
}

#[test]
fn bandwidth() {
    let aws = Rule::OneOf {
        allowed: &["1Gbps", "10Gbps", "100Gbps", "400Gbps"],
    };
    let outscale = Rule::OneOf {
        allowed: &["1Gbps", "10Gbps"],
    };
    run(vec![
        ok(Aws, CreateConnection, "bandwidth", json!("1Gbps")),
        ok(Aws, CreateConnection, "bandwidth", json!("10Gbps")),
        ok(Aws, CreateConnection, "bandwidth", json!("100Gbps")),
        ok(Aws, CreateConnection, "bandwidth", json!("400Gbps")),
        bad(
            Aws,
            CreateConnection,
            "bandwidth",
            json!("500Mbps"),
            aws.clone(),
        ),
        bad(Aws, CreateConnection, "bandwidth", json!("1gbps"), aws),
        bad(
            Aws,
            CreateConnection,
            "bandwidth",
            json!(""),
            Rule::Required,
        ),
        missing(Aws, CreateConnection, "bandwidth", Some(Rule::Required)),
        ok(Outscale, CreateConnection, "bandwidth", json!("1Gbps")),
        ok(Outscale, CreateConnection, "bandwidth", json!("10Gbps")),
        bad(
            Outscale,
            CreateConnection,
            "bandwidth",
            json!("100Gbps"),
            outscale.clone(),
        ),
        bad(
            Outscale,
            CreateConnection,
            "bandwidth",
            json!("400Gbps"),
            outscale,
        ),
        missing(
            Outscale,
            CreateConnection,
            "bandwidth",
            Some(Rule::Required),
        ),
    ]);
}

#[test]
fn required_names_and_locations() {
    run(vec![
        missing(Aws, CreateConnection, "location", Some(Rule::Required)),
        bad(
            Aws,
            CreateConnection,
            "location",
            json!("  "),
            Rule::Required,
        ),
        bad(
            Aws,
            CreateConnection,
            "location",
            Value::Null,
            Rule::Required,
        ),
        missing(
            Aws,
            CreateConnection,
            "connectionName",
            Some(Rule::Required),
        ),
        missing(
            Outscale,
            CreateConnection,
            "connectionName",
            Some(Rule::Required),
        ),
        missing(Outscale, CreateConnection, "location", Some(Rule::Required)),
        ok(
            Aws,
            CreateConnection,
            "connectionName",
            json!("Any name, with spaces & symbols"),
        ),
    ]);
}

fn tags(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
            .collect(),
    )
}

#[test]
fn aws_tags() {
    let tag = |key: &str, value: &str| json!([{"key": key, "value": value}]);
    run(vec![
        ok(Aws, CreateConnection, "tags", tags(1)),
        ok(Aws, CreateConnection, "tags", tags(50)),
        bad(
            Aws,
            CreateConnection,
            "tags",
            tags(51),
            Rule::TooMany {
                max: 50,
                actual: 51,
            },
        ),
        bad(
            Aws,
            CreateConnection,
            "tags",
            json!([]),
            Rule::EmptyWhenGiven,
        ),
        ok(Aws, CreateConnection, "tags", tag(&"k".repeat(128), "v")),
        bad(
            Aws,
            CreateConnection,
            "tags",
            tag(&"k".repeat(129), "v"),
            length(1, 128, 129),
        )
        .at("tags[0].key"),
        bad(Aws, CreateConnection, "tags", tag("", "v"), Rule::Required).at("tags[0].key"),
        bad(
            Aws,
            CreateConnection,
            "tags",
            json!([{"value": "v"}]),
            Rule::Required,
        )
        .at("tags[0].key"),
        ok(Aws, CreateConnection, "tags", tag("k", &"v".repeat(256))),
        bad(
            Aws,
            CreateConnection,
            "tags",
            tag("k", &"v".repeat(257)),
            length(0, 256, 257),
        )
        .at("tags[0].value"),
        ok(Aws, CreateConnection, "tags", tag("k", "")),
        ok(
            Aws,
            CreateConnection,
            "tags",
            json!([{"key": "only-a-key"}]),
        ),
        ok(
            Aws,
            CreateConnection,
            "tags",
            tag("Équipe 2_.:/=+-@", "école ٣ 東京"),
        ),
        bad(
            Aws,
            CreateConnection,
            "tags",
            tag("a*b", "v"),
            Rule::Charset {
                allowed: "letters, digits, spaces and _ . : / = + - @",
            },
        )
        .at("tags[0].key"),
        bad(
            Aws,
            CreateConnection,
            "tags",
            tag("k", "tab\there"),
            Rule::Charset {
                allowed: "letters, digits, spaces and _ . : / = + - @",
            },
        )
        .at("tags[0].value"),
        bad(
            Aws,
            CreateConnection,
            "tags",
            json!([{"key": "env"}, {"key": "env", "value": "x"}]),
            Rule::Duplicate,
        )
        .at("tags[1].key"),
        ok(
            Aws,
            CreateConnection,
            "tags",
            json!([{"key": "env"}, {"key": "Env"}]),
        ),
        ok(Aws, CreateVif, "newPrivateVirtualInterface.tags", tags(50)),
        bad(
            Aws,
            CreateVif,
            "newPrivateVirtualInterface.tags",
            json!([{"key": "a"}, {"key": "a"}]),
            Rule::Duplicate,
        )
        .at("newPrivateVirtualInterface.tags[1].key"),
        bad(
            Aws,
            Allocate,
            "newPrivateVirtualInterfaceAllocation.tags",
            tags(51),
            Rule::TooMany {
                max: 50,
                actual: 51,
            },
        ),
    ]);
}

#[test]
fn vlan() {
    let p = "newPrivateVirtualInterface.vlan";
    let q = "newPrivateVirtualInterfaceAllocation.vlan";
    run(vec![
        ok(Aws, CreateVif, p, json!(1)),
        bad(Aws, CreateVif, p, json!(0), range(1, 4094, 0)),
        ok(Aws, CreateVif, p, json!(4094)),
        bad(Aws, CreateVif, p, json!(4095), range(1, 4094, 4095)),
        bad(Aws, CreateVif, p, json!(-1), range(1, 4094, -1)),
        bad(Aws, CreateVif, p, json!(1e30), range(1, 4094, i64::MAX)),
        bad(Aws, CreateVif, p, json!(u64::MAX), range(1, 4094, i64::MAX)),
        missing(Aws, CreateVif, p, Some(Rule::Required)),
        bad(Aws, CreateVif, p, Value::Null, Rule::Required),
        ok(Aws, Allocate, q, json!(1)),
        bad(Aws, Allocate, q, json!(4095), range(1, 4094, 4095)),
        ok(Outscale, CreateVif, p, json!(2)),
        bad(Outscale, CreateVif, p, json!(1), range(2, 4094, 1)),
        ok(Outscale, CreateVif, p, json!(4094)),
        bad(Outscale, CreateVif, p, json!(4095), range(2, 4094, 4095)),
        ok(Outscale, Allocate, q, json!(2)),
        bad(Outscale, Allocate, q, json!(1), range(2, 4094, 1)),
        missing(Outscale, Allocate, q, Some(Rule::Required)),
    ]);
}

#[test]
fn asn() {
    let p = "newPrivateVirtualInterface.asn";
    let p_long = "newPrivateVirtualInterface.asnLong";
    let q = "newPrivateVirtualInterfaceAllocation.asn";
    let both = Rule::OnlyOneOf {
        first: "asn",
        second: "asnLong",
    };
    run(vec![
        ok(Aws, CreateVif, p, json!(1)),
        bad(Aws, CreateVif, p, json!(0), range(1, 2_147_483_646, 0)),
        ok(Aws, CreateVif, p, json!(2_147_483_646)),
        bad(
            Aws,
            CreateVif,
            p,
            json!(2_147_483_647),
            range(1, 2_147_483_646, 2_147_483_647),
        ),
        missing(Aws, CreateVif, p, Some(Rule::Required)),
        bad(
            Aws,
            CreateVif,
            p_long,
            json!(4_200_000_000u64),
            both.clone(),
        ),
        ok(Aws, Allocate, q, json!(2_147_483_646)),
        bad(Aws, Allocate, q, json!(0), range(1, 2_147_483_646, 0)),
        bad(
            Aws,
            Allocate,
            "newPrivateVirtualInterfaceAllocation.asnLong",
            json!(7),
            both,
        ),
        // OUTSCALE documents 64512-65534 for CreatePrivateVirtualInterface only.
        ok(Outscale, CreateVif, p, json!(64_512)),
        bad(
            Outscale,
            CreateVif,
            p,
            json!(64_511),
            range(64_512, 65_534, 64_511),
        ),
        ok(Outscale, CreateVif, p, json!(65_534)),
        bad(
            Outscale,
            CreateVif,
            p,
            json!(65_535),
            range(64_512, 65_534, 65_535),
        ),
        missing(Outscale, CreateVif, p, Some(Rule::Required)),
        ok(Outscale, Allocate, q, json!(1)),
        bad(Outscale, Allocate, q, json!(0), range(1, 4_294_967_294, 0)),
        ok(Outscale, Allocate, q, json!(4_294_967_294u64)),
        bad(
            Outscale,
            Allocate,
            q,
            json!(4_294_967_295u64),
            range(1, 4_294_967_294, 4_294_967_295),
        ),
        missing(Outscale, Allocate, q, Some(Rule::Required)),
        bad(Outscale, CreateVif, p_long, json!(65000), IN_OUTSCALE),
    ]);

    // asnLong alone, on AWS.
    for (value, expected) in [
        (1i64, None),
        (0, Some(range(1, 4_294_967_294, 0))),
        (4_294_967_294, None),
        (4_294_967_295, Some(range(1, 4_294_967_294, 4_294_967_295))),
    ] {
        let mut body = valid_body(Aws, CreateVif);
        set(&mut body, p, None);
        set(&mut body, p_long, Some(json!(value)));
        let expected = match expected {
            None => Ok(()),
            Some(rule) => Err(vec![FieldError::new(p_long, rule)]),
        };
        assert_eq!(validate(Aws, CreateVif, &body), expected, "asnLong {value}");
    }
}

#[test]
fn auth_key() {
    let p = "newPrivateVirtualInterface.authKey";
    let q = "newPrivateVirtualInterfaceAllocation.authKey";
    run(vec![
        ok(Aws, CreateVif, p, json!("a".repeat(6))),
        bad(Aws, CreateVif, p, json!("a".repeat(5)), length(6, 80, 5)),
        ok(Aws, CreateVif, p, json!("a".repeat(80))),
        bad(Aws, CreateVif, p, json!("a".repeat(81)), length(6, 80, 81)),
        missing(Aws, CreateVif, p, None),
        bad(Aws, Allocate, q, json!("short"), length(6, 80, 5)),
        // OUTSCALE documents no limit.
        ok(Outscale, CreateVif, p, json!("k")),
        ok(Outscale, Allocate, q, json!("a".repeat(200))),
    ]);
}

#[test]
fn mtu_address_family_and_aws_only_vif_fields() {
    let at = |f: &'static str| -> &'static str {
        Box::leak(format!("newPrivateVirtualInterface.{f}").into_boxed_str())
    };
    let mtus = Rule::OneOf {
        allowed: &["1500", "8500", "9001"],
    };
    run(vec![
        ok(Aws, CreateVif, at("mtu"), json!(1500)),
        ok(Aws, CreateVif, at("mtu"), json!(8500)),
        ok(Aws, CreateVif, at("mtu"), json!(9001)),
        bad(Aws, CreateVif, at("mtu"), json!(1501), mtus.clone()),
        bad(Aws, CreateVif, at("mtu"), json!(9000), mtus.clone()),
        bad(
            Aws,
            Allocate,
            "newPrivateVirtualInterfaceAllocation.mtu",
            json!(1499),
            mtus,
        ),
        ok(Aws, CreateVif, at("addressFamily"), json!("ipv4")),
        bad(
            Aws,
            CreateVif,
            at("addressFamily"),
            json!("ipv5"),
            Rule::OneOf {
                allowed: &["ipv4", "ipv6"],
            },
        ),
        ok(Aws, CreateVif, at("enableSiteLink"), json!(true)),
        ok(Aws, CreateVif, at("rateLimit"), json!("500Mbps")),
        ok(Aws, CreateVif, at("prefixPoolAllocatedCountIpv4"), json!(0)),
        bad(
            Aws,
            CreateVif,
            at("prefixPoolAllocatedCountIpv6"),
            json!(-1),
            range(0, i64::from(i32::MAX), -1),
        ),
        bad(Outscale, CreateVif, at("mtu"), json!(1500), IN_OUTSCALE),
        bad(
            Outscale,
            CreateVif,
            at("addressFamily"),
            json!("ipv4"),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            CreateVif,
            at("enableSiteLink"),
            json!(false),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            CreateVif,
            at("rateLimit"),
            json!("1Gbps"),
            IN_OUTSCALE,
        ),
        bad(Outscale, CreateVif, at("tags"), tags(1), IN_OUTSCALE),
        bad(
            Outscale,
            CreateVif,
            at("prefixPoolAllocatedCountIpv4"),
            json!(1),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            CreateVif,
            at("directConnectGatewayId"),
            json!("5f294f92-bafb-4011-916d-9b0b03adbe31"),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            Allocate,
            "newPrivateVirtualInterfaceAllocation.tags",
            tags(1),
            IN_OUTSCALE,
        ),
    ]);

    // ipv6: AWS assigns the peer addresses.
    let mut body = valid_body(Aws, CreateVif);
    set(&mut body, at("addressFamily"), Some(json!("ipv6")));
    let rule = Rule::AssignedByProvider {
        provider: Aws,
        family: "ipv6",
    };
    assert_eq!(
        validate(Aws, CreateVif, &body),
        Err(vec![
            FieldError::new(at("amazonAddress"), rule.clone()),
            FieldError::new(at("customerAddress"), rule)
        ])
    );
    set(&mut body, at("amazonAddress"), None);
    set(&mut body, at("customerAddress"), None);
    assert_eq!(validate(Aws, CreateVif, &body), Ok(()));
}

#[test]
fn peer_addresses() {
    let amazon = "newPrivateVirtualInterface.amazonAddress";
    let customer = "newPrivateVirtualInterface.customerAddress";
    let format = Rule::Format {
        expected: "an ipv4 address with its prefix length, like 169.254.0.1/30",
    };
    let subnet = Rule::NotSameSubnet {
        other: "amazonAddress",
    };
    let reserved = Rule::NetworkOrBroadcast;
    let mut cases = Vec::new();
    for provider in [Aws, Outscale] {
        cases.extend([
            ok(provider, CreateVif, customer, json!("169.254.0.2/30")),
            bad(
                provider,
                CreateVif,
                customer,
                json!("169.254.0.5/30"),
                subnet.clone(),
            ),
            bad(
                provider,
                CreateVif,
                customer,
                json!("169.254.0.2/29"),
                subnet.clone(),
            ),
            bad(
                provider,
                CreateVif,
                customer,
                json!("169.254.0.1/30"),
                Rule::SameAs {
                    other: "amazonAddress",
                },
            ),
            bad(
                provider,
                CreateVif,
                customer,
                json!("169.254.0.3/30"),
                reserved.clone(),
            ),
            bad(
                provider,
                CreateVif,
                amazon,
                json!("169.254.0.0/30"),
                reserved.clone(),
            ),
            bad(
                provider,
                CreateVif,
                customer,
                json!("169.254.0.2"),
                format.clone(),
            ),
            bad(
                provider,
                CreateVif,
                amazon,
                json!("169.254.0.01/30"),
                format.clone(),
            ),
            bad(
                provider,
                CreateVif,
                amazon,
                json!("169.254.0.1/33"),
                format.clone(),
            ),
            bad(
                provider,
                CreateVif,
                amazon,
                json!("fe80::1/64"),
                format.clone(),
            ),
            missing(provider, CreateVif, customer, Some(Rule::Required)),
            ok(provider, CreateVif, amazon, json!("169.254.0.1/30")),
        ]);
    }
    // With amazonAddress removed: AWS needs both or neither; OUTSCALE only
    // requires customerAddress when amazonAddress is given.
    cases.push(missing(Aws, CreateVif, amazon, Some(Rule::Required)));
    cases.push(missing(Outscale, CreateVif, amazon, None));
    run(cases);

    // Point-to-point /31 links have no network or broadcast address.
    for provider in [Aws, Outscale] {
        let mut body = valid_body(provider, CreateVif);
        set(&mut body, amazon, Some(json!("10.0.0.0/31")));
        set(&mut body, customer, Some(json!("10.0.0.1/31")));
        assert_eq!(
            validate(provider, CreateVif, &body),
            Ok(()),
            "{provider:?} /31"
        );
        // Neither address at all is fine too: the provider chooses.
        set(&mut body, amazon, None);
        set(&mut body, customer, None);
        assert_eq!(
            validate(provider, CreateVif, &body),
            Ok(()),
            "{provider:?} no addresses"
        );
    }

    let q = "newPrivateVirtualInterfaceAllocation.customerAddress";
    run(vec![
        bad(Aws, Allocate, q, json!("169.254.1.2/30"), subnet.clone()),
        bad(Outscale, Allocate, q, json!("169.254.1.2/30"), subnet),
        missing(Outscale, Allocate, q, Some(Rule::Required)),
    ]);
}

#[test]
fn virtual_interface_name() {
    let p = "newPrivateVirtualInterface.virtualInterfaceName";
    run(vec![
        ok(Aws, CreateVif, p, json!("a")),
        ok(Aws, CreateVif, p, json!("a".repeat(100))),
        bad(
            Aws,
            CreateVif,
            p,
            json!("a".repeat(101)),
            length(1, 100, 101),
        ),
        bad(
            Aws,
            CreateVif,
            p,
            json!("My VIF"),
            Rule::Charset {
                allowed: "lowercase letters a-z, digits and -",
            },
        ),
        bad(Aws, CreateVif, p, json!(""), Rule::Required),
        missing(Aws, CreateVif, p, Some(Rule::Required)),
        ok(Aws, CreateVif, p, json!("vif-0-prod")),
        ok(Outscale, CreateVif, p, json!("My VIF")),
        missing(Outscale, CreateVif, p, Some(Rule::Required)),
        missing(
            Outscale,
            Allocate,
            "newPrivateVirtualInterfaceAllocation.virtualInterfaceName",
            Some(Rule::Required),
        ),
    ]);
}

#[test]
fn identifiers() {
    let con = Rule::Format {
        expected: "a connection id like dxcon-fg5678gh",
    };
    let con_or_lag = Rule::Format {
        expected: "a connection or lag id like dxcon-fg5678gh",
    };
    let lag = Rule::Format {
        expected: "a lag id like dxlag-ffrz71kw",
    };
    let vif = Rule::Format {
        expected: "a virtual interface id like dxvif-fgh0hcrk",
    };
    let vgw = Rule::Format {
        expected: "a virtual private gateway id like vgw-0123abcd",
    };
    let account = Rule::Format {
        expected: "a 12-digit account id like 123456789012",
    };
    run(vec![
        ok(
            Aws,
            DeleteConnection,
            "connectionId",
            json!("dxcon-12345678"),
        ),
        ok(
            Aws,
            DeleteConnection,
            "connectionId",
            json!("dxcon-0123456789abcdefg"),
        ),
        bad(
            Aws,
            DeleteConnection,
            "connectionId",
            json!("dxcon-1234567"),
            con.clone(),
        ),
        bad(
            Aws,
            DeleteConnection,
            "connectionId",
            json!("dxcon-0123456789abcdefgh"),
            con.clone(),
        ),
        bad(
            Aws,
            DeleteConnection,
            "connectionId",
            json!("dxcon-FG5678GH"),
            con.clone(),
        ),
        bad(
            Aws,
            DeleteConnection,
            "connectionId",
            json!("dxlag-ffrz71kw"),
            con.clone(),
        ),
        bad(
            Aws,
            DeleteConnection,
            "connectionId",
            json!(""),
            Rule::Required,
        ),
        missing(Aws, DeleteConnection, "connectionId", Some(Rule::Required)),
        bad(Aws, DescribeConnections, "connectionId", json!("abc"), con),
        missing(Aws, DescribeConnections, "connectionId", None),
        ok(Aws, CreateVif, "connectionId", json!("dxlag-ffrz71kw")),
        bad(
            Aws,
            CreateVif,
            "connectionId",
            json!("dxvif-ffrz71kw"),
            con_or_lag.clone(),
        ),
        ok(Aws, Allocate, "connectionId", json!("dxlag-ffrz71kw")),
        bad(
            Aws,
            DescribeVirtualInterfaces,
            "connectionId",
            json!("x"),
            con_or_lag,
        ),
        ok(Aws, CreateConnection, "lagId", json!("dxlag-ffrz71kw")),
        bad(Aws, CreateConnection, "lagId", json!("dxcon-fg5678gh"), lag),
        ok(
            Aws,
            DeleteVirtualInterface,
            "virtualInterfaceId",
            json!("dxvif-fgh0hcrk"),
        ),
        bad(
            Aws,
            DeleteVirtualInterface,
            "virtualInterfaceId",
            json!("vif-1"),
            vif.clone(),
        ),
        missing(
            Aws,
            DeleteVirtualInterface,
            "virtualInterfaceId",
            Some(Rule::Required),
        ),
        bad(
            Aws,
            Confirm,
            "virtualInterfaceId",
            json!("dxcon-fg5678gh"),
            vif.clone(),
        ),
        bad(
            Aws,
            DescribeVirtualInterfaces,
            "virtualInterfaceId",
            json!("dxvif-"),
            vif,
        ),
        ok(
            Aws,
            Confirm,
            "virtualGatewayId",
            json!("vgw-0123456789abcdef0"),
        ),
        bad(
            Aws,
            Confirm,
            "virtualGatewayId",
            json!("vgw-123"),
            vgw.clone(),
        ),
        bad(
            Aws,
            CreateVif,
            "newPrivateVirtualInterface.virtualGatewayId",
            json!("igw-0123abcd"),
            vgw,
        ),
        ok(Aws, Allocate, "ownerAccount", json!("000000000000")),
        bad(
            Aws,
            Allocate,
            "ownerAccount",
            json!("12345678901"),
            account.clone(),
        ),
        bad(
            Aws,
            Allocate,
            "ownerAccount",
            json!("1234567890123"),
            account.clone(),
        ),
        bad(
            Aws,
            Allocate,
            "ownerAccount",
            json!("12345678901a"),
            account,
        ),
        missing(Aws, Allocate, "ownerAccount", Some(Rule::Required)),
        // OUTSCALE documents no formats: only presence is checked.
        ok(
            Outscale,
            DeleteConnection,
            "connectionId",
            json!("anything"),
        ),
        missing(
            Outscale,
            DeleteConnection,
            "connectionId",
            Some(Rule::Required),
        ),
        ok(Outscale, Allocate, "ownerAccount", json!("any-owner")),
        missing(Outscale, Allocate, "ownerAccount", Some(Rule::Required)),
        missing(Outscale, Allocate, "connectionId", Some(Rule::Required)),
        missing(Outscale, CreateVif, "connectionId", Some(Rule::Required)),
        missing(
            Outscale,
            DeleteVirtualInterface,
            "virtualInterfaceId",
            Some(Rule::Required),
        ),
        missing(
            Outscale,
            Confirm,
            "virtualInterfaceId",
            Some(Rule::Required),
        ),
    ]);
}

#[test]
fn gateways() {
    let dxgw = "5f294f92-bafb-4011-916d-9b0b03adbe31";
    let both = Rule::OnlyOneOf {
        first: "virtualGatewayId",
        second: "directConnectGatewayId",
    };
    let dxgw_format = Rule::Format {
        expected: "a direct connect gateway id like 5f294f92-bafb-4011-916d-9b0bexample",
    };
    let p = "newPrivateVirtualInterface.virtualGatewayId";
    let p_dx = "newPrivateVirtualInterface.directConnectGatewayId";
    run(vec![
        missing(Aws, CreateVif, p, Some(Rule::Required)),
        missing(Outscale, CreateVif, p, None),
        bad(Aws, CreateVif, p_dx, json!(dxgw), both.clone()),
        bad(Aws, Confirm, "directConnectGatewayId", json!(dxgw), both),
        missing(Aws, Confirm, "virtualGatewayId", None),
        missing(Outscale, Confirm, "virtualGatewayId", Some(Rule::Required)),
        bad(
            Outscale,
            Confirm,
            "virtualGatewayId",
            json!(""),
            Rule::Required,
        ),
        bad(
            Outscale,
            Confirm,
            "directConnectGatewayId",
            json!(dxgw),
            IN_OUTSCALE,
        ),
    ]);
    for (value, expected) in [
        (dxgw, None),
        (
            "5F294F92-BAFB-4011-916D-9B0B03ADBE31",
            Some(dxgw_format.clone()),
        ),
        (
            "5f294f92-bafb-4011-916d-9b0b03adbe3",
            Some(dxgw_format.clone()),
        ),
        (
            "5f294f92bafb4011916d9b0b03adbe31",
            Some(dxgw_format.clone()),
        ),
    ] {
        let mut body = valid_body(Aws, CreateVif);
        set(&mut body, p, None);
        set(&mut body, p_dx, Some(json!(value)));
        let expected = match expected {
            None => Ok(()),
            Some(rule) => Err(vec![FieldError::new(p_dx, rule)]),
        };
        assert_eq!(validate(Aws, CreateVif, &body), expected, "{value}");
    }
}

#[test]
fn provider_only_fields() {
    run(vec![
        // OUTSCALE's dryRun, refused by AWS.
        bad(Aws, CreateConnection, "dryRun", json!(true), IN_AWS),
        bad(Aws, DeleteConnection, "dryRun", json!(false), IN_AWS),
        bad(Aws, DescribeConnections, "dryRun", json!(false), IN_AWS),
        bad(Aws, Allocate, "dryRun", json!(false), IN_AWS),
        bad(Aws, Confirm, "dryRun", json!(false), IN_AWS),
        bad(Aws, CreateVif, "dryRun", json!(false), IN_AWS),
        bad(Aws, DeleteVirtualInterface, "dryRun", json!(false), IN_AWS),
        bad(
            Aws,
            DescribeVirtualInterfaces,
            "dryRun",
            json!(false),
            IN_AWS,
        ),
        bad(Aws, DescribeLocations, "DryRun", json!(false), IN_AWS),
        bad(Aws, DescribeVirtualGateways, "DryRun", json!(true), IN_AWS),
        ok(Outscale, DescribeLocations, "DryRun", json!(true)),
        ok(Outscale, DescribeVirtualGateways, "DryRun", json!(true)),
        ok(Outscale, CreateConnection, "dryRun", json!(true)),
        // AWS's fields, refused by OUTSCALE.
        bad(Outscale, CreateConnection, "tags", tags(1), IN_OUTSCALE),
        bad(
            Outscale,
            CreateConnection,
            "lagId",
            json!("dxlag-ffrz71kw"),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            CreateConnection,
            "providerName",
            json!("x"),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            CreateConnection,
            "requestMACSec",
            json!(true),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            CreateConnection,
            "billingMode",
            json!("PayAsYouGo"),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            DescribeConnections,
            "maxResults",
            json!(10),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            DescribeConnections,
            "nextToken",
            json!("t"),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            DescribeVirtualInterfaces,
            "maxResults",
            json!(10),
            IN_OUTSCALE,
        ),
        bad(
            Outscale,
            DescribeVirtualInterfaces,
            "nextToken",
            json!("t"),
            IN_OUTSCALE,
        ),
        // AWS's own fields.
        ok(Aws, CreateConnection, "requestMACSec", json!(true)),
        ok(Aws, CreateConnection, "providerName", json!("Equinix")),
        ok(Aws, CreateConnection, "billingMode", json!("FlatRateTier5")),
        bad(
            Aws,
            CreateConnection,
            "billingMode",
            json!("Monthly"),
            Rule::OneOf {
                allowed: &[
                    "PayAsYouGo",
                    "FlatRateTier1",
                    "FlatRateTier2",
                    "FlatRateTier3",
                    "FlatRateTier4",
                    "FlatRateTier5",
                ],
            },
        ),
        ok(Aws, DescribeConnections, "maxResults", json!(1)),
        bad(
            Aws,
            DescribeConnections,
            "maxResults",
            json!(0),
            range(1, i64::from(i32::MAX), 0),
        ),
        ok(Aws, DescribeVirtualInterfaces, "maxResults", json!(100)),
        ok(Aws, DescribeVirtualInterfaces, "nextToken", json!("abc")),
    ]);
}

#[test]
fn every_invalid_field_is_reported_at_once() {
    let request =
        DxRequest::from_json(CreateVif, br#"{"newPrivateVirtualInterface": {}}"#).unwrap();
    let errors = request.validate(Aws).unwrap_err().into_errors();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "connectionId",
            "newPrivateVirtualInterface.virtualInterfaceName",
            "newPrivateVirtualInterface.vlan",
            "newPrivateVirtualInterface.asn",
            "newPrivateVirtualInterface.virtualGatewayId",
        ]
    );
    assert!(errors.iter().all(|e| e.rule == Rule::Required));

    let request = DxRequest::from_json(Allocate, b"").unwrap();
    let errors = request.validate(Outscale).unwrap_err().into_errors();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "connectionId",
            "ownerAccount",
            "newPrivateVirtualInterfaceAllocation"
        ]
    );

    let body = json!({
        "location": "", "bandwidth": "9Gbps", "connectionName": "x",
        "tags": [{"key": "a"}, {"key": "a"}], "dryRun": true
    });
    let request = DxRequest::from_json(CreateConnection, body.to_string().as_bytes()).unwrap();
    let errors = request.validate(Aws).unwrap_err().into_errors();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["location", "bandwidth", "tags[1].key", "dryRun"]);
}

#[test]
fn oci_is_not_a_direct_connect_provider() {
    let request = DxRequest::from_json(DescribeLocations, b"{}").unwrap();
    assert!(request.validate(Provider::Oci).is_err());
    assert_eq!(request.validate(Aws), Ok(()));
}

#[test]
fn messages_never_carry_the_auth_key() {
    let secret =
        "TopSecretBgpKey-do-not-leak-0123456789-0123456789-0123456789-0123456789-0123456789";
    let mut body = valid_body(Aws, CreateVif);
    set(
        &mut body,
        "newPrivateVirtualInterface.authKey",
        Some(json!(secret)),
    );
    let request = DxRequest::from_json(CreateVif, body.to_string().as_bytes()).unwrap();
    let errors = request.validate(Aws).unwrap_err();
    assert_eq!(errors.errors().len(), 1);
    assert!(!errors.summary().contains("TopSecret"));
    assert!(!format!("{errors:?}").contains("TopSecret"));
    assert!(
        !format!("{request:?}").contains("TopSecret"),
        "Debug must redact the authKey"
    );
    // Sent as is.
    let sent: Value = serde_json::from_slice(&request.to_json()).unwrap();
    assert_eq!(sent["newPrivateVirtualInterface"]["authKey"], json!(secret));
}
