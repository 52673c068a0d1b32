//! The fake Direct Connect and OUTSCALE DirectLink: connections and private
//! virtual interfaces in memory, per service and region, with states computed
//! from timestamps, and answers built from `cloudlink-core`'s response types.
//!
//! OUTSCALE answers keep its quirks: a `requestId` in every body, and `null`
//! for each AWS field its API reference marks "not supported (always null)".

use cloudlink_core::Service;
use cloudlink_core::directconnect::{
    AddressFamily, AllocatePrivateVirtualInterfaceRequest, ArnKind, BgpPeer, BgpPeerState,
    BgpStatus, ConfirmPrivateVirtualInterfaceRequest, Connection, ConnectionState,
    CreateConnectionRequest, CreatePrivateVirtualInterfaceRequest, DeleteConnectionRequest,
    DeleteVirtualInterfaceRequest, DescribeConnectionsRequest, DescribeTagsRequest,
    DescribeVirtualInterfacesRequest, DxRequest, HasLogicalRedundancy, Location, ResourceArn, Tag,
    TagResourceRequest, UntagResourceRequest, VirtualGateway, VirtualGatewayState,
    VirtualInterface, VirtualInterfaceState,
};
use serde_json::{Value, json};

use super::clock::{Millis, Timing};
use super::ids;
use super::reply::{Answer, Failure};
use super::seed;

#[derive(Debug, Clone)]
struct DxConnection {
    service: Service,
    region: String,
    id: String,
    name: String,
    location: String,
    bandwidth: String,
    device: String,
    /// Whether a second BGP peer of the same address family fits on the connection.
    logical_redundancy: bool,
    tags: Option<Vec<Tag>>,
    created: Millis,
    deleted: Option<Millis>,
}

impl DxConnection {
    fn state(&self, now: Millis, timing: Timing) -> ConnectionState {
        if let Some(d) = self.deleted {
            return if now < d + timing.step_ms() {
                ConnectionState::Deleting
            } else {
                ConnectionState::Deleted
            };
        }
        let age = now.saturating_sub(self.created);
        if age < timing.step_ms() {
            ConnectionState::Requested
        } else if age < 2 * timing.step_ms() {
            ConnectionState::Pending
        } else {
            ConnectionState::Available
        }
    }
}

#[derive(Debug, Clone)]
struct DxVif {
    service: Service,
    region: String,
    id: String,
    connection_id: String,
    location: String,
    owner_account: String,
    name: String,
    vlan: i64,
    asn: i64,
    auth_key: String,
    amazon_address: String,
    customer_address: String,
    address_family: String,
    mtu: i64,
    virtual_gateway_id: Option<String>,
    direct_connect_gateway_id: Option<String>,
    device: String,
    tags: Option<Vec<Tag>>,
    /// When it left `confirming` (at creation for the owner's own interfaces).
    confirmed: Option<Millis>,
    deleted: Option<Millis>,
    /// When its BGP session goes down for good (a seeded interface only).
    bgp_down_at: Option<Millis>,
}

impl DxVif {
    /// Whether the BGP session is up: a step after the interface became available (the
    /// customer's router answering), until its `bgp_down_at`.
    fn bgp_up(&self, now: Millis, timing: Timing) -> bool {
        self.state(now, timing) == VirtualInterfaceState::Available
            && self
                .confirmed
                .is_some_and(|c| now >= c.saturating_add(2 * timing.step_ms()))
            && self.bgp_down_at.is_none_or(|down| now < down)
    }

    fn state(&self, now: Millis, timing: Timing) -> VirtualInterfaceState {
        if let Some(d) = self.deleted {
            return if now < d + timing.step_ms() {
                VirtualInterfaceState::Deleting
            } else {
                VirtualInterfaceState::Deleted
            };
        }
        match self.confirmed {
            None => VirtualInterfaceState::Confirming,
            Some(c) if now < c + timing.step_ms() => VirtualInterfaceState::Pending,
            Some(_) => VirtualInterfaceState::Available,
        }
    }
}

/// Every connection and virtual interface of both AWS-style services.
#[derive(Debug)]
pub struct DxWorld {
    connections: Vec<DxConnection>,
    vifs: Vec<DxVif>,
}

/// A new world holds the seeded estate of the sandbox's own account
/// ([`seed::SEEDED_CONNECTIONS`] and their interfaces), made at millisecond 0, long before the
/// clock's start ([`super::clock::SEEDS_AGE_MS`]).
impl Default for DxWorld {
    fn default() -> Self {
        let mut world = DxWorld::seeded(
            seed::SEEDED_CONNECTIONS,
            seed::SEEDED_VIFS,
            seed::OWN_ACCOUNT,
        );
        world.vifs.extend((0..seed::SEATTLE_VIFS).map(seattle_vif));
        world
    }
}

