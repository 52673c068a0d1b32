//! Reading providers' error answers and request ids (core/src/wire.rs).

use cloudlink_core::Provider;
use cloudlink_core::wire::{
    ProviderError, aws_error_code, parse_error, parse_response, request_id,
};
use serde_json::json;

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn aws_error_code_spellings() {
    let cases = [
        (
            "DirectConnectClientException",
            "DirectConnectClientException",
        ),
        (
            "com.amazonaws.directconnect#DirectConnectClientException",
            "DirectConnectClientException",
        ),
        (
            "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "ValidationException",
        ),
        (
            "com.amazonaws.outposts#NotFoundException:http://internal.amazon.com/coral/com.amazonaws.outposts/",
            "NotFoundException",
        ),
        (" AccessDeniedException ", "AccessDeniedException"),
        ("", ""),
    ];
    for (raw, code) in cases {
        assert_eq!(aws_error_code(raw), code, "{raw}");
    }
}

#[test]
fn aws_type_in_the_body() {
    let cases = [
        (
            json!({"__type": "DirectConnectClientException", "message": "m"}),
            "DirectConnectClientException",
        ),
        (
            json!({"__type": "com.amazonaws.directconnect#DirectConnectServerException", "message": "m"}),
            "DirectConnectServerException",
        ),
        (
            json!({"__type": "ValidationException:http://internal.amazon.com/coral/x/", "message": "m"}),
            "ValidationException",
        ),
        (
            json!({"code": "ThrottlingException", "message": "m"}),
            "ThrottlingException",
        ),
        (
            json!({"Code": "ThrottlingException", "message": "m"}),
            "ThrottlingException",
        ),
    ];
    for (body, code) in cases {
        let bytes = serde_json::to_vec(&body).unwrap();
        for provider in [Provider::Aws, Provider::Outscale] {
            let e = parse_error(provider, 400, &[], &bytes);
            assert_eq!(e.code, code, "{body}");
            assert_eq!(e.message, "m", "{body}");
            assert_eq!(e.status, 400);
        }
    }
}

#[test]
fn the_error_type_header_wins_over_the_body() {
    let body = serde_json::to_vec(&json!({"__type": "FromBody", "message": "m"})).unwrap();
    let cases = [
        (
            vec![("x-amzn-ErrorType", "ValidationException")],
            "ValidationException",
        ),
        (
            vec![(
                "X-Amzn-Errortype",
                "ValidationException:http://internal.amazon.com/coral/x/",
            )],
            "ValidationException",
        ),
        (
            vec![(
                "x-amzn-errortype",
                "com.amazonaws.outposts#NotFoundException",
            )],
            "NotFoundException",
        ),
        (vec![("x-amzn-ErrorType", "")], "FromBody"),
        (vec![], "FromBody"),
    ];
    for (pairs, code) in cases {
        let e = parse_error(Provider::Aws, 404, &headers(&pairs), &body);
        assert_eq!(e.code, code, "{pairs:?}");
    }
    // restJson1 errors (Outposts) may have only the header and a message.
    let e = parse_error(
        Provider::Aws,
        403,
        &headers(&[("x-amzn-ErrorType", "AccessDeniedException")]),
        br#"{"Message": "not allowed"}"#,
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("AccessDeniedException", "not allowed")
    );
}

#[test]
fn message_spellings() {
    let cases = [
        (json!({"__type": "X", "message": "lower"}), "lower"),
        (json!({"__type": "X", "Message": "upper"}), "upper"),
        (
            json!({"__type": "X", "errorMessage": "error message"}),
            "error message",
        ),
    ];
    for (body, message) in cases {
        let e = parse_error(Provider::Aws, 400, &[], &serde_json::to_vec(&body).unwrap());
        assert_eq!(e.message, message, "{body}");
        assert_eq!(e.code, "X");
    }
}

#[test]
fn oci_code_and_message() {
    let body = br#"{"code": "NotAuthorizedOrNotFound", "message": "Authorization failed or requested resource not found."}"#;
    let h = headers(&[
        ("opc-request-id", "ABC/DEF/123"),
        ("x-amzn-RequestId", "aws-id"),
    ]);
    let e = parse_error(Provider::Oci, 404, &h, body);
    assert_eq!(
        e,
        ProviderError {
            status: 404,
            code: "NotAuthorizedOrNotFound".to_owned(),
            message: "Authorization failed or requested resource not found.".to_owned(),
            request_id: Some("ABC/DEF/123".to_owned()),
            field_errors: Vec::new(),
        }
    );
    // OCI's code is read from `code` only, never from an AWS header.
    let h = headers(&[("x-amzn-ErrorType", "ValidationException")]);
    let e = parse_error(
        Provider::Oci,
        400,
        &h,
        br#"{"code": "InvalidParameter", "message": "m"}"#,
    );
    assert_eq!(e.code, "InvalidParameter");
}

