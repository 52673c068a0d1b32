//! The estate as a bash script of CLI commands that recreate it: `aws
//! directconnect` for Direct Connect, `osc-cli directlink` for OUTSCALE
//! DirectLink (which has no Terraform resource), `oci compute
//! instance-console-connection` for OCI.
//!
//! A connection created by the script gets a new id: the script reads it from
//! the CLI's JSON answer into a shell variable, and the virtual interfaces on
//! that connection use it. Every value from the cloud is one single-quoted
//! word; BGP auth keys and the SSH public key are shell variables the script
//! requires before it runs anything.
//!
//! osc-cli reads each argument as a Python literal (`--vlan 101` is a number,
//! `'"101"'` a string), so its strings are passed as quoted literals.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{
    Estate, Names, Origin, Role, Seen, VifType, connection_gone, console_gone, left_out, role,
    skip_reason, vif_gone, vif_type, where_read,
};
use crate::catalogue::Service;
use crate::directconnect::{Connection, Tag, VirtualInterface};
use crate::oci::InstanceConsoleConnection;

/// The variable naming the SSH public key file of the console connections.
const PUBLIC_KEY_FILE: &str = "SSH_PUBLIC_KEY_FILE";

/// Largest `asn`; larger ones go to `asnLong`.
const ASN_MAX: i64 = 2_147_483_646;

/// `text` as one single-quoted shell word: nothing in it is expanded.
pub(crate) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `text` as a JSON string (a valid Python string literal too, for osc-cli).
fn json_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

const HELPERS: &str = r#"# json_field NAME: the first string value of NAME in the JSON read on stdin.
json_field() {
  local json re
  json=$(cat)
  re="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"]*)\""
  if [[ $json =~ $re ]]; then
    printf '%s\n' "${BASH_REMATCH[1]}"
  else
    echo "no $1 in the answer: $json" >&2
    return 1
  fi
}

# json_string VALUE: VALUE as a JSON string (for secrets spliced into JSON).
json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

"#;

/// One command being written: `program words...`, one option per line.
struct Command {
    words: Vec<String>,
}

impl Command {
    fn new(program: &str) -> Command {
        Command {
            words: vec![program.to_owned()],
        }
    }

    /// `--name 'value'`.
    fn arg(&mut self, name: &str, value: &str) -> &mut Command {
        self.raw(name, &shell_quote(value))
    }

    /// `--name word`, the word already shell syntax.
    fn raw(&mut self, name: &str, word: &str) -> &mut Command {
        self.words.push(format!("{name} {word}"));
        self
    }

    fn text(&self) -> String {
        self.words.join(" \\\n  ")
    }
}

/// A JSON object as a shell word; with a secret, spliced in from a variable.
fn json_word(mut object: Map<String, Value>, secret: Option<&str>) -> String {
    object.remove("authKey");
    let text = Value::Object(object).to_string();
    match secret {
        None => shell_quote(&text),
        Some(var) => {
            let open = &text[..text.len() - 1];
            let sep = if open.len() > 1 { "," } else { "" };
            let head = shell_quote(&format!("{open}{sep}\"authKey\":"));
            format!("{head}\"$(json_string \"${var}\")\"'}}'")
        }
    }
}

fn tag_list(tags: Option<&Vec<Tag>>) -> Option<Value> {
    let list: Vec<Value> = tags
        .into_iter()
        .flatten()
        .map(|t| match &t.value {
            Some(value) => json!({"key": t.key, "value": value}),
            None => json!({"key": t.key}),
        })
        .collect();
    (!list.is_empty()).then_some(Value::Array(list))
}

/// The script being written.
#[derive(Default)]
struct Writer<'e> {
    requirements: String,
    body: String,
    shell_names: Names,
    seen: Seen,
    /// Connections created by the script: (origin, old id) to shell variable.
    connections: BTreeMap<(Service, &'e str, &'e str, &'e str), String>,
    uses_public_key: bool,
}

