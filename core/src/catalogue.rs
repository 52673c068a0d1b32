//! The catalogue of operations cloudlink forwards: for each, its service, name,
//! HTTP method, path and `X-Amz-Target`, and whether it changes anything.
//!
//! The proxy routes and authorises from this table alone, and the console
//! builds its calls from it, so an operation missing here cannot be sent.

use std::fmt;

/// Who runs the API. Rules differ by provider where their documents differ.
/// On the wire (`/api/profiles`, routes) it is `aws`, `outscale` or `oci`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Aws,
    Outscale,
    Oci,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Outscale, Provider::Oci];

    /// The provider a route or `/api/profiles` key names.
    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.display_name() == name)
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Outscale => "outscale",
            Provider::Oci => "oci",
        }
    }
}

/// One API, as the contract's routes and `--upstream SERVICE=URL` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// AWS Direct Connect, AWS JSON 1.1.
    DirectConnect,
    /// OUTSCALE DirectLink, the AWS-compatible API, AWS JSON 1.1.
    DirectLink,
    /// AWS Outposts server connections, restJson1.
    Outposts,
    /// OCI Core services (instance console connections), OCI REST.
    OciCore,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::DirectConnect,
        Service::DirectLink,
        Service::Outposts,
        Service::OciCore,
    ];

    /// The contract's name: `directconnect`, `directlink`, `outposts`, `oci-core`.
    pub fn id(self) -> &'static str {
        match self {
            Service::DirectConnect => "directconnect",
            Service::DirectLink => "directlink",
            Service::Outposts => "outposts",
            Service::OciCore => "oci-core",
        }
    }

    pub fn from_id(id: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn provider(self) -> Provider {
        match self {
            Service::DirectConnect | Service::Outposts => Provider::Aws,
            Service::DirectLink => Provider::Outscale,
            Service::OciCore => Provider::Oci,
        }
    }

    /// The SigV4 service name, for the services signed with SigV4.
    pub fn sigv4_name(self) -> Option<&'static str> {
        match self {
            Service::DirectConnect => Some("directconnect"),
            Service::DirectLink => Some("directlink"),
            Service::Outposts => Some("outposts"),
            Service::OciCore => None,
        }
    }

    /// The provider's public endpoint for a region that [`Region::parse`] accepted.
    pub fn endpoint(self, region: &Region) -> String {
        let r = region.as_str();
        match self {
            Service::DirectConnect => format!("https://directconnect.{r}.amazonaws.com"),
            Service::DirectLink => format!("https://directlink.{r}.outscale.com"),
            Service::Outposts => format!("https://outposts.{r}.amazonaws.com"),
            Service::OciCore => format!("https://iaas.{r}.oraclecloud.com"),
        }
    }

    /// The region a new user sees first.
    pub fn default_region(self) -> &'static str {
        match self {
            Service::DirectConnect | Service::Outposts => "us-east-1",
            Service::DirectLink => "eu-west-2",
            Service::OciCore => "us-ashburn-1",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A region name that is safe to put in a host name.
///
/// Only lowercase ASCII letters and digits in dash-separated groups are
/// accepted, in the shapes the providers use (`us-east-1`, `us-gov-west-1`,
/// `cloudgouv-eu-west-1`, `eu-frankfurt-1`), so no region can carry a dot, a
/// slash, an `@` or anything else that would change which host is called.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(String);

/// Why a region name was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRegion(pub String);

impl fmt::Display for InvalidRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("region must look like us-east-1: lowercase letters and digits in 3 to 5 dash-separated groups ending with a number")
    }
}

impl std::error::Error for InvalidRegion {}