impl DxWorld {
    /// The estate of the second AWS profile's account ([`seed::LAB_ACCOUNT`]).
    pub fn lab() -> Self {
        DxWorld::seeded(seed::LAB_CONNECTIONS, seed::LAB_VIFS, seed::LAB_ACCOUNT)
    }

    fn seeded(
        connections: &[seed::SeedConnection],
        vifs: &[seed::SeedVif],
        account: &'static str,
    ) -> Self {
        let vifs = vifs
            .iter()
            .filter_map(|v| {
                let c = connections.iter().find(|c| c.id == v.connection_id)?;
                Some(seeded_vif(c, v, account))
            })
            .collect();
        let connections = connections
            .iter()
            .map(|c| DxConnection {
                service: Service::DirectConnect,
                region: c.region.to_owned(),
                id: c.id.to_owned(),
                name: c.name.to_owned(),
                location: c.location.to_owned(),
                bandwidth: c.bandwidth.to_owned(),
                device: c.device.to_owned(),
                logical_redundancy: c.logical_redundancy,
                tags: None,
                created: 0,
                deleted: None,
            })
            .collect();
        DxWorld { connections, vifs }
    }
}

fn seeded_vif(connection: &seed::SeedConnection, v: &seed::SeedVif, account: &str) -> DxVif {
    let down_ms = |d: std::time::Duration| {
        u64::try_from(d.as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(super::clock::SEEDS_AGE_MS)
    };
    let octet = 4 * (v.vlan % 64);
    DxVif {
        service: Service::DirectConnect,
        region: connection.region.to_owned(),
        id: v.id.to_owned(),
        connection_id: v.connection_id.to_owned(),
        location: connection.location.to_owned(),
        owner_account: account.to_owned(),
        name: v.name.to_owned(),
        vlan: v.vlan,
        asn: 65000,
        auth_key: ids::random_base64ish(24),
        amazon_address: format!("169.254.{}.{}/30", v.vlan, octet + 1),
        customer_address: format!("169.254.{}.{}/30", v.vlan, octet + 2),
        address_family: "ipv4".to_owned(),
        mtu: 1500,
        virtual_gateway_id: Some(v.gateway.to_owned()),
        direct_connect_gateway_id: None,
        device: connection.device.to_owned(),
        tags: None,
        confirmed: Some(0),
        deleted: None,
        bgp_down_at: v.bgp_down_after.map(down_ms),
    }
}

/// The `i`th of the Seattle connection's many interfaces.
fn seattle_vif(i: i64) -> DxVif {
    let vlan = 100 + i;
    let seed = seed::SeedVif {
        id: "",
        connection_id: seed::SEATTLE.id,
        name: "",
        vlan,
        gateway: "vgw-09c8d7e6f5a4b3c21",
        bgp_down_after: None,
    };
    DxVif {
        id: format!("dxvif-sea{i:05}"),
        name: format!("seattle-{vlan}"),
        amazon_address: format!("169.254.{}.{}/30", 100 + i / 64, 4 * (i % 64) + 1),
        customer_address: format!("169.254.{}.{}/30", 100 + i / 64, 4 * (i % 64) + 2),
        ..seeded_vif(&seed::SEATTLE, &seed, seed::OWN_ACCOUNT)
    }
}

/// One call's context: which service and region, the time, the timings.
#[derive(Debug, Clone, Copy)]
pub struct DxCall<'a> {
    pub service: Service,
    pub region: &'a str,
    /// The caller's account: what it creates is owned by it, and errors name it.
    pub account: &'a str,
    pub now: Millis,
    pub timing: Timing,
}

impl DxCall<'_> {
    fn outscale(&self) -> bool {
        self.service == Service::DirectLink
    }
}

/// What AWS answers a caller whose policy does not allow the call.
fn access_denied(call: &DxCall<'_>, request: &DxRequest) -> Failure {
    Failure::new(
        400,
        "AccessDeniedException",
        format!(
            "User: arn:aws:iam::{}:user/sandbox is not authorized to perform: {}:{} in {}",
            call.account,
            call.service.sigv4_name().unwrap_or("directconnect"),
            request.operation().name(),
            call.region
        ),
    )
}

fn not_found_connection(id: &str) -> Failure {
    Failure::dx(format!("Connection {id} not found."))
}