/// The estate as one bash script. Pure: the same estate gives the same text.
pub fn cli_script(estate: &Estate) -> String {
    let mut w = Writer::default();
    for (origin, c) in &estate.connections {
        w.connection(origin, c);
    }
    for (origin, v) in &estate.interfaces {
        w.interface(estate, origin, v);
    }
    for (origin, c) in &estate.console_connections {
        w.console_connection(origin, c);
    }
    if w.uses_public_key {
        let _ = writeln!(
            w.requirements,
            ": \"${{{PUBLIC_KEY_FILE}:?set {PUBLIC_KEY_FILE} to the SSH public key file for the console connections}}\""
        );
    }
    let mut out = String::from(
        "#!/usr/bin/env bash\n\
         # CLI export from cloudlink: commands that recreate what the console read, with\n\
         # aws (Direct Connect), osc-cli (OUTSCALE DirectLink) and oci (OCI). Connections\n\
         # created here get new ids, which the virtual interfaces on them use. Secrets are\n\
         # variables to set before running: nothing secret is written here.\n\
         set -euo pipefail\n\n",
    );
    if !w.requirements.is_empty() {
        out.push_str("# To set before running:\n");
        out.push_str(&w.requirements);
        out.push('\n');
    }
    out.push_str(HELPERS);
    out.push_str(&w.body);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

impl<'e> Writer<'e> {
    fn comment(&mut self, text: &str) {
        let _ = writeln!(self.body, "# {text}");
    }

    fn command(&mut self, text: &str) {
        let _ = writeln!(self.body, "{text}\n");
    }

    /// Writes the comment for an item left out and returns false, or true.
    fn keep(&mut self, what: &str, origin: &Origin, id: Option<&String>, gone: bool) -> bool {
        let id = id.map(String::as_str);
        let Some(reason) = skip_reason(&mut self.seen, origin.service, id, gone) else {
            return true;
        };
        self.comment(&left_out(what, origin, id, reason));
        self.body.push('\n');
        false
    }

    fn connection(&mut self, origin: &Origin<'e>, c: &'e Connection) {
        let id = c.connection_id.as_ref();
        if !self.keep("connection", origin, id, connection_gone(c)) {
            return;
        }
        let id = c.connection_id.as_deref().unwrap_or_default();
        let name = c.connection_name.as_deref().unwrap_or_default();
        let heading = format!("connection {name:?} ({id:?}) {}", where_read(origin));
        let command = match origin.service {
            Service::DirectConnect => {
                self.comment(&format!("Direct Connect {heading}"));
                aws_create_connection(origin, c)
            }
            Service::DirectLink => {
                self.comment(&format!("OUTSCALE DirectLink {heading}"));
                self.comment("(osc-cli takes the region from the profile)");
                osc_create_connection(origin, c)
            }
            Service::Outposts | Service::OciCore => {
                self.comment(&format!("Left out: {heading}: not a Direct Connect item."));
                self.body.push('\n');
                return;
            }
        };
        let var = self.shell_names.unique(&format!("conn_{id}"));
        self.command(&format!(
            "{var}=$({} \\\n  | json_field connectionId)",
            command.text()
        ));
        let key = (origin.service, origin.profile, origin.region, id);
        self.connections.insert(key, var);
    }

    fn interface(&mut self, estate: &Estate<'e>, origin: &Origin<'e>, v: &'e VirtualInterface) {
        let id = v.virtual_interface_id.as_ref();
        if !self.keep("virtual interface", origin, id, vif_gone(v)) {
            return;
        }
        let id = id.map(String::as_str).unwrap_or_default();
        let name = v.virtual_interface_name.as_deref().unwrap_or_default();
        let heading = format!("virtual interface {name:?} ({id:?}) {}", where_read(origin));
        let kind = vif_type(v);
        let provider = match (origin.service, kind) {
            (Service::DirectConnect, Some(_)) => "Direct Connect",
            (Service::DirectLink, Some(VifType::Private)) => "OUTSCALE DirectLink",
            _ => {
                let ty = v.virtual_interface_type.as_deref().unwrap_or("unknown");
                self.comment(&format!(
                    "Left out: {heading}: type {ty:?} is not exported."
                ));
                self.body.push('\n');
                return;
            }
        };
        let kind = kind.unwrap_or(VifType::Private);
        let role = role(estate, origin, v);
        self.comment(&format!("{provider} {heading}, {}", side(kind, role)));
        if origin.service == Service::DirectLink {
            self.comment("(osc-cli takes the region from the profile)");
        }
        if role == Role::Accepted {
            self.comment("It is allocated by the connection's owner: once they allocate it again,");
            self.comment("confirm it with the new interface id in place of this one.");
        }
        let secret = match (role, &v.auth_key) {
            (Role::Owned | Role::Hosted { .. }, Some(_)) => Some(self.secret(id)),
            _ => None,
        };
        let connection = self.connection_word(origin, v, origin.service == Service::DirectLink);
        let command = if origin.service == Service::DirectLink {
            osc_interface(origin, v, role, &connection, secret.as_deref())
        } else {
            aws_interface(origin, v, kind, role, &connection, secret.as_deref())
        };
        self.command(&command.text());
    }

    /// The connection id as a shell word: the variable of a connection the
    /// script creates, else the id read. For osc-cli, a quoted literal.
    fn connection_word(&self, origin: &Origin, v: &VirtualInterface, osc: bool) -> String {
        let id = v.connection_id.as_deref().unwrap_or_default();
        let key = (origin.service, origin.profile, origin.region, id);
        match (self.connections.get(&key), osc) {
            (Some(var), false) => format!("\"${var}\""),
            (Some(var), true) => format!("\"\\\"${var}\\\"\""),
            (None, false) => shell_quote(id),
            (None, true) => shell_quote(&json_string(id)),
        }
    }

    /// Declares the variable holding the BGP auth key of interface `id`.
    fn secret(&mut self, id: &str) -> String {
        let var = self
            .shell_names
            .unique(&format!("bgp_auth_key_{id}"))
            .to_ascii_uppercase();
        let _ = writeln!(
            self.requirements,
            "# the BGP auth key of virtual interface {id:?}\n: \"${{{var}:?set {var}}}\""
        );
        var
    }

    fn console_connection(&mut self, origin: &Origin<'e>, c: &'e InstanceConsoleConnection) {
        if !self.keep("console connection", origin, c.id.as_ref(), console_gone(c)) {
            return;
        }
        let id = c.id.as_deref().unwrap_or_default();
        let heading = format!("console connection {id:?} {}", where_read(origin));
        if origin.service != Service::OciCore {
            self.comment(&format!("Left out: {heading}: not an OCI item."));
            self.body.push('\n');
            return;
        }
        self.comment(&format!("OCI {heading}"));
        let mut command = Command::new("oci compute instance-console-connection create");
        command.arg("--region", origin.region);
        if !origin.profile.is_empty() {
            command.arg("--profile", origin.profile);
        }
        let instance = c.instance_id.as_deref().unwrap_or_default();
        command.arg("--instance-id", instance);
        command.raw("--ssh-public-key-file", &format!("\"${PUBLIC_KEY_FILE}\""));
        if let Some(tags) = c.freeform_tags.as_ref().filter(|t| !t.is_empty()) {
            command.arg("--freeform-tags", &json!(tags).to_string());
        }
        if let Some(tags) = c.defined_tags.as_ref().filter(|t| !t.is_empty()) {
            command.arg("--defined-tags", &json!(tags).to_string());
        }
        self.command(&command.text());
        self.uses_public_key = true;
    }
}

fn side(kind: VifType, role: Role) -> String {
    let word = match kind {
        VifType::Private => "private",
        VifType::Public => "public",
        VifType::Transit => "transit",
    };
    match role {
        Role::Owned => format!("{word}."),
        Role::Hosted { owner_account } => {
            format!("{word}, allocated to account {owner_account:?}.")
        }
        Role::Accepted => format!("{word}, accepted from the connection's owner."),
    }
}

fn aws_command(operation: &str, origin: &Origin) -> Command {
    let mut command = Command::new(&format!("aws directconnect {operation}"));
    command.arg("--region", origin.region);
    if !origin.profile.is_empty() {
        command.arg("--profile", origin.profile);
    }
    command
}

fn aws_create_connection(origin: &Origin, c: &Connection) -> Command {
    let mut command = aws_command("create-connection", origin);
    command.raw("--output", "json");
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    command.arg("--location", &text(&c.location));
    command.arg("--bandwidth", &text(&c.bandwidth));
    command.arg("--connection-name", &text(&c.connection_name));
    if let Some(provider) = &c.provider_name {
        command.arg("--provider-name", provider);
    }
    if let Some(tags) = tag_list(c.tags.as_ref()) {
        command.arg("--tags", &tags.to_string());
    }
    command
}

/// The fields of a new interface (or allocation) as the API names them.
fn vif_fields(v: &VirtualInterface, kind: VifType, role: Role) -> Map<String, Value> {
    let mut o = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            o.insert(key.to_owned(), value);
        }
    };
    put(
        "virtualInterfaceName",
        v.virtual_interface_name.clone().map(Value::from),
    );
    put("vlan", v.vlan.map(Value::from));
    match v.asn_long.or(v.asn) {
        Some(asn) if asn > ASN_MAX => put("asnLong", Some(Value::from(asn))),
        asn => put("asn", asn.map(Value::from)),
    }
    put("amazonAddress", v.amazon_address.clone().map(Value::from));
    put(
        "customerAddress",
        v.customer_address.clone().map(Value::from),
    );
    let family = v.address_family.as_ref().map(|f| f.as_str().to_owned());
    put("addressFamily", family.map(Value::from));
    if kind != VifType::Public {
        put("mtu", v.mtu.map(Value::from));
    }
    if kind == VifType::Public {
        let prefixes: Vec<Value> = (v.route_filter_prefixes.iter().flatten())
            .filter_map(|p| p.cidr.clone().map(|cidr| json!({ "cidr": cidr })))
            .collect();
        put("routeFilterPrefixes", Some(Value::Array(prefixes)));
    }
    put("tags", tag_list(v.tags.as_ref()));
    if role == Role::Owned {
        if kind != VifType::Public {
            put("enableSiteLink", v.site_link_enabled.map(Value::from));
            put(
                "directConnectGatewayId",
                v.direct_connect_gateway_id.clone().map(Value::from),
            );
        }
        if kind == VifType::Private {
            put(
                "virtualGatewayId",
                v.virtual_gateway_id.clone().map(Value::from),
            );
        }
    }
    o
}

