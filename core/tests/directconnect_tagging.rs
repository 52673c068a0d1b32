//! TagResource, UntagResource and DescribeTags: AWS only, resources named by ARN, tags under
//! the same rules as at creation.

use cloudlink_core::catalogue::{self, Access, Service};
use cloudlink_core::directconnect::{DxRequest, check_arn, partition, resource_arn};
use cloudlink_core::validate::FieldError;
use cloudlink_core::{Operation, Provider, Rule};
use serde_json::{Value, json};

const ARN: &str = "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fg5678gh";

fn validate(provider: Provider, operation: Operation, body: Value) -> Result<(), Vec<FieldError>> {
    DxRequest::from_json(operation, body.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{operation} body should parse: {e}: {body}"))
        .validate(provider)
        .map_err(|e| e.into_errors())
}

fn arn_rule() -> Rule {
    check_arn("not an arn").expect_err("not an arn")
}

#[test]
fn arns_of_connections_lags_and_interfaces_are_accepted() {
    for arn in [
        ARN,
        "arn:aws:directconnect:eu-west-3:123456789012:dxlag/dxlag-ffrz71kw",
        "arn:aws:directconnect:ap-southeast-2:123456789012:dxvif/dxvif-fgh0hcrk",
        "arn:aws-us-gov:directconnect:us-gov-west-1:123456789012:dxcon/dxcon-fg5678gh",
        "arn:aws-cn:directconnect:cn-north-1:123456789012:dxcon/dxcon-fg5678gh",
    ] {
        assert_eq!(check_arn(arn), Ok(()), "{arn}");
    }
}

#[test]
fn malformed_arns_are_refused() {
    for arn in [
        "",
        "dxcon-fg5678gh",
        "arn:aws:ec2:us-east-1:123456789012:dxcon/dxcon-fg5678gh",
        "arn:azure:directconnect:us-east-1:123456789012:dxcon/dxcon-fg5678gh",
        "arn:aws:directconnect:us-east-1.evil.example:123456789012:dxcon/dxcon-fg5678gh",
        "arn:aws:directconnect:us-east-1:12345678901:dxcon/dxcon-fg5678gh",
        "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxvif-fgh0hcrk",
        "arn:aws:directconnect:us-east-1:123456789012:dxgw/dxcon-fg5678gh",
        "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-FG5678GH",
        "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fg5678gh:extra",
        "arn:aws:directconnect:us-east-1:123456789012:dxcon-fg5678gh",
    ] {
        assert!(check_arn(arn).is_err(), "{arn:?} should be refused");
    }
}

#[test]
fn resource_arn_builds_what_check_arn_accepts() {
    let cases = [
        ("us-east-1", "dxcon-fg5678gh", ARN),
        (
            "us-gov-east-1",
            "dxvif-fgh0hcrk",
            "arn:aws-us-gov:directconnect:us-gov-east-1:123456789012:dxvif/dxvif-fgh0hcrk",
        ),
        (
            "cn-northwest-1",
            "dxlag-ffrz71kw",
            "arn:aws-cn:directconnect:cn-northwest-1:123456789012:dxlag/dxlag-ffrz71kw",
        ),
    ];
    for (region, id, expected) in cases {
        let arn = resource_arn(region, "123456789012", id).expect("taggable");
        assert_eq!(arn, expected);
        assert_eq!(check_arn(&arn), Ok(()));
    }
    assert_eq!(
        resource_arn("us-east-1", "123456789012", "vgw-0123abcd"),
        None
    );
    assert_eq!(partition("eu-west-1"), "aws");
}

#[test]
fn tag_resource_checks_the_arn_and_every_tag() {
    let body = json!({"resourceArn": ARN, "tags": [{"key": "team", "value": "net"}]});
    assert_eq!(
        validate(Provider::Aws, Operation::TagResource, body),
        Ok(())
    );
    let errors = validate(
        Provider::Aws,
        Operation::TagResource,
        json!({"resourceArn": "dxcon-fg5678gh", "tags": [{"key": "a"}, {"key": "a"}, {"key": "b", "value": "x".repeat(257)}]}),
    )
    .expect_err("three broken fields");
    assert_eq!(
        errors,
        vec![
            FieldError::new("resourceArn", arn_rule()),
            FieldError::new("tags[1].key", Rule::Duplicate),
            FieldError::new(
                "tags[2].value",
                Rule::Length {
                    min: 0,
                    max: 256,
                    actual: 257
                }
            ),
        ]
    );
    let missing = validate(Provider::Aws, Operation::TagResource, json!({}))
        .expect_err("both fields required");
    assert_eq!(
        missing,
        vec![
            FieldError::new("resourceArn", Rule::Required),
            FieldError::new("tags", Rule::EmptyWhenGiven),
        ]
    );
    let tags: Vec<Value> = (0..51).map(|i| json!({"key": format!("k{i}")})).collect();
    let too_many = validate(
        Provider::Aws,
        Operation::TagResource,
        json!({"resourceArn": ARN, "tags": tags}),
    );
    assert_eq!(
        too_many,
        Err(vec![FieldError::new(
            "tags",
            Rule::TooMany {
                max: 50,
                actual: 51
            }
        )])
    );
}

#[test]
fn untag_resource_needs_keys_each_once() {
    let ok = json!({"resourceArn": ARN, "tagKeys": ["team", "env"]});
    assert_eq!(
        validate(Provider::Aws, Operation::UntagResource, ok),
        Ok(())
    );
    let errors = validate(
        Provider::Aws,
        Operation::UntagResource,
        json!({"resourceArn": ARN, "tagKeys": ["team", "", "team", "k".repeat(129)]}),
    )
    .expect_err("three broken keys");
    assert_eq!(
        errors,
        vec![
            FieldError::new("tagKeys[1]", Rule::Required),
            FieldError::new("tagKeys[2]", Rule::Duplicate),
            FieldError::new(
                "tagKeys[3]",
                Rule::Length {
                    min: 1,
                    max: 128,
                    actual: 129
                }
            ),
        ]
    );
    assert_eq!(
        validate(
            Provider::Aws,
            Operation::UntagResource,
            json!({"resourceArn": ARN, "tagKeys": []})
        ),
        Err(vec![FieldError::new("tagKeys", Rule::Required)])
    );
}

#[test]
fn describe_tags_checks_each_arn_by_index() {
    let ok = json!({"resourceArns": [ARN]});
    assert_eq!(validate(Provider::Aws, Operation::DescribeTags, ok), Ok(()));
    assert_eq!(
        validate(
            Provider::Aws,
            Operation::DescribeTags,
            json!({"resourceArns": [ARN, "arn:aws:s3:::bucket"]})
        ),
        Err(vec![FieldError::new("resourceArns[1]", arn_rule())])
    );
    assert_eq!(
        validate(
            Provider::Aws,
            Operation::DescribeTags,
            json!({"resourceArns": []})
        ),
        Err(vec![FieldError::new("resourceArns", Rule::Required)])
    );
}

#[test]
fn unknown_members_are_refused_not_forwarded() {
    let err = DxRequest::from_json(
        Operation::TagResource,
        json!({"resourceArn": ARN, "tags": [], "smuggled": 1})
            .to_string()
            .as_bytes(),
    )
    .expect_err("unknown field");
    assert!(err.to_string().contains("smuggled"), "{err}");
}

#[test]
fn outscale_has_no_tagging() {
    let body = json!({"resourceArn": ARN, "tags": [{"key": "team"}]});
    assert_eq!(
        validate(Provider::Outscale, Operation::TagResource, body),
        Err(vec![FieldError::new(
            "resourceArn",
            Rule::NotSupported {
                provider: Provider::Outscale
            }
        )])
    );
    for operation in [
        Operation::TagResource,
        Operation::UntagResource,
        Operation::DescribeTags,
    ] {
        assert!(
            catalogue::lookup(Service::DirectLink, operation).is_none(),
            "{operation} is not forwarded to directlink"
        );
        let info = catalogue::lookup(Service::DirectConnect, operation).expect("directconnect");
        assert_eq!(
            info.target,
            Some(format!("OvertureService.{operation}").as_str())
        );
        assert_eq!(info.idempotent, info.access == Access::Read);
    }
    let describe = catalogue::lookup(Service::DirectConnect, Operation::DescribeTags).unwrap();
    assert_eq!(describe.access, Access::Read);
    let tag = catalogue::lookup(Service::DirectConnect, Operation::TagResource).unwrap();
    assert_eq!(tag.access, Access::Write, "read-only refuses tagging");
}