fn not_found_vif(id: &str) -> Failure {
    Failure::dx(format!("Virtual interface {id} not found."))
}

/// The body's `requestId` (OUTSCALE) and the header's id are the same.
fn answer(call: &DxCall<'_>, mut body: Value) -> Answer {
    let id = ids::aws_request_id();
    if call.outscale()
        && let Value::Object(map) = &mut body
    {
        map.insert("requestId".to_owned(), Value::String(id.clone()));
    }
    Answer::ok(body).with_header("x-amzn-requestid", id)
}

/// OUTSCALE's dry run: the permission check passes, nothing changes, and the
/// answer holds only the request id.
fn dry_run(call: &DxCall<'_>) -> Answer {
    answer(call, json!({}))
}

fn set_nulls(value: &mut Value, fields: &[&str]) {
    if let Value::Object(map) = value {
        for f in fields {
            map.insert((*f).to_owned(), Value::Null);
        }
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

impl DxWorld {
    fn connection(&self, call: &DxCall<'_>, id: &str) -> Option<&DxConnection> {
        self.connections
            .iter()
            .find(|c| c.service == call.service && c.region == call.region && c.id == id)
    }

    fn vif_index(&self, call: &DxCall<'_>, id: &str) -> Option<usize> {
        self.vifs
            .iter()
            .position(|v| v.service == call.service && v.region == call.region && v.id == id)
    }

    fn connection_json(&self, call: &DxCall<'_>, c: &DxConnection) -> Value {
        let state = c.state(call.now, call.timing);
        let mut connection = Connection {
            owner_account: Some(call.account.to_owned()),
            connection_id: Some(c.id.clone()),
            connection_name: Some(c.name.clone()),
            connection_state: Some(state),
            region: Some(c.region.clone()),
            location: Some(c.location.clone()),
            bandwidth: Some(c.bandwidth.clone()),
            ..Connection::default()
        };
        if call.outscale() {
            let mut v = to_value(&connection);
            set_nulls(
                &mut v,
                &["awsDevice", "lagId", "loaIssueTime", "partnerName", "vlan"],
            );
            return v;
        }
        connection.aws_device = Some(c.device.clone());
        connection.aws_device_v2 = Some(c.device.clone());
        connection.aws_logical_device_id = Some(format!("{}-ld", c.device));
        connection.jumbo_frame_capable = Some(true);
        connection.has_logical_redundancy = Some(if c.logical_redundancy {
            HasLogicalRedundancy::Yes
        } else {
            HasLogicalRedundancy::No
        });
        connection.mac_sec_capable = Some(false);
        connection.encryption_mode = Some("no_encrypt".to_owned());
        connection.tags = c.tags.clone();
        to_value(&connection)
    }

    fn vif_json(&self, call: &DxCall<'_>, v: &DxVif) -> Value {
        let state = v.state(call.now, call.timing);
        let mut vif = VirtualInterface {
            owner_account: Some(v.owner_account.clone()),
            virtual_interface_id: Some(v.id.clone()),
            location: Some(v.location.clone()),
            connection_id: Some(v.connection_id.clone()),
            virtual_interface_type: Some("private".to_owned()),
            virtual_interface_name: Some(v.name.clone()),
            vlan: Some(v.vlan),
            asn: Some(v.asn),
            auth_key: Some(cloudlink_core::directconnect::Secret::new(
                v.auth_key.clone(),
            )),
            amazon_address: Some(v.amazon_address.clone()),
            customer_address: Some(v.customer_address.clone()),
            virtual_interface_state: Some(state.clone()),
            virtual_gateway_id: v.virtual_gateway_id.clone(),
            ..VirtualInterface::default()
        };
        if call.outscale() {
            return outscale_vif_json(&vif, v);
        }
        let bgp_up = v.bgp_up(call.now, call.timing);
        add_aws_vif_fields(&mut vif, v, state, bgp_up);
        to_value(&vif)
    }

    fn check_vlan_free(
        &self,
        call: &DxCall<'_>,
        connection_id: &str,
        vlan: i64,
    ) -> Result<(), Failure> {
        let taken = self.vifs.iter().any(|v| {
            v.service == call.service
                && v.connection_id == connection_id
                && v.vlan == vlan
                && v.state(call.now, call.timing) != VirtualInterfaceState::Deleted
        });
        if taken {
            return Err(Failure::dx(format!(
                "VLAN {vlan} is already in use on connection {connection_id}."
            )));
        }
        Ok(())
    }

    fn usable_connection(&self, call: &DxCall<'_>, id: &str) -> Result<&DxConnection, Failure> {
        let c = self
            .connection(call, id)
            .ok_or_else(|| not_found_connection(id))?;
        let state = c.state(call.now, call.timing);
        if matches!(state, ConnectionState::Deleting | ConnectionState::Deleted) {
            return Err(Failure::dx(format!(
                "Connection {id} is in the {state} state."
            )));
        }
        Ok(c)
    }

    /// The tags of the live connection or virtual interface an ARN names, in this service
    /// and region, owned by the ARN's account.
    fn tags_of(&mut self, call: &DxCall<'_>, arn: &str) -> Result<&mut Option<Vec<Tag>>, Failure> {
        let missing = || Failure::dx(format!("Resource {arn} not found."));
        let ResourceArn {
            region,
            account,
            kind,
            id,
        } = ResourceArn::parse(arn).map_err(|_| missing())?;
        if region != call.region {
            return Err(missing());
        }
        let (now, timing) = (call.now, call.timing);
        match kind {
            ArnKind::Connection => self
                .connections
                .iter_mut()
                .find(|c| {
                    c.service == call.service
                        && c.region == call.region
                        && c.id == id
                        && account == call.account
                        && c.state(now, timing) != ConnectionState::Deleted
                })
                .map(|c| &mut c.tags)
                .ok_or_else(missing),
            ArnKind::VirtualInterface => self
                .vifs
                .iter_mut()
                .find(|v| {
                    v.service == call.service
                        && v.region == call.region
                        && v.id == id
                        && v.owner_account == account
                        && v.state(now, timing) != VirtualInterfaceState::Deleted
                })
                .map(|v| &mut v.tags)
                .ok_or_else(missing),
            ArnKind::Lag => Err(missing()),
        }
    }

    /// Runs one Direct Connect / DirectLink operation: an OUTSCALE dry run
    /// (`dryRun: true`) is answered here, before any operation looks at it.
    pub fn call(&mut self, call: &DxCall<'_>, request: &DxRequest) -> Result<Answer, Failure> {
        if seed::ACCESS_DENIED_REGIONS.contains(&(call.service, call.region)) {
            return Err(access_denied(call, request));
        }
        if asks_dry_run(request) {
            return Ok(dry_run(call));
        }
        match request {
            DxRequest::TagResource(r) => self.tag_resource(call, r),
            DxRequest::UntagResource(r) => self.untag_resource(call, r),
            DxRequest::DescribeTags(r) => self.describe_tags(call, r),
            DxRequest::CreateConnection(r) => self.create_connection(call, r),
            DxRequest::DeleteConnection(r) => self.delete_connection(call, r),
            DxRequest::DescribeConnections(r) => self.describe_connections(call, r),
            DxRequest::DescribeLocations(_) => Ok(describe_locations(call)),
            DxRequest::DescribeVirtualGateways(_) => Ok(describe_virtual_gateways(call)),
            DxRequest::AllocatePrivateVirtualInterface(r) => self.allocate_vif(call, r),
            DxRequest::CreatePrivateVirtualInterface(r) => self.create_vif(call, r),
            DxRequest::ConfirmPrivateVirtualInterface(r) => self.confirm_vif(call, r),
            DxRequest::DeleteVirtualInterface(r) => self.delete_vif(call, r),
            DxRequest::DescribeVirtualInterfaces(r) => self.describe_vifs(call, r),
        }
    }

    // A key given twice never gets here: core's validation refuses it first.
    fn tag_resource(
        &mut self,
        call: &DxCall<'_>,
        r: &TagResourceRequest,
    ) -> Result<Answer, Failure> {
        let tags = self.tags_of(call, &r.resource_arn)?;
        let mut merged = tags.clone().unwrap_or_default();
        for tag in &r.tags {
            match merged.iter_mut().find(|t| t.key == tag.key) {
                Some(existing) => existing.value = tag.value.clone(),
                None => merged.push(tag.clone()),
            }
        }
        if merged.len() > cloudlink_core::directconnect::AWS_MAX_TAGS {
            return Err(Failure::new(
                400,
                "TooManyTagsException",
                format!(
                    "A resource can have at most {} tags.",
                    cloudlink_core::directconnect::AWS_MAX_TAGS
                ),
            ));
        }
        *tags = Some(merged);
        Ok(answer(call, json!({})))
    }

    fn untag_resource(
        &mut self,
        call: &DxCall<'_>,
        r: &UntagResourceRequest,
    ) -> Result<Answer, Failure> {
        let tags = self.tags_of(call, &r.resource_arn)?;
        if let Some(list) = tags.as_mut() {
            list.retain(|t| !r.tag_keys.contains(&t.key));
        }
        Ok(answer(call, json!({})))
    }

    fn describe_tags(
        &mut self,
        call: &DxCall<'_>,
        r: &DescribeTagsRequest,
    ) -> Result<Answer, Failure> {
        let mut resource_tags = Vec::new();
        for arn in &r.resource_arns {
            let tags = self.tags_of(call, arn)?.clone().unwrap_or_default();
            resource_tags.push(json!({ "resourceArn": arn, "tags": tags }));
        }
        Ok(answer(call, json!({ "resourceTags": resource_tags })))
    }

    fn create_connection(
        &mut self,
        call: &DxCall<'_>,
        r: &CreateConnectionRequest,
    ) -> Result<Answer, Failure> {
        let known = seed::locations(call.service)
            .iter()
            .any(|l| l.region == call.region && l.code == r.location);
        if !known {
            return Err(Failure::dx(format!(
                "Location {} is not valid in {}.",
                r.location, call.region
            )));
        }
        let connection = DxConnection {
            service: call.service,
            region: call.region.to_owned(),
            id: ids::connection_id(),
            name: r.connection_name.clone(),
            location: r.location.clone(),
            bandwidth: r.bandwidth.clone(),
            device: format!("{}-{}", r.location, ids::random_lower_alnum(13)),
            logical_redundancy: true,
            tags: r.tags.clone(),
            created: call.now,
            deleted: None,
        };
        let body = self.connection_json(call, &connection);
        self.connections.push(connection);
        Ok(answer(call, body))
    }

    fn delete_connection(
        &mut self,
        call: &DxCall<'_>,
        r: &DeleteConnectionRequest,
    ) -> Result<Answer, Failure> {
        let c = self
            .connection(call, &r.connection_id)
            .ok_or_else(|| not_found_connection(&r.connection_id))?;
        let live_vifs: Vec<&str> = self
            .vifs
            .iter()
            .filter(|v| {
                v.service == call.service
                    && v.connection_id == c.id
                    && v.state(call.now, call.timing) != VirtualInterfaceState::Deleted
            })
            .map(|v| v.id.as_str())
            .collect();
        if !live_vifs.is_empty() {
            return Err(Failure::dx(format!(
                "Connection {} has virtual interfaces ({}); delete them before deleting the connection.",
                c.id,
                live_vifs.join(", ")
            )));
        }
        let id = c.id.clone();
        if let Some(c) = self
            .connections
            .iter_mut()
            .find(|c| c.service == call.service && c.id == id)
        {
            c.deleted.get_or_insert(call.now);
        }
        let c = self
            .connection(call, &id)
            .ok_or_else(|| not_found_connection(&id))?;
        Ok(answer(call, self.connection_json(call, c)))
    }

    fn describe_connections(
        &self,
        call: &DxCall<'_>,
        r: &DescribeConnectionsRequest,
    ) -> Result<Answer, Failure> {
        let matching: Vec<&DxConnection> = self
            .connections
            .iter()
            .filter(|c| c.service == call.service && c.region == call.region)
            .filter(|c| r.connection_id.as_ref().is_none_or(|id| &c.id == id))
            .collect();
        if let Some(id) = &r.connection_id
            && matching.is_empty()
        {
            return Err(not_found_connection(id));
        }
        let page = Page::of(matching, r.max_results, r.next_token.as_deref())?;
        Ok(answer(
            call,
            page.body("connections", |c| self.connection_json(call, c)),
        ))
    }

    fn allocate_vif(
        &mut self,
        call: &DxCall<'_>,
        r: &AllocatePrivateVirtualInterfaceRequest,
    ) -> Result<Answer, Failure> {
        let Some(new) = &r.new_private_virtual_interface_allocation else {
            return Err(Failure::dx(
                "newPrivateVirtualInterfaceAllocation is required.",
            ));
        };
        let fields = VifFields {
            name: &new.virtual_interface_name,
            vlan: new.vlan.unwrap_or_default(),
            asn: new.asn_long.or(new.asn).unwrap_or_default(),
            auth_key: new.auth_key.as_ref().map(|k| k.expose().to_owned()),
            amazon_address: new.amazon_address.clone(),
            customer_address: new.customer_address.clone(),
            address_family: new.address_family.as_ref().map(ToString::to_string),
            mtu: new.mtu,
            tags: new.tags.clone(),
            virtual_gateway_id: None,
            direct_connect_gateway_id: None,
        };
        let new_vif = NewVif {
            connection_id: &r.connection_id,
            owner: &r.owner_account,
            fields,
            own: false,
        };
        self.add_vif(call, new_vif)
    }

    fn create_vif(
        &mut self,
        call: &DxCall<'_>,
        r: &CreatePrivateVirtualInterfaceRequest,
    ) -> Result<Answer, Failure> {
        let Some(new) = &r.new_private_virtual_interface else {
            return Err(Failure::dx("newPrivateVirtualInterface is required."));
        };
        if let Some(vgw) = &new.virtual_gateway_id {
            check_gateway(vgw)?;
        }
        let fields = VifFields {
            name: &new.virtual_interface_name,
            vlan: new.vlan.unwrap_or_default(),
            asn: new.asn_long.or(new.asn).unwrap_or_default(),
            auth_key: new.auth_key.as_ref().map(|k| k.expose().to_owned()),
            amazon_address: new.amazon_address.clone(),
            customer_address: new.customer_address.clone(),
            address_family: new.address_family.as_ref().map(ToString::to_string),
            mtu: new.mtu,
            tags: new.tags.clone(),
            virtual_gateway_id: new.virtual_gateway_id.clone(),
            direct_connect_gateway_id: new.direct_connect_gateway_id.clone(),
        };
        let new_vif = NewVif {
            connection_id: &r.connection_id,
            owner: call.account,
            fields,
            own: true,
        };
        self.add_vif(call, new_vif)
    }

    fn confirm_vif(
        &mut self,
        call: &DxCall<'_>,
        r: &ConfirmPrivateVirtualInterfaceRequest,
    ) -> Result<Answer, Failure> {
        let i = self
            .vif_index(call, &r.virtual_interface_id)
            .ok_or_else(|| not_found_vif(&r.virtual_interface_id))?;
        let state = self.vifs[i].state(call.now, call.timing);
        if state != VirtualInterfaceState::Confirming {
            return Err(Failure::dx(format!(
                "Virtual interface {} is in the {state} state, not confirming.",
                r.virtual_interface_id
            )));
        }
        if let Some(vgw) = &r.virtual_gateway_id {
            check_gateway(vgw)?;
        }
        let vif = &mut self.vifs[i];
        vif.confirmed = Some(call.now);
        vif.virtual_gateway_id = r.virtual_gateway_id.clone();
        vif.direct_connect_gateway_id = r.direct_connect_gateway_id.clone();
        let state = vif.state(call.now, call.timing);
        Ok(answer(call, json!({ "virtualInterfaceState": state })))
    }

    fn delete_vif(
        &mut self,
        call: &DxCall<'_>,
        r: &DeleteVirtualInterfaceRequest,
    ) -> Result<Answer, Failure> {
        let i = self
            .vif_index(call, &r.virtual_interface_id)
            .ok_or_else(|| not_found_vif(&r.virtual_interface_id))?;
        let vif = &mut self.vifs[i];
        vif.deleted.get_or_insert(call.now);
        let state = vif.state(call.now, call.timing);
        Ok(answer(call, json!({ "virtualInterfaceState": state })))
    }

    fn describe_vifs(
        &self,
        call: &DxCall<'_>,
        r: &DescribeVirtualInterfacesRequest,
    ) -> Result<Answer, Failure> {
        if let Some(id) = &r.connection_id
            && self.connection(call, id).is_none()
        {
            return Err(not_found_connection(id));
        }
        let matching: Vec<&DxVif> = self
            .vifs
            .iter()
            .filter(|v| v.service == call.service && v.region == call.region)
            .filter(|v| {
                r.connection_id
                    .as_ref()
                    .is_none_or(|id| &v.connection_id == id)
            })
            .filter(|v| r.virtual_interface_id.as_ref().is_none_or(|id| &v.id == id))
            .collect();
        if let Some(id) = &r.virtual_interface_id
            && matching.is_empty()
        {
            return Err(not_found_vif(id));
        }
        let page = Page::of(matching, r.max_results, r.next_token.as_deref())?;
        Ok(answer(
            call,
            page.body("virtualInterfaces", |v| self.vif_json(call, v)),
        ))
    }

    fn add_vif(&mut self, call: &DxCall<'_>, new: NewVif<'_>) -> Result<Answer, Failure> {
        let NewVif {
            connection_id,
            owner,
            fields: f,
            own,
        } = new;
        let c = self.usable_connection(call, connection_id)?;
        let (location, device) = (c.location.clone(), c.device.clone());
        self.check_vlan_free(call, connection_id, f.vlan)?;
        let octet = ids::random_u8() & 0xfc;
        let third = ids::random_u8();
        let vif = DxVif {
            service: call.service,
            region: call.region.to_owned(),
            id: ids::virtual_interface_id(),
            connection_id: connection_id.to_owned(),
            location,
            owner_account: owner.to_owned(),
            name: f.name.to_owned(),
            vlan: f.vlan,
            asn: f.asn,
            auth_key: f.auth_key.unwrap_or_else(|| ids::random_base64ish(24)),
            amazon_address: f
                .amazon_address
                .unwrap_or_else(|| format!("169.254.{third}.{}/30", octet + 1)),
            customer_address: f
                .customer_address
                .unwrap_or_else(|| format!("169.254.{third}.{}/30", octet + 2)),
            address_family: f.address_family.unwrap_or_else(|| "ipv4".to_owned()),
            mtu: f.mtu.unwrap_or(1500),
            virtual_gateway_id: f.virtual_gateway_id,
            direct_connect_gateway_id: f.direct_connect_gateway_id,
            device,
            tags: f.tags,
            confirmed: own.then_some(call.now),
            deleted: None,
            bgp_down_at: None,
        };
        let body = self.vif_json(call, &vif);
        self.vifs.push(vif);
        Ok(answer(call, body))
    }
}

/// A virtual interface to add: on which connection, for which account, and
/// whether the owner made it (it skips `confirming`) or allocated it to another.
struct NewVif<'a> {
    connection_id: &'a str,
    owner: &'a str,
    fields: VifFields<'a>,
    own: bool,
}

struct VifFields<'a> {
    name: &'a str,
    vlan: i64,
    asn: i64,
    auth_key: Option<String>,
    amazon_address: Option<String>,
    customer_address: Option<String>,
    address_family: Option<String>,
    mtu: Option<i64>,
    tags: Option<Vec<Tag>>,
    virtual_gateway_id: Option<String>,
    direct_connect_gateway_id: Option<String>,
}