fn aws_interface(
    origin: &Origin,
    v: &VirtualInterface,
    kind: VifType,
    role: Role,
    connection: &str,
    secret: Option<&str>,
) -> Command {
    let word = match kind {
        VifType::Private => "private",
        VifType::Public => "public",
        VifType::Transit => "transit",
    };
    let fields = || json_word(vif_fields(v, kind, role), secret);
    match role {
        Role::Owned => {
            let mut command = aws_command(&format!("create-{word}-virtual-interface"), origin);
            command.raw("--connection-id", connection);
            command.raw(&format!("--new-{word}-virtual-interface"), &fields());
            command
        }
        Role::Hosted { owner_account } => {
            let mut command = aws_command(&format!("allocate-{word}-virtual-interface"), origin);
            command.raw("--connection-id", connection);
            command.arg("--owner-account", owner_account);
            command.raw(
                &format!("--new-{word}-virtual-interface-allocation"),
                &fields(),
            );
            command
        }
        Role::Accepted => {
            let mut command = aws_command(&format!("confirm-{word}-virtual-interface"), origin);
            let id = v.virtual_interface_id.as_deref().unwrap_or_default();
            command.arg("--virtual-interface-id", id);
            if let (VifType::Private, Some(gateway)) = (kind, &v.virtual_gateway_id) {
                command.arg("--virtual-gateway-id", gateway);
            }
            if let (VifType::Private | VifType::Transit, Some(gateway)) =
                (kind, &v.direct_connect_gateway_id)
            {
                command.arg("--direct-connect-gateway-id", gateway);
            }
            command
        }
    }
}

