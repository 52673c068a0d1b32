use cloudlink_core::directconnect::Location;

use super::*;

pub(crate) const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmyoggxWNZNTrth8WarEp0mZHDTptFOHw+32/x+KLLR cloudlink test ed25519";
pub(crate) const WIREGUARD: &str = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const INSTANCE: &str =
    "ocid1.instance.oc1.iad.anuwcljt2ahtqbacbmvwxnr3gfrhsmmlwvvxfn3yyt7ptyijjsdayxigkdga";
const COMPARTMENT: &str =
    "ocid1.compartment.oc1..aaaaaaaa4mxoxuoy7mbdcwbdcgeuwudy7ynzmmdjyqqpkeemrxk6jrloqhuq";

fn good_connection() -> ConnectionForm {
    ConnectionForm {
        location: "EqDC2".into(),
        bandwidth: "1Gbps".into(),
        name: "office link".into(),
        ..ConnectionForm::default()
    }
}

#[test]
fn a_complete_connection_form_is_valid_for_both_providers() {
    for provider in [Provider::Aws, Provider::Outscale] {
        let checked = good_connection().check(provider);
        assert!(checked.is_valid(), "{provider:?}: {:?}", checked.errors);
        assert_eq!(checked.request.connection_name, "office link");
    }
}

#[test]
fn an_empty_connection_form_reports_every_required_field() {
    let checked = ConnectionForm::default().check(Provider::Aws);
    for field in ["location", "bandwidth", "connectionName"] {
        assert_eq!(
            checked.errors.message(field).as_deref(),
            Some("is required"),
            "{field}"
        );
    }
}

#[test]
fn bandwidths_follow_the_provider() {
    let mut form = good_connection();
    form.bandwidth = "100Gbps".into();
    assert!(form.check(Provider::Aws).is_valid());
    let outscale = form.check(Provider::Outscale);
    assert_eq!(
        outscale.errors.message("bandwidth").as_deref(),
        Some("must be one of 1Gbps, 10Gbps")
    );
}

#[test]
fn aws_only_fields_are_dropped_for_outscale_and_checked_for_aws() {
    let mut form = good_connection();
    form.lag_id = "lag-1".into();
    form.provider_name = "Equinix".into();
    form.mac_sec = true;
    form.tags = vec![
        TagRow {
            key: "env".into(),
            value: "prod".into(),
        },
        TagRow::default(),
    ];
    let outscale = form.check(Provider::Outscale);
    assert!(outscale.is_valid(), "{:?}", outscale.errors);
    assert_eq!(outscale.request.lag_id, None);
    assert_eq!(outscale.request.tags, None);
    assert_eq!(outscale.request.request_mac_sec, None);
    let aws = form.check(Provider::Aws);
    assert!(aws.errors.message("lagId").is_some());
    assert_eq!(aws.request.tags.as_ref().map(Vec::len), Some(1));
    assert_eq!(aws.request.request_mac_sec, Some(true));
}

#[test]
fn a_tag_without_key_is_reported_by_its_path() {
    let mut form = good_connection();
    form.tags = vec![TagRow {
        key: "".into(),
        value: "x".into(),
    }];
    let checked = form.check(Provider::Aws);
    assert_eq!(
        checked.errors.under("tags").count(),
        1,
        "{:?}",
        checked.errors
    );
}

#[test]
fn location_port_speeds_narrow_the_bandwidths() {
    let location = Location {
        location_code: Some("EqDC2".into()),
        available_port_speeds: Some(vec!["1Gbps".into(), "100Gbps".into()]),
        ..Location::default()
    };
    assert_eq!(
        bandwidth_choices(Provider::Aws, Some(&location)),
        vec!["1Gbps", "100Gbps"]
    );
    assert_eq!(
        bandwidth_choices(Provider::Outscale, Some(&location)),
        vec!["1Gbps"]
    );
    assert_eq!(
        bandwidth_choices(Provider::Aws, None),
        vec!["1Gbps", "10Gbps", "100Gbps", "400Gbps"]
    );
}

fn good_vif(mode: VifMode) -> VifForm {
    VifForm {
        mode,
        name: "prod-vif".into(),
        vlan: "101".into(),
        asn: "65000".into(),
        virtual_gateway_id: "vgw-0123abcd".into(),
        owner_account: "123456789012".into(),
        ..VifForm::default()
    }
}

#[test]
fn complete_vif_forms_are_valid_in_both_modes_and_both_providers() {
    for provider in [Provider::Aws, Provider::Outscale] {
        for mode in [VifMode::Create, VifMode::Allocate] {
            let checked = good_vif(mode).check(provider, "dxcon-fg5678gh");
            assert!(
                checked.is_valid(),
                "{provider:?} {mode:?}: {:?}",
                checked.errors
            );
        }
    }
}