/// OUTSCALE's virtual interface: `null` for each AWS field it does not support.
fn outscale_vif_json(vif: &VirtualInterface, v: &DxVif) -> Value {
    let mut value = to_value(vif);
    set_nulls(
        &mut value,
        &[
            "addressFamily",
            "amazonSideAsn",
            "bgpPeers",
            "customerRouterConfig",
            "directConnectGatewayId",
            "routeFilterPrefixes",
        ],
    );
    if v.virtual_gateway_id.is_none() {
        set_nulls(&mut value, &["virtualGatewayId"]);
    }
    value
}

/// The fields AWS adds to a virtual interface, its BGP peer included.
fn add_aws_vif_fields(
    vif: &mut VirtualInterface,
    v: &DxVif,
    state: VirtualInterfaceState,
    bgp_up: bool,
) {
    vif.address_family = Some(AddressFamily::from_wire(&v.address_family));
    vif.amazon_side_asn = Some(64512);
    vif.mtu = Some(v.mtu);
    vif.jumbo_frame_capable = Some(true);
    vif.direct_connect_gateway_id = v.direct_connect_gateway_id.clone();
    vif.region = Some(v.region.clone());
    vif.aws_device_v2 = Some(v.device.clone());
    vif.aws_logical_device_id = Some(format!("{}-ld", v.device));
    vif.site_link_enabled = Some(false);
    vif.route_filter_prefixes = Some(Vec::new());
    vif.customer_router_config = Some(String::new());
    vif.tags = v.tags.clone();
    vif.bgp_peers = Some(vec![bgp_peer(v, state, bgp_up)]);
}

