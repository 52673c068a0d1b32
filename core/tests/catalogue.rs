//! The catalogue is the one table that routes a call and builds the request
//! to send: every row, read as an incoming call, must come back out with the
//! row's method, path and target.

use cloudlink_core::catalogue::{self, Method, OperationInfo};
use cloudlink_core::directconnect::DxRequest;
use cloudlink_core::oci::OciRequest;
use cloudlink_core::outposts::OutpostsRequest;
use cloudlink_core::{ApiRequest, CallError, IncomingCall, NotInCatalogue, Operation, Service};

/// An id with characters that must be encoded on the way out.
const ID: &str = "ocid1.instanceconsoleconnection.oc1.iad.a+b=";

/// Reads a row's own method and path as an incoming call, without validation.
fn read_row(info: &OperationInfo) -> ApiRequest {
    let path = info.path.replace("{id+}", ID).replace("{id}", ID);
    let headers = match info.target {
        Some(target) => vec![("X-Amz-Target".to_owned(), target.to_owned())],
        None => Vec::new(),
    };
    let call = IncomingCall {
        service: info.service,
        method: info.method,
        path: &path,
        query: None,
        headers: &headers,
        body: b"",
    };
    match info.service {
        Service::DirectConnect => {
            ApiRequest::DirectConnect(DxRequest::from_json(info.operation, call.body).unwrap())
        }
        Service::DirectLink => {
            ApiRequest::DirectLink(DxRequest::from_json(info.operation, call.body).unwrap())
        }
        Service::Outposts => ApiRequest::Outposts(OutpostsRequest::from_call(&call).unwrap()),
        Service::OciCore => ApiRequest::Oci(OciRequest::from_call(&call).unwrap()),
    }
}

#[test]
fn every_row_reads_back_to_its_own_method_path_and_target() {
    assert_eq!(catalogue::catalogue().len(), 29);
    for info in catalogue::catalogue() {
        let request = read_row(info);
        assert_eq!(request.operation(), info.operation, "{info:?}");
        assert_eq!(request.info(), Ok(*info));
        let http = request.to_http().unwrap();
        assert_eq!(http.method, info.method, "{}", info.name);
        let path = http.path_and_query.split('?').next().unwrap();
        let expected = info
            .path
            .replace("{id+}", "ocid1.instanceconsoleconnection.oc1.iad.a%2Bb%3D")
            .replace("{id}", "ocid1.instanceconsoleconnection.oc1.iad.a%2Bb%3D");
        assert_eq!(path, expected, "{}", info.name);
        assert_eq!(http.header("x-amz-target"), info.target, "{}", info.name);
        assert_eq!(info.name, info.operation.name());
        assert_eq!(catalogue::lookup(info.service, info.operation), Some(*info));
    }
}

#[test]
fn rows_are_unique_and_targets_name_their_operation() {
    let rows = catalogue::catalogue();
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            assert!(
                (a.service, a.operation) != (b.service, b.operation),
                "{a:?} twice"
            );
        }
        if let Some(target) = a.target {
            assert_eq!(target, format!("OvertureService.{}", a.name));
            assert_eq!((a.method, a.path), (Method::Post, "/"));
        }
    }
}

#[test]
fn an_operation_the_service_lacks_builds_nothing() {
    let tag = DxRequest::from_json(Operation::TagResource, b"{}").unwrap();
    let request = ApiRequest::DirectLink(tag);
    let missing = NotInCatalogue {
        service: Service::DirectLink,
        operation: Operation::TagResource,
    };
    assert_eq!(request.to_http(), Err(missing));
    assert_eq!(request.info(), Err(missing));
    assert_eq!(
        missing.to_string(),
        "directlink has no TagResource operation"
    );
}

#[test]
fn routes_outside_the_catalogue_are_not_forwarded() {
    let outside = [
        (Service::Outposts, Method::Delete, "/connections/abc"),
        (Service::Outposts, Method::Get, "/connections"),
        (
            Service::OciCore,
            Method::Delete,
            "/20160918/instanceConsoleConnections",
        ),
        (
            Service::OciCore,
            Method::Get,
            "/20160918/instanceConsoleConnections/a/b",
        ),
        (
            Service::OciCore,
            Method::Post,
            "/20160918/instanceConsoleConnections/x",
        ),
        (Service::OciCore, Method::Get, "/20160918/instances"),
    ];
    for (service, method, path) in outside {
        assert_eq!(catalogue::by_route(service, method, path), None, "{path}");
        let call = IncomingCall {
            service,
            method,
            path,
            query: None,
            headers: &[],
            body: b"",
        };
        assert!(
            matches!(ApiRequest::parse(&call), Err(CallError::NotForwarded(_))),
            "{method:?} {path}"
        );
    }
    // An Outposts connection id is base64, and may hold a slash.
    let (info, id) =
        catalogue::by_route(Service::Outposts, Method::Get, "/connections/ab/c=").unwrap();
    assert_eq!(
        (info.operation, id.as_deref()),
        (Operation::GetConnection, Some("ab/c="))
    );
}

#[test]
fn every_provider_refuses_a_json_array_body() {
    let cases = [
        (
            Service::DirectConnect,
            "/",
            Some("OvertureService.DescribeConnections"),
        ),
        (Service::Outposts, "/connections", None),
        (
            Service::OciCore,
            "/20160918/instanceConsoleConnections",
            None,
        ),
    ];
    for (service, path, target) in cases {
        let headers: Vec<(String, String)> = target
            .map(|t| vec![("x-amz-target".to_owned(), t.to_owned())])
            .unwrap_or_default();
        let call = IncomingCall {
            service,
            method: Method::Post,
            path,
            query: None,
            headers: &headers,
            body: br#"[{"a": 1}]"#,
        };
        assert_eq!(
            ApiRequest::parse(&call).unwrap_err(),
            CallError::Malformed("the body must be a JSON object".to_owned()),
            "{service}"
        );
    }
}
