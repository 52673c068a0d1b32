//! The sandbox as a fake upstream: state machines walked to their end,
//! every documented refusal, and signatures refused as the real services do.

mod sandbox_support;

use std::time::{Duration, SystemTime};

use cloudlink_sandbox::{Sandbox, Throttle, Timing};
use serde_json::{Value, json};
use tower::ServiceExt;

use sandbox_support::*;

/// One step lasts a minute and the tests move the clock by hand, so no state
/// changes behind a test's back.
const STEP: Duration = Duration::from_secs(60);

fn slow_cloud() -> Cloud {
    Cloud::new(Sandbox::new().with_timing(Timing { step: STEP }))
}

fn is_dx_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == 8
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

async fn create_connection(cloud: &Cloud, service: &str, location: &str) -> String {
    let r = cloud
        .dx(
            service,
            "CreateConnection",
            json!({"location": location, "bandwidth": "1Gbps", "connectionName": "lab"}),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    r.json["connectionId"]
        .as_str()
        .expect("connectionId")
        .to_owned()
}

async fn connection_state(cloud: &Cloud, service: &str, id: &str) -> String {
    let r = cloud
        .dx(service, "DescribeConnections", json!({"connectionId": id}))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    r.json["connections"][0]["connectionState"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn vif_state(cloud: &Cloud, service: &str, id: &str) -> String {
    let r = cloud
        .dx(
            service,
            "DescribeVirtualInterfaces",
            json!({"virtualInterfaceId": id}),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    r.json["virtualInterfaces"][0]["virtualInterfaceState"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn private_vif(vlan: i64) -> Value {
    json!({"virtualInterfaceName": "vif", "vlan": vlan, "asn": 65000, "virtualGatewayId": "vgw-0a1b2c3d"})
}

#[tokio::test]
async fn connection_goes_requested_pending_available_then_deleting_deleted() {
    for (service, location) in [("directconnect", "EqDC2"), ("directlink", "PAR1")] {
        let cloud = slow_cloud();
        let id = create_connection(&cloud, service, location).await;
        assert!(is_dx_id(&id, "dxcon-"), "{id}");
        assert_eq!(connection_state(&cloud, service, &id).await, "requested");
        cloud.sandbox.advance(STEP);
        assert_eq!(connection_state(&cloud, service, &id).await, "pending");
        cloud.sandbox.advance(STEP);
        assert_eq!(connection_state(&cloud, service, &id).await, "available");
        let r = cloud
            .dx(service, "DeleteConnection", json!({"connectionId": id}))
            .await;
        assert_eq!(
            (r.status, r.json["connectionState"].as_str()),
            (200, Some("deleting")),
            "{r:?}"
        );
        cloud.sandbox.advance(STEP);
        assert_eq!(connection_state(&cloud, service, &id).await, "deleted");
    }
}

#[tokio::test]
async fn fast_timing_settles_in_real_time() {
    let cloud = Cloud::new(Sandbox::new_fast());
    let id = create_connection(&cloud, "directconnect", "EqDC2").await;
    assert_eq!(
        connection_state(&cloud, "directconnect", &id).await,
        "requested"
    );
    tokio::time::sleep(Timing::FAST.step * 2 + Duration::from_millis(50)).await;
    assert_eq!(
        connection_state(&cloud, "directconnect", &id).await,
        "available"
    );
}

#[tokio::test]
async fn private_and_allocated_interfaces_walk_their_states() {
    let cloud = slow_cloud();
    let conn = create_connection(&cloud, "directconnect", "EqDC2").await;

    let r = cloud
        .dx(
            "directconnect",
            "CreatePrivateVirtualInterface",
            json!({"connectionId": conn, "newPrivateVirtualInterface": private_vif(101)}),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let own = r.json["virtualInterfaceId"].as_str().unwrap().to_owned();
    assert!(is_dx_id(&own, "dxvif-"), "{own}");
    assert_eq!(r.json["virtualInterfaceState"], "pending");
    assert_eq!(r.json["virtualGatewayId"], "vgw-0a1b2c3d");

    let r = cloud
        .dx(
            "directconnect",
            "AllocatePrivateVirtualInterface",
            json!({"connectionId": conn, "ownerAccount": "444455556666",
                   "newPrivateVirtualInterfaceAllocation": {"virtualInterfaceName": "shared", "vlan": 102, "asn": 65001}}),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let shared = r.json["virtualInterfaceId"].as_str().unwrap().to_owned();
    assert_eq!(r.json["ownerAccount"], "444455556666");
    assert_eq!(r.json["virtualInterfaceState"], "confirming");

    cloud.sandbox.advance(STEP * 5);
    assert_eq!(vif_state(&cloud, "directconnect", &own).await, "available");
    assert_eq!(
        vif_state(&cloud, "directconnect", &shared).await,
        "confirming",
        "waits for the other account"
    );

    let r = cloud
        .dx(
            "directconnect",
            "ConfirmPrivateVirtualInterface",
            json!({"virtualInterfaceId": shared, "virtualGatewayId": "vgw-5e6f7a8b"}),
        )
        .await;
    assert_eq!(
        (r.status, r.json["virtualInterfaceState"].as_str()),
        (200, Some("pending")),
        "{r:?}"
    );
    cloud.sandbox.advance(STEP);
    assert_eq!(
        vif_state(&cloud, "directconnect", &shared).await,
        "available"
    );

    for vif in [&own, &shared] {
        let r = cloud
            .dx(
                "directconnect",
                "DeleteVirtualInterface",
                json!({"virtualInterfaceId": vif}),
            )
            .await;
        assert_eq!(
            (r.status, r.json["virtualInterfaceState"].as_str()),
            (200, Some("deleting")),
            "{r:?}"
        );
    }
    // Still deleting: the connection keeps its interfaces.
    let r = cloud
        .dx(
            "directconnect",
            "DeleteConnection",
            json!({"connectionId": conn}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "DirectConnectClientException".to_owned()),
        "{r:?}"
    );
    cloud.sandbox.advance(STEP);
    assert_eq!(vif_state(&cloud, "directconnect", &own).await, "deleted");
    let r = cloud
        .dx(
            "directconnect",
            "DeleteConnection",
            json!({"connectionId": conn}),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
}

#[tokio::test]
async fn direct_connect_refusals_are_client_exceptions() {
    let cloud = slow_cloud();
    let conn = create_connection(&cloud, "directconnect", "EqDC2").await;
    let create = |vlan: i64, vgw: &str| {
        let mut vif = private_vif(vlan);
        vif["virtualGatewayId"] = json!(vgw);
        json!({"connectionId": conn, "newPrivateVirtualInterface": vif})
    };
    assert_eq!(
        cloud
            .dx(
                "directconnect",
                "CreatePrivateVirtualInterface",
                create(200, "vgw-0a1b2c3d")
            )
            .await
            .status,
        200
    );
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "DescribeConnections",
            json!({"connectionId": "dxcon-zzzzzzzz"}),
            "dxcon-zzzzzzzz",
        ),
        (
            "DeleteConnection",
            json!({"connectionId": "dxcon-zzzzzzzz"}),
            "not found",
        ),
        (
            "DeleteConnection",
            json!({"connectionId": conn}),
            "virtual interfaces",
        ),
        (
            "CreatePrivateVirtualInterface",
            create(200, "vgw-0a1b2c3d"),
            "VLAN 200",
        ),
        (
            "CreatePrivateVirtualInterface",
            create(201, "vgw-99999999"),
            "vgw-99999999",
        ),
        (
            "DeleteVirtualInterface",
            json!({"virtualInterfaceId": "dxvif-zzzzzzzz"}),
            "dxvif-zzzzzzzz",
        ),
        (
            "ConfirmPrivateVirtualInterface",
            json!({"virtualInterfaceId": "dxvif-zzzzzzzz", "virtualGatewayId": "vgw-0a1b2c3d"}),
            "not found",
        ),
        (
            "CreateConnection",
            json!({"location": "Nowhere1", "bandwidth": "1Gbps", "connectionName": "x"}),
            "Nowhere1",
        ),
    ];
    for (operation, body, needle) in cases {
        let r = cloud.dx("directconnect", operation, body).await;
        assert_eq!(r.status, 400, "{operation}: {r:?}");
        assert_eq!(r.code(), "DirectConnectClientException", "{operation}");
        assert_eq!(
            r.json["__type"], "DirectConnectClientException",
            "{operation}"
        );
        assert!(
            r.message().contains(needle),
            "{operation}: {:?} lacks {needle:?}",
            r.message()
        );
        assert!(
            r.header("x-amzn-requestid")
                .is_some_and(|id| id.len() == 36),
            "{operation}"
        );
    }
    // Confirming an interface that is not waiting for confirmation.
    let own = cloud
        .dx(
            "directconnect",
            "DescribeVirtualInterfaces",
            json!({"connectionId": conn}),
        )
        .await;
    let own = own.json["virtualInterfaces"][0]["virtualInterfaceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = cloud
        .dx(
            "directconnect",
            "ConfirmPrivateVirtualInterface",
            json!({"virtualInterfaceId": own, "virtualGatewayId": "vgw-0a1b2c3d"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "DirectConnectClientException".to_owned()),
        "{r:?}"
    );
}

#[tokio::test]
async fn seeded_locations_and_gateways_are_described() {
    let cloud = slow_cloud();
    let r = cloud
        .dx("directconnect", "DescribeLocations", json!({}))
        .await;
    let codes: Vec<&str> = r.json["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["locationCode"].as_str())
        .collect();
    assert!(codes.contains(&"EqDC2"), "{codes:?}");
    let r = cloud.dx("directlink", "DescribeLocations", json!({})).await;
    let codes: Vec<&str> = r.json["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["locationCode"].as_str())
        .collect();
    assert_eq!(codes, ["PAR1", "PAR4"]);
    let r = cloud
        .dx("directconnect", "DescribeVirtualGateways", json!({}))
        .await;
    assert_eq!(
        r.json["virtualGateways"][0]["virtualGatewayId"],
        "vgw-0a1b2c3d"
    );
    assert_eq!(
        r.json["virtualGateways"][0]["virtualGatewayState"],
        "available"
    );
    // What `/api/sandbox` answers, read back as JSON with the contract's names.
    let seeds = serde_json::to_value(cloud.sandbox.seeds()).unwrap();
    assert_eq!(
        seeds["directconnect"]["virtualGatewayIds"][0],
        "vgw-0a1b2c3d"
    );
    assert_eq!(
        seeds["outposts"]["assetIds"].as_array().map(Vec::len),
        Some(3)
    );
    assert!(seeds["oci-core"]["compartmentId"].is_string(), "{seeds}");
}

#[tokio::test]
async fn outscale_answers_keep_nulls_and_request_ids_and_dry_runs_change_nothing() {
    let cloud = slow_cloud();
    let r = cloud
        .dx("directlink", "CreateConnection", json!({"location": "PAR1", "bandwidth": "1Gbps", "connectionName": "dry", "dryRun": true}))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        r.json
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["requestId".to_owned()])
    );
    let r = cloud
        .dx("directlink", "DescribeConnections", json!({}))
        .await;
    assert_eq!(
        r.json["connections"],
        json!([]),
        "a dry run creates nothing"
    );

    let id = create_connection(&cloud, "directlink", "PAR1").await;
    let r = cloud
        .dx(
            "directlink",
            "DescribeConnections",
            json!({"connectionId": id}),
        )
        .await;
    let c = &r.json["connections"][0];
    for field in ["awsDevice", "lagId", "loaIssueTime", "partnerName", "vlan"] {
        assert!(
            c.get(field).is_some_and(Value::is_null),
            "{field} should be null: {c}"
        );
    }
    assert_eq!(r.json["requestId"].as_str(), r.header("x-amzn-requestid"));
    // AWS answers carry real values there instead.
    let aws = create_connection(&cloud, "directconnect", "EqDC2").await;
    let r = cloud
        .dx(
            "directconnect",
            "DescribeConnections",
            json!({"connectionId": aws}),
        )
        .await;
    assert!(r.json["connections"][0]["awsDevice"].is_string());
    assert!(r.json.get("requestId").is_none());
}

#[tokio::test]
async fn regions_and_services_are_separate() {
    let cloud = slow_cloud();
    let id = create_connection(&cloud, "directconnect", "EqDC2").await;
    let r = cloud
        .dx("directlink", "DescribeConnections", json!({}))
        .await;
    assert_eq!(r.json["connections"], json!([]));
    let call = SigV4Call::new(aws_creds(&cloud.store), "directconnect", "eu-west-1");
    let r = send(
        &cloud.router,
        call.dx(
            "directconnect",
            "DescribeConnections",
            &json!({"connectionId": id}),
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "DirectConnectClientException".to_owned()),
        "{r:?}"
    );
}

#[tokio::test]
async fn outposts_start_then_get_connection() {
    let cloud = slow_cloud();
    let key = "kN3bJ8v6mS0Yx2Q4wE7rT9uI1oP5aS3dF6gH8jK0lZ0=";
    let r = cloud
        .outposts("POST", "/connections", Some(json!({"AssetId": "JQPR4ZK8T2", "ClientPublicKey": key, "NetworkInterfaceDeviceIndex": 0})))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let id = r.json["ConnectionId"].as_str().unwrap().to_owned();
    assert!(
        r.json["UnderlayIpAddress"]
            .as_str()
            .is_some_and(|ip| ip.parse::<std::net::Ipv4Addr>().is_ok()),
        "{r:?}"
    );
    assert!(cloudlink_core::outposts::connection_id(&id).is_ok(), "{id}");

    let r = cloud
        .outposts("GET", &format!("/connections/{id}"), None)
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json["ConnectionId"], id.as_str());
    let details = &r.json["ConnectionDetails"];
    assert_eq!(details["ClientPublicKey"], key);
    assert!(
        details["ServerPublicKey"]
            .as_str()
            .is_some_and(|k| cloudlink_core::outposts::wireguard_key(k).is_ok())
    );
    assert!(
        details["ServerEndpoint"]
            .as_str()
            .is_some_and(|e| e.ends_with(":51820"))
    );

    let r = cloud
        .outposts("GET", "/connections/doesNotExist", None)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (404, "NotFoundException".to_owned()),
        "{r:?}"
    );
    assert!(r.json["message"].is_string());
    let r = cloud
        .outposts("POST", "/connections", Some(json!({"AssetId": "UNKNOWN1", "ClientPublicKey": key, "NetworkInterfaceDeviceIndex": 1})))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (404, "NotFoundException".to_owned()),
        "{r:?}"
    );
}

const COLLECTION: &str = "/20160918/instanceConsoleConnections";
const INSTANCE: &str = "ocid1.instance.oc1.iad.anuwcljtsandboxweb01";
const COMPARTMENT: &str = "ocid1.compartment.oc1..aaaaaaaasandboxcompartment4cloudlinkdemo";

#[tokio::test]
async fn oci_console_connection_lifecycle_and_refusals() {
    let cloud = slow_cloud();
    let body = json!({"instanceId": INSTANCE, "publicKey": SSH_KEY});
    let r = cloud
        .oci(
            "POST",
            COLLECTION,
            &[("opc-retry-token", "token-1")],
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let id = r.json["id"].as_str().unwrap().to_owned();
    assert!(
        id.starts_with("ocid1.instanceconsoleconnection.oc1.iad."),
        "{id}"
    );
    assert_eq!(r.json["lifecycleState"], "CREATING");
    assert_eq!(r.json["compartmentId"], COMPARTMENT);
    assert!(
        r.json["connectionString"]
            .as_str()
            .is_some_and(|s| s.contains(&id) && s.contains(INSTANCE))
    );
    assert!(r.header("opc-request-id").is_some() && r.header("etag").is_some());

    // The same retry token answers the same connection; a new one hits the limit.
    let again = cloud
        .oci(
            "POST",
            COLLECTION,
            &[("opc-retry-token", "token-1")],
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (again.status, again.json["id"].as_str()),
        (200, Some(id.as_str()))
    );
    let r = cloud
        .oci(
            "POST",
            COLLECTION,
            &[("opc-retry-token", "token-2")],
            Some(body.clone()),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "Conflict".to_owned()), "{r:?}");

    cloud.sandbox.advance(STEP);
    let item = format!("{COLLECTION}/{id}");
    let r = cloud.oci("GET", &item, &[], None).await;
    assert_eq!(r.json["lifecycleState"], "ACTIVE");
    let etag = r.header("etag").unwrap().to_owned();

    let list = cloud
        .oci(
            "GET",
            &format!("{COLLECTION}?compartmentId={COMPARTMENT}"),
            &[],
            None,
        )
        .await;
    assert_eq!(list.status, 200, "{list:?}");
    assert_eq!(list.json.as_array().map(Vec::len), Some(1));

    let r = cloud
        .oci("DELETE", &item, &[("if-match", "stale-etag")], None)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (412, "NoEtagMatch".to_owned()),
        "{r:?}"
    );
    let r = cloud
        .oci("DELETE", &item, &[("if-match", &etag)], None)
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    assert!(r.header("opc-request-id").is_some());
    assert_eq!(
        cloud.oci("GET", &item, &[], None).await.json["lifecycleState"],
        "DELETING"
    );
    cloud.sandbox.advance(STEP);
    assert_eq!(
        cloud.oci("GET", &item, &[], None).await.json["lifecycleState"],
        "DELETED"
    );

    // The instance is free again.
    let r = cloud
        .oci(
            "POST",
            COLLECTION,
            &[("opc-retry-token", "token-3")],
            Some(body),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");

    let missing = format!("{COLLECTION}/ocid1.instanceconsoleconnection.oc1.iad.doesnotexist");
    for (method, path, body) in [
        ("GET", missing.clone(), None),
        ("DELETE", missing, None),
        (
            "POST",
            COLLECTION.to_owned(),
            Some(json!({"instanceId": "ocid1.instance.oc1.iad.unknown", "publicKey": SSH_KEY})),
        ),
        (
            "GET",
            format!("{COLLECTION}?compartmentId=ocid1.compartment.oc1..other"),
            None,
        ),
    ] {
        let r = cloud.oci(method, &path, &[], body).await;
        assert_eq!(
            (r.status, r.code()),
            (404, "NotAuthorizedOrNotFound".to_owned()),
            "{method} {path}: {r:?}"
        );
    }
}

#[tokio::test]
async fn oci_list_pages_with_opc_next_page() {
    let cloud = slow_cloud();
    for (instance, _) in [
        ("ocid1.instance.oc1.iad.anuwcljtsandboxweb01", 0),
        ("ocid1.instance.oc1.iad.anuwcljtsandboxdb01", 1),
    ] {
        let r = cloud
            .oci(
                "POST",
                COLLECTION,
                &[],
                Some(json!({"instanceId": instance, "publicKey": SSH_KEY})),
            )
            .await;
        assert_eq!(r.status, 200, "{r:?}");
    }
    let r = cloud
        .oci(
            "GET",
            &format!("{COLLECTION}?compartmentId={COMPARTMENT}&limit=1"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.json.as_array().map(Vec::len), Some(1));
    let next = r.header("opc-next-page").expect("a next page").to_owned();
    let r = cloud
        .oci(
            "GET",
            &format!("{COLLECTION}?compartmentId={COMPARTMENT}&limit=1&page={next}"),
            &[],
            None,
        )
        .await;
    assert_eq!(r.json.as_array().map(Vec::len), Some(1));
    assert!(r.header("opc-next-page").is_none());
}

#[tokio::test]
async fn sigv4_refusals_match_aws() {
    let cloud = slow_cloud();
    let good = SigV4Call::new(aws_creds(&cloud.store), "directconnect", "us-east-1");
    let describe = json!({});
    let tampered = SigV4Call {
        sent_body: Some(br#"{"connectionId":"dxcon-aaaaaaaa"}"#.to_vec()),
        ..good.clone()
    };
    let wrong_region = SigV4Call {
        region: "mars-north-1".to_owned(),
        ..good.clone()
    };
    let stale = SigV4Call {
        time: SystemTime::now() - Duration::from_secs(600),
        ..good.clone()
    };
    let future = SigV4Call {
        time: SystemTime::now() + Duration::from_secs(600),
        ..good.clone()
    };
    let mut unknown_key = good.clone();
    unknown_key.creds.access_key_id = "AKIAUNKNOWNKEY000000".to_owned();
    let mut wrong_secret = good.clone();
    wrong_secret.creds.secret_access_key.push('x');
    let outscale_key = SigV4Call {
        creds: outscale_creds(&cloud.store),
        ..good.clone()
    };
    let wrong_service = SigV4Call {
        signing_name: "outposts",
        ..good.clone()
    };
    let real_host = SigV4Call {
        host: "directconnect.us-east-1.amazonaws.com".to_owned(),
        region: "eu-west-1".to_owned(),
        ..good.clone()
    };
    let unsigned = SigV4Call {
        unsigned: true,
        ..good.clone()
    };
    let cases: Vec<(&str, SigV4Call, &str, &str)> = vec![
        (
            "tampered body",
            tampered,
            "InvalidSignatureException",
            "does not match",
        ),
        (
            "wrong region",
            wrong_region,
            "InvalidSignatureException",
            "region",
        ),
        (
            "stale date",
            stale,
            "InvalidSignatureException",
            "Signature expired",
        ),
        (
            "future date",
            future,
            "InvalidSignatureException",
            "not yet current",
        ),
        (
            "unknown key",
            unknown_key,
            "UnrecognizedClientException",
            "security token",
        ),
        (
            "wrong secret",
            wrong_secret,
            "InvalidSignatureException",
            "does not match",
        ),
        (
            "outscale key on aws",
            outscale_key,
            "UnrecognizedClientException",
            "security token",
        ),
        (
            "other service's scope",
            wrong_service,
            "InvalidSignatureException",
            "service",
        ),
        (
            "endpoint of another region",
            real_host,
            "InvalidSignatureException",
            "region",
        ),
        (
            "no signature",
            unsigned,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ),
    ];
    for (name, call, code, needle) in cases {
        let r = send(
            &cloud.router,
            call.dx("directconnect", "DescribeConnections", &describe),
        )
        .await;
        assert_eq!(r.status, 403, "{name}: {r:?}");
        assert_eq!(r.code(), code, "{name}");
        assert_eq!(r.json["__type"], code, "{name}");
        assert!(
            r.message().contains(needle),
            "{name}: {:?} lacks {needle:?}",
            r.message()
        );
        assert!(r.header("x-amzn-requestid").is_some(), "{name}");
    }
    let r = send(
        &cloud.router,
        good.dx("directconnect", "DescribeConnections", &describe),
    )
    .await;
    assert_eq!(r.status, 200, "the unspoiled call passes: {r:?}");
    // restJson1: the code travels in the header only.
    let bad = SigV4Call {
        signing_name: "outposts",
        region: "mars-north-1".to_owned(),
        ..good.clone()
    };
    let r = send(
        &cloud.router,
        bad.request("GET", "/outposts/connections/abc", &[], b""),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (403, "InvalidSignatureException".to_owned()),
        "{r:?}"
    );
    assert!(r.json.get("__type").is_none());
}

#[tokio::test]
async fn oci_signature_refusals_are_not_authenticated() {
    let cloud = slow_cloud();
    let other = Sandbox::new().credentials();
    let signer = oci_signer(&cloud.store);
    let body = json!({"instanceId": INSTANCE, "publicKey": SSH_KEY});
    let list = format!("{COLLECTION}?compartmentId={COMPARTMENT}");

    let mut tampered = oci_request(
        &signer,
        SystemTime::now(),
        "POST",
        COLLECTION,
        &[],
        Some(&body),
    );
    *tampered.body_mut() = axum::body::Body::from(
        r#"{"instanceId":"ocid1.instance.oc1.iad.anuwcljtsandboxdb01","publicKey":"x"}"#,
    );
    let stale = oci_request(
        &signer,
        SystemTime::now() - Duration::from_secs(600),
        "GET",
        &list,
        &[],
        None,
    );
    let wrong_key = oci_request(
        &oci_signer(&other),
        SystemTime::now(),
        "GET",
        &list,
        &[],
        None,
    );
    let mut unsigned = oci_request(&signer, SystemTime::now(), "GET", &list, &[], None);
    unsigned.headers_mut().remove("authorization");
    let mut other_path = oci_request(&signer, SystemTime::now(), "GET", &list, &[], None);
    *other_path.uri_mut() =
        format!("/oci-core{COLLECTION}?compartmentId=ocid1.compartment.oc1..other")
            .parse()
            .unwrap();

    for (name, request) in [
        ("tampered body", tampered),
        ("stale date", stale),
        ("unknown key", wrong_key),
        ("no signature", unsigned),
        ("other query", other_path),
    ] {
        let r = send(&cloud.router, request).await;
        assert_eq!(
            (r.status, r.code()),
            (401, "NotAuthenticated".to_owned()),
            "{name}: {r:?}"
        );
        assert!(r.header("opc-request-id").is_some(), "{name}");
    }
}

#[tokio::test]
async fn fast_callers_are_throttled_per_key_and_region() {
    let cloud = Cloud::new(Sandbox::new_fast().with_throttle(Throttle {
        burst: 2,
        per_second: 0.01,
    }));
    for _ in 0..2 {
        assert_eq!(
            cloud
                .dx("directconnect", "DescribeLocations", json!({}))
                .await
                .status,
            200
        );
    }
    let r = cloud
        .dx("directconnect", "DescribeLocations", json!({}))
        .await;
    assert_eq!(
        (r.status, r.code(), r.message()),
        (
            400,
            "ThrottlingException".to_owned(),
            "Rate exceeded".to_owned()
        )
    );
    // The same AWS key is throttled on Outposts too (restJson1: 429).
    let r = cloud.outposts("GET", "/connections/abc", None).await;
    assert_eq!(
        (r.status, r.code()),
        (429, "ThrottlingException".to_owned()),
        "{r:?}"
    );
    // Another region has its own bucket: AWS's rate limits are per account and region.
    assert_eq!(
        dx_in(&cloud, "eu-west-1", "DescribeLocations", json!({}))
            .await
            .status,
        200
    );
    // Another key has its own bucket.
    assert_eq!(
        cloud
            .dx("directlink", "DescribeLocations", json!({}))
            .await
            .status,
        200
    );
    for _ in 0..2 {
        cloud
            .oci(
                "GET",
                &format!("{COLLECTION}?compartmentId={COMPARTMENT}"),
                &[],
                None,
            )
            .await;
    }
    let r = cloud
        .oci(
            "GET",
            &format!("{COLLECTION}?compartmentId={COMPARTMENT}"),
            &[],
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (429, "TooManyRequests".to_owned()),
        "{r:?}"
    );
}

#[tokio::test]
async fn concurrent_creates_all_land() {
    let cloud = Cloud::new(Sandbox::new_fast().with_throttle(Throttle {
        burst: 1000,
        per_second: 1000.0,
    }));
    let creds = aws_creds(&cloud.store);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let router = cloud.router.clone();
        let call = SigV4Call::new(creds.clone(), "directconnect", "us-east-1");
        tasks.push(tokio::spawn(async move {
            let body = json!({"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": format!("c{i}")});
            send(&router, call.dx("directconnect", "CreateConnection", &body)).await
        }));
    }
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 200, "{r:?}");
        ids.insert(r.json["connectionId"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 24);
    let r = cloud
        .dx("directconnect", "DescribeConnections", json!({}))
        .await;
    assert_eq!(r.json["connections"].as_array().map(Vec::len), Some(24));
}

#[tokio::test]
async fn unknown_paths_and_operations_are_refused() {
    let cloud = slow_cloud();
    let r = cloud.dx("directconnect", "DescribeLags", json!({})).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "UnknownOperationException".to_owned()),
        "{r:?}"
    );
    let r = send(
        &cloud.router,
        axum::http::Request::get("/nowhere/")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 404);
    let router = cloud.sandbox.router();
    let response = router
        .oneshot(
            axum::http::Request::get("/oci-core/20160918/instanceConsoleConnections")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "unsigned before anything else");
}

#[test]
fn describe_prints_the_fake_keys_and_seeds() {
    let sandbox = Sandbox::new();
    let d = sandbox.describe();
    let store = sandbox.credentials();
    assert_eq!(
        d["credentials"]["aws"]["accessKeyId"],
        aws_creds(&store).access_key_id.as_str()
    );
    let pem = d["credentials"]["oci"]["privateKeyPem"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let key_id = d["credentials"]["oci"]["keyId"].as_str().unwrap();
    assert_eq!(oci_signer(&store).key_id(), key_id);
    // Other tools can sign with what describe prints.
    let parts: Vec<&str> = key_id.split('/').collect();
    assert!(
        cloudlink_signing::OciSigner::from_pem(parts[0], parts[1], parts[2], pem.as_bytes())
            .is_ok()
    );
    assert_eq!(d["seeds"], serde_json::to_value(sandbox.seeds()).unwrap());
    // Each start makes new keys.
    assert_ne!(
        aws_creds(&Sandbox::new().credentials()).access_key_id,
        aws_creds(&store).access_key_id
    );
    assert!(
        !format!("{sandbox:?}").contains(&aws_creds(&store).secret_access_key),
        "Debug hides secrets"
    );
}

#[tokio::test]
async fn tags_are_added_replaced_removed_and_refused_as_aws_does() {
    let cloud = slow_cloud();
    let id = create_connection(&cloud, "directconnect", "EqDC2").await;
    let arn = format!("arn:aws:directconnect:us-east-1:111122223333:dxcon/{id}");
    let tags_of = |arn: String| {
        let cloud = &cloud;
        async move {
            let r = cloud
                .dx(
                    "directconnect",
                    "DescribeTags",
                    json!({"resourceArns": [arn]}),
                )
                .await;
            assert_eq!(r.status, 200, "{r:?}");
            r.json["resourceTags"][0]["tags"].clone()
        }
    };
    assert_eq!(tags_of(arn.clone()).await, json!([]));
    let tag = |tags: Value| json!({"resourceArn": arn, "tags": tags});
    let r = cloud
        .dx(
            "directconnect",
            "TagResource",
            tag(json!([{"key": "team", "value": "net"}, {"key": "env", "value": "dev"}])),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = cloud
        .dx(
            "directconnect",
            "TagResource",
            tag(json!([{"key": "env", "value": "prod"}])),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        tags_of(arn.clone()).await,
        json!([{"key": "team", "value": "net"}, {"key": "env", "value": "prod"}]),
        "a tag key already there has its value replaced"
    );
    // The tags show in DescribeConnections too, where the console reads them.
    let r = cloud
        .dx(
            "directconnect",
            "DescribeConnections",
            json!({"connectionId": id}),
        )
        .await;
    assert_eq!(r.json["connections"][0]["tags"][1]["value"], "prod");
    let r = cloud
        .dx(
            "directconnect",
            "UntagResource",
            json!({"resourceArn": arn, "tagKeys": ["team"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        tags_of(arn.clone()).await,
        json!([{"key": "env", "value": "prod"}])
    );

    // 1 tag there + 50 new ones: AWS's own exception, and nothing changes.
    let fifty: Vec<Value> = (0..50).map(|i| json!({"key": format!("k{i}")})).collect();
    let r = cloud
        .dx("directconnect", "TagResource", tag(Value::Array(fifty)))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "TooManyTagsException".to_owned())
    );
    assert_eq!(
        tags_of(arn.clone()).await,
        json!([{"key": "env", "value": "prod"}])
    );
    let r = cloud
        .dx(
            "directconnect",
            "TagResource",
            tag(json!([{"key": "a"}, {"key": "a"}])),
        )
        .await;
    // Refused by core's validation, which the sandbox applies like the proxy.
    assert_eq!(
        (r.status, r.code()),
        (400, "DirectConnectClientException".to_owned())
    );
    assert!(
        r.json["message"]
            .as_str()
            .unwrap_or_default()
            .contains("tags[1].key"),
        "{r:?}"
    );

    // Unknown resource, another account, another region: not found.
    for other in [
        "arn:aws:directconnect:us-east-1:111122223333:dxcon/dxcon-zzzzzzzz".to_owned(),
        arn.replace("111122223333", "999988887777"),
        arn.replace("us-east-1", "eu-west-1"),
        format!("arn:aws:directconnect:us-east-1:111122223333:dxvif/{id}"),
    ] {
        let r = cloud
            .dx(
                "directconnect",
                "DescribeTags",
                json!({"resourceArns": [other]}),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (400, "DirectConnectClientException".to_owned()),
            "{other}: {r:?}"
        );
    }
    // OUTSCALE's DirectLink has no tagging call.
    let r = cloud
        .dx("directlink", "DescribeTags", json!({"resourceArns": [arn]}))
        .await;
    assert_eq!(r.status, 400, "{r:?}");
}

/// Every connection of the region, `maxResults` at a time, following `nextToken`.
async fn connection_pages(cloud: &Cloud, max: i64) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"maxResults": max});
        if let Some(t) = &token {
            body["nextToken"] = json!(t);
        }
        let r = cloud.dx("directconnect", "DescribeConnections", body).await;
        assert_eq!(r.status, 200, "{r:?}");
        let ids = r.json["connections"]
            .as_array()
            .expect("connections")
            .iter()
            .map(|c| c["connectionId"].as_str().unwrap_or_default().to_owned())
            .collect();
        pages.push(ids);
        match r.json["nextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return pages,
        }
    }
}

#[tokio::test]
async fn describe_connections_pages_with_max_results_and_next_token() {
    let cloud = slow_cloud();
    for _ in 0..3 {
        create_connection(&cloud, "directconnect", "EqDC2").await;
    }
    let all = cloud
        .dx("directconnect", "DescribeConnections", json!({}))
        .await;
    assert!(all.json.get("nextToken").is_none(), "{all:?}");
    let all: Vec<String> = all.json["connections"]
        .as_array()
        .expect("connections")
        .iter()
        .map(|c| c["connectionId"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(all.len() >= 3, "{all:?}");

    let pages = connection_pages(&cloud, 2).await;
    assert_eq!(pages.len(), all.len().div_ceil(2), "{pages:?}");
    assert!(pages.iter().all(|p| !p.is_empty() && p.len() <= 2));
    assert_eq!(
        pages.concat(),
        all,
        "the pages, in order, are the whole list"
    );

    let bad = cloud
        .dx(
            "directconnect",
            "DescribeConnections",
            json!({"maxResults": 2, "nextToken": "not-an-offset"}),
        )
        .await;
    assert_eq!(bad.status, 400, "{bad:?}");
    assert_eq!(
        bad.json["message"], "The nextToken is not valid.",
        "{bad:?}"
    );
}

/// A Direct Connect call in `region` (the helpers above sign for us-east-1).
async fn dx_in(cloud: &Cloud, region: &str, operation: &str, body: Value) -> Reply {
    let call = SigV4Call::new(aws_creds(&cloud.store), "directconnect", region);
    send(&cloud.router, call.dx("directconnect", operation, &body)).await
}

#[tokio::test]
async fn the_seeded_estate_shows_shared_devices_one_location_and_bgp_going_down() {
    use cloudlink_core::directconnect::{
        BgpMismatch, Connections, RedundancyHint, VirtualInterfaces, bgp_mismatch, redundancy_hints,
    };
    let cloud = slow_cloud();
    let empty = cloud
        .dx("directconnect", "DescribeConnections", json!({}))
        .await;
    assert_eq!(
        empty.json["connections"],
        json!([]),
        "us-east-1 starts empty"
    );

    let connections: Connections = serde_json::from_value(
        dx_in(&cloud, "eu-west-1", "DescribeConnections", json!({}))
            .await
            .json,
    )
    .unwrap();
    assert_eq!(connections.connections.len(), 2);
    let vifs = |r: Reply| -> VirtualInterfaces { serde_json::from_value(r.json).unwrap() };
    let interfaces = vifs(dx_in(&cloud, "eu-west-1", "DescribeVirtualInterfaces", json!({})).await);
    assert_eq!(interfaces.virtual_interfaces.len(), 3);
    assert!(
        interfaces
            .virtual_interfaces
            .iter()
            .all(|v| bgp_mismatch(v).is_none()),
        "every seeded session is up at first"
    );
    let hints = redundancy_hints(&connections.connections, &interfaces.virtual_interfaces);
    let kinds: Vec<&str> = hints
        .iter()
        .map(|h| match h {
            RedundancyHint::SharedDevice { .. } => "device",
            RedundancyHint::SharedLocation { .. } => "location",
            RedundancyHint::SingleConnection { .. } => "single",
            RedundancyHint::NoLogicalRedundancy { .. } => "logical",
        })
        .collect();
    assert!(kinds.contains(&"device"), "{hints:?}");
    assert!(kinds.contains(&"location"), "{hints:?}");
    assert!(kinds.contains(&"single"), "{hints:?}");

    cloud
        .sandbox
        .advance(cloudlink_sandbox::seed::BGP_DOWN_AFTER);
    let later = vifs(dx_in(&cloud, "eu-west-1", "DescribeVirtualInterfaces", json!({})).await);
    let down: Vec<&str> = later
        .virtual_interfaces
        .iter()
        .filter(|v| bgp_mismatch(v) == Some(BgpMismatch::LinkUpBgpDown))
        .filter_map(|v| v.virtual_interface_id.as_deref())
        .collect();
    assert_eq!(down, ["dxvif-dub0003c"], "link up, BGP down");
}

#[tokio::test]
async fn seattle_has_more_interfaces_than_a_page_and_sydney_is_denied() {
    let cloud = slow_cloud();
    let first = dx_in(
        &cloud,
        "us-west-2",
        "DescribeVirtualInterfaces",
        json!({"maxResults": 100}),
    )
    .await;
    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(
        first.json["virtualInterfaces"].as_array().unwrap().len(),
        100
    );
    let token = first.json["nextToken"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let second = dx_in(
        &cloud,
        "us-west-2",
        "DescribeVirtualInterfaces",
        json!({"maxResults": 100, "nextToken": token}),
    )
    .await;
    let rest = second.json["virtualInterfaces"].as_array().unwrap();
    assert_eq!(rest.len(), 20);
    assert!(second.json.get("nextToken").is_none());
    assert_eq!(rest[19]["virtualInterfaceId"], "dxvif-sea00119");

    let denied = dx_in(&cloud, "ap-southeast-2", "DescribeConnections", json!({})).await;
    assert_eq!(
        (denied.status, denied.code()),
        (400, "AccessDeniedException".to_owned()),
        "{denied:?}"
    );
    assert!(
        denied.json["message"]
            .as_str()
            .unwrap_or_default()
            .contains("directconnect:DescribeConnections"),
        "{denied:?}"
    );
}

#[tokio::test]
async fn the_lab_profile_is_another_account_with_its_own_estate() {
    let cloud = slow_cloud();
    let lab = |region: &str, operation: &'static str, body: Value| {
        let call = SigV4Call::new(cloud.store.aws_lab.clone(), "directconnect", region);
        send(&cloud.router, call.dx("directconnect", operation, &body))
    };
    let ids = |r: &Reply, list: &str, id: &str| -> Vec<String> {
        r.json[list]
            .as_array()
            .unwrap_or_else(|| panic!("{r:?}"))
            .iter()
            .map(|c| c[id].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let dublin = lab("eu-west-1", "DescribeConnections", json!({})).await;
    assert_eq!(dublin.status, 200, "{dublin:?}");
    assert_eq!(
        ids(&dublin, "connections", "connectionId"),
        ["dxcon-dub0009l"],
        "the lab account sees its own Dublin connection, not the default's"
    );
    assert_eq!(
        dublin.json["connections"][0]["ownerAccount"],
        cloudlink_sandbox::seed::LAB_ACCOUNT
    );
    let own = dx_in(&cloud, "eu-west-1", "DescribeConnections", json!({})).await;
    assert!(!ids(&own, "connections", "connectionId").contains(&"dxcon-dub0009l".to_owned()));

    let frankfurt = lab("eu-central-1", "DescribeVirtualInterfaces", json!({})).await;
    assert_eq!(
        ids(&frankfurt, "virtualInterfaces", "virtualInterfaceId"),
        ["dxvif-fra0001l"]
    );
    let created = lab(
        "eu-central-1",
        "CreateConnection",
        json!({"location": "EqFA5", "bandwidth": "1Gbps", "connectionName": "lab-new"}),
    )
    .await;
    assert_eq!(created.status, 200, "{created:?}");
    let own_frankfurt = dx_in(&cloud, "eu-central-1", "DescribeConnections", json!({})).await;
    assert_eq!(
        ids(&own_frankfurt, "connections", "connectionId"),
        Vec::<String>::new(),
        "what the lab account creates is not the default account's"
    );
}