impl Region {
    pub fn parse(value: &str) -> Result<Region, InvalidRegion> {
        let bad = || InvalidRegion(value.chars().take(64).collect());
        if value.is_empty() || value.len() > 32 {
            return Err(bad());
        }
        let groups: Vec<&str> = value.split('-').collect();
        if !(3..=5).contains(&groups.len()) {
            return Err(bad());
        }
        let (last, words) = groups.split_last().ok_or_else(bad)?;
        let word_ok = |g: &&str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_lowercase());
        let number_ok =
            !last.is_empty() && last.len() <= 2 && last.bytes().all(|b| b.is_ascii_digit());
        if words.iter().all(word_ok) && number_ok {
            Ok(Region(value.to_owned()))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// HTTP methods the catalogue uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// Every forwarded operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    CreateConnection,
    DeleteConnection,
    DescribeConnections,
    DescribeLocations,
    AllocatePrivateVirtualInterface,
    ConfirmPrivateVirtualInterface,
    CreatePrivateVirtualInterface,
    DeleteVirtualInterface,
    DescribeVirtualGateways,
    DescribeVirtualInterfaces,
    TagResource,
    UntagResource,
    DescribeTags,
    StartConnection,
    GetConnection,
    CreateInstanceConsoleConnection,
    ListInstanceConsoleConnections,
    GetInstanceConsoleConnection,
    DeleteInstanceConsoleConnection,
}

/// Whether an operation only reads (allowed by `--read-only`) or changes something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    pub service: Service,
    pub operation: Operation,
    /// The API's own name of the operation.
    pub name: &'static str,
    pub method: Method,
    /// Path template relative to the endpoint; `{id}` is a path parameter.
    pub path: &'static str,
    /// `X-Amz-Target` for AWS JSON 1.1 services.
    pub target: Option<&'static str>,
    pub access: Access,
    /// Whether repeating the call can never create a second resource.
    pub idempotent: bool,
}

/// Content type of AWS JSON 1.1 requests.
pub const AWS_JSON_1_1: &str = "application/x-amz-json-1.1";
/// Content type of restJson1 and OCI requests.
pub const APPLICATION_JSON: &str = "application/json";

/// One AWS JSON 1.1 row: `POST /` with an `X-Amz-Target`.
const fn json_1_1(
    service: Service,
    operation: Operation,
    name: &'static str,
    target: &'static str,
    access: Access,
) -> OperationInfo {
    OperationInfo {
        service,
        operation,
        name,
        method: Method::Post,
        path: "/",
        target: Some(target),
        access,
        idempotent: matches!(access, Access::Read),
    }
}

/// One REST row: a method and a path template, no target.
const fn rest(
    service: Service,
    operation: Operation,
    name: &'static str,
    method: Method,
    path: &'static str,
    access: Access,
    idempotent: bool,
) -> OperationInfo {
    OperationInfo {
        service,
        operation,
        name,
        method,
        path,
        target: None,
        access,
        idempotent,
    }
}

/// Declares the ten operations Direct Connect and DirectLink share, for one service.
macro_rules! dx_rows {
    ($service:expr) => {
        [
            json_1_1(
                $service,
                Operation::CreateConnection,
                "CreateConnection",
                "OvertureService.CreateConnection",
                Access::Write,
            ),
            json_1_1(
                $service,
                Operation::DeleteConnection,
                "DeleteConnection",
                "OvertureService.DeleteConnection",
                Access::Write,
            ),
            json_1_1(
                $service,
                Operation::DescribeConnections,
                "DescribeConnections",
                "OvertureService.DescribeConnections",
                Access::Read,
            ),
            json_1_1(
                $service,
                Operation::DescribeLocations,
                "DescribeLocations",
                "OvertureService.DescribeLocations",
                Access::Read,
            ),
            json_1_1(
                $service,
                Operation::AllocatePrivateVirtualInterface,
                "AllocatePrivateVirtualInterface",
                "OvertureService.AllocatePrivateVirtualInterface",
                Access::Write,
            ),
            json_1_1(
                $service,
                Operation::ConfirmPrivateVirtualInterface,
                "ConfirmPrivateVirtualInterface",
                "OvertureService.ConfirmPrivateVirtualInterface",
                Access::Write,
            ),
            json_1_1(
                $service,
                Operation::CreatePrivateVirtualInterface,
                "CreatePrivateVirtualInterface",
                "OvertureService.CreatePrivateVirtualInterface",
                Access::Write,
            ),
            json_1_1(
                $service,
                Operation::DeleteVirtualInterface,
                "DeleteVirtualInterface",
                "OvertureService.DeleteVirtualInterface",
                Access::Write,
            ),
            json_1_1(
                $service,
                Operation::DescribeVirtualGateways,
                "DescribeVirtualGateways",
                "OvertureService.DescribeVirtualGateways",
                Access::Read,
            ),
            json_1_1(
                $service,
                Operation::DescribeVirtualInterfaces,
                "DescribeVirtualInterfaces",
                "OvertureService.DescribeVirtualInterfaces",
                Access::Read,
            ),
        ]
    };
}

