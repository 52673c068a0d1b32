"""Real SDK clients, not written here, against `cloudlink-proxy --sandbox`.

Usage: sdk_clients.py BASE_URL TOKEN

boto3 (Direct Connect with endpoint_url, Outposts), the oci SDK (console
connections, with service_endpoint) and a plain botocore SigV4 signer (OUTSCALE
DirectLink) call every forwarded operation through the proxy, unchanged but for
the endpoint and the X-Cloudlink-Token header. Prints one JSON line: the
operations called per service and the error codes observed. Exits non-zero on
the first surprise.
"""

import base64
import json
import os
import sys
import tempfile
import time
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import oci
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

BASE, TOKEN = sys.argv[1].rstrip("/"), sys.argv[2]
called = {"directconnect": [], "directlink": [], "outposts": [], "oci-core": []}
errors = {}


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")


def seeds():
    req = urllib.request.Request(f"{BASE}/api/sandbox", headers={"X-Cloudlink-Token": TOKEN})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def add_token(request, **_):
    request.headers["X-Cloudlink-Token"] = TOKEN


def wait_for(fetch, wanted, what, timeout=30):
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        state = fetch()
        if state in wanted:
            return state
        time.sleep(0.5)
    raise SystemExit(f"FAILED: {what} stayed {state!r}, wanted {wanted}")


def ssh_public_key():
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + " sdk-test"


