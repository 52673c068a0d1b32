//! What exists in the fake cloud before anyone calls it: locations, virtual
//! gateways, accounts, Outpost assets, and an OCI compartment with instances.
//! Fixed values, so a user (or a test) can type them in every run.
//!
//! Origins: AWS location codes follow AWS's style (site operator, metro,
//! number: `EqDC2`, `CSVA1`); OUTSCALE's are the example of OUTSCALE's user
//! guide page "Getting Information About DirectLink Locations"; OUTSCALE
//! The regions served are those core lists (`cloudlink_core::regions`).
//! Regions without a seeded location answer an empty list.

use std::collections::BTreeMap;

use cloudlink_core::Service;
use cloudlink_core::contract::{DxSeeds, OciSeeds, OutpostsSeeds, SandboxSeeds, SeededInstance};

/// A place a connection can be ordered.
#[derive(Debug, Clone)]
pub struct SeedLocation {
    pub region: &'static str,
    pub code: &'static str,
    pub name: &'static str,
}

pub const AWS_LOCATIONS: &[SeedLocation] = &[
    SeedLocation {
        region: "us-east-1",
        code: "EqDC2",
        name: "Equinix DC1-DC6, DC10-DC11, Ashburn, VA",
    },
    SeedLocation {
        region: "us-east-1",
        code: "CSVA1",
        name: "CoreSite VA1, Reston, VA",
    },
    SeedLocation {
        region: "us-east-1",
        code: "EqNY5",
        name: "Equinix NY5, Secaucus, NJ",
    },
    SeedLocation {
        region: "us-west-2",
        code: "EqSE2",
        name: "Equinix SE2, Seattle, WA",
    },
    SeedLocation {
        region: "eu-west-1",
        code: "EirGB",
        name: "Eircom Clonshaugh, Dublin",
    },
    SeedLocation {
        region: "eu-west-3",
        code: "EqPA3",
        name: "Equinix PA3, Saint-Denis, France",
    },
    SeedLocation {
        region: "eu-central-1",
        code: "EqFA5",
        name: "Equinix FR5, Frankfurt",
    },
];

pub const OUTSCALE_LOCATIONS: &[SeedLocation] = &[
    SeedLocation {
        region: "eu-west-2",
        code: "PAR1",
        name: "Telehouse 3, France",
    },
    SeedLocation {
        region: "eu-west-2",
        code: "PAR4",
        name: "Equinix Pantin, France",
    },
];

/// Virtual private gateways, the same in every region.
pub const VIRTUAL_GATEWAYS: &[&str] = &["vgw-0a1b2c3d", "vgw-5e6f7a8b", "vgw-09c8d7e6f5a4b3c21"];

/// The account that owns everything the sandbox's keys create.
pub const OWN_ACCOUNT: &str = "111122223333";
/// A second account of the same user, to allocate virtual interfaces to and
/// confirm them from.
pub const OTHER_ACCOUNT: &str = "444455556666";

/// Outpost server asset ids that StartConnection accepts.
pub const OUTPOST_ASSETS: &[&str] = &["JQPR4ZK8T2", "JQPR7WN3D5", "MXHV2BC9L1"];

pub const OCI_COMPARTMENT: &str = "ocid1.compartment.oc1..aaaaaaaasandboxcompartment4cloudlinkdemo";
/// The region part of the seeded instances' OCIDs (Ashburn's region key).
pub const OCI_REGION_KEY: &str = "iad";

/// Seeded instances: OCID and display name, all running.
pub const OCI_INSTANCES: &[(&str, &str)] = &[
    ("ocid1.instance.oc1.iad.anuwcljtsandboxweb01", "web-01"),
    ("ocid1.instance.oc1.iad.anuwcljtsandboxdb01", "db-01"),
    ("ocid1.instance.oc1.iad.anuwcljtsandboxbastion", "bastion"),
];

pub fn locations(service: Service) -> &'static [SeedLocation] {
    match service {
        Service::DirectLink => OUTSCALE_LOCATIONS,
        _ => AWS_LOCATIONS,
    }
}

/// Whether the sandbox answers `service` in `region`: every region core's list knows for it
/// (`cloudlink_core::regions`), so a sweep of every region reaches each one; any other scope
/// is refused as the provider would refuse it.
pub fn serves(service: Service, region: &str) -> bool {
    cloudlink_core::regions::RegionList::of(service).knows(region)
}

/// What `GET /api/sandbox` lists.
pub fn seeds() -> SandboxSeeds {
    let dx = |service: Service| {
        let mut by_region: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for l in locations(service) {
            by_region
                .entry(l.region.to_owned())
                .or_default()
                .push(l.code.to_owned());
        }
        DxSeeds {
            locations: by_region,
            virtual_gateway_ids: VIRTUAL_GATEWAYS.iter().map(|&v| v.to_owned()).collect(),
            owner_account: OWN_ACCOUNT.to_owned(),
            allocation_owner_account: OTHER_ACCOUNT.to_owned(),
        }
    };
    SandboxSeeds {
        directconnect: dx(Service::DirectConnect),
        directlink: dx(Service::DirectLink),
        outposts: OutpostsSeeds {
            asset_ids: OUTPOST_ASSETS.iter().map(|&a| a.to_owned()).collect(),
        },
        oci_core: OciSeeds {
            compartment_id: OCI_COMPARTMENT.to_owned(),
            instances: OCI_INSTANCES
                .iter()
                .map(|&(id, name)| SeededInstance {
                    id: id.to_owned(),
                    display_name: name.to_owned(),
                })
                .collect(),
        },
    }
}

