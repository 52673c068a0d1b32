use cloudlink_core::directconnect::{
    ConfirmPrivateVirtualInterfaceRequest, CreateConnectionRequest, DeleteConnectionRequest,
    DxRequest, Tag,
};
use cloudlink_core::oci::{
    CreateInstanceConsoleConnectionRequest, DeleteInstanceConsoleConnectionRequest,
};
use cloudlink_core::outposts::{GetConnectionRequest, StartConnectionRequest};
use cloudlink_core::{Provider, Service};

use super::*;
use crate::logic::forms::{OciCreateForm, OciListForm, VifForm, VifMode, VifRequest};

fn ctx(region: &str) -> CliContext<'_> {
    CliContext {
        region,
        ..CliContext::default()
    }
}

fn one_line(command: &str) -> String {
    command.replace(" \\\n  ", " ")
}

#[test]
fn kebab_case_follows_the_aws_cli() {
    let table = [
        ("CreateConnection", "create-connection"),
        (
            "CreatePrivateVirtualInterface",
            "create-private-virtual-interface",
        ),
        ("connectionName", "connection-name"),
        ("requestMACSec", "request-mac-sec"),
        ("lagId", "lag-id"),
        ("AssetId", "asset-id"),
        (
            "NetworkInterfaceDeviceIndex",
            "network-interface-device-index",
        ),
        (
            "newPrivateVirtualInterfaceAllocation",
            "new-private-virtual-interface-allocation",
        ),
    ];
    for (name, expected) in table {
        assert_eq!(kebab(name), expected, "{name}");
    }
}

#[test]
fn shell_quoting_leaves_plain_words_alone() {
    assert_eq!(shell_quote("EqDC2"), "EqDC2");
    assert_eq!(shell_quote("office link"), "'office link'");
    assert_eq!(shell_quote("it's"), r"'it'\''s'");
    assert_eq!(shell_quote(""), "''");
}

#[test]
fn aws_create_connection() {
    let request = ApiRequest::DirectConnect(DxRequest::CreateConnection(CreateConnectionRequest {
        location: "EqDC2".into(),
        bandwidth: "1Gbps".into(),
        connection_name: "office link".into(),
        tags: Some(vec![Tag {
            key: "env".into(),
            value: Some("prod".into()),
        }]),
        request_mac_sec: Some(true),
        ..CreateConnectionRequest::default()
    }));
    let context = CliContext {
        region: "us-east-1",
        profile: Some("prod"),
        ..CliContext::default()
    };
    assert_eq!(
        one_line(&command(&request, &context)),
        r#"aws directconnect create-connection --location EqDC2 --bandwidth 1Gbps --connection-name 'office link' --request-mac-sec --tags '[{"key":"env","value":"prod"}]' --region us-east-1 --profile prod"#
    );
}

#[test]
fn outscale_create_connection_uses_osc_cli_and_wire_names() {
    let request = ApiRequest::DirectLink(DxRequest::CreateConnection(CreateConnectionRequest {
        location: "PAR1".into(),
        bandwidth: "10Gbps".into(),
        connection_name: "dl".into(),
        ..CreateConnectionRequest::default()
    }));
    assert_eq!(
        one_line(&command(&request, &ctx("eu-west-2"))),
        "osc-cli directlink CreateConnection --profile default --location PAR1 --bandwidth 10Gbps --connectionName dl"
    );
}

#[test]
fn delete_and_confirm() {
    let delete = ApiRequest::DirectConnect(DxRequest::DeleteConnection(DeleteConnectionRequest {
        connection_id: "dxcon-fg5678gh".into(),
        dry_run: None,
    }));
    assert_eq!(
        one_line(&command(&delete, &ctx("us-east-1"))),
        "aws directconnect delete-connection --connection-id dxcon-fg5678gh --region us-east-1"
    );
    let confirm = ApiRequest::DirectLink(DxRequest::ConfirmPrivateVirtualInterface(
        ConfirmPrivateVirtualInterfaceRequest {
            virtual_interface_id: "dxvif-abcd1234".into(),
            virtual_gateway_id: Some("vgw-12345678".into()),
            ..ConfirmPrivateVirtualInterfaceRequest::default()
        },
    ));
    assert_eq!(
        one_line(&command(
            &confirm,
            &CliContext {
                region: "eu-west-2",
                profile: Some("osc"),
                ..CliContext::default()
            }
        )),
        "osc-cli directlink ConfirmPrivateVirtualInterface --profile osc --virtualInterfaceId dxvif-abcd1234 --virtualGatewayId vgw-12345678"
    );
}

