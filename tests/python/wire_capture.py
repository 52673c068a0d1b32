"""The providers' own SDKs make one call per catalogue operation against a capture server.

Driven by proxy/tests/wire_exactness.rs, which records the raw bytes each call puts on the wire
and compares them with what cloudlink-proxy sends upstream for the same call. Reads one JSON
command on stdin:

  {"endpoint": "http://127.0.0.1:PORT",
   "aws": {"access_key_id", "secret_access_key", "session_token"},
   "oci": {"tenancy", "user", "fingerprint", "key_file"},
   "calls": [{"service": "directconnect", "region": "us-east-1", "operation": "CreateConnection",
              "input": {...}}, ...]}

and makes the calls in order, each exactly as a user of the SDK would (the SDK's defaults,
retries included; the capture server answers 200, so nothing is retried):
  - directconnect, outposts: a boto3 client with `endpoint_url`;
  - directlink: the same botocore Direct Connect client (OUTSCALE's DirectLink speaks Direct
    Connect's AWS JSON 1.1), its SigV4 signing name set to `directlink`, as OUTSCALE documents;
  - oci-core: `oci.core.ComputeClient` with `service_endpoint`; `input` holds the API's own
    (camelCase) member names, turned into the SDK's snake_case arguments here.
Prints one JSON line: the operations called, in order.
"""

import json
import re
import sys

import boto3
import botocore.config
import oci

cmd = json.load(sys.stdin)
endpoint = cmd["endpoint"]
aws = cmd["aws"]
config = botocore.config.Config(retries={"mode": "standard"})
clients = {}


def aws_client(service, region):
    key = (service, region)
    if key not in clients:
        model = "directconnect" if service == "directlink" else service
        client = boto3.client(
            model,
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id=aws["access_key_id"],
            aws_secret_access_key=aws["secret_access_key"],
            aws_session_token=aws["session_token"],
            config=config,
        )
        if service == "directlink":
            def directlink_signing_name(request, **_):
                request.context.setdefault("signing", {})["signing_name"] = "directlink"

            client.meta.events.register("before-sign.direct-connect", directlink_signing_name)
        clients[key] = client
    return clients[key]


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def oci_client(region):
    if "oci" not in clients:
        o = cmd["oci"]
        config = {"user": o["user"], "tenancy": o["tenancy"], "fingerprint": o["fingerprint"],
                  "key_file": o["key_file"], "region": region}
        clients["oci"] = oci.core.ComputeClient(config, service_endpoint=endpoint)
    return clients["oci"]


def oci_call(region, operation, data):
    compute = oci_client(region)
    if operation == "CreateInstanceConsoleConnection":
        details = oci.core.models.CreateInstanceConsoleConnectionDetails(**{snake(k): v for k, v in data.items()})
        compute.create_instance_console_connection(details)
    elif operation == "ListInstanceConsoleConnections":
        compute.list_instance_console_connections(**{snake(k): v for k, v in data.items()})
    elif operation == "GetInstanceConsoleConnection":
        compute.get_instance_console_connection(data["instanceConsoleConnectionId"])
    elif operation == "DeleteInstanceConsoleConnection":
        extra = {"if_match": data["ifMatch"]} if "ifMatch" in data else {}
        compute.delete_instance_console_connection(data["instanceConsoleConnectionId"], **extra)
    else:
        raise SystemExit(f"no OCI call for {operation}")


done = []
for call in cmd["calls"]:
    service, region, operation, data = call["service"], call["region"], call["operation"], call["input"]
    if service == "oci-core":
        oci_call(region, operation, data)
    else:
        client = aws_client(service, region)
        getattr(client, snake(operation))(**data)
    done.append(f"{service}.{operation}")
print(json.dumps({"called": done}))