/// osc-cli: `osc-cli directlink <Operation> --profile ...`; the region is the
/// profile's.
fn osc_command(operation: &str, origin: &Origin) -> Command {
    let mut command = Command::new(&format!("osc-cli directlink {operation}"));
    let profile = if origin.profile.is_empty() {
        "default"
    } else {
        origin.profile
    };
    command.arg("--profile", profile);
    command
}

/// `--name '"text"'`: a Python string literal, so osc-cli keeps it a string.
fn osc_text(command: &mut Command, name: &str, value: Option<&String>) {
    if let Some(value) = value {
        command.arg(name, &json_string(value));
    }
}

fn osc_create_connection(origin: &Origin, c: &Connection) -> Command {
    let mut command = osc_command("CreateConnection", origin);
    osc_text(&mut command, "--bandwidth", c.bandwidth.as_ref());
    osc_text(&mut command, "--connectionName", c.connection_name.as_ref());
    osc_text(&mut command, "--location", c.location.as_ref());
    command
}

/// DirectLink's interface fields: the AWS ones OUTSCALE accepts.
fn osc_fields(v: &VirtualInterface, role: Role) -> Map<String, Value> {
    let mut o = vif_fields(v, VifType::Private, role);
    o.retain(|k, _| {
        [
            "virtualInterfaceName",
            "vlan",
            "asn",
            "amazonAddress",
            "customerAddress",
            "virtualGatewayId",
        ]
        .contains(&k.as_str())
    });
    o
}

