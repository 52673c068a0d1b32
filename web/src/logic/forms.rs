//! Form state (exactly what the user typed, saved to `localStorage`) and its
//! conversion to core's typed requests, with every field error.
//!
//! A form never decides validity itself: it builds the request core would
//! receive and asks core, so the console shows the proxy's own messages. The
//! only errors made here are for text that is not even a number.

use std::collections::BTreeMap;

use cloudlink_core::directconnect::{
    AWS_ASN_MAX, AWS_DEDICATED_BANDWIDTHS, AddressFamily, AllocatePrivateVirtualInterfaceRequest,
    ConfirmPrivateVirtualInterfaceRequest, CreateConnectionRequest,
    CreatePrivateVirtualInterfaceRequest, DxRequest, Location, NewPrivateVirtualInterface,
    NewPrivateVirtualInterfaceAllocation, OUTSCALE_BANDWIDTHS, Secret, Tag,
};
use cloudlink_core::oci::{
    CreateInstanceConsoleConnectionDetails, CreateInstanceConsoleConnectionRequest,
    ListInstanceConsoleConnectionsRequest, OciRequest,
};
use cloudlink_core::outposts::{GetConnectionRequest, OutpostsRequest, StartConnectionRequest};
use cloudlink_core::ssh::PublicKey;
use cloudlink_core::{Provider, Service};
use serde::{Deserialize, Serialize};

use super::errors::FieldErrors;

/// What a form that failed to read a number says.
pub const NOT_A_NUMBER: &str = "must be a whole number";

/// A typed request and the errors of the form it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<R> {
    pub request: R,
    pub errors: FieldErrors,
}

impl<R> Checked<R> {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        None
    } else {
        Some(v.to_owned())
    }
}

/// Reads an optional whole number; text that is not one is an error of `field`.
fn number(value: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, NOT_A_NUMBER);
            None
        }
    }
}

/// The provider of a Direct Connect-shaped service.
pub fn dx_provider(service: Service) -> Provider {
    service.provider()
}

/// One row of a tag editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRow {
    pub key: String,
    pub value: String,
}

/// AWS tags from the editor's rows; rows left entirely blank are ignored.
pub(crate) fn aws_tags(rows: &[TagRow]) -> Option<Vec<Tag>> {
    let tags: Vec<Tag> = rows
        .iter()
        .filter(|r| !(r.key.trim().is_empty() && r.value.trim().is_empty()))
        .map(|r| Tag {
            key: r.key.trim().to_owned(),
            value: Some(r.value.clone()),
        })
        .collect();
    if tags.is_empty() { None } else { Some(tags) }
}

/// The bandwidths a provider sells, narrowed to the location's port speeds
/// when DescribeLocations lists them.
pub fn bandwidth_choices(provider: Provider, location: Option<&Location>) -> Vec<&'static str> {
    let all = match provider {
        Provider::Outscale => OUTSCALE_BANDWIDTHS,
        _ => AWS_DEDICATED_BANDWIDTHS,
    };
    match location.and_then(|l| l.available_port_speeds.as_ref()) {
        Some(speeds) if !speeds.is_empty() => all
            .iter()
            .copied()
            .filter(|b| speeds.iter().any(|s| s.eq_ignore_ascii_case(b)))
            .collect(),
        _ => all.to_vec(),
    }
}

/// CreateConnection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectionForm {
    pub location: String,
    pub bandwidth: String,
    pub name: String,
    /// AWS only, like everything below.
    pub lag_id: String,
    pub provider_name: String,
    pub mac_sec: bool,
    pub tags: Vec<TagRow>,
}