const DX: [OperationInfo; 10] = dx_rows!(Service::DirectConnect);
const LINK: [OperationInfo; 10] = dx_rows!(Service::DirectLink);
/// AWS Direct Connect's tagging calls; OUTSCALE's DirectLink has none. Tagging twice
/// cannot create anything, but only reads are retried automatically.
const DX_TAGS: [OperationInfo; 3] = [
    json_1_1(
        Service::DirectConnect,
        Operation::TagResource,
        "TagResource",
        "OvertureService.TagResource",
        Access::Write,
    ),
    json_1_1(
        Service::DirectConnect,
        Operation::UntagResource,
        "UntagResource",
        "OvertureService.UntagResource",
        Access::Write,
    ),
    json_1_1(
        Service::DirectConnect,
        Operation::DescribeTags,
        "DescribeTags",
        "OvertureService.DescribeTags",
        Access::Read,
    ),
];
/// Outposts `StartConnection`.
pub const START_CONNECTION: OperationInfo = rest(
    Service::Outposts,
    Operation::StartConnection,
    "StartConnection",
    Method::Post,
    "/connections",
    Access::Write,
    false,
);
/// Outposts `GetConnection`; the id is base64 and may hold `/`.
pub const GET_CONNECTION: OperationInfo = rest(
    Service::Outposts,
    Operation::GetConnection,
    "GetConnection",
    Method::Get,
    "/connections/{id+}",
    Access::Read,
    true,
);
/// OCI `CreateInstanceConsoleConnection`: idempotent only with an
/// `opc-retry-token`, which the proxy always sets.
pub const CREATE_INSTANCE_CONSOLE_CONNECTION: OperationInfo = rest(
    Service::OciCore,
    Operation::CreateInstanceConsoleConnection,
    "CreateInstanceConsoleConnection",
    Method::Post,
    "/20160918/instanceConsoleConnections",
    Access::Write,
    true,
);
/// OCI `ListInstanceConsoleConnections`.
pub const LIST_INSTANCE_CONSOLE_CONNECTIONS: OperationInfo = rest(
    Service::OciCore,
    Operation::ListInstanceConsoleConnections,
    "ListInstanceConsoleConnections",
    Method::Get,
    "/20160918/instanceConsoleConnections",
    Access::Read,
    true,
);
/// OCI `GetInstanceConsoleConnection`.
pub const GET_INSTANCE_CONSOLE_CONNECTION: OperationInfo = rest(
    Service::OciCore,
    Operation::GetInstanceConsoleConnection,
    "GetInstanceConsoleConnection",
    Method::Get,
    "/20160918/instanceConsoleConnections/{id}",
    Access::Read,
    true,
);
/// OCI `DeleteInstanceConsoleConnection`.
pub const DELETE_INSTANCE_CONSOLE_CONNECTION: OperationInfo = rest(
    Service::OciCore,
    Operation::DeleteInstanceConsoleConnection,
    "DeleteInstanceConsoleConnection",
    Method::Delete,
    "/20160918/instanceConsoleConnections/{id}",
    Access::Write,
    false,
);
const REST: [OperationInfo; 6] = [
    START_CONNECTION,
    GET_CONNECTION,
    CREATE_INSTANCE_CONSOLE_CONNECTION,
    LIST_INSTANCE_CONSOLE_CONNECTIONS,
    GET_INSTANCE_CONSOLE_CONNECTION,
    DELETE_INSTANCE_CONSOLE_CONNECTION,
];

/// Concatenates the row groups into one array at compile time.
const fn rows<const N: usize>(groups: [&[OperationInfo]; 4]) -> [OperationInfo; N] {
    let mut out = [DX[0]; N];
    let (mut g, mut n) = (0, 0);
    while g < groups.len() {
        let mut i = 0;
        while i < groups[g].len() {
            out[n] = groups[g][i];
            n += 1;
            i += 1;
        }
        g += 1;
    }
    assert!(n == N, "the catalogue's length is the sum of its groups");
    out
}