def direct_connect(s):
    dx = boto3.client(
        "directconnect",
        region_name="us-east-1",
        endpoint_url=f"{BASE}/api/aws/directconnect/us-east-1/",
        aws_access_key_id="ignored-by-the-proxy",
        aws_secret_access_key="ignored-by-the-proxy",
    )
    dx.meta.events.register("before-send", add_token)
    log = called["directconnect"]
    seed = s["directconnect"]
    locations = dx.describe_locations()["locations"]
    log.append("DescribeLocations")
    check(any(l["locationCode"] == seed["locations"]["us-east-1"][0] for l in locations), "seeded location listed")
    gateways = dx.describe_virtual_gateways()["virtualGateways"]
    log.append("DescribeVirtualGateways")
    check(len(gateways) > 0, "seeded gateways")
    conn = dx.create_connection(location=locations[0]["locationCode"], bandwidth="1Gbps", connectionName="sdk-boto3",
                                tags=[{"key": "team", "value": "net"}])
    log.append("CreateConnection")
    cid = conn["connectionId"]
    check(cid.startswith("dxcon-"), f"connection id {cid}")
    state = lambda: dx.describe_connections(connectionId=cid)["connections"][0]["connectionState"]
    wait_for(state, {"available"}, "boto3 connection")
    log.append("DescribeConnections")
    vif = dx.create_private_virtual_interface(connectionId=cid, newPrivateVirtualInterface={
        "virtualInterfaceName": "sdk-vif", "vlan": 101, "asn": 65001, "authKey": "sdk-bgp-key-123",
        "amazonAddress": "169.254.10.1/30", "customerAddress": "169.254.10.2/30", "addressFamily": "ipv4",
        "virtualGatewayId": gateways[0]["virtualGatewayId"]})
    log.append("CreatePrivateVirtualInterface")
    try:
        dx.create_private_virtual_interface(connectionId=cid, newPrivateVirtualInterface={
            "virtualInterfaceName": "dup", "vlan": 101, "asn": 65001, "virtualGatewayId": gateways[0]["virtualGatewayId"]})
        raise SystemExit("FAILED: a VLAN already in use was accepted")
    except ClientError as e:
        errors["directconnect.vlanInUse"] = e.response["Error"]["Code"]
    alloc = dx.allocate_private_virtual_interface(connectionId=cid, ownerAccount=seed["allocationOwnerAccount"],
                                                  newPrivateVirtualInterfaceAllocation={
                                                      "virtualInterfaceName": "sdk-alloc", "vlan": 102, "asn": 65002})
    log.append("AllocatePrivateVirtualInterface")
    check(alloc["virtualInterfaceState"] == "confirming", f"allocated starts confirming: {alloc['virtualInterfaceState']}")
    confirmed = dx.confirm_private_virtual_interface(virtualInterfaceId=alloc["virtualInterfaceId"],
                                                     virtualGatewayId=gateways[0]["virtualGatewayId"])
    log.append("ConfirmPrivateVirtualInterface")
    check(confirmed["virtualInterfaceState"] != "confirming", "confirmed")
    vifs = dx.describe_virtual_interfaces(connectionId=cid)["virtualInterfaces"]
    log.append("DescribeVirtualInterfaces")
    check({v["virtualInterfaceId"] for v in vifs} >= {vif["virtualInterfaceId"], alloc["virtualInterfaceId"]}, "both vifs listed")
    # Tags on an existing connection, named by its ARN.
    arn = f"arn:aws:directconnect:{conn['region']}:{conn['ownerAccount']}:dxcon/{cid}"
    dx.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "prod"}, {"key": "team", "value": "netops"}])
    log.append("TagResource")
    tags_now = lambda: {t["key"]: t.get("value") for t in dx.describe_tags(resourceArns=[arn])["resourceTags"][0]["tags"]}
    check(tags_now() == {"team": "netops", "env": "prod"}, f"tags added and replaced: {tags_now()}")
    log.append("DescribeTags")
    dx.untag_resource(resourceArn=arn, tagKeys=["env"])
    log.append("UntagResource")
    check(tags_now() == {"team": "netops"}, f"tag removed: {tags_now()}")
    try:
        dx.tag_resource(resourceArn=arn, tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
        raise SystemExit("FAILED: a 51st tag was accepted")
    except ClientError as e:
        errors["directconnect.tooManyTags"] = e.response["Error"]["Code"]
    check(tags_now() == {"team": "netops"}, "a refused tagging changed nothing")
    try:
        dx.delete_connection(connectionId=cid)
        raise SystemExit("FAILED: deleting a connection with interfaces was accepted")
    except ClientError as e:
        errors["directconnect.hasInterfaces"] = e.response["Error"]["Code"]
    for v in (vif, alloc):
        dx.delete_virtual_interface(virtualInterfaceId=v["virtualInterfaceId"])
    log.append("DeleteVirtualInterface")
    for v in (vif, alloc):
        wait_for(lambda: dx.describe_virtual_interfaces(virtualInterfaceId=v["virtualInterfaceId"])["virtualInterfaces"][0]["virtualInterfaceState"],
                 {"deleted"}, "vif deletion")
    dx.delete_connection(connectionId=cid)
    log.append("DeleteConnection")
    wait_for(state, {"deleted"}, "connection deletion")
    # Validation by the proxy surfaces as the contract's error.
    try:
        dx.create_connection(location="EqDC2", bandwidth="3Gbps", connectionName="bad")
        raise SystemExit("FAILED: 3Gbps accepted")
    except ClientError as e:
        errors["directconnect.validation"] = e.response["Error"]["Code"]
        check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, "validation is a 400")
        check("bandwidth" in e.response["Error"]["Message"], "message names the field")
    try:
        dx.describe_connections(connectionId="dxcon-zzzzzzzz")
        raise SystemExit("FAILED: unknown connection described")
    except ClientError as e:
        errors["directconnect.unknownId"] = e.response["Error"]["Code"]


