"""Live cross-check of the Rust signers with botocore and the `oci` SDK.

Driven by signing/tests/signing_python.rs: reads one JSON command on stdin, writes one JSON
answer on stdout.

  {"op": "sigv4-sign", ...request, "service", "region", "time_unix", "credentials"}
      botocore signs; answers the headers it added.
  {"op": "sigv4-check", ...same, "headers" include the Rust signature}
      botocore signs the same request at the same time; answers whether Rust's authorization
      is botocore's (and botocore's value).
  {"op": "oci-sign", "tenancy", "user", "fingerprint", "key_pem", "method", "url", "body", "date"}
      the oci SDK's Signer signs; answers the headers it sent.
  {"op": "oci-check", same plus "authorization", "public_key_pem", "signing_headers"}
      verifies Rust's signature with `cryptography` over the signing string built from the
      SDK's own rules, and compares with the SDK's own signature of the same request.
"""

from __future__ import annotations

import base64
import datetime
import json
import sys
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.hashes import SHA256

import oci.signer

SIGV4_ADDED = ("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256")


def botocore_sign(cmd) -> dict[str, str]:
    creds = botocore.credentials.Credentials(
        cmd["credentials"]["access_key_id"],
        cmd["credentials"]["secret_access_key"],
        cmd["credentials"].get("session_token"),
    )
    headers = {k: v for k, v in cmd["headers"] if k.lower() not in SIGV4_ADDED}
    request = botocore.awsrequest.AWSRequest(
        method=cmd["method"], url=cmd["url"], headers=headers, data=cmd["body"].encode()
    )
    when = datetime.datetime.fromtimestamp(cmd["time_unix"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        botocore.auth.SigV4Auth(creds, cmd["service"], cmd["region"]).add_auth(request)
    return {k.lower(): v for k, v in request.headers.items() if k.lower() in SIGV4_ADDED}


def oci_sdk_sign(cmd) -> dict[str, str]:
    signer = oci.signer.Signer(cmd["tenancy"], cmd["user"], cmd["fingerprint"], None, private_key_content=cmd["key_pem"])
    headers = {"date": cmd["date"]}
    if cmd.get("content_type"):
        headers["content-type"] = cmd["content_type"]
    body = cmd["body"].encode() if cmd["body"] else None
    prepared = requests.Request(cmd["method"], cmd["url"], data=body, headers=headers).prepare()
    signer(prepared)
    return {k.lower(): v for k, v in prepared.headers.items()}


def oci_params(value: str) -> dict[str, str]:
    assert value.startswith("Signature "), value
    return {k: v.strip('"') for k, v in (p.split("=", 1) for p in value[len("Signature "):].split(","))}


def oci_check(cmd) -> dict:
    ours = oci_params(cmd["authorization"])
    sent = {k.lower(): v for k, v in cmd["headers"]}
    path = requests.Request(cmd["method"], cmd["url"]).prepare().path_url
    lines = []
    for name in ours["headers"].split(" "):
        if name == "(request-target)":
            lines.append(f"(request-target): {cmd['method'].lower()} {path}")
        else:
            lines.append(f"{name}: {sent[name]}")
    public_key = serialization.load_pem_public_key(cmd["public_key_pem"].encode())
    try:
        public_key.verify(base64.b64decode(ours["signature"]), "\n".join(lines).encode(), padding.PKCS1v15(), SHA256())
        verified = True
    except Exception:  # noqa: BLE001 - any failure is "does not verify"
        verified = False
    sdk = oci_sdk_sign(cmd)
    theirs = oci_params(sdk["authorization"])
    return {
        "verified": verified,
        "same_as_sdk": ours == theirs,
        "sdk_authorization": sdk["authorization"],
    }


def main() -> int:
    cmd = json.load(sys.stdin)
    op = cmd["op"]
    if op == "sigv4-sign":
        out = botocore_sign(cmd)
    elif op == "sigv4-check":
        theirs = botocore_sign(cmd)
        ours = {k.lower(): v for k, v in cmd["headers"] if k.lower() in SIGV4_ADDED}
        out = {"same": ours == theirs, "botocore": theirs}
    elif op == "oci-sign":
        out = oci_sdk_sign(cmd)
    elif op == "oci-check":
        out = oci_check(cmd)
    else:
        raise SystemExit(f"unknown op {op!r}")
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
