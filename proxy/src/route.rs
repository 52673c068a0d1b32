//! Which service, region and path an `/api/...` URL names.
//!
//! The raw (still percent-encoded) path is split here, before anything is
//! decoded, and the region is checked by `core`'s strict [`Region`] parser, so
//! no region, path or encoded character can change the host a call goes to.

use cloudlink_core::contract::API_PREFIX;
use cloudlink_core::{Region, Service};
use percent_encoding::percent_decode_str;

/// A parsed `/api/<provider>/<service>/<region>/<rest>` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoute {
    pub service: Service,
    pub region: Region,
    /// The path after the region, starting with `/`, percent-decoded.
    pub rest: String,
}

/// Why a path is not a forwarding route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// Not `/api/<provider>/<service>/...` for a known pair.
    UnknownService,
    /// The service is known; the region is not acceptable.
    BadRegion(Service),
    /// The service is known; the rest of the path is not acceptable.
    BadPath(Service, &'static str),
}

/// Parses a raw request path (as received, percent-encoded).
pub fn parse(raw_path: &str) -> Result<ApiRoute, RouteError> {
    let rest = raw_path
        .strip_prefix(API_PREFIX)
        .ok_or(RouteError::UnknownService)?;
    let mut parts = rest.splitn(4, '/');
    let provider = parts.next().unwrap_or_default();
    let service_name = parts.next().unwrap_or_default();
    let service = Service::from_route(provider, service_name).ok_or(RouteError::UnknownService)?;
    let region_raw = parts.next().unwrap_or_default();
    // The region must be plain: nothing encoded, nothing a host name would interpret.
    let region = Region::parse(region_raw).map_err(|_| RouteError::BadRegion(service))?;
    // botocore drops the trailing slash of an `endpoint_url` for the JSON
    // protocol's `POST /`, so `/api/aws/directconnect/us-east-1` means `/`.
    let json_protocol = matches!(service, Service::DirectConnect | Service::DirectLink);
    let tail = match parts.next() {
        Some(tail) => tail,
        None if json_protocol => "",
        None => {
            return Err(RouteError::BadPath(
                service,
                "missing path after the region",
            ));
        }
    };
    let mut decoded_segments = Vec::new();
    for segment in tail.split('/') {
        let decoded = percent_decode_str(segment)
            .decode_utf8()
            .map_err(|_| RouteError::BadPath(service, "path is not UTF-8"))?;
        // An encoded slash makes one raw segment several decoded ones (`%2F..` is `/..`),
        // so every part of the decoded segment is checked.
        let dot_segment = decoded.split('/').any(|part| part == "." || part == "..");
        if dot_segment || decoded.contains(['\\', '\0', '?', '#']) {
            return Err(RouteError::BadPath(
                service,
                "path may not contain dot segments or special characters",
            ));
        }
        decoded_segments.push(decoded.into_owned());
    }
    Ok(ApiRoute {
        service,
        region,
        rest: format!("/{}", decoded_segments.join("/")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_routes_parse() {
        let r = parse("/api/aws/directconnect/us-east-1/").unwrap();
        assert_eq!(
            (r.service, r.region.as_str(), r.rest.as_str()),
            (Service::DirectConnect, "us-east-1", "/")
        );
        let r = parse("/api/aws/outposts/eu-west-3/connections/abc%2Bdef%3D").unwrap();
        assert_eq!(r.rest, "/connections/abc+def=");
        let r = parse("/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections").unwrap();
        assert_eq!(r.rest, "/20160918/instanceConsoleConnections");
        let r = parse("/api/outscale/directlink/cloudgouv-eu-west-1/").unwrap();
        assert_eq!(r.service, Service::DirectLink);
    }

    #[test]
    fn json_protocol_roots_need_no_trailing_slash() {
        for (path, service) in [
            ("/api/aws/directconnect/us-east-1", Service::DirectConnect),
            ("/api/outscale/directlink/eu-west-2", Service::DirectLink),
        ] {
            let r = parse(path).unwrap();
            assert_eq!((r.service, r.rest.as_str()), (service, "/"), "{path}");
            assert_eq!(r, parse(&format!("{path}/")).unwrap());
        }
    }

    #[test]
    fn hostile_regions_and_paths_are_refused() {
        for region in [
            "us-east-1.evil.example",
            "us-east-1%2eevil",
            "..",
            "%2e%2e",
            "us-east-1@evil",
            "us-east-1%40evil",
            "us-east-1#x",
            "us-east-1%23",
            "us-éast-1",
            "",
            "US-EAST-1",
            "us-east-1:443",
        ] {
            let path = format!("/api/aws/directconnect/{region}/");
            assert_eq!(
                parse(&path),
                Err(RouteError::BadRegion(Service::DirectConnect)),
                "{region}"
            );
        }
        assert!(matches!(
            parse("/api/aws/outposts/us-east-1/connections/.."),
            Err(RouteError::BadPath(..))
        ));
        assert!(matches!(
            parse("/api/aws/outposts/us-east-1/connections/%2e%2e"),
            Err(RouteError::BadPath(..))
        ));
        assert!(matches!(
            parse("/api/aws/outposts/us-east-1"),
            Err(RouteError::BadPath(..))
        ));
        assert!(matches!(
            parse("/api/oci/core/us-ashburn-1"),
            Err(RouteError::BadPath(..))
        ));
        assert_eq!(
            parse("/api/aws/ec2/us-east-1/"),
            Err(RouteError::UnknownService)
        );
        assert_eq!(
            parse("/api/outscale/directconnect/us-east-1/"),
            Err(RouteError::UnknownService)
        );
    }

    /// Found by the `route` fuzz target: `%2F` made `/.` out of one raw segment, so the
    /// decoded rest held a dot segment.
    #[test]
    fn encoded_slash_cannot_hide_a_dot_segment() {
        for path in [
            "/api/aws/outposts/us-east-1/otions/%2F%2e",
            "/api/aws/outposts/us-east-1/connections/%2F..",
            "/api/aws/outposts/us-east-1/connections/a%2f..%2fb",
            "/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections/.%2F",
        ] {
            assert!(
                matches!(parse(path), Err(RouteError::BadPath(..))),
                "{path}"
            );
        }
        assert_eq!(
            parse("/api/aws/outposts/us-east-1/connections/a%2Fb")
                .unwrap()
                .rest,
            "/connections/a/b"
        );
    }
}