impl ConnectionForm {
    pub fn check(&self, provider: Provider) -> Checked<CreateConnectionRequest> {
        let aws = provider == Provider::Aws;
        let request = CreateConnectionRequest {
            location: self.location.trim().to_owned(),
            bandwidth: self.bandwidth.trim().to_owned(),
            connection_name: self.name.trim().to_owned(),
            lag_id: optional(&self.lag_id).filter(|_| aws),
            tags: aws_tags(&self.tags).filter(|_| aws),
            provider_name: optional(&self.provider_name).filter(|_| aws),
            request_mac_sec: (aws && self.mac_sec).then_some(true),
            ..CreateConnectionRequest::default()
        };
        let mut errors = FieldErrors::new();
        errors.merge_validation(request.validate(provider));
        Checked { request, errors }
    }
}

/// Whether a virtual interface form creates one on the user's own account or
/// allocates it to another account (which must confirm it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum VifMode {
    #[default]
    Create,
    Allocate,
}

impl VifMode {
    /// The wire name of the interface object, the parent of its field paths.
    pub fn parent(self) -> &'static str {
        match self {
            VifMode::Create => "newPrivateVirtualInterface",
            VifMode::Allocate => "newPrivateVirtualInterfaceAllocation",
        }
    }

    /// `newPrivateVirtualInterface.vlan`.
    pub fn field(self, child: &str) -> String {
        format!("{}.{child}", self.parent())
    }
}

/// CreatePrivateVirtualInterface and AllocatePrivateVirtualInterface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VifForm {
    pub mode: VifMode,
    pub name: String,
    pub vlan: String,
    pub asn: String,
    /// The BGP key: never saved to `localStorage`.
    #[serde(skip)]
    pub auth_key: String,
    pub amazon_address: String,
    pub customer_address: String,
    /// AWS only: `""`, `ipv4` or `ipv6`.
    pub address_family: String,
    /// AWS only: `""` or an MTU.
    pub mtu: String,
    /// Create only.
    pub virtual_gateway_id: String,
    /// Allocate only.
    pub owner_account: String,
}

/// The typed request of a [`VifForm`], in its mode.
#[derive(Debug, Clone, PartialEq)]
pub enum VifRequest {
    Create(CreatePrivateVirtualInterfaceRequest),
    Allocate(AllocatePrivateVirtualInterfaceRequest),
}

impl VifRequest {
    /// The Direct Connect request this is.
    pub fn into_dx(self) -> DxRequest {
        match self {
            VifRequest::Create(r) => DxRequest::CreatePrivateVirtualInterface(r),
            VifRequest::Allocate(r) => DxRequest::AllocatePrivateVirtualInterface(r),
        }
    }
}

impl VifForm {
    /// The form after a successful send: empty, in the same mode.
    pub fn emptied(&self) -> Self {
        VifForm {
            mode: self.mode,
            ..VifForm::default()
        }
    }