#[test]
fn request_ids_by_provider() {
    let cases = [
        (Provider::Aws, vec![("x-amzn-RequestId", "a1")], Some("a1")),
        (Provider::Aws, vec![("X-AMZ-REQUEST-ID", "a2")], Some("a2")),
        (
            Provider::Outscale,
            vec![("x-amzn-requestid", "o1")],
            Some("o1"),
        ),
        (Provider::Aws, vec![("opc-request-id", "oci")], None),
        (Provider::Oci, vec![("OPC-Request-Id", "oci")], Some("oci")),
        (Provider::Oci, vec![("x-amzn-RequestId", "a1")], None),
        (Provider::Aws, vec![], None),
    ];
    for (provider, pairs, expected) in cases {
        assert_eq!(
            request_id(provider, &headers(&pairs)).as_deref(),
            expected,
            "{provider:?} {pairs:?}"
        );
    }
    let e = parse_error(
        Provider::Aws,
        500,
        &headers(&[("x-amzn-RequestId", "r-1")]),
        b"{}",
    );
    assert_eq!(e.request_id.as_deref(), Some("r-1"));
    assert_eq!(e.to_string(), "Http500 (500): {} [request id r-1]");
}

#[test]
fn bodies_that_are_not_json_still_give_an_error() {
    let html = format!("<html>{}</html>", "x".repeat(300));
    let cases: Vec<(Provider, u16, Vec<u8>, &str, String)> = vec![
        (
            Provider::Aws,
            502,
            html.clone().into_bytes(),
            "Http502",
            html.chars().take(200).collect(),
        ),
        (
            Provider::Oci,
            503,
            b"Service Unavailable".to_vec(),
            "Http503",
            "Service Unavailable".to_owned(),
        ),
        (
            Provider::Aws,
            500,
            Vec::new(),
            "Http500",
            "no error message in the response".to_owned(),
        ),
        (
            Provider::Oci,
            500,
            b"  \n".to_vec(),
            "Http500",
            "no error message in the response".to_owned(),
        ),
    ];
    for (provider, status, body, code, message) in cases {
        let e = parse_error(provider, status, &[], &body);
        assert_eq!((e.status, e.code.as_str()), (status, code));
        assert_eq!(e.message, message);
    }
}

#[test]
fn field_errors_from_the_proxy_are_kept() {
    let body = json!({
        "__type": "ValidationException",
        "message": "1 invalid field(s)",
        "fieldErrors": [{"field": "vlan", "message": "must be between 1 and 4094, not 0"}]
    });
    let e = parse_error(Provider::Aws, 400, &[], &serde_json::to_vec(&body).unwrap());
    assert_eq!(e.field_errors.len(), 1);
    assert_eq!(e.field_errors[0].field, "vlan");
    let oci = json!({"code": "InvalidParameter", "message": "m", "fieldErrors": [{"field": "publicKey", "message": "is required"}]});
    let e = parse_error(Provider::Oci, 400, &[], &serde_json::to_vec(&oci).unwrap());
    assert_eq!(e.field_errors[0].field, "publicKey");
}

#[test]
fn parse_response_reads_success_and_errors() {
    let ok: Result<serde_json::Value, _> = parse_response(Provider::Aws, 200, &[], br#"{"a": 1}"#);
    assert_eq!(ok.unwrap(), json!({"a": 1}));

    let empty: Result<Option<serde_json::Value>, _> = parse_response(Provider::Oci, 204, &[], b"");
    assert_eq!(empty.unwrap(), None);

    let err: Result<serde_json::Value, _> = parse_response(
        Provider::Oci,
        409,
        &headers(&[("opc-request-id", "r")]),
        br#"{"code": "Conflict", "message": "m"}"#,
    );
    let err = err.unwrap_err();
    assert_eq!(
        (err.status, err.code.as_str(), err.request_id.as_deref()),
        (409, "Conflict", Some("r"))
    );

    let redirect: Result<serde_json::Value, _> = parse_response(Provider::Aws, 301, &[], b"");
    assert_eq!(redirect.unwrap_err().code, "Http301");

    let garbled: Result<Vec<u32>, _> = parse_response(
        Provider::Aws,
        200,
        &headers(&[("x-amzn-RequestId", "g")]),
        b"{not json",
    );
    let garbled = garbled.unwrap_err();
    assert_eq!(
        (garbled.code.as_str(), garbled.status),
        ("InvalidResponse", 200)
    );
    assert_eq!(garbled.request_id.as_deref(), Some("g"));
}

proptest::proptest! {
    #[test]
    fn parse_error_never_panics(
        status in 300u16..600,
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
        error_type in proptest::option::of("\\PC{0,60}"),
        oci in proptest::bool::ANY,
    ) {
        let h: Vec<(String, String)> = error_type.into_iter().map(|t| ("x-amzn-ErrorType".to_owned(), t)).collect();
        let provider = if oci { Provider::Oci } else { Provider::Aws };
        let e = parse_error(provider, status, &h, &body);
        proptest::prop_assert_eq!(e.status, status);
        proptest::prop_assert!(!e.code.is_empty() || !oci);
    }
}

#[test]
fn bodies_with_two_spellings_of_a_member_still_parse() {
    use cloudlink_core::Provider;
    let body = br#"{"__type":"com.amazonaws.directconnect#DirectConnectClientException","code":"Other","message":"first","Message":"second"}"#;
    let e = cloudlink_core::wire::parse_error(Provider::Aws, 400, &[], body);
    assert_eq!(e.code, "DirectConnectClientException");
    assert_eq!(e.message, "first");
}