/// The one BGP peer of a virtual interface, its state following the interface's.
fn bgp_peer(v: &DxVif, state: VirtualInterfaceState, up: bool) -> BgpPeer {
    let peer_state = match state {
        VirtualInterfaceState::Available => BgpPeerState::Available,
        VirtualInterfaceState::Deleting => BgpPeerState::Deleting,
        VirtualInterfaceState::Deleted => BgpPeerState::Deleted,
        VirtualInterfaceState::Confirming => BgpPeerState::Verifying,
        _ => BgpPeerState::Pending,
    };
    BgpPeer {
        bgp_peer_id: Some(format!("dxpeer-{}", &v.id[6..])),
        asn: Some(v.asn),
        auth_key: Some(cloudlink_core::directconnect::Secret::new(
            v.auth_key.clone(),
        )),
        address_family: Some(AddressFamily::from_wire(&v.address_family)),
        amazon_address: Some(v.amazon_address.clone()),
        customer_address: Some(v.customer_address.clone()),
        bgp_peer_state: Some(peer_state),
        bgp_status: Some(if up { BgpStatus::Up } else { BgpStatus::Down }),
        aws_device_v2: Some(v.device.clone()),
        aws_logical_device_id: Some(format!("{}-ld", v.device)),
        ..BgpPeer::default()
    }
}

