"""Writes the signing test vectors under signing/tests/vectors/ from reference signers.

Why: the Rust signing code must agree with implementations not written here. botocore signs
each AWS-style service's real request shape, the `oci` SDK's Signer signs OCI requests, and
OCI's published test vectors (as reproduced in oci-go-sdk common/http_signer_test.go) pin
the OCI signing string. The Rust tests read the files this writes and need no Python.

Run from the repository root:  .venv/bin/python tests/python/gen_vectors.py
Every case is one folder: request.json, the intermediate stages, expected-headers.json.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import pathlib
import sys
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.session
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256

import oci.signer

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "signing" / "tests" / "vectors"

# The example credentials of AWS's SigV4 documentation (not a real account).
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

SIGV4_TIME = datetime.datetime(2026, 3, 3, 10, 0, 0, tzinfo=datetime.timezone.utc)

# OCI's published sample (oci-go-sdk common/http_signer_test.go; the same values appear in
# OCI's "Request Signatures" documentation). A 1024-bit key published for tests only.
OCI_PUBLISHED_TENANCY = "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq"
OCI_PUBLISHED_USER = "ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq"
OCI_PUBLISHED_FINGERPRINT = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"
OCI_PUBLISHED_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----
"""
OCI_PUBLISHED_DATE = "Thu, 05 Jan 2014 21:31:40 GMT"
OCI_PUBLISHED_GET_URL = (
    "https://iaas.us-phoenix-1.oraclecloud.com/20160918/instances"
    "?availabilityDomain=Pjwf%3A%20PHX-AD-1&"
    "compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa"
    "&displayName=TeamXInstances&volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q"
)
OCI_PUBLISHED_POST_URL = "https://iaas.us-phoenix-1.oraclecloud.com/20160918/volumeAttachments"
OCI_PUBLISHED_POST_BODY = """{
    "compartmentId": "ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa",
    "instanceId": "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a",
    "volumeId": "ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q"
}"""
OCI_PUBLISHED_GET_SIGNATURE = (
    "GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPe"
    "DUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll"
    "8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M="
)
OCI_PUBLISHED_POST_SIGNATURE = (
    "Mje8vIDPlwIHmD/cTDwRxE7HaAvBg16JnVcsuqaNRim23fFPgQfLoOOxae6WqKb1uPjYEl0qIdazWaBy/Ml8DRhqlocMwoSXv0"
    "fbukP8J5N80LCmzT/FFBvIvTB91XuXI3hYfP9Zt1l7S6ieVadHUfqBedWH0itrtPJBgKmrWso="
)
OCI_PUBLISHED_POST_SHA256 = "V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0="

# A 2048-bit test key made for this project's tests (OCI accepts 2048-bit keys and up; ring
# signs with 2048 and up). Written once to signing/tests/vectors/oci-test-key.pem and reused.
OCI_TEST_TENANCY = "ocid1.tenancy.oc1..aaaaaaaacloudlinktesttenancy"
OCI_TEST_USER = "ocid1.user.oc1..aaaaaaaacloudlinktestuser"
OCI_TEST_FINGERPRINT = "11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00"
OCI_TEST_TIME = datetime.datetime(2026, 3, 3, 10, 0, 0, tzinfo=datetime.timezone.utc)


def write_case(name: str, files: dict[str, str]) -> None:
    folder = VECTORS / name
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    print(f"wrote {folder.relative_to(ROOT)}")


def dump(value) -> str:
    return json.dumps(value, indent=2, sort_keys=False) + "\n"


# ----------------------------------------------------------------------------- SigV4 (botocore)


class _Captured(Exception):
    pass


