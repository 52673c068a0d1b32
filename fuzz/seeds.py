#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/seed-*) from the project's
test data: core/tests/data, signing/tests/vectors, and valid requests as core's tests build
them. Run from the repository root; it rewrites only seed-* files. The format of HTTP-shaped
inputs is described in fuzz/src/lib.rs."""

import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")
DX = os.path.join(ROOT, "core", "tests", "data", "directconnect")
VECTORS = os.path.join(ROOT, "signing", "tests", "vectors")


def write(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(OUT, target, "seed-" + name), "wb") as f:
        f.write(data)


def http(first, headers, body=b""):
    if isinstance(body, str):
        body = body.encode()
    head = "\n".join([first] + [f"{k}: {v}" for k, v in headers])
    return head.encode() + b"\n\n" + body


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


ED25519 = open(os.path.join(ROOT, "core/tests/data/ssh/ed25519.pub")).read().strip()
VIF = {"virtualInterfaceName": "my-vif", "vlan": 101, "asn": 65000, "authKey": "s3cr3t-bgp-key",
       "amazonAddress": "169.254.0.1/30", "customerAddress": "169.254.0.2/30"}
ARN = "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fg5678gh"
DX_VALID = {
    "CreateConnection": {"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": "office-link",
                         "tags": [{"key": "team", "value": "net"}]},
    "DeleteConnection": {"connectionId": "dxcon-fg5678gh"},
    "DescribeConnections": {"connectionId": "dxcon-fg5678gh"},
    "DescribeLocations": {},
    "DescribeVirtualGateways": {},
    "AllocatePrivateVirtualInterface": {"connectionId": "dxcon-fg5678gh", "ownerAccount": "123456789012",
                                        "newPrivateVirtualInterfaceAllocation": VIF},
    "ConfirmPrivateVirtualInterface": {"virtualInterfaceId": "dxvif-fgh0hcrk", "virtualGatewayId": "vgw-0123abcd"},
    "CreatePrivateVirtualInterface": {"connectionId": "dxcon-fg5678gh",
                                      "newPrivateVirtualInterface": dict(VIF, virtualGatewayId="vgw-0123abcd")},
    "DeleteVirtualInterface": {"virtualInterfaceId": "dxvif-fgh0hcrk"},
    "DescribeVirtualInterfaces": {"connectionId": "dxcon-fg5678gh"},
}
DX_TAGS = {
    "TagResource": {"resourceArn": ARN, "tags": [{"key": "team", "value": "net"}]},
    "UntagResource": {"resourceArn": ARN, "tagKeys": ["team", "env"]},
    "DescribeTags": {"resourceArns": [ARN]},
}


def dx_request(op, body):
    return http("POST /", [("content-type", "application/x-amz-json-1.1"),
                           ("x-amz-target", "OvertureService." + op)], json.dumps(body))


def requests():
    for op, body in list(DX_VALID.items()) + list(DX_TAGS.items()):
        write("request_directconnect", op, dx_request(op, body))
    for op, body in DX_VALID.items():
        dry = "DryRun" if op in ("DescribeLocations", "DescribeVirtualGateways") else "dryRun"
        write("request_directlink", op, dx_request(op, dict(body, **{dry: False})))
    for path in sorted(glob.glob(os.path.join(DX, "*-request.json"))):
        op = os.path.basename(path).split("-")[1]
        target = "request_directlink" if "outscale" in path else "request_directconnect"
        write(target, "data-" + os.path.basename(path), dx_request(op, load(path)))
    start = {"AssetId": "i_0123456789abcdef0", "ClientPublicKey": "sRZUuXgi6hY6ikNFGXoAqZ2E70dTY+8EMXDCCVEfRWg=",
             "DeviceSerialNumber": "GJX2D93HK1", "NetworkInterfaceDeviceIndex": 1}
    write("request_outposts", "StartConnection",
          http("POST /connections", [("content-type", "application/json")], json.dumps(start)))
    write("request_outposts", "GetConnection", http("GET /connections/abc%2Bdef%3D", []))
    for i, body in enumerate(load(os.path.join(ROOT, "core/tests/data/outposts/seed-examples.json"))
                             ["start_connection_requests"]):
        write("request_outposts", f"data-start-{i}",
              http("POST /connections", [("content-type", "application/json")], json.dumps(body)))
    instance = "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a"
    compartment = "ocid1.compartment.oc1..aaaaaaaaba3pv6wkcr4jqae5f44n2b2m2yt2j6rx32uzr4h25vqstifsfdsq"
    connection = "ocid1.instanceconsoleconnection.oc1.phx.abyhqljr"
    coll = "/20160918/instanceConsoleConnections"
    oci = load(os.path.join(ROOT, "core/tests/data/oci/seed-examples.json"))
    for i, body in enumerate(oci["create_details"]):
        write("request_oci", f"create-{i}", http(f"POST {coll}", [("content-type", "application/json"),
                                                                   ("opc-retry-token", "retry-token-1")], json.dumps(body)))
    write("request_oci", "list", http(f"GET {coll}?compartmentId={compartment}&instanceId={instance}&limit=10&page=abc", []))
    write("request_oci", "get", http(f"GET {coll}/{connection}", []))
    write("request_oci", "delete", http(f"DELETE {coll}/{connection}", []))


def responses():
    types = {
        "CreateConnection": "Connection", "DeleteConnection": "Connection",
        "DescribeConnections": "Connections", "DescribeLocations": "Locations",
        "AllocatePrivateVirtualInterface": "VirtualInterface",
        "CreatePrivateVirtualInterface": "VirtualInterface",
        "DescribeVirtualInterfaces": "VirtualInterfaces", "DescribeVirtualGateways": "VirtualGateways",
        "ConfirmPrivateVirtualInterface": "ConfirmPrivateVirtualInterfaceResponse",
        "DeleteVirtualInterface": "DeleteVirtualInterfaceResponse",
    }
    for path in sorted(glob.glob(os.path.join(DX, "*-response.json"))):
        name = os.path.basename(path)
        provider, op = name.split("-")[0], name.split("-")[1]
        target = "response_outscale" if provider == "outscale" else "response_aws"
        with open(path, "rb") as f:
            write(target, name, http(f"200 {types[op]}", [("x-amzn-requestid", "r-1")], f.read()))
    write("response_aws", "DescribeTags", http("200 DescribeTagsResponse", [], json.dumps(
        {"resourceTags": [{"resourceArn": ARN, "tags": [{"key": "team", "value": "net"}]}]})))
    outposts = load(os.path.join(ROOT, "core/tests/data/outposts/seed-examples.json"))
    write("response_aws", "StartConnection", http("200 StartConnectionResponse", [],
                                                  json.dumps(outposts["start_connection_responses"][0])))
    write("response_aws", "GetConnection", http("200 GetConnectionResponse", [],
                                                json.dumps(outposts["get_connection_responses"][0])))
    errors = [
        ("400", [("x-amzn-errortype", "DirectConnectClientException:http://internal.amazon.com/coral/")],
         {"message": "Connection dxcon-x not found"}),
        ("400", [], {"__type": "com.amazonaws.directconnect#DirectConnectClientException", "Message": "no"}),
        ("429", [], {"__type": "ThrottlingException", "message": "Rate exceeded"}),
        ("400", [], {"code": "ValidationException", "message": "bad", "fieldErrors": [{"field": "vlan", "message": "x"}]}),
        ("503", [], None),
    ]
    for i, (status, headers, body) in enumerate(errors):
        raw = b"<html>Service Unavailable</html>" if body is None else json.dumps(body).encode()
        for target in ("response_aws", "response_outscale"):
            write(target, f"error-{i}", http(f"{status} Connection", headers + [("x-amzn-requestid", "r-2")], raw))
    oci = load(os.path.join(ROOT, "core/tests/data/oci/seed-examples.json"))
    write("response_oci", "connection", http("200 Connection", [("opc-request-id", "r-3")], json.dumps(oci["connections"][0])))
    write("response_oci", "list", http("200 List", [("opc-next-page", "p2")], json.dumps(oci["connections"])))
    write("response_oci", "empty", http("204 Empty", []))
    write("response_oci", "error-404", http("404 Connection", [("opc-request-id", "r-4")], json.dumps(
        {"code": "NotAuthorizedOrNotFound", "message": "Authorization failed or requested resource not found."})))
    write("response_oci", "error-429", http("429 List", [], json.dumps({"code": "TooManyRequests", "message": "slow down"})))


def keys_and_addresses():
    for path in sorted(glob.glob(os.path.join(ROOT, "core/tests/data/ssh/*.pub"))):
        with open(path, "rb") as f:
            write("ssh_key", os.path.basename(path), f.read())
    for i, text in enumerate(["169.254.0.1/30", "169.254.0.2", "0.0.0.0/0", "255.255.255.255/32",
                              "10.0.0.1/31", "192.168.001.1/24", "1.2.3.4/33"]):
        write("ipv4", f"{i}", text)
    for i, path in enumerate([
        "/api/aws/directconnect/us-east-1/",
        "/api/aws/outposts/eu-west-3/connections/abc%2Bdef%3D",
        "/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections",
        "/api/outscale/directlink/cloudgouv-eu-west-1/",
        "/api/aws/outposts/us-east-1/connections/%2e%2e",
        "/api/aws/directconnect/us-east-1%2eevil/",
    ]):
        write("route", f"{i}", path)
    for i, text in enumerate([
        'listen = "127.0.0.1:8080"\nsandbox = true\nweb-dir = "dist"\nread-only = true\n'
        'connect-timeout = 5\ntimeout = 30\nallowed-origins = ["https://console.example.com"]\n'
        '[upstream]\ndirectconnect = "http://127.0.0.1:9000/"\noci-core = "https://oci.example.com/x"\n',
        '[upstream]\noutposts = "http://[::1]:9000"\n',
        'upstream = { directlink = "ftp://x" }\n',
        'unknown-key = 1\n',
    ]):
        write("config", f"{i}", text)


def signed():
    for case in sorted(glob.glob(os.path.join(VECTORS, "*"))):
        if not os.path.isdir(case):
            continue
        req = load(os.path.join(case, "request.json"))
        added = load(os.path.join(case, "expected-headers.json"))
        added = list(added.items()) if isinstance(added, dict) else added
        url = req["url"]
        rest = url.split("://", 1)[1]
        host, _, target = rest.partition("/")
        target = "/" + target
        headers = [tuple(h) for h in req["headers"]] + [tuple(h) for h in added]
        if not any(k.lower() == "host" for k, _ in headers):
            headers.append(("host", host))
        name = os.path.basename(case)
        if name.startswith("sigv4"):
            words = [req["method"], target, req["service"], req["region"], str(req["time_unix"])]
            if req["credentials"]["session_token"]:
                words.append("token")
            write("sigv4_verify", name, http(" ".join(words), headers, req["body"]))
        else:
            time = req["time_unix"] or 1388957500  # Thu, 05 Jan 2014 21:31:40 GMT
            write("oci_verify", name, http(f"{req['method']} {target} {time}", headers, req["body"]))
    for path in sorted(glob.glob(os.path.join(VECTORS, "*.pub.pem"))):
        with open(path, "rb") as f:
            write("oci_verify", "pem-" + os.path.basename(path), b"PEM /\n\n" + f.read())


if __name__ == "__main__":
    requests()
    responses()
    keys_and_addresses()
    signed()