    pub fn check(&self, provider: Provider, connection_id: &str) -> Checked<VifRequest> {
        let aws = provider == Provider::Aws;
        let mode = self.mode;
        let mut errors = FieldErrors::new();
        let vlan = number(&self.vlan, &mode.field("vlan"), &mut errors);
        let asn_value = number(&self.asn, &mode.field("asn"), &mut errors);
        // AWS takes 4-byte ASNs above asn's range in asnLong.
        let (asn, asn_long) = match asn_value {
            Some(a) if aws && a > AWS_ASN_MAX => (None, Some(a)),
            other => (other, None),
        };
        let mtu = number(&self.mtu, &mode.field("mtu"), &mut errors).filter(|_| aws);
        let auth_key = optional(&self.auth_key).map(Secret::new);
        let amazon_address = optional(&self.amazon_address);
        let customer_address = optional(&self.customer_address);
        let address_family = optional(&self.address_family)
            .filter(|_| aws)
            .map(|f| AddressFamily::from_wire(&f));
        let name = self.name.trim().to_owned();
        let connection_id = connection_id.trim().to_owned();
        let request = match mode {
            VifMode::Create => VifRequest::Create(CreatePrivateVirtualInterfaceRequest {
                connection_id,
                new_private_virtual_interface: Some(NewPrivateVirtualInterface {
                    virtual_interface_name: name,
                    vlan,
                    asn,
                    asn_long,
                    auth_key,
                    amazon_address,
                    customer_address,
                    address_family,
                    virtual_gateway_id: optional(&self.virtual_gateway_id),
                    mtu,
                    ..NewPrivateVirtualInterface::default()
                }),
                dry_run: None,
            }),
            VifMode::Allocate => VifRequest::Allocate(AllocatePrivateVirtualInterfaceRequest {
                connection_id,
                owner_account: self.owner_account.trim().to_owned(),
                new_private_virtual_interface_allocation: Some(
                    NewPrivateVirtualInterfaceAllocation {
                        virtual_interface_name: name,
                        vlan,
                        asn,
                        asn_long,
                        auth_key,
                        amazon_address,
                        customer_address,
                        address_family,
                        mtu,
                        ..NewPrivateVirtualInterfaceAllocation::default()
                    },
                ),
                dry_run: None,
            }),
        };
        let result = match &request {
            VifRequest::Create(r) => r.validate(provider),
            VifRequest::Allocate(r) => r.validate(provider),
        };
        // An ASN moved to asnLong is reported on the field the user typed in.
        if let Err(e) = &result {
            for fe in e.errors() {
                if fe.field == mode.field("asnLong") && !errors.has(&mode.field("asn")) {
                    errors.add(mode.field("asn"), fe.message());
                }
            }
        }
        errors.merge_validation(result);
        Checked { request, errors }
    }
}

/// ConfirmPrivateVirtualInterface.
pub fn confirm_request(
    provider: Provider,
    virtual_interface_id: &str,
    virtual_gateway_id: &str,
) -> Checked<ConfirmPrivateVirtualInterfaceRequest> {
    let request = ConfirmPrivateVirtualInterfaceRequest {
        virtual_interface_id: virtual_interface_id.trim().to_owned(),
        virtual_gateway_id: optional(virtual_gateway_id),
        ..ConfirmPrivateVirtualInterfaceRequest::default()
    };
    let mut errors = FieldErrors::new();
    errors.merge_validation(request.validate(provider));
    // AWS accepts a confirmation without any gateway (a Direct Connect
    // gateway is the other choice); this console attaches to a virtual
    // gateway, so it asks for one on both clouds.
    if request.virtual_gateway_id.is_none() && !errors.has("virtualGatewayId") {
        errors.add("virtualGatewayId", "is required");
    }
    Checked { request, errors }
}

/// Outposts StartConnection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartConnectionForm {
    pub asset_id: String,
    pub client_public_key: String,
    pub device_serial_number: String,
    /// `0` or `1`.
    pub interface_index: String,
}

impl StartConnectionForm {
    pub fn check(&self) -> Checked<OutpostsRequest> {
        let mut errors = FieldErrors::new();
        let index = number(
            &self.interface_index,
            "NetworkInterfaceDeviceIndex",
            &mut errors,
        );
        let body = StartConnectionRequest {
            device_serial_number: optional(&self.device_serial_number),
            asset_id: optional(&self.asset_id),
            client_public_key: optional(&self.client_public_key),
            network_interface_device_index: index,
        };
        errors.merge_validation(body.validate());
        Checked {
            request: OutpostsRequest::StartConnection(body),
            errors,
        }
    }
}

/// Outposts GetConnection.
pub fn get_connection_request(connection_id: &str) -> Checked<OutpostsRequest> {
    let body = GetConnectionRequest {
        connection_id: connection_id.trim().to_owned(),
    };
    let mut errors = FieldErrors::new();
    errors.merge_validation(body.validate());
    Checked {
        request: OutpostsRequest::GetConnection(body),
        errors,
    }
}

/// OCI ListInstanceConsoleConnections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OciListForm {
    pub compartment_id: String,
    pub instance_id: String,
}