def direct_link(s):
    """OUTSCALE DirectLink with a plain SigV4 signer (botocore.auth, no service model)."""
    creds = botocore.credentials.Credentials("ignored-by-the-proxy", "ignored-by-the-proxy")
    seed = s["directlink"]
    url = f"{BASE}/api/outscale/directlink/eu-west-2/"

    def call(op, body):
        req = botocore.awsrequest.AWSRequest(method="POST", url=url, data=json.dumps(body), headers={
            "X-Amz-Target": f"OvertureService.{op}", "Content-Type": "application/x-amz-json-1.1"})
        botocore.auth.SigV4Auth(creds, "directlink", "eu-west-2").add_auth(req)
        prepared = req.prepare()
        r = urllib.request.Request(prepared.url, data=prepared.body if isinstance(prepared.body, bytes) else prepared.body.encode(),
                                   method="POST", headers=dict(prepared.headers))
        r.add_header("X-Cloudlink-Token", TOKEN)
        try:
            with urllib.request.urlopen(r) as resp:
                called["directlink"].append(op)
                return json.load(resp)
        except urllib.error.HTTPError as e:
            return {"__error": e.code, **json.load(e)}

    locs = call("DescribeLocations", {"DryRun": False})["locations"]
    gws = call("DescribeVirtualGateways", {"DryRun": False})["virtualGateways"]
    conn = call("CreateConnection", {"bandwidth": "1Gbps", "connectionName": "sdk-osc", "location": locs[0]["locationCode"]})
    cid = conn["connectionId"]
    wait_for(lambda: call("DescribeConnections", {"connectionId": cid})["connections"][0]["connectionState"], {"available"}, "osc connection")
    vif = call("CreatePrivateVirtualInterface", {"connectionId": cid, "newPrivateVirtualInterface": {
        "virtualInterfaceName": "osc-vif", "vlan": 201, "asn": 65100, "virtualGatewayId": gws[0]["virtualGatewayId"]}})
    check("virtualInterfaceId" in vif, f"osc vif: {vif}")
    alloc = call("AllocatePrivateVirtualInterface", {"connectionId": cid, "ownerAccount": seed["allocationOwnerAccount"],
                                                     "newPrivateVirtualInterfaceAllocation": {"virtualInterfaceName": "osc-alloc", "vlan": 202, "asn": 65101}})
    check(alloc.get("virtualInterfaceState") == "confirming", f"osc alloc: {alloc}")
    call("ConfirmPrivateVirtualInterface", {"virtualInterfaceId": alloc["virtualInterfaceId"], "virtualGatewayId": gws[0]["virtualGatewayId"]})
    call("DescribeVirtualInterfaces", {"connectionId": cid})
    for v in (vif, alloc):
        call("DeleteVirtualInterface", {"virtualInterfaceId": v["virtualInterfaceId"]})
    for v in (vif, alloc):
        wait_for(lambda: call("DescribeVirtualInterfaces", {"virtualInterfaceId": v["virtualInterfaceId"]})["virtualInterfaces"][0]["virtualInterfaceState"],
                 {"deleted"}, "osc vif deletion")
    call("DeleteConnection", {"connectionId": cid})
    bad = call("CreateConnection", {"bandwidth": "100Gbps", "connectionName": "x", "location": "PAR1"})
    check(bad.get("__error") == 400 and bad.get("__type") == "DirectConnectClientException", f"osc validation: {bad}")
    check(any(f["field"] == "bandwidth" for f in bad["fieldErrors"]), "fieldErrors name bandwidth")
    errors["directlink.validation"] = bad["__type"]


def outposts(s):
    op = boto3.client("outposts", region_name="us-east-1", endpoint_url=f"{BASE}/api/aws/outposts/us-east-1",
                      aws_access_key_id="ignored-by-the-proxy", aws_secret_access_key="ignored-by-the-proxy")
    op.meta.events.register("before-send", add_token)
    wg_key = base64.b64encode(os.urandom(32)).decode()
    started = op.start_connection(AssetId=s["outposts"]["assetIds"][0], ClientPublicKey=wg_key, NetworkInterfaceDeviceIndex=1)
    called["outposts"].append("StartConnection")
    check(started["ConnectionId"] and started["UnderlayIpAddress"], f"start: {started}")
    got = op.get_connection(ConnectionId=started["ConnectionId"])
    called["outposts"].append("GetConnection")
    check(got["ConnectionId"] == started["ConnectionId"], "same connection")
    check(got["ConnectionDetails"]["ClientPublicKey"] == wg_key, "details carry the client key")
    try:
        op.start_connection(AssetId="bad asset!", ClientPublicKey="A" * 44, NetworkInterfaceDeviceIndex=1)
        raise SystemExit("FAILED: bad Outposts input accepted")
    except ClientError as e:
        errors["outposts.validation"] = e.response["Error"]["Code"]