#[test]
fn bgp_keys_are_hidden_until_revealed() {
    let form = VifForm {
        mode: VifMode::Create,
        name: "v".into(),
        vlan: "101".into(),
        asn: "65000".into(),
        auth_key: "s3cret-key".into(),
        virtual_gateway_id: "vgw-0123abcd".into(),
        ..VifForm::default()
    };
    let VifRequest::Create(r) = form.check(Provider::Aws, "dxcon-fg5678gh").request else {
        panic!()
    };
    let request = ApiRequest::DirectConnect(DxRequest::CreatePrivateVirtualInterface(r));
    let hidden = command(&request, &ctx("us-east-1"));
    assert!(hidden.starts_with(
        "aws directconnect create-private-virtual-interface \\\n  --connection-id dxcon-fg5678gh"
    ));
    assert!(!hidden.contains("s3cret-key"));
    assert!(hidden.contains(SECRET_PLACEHOLDER));
    assert!(hidden.contains(r#""vlan":101"#));
    let shown = command(
        &request,
        &CliContext {
            reveal_secrets: true,
            ..ctx("us-east-1")
        },
    );
    assert!(shown.contains("s3cret-key"));
    assert_eq!(Service::DirectConnect.provider(), Provider::Aws);
}

#[test]
fn outposts_commands() {
    let start = ApiRequest::Outposts(OutpostsRequest::StartConnection(StartConnectionRequest {
        asset_id: Some("i_0123".into()),
        client_public_key: Some("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=".into()),
        network_interface_device_index: Some(1),
        device_serial_number: None,
    }));
    assert_eq!(
        one_line(&command(&start, &ctx("us-west-2"))),
        "aws outposts start-connection --asset-id i_0123 --client-public-key xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= --network-interface-device-index 1 --region us-west-2"
    );
    let get = ApiRequest::Outposts(OutpostsRequest::GetConnection(GetConnectionRequest {
        connection_id: "abc/d=".into(),
    }));
    assert_eq!(
        one_line(&command(&get, &ctx("us-west-2"))),
        "aws outposts get-connection --connection-id abc/d= --region us-west-2"
    );
}

#[test]
fn oci_commands() {
    let form = OciCreateForm {
        instance_id: "ocid1.instance.oc1.iad.abc".into(),
        public_key: "ssh-ed25519 AAAA".into(),
        key_file_name: None,
        tags: vec![crate::logic::forms::TagRow {
            key: "team".into(),
            value: "net ops".into(),
        }],
    };
    let request: CreateInstanceConsoleConnectionRequest = form.check().request;
    let create = ApiRequest::Oci(OciRequest::Create(request));
    assert_eq!(
        one_line(&command(&create, &ctx("us-ashburn-1"))),
        r#"oci compute instance-console-connection create --instance-id ocid1.instance.oc1.iad.abc --ssh-public-key-file key.pub --freeform-tags '{"team":"net ops"}' --region us-ashburn-1"#
    );
    let from_file = command(
        &create,
        &CliContext {
            key_file: Some("id_ed25519.pub"),
            ..ctx("us-ashburn-1")
        },
    );
    assert!(from_file.contains("--ssh-public-key-file id_ed25519.pub"));
    let list = OciListForm {
        compartment_id: "ocid1.compartment.oc1..aaa".into(),
        instance_id: String::new(),
    };
    assert_eq!(
        one_line(&command(
            &ApiRequest::Oci(OciRequest::List(list.check().request)),
            &CliContext {
                profile: Some("DEFAULT"),
                ..ctx("us-ashburn-1")
            }
        )),
        "oci compute instance-console-connection list --compartment-id ocid1.compartment.oc1..aaa --all --region us-ashburn-1 --profile DEFAULT"
    );
    let delete = ApiRequest::Oci(OciRequest::Delete(DeleteInstanceConsoleConnectionRequest {
        instance_console_connection_id: "ocid1.instanceconsoleconnection.oc1.iad.x".into(),
        if_match: None,
    }));
    assert!(command(&delete, &ctx("us-ashburn-1")).starts_with(
        "oci compute instance-console-connection delete \\\n  --instance-console-connection-id ocid1.instanceconsoleconnection.oc1.iad.x"
    ));
}

#[test]
fn json_text_writes_what_display_writes_without_the_float_writer() {
    let value = serde_json::json!({
        "b": [1, -2, 18446744073709551615_u64, true, false, null],
        "a": {"key": "say \"hi\"\n\u{1f}é", "value": ""},
        "empty": [],
        "none": {},
    });
    assert_eq!(json_text(&value), value.to_string());
    assert_eq!(
        json_text(&value),
        r#"{"a":{"key":"say \"hi\"\n\u001fé","value":""},"b":[1,-2,18446744073709551615,true,false,null],"empty":[],"none":{}}"#
    );
    // Floats (no request of core's has one) still read back to the same number.
    let float = serde_json::json!([1.5, -0.25]);
    let back: Value = serde_json::from_str(&json_text(&float)).unwrap();
    assert_eq!(back, float);
}