#[test]
fn vif_errors_carry_the_wire_path_of_their_mode() {
    let mut form = good_vif(VifMode::Allocate);
    form.vlan = "ten".into();
    form.asn = "".into();
    form.owner_account = "12".into();
    let checked = form.check(Provider::Aws, "dxcon-fg5678gh");
    assert_eq!(
        checked
            .errors
            .message("newPrivateVirtualInterfaceAllocation.vlan")
            .as_deref(),
        Some(NOT_A_NUMBER)
    );
    assert_eq!(
        checked
            .errors
            .message("newPrivateVirtualInterfaceAllocation.asn")
            .as_deref(),
        Some("is required")
    );
    assert!(checked.errors.message("ownerAccount").is_some());
    form.mode = VifMode::Create;
    let checked = form.check(Provider::Aws, "dxcon-fg5678gh");
    assert!(
        checked
            .errors
            .message("newPrivateVirtualInterface.vlan")
            .is_some()
    );
}

#[test]
fn vlan_limits_differ_by_provider() {
    let mut form = good_vif(VifMode::Create);
    form.vlan = "1".into();
    assert!(form.check(Provider::Aws, "dxcon-fg5678gh").is_valid());
    let outscale = form.check(Provider::Outscale, "dxcon-fg5678gh");
    assert_eq!(
        outscale
            .errors
            .message("newPrivateVirtualInterface.vlan")
            .as_deref(),
        Some("must be between 2 and 4094, not 1")
    );
}

#[test]
fn a_four_byte_asn_goes_to_asn_long_for_aws() {
    let mut form = good_vif(VifMode::Create);
    form.asn = "4200000000".into();
    let checked = form.check(Provider::Aws, "dxcon-fg5678gh");
    assert!(checked.is_valid(), "{:?}", checked.errors);
    let VifRequest::Create(r) = &checked.request else {
        panic!("create")
    };
    let vif = r.new_private_virtual_interface.as_ref().unwrap();
    assert_eq!((vif.asn, vif.asn_long), (None, Some(4_200_000_000)));
    form.asn = "4294967295".into();
    let checked = form.check(Provider::Aws, "dxcon-fg5678gh");
    assert!(
        checked
            .errors
            .message("newPrivateVirtualInterface.asn")
            .is_some(),
        "{:?}",
        checked.errors
    );
}

#[test]
fn a_short_bgp_key_is_an_error_that_never_repeats_it() {
    let mut form = good_vif(VifMode::Create);
    form.auth_key = "abc".into();
    let checked = form.check(Provider::Aws, "dxcon-fg5678gh");
    let message = checked
        .errors
        .message("newPrivateVirtualInterface.authKey")
        .unwrap();
    assert!(!message.contains("abc"));
}

#[test]
fn the_bgp_key_is_never_saved() {
    let mut form = good_vif(VifMode::Create);
    form.auth_key = "a-secret-key".into();
    let saved = save(&form);
    assert!(!saved.contains("a-secret-key"));
    let restored: VifForm = restore(Some(&saved));
    assert_eq!(restored.auth_key, "");
    assert_eq!(restored.vlan, "101");
}

#[test]
fn confirm_needs_a_virtual_gateway_on_both_clouds() {
    for provider in [Provider::Aws, Provider::Outscale] {
        let checked = confirm_request(provider, "dxvif-fgh0hcrk", "");
        assert_eq!(
            checked.errors.message("virtualGatewayId").as_deref(),
            Some("is required")
        );
        assert!(confirm_request(provider, "dxvif-fgh0hcrk", "vgw-0123abcd").is_valid());
    }
}

#[test]
fn start_connection_form_checks_every_field() {
    let good = StartConnectionForm {
        asset_id: "i_0123456789abcdef".into(),
        client_public_key: WIREGUARD.into(),
        device_serial_number: "".into(),
        interface_index: "0".into(),
    };
    assert!(good.check().is_valid(), "{:?}", good.check().errors);
    let bad = StartConnectionForm {
        asset_id: "asset-1".into(),
        client_public_key: "short".into(),
        device_serial_number: "".into(),
        interface_index: "2".into(),
    };
    let errors = bad.check().errors;
    assert_eq!(
        errors.message("AssetId").as_deref(),
        Some("may only contain letters, digits and underscores")
    );
    assert_eq!(
        errors.message("ClientPublicKey").as_deref(),
        Some("must be exactly 44 characters long, not 5")
    );
    assert_eq!(
        errors.message("NetworkInterfaceDeviceIndex").as_deref(),
        Some("must be between 0 and 1, not 2")
    );
    let empty = StartConnectionForm::default().check().errors;
    assert_eq!(empty.len(), 3);
}

#[test]
fn get_connection_needs_an_id() {
    assert_eq!(
        get_connection_request(" ")
            .errors
            .message("ConnectionId")
            .as_deref(),
        Some("is required")
    );
    assert!(get_connection_request("abc123=").is_valid());
}