fn osc_interface(
    origin: &Origin,
    v: &VirtualInterface,
    role: Role,
    connection: &str,
    secret: Option<&str>,
) -> Command {
    match role {
        Role::Owned => {
            let mut command = osc_command("CreatePrivateVirtualInterface", origin);
            command.raw("--connectionId", connection);
            let fields = json_word(osc_fields(v, role), secret);
            command.raw("--newPrivateVirtualInterface", &fields);
            command
        }
        Role::Hosted { owner_account } => {
            let mut command = osc_command("AllocatePrivateVirtualInterface", origin);
            command.raw("--connectionId", connection);
            let fields = json_word(osc_fields(v, role), secret);
            command.raw("--newPrivateVirtualInterfaceAllocation", &fields);
            command.arg("--ownerAccount", &json_string(owner_account));
            command
        }
        Role::Accepted => {
            let mut command = osc_command("ConfirmPrivateVirtualInterface", origin);
            osc_text(
                &mut command,
                "--virtualInterfaceId",
                v.virtual_interface_id.as_ref(),
            );
            osc_text(
                &mut command,
                "--virtualGatewayId",
                v.virtual_gateway_id.as_ref(),
            );
            command
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{json_word, shell_quote};
    use serde_json::{Map, Value};

    #[test]
    fn shell_quote_keeps_everything_literal() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$(x)`y`"), "'$(x)`y`'");
    }

    #[test]
    fn a_secret_is_spliced_from_its_variable() {
        let mut o = Map::new();
        o.insert("vlan".to_owned(), Value::from(101));
        o.insert("authKey".to_owned(), Value::from("leaked"));
        assert_eq!(
            json_word(o.clone(), Some("KEY")),
            r#"'{"vlan":101,"authKey":'"$(json_string "$KEY")"'}'"#
        );
        assert_eq!(json_word(o, None), r#"'{"vlan":101}'"#);
        assert_eq!(
            json_word(Map::new(), Some("KEY")),
            r#"'{"authKey":'"$(json_string "$KEY")"'}'"#
        );
    }
}
