//! Where the console sends a typed request: the proxy route of its service
//! and region, with the headers the proxy asks of a browser.

use cloudlink_core::catalogue::Method;
use cloudlink_core::contract::{CSRF_HEADER, PROFILE_HEADER};
use cloudlink_core::{ApiRequest, NotInCatalogue};

/// Everything needed to make one `fetch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchSpec {
    pub method: Method,
    /// Same-origin path and query.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// The base path from the meta tag's content: `""` at the root, else
/// `/prefix` without a trailing slash. Anything that is not a plain absolute
/// path (no tag, a full URL, `//host`) means the root, so the console never
/// sends its calls to another origin.
pub fn base_path_from_meta(content: Option<&str>) -> String {
    let Some(content) = content.map(str::trim) else {
        return String::new();
    };
    let plain = content.starts_with('/')
        && !content.starts_with("//")
        && !content.contains(['\\', ':', '?', '#'])
        && !content.split('/').any(|s| s == "." || s == "..");
    if plain {
        content.trim_end_matches('/').to_owned()
    } else {
        String::new()
    }
}

/// A same-origin path of the proxy (`/api/...`) under the base path.
pub fn under_base(base_path: &str, path: &str) -> String {
    format!("{base_path}{path}")
}

/// The call for `request` as core serializes it, sent to the proxy; nothing
/// for an operation its service does not have.
pub fn fetch_spec(
    request: &ApiRequest,
    region: &str,
    profile: Option<&str>,
) -> Result<FetchSpec, NotInCatalogue> {
    let http = request.to_http()?;
    let mut headers = http.headers.clone();
    if http.method != Method::Get {
        headers.push((CSRF_HEADER.to_owned(), "1".to_owned()));
    }
    if let Some(p) = profile.map(str::trim).filter(|p| !p.is_empty()) {
        headers.push((PROFILE_HEADER.to_owned(), p.to_owned()));
    }
    let body = if http.method == Method::Get {
        None
    } else {
        Some(http.body)
    };
    Ok(FetchSpec {
        method: http.method,
        url: format!(
            "{}{}",
            request.service().route_root(region),
            http.path_and_query
        ),
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use cloudlink_core::directconnect::{DescribeConnectionsRequest, DxRequest};
    use cloudlink_core::oci::{
        CreateInstanceConsoleConnectionRequest, DeleteInstanceConsoleConnectionRequest, OciRequest,
    };
    use cloudlink_core::outposts::{GetConnectionRequest, OutpostsRequest};

    use super::*;

    #[test]
    fn direct_connect_posts_to_the_service_root_with_its_target() {
        let request = ApiRequest::DirectConnect(DxRequest::DescribeConnections(
            DescribeConnectionsRequest::default(),
        ));
        let spec = fetch_spec(&request, "eu-west-1", Some("prod")).unwrap();
        assert_eq!(spec.url, "/api/aws/directconnect/eu-west-1/");
        assert_eq!(spec.method, Method::Post);
        assert!(spec.headers.contains(&(
            "x-amz-target".into(),
            "OvertureService.DescribeConnections".into()
        )));
        assert!(spec.headers.contains(&(CSRF_HEADER.into(), "1".into())));
        assert!(
            spec.headers
                .contains(&(PROFILE_HEADER.into(), "prod".into()))
        );
        assert_eq!(spec.body.as_deref(), Some(&b"{}"[..]));
    }

    #[test]
    fn directlink_goes_to_the_outscale_route() {
        let request = ApiRequest::DirectLink(DxRequest::DescribeConnections(
            DescribeConnectionsRequest::default(),
        ));
        assert_eq!(
            fetch_spec(&request, "eu-west-2", None).unwrap().url,
            "/api/outscale/directlink/eu-west-2/"
        );
    }

    #[test]
    fn gets_carry_no_body_and_no_csrf_header() {
        let request = ApiRequest::Outposts(OutpostsRequest::GetConnection(GetConnectionRequest {
            connection_id: "abc/def=".into(),
        }));
        let spec = fetch_spec(&request, "us-east-1", Some("  ")).unwrap();
        assert_eq!(spec.method, Method::Get);
        assert_eq!(
            spec.url,
            "/api/aws/outposts/us-east-1/connections/abc%2Fdef%3D"
        );
        assert!(spec.body.is_none());
        assert!(
            spec.headers
                .iter()
                .all(|(k, _)| k != CSRF_HEADER && k != PROFILE_HEADER)
        );
    }

    #[test]
    fn oci_create_keeps_its_retry_token_and_delete_needs_csrf() {
        let create = CreateInstanceConsoleConnectionRequest {
            retry_token: Some("cloudlink-00ff".into()),
            ..CreateInstanceConsoleConnectionRequest::default()
        };
        let spec = fetch_spec(
            &ApiRequest::Oci(OciRequest::Create(create)),
            "us-ashburn-1",
            None,
        )
        .unwrap();
        assert_eq!(
            spec.url,
            "/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections"
        );
        assert!(
            spec.headers
                .contains(&("opc-retry-token".into(), "cloudlink-00ff".into()))
        );
        let delete = DeleteInstanceConsoleConnectionRequest {
            instance_console_connection_id: "ocid1.instanceconsoleconnection.oc1.iad.abc".into(),
            if_match: None,
        };
        let spec = fetch_spec(
            &ApiRequest::Oci(OciRequest::Delete(delete)),
            "us-ashburn-1",
            None,
        )
        .unwrap();
        assert_eq!(spec.method, Method::Delete);
        assert!(spec.headers.contains(&(CSRF_HEADER.into(), "1".into())));
    }
}

#[cfg(test)]
mod base_path_tests {
    use super::{base_path_from_meta, under_base};

    #[test]
    fn base_path_comes_from_the_meta_tag() {
        assert_eq!(base_path_from_meta(None), "");
        assert_eq!(base_path_from_meta(Some("/")), "");
        assert_eq!(base_path_from_meta(Some("/cloudlink/")), "/cloudlink");
        assert_eq!(base_path_from_meta(Some(" /a/b ")), "/a/b");
        for hostile in [
            "//evil.example/",
            "https://evil.example/",
            "cloudlink/",
            "/a/../b/",
            "/a?x",
            "/\\evil",
        ] {
            assert_eq!(base_path_from_meta(Some(hostile)), "", "{hostile}");
        }
        assert_eq!(
            under_base("/cloudlink", "/api/aws/directconnect/us-east-1/"),
            "/cloudlink/api/aws/directconnect/us-east-1/"
        );
        assert_eq!(under_base("", "/api/session"), "/api/session");
    }
}