/// The catalogue: one row per (service, operation). Everything that routes,
/// authorises, builds or sends a call reads this table.
pub static CATALOGUE: [OperationInfo; 29] = rows([&DX, &DX_TAGS, &LINK, &REST]);

impl Operation {
    /// The API's own name (`CreateConnection`, `CreateInstanceConsoleConnection`).
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateConnection => "CreateConnection",
            Operation::DeleteConnection => "DeleteConnection",
            Operation::DescribeConnections => "DescribeConnections",
            Operation::DescribeLocations => "DescribeLocations",
            Operation::AllocatePrivateVirtualInterface => "AllocatePrivateVirtualInterface",
            Operation::ConfirmPrivateVirtualInterface => "ConfirmPrivateVirtualInterface",
            Operation::CreatePrivateVirtualInterface => "CreatePrivateVirtualInterface",
            Operation::DeleteVirtualInterface => "DeleteVirtualInterface",
            Operation::DescribeVirtualGateways => "DescribeVirtualGateways",
            Operation::DescribeVirtualInterfaces => "DescribeVirtualInterfaces",
            Operation::TagResource => "TagResource",
            Operation::UntagResource => "UntagResource",
            Operation::DescribeTags => "DescribeTags",
            Operation::StartConnection => "StartConnection",
            Operation::GetConnection => "GetConnection",
            Operation::CreateInstanceConsoleConnection => "CreateInstanceConsoleConnection",
            Operation::ListInstanceConsoleConnections => "ListInstanceConsoleConnections",
            Operation::GetInstanceConsoleConnection => "GetInstanceConsoleConnection",
            Operation::DeleteInstanceConsoleConnection => "DeleteInstanceConsoleConnection",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The whole catalogue, one entry per (service, operation).
pub fn catalogue() -> &'static [OperationInfo] {
    &CATALOGUE
}

/// The entry for an operation of a service, if cloudlink forwards it.
pub fn lookup(service: Service, operation: Operation) -> Option<OperationInfo> {
    CATALOGUE
        .iter()
        .find(|i| i.service == service && i.operation == operation)
        .copied()
}

/// The Direct Connect / DirectLink operation an `X-Amz-Target` names.
pub fn by_target(service: Service, target: &str) -> Option<OperationInfo> {
    CATALOGUE
        .iter()
        .find(|i| i.service == service && i.target == Some(target))
        .copied()
}

/// The REST operation a method and a (percent-decoded) path name, with the
/// value of the path's id parameter: `{id}` is any characters but `/`;
/// `{id+}` may hold `/` (an Outposts `ConnectionId` is base64).
pub fn by_route(
    service: Service,
    method: Method,
    path: &str,
) -> Option<(OperationInfo, Option<String>)> {
    CATALOGUE
        .iter()
        .filter(|i| i.service == service && i.method == method && i.target.is_none())
        .find_map(|i| i.match_path(path).map(|id| (*i, id)))
}

impl OperationInfo {
    /// Whether `path` fits this row's template; `Some(id)` for its `{id}`.
    fn match_path(&self, path: &str) -> Option<Option<String>> {
        let Some((before, label, after)) = self.id_label() else {
            return (path == self.path).then_some(None);
        };
        let id = path.strip_prefix(before)?.strip_suffix(after)?;
        // An empty id is routed, so that validation can say it is required.
        let ok = label == "{id+}" || !id.contains('/');
        ok.then(|| Some(id.to_owned()))
    }

    /// The template split around its id label: (before, label, after).
    pub(crate) fn id_label(&self) -> Option<(&'static str, &'static str, &'static str)> {
        let start = self.path.find('{')?;
        let len = self.path[start..].find('}')? + 1;
        let (before, rest) = self.path.split_at(start);
        let (label, after) = rest.split_at(len);
        Some((before, label, after))
    }

    /// Whether the path has an id parameter.
    pub fn takes_id(&self) -> bool {
        self.id_label().is_some()
    }
}
