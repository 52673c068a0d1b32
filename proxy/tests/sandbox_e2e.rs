//! End to end through the proxy: `app()` signs with the sandbox's fake
//! credentials and forwards over HTTP to the sandbox on a loopback port, which
//! verifies every signature. Every forwarded operation is called once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::sandbox::{Sandbox, Timing};
use cloudlink_proxy::sandbox::{credential_store, sandbox_upstreams, start_sandbox};
use cloudlink_proxy::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "e2e-token-0123456789abcdef-0123456789";
const SSH_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmyoggxWNZNTrth8WarEp0mZHDTptFOHw+32/x+KLLR cloudlink test ed25519";

struct Proxy {
    router: axum::Router,
    sandbox: Sandbox,
}

impl Proxy {
    async fn start() -> Proxy {
        let sandbox = Sandbox::new().with_timing(Timing {
            step: Duration::from_secs(60),
        });
        let addr = start_sandbox(&sandbox, SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("sandbox listens");
        let mut settings = Settings::from_cli(Cli {
            sandbox: true,
            ..Cli::default()
        })
        .expect("settings");
        sandbox_upstreams(&mut settings, addr);
        let mut state = AppState::new(
            settings,
            TOKEN.to_owned(),
            credential_store(&sandbox.credentials()),
        );
        state.sandbox_seeds = Some(sandbox.seeds());
        Proxy {
            router: app(Arc::new(state)),
            sandbox,
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        target: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value, Option<String>) {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("x-cloudlink-token", TOKEN);
        if let Some(t) = target {
            builder = builder
                .header("x-amz-target", format!("OvertureService.{t}"))
                .header("content-type", "application/x-amz-json-1.1");
        } else if body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        let body = body
            .map(|b| Body::from(b.to_string()))
            .unwrap_or_else(Body::empty);
        let response = self
            .router
            .clone()
            .oneshot(builder.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let request_id = ["x-amzn-requestid", "opc-request-id"]
            .iter()
            .find_map(|n| response.headers().get(*n))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        (status, json, request_id)
    }
}

#[tokio::test]
async fn every_direct_connect_and_directlink_operation_goes_through() {
    let proxy = Proxy::start().await;
    for (base, location) in [
        ("/api/aws/directconnect/us-east-1/", "EqDC2"),
        ("/api/outscale/directlink/eu-west-2/", "PAR1"),
    ] {
        let dx = |op: &'static str, body: Value| proxy.call("POST", base, Some(op), Some(body));
        let (s, locations, id) = dx("DescribeLocations", json!({})).await;
        assert_eq!(s, 200, "{base}: {locations}");
        assert!(id.is_some(), "the upstream request id passes through");
        assert!(
            locations["locations"]
                .as_array()
                .is_some_and(|l| !l.is_empty())
        );
        let (s, gateways, _) = dx("DescribeVirtualGateways", json!({})).await;
        assert_eq!(s, 200, "{gateways}");

        let (s, c, _) = dx(
            "CreateConnection",
            json!({"location": location, "bandwidth": "1Gbps", "connectionName": "e2e"}),
        )
        .await;
        assert_eq!(
            (s, c["connectionState"].as_str()),
            (200, Some("requested")),
            "{base}: {c}"
        );
        let conn = c["connectionId"].as_str().unwrap().to_owned();
        let (s, list, _) = dx("DescribeConnections", json!({"connectionId": conn})).await;
        assert_eq!(
            (s, list["connections"][0]["connectionId"].as_str()),
            (200, Some(conn.as_str()))
        );
        proxy.sandbox.advance(Duration::from_secs(120));

        let vif = json!({"virtualInterfaceName": "own", "vlan": 300, "asn": 65000, "virtualGatewayId": "vgw-0a1b2c3d"});
        let (s, own, _) = dx(
            "CreatePrivateVirtualInterface",
            json!({"connectionId": conn, "newPrivateVirtualInterface": vif}),
        )
        .await;
        assert_eq!(s, 200, "{base}: {own}");
        let alloc = json!({"virtualInterfaceName": "shared", "vlan": 301, "asn": 65001});
        let (s, shared, _) = dx(
            "AllocatePrivateVirtualInterface",
            json!({"connectionId": conn, "ownerAccount": "444455556666", "newPrivateVirtualInterfaceAllocation": alloc}),
        )
        .await;
        assert_eq!(
            (s, shared["virtualInterfaceState"].as_str()),
            (200, Some("confirming")),
            "{base}: {shared}"
        );
        let shared_id = shared["virtualInterfaceId"].as_str().unwrap().to_owned();
        let (s, confirmed, _) = dx(
            "ConfirmPrivateVirtualInterface",
            json!({"virtualInterfaceId": shared_id, "virtualGatewayId": "vgw-5e6f7a8b"}),
        )
        .await;
        assert_eq!(
            (s, confirmed["virtualInterfaceState"].as_str()),
            (200, Some("pending")),
            "{confirmed}"
        );
        let (s, vifs, _) = dx("DescribeVirtualInterfaces", json!({"connectionId": conn})).await;
        assert_eq!(
            (s, vifs["virtualInterfaces"].as_array().map(Vec::len)),
            (200, Some(2)),
            "{vifs}"
        );

        // An upstream refusal passes through unchanged.
        let (s, refused, _) = dx("DeleteConnection", json!({"connectionId": conn})).await;
        assert_eq!(
            (s, refused["__type"].as_str()),
            (400, Some("DirectConnectClientException")),
            "{refused}"
        );

        for id in [
            own["virtualInterfaceId"].as_str().unwrap(),
            shared_id.as_str(),
        ] {
            let (s, d, _) = dx("DeleteVirtualInterface", json!({"virtualInterfaceId": id})).await;
            assert_eq!(
                (s, d["virtualInterfaceState"].as_str()),
                (200, Some("deleting")),
                "{d}"
            );
        }
        proxy.sandbox.advance(Duration::from_secs(60));
        let (s, d, _) = dx("DeleteConnection", json!({"connectionId": conn})).await;
        assert_eq!(
            (s, d["connectionState"].as_str()),
            (200, Some("deleting")),
            "{base}: {d}"
        );
    }
}

#[tokio::test]
async fn outposts_and_oci_operations_go_through() {
    let proxy = Proxy::start().await;
    let key = "kN3bJ8v6mS0Yx2Q4wE7rT9uI1oP5aS3dF6gH8jK0lZ0=";
    let (s, started, id) = proxy
        .call(
            "POST",
            "/api/aws/outposts/us-east-1/connections",
            None,
            Some(json!({"AssetId": "JQPR4ZK8T2", "ClientPublicKey": key, "NetworkInterfaceDeviceIndex": 0})),
        )
        .await;
    assert_eq!(s, 200, "{started}");
    assert!(id.is_some());
    let conn = started["ConnectionId"].as_str().unwrap();
    let (s, got, _) = proxy
        .call(
            "GET",
            &format!("/api/aws/outposts/us-east-1/connections/{conn}"),
            None,
            None,
        )
        .await;
    assert_eq!(
        (s, got["ConnectionDetails"]["ClientPublicKey"].as_str()),
        (200, Some(key)),
        "{got}"
    );

    let base = "/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections";
    let instance = "ocid1.instance.oc1.iad.anuwcljtsandboxdb01";
    let compartment = "ocid1.compartment.oc1..aaaaaaaasandboxcompartment4cloudlinkdemo";
    let (s, created, id) = proxy
        .call(
            "POST",
            base,
            None,
            Some(json!({"instanceId": instance, "publicKey": SSH_KEY})),
        )
        .await;
    assert_eq!(
        (s, created["lifecycleState"].as_str()),
        (200, Some("CREATING")),
        "{created}"
    );
    assert!(
        id.is_some_and(|i| !i.is_empty()),
        "opc-request-id passes through"
    );
    let cid = created["id"].as_str().unwrap().to_owned();
    let (s, list, _) = proxy
        .call(
            "GET",
            &format!("{base}?compartmentId={compartment}&instanceId={instance}"),
            None,
            None,
        )
        .await;
    assert_eq!((s, list.as_array().map(Vec::len)), (200, Some(1)), "{list}");
    proxy.sandbox.advance(Duration::from_secs(60));
    let (s, got, _) = proxy
        .call("GET", &format!("{base}/{cid}"), None, None)
        .await;
    assert_eq!(
        (s, got["lifecycleState"].as_str()),
        (200, Some("ACTIVE")),
        "{got}"
    );
    let (s, _, _) = proxy
        .call("DELETE", &format!("{base}/{cid}"), None, None)
        .await;
    assert_eq!(s, 204);
    let (s, got, _) = proxy
        .call("GET", &format!("{base}/{cid}"), None, None)
        .await;
    assert_eq!(
        (s, got["lifecycleState"].as_str()),
        (200, Some("DELETING")),
        "{got}"
    );

    let (s, seeds, _) = proxy.call("GET", "/api/sandbox", None, None).await;
    assert_eq!(
        (s, seeds["oci-core"]["compartmentId"].as_str()),
        (200, Some(compartment)),
        "{seeds}"
    );
}
