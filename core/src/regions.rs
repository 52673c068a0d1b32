//! The regions each service is offered in, kept as data.
//!
//! The console offers these in its region picker and sweeps them for the estate-wide
//! inventory without asking a provider first (none of the four APIs lists its own regions).
//! A region missing here is still usable: the picker accepts any name [`Region::parse`]
//! accepts, so a region launched after this list was written works at once.
//!
//! Each list says where it comes from ([`RegionList::source`]); refresh them from the same
//! source.

use crate::catalogue::{Region, Service};

/// The regions of one service, and where the list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionList {
    pub service: Service,
    /// The regions a sweep of "every region" covers: the provider's commercial realm,
    /// which one set of credentials reaches.
    pub regions: &'static [&'static str],
    /// Regions of other partitions or realms (GovCloud, China, isolated realms): offered in
    /// the picker, never swept by default, as they need their own credentials.
    pub other_partitions: &'static [&'static str],
    /// Where the list comes from.
    pub source: &'static str,
}

const DIRECT_CONNECT: RegionList = RegionList {
    service: Service::DirectConnect,
    regions: &[
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ],
    other_partitions: &[
        "cn-north-1",
        "cn-northwest-1",
        "us-gov-east-1",
        "us-gov-west-1",
    ],
    source: "botocore 1.44.5 data/endpoints.json, service directconnect (FIPS endpoints left out)",
};

const DIRECT_LINK: RegionList = RegionList {
    service: Service::DirectLink,
    regions: &["eu-west-2", "us-east-2"],
    other_partitions: &["cloudgouv-eu-west-1"],
    source: "OUTSCALE DirectLink API reference, Endpoints (cloudgouv-eu-west-1 is the sovereign cloud)",
};

const OUTPOSTS: RegionList = RegionList {
    service: Service::Outposts,
    regions: &[
        "af-south-1",
        "ap-east-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ca-central-1",
        "eu-central-1",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ],
    other_partitions: &["us-gov-east-1", "us-gov-west-1"],
    source: "botocore 1.44.5 data/endpoints.json, service outposts (FIPS endpoints left out)",
};

const OCI_CORE: RegionList = RegionList {
    service: Service::OciCore,
    regions: &[
        "af-casablanca-1",
        "af-johannesburg-1",
        "ap-batam-1",
        "ap-chuncheon-1",
        "ap-delhi-1",
        "ap-hyderabad-1",
        "ap-kulai-2",
        "ap-melbourne-1",
        "ap-mumbai-1",
        "ap-osaka-1",
        "ap-seoul-1",
        "ap-singapore-1",
        "ap-singapore-2",
        "ap-sydney-1",
        "ap-tokyo-1",
        "ca-montreal-1",
        "ca-toronto-1",
        "eu-amsterdam-1",
        "eu-frankfurt-1",
        "eu-madrid-1",
        "eu-madrid-3",
        "eu-marseille-1",
        "eu-milan-1",
        "eu-paris-1",
        "eu-stockholm-1",
        "eu-turin-1",
        "eu-zurich-1",
        "il-jerusalem-1",
        "me-abudhabi-1",
        "me-dubai-1",
        "me-jeddah-1",
        "me-riyadh-1",
        "mx-monterrey-1",
        "mx-queretaro-1",
        "sa-bogota-1",
        "sa-santiago-1",
        "sa-saopaulo-1",
        "sa-valparaiso-1",
        "sa-vinhedo-1",
        "uk-cardiff-1",
        "uk-london-1",
        "us-ashburn-1",
        "us-chicago-1",
        "us-phoenix-1",
        "us-saltlake-2",
        "us-sanjose-1",
    ],
    other_partitions: &[],
    source: "OCI Python SDK 2.189.0 oci/regions_definitions.py, realm oc1 (the commercial realm)",
};

impl RegionList {
    /// The list of `service`.
    pub const fn of(service: Service) -> &'static RegionList {
        match service {
            Service::DirectConnect => &DIRECT_CONNECT,
            Service::DirectLink => &DIRECT_LINK,
            Service::Outposts => &OUTPOSTS,
            Service::OciCore => &OCI_CORE,
        }
    }

    /// Every region the picker offers: the swept ones, then the other partitions'.
    pub fn all(&self) -> impl Iterator<Item = &'static str> {
        self.regions.iter().chain(self.other_partitions).copied()
    }

    /// Whether `region` is one this list knows (of any partition).
    pub fn knows(&self, region: &str) -> bool {
        self.all().any(|r| r == region)
    }
}

/// The regions a sweep covers when the user picked none: every swept region of the service.
pub fn default_sweep(service: Service) -> Vec<Region> {
    RegionList::of(service)
        .regions
        .iter()
        .filter_map(|r| Region::parse(r).ok())
        .collect()
}

/// A region the user typed: any name the region rule accepts, known or not.
pub fn pick(service: Service, typed: &str) -> Result<Picked, crate::catalogue::InvalidRegion> {
    let region = Region::parse(typed.trim())?;
    let known = RegionList::of(service).knows(region.as_str());
    Ok(Picked { region, known })
}

/// A region picked in the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub region: Region,
    /// False for a name this list does not hold (a new region, or a typo the user may want
    /// to look at again): the console says so but still uses it.
    pub known: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_region_passes_the_region_rule_and_appears_once() {
        for service in Service::ALL {
            let list = RegionList::of(service);
            assert_eq!(list.service, service);
            let all: Vec<&str> = list.all().collect();
            for r in &all {
                assert!(Region::parse(r).is_ok(), "{service}: {r}");
            }
            let mut sorted = all.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), all.len(), "{service} lists a region twice");
            assert!(
                list.regions.contains(&service.default_region()),
                "{service}'s default region is swept"
            );
            assert_eq!(default_sweep(service).len(), list.regions.len());
        }
    }

    #[test]
    fn other_partitions_are_offered_but_not_swept() {
        let dx = RegionList::of(Service::DirectConnect);
        assert!(dx.knows("us-gov-west-1"));
        let swept = default_sweep(Service::DirectConnect);
        assert!(!swept.iter().any(|r| r.as_str() == "us-gov-west-1"));
        assert!(swept.iter().any(|r| r.as_str() == "eu-west-1"));
        let dl = default_sweep(Service::DirectLink);
        assert!(!dl.iter().any(|r| r.as_str() == "cloudgouv-eu-west-1"));
    }

    #[test]
    fn a_typed_region_is_checked_and_may_be_new() {
        let known = pick(Service::OciCore, " eu-frankfurt-1 ").unwrap();
        assert_eq!(known.region.as_str(), "eu-frankfurt-1");
        assert!(known.known);
        let new = pick(Service::DirectConnect, "eu-east-9").unwrap();
        assert!(!new.known, "a region launched later is still usable");
        assert!(pick(Service::DirectConnect, "eu.west-1").is_err());
        assert!(pick(Service::DirectConnect, "").is_err());
        // A region of another provider reads as unknown, not refused.
        assert!(!pick(Service::DirectConnect, "us-ashburn-1").unwrap().known);
    }
}