/// Whether an operation that has OUTSCALE's `dryRun` asks for one.
fn asks_dry_run(request: &DxRequest) -> bool {
    let flag = match request {
        DxRequest::CreateConnection(r) => r.dry_run,
        DxRequest::DeleteConnection(r) => r.dry_run,
        DxRequest::DescribeConnections(r) => r.dry_run,
        DxRequest::DescribeLocations(r) => r.dry_run,
        DxRequest::DescribeVirtualGateways(r) => r.dry_run,
        DxRequest::AllocatePrivateVirtualInterface(r) => r.dry_run,
        DxRequest::CreatePrivateVirtualInterface(r) => r.dry_run,
        DxRequest::ConfirmPrivateVirtualInterface(r) => r.dry_run,
        DxRequest::DeleteVirtualInterface(r) => r.dry_run,
        DxRequest::DescribeVirtualInterfaces(r) => r.dry_run,
        DxRequest::TagResource(_) | DxRequest::UntagResource(_) | DxRequest::DescribeTags(_) => {
            None
        }
    };
    flag == Some(true)
}

/// `body` with `nextToken` when there is a next page.
/// The seeded locations of this service and region.
fn describe_locations(call: &DxCall<'_>) -> Answer {
    let speeds: &[&str] = if call.outscale() {
        cloudlink_core::directconnect::OUTSCALE_BANDWIDTHS
    } else {
        cloudlink_core::directconnect::AWS_DEDICATED_BANDWIDTHS
    };
    let list: Vec<Value> = seed::locations(call.service)
        .iter()
        .filter(|l| l.region == call.region)
        .map(|l| {
            if call.outscale() {
                json!({"locationCode": l.code, "locationName": l.name})
            } else {
                to_value(&Location {
                    location_code: Some(l.code.to_owned()),
                    location_name: Some(l.name.to_owned()),
                    region: Some(l.region.to_owned()),
                    available_port_speeds: Some(speeds.iter().map(|s| (*s).to_owned()).collect()),
                    available_providers: Some(Vec::new()),
                    available_mac_sec_port_speeds: Some(vec![
                        "10Gbps".to_owned(),
                        "100Gbps".to_owned(),
                    ]),
                    available_billing_modes: None,
                })
            }
        })
        .collect();
    answer(call, json!({ "locations": list }))
}