#[test]
fn oci_list_needs_a_compartment_and_checks_the_instance() {
    let empty = OciListForm::default().check();
    assert_eq!(
        empty.errors.message("compartmentId").as_deref(),
        Some("is required")
    );
    let form = OciListForm {
        compartment_id: COMPARTMENT.into(),
        instance_id: "i-123".into(),
    };
    let checked = form.check();
    assert!(checked.errors.message("instanceId").is_some());
    let form = OciListForm {
        compartment_id: COMPARTMENT.into(),
        instance_id: INSTANCE.into(),
    };
    let checked = form.check();
    assert!(checked.is_valid(), "{:?}", checked.errors);
    assert_eq!(checked.request.instance_id.as_deref(), Some(INSTANCE));
}

#[test]
fn oci_create_checks_instance_key_and_tags() {
    let form = OciCreateForm {
        instance_id: INSTANCE.into(),
        public_key: ED25519.into(),
        key_file_name: None,
        tags: vec![TagRow {
            key: "team".into(),
            value: "net".into(),
        }],
    };
    let checked = form.check();
    assert!(checked.is_valid(), "{:?}", checked.errors);
    assert_eq!(checked.request.retry_token, None);
    assert_eq!(
        checked
            .request
            .details
            .freeform_tags
            .as_ref()
            .map(|t| t.len()),
        Some(1)
    );
    let bad = OciCreateForm {
        instance_id: COMPARTMENT.into(),
        public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI".into(),
        key_file_name: None,
        tags: vec![
            TagRow {
                key: "a".into(),
                value: "1".into(),
            },
            TagRow {
                key: "a".into(),
                value: "2".into(),
            },
        ],
    };
    let errors = bad.check().errors;
    assert!(errors.message("instanceId").is_some());
    assert!(errors.message("publicKey").is_some());
    assert_eq!(
        errors.message("freeformTags.a").as_deref(),
        Some("is a duplicate")
    );
}

#[test]
fn key_summary_shows_both_fingerprints() {
    let summary = key_summary(ED25519).unwrap();
    assert_eq!(summary.key_type, "ssh-ed25519");
    assert_eq!(summary.bits, 256);
    assert!(summary.sha256.starts_with("SHA256:"));
    assert_eq!(summary.md5.split(':').count(), 16);
    assert_eq!(summary.comment.as_deref(), Some("cloudlink test ed25519"));
    assert_eq!(key_summary("ssh-ed25519 nope"), None);
}

#[test]
fn saved_forms_round_trip_and_garbage_restores_empty() {
    let form = good_connection();
    let restored: ConnectionForm = restore(Some(&save(&form)));
    assert_eq!(restored, form);
    let garbage: ConnectionForm = restore(Some("{not json"));
    assert_eq!(garbage, ConnectionForm::default());
    let partial: StartConnectionForm = restore(Some(r#"{"asset_id":"x"}"#));
    assert_eq!(partial.asset_id, "x");
    assert_eq!(
        storage_key("connection", "directlink"),
        "cloudlink.form.connection.directlink"
    );
}

#[test]
fn a_sent_vif_form_empties_but_keeps_its_mode() {
    let sent = good_vif(VifMode::Allocate);
    let emptied = sent.emptied();
    assert_eq!(emptied.mode, VifMode::Allocate);
    assert_eq!(
        emptied,
        VifForm {
            mode: VifMode::Allocate,
            ..VifForm::default()
        }
    );
}

#[test]
fn a_vif_request_becomes_the_operation_of_its_mode() {
    let create = good_vif(VifMode::Create).check(Provider::Aws, "dxcon-fg5678gh");
    assert!(matches!(
        create.request.into_dx(),
        DxRequest::CreatePrivateVirtualInterface(_)
    ));
    let allocate = good_vif(VifMode::Allocate).check(Provider::Aws, "dxcon-fg5678gh");
    assert!(matches!(
        allocate.request.into_dx(),
        DxRequest::AllocatePrivateVirtualInterface(_)
    ));
}

#[test]
fn an_oci_key_from_a_file_is_trimmed_and_named_and_a_sent_form_keeps_the_instance() {
    let mut form = OciCreateForm {
        instance_id: "ocid1.instance.oc1..x".into(),
        tags: vec![TagRow {
            key: "team".into(),
            value: "net".into(),
        }],
        ..OciCreateForm::default()
    };
    form.load_key("  ssh-ed25519 AAAA comment\n", "id.pub".into());
    assert_eq!(form.public_key, "ssh-ed25519 AAAA comment");
    assert_eq!(form.key_file_name.as_deref(), Some("id.pub"));
    form.clear_sent();
    assert_eq!(form.instance_id, "ocid1.instance.oc1..x");
    assert!(form.public_key.is_empty());
    assert_eq!(form.key_file_name, None);
    assert!(form.tags.is_empty());
}