impl OciListForm {
    /// The listing's filters; the console reads every page of it
    /// ([`crate::logic::paging`]).
    pub fn check(&self) -> Checked<ListInstanceConsoleConnectionsRequest> {
        let request = ListInstanceConsoleConnectionsRequest {
            compartment_id: optional(&self.compartment_id),
            instance_id: optional(&self.instance_id),
            limit: None,
            page: None,
        };
        let mut errors = FieldErrors::new();
        errors.merge_validation(OciRequest::List(request.clone()).validate());
        Checked { request, errors }
    }
}

/// OCI CreateInstanceConsoleConnection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OciCreateForm {
    pub instance_id: String,
    pub public_key: String,
    /// The name of the file the key was loaded from, for the CLI command.
    pub key_file_name: Option<String>,
    pub tags: Vec<TagRow>,
}

impl OciCreateForm {
    /// The form after a successful create: the instance stays (several
    /// connections to one instance are common), key and tags go.
    pub fn clear_sent(&mut self) {
        self.public_key.clear();
        self.key_file_name = None;
        self.tags.clear();
    }

    /// A key read from the file `name`.
    pub fn load_key(&mut self, text: &str, name: String) {
        self.public_key = text.trim().to_owned();
        self.key_file_name = Some(name);
    }

    /// The request without a retry token: the token is made once per
    /// submission, when the user sends it.
    pub fn check(&self) -> Checked<CreateInstanceConsoleConnectionRequest> {
        let mut freeform = BTreeMap::new();
        let mut errors = FieldErrors::new();
        for (i, row) in self.tags.iter().enumerate() {
            let key = row.key.trim();
            if key.is_empty() && row.value.trim().is_empty() {
                continue;
            }
            if key.is_empty() {
                errors.add(format!("freeformTags[{i}]"), "needs a key");
                continue;
            }
            if freeform.insert(key.to_owned(), row.value.clone()).is_some() {
                errors.add(format!("freeformTags.{key}"), "is a duplicate");
            }
        }
        let request = CreateInstanceConsoleConnectionRequest {
            details: CreateInstanceConsoleConnectionDetails {
                instance_id: optional(&self.instance_id),
                public_key: optional(&self.public_key),
                freeform_tags: if freeform.is_empty() {
                    None
                } else {
                    Some(freeform)
                },
                defined_tags: None,
            },
            retry_token: None,
        };
        errors.merge_validation(OciRequest::Create(request.clone()).validate());
        Checked { request, errors }
    }
}

/// What the console shows about a pasted key before it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySummary {
    pub key_type: &'static str,
    pub bits: u32,
    pub sha256: String,
    pub md5: String,
    pub comment: Option<String>,
}

/// The fingerprints of a public key line, if it parses.
pub fn key_summary(line: &str) -> Option<KeySummary> {
    let key = PublicKey::parse(line).ok()?;
    Some(KeySummary {
        key_type: key.key_type().name(),
        bits: key.bits(),
        sha256: key.fingerprint_sha256(),
        md5: key.fingerprint_md5(),
        comment: key.comment().map(str::to_owned),
    })
}

/// The `localStorage` key of a form's saved state.
pub fn storage_key(form: &str, scope: &str) -> String {
    format!("cloudlink.form.{form}.{scope}")
}

/// A saved form, or the empty form when nothing (or something unreadable) is saved. Read
/// from bytes, like every answer, so the wasm holds one kind of JSON reader, not two.
pub fn restore<T: Default + for<'de> Deserialize<'de>>(saved: Option<&str>) -> T {
    saved
        .and_then(|s| serde_json::from_slice(s.as_bytes()).ok())
        .unwrap_or_default()
}

/// A form's state to save.
pub fn save<T: Serialize>(form: &T) -> String {
    serde_json::to_string(form).unwrap_or_default()
}

#[cfg(test)]
mod tests;