/// The seeded virtual gateways, all available.
fn describe_virtual_gateways(call: &DxCall<'_>) -> Answer {
    let list: Vec<Value> = seed::VIRTUAL_GATEWAYS
        .iter()
        .map(|id| {
            to_value(&VirtualGateway {
                virtual_gateway_id: Some((*id).to_owned()),
                virtual_gateway_state: Some(VirtualGatewayState::Available),
            })
        })
        .collect();
    answer(call, json!({ "virtualGateways": list }))
}

fn check_gateway(id: &str) -> Result<(), Failure> {
    if seed::VIRTUAL_GATEWAYS.contains(&id) {
        Ok(())
    } else {
        Err(Failure::dx(format!("Virtual gateway {id} does not exist.")))
    }
}

/// One page of a Describe answer. AWS pages hold at most 100; `nextToken` is the offset of
/// the next page.
struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

impl<T> Page<T> {
    fn of(items: Vec<T>, max: Option<i64>, token: Option<&str>) -> Result<Self, Failure> {
        let start = match token {
            None => 0,
            Some(t) => t
                .parse::<usize>()
                .map_err(|_| Failure::dx("The nextToken is not valid."))?,
        };
        let size = max.map_or(usize::MAX, |m| {
            usize::try_from(m.clamp(1, 100)).unwrap_or(100)
        });
        let total = items.len();
        let items: Vec<T> = items.into_iter().skip(start).take(size).collect();
        let next = (start.saturating_add(size) < total).then(|| (start + size).to_string());
        Ok(Page { items, next })
    }

    /// `{ list: [...], "nextToken": ... }`, each item shown by `show`.
    fn body(&self, list: &str, show: impl Fn(&T) -> Value) -> Value {
        let shown: Vec<Value> = self.items.iter().map(show).collect();
        let mut body = json!({ list: shown });
        if let Some(next) = &self.next {
            body["nextToken"] = Value::String(next.clone());
        }
        body
    }
}