def botocore_sign(service_for_client, region, call, credentials, endpoint_url=None, signing_name=None):
    """Runs a real botocore client call, stopping before anything is sent.

    Returns the request as botocore handed it to the signer, the canonical request, the string to
    sign and the headers botocore added. `signing_name` re-signs the same request shape under
    another SigV4 service name (OUTSCALE DirectLink speaks Direct Connect's protocol).
    """
    session = botocore.session.get_session()
    client = session.create_client(
        service_for_client,
        region_name=region,
        aws_access_key_id=credentials[0],
        aws_secret_access_key=credentials[1],
        aws_session_token=credentials[2],
        endpoint_url=endpoint_url,
    )
    stages: dict[str, object] = {}
    original_canonical = botocore.auth.SigV4Auth.canonical_request
    original_sts = botocore.auth.SigV4Auth.string_to_sign

    def record_canonical(self, request):
        if "request" not in stages:
            headers = [
                (k.lower(), v if isinstance(v, str) else v.decode())
                for k, v in request.headers.items()
                if k.lower() not in ("authorization", "x-amz-date", "x-amz-security-token")
            ]
            # botocore's user agent names this machine; it is never signed, so pin it.
            headers = [(k, "cloudlink-vector-agent/1" if k == "user-agent" else v) for k, v in headers]
            body = request.body or b""
            if isinstance(body, str):
                body = body.encode()
            stages["request"] = {
                "method": request.method,
                "url": request.url,
                "headers": headers,
                "body": body.decode("utf-8"),
            }
        result = original_canonical(self, request)
        stages["canonical_request"] = result
        return result

    def record_sts(self, request, canonical_request):
        result = original_sts(self, request, canonical_request)
        stages["string_to_sign"] = result
        return result

    def capture(request, **kwargs):
        stages["sent_headers"] = {k.lower(): (v if isinstance(v, str) else v.decode()) for k, v in request.headers.items()}
        raise _Captured()

    if signing_name is not None:
        def resign(request, **kwargs):
            # Replace botocore's own signature with one under `signing_name`.
            # The retry headers botocore adds between handlers are random per call: drop them.
            stages.pop("request", None)
            for header in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "amz-sdk-invocation-id", "amz-sdk-request"):
                if header in request.headers:
                    del request.headers[header]
            creds = botocore.credentials.Credentials(*credentials)
            botocore.auth.SigV4Auth(creds, signing_name, region).add_auth(request)

        client.meta.events.register("request-created", resign)

    client.meta.events.register("before-send", capture)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=SIGV4_TIME.replace(tzinfo=None)), \
            mock.patch.object(botocore.auth.SigV4Auth, "canonical_request", record_canonical), \
            mock.patch.object(botocore.auth.SigV4Auth, "string_to_sign", record_sts):
        try:
            call(client)
        except _Captured:
            pass
    added = {
        k: v
        for k, v in stages["sent_headers"].items()
        if k in ("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256")
    }
    return stages, added


def sigv4_case(name, service, region, client_name, call, token=None, endpoint_url=None, signing_name=None, note=""):
    credentials = (ACCESS_KEY, SECRET_KEY, token)
    stages, added = botocore_sign(client_name, region, call, credentials, endpoint_url, signing_name)
    request = {
        "note": note,
        "service": service,
        "region": region,
        "time": SIGV4_TIME.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "time_unix": int(SIGV4_TIME.timestamp()),
        "credentials": {"access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY, "session_token": token},
        **stages["request"],
    }
    write_case(
        name,
        {
            "request.json": dump(request),
            "canonical-request.txt": stages["canonical_request"],
            "string-to-sign.txt": stages["string_to_sign"],
            "expected-headers.json": dump(sorted(added.items())),
        },
    )


def sigv4_cases():
    sigv4_case(
        "sigv4-directconnect-create-connection",
        "directconnect",
        "us-east-1",
        "directconnect",
        lambda c: c.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="cloudlink-test"),
        note="botocore directconnect CreateConnection (AWS JSON 1.1, POST /)",
    )
    sigv4_case(
        "sigv4-directconnect-describe-connections-session-token",
        "directconnect",
        "eu-west-1",
        "directconnect",
        lambda c: c.describe_connections(connectionId="dxcon-fgabc123"),
        token=SESSION_TOKEN,
        note="botocore directconnect DescribeConnections with a session token",
    )
    sigv4_case(
        "sigv4-directlink-describe-connections",
        "directlink",
        "eu-west-2",
        "directconnect",
        lambda c: c.describe_connections(),
        endpoint_url="https://directlink.eu-west-2.outscale.com",
        signing_name="directlink",
        note="OUTSCALE DirectLink DescribeConnections: Direct Connect's request shape, SigV4 service directlink, signed by botocore's SigV4Auth",
    )
    sigv4_case(
        "sigv4-outposts-start-connection",
        "outposts",
        "us-west-2",
        "outposts",
        lambda c: c.start_connection(
            DeviceSerialNumber="GFQ2VBX1234",
            AssetId="1234567890abc",
            ClientPublicKey="xTbJ8sbBDsbcS0NPqYTpH3+Sye5Jy8y9DPJIvrhfMV4=",
            NetworkInterfaceDeviceIndex=0,
        ),
        note="botocore outposts StartConnection (restJson1, POST /connections)",
    )
    sigv4_case(
        "sigv4-outposts-get-connection",
        "outposts",
        "us-west-2",
        "outposts",
        lambda c: c.get_connection(ConnectionId="conn-0a1b2c3d4e5f6a7b8"),
        token=SESSION_TOKEN,
        note="botocore outposts GetConnection (restJson1, GET /connections/{ConnectionId}) with a session token",
    )