/// A link that exists before anyone calls: the estate the inventory shows. Seeded only in
/// regions the first-use flows leave alone (Direct Connect's us-east-1 and DirectLink's
/// eu-west-2 start empty, so a new user's first connection is the only one there).
#[derive(Debug, Clone, Copy)]
pub struct SeedConnection {
    pub region: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    pub location: &'static str,
    pub bandwidth: &'static str,
    pub device: &'static str,
    /// `hasLogicalRedundancy`: false shows the "no logical redundancy" hint.
    pub logical_redundancy: bool,
}

/// The Seattle connection, which carries more interfaces than one page holds.
pub const SEATTLE: SeedConnection = SeedConnection {
    region: "us-west-2",
    id: "dxcon-sea0001a",
    name: "seattle",
    location: "EqSE2",
    bandwidth: "1Gbps",
    device: "EqSE2-3bq9k1xz",
    logical_redundancy: false,
};

/// Two Dublin connections on one AWS device (a redundancy hint), and one in Seattle.
pub const SEEDED_CONNECTIONS: &[SeedConnection] = &[
    SeedConnection {
        region: "eu-west-1",
        id: "dxcon-dub0001a",
        name: "dublin-a",
        location: "EirGB",
        bandwidth: "10Gbps",
        device: "EirGB-26ztwq5y",
        logical_redundancy: true,
    },
    SeedConnection {
        region: "eu-west-1",
        id: "dxcon-dub0002b",
        name: "dublin-b",
        location: "EirGB",
        bandwidth: "10Gbps",
        device: "EirGB-26ztwq5y",
        logical_redundancy: true,
    },
    SEATTLE,
];

/// A private virtual interface that exists before anyone calls.
#[derive(Debug, Clone, Copy)]
pub struct SeedVif {
    pub id: &'static str,
    pub connection_id: &'static str,
    pub name: &'static str,
    pub vlan: i64,
    pub gateway: &'static str,
    /// Its BGP session goes down this long after the sandbox started (the interface stays
    /// `available`: "link up, BGP down").
    pub bgp_down_after: Option<std::time::Duration>,
}

/// How long the seeded interface `dxvif-dub0003c` keeps its BGP session up.
pub const BGP_DOWN_AFTER: std::time::Duration = std::time::Duration::from_secs(15);

/// Dublin: both connections serve `vgw-0a1b2c3d` from one location (a hint), and
/// `vgw-5e6f7a8b` is reached through dublin-a only, by an interface whose BGP goes down.
pub const SEEDED_VIFS: &[SeedVif] = &[
    SeedVif {
        id: "dxvif-dub0001a",
        connection_id: "dxcon-dub0001a",
        name: "dublin-a-prod",
        vlan: 10,
        gateway: "vgw-0a1b2c3d",
        bgp_down_after: None,
    },
    SeedVif {
        id: "dxvif-dub0002b",
        connection_id: "dxcon-dub0002b",
        name: "dublin-b-prod",
        vlan: 11,
        gateway: "vgw-0a1b2c3d",
        bgp_down_after: None,
    },
    SeedVif {
        id: "dxvif-dub0003c",
        connection_id: "dxcon-dub0001a",
        name: "dublin-a-staging",
        vlan: 12,
        gateway: "vgw-5e6f7a8b",
        bgp_down_after: Some(BGP_DOWN_AFTER),
    },
];

/// The account of the second AWS profile ([`crate::FakeCredentials::LAB_PROFILE`]).
pub const LAB_ACCOUNT: &str = "777788889999";

/// The second profile's estate: a Frankfurt connection, and one in Dublin next to the first
/// profile's (one region, two accounts).
pub const LAB_CONNECTIONS: &[SeedConnection] = &[
    SeedConnection {
        region: "eu-central-1",
        id: "dxcon-fra0001l",
        name: "lab-frankfurt",
        location: "EqFA5",
        bandwidth: "1Gbps",
        device: "EqFA5-1x7kq2mn",
        logical_redundancy: true,
    },
    SeedConnection {
        region: "eu-west-1",
        id: "dxcon-dub0009l",
        name: "lab-dublin",
        location: "EirGB",
        bandwidth: "500Mbps",
        device: "EirGB-3tk8v0pa",
        logical_redundancy: true,
    },
];

/// The second profile's interface: its gateway is reached through one connection (a hint).
pub const LAB_VIFS: &[SeedVif] = &[SeedVif {
    id: "dxvif-fra0001l",
    connection_id: "dxcon-fra0001l",
    name: "lab-frankfurt-test",
    vlan: 20,
    gateway: "vgw-09c8d7e6f5a4b3c21",
    bgp_down_after: None,
}];

/// Interfaces on the Seattle connection: more than one page of Direct Connect's 100, so a
/// list must follow `nextToken` to see them all.
pub const SEATTLE_VIFS: i64 = 120;

/// Where the sandbox's keys are refused as an account without Direct Connect access is
/// (`AccessDeniedException`), so a sweep shows a failing region among working ones.
pub const ACCESS_DENIED_REGIONS: &[(Service, &str)] = &[(Service::DirectConnect, "ap-southeast-2")];