def oci_console(s):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tmp = tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False)
    tmp.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    tmp.close()
    config = {"user": "ocid1.user.oc1..aaaaaaaasdktest", "tenancy": "ocid1.tenancy.oc1..aaaaaaaasdktest",
              "fingerprint": "11:22:33:44:55:66:77:88:99:00:aa:bb:cc:dd:ee:ff", "key_file": tmp.name, "region": "us-ashburn-1"}
    compute = oci.core.ComputeClient(config, service_endpoint=f"{BASE}/api/oci/core/us-ashburn-1")
    compute.base_client.session.headers["X-Cloudlink-Token"] = TOKEN
    seed = s["oci-core"]
    instance = seed["instances"][0]["id"]
    created = compute.create_instance_console_connection(
        oci.core.models.CreateInstanceConsoleConnectionDetails(instance_id=instance, public_key=ssh_public_key(),
                                                               freeform_tags={"team": "sdk"})).data
    called["oci-core"].append("CreateInstanceConsoleConnection")
    wait_for(lambda: compute.get_instance_console_connection(created.id).data.lifecycle_state, {"ACTIVE"}, "oci connection")
    called["oci-core"].append("GetInstanceConsoleConnection")
    active = compute.get_instance_console_connection(created.id).data
    check(active.connection_string and active.vnc_connection_string, "connection strings")
    listed = compute.list_instance_console_connections(compartment_id=seed["compartmentId"], instance_id=instance).data
    called["oci-core"].append("ListInstanceConsoleConnections")
    check(any(c.id == created.id for c in listed), "listed")
    try:
        compute.create_instance_console_connection(
            oci.core.models.CreateInstanceConsoleConnectionDetails(instance_id=instance, public_key=ssh_public_key()))
        raise SystemExit("FAILED: a second console connection on one instance was accepted")
    except oci.exceptions.ServiceError as e:
        errors["oci.limit"] = f"{e.status} {e.code}"
    compute.delete_instance_console_connection(created.id)
    called["oci-core"].append("DeleteInstanceConsoleConnection")
    wait_for(lambda: compute.get_instance_console_connection(created.id).data.lifecycle_state, {"DELETED"}, "oci deletion")
    try:
        compute.get_instance_console_connection("ocid1.instanceconsoleconnection.oc1.us-ashburn-1.doesnotexist")
        raise SystemExit("FAILED: unknown console connection found")
    except oci.exceptions.ServiceError as e:
        errors["oci.unknownId"] = f"{e.status} {e.code}"
    try:
        compute.create_instance_console_connection(
            oci.core.models.CreateInstanceConsoleConnectionDetails(instance_id="ocid1.vcn.oc1..nope", public_key="ssh-rsa nope"))
        raise SystemExit("FAILED: bad OCI input accepted")
    except oci.exceptions.ServiceError as e:
        errors["oci.validation"] = f"{e.status} {e.code}"
    os.unlink(tmp.name)


def direct_connect_without_slash(s):
    """The endpoint as users write it, without the trailing slash: botocore then posts to
    `.../us-east-1` itself (no `/` appended for the JSON protocol's `requestUri "/"`)."""
    dx = boto3.client(
        "directconnect",
        region_name="us-east-1",
        endpoint_url=f"{BASE}/api/aws/directconnect/us-east-1",
        aws_access_key_id="ignored-by-the-proxy",
        aws_secret_access_key="ignored-by-the-proxy",
    )
    paths = []
    dx.meta.events.register("before-send", add_token)
    dx.meta.events.register("before-send", lambda request, **_: paths.append(request.url))
    locations = dx.describe_locations()["locations"]
    conn = dx.create_connection(location=locations[0]["locationCode"], bandwidth="1Gbps",
                                connectionName="sdk-no-slash")
    deleted = dx.delete_connection(connectionId=conn["connectionId"])
    no_slash["urls"] = sorted(set(paths))
    no_slash["created"] = conn["connectionId"]
    no_slash["deletedState"] = deleted["connectionState"]


no_slash = {}
s = seeds()
direct_connect_without_slash(s)
direct_connect(s)
direct_link(s)
outposts(s)
oci_console(s)
print(json.dumps({"called": called, "errors": errors, "noSlash": no_slash}))
