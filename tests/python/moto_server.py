"""moto's server with signature checking on, for proxy/tests/moto.rs.

Why: the sandbox checks signatures with our own verifier; moto checks them
with botocore's. A proxy-signed call that moto accepts is signed the way AWS
expects, and a wrong secret must come back as moto's own error, untouched.

`INITIAL_NO_AUTH_ACTION_COUNT=0` turns checking on from the first request
(moto reads it once, at import). So the IAM user, its access key and its
allow-all policy are made directly in moto's IAM backend, in this process,
before the server answers anything: a boto3 call would already need a key.

moto 5.2.5 names a connection by an ARN (`arn:aws:directconnect:...:dx-con/
dx-moto-NAME-TIME`); AWS names it `dxcon-` and 8 characters, and the proxy's
validation (cloudlink-core, after AWS) refuses anything else in
DeleteConnection. So new connections here get AWS-shaped ids.

Prints one JSON line `{"port", "access_key_id", "secret_access_key"}` and
serves until stdin closes (or the process is killed).
"""

import json
import os
import secrets
import string
import sys

os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
# No real credentials or config may leak into moto from the environment.
for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    os.environ.pop(name, None)

from moto import settings  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.directconnect.models import Connection  # noqa: E402
from moto.iam.models import iam_backends  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

USER = "cloudlink-test"
ALLOW_ALL = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
)

ID_CHARS = string.ascii_lowercase + string.digits
_moto_post_init = Connection.__post_init__


def _aws_shaped_id(self: Connection) -> None:
    """`dxcon-fg5678gh`, as AWS names connections; moto keeps a set id."""
    if self.connection_id == "":
        self.connection_id = "dxcon-" + "".join(secrets.choice(ID_CHARS) for _ in range(8))
    _moto_post_init(self)


Connection.__post_init__ = _aws_shaped_id  # type: ignore[method-assign]


def main() -> None:
    if settings.INITIAL_NO_AUTH_ACTION_COUNT != 0:
        sys.exit(f"moto did not take INITIAL_NO_AUTH_ACTION_COUNT=0 ({settings.INITIAL_NO_AUTH_ACTION_COUNT})")
    iam = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
    iam.create_user(region_name="us-east-1", user_name=USER)
    iam.put_user_policy(USER, "allow-all", ALLOW_ALL)
    key = iam.create_access_key(USER)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(
        json.dumps(
            {
                "port": port,
                "access_key_id": key.access_key_id,
                "secret_access_key": key.secret_access_key,
            }
        ),
        flush=True,
    )
    sys.stdin.read()  # until the test closes stdin or exits
    server.stop()


if __name__ == "__main__":
    main()