# ----------------------------------------------------------------------------- OCI


def public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def oci_sign(tenancy, user, fingerprint, key_pem, method, url, body, date, content_type=None):
    """Signs with the `oci` SDK's Signer; returns the headers it added and the signing string."""
    signer = oci.signer.Signer(tenancy, user, fingerprint, None, private_key_content=key_pem)
    headers = {"date": date}
    if content_type is not None:
        headers["content-type"] = content_type
    prepared = requests.Request(method, url, data=body if body else None, headers=headers).prepare()
    signer(prepared)
    sent = {k.lower(): v for k, v in prepared.headers.items()}
    names = [n for n in parse_oci_authorization(sent["authorization"])["headers"].split(" ")]
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {prepared.path_url}")
        else:
            lines.append(f"{name}: {sent[name]}")
    signing_string = "\n".join(lines)
    # The signing string is checked against the SDK's own signature, so it is the SDK's.
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    signature = base64.b64decode(parse_oci_authorization(sent["authorization"])["signature"])
    key.public_key().verify(signature, signing_string.encode(), padding.PKCS1v15(), SHA256())
    return sent, signing_string


def parse_oci_authorization(value: str) -> dict[str, str]:
    assert value.startswith("Signature "), value
    out = {}
    for part in value[len("Signature "):].split(","):
        k, v = part.split("=", 1)
        out[k] = v.strip('"')
    return out


def oci_case(name, note, tenancy, user, fingerprint, key_file, key_pem, method, url, body, date, time_unix,
             content_type=None, published_signing_string=None, published_signature=None):
    sent, signing_string = oci_sign(tenancy, user, fingerprint, key_pem, method, url, body, date, content_type)
    if published_signing_string is not None:
        assert signing_string == published_signing_string, (signing_string, published_signing_string)
    if published_signature is not None:
        assert parse_oci_authorization(sent["authorization"])["signature"] == published_signature
    if body:
        assert sent["x-content-sha256"] == base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    request_headers = [["date", date]]
    if content_type is not None:
        request_headers.append(["content-type", content_type])
    request = {
        "note": note,
        "tenancy": tenancy,
        "user": user,
        "fingerprint": fingerprint,
        "key_file": key_file,
        "date": date,
        "time_unix": time_unix,
        "method": method,
        "url": url,
        "headers": request_headers,
        "body": body,
    }
    added = {k: v for k, v in sent.items() if k in ("authorization", "date", "x-content-sha256", "content-length", "content-type", "host")}
    write_case(
        name,
        {
            "request.json": dump(request),
            "signing-string.txt": signing_string,
            "expected-headers.json": dump(sorted(added.items())),
        },
    )


