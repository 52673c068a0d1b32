"""botocore's SigV4 on the request `cargo xtask bench` signs with cloudlink (the criterion
bench's Direct Connect call): prints `BENCH {"us_per_call": ...}`. Run with the project's
.venv python; argument: the number of calls to time (default 20000)."""

import json
import sys
import time

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

BODY = (
    '{"connectionId":"dxcon-abcd1234","newPrivateVirtualInterface":{"virtualInterfaceName":"vif-1",'
    '"vlan":100,"asn":65000,"authKey":"bgp-key-123","amazonAddress":"169.254.0.1/30",'
    '"customerAddress":"169.254.0.2/30","addressFamily":"ipv4","virtualGatewayId":"vgw-12345678",'
    '"tags":[{"key":"team","value":"net"}]}}'
)


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    signer = SigV4Auth(creds, "directconnect", "us-east-1")

    request = AWSRequest(
        method="POST",
        url="https://directconnect.us-east-1.amazonaws.com/",
        data=BODY.encode(),
        headers={
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "OvertureService.CreatePrivateVirtualInterface",
        },
    )

    # add_auth replaces the Authorization and X-Amz-Date headers it set before, so one
    # request signed again and again times the signing alone, not building the request.
    def one():
        signer.add_auth(request)

    for _ in range(calls // 10):
        one()
    start = time.perf_counter()
    for _ in range(calls):
        one()
    took = time.perf_counter() - start
    print("BENCH " + json.dumps({"us_per_call": took / calls * 1e6, "calls": calls}))


if __name__ == "__main__":
    main()