def oci_cases():
    (VECTORS / "oci-published-key.pem").write_text(OCI_PUBLISHED_KEY)
    (VECTORS / "oci-published-key.pub.pem").write_text(public_pem(OCI_PUBLISHED_KEY))
    published_get_string = (
        "date: Thu, 05 Jan 2014 21:31:40 GMT\n"
        "(request-target): get /20160918/instances?availabilityDomain=Pjwf%3A%20PH"
        "X-AD-1&compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2i"
        "dnccdflvjsnog7mlr6rtdb25gilchfeyjxa&displayName=TeamXInstances&"
        "volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q\n"
        "host: iaas.us-phoenix-1.oraclecloud.com"
    )
    published_post_string = (
        "date: Thu, 05 Jan 2014 21:31:40 GMT\n"
        "(request-target): post /20160918/volumeAttachments\n"
        "host: iaas.us-phoenix-1.oraclecloud.com\n"
        "content-length: 316\n"
        "content-type: application/json\n"
        f"x-content-sha256: {OCI_PUBLISHED_POST_SHA256}"
    )
    common = dict(tenancy=OCI_PUBLISHED_TENANCY, user=OCI_PUBLISHED_USER, fingerprint=OCI_PUBLISHED_FINGERPRINT,
                  key_file="oci-published-key.pem", key_pem=OCI_PUBLISHED_KEY, date=OCI_PUBLISHED_DATE, time_unix=None)
    oci_case("oci-published-get", "OCI's published GET vector (oci-go-sdk common/http_signer_test.go), signed by the oci SDK",
             method="GET", url=OCI_PUBLISHED_GET_URL, body="",
             published_signing_string=published_get_string, published_signature=OCI_PUBLISHED_GET_SIGNATURE, **common)
    oci_case("oci-published-post", "OCI's published POST vector (oci-go-sdk common/http_signer_test.go), signed by the oci SDK",
             method="POST", url=OCI_PUBLISHED_POST_URL, body=OCI_PUBLISHED_POST_BODY, content_type="application/json",
             published_signing_string=published_post_string, published_signature=OCI_PUBLISHED_POST_SIGNATURE, **common)

    key_path = VECTORS / "oci-test-key.pem"
    if not key_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_path.write_text(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        ).decode())
    other_path = VECTORS / "oci-other-key.pub.pem"
    if not other_path.exists():
        # Only the public half of a second key: the "signed by another key" case.
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        other_path.write_text(other.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())
    test_key = key_path.read_text()
    (VECTORS / "oci-test-key.pub.pem").write_text(public_pem(test_key))
    pkcs8 = serialization.load_pem_private_key(test_key.encode(), password=None).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (VECTORS / "oci-test-key.pkcs8.pem").write_text(pkcs8.decode())

    date = OCI_TEST_TIME.strftime("%a, %d %b %Y %H:%M:%S GMT")
    common = dict(tenancy=OCI_TEST_TENANCY, user=OCI_TEST_USER, fingerprint=OCI_TEST_FINGERPRINT,
                  key_file="oci-test-key.pem", key_pem=test_key, date=date, time_unix=int(OCI_TEST_TIME.timestamp()))
    base = "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instanceConsoleConnections"
    create_body = json.dumps({
        "instanceId": "ocid1.instance.oc1.iad.anuwcljtexampleinstance",
        "publicKey": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCexample user@host",
        "freeformTags": {"owner": "cloudlink"},
    }, separators=(",", ":"))
    oci_case("oci-sdk-create-console-connection", "oci SDK Signer, POST with a JSON body (CreateInstanceConsoleConnection)",
             method="POST", url=base, body=create_body, content_type="application/json", **common)
    oci_case("oci-sdk-list-console-connections", "oci SDK Signer, GET with a query (ListInstanceConsoleConnections)",
             method="GET", url=base + "?compartmentId=ocid1.compartment.oc1..aaaaaaaaexample&instanceId=ocid1.instance.oc1.iad.anuwcljtexampleinstance&limit=10",
             body="", **common)
    oci_case("oci-sdk-delete-console-connection", "oci SDK Signer, DELETE (DeleteInstanceConsoleConnection)",
             method="DELETE", url=base + "/ocid1.instanceconsoleconnection.oc1.iad.anuwcljtexample", body="", **common)


def main() -> int:
    VECTORS.mkdir(parents=True, exist_ok=True)
    sigv4_cases()
    oci_cases()
    return 0


if __name__ == "__main__":
    sys.exit(main())
