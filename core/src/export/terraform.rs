//! The estate as one Terraform file: a provider block per profile and region,
//! a resource and an `import` block (Terraform >= 1.5) per item, and a
//! `sensitive` variable per BGP auth key.
//!
//! Resources are named from the item's id (unique, stable between exports);
//! the human name is in a comment above. OUTSCALE DirectLink has no Terraform
//! resource: its items are comments pointing to the CLI export.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{
    Estate, Names, Origin, Role, Seen, VifType, connection_gone, console_gone, left_out, role,
    skip_reason, vif_gone, vif_type, where_read,
};
use crate::catalogue::Service;
use crate::directconnect::{Connection, Tag, VirtualInterface};
use crate::oci::InstanceConsoleConnection;

/// The variable holding the SSH public key of every console connection: OCI
/// does not return it.
const PUBLIC_KEY_VAR: &str = "console_connection_public_key";

/// Largest ASN of `bgp_asn`; larger ones go to `bgp_asn_long`.
const BGP_ASN_MAX: i64 = 2_147_483_646;

/// `text` as a quoted HCL string: quotes, backslashes and control characters
/// escaped, and `${` / `%{` doubled so they stay text, not templates.
pub(crate) fn hcl_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One line of a block body.
enum Line {
    /// `key = expression`, the expression already HCL.
    Attr(&'static str, String),
    /// `key = { "k" = "v" ... }`, keys and values still raw text.
    Map(&'static str, Vec<(String, String)>),
}

/// Writes `head { lines }`, aligning `=` as `terraform fmt` does.
fn block(out: &mut String, head: &str, lines: &[Line]) {
    let _ = writeln!(out, "{head} {{");
    let mut i = 0;
    while i < lines.len() {
        let run = lines[i..]
            .iter()
            .take_while(|l| matches!(l, Line::Attr(..)))
            .count();
        if run == 0 {
            if let Line::Map(key, entries) = &lines[i] {
                map(out, key, entries);
            }
            i += 1;
            continue;
        }
        let width = lines[i..i + run]
            .iter()
            .map(|l| match l {
                Line::Attr(k, _) => k.len(),
                Line::Map(..) => 0,
            })
            .max()
            .unwrap_or(0);
        for line in &lines[i..i + run] {
            if let Line::Attr(k, v) = line {
                let _ = writeln!(out, "  {k:width$} = {v}");
            }
        }
        i += run;
    }
    out.push_str("}\n\n");
}

fn map(out: &mut String, key: &str, entries: &[(String, String)]) {
    let quoted: Vec<(String, String)> = entries
        .iter()
        .map(|(k, v)| (hcl_string(k), hcl_string(v)))
        .collect();
    let width = quoted.iter().map(|(k, _)| k.chars().count()).max();
    let _ = writeln!(out, "  {key} = {{");
    for (k, v) in &quoted {
        let pad = width.unwrap_or(0) - k.chars().count();
        let _ = writeln!(out, "    {k}{} = {v}", " ".repeat(pad));
    }
    out.push_str("  }\n");
}

/// A comment line; `text` is already safe (no newline).
fn comment(out: &mut String, text: &str) {
    let _ = writeln!(out, "# {text}");
}

fn import(out: &mut String, to: &str, id: &str) {
    let lines = [
        Line::Attr("to", to.to_owned()),
        Line::Attr("id", hcl_string(id)),
    ];
    block(out, "import", &lines);
}

fn tags(lines: &mut Vec<Line>, tags: Option<&Vec<Tag>>) {
    let entries: Vec<(String, String)> = tags
        .into_iter()
        .flatten()
        .map(|t| (t.key.clone(), t.value.clone().unwrap_or_default()))
        .collect();
    if !entries.is_empty() {
        lines.push(Line::Map("tags", entries));
    }
}

fn string(lines: &mut Vec<Line>, key: &'static str, value: Option<&String>) {
    if let Some(v) = value {
        lines.push(Line::Attr(key, hcl_string(v)));
    }
}

fn number(lines: &mut Vec<Line>, key: &'static str, value: Option<i64>) {
    if let Some(v) = value {
        lines.push(Line::Attr(key, v.to_string()));
    }
}

/// The file being written: its sections, and the names handed out so far.
#[derive(Default)]
struct Writer<'e> {
    providers: String,
    variables: String,
    resources: String,
    /// (provider, profile, region) to provider address (`aws.x`).
    aliases: BTreeMap<(&'static str, &'e str, &'e str), String>,
    alias_names: BTreeMap<&'static str, Names>,
    resource_names: Names,
    variable_names: Names,
    seen: Seen,
    /// Exported connections: (origin, connection id) to resource address.
    connections: BTreeMap<(Service, &'e str, &'e str, &'e str), String>,
    uses_public_key: bool,
}

/// The estate as one `.tf` file. Pure: the same estate gives the same text.
pub fn terraform(estate: &Estate) -> String {
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
        let lines = [
            Line::Attr(
                "description",
                hcl_string("SSH public key of the console connections (OCI does not return it)"),
            ),
            Line::Attr("type", "string".to_owned()),
        ];
        block(
            &mut w.variables,
            &format!("variable {}", hcl_string(PUBLIC_KEY_VAR)),
            &lines,
        );
    }
    let mut out = String::from(
        "# Terraform export from cloudlink: what the console read, as resources with\n\
         # import blocks (Terraform >= 1.5). Run `terraform plan` to see what the import\n\
         # would change. Secrets are variables: nothing secret is written here.\n\n",
    );
    out.push_str(&required_providers(&w));
    out.push_str(&w.providers);
    out.push_str(&w.variables);
    out.push_str(&w.resources);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn required_providers(w: &Writer) -> String {
    let mut out = String::from("terraform {\n  required_version = \">= 1.5\"\n");
    out.push_str("  required_providers {\n");
    if w.alias_names.contains_key("aws") {
        out.push_str("    aws = {\n      source = \"hashicorp/aws\"\n    }\n");
    }
    if w.alias_names.contains_key("oci") {
        out.push_str("    oci = {\n      source = \"oracle/oci\"\n    }\n");
    }
    out.push_str("  }\n}\n\n");
    out
}

impl<'e> Writer<'e> {
    /// The provider of `kind` for `origin`'s profile and region (`aws.x`),
    /// its block written the first time it is needed.
    fn alias(&mut self, kind: &'static str, origin: &Origin<'e>) -> String {
        let key = (kind, origin.profile, origin.region);
        if let Some(alias) = self.aliases.get(&key) {
            return alias.clone();
        }
        let profile_word = match origin.profile {
            "" => "default",
            profile => profile,
        };
        let names = self.alias_names.entry(kind).or_default();
        let alias = names.unique(&format!("{profile_word}_{}", origin.region));
        self.provider(kind, origin.profile, origin.region, &alias);
        let address = format!("{kind}.{alias}");
        self.aliases.insert(key, address.clone());
        address
    }

    fn provider(&mut self, kind: &str, profile: &str, region: &str, alias: &str) {
        let mut lines = vec![Line::Attr("alias", hcl_string(alias))];
        let profile_key = if kind == "aws" {
            "profile"
        } else {
            "config_file_profile"
        };
        if !profile.is_empty() {
            lines.push(Line::Attr(profile_key, hcl_string(profile)));
        }
        lines.push(Line::Attr("region", hcl_string(region)));
        block(
            &mut self.providers,
            &format!("provider {}", hcl_string(kind)),
            &lines,
        );
    }

    /// Writes the comment for an item left out and returns false, or true.
    fn keep(&mut self, what: &str, origin: &Origin, id: Option<&String>, gone: bool) -> bool {
        let id = id.map(String::as_str);
        let Some(reason) = skip_reason(&mut self.seen, origin.service, id, gone) else {
            return true;
        };
        comment(&mut self.resources, &left_out(what, origin, id, reason));
        self.resources.push('\n');
        false
    }

    fn connection(&mut self, origin: &Origin<'e>, c: &'e Connection) {
        if !self.keep(
            "connection",
            origin,
            c.connection_id.as_ref(),
            connection_gone(c),
        ) {
            return;
        }
        let id = c.connection_id.as_deref().unwrap_or_default();
        let name = c.connection_name.as_deref().unwrap_or_default();
        let heading = format!("connection {name:?} ({id:?}) {}", where_read(origin));
        match origin.service {
            Service::DirectConnect => {}
            Service::DirectLink => return self.directlink(&heading),
            Service::Outposts | Service::OciCore => return self.not_dx(&heading),
        }
        comment(&mut self.resources, &format!("Direct Connect {heading}"));
        let resource = self.resource_names.unique(id);
        let mut lines = vec![Line::Attr("provider", self.alias("aws", origin))];
        string(&mut lines, "name", c.connection_name.as_ref());
        string(&mut lines, "bandwidth", c.bandwidth.as_ref());
        string(&mut lines, "location", c.location.as_ref());
        string(&mut lines, "provider_name", c.provider_name.as_ref());
        tags(&mut lines, c.tags.as_ref());
        let head = format!("resource \"aws_dx_connection\" \"{resource}\"");
        block(&mut self.resources, &head, &lines);
        let address = format!("aws_dx_connection.{resource}");
        import(&mut self.resources, &address, id);
        let key = (origin.service, origin.profile, origin.region, id);
        self.connections.insert(key, address);
    }

    fn directlink(&mut self, heading: &str) {
        comment(
            &mut self.resources,
            &format!("OUTSCALE DirectLink {heading}:"),
        );
        comment(
            &mut self.resources,
            "DirectLink has no Terraform resource; the CLI export recreates it with osc-cli.",
        );
        self.resources.push('\n');
    }

    fn not_dx(&mut self, heading: &str) {
        let text = format!("Left out: {heading}: not a Direct Connect or DirectLink item.");
        comment(&mut self.resources, &text);
        self.resources.push('\n');
    }

    fn interface(&mut self, estate: &Estate<'e>, origin: &Origin<'e>, v: &'e VirtualInterface) {
        let id = v.virtual_interface_id.as_ref();
        if !self.keep("virtual interface", origin, id, vif_gone(v)) {
            return;
        }
        let id = id.map(String::as_str).unwrap_or_default();
        let name = v.virtual_interface_name.as_deref().unwrap_or_default();
        let heading = format!("virtual interface {name:?} ({id:?}) {}", where_read(origin));
        match origin.service {
            Service::DirectConnect => {}
            Service::DirectLink => return self.directlink(&heading),
            Service::Outposts | Service::OciCore => return self.not_dx(&heading),
        }
        let Some(kind) = vif_type(v) else {
            let ty = v.virtual_interface_type.as_deref().unwrap_or("unknown");
            let text = format!("Left out: {heading}: type {ty:?} is not exported.");
            comment(&mut self.resources, &text);
            self.resources.push('\n');
            return;
        };
        let role = role(estate, origin, v);
        let (resource_type, side) = resource_type(kind, role);
        comment(
            &mut self.resources,
            &format!("Direct Connect {heading}, {side}"),
        );
        let resource = self.resource_names.unique(id);
        let mut lines = vec![Line::Attr("provider", self.alias("aws", origin))];
        match role {
            Role::Accepted => accepter_lines(&mut lines, kind, v),
            Role::Owned | Role::Hosted { .. } => self.vif_lines(&mut lines, origin, kind, role, v),
        }
        let head = format!("resource \"{resource_type}\" \"{resource}\"");
        block(&mut self.resources, &head, &lines);
        import(
            &mut self.resources,
            &format!("{resource_type}.{resource}"),
            id,
        );
    }

    /// The arguments of a virtual interface this profile's connection carries.
    fn vif_lines(
        &mut self,
        lines: &mut Vec<Line>,
        origin: &Origin<'e>,
        kind: VifType,
        role: Role,
        v: &'e VirtualInterface,
    ) {
        let connection_id = v.connection_id.as_deref().unwrap_or_default();
        let key = (origin.service, origin.profile, origin.region, connection_id);
        let connection = match self.connections.get(&key) {
            Some(address) => format!("{address}.id"),
            None => hcl_string(connection_id),
        };
        lines.push(Line::Attr("connection_id", connection));
        string(lines, "name", v.virtual_interface_name.as_ref());
        number(lines, "vlan", v.vlan);
        let family = v.address_family.as_ref().map(|f| f.as_str().to_owned());
        string(lines, "address_family", family.as_ref());
        match v.asn_long.or(v.asn) {
            Some(asn) if asn > BGP_ASN_MAX => {
                lines.push(Line::Attr("bgp_asn_long", hcl_string(&asn.to_string())));
            }
            asn => number(lines, "bgp_asn", asn),
        }
        string(lines, "amazon_address", v.amazon_address.as_ref());
        string(lines, "customer_address", v.customer_address.as_ref());
        if v.auth_key.is_some() {
            let var = self.auth_key_variable(v);
            lines.push(Line::Attr("bgp_auth_key", format!("var.{var}")));
        }
        if let Role::Hosted { owner_account } = role {
            lines.push(Line::Attr("owner_account_id", hcl_string(owner_account)));
        }
        if kind != VifType::Public {
            number(lines, "mtu", v.mtu);
        }
        if kind == VifType::Public {
            let prefixes: Vec<String> = (v.route_filter_prefixes.iter().flatten())
                .filter_map(|p| p.cidr.as_deref().map(hcl_string))
                .collect();
            let list = format!("[{}]", prefixes.join(", "));
            lines.push(Line::Attr("route_filter_prefixes", list));
        }
        if role == Role::Owned {
            owned_lines(lines, kind, v);
        }
    }

    fn auth_key_variable(&mut self, v: &VirtualInterface) -> String {
        let id = v.virtual_interface_id.as_deref().unwrap_or_default();
        let var = self.variable_names.unique(&format!("bgp_auth_key_{id}"));
        let description = format!("BGP auth key of virtual interface {id}");
        let lines = [
            Line::Attr("description", hcl_string(&description)),
            Line::Attr("type", "string".to_owned()),
            Line::Attr("sensitive", "true".to_owned()),
        ];
        let head = format!("variable {}", hcl_string(&var));
        block(&mut self.variables, &head, &lines);
        var
    }

    fn console_connection(&mut self, origin: &Origin<'e>, c: &'e InstanceConsoleConnection) {
        if !self.keep("console connection", origin, c.id.as_ref(), console_gone(c)) {
            return;
        }
        let id = c.id.as_deref().unwrap_or_default();
        let heading = format!("console connection {id:?} {}", where_read(origin));
        if origin.service != Service::OciCore {
            let text = format!("Left out: {heading}: not an OCI item.");
            comment(&mut self.resources, &text);
            self.resources.push('\n');
            return;
        }
        let instance = c.instance_id.as_deref().unwrap_or_default();
        comment(&mut self.resources, &format!("OCI {heading}"));
        comment(&mut self.resources, &format!("to instance {instance:?}"));
        // An OCID ends with its unique part: `ocid1.<type>.<realm>.<region>.<unique>`.
        let unique = id.rsplit('.').next().unwrap_or(id);
        let resource = self.resource_names.unique(&format!("console_{unique}"));
        let alias = self.alias("oci", origin);
        let mut lines = vec![
            Line::Attr("provider", alias),
            Line::Attr("instance_id", hcl_string(instance)),
            Line::Attr("public_key", format!("var.{PUBLIC_KEY_VAR}")),
        ];
        let defined: Vec<(String, String)> = (c.defined_tags.iter().flatten())
            .flat_map(|(ns, keys)| {
                keys.iter()
                    .map(move |(k, v)| (format!("{ns}.{k}"), v.clone()))
            })
            .collect();
        if !defined.is_empty() {
            lines.push(Line::Map("defined_tags", defined));
        }
        let freeform: Vec<(String, String)> = (c.freeform_tags.iter().flatten())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !freeform.is_empty() {
            lines.push(Line::Map("freeform_tags", freeform));
        }
        let resource_type = "oci_core_instance_console_connection";
        let head = format!("resource \"{resource_type}\" \"{resource}\"");
        block(&mut self.resources, &head, &lines);
        import(
            &mut self.resources,
            &format!("{resource_type}.{resource}"),
            id,
        );
        self.uses_public_key = true;
    }
}

/// The AWS provider's resource for a virtual interface, and its side in words.
fn resource_type(kind: VifType, role: Role) -> (&'static str, String) {
    let (owned, hosted, accepter, word) = match kind {
        VifType::Private => (
            "aws_dx_private_virtual_interface",
            "aws_dx_hosted_private_virtual_interface",
            "aws_dx_hosted_private_virtual_interface_accepter",
            "private",
        ),
        VifType::Public => (
            "aws_dx_public_virtual_interface",
            "aws_dx_hosted_public_virtual_interface",
            "aws_dx_hosted_public_virtual_interface_accepter",
            "public",
        ),
        VifType::Transit => (
            "aws_dx_transit_virtual_interface",
            "aws_dx_hosted_transit_virtual_interface",
            "aws_dx_hosted_transit_virtual_interface_accepter",
            "transit",
        ),
    };
    match role {
        Role::Owned => (owned, format!("{word}.")),
        Role::Hosted { owner_account } => (
            hosted,
            format!("{word}, allocated to account {owner_account:?}."),
        ),
        Role::Accepted => (
            accepter,
            format!("{word}, accepted from the connection's owner."),
        ),
    }
}

/// What only the owner of an interface on its own connection sets.
fn owned_lines(lines: &mut Vec<Line>, kind: VifType, v: &VirtualInterface) {
    if let (VifType::Private | VifType::Transit, Some(enabled)) = (kind, v.site_link_enabled) {
        lines.push(Line::Attr("sitelink_enabled", enabled.to_string()));
    }
    gateway_lines(lines, kind, v);
    tags(lines, v.tags.as_ref());
}

/// The accepter's side: the interface id, its gateway and tags.
fn accepter_lines(lines: &mut Vec<Line>, kind: VifType, v: &VirtualInterface) {
    string(
        lines,
        "virtual_interface_id",
        v.virtual_interface_id.as_ref(),
    );
    gateway_lines(lines, kind, v);
    tags(lines, v.tags.as_ref());
}

/// A private interface ends on a virtual private gateway or a Direct Connect
/// gateway, a transit one on a Direct Connect gateway, a public one on neither.
fn gateway_lines(lines: &mut Vec<Line>, kind: VifType, v: &VirtualInterface) {
    if kind == VifType::Private {
        string(lines, "vpn_gateway_id", v.virtual_gateway_id.as_ref());
    }
    if kind != VifType::Public {
        string(lines, "dx_gateway_id", v.direct_connect_gateway_id.as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::{hcl_string, terraform};
    use crate::catalogue::Service;
    use crate::directconnect::{Connection, VirtualInterface};
    use crate::export::{Estate, Origin};

    fn vif(id: &str, kind: &str, connection: &str, owner: &str) -> VirtualInterface {
        VirtualInterface {
            virtual_interface_id: Some(id.to_owned()),
            virtual_interface_type: Some(kind.to_owned()),
            connection_id: Some(connection.to_owned()),
            owner_account: Some(owner.to_owned()),
            direct_connect_gateway_id: Some("dxgw-1".to_owned()),
            mtu: Some(8500),
            site_link_enabled: Some(true),
            tags: Some(vec![crate::directconnect::Tag {
                key: "k".to_owned(),
                value: None,
            }]),
            ..Default::default()
        }
    }

    /// The block of `tf` that starts with `head`, up to its closing brace.
    fn resource<'t>(tf: &'t str, head: &str) -> &'t str {
        let start = tf
            .find(head)
            .unwrap_or_else(|| panic!("no {head} in:\n{tf}"));
        let rest = &tf[start..];
        &rest[..rest.find("\n}\n").unwrap()]
    }

    #[test]
    fn hosted_and_accepted_transit_and_public_interfaces_take_their_resources() {
        let origin = Origin {
            service: Service::DirectConnect,
            profile: "",
            region: "us-east-1",
        };
        let connection = Connection {
            connection_id: Some("dxcon-1".to_owned()),
            owner_account: Some("111".to_owned()),
            ..Default::default()
        };
        let vifs = [
            vif("dxvif-ht", "transit", "dxcon-1", "222"),
            vif("dxvif-hp", "public", "dxcon-1", "222"),
            vif("dxvif-at", "transit", "dxcon-other", "111"),
            vif("dxvif-ap", "public", "dxcon-other", "111"),
        ];
        let estate = Estate {
            connections: vec![(origin, &connection)],
            interfaces: vifs.iter().map(|v| (origin, v)).collect(),
            ..Default::default()
        };
        let tf = terraform(&estate);
        let hosted = resource(
            &tf,
            "\"aws_dx_hosted_transit_virtual_interface\" \"dxvif_ht\"",
        );
        assert!(hosted.contains("owner_account_id = \"222\""), "{hosted}");
        assert!(hosted.contains("mtu              = 8500"), "{hosted}");
        assert!(
            !hosted.contains("tags")
                && !hosted.contains("sitelink")
                && !hosted.contains("dx_gateway")
        );
        let hosted = resource(
            &tf,
            "\"aws_dx_hosted_public_virtual_interface\" \"dxvif_hp\"",
        );
        assert!(
            hosted.contains("route_filter_prefixes = []") && !hosted.contains("mtu"),
            "{hosted}"
        );
        let accepter = "\"aws_dx_hosted_transit_virtual_interface_accepter\" \"dxvif_at\"";
        let accepted = resource(&tf, accepter);
        assert!(
            accepted.contains("dx_gateway_id        = \"dxgw-1\""),
            "{accepted}"
        );
        assert!(accepted.contains("\"k\" = \"\"") && !accepted.contains("connection_id"));
        let accepter = "\"aws_dx_hosted_public_virtual_interface_accepter\" \"dxvif_ap\"";
        let accepted = resource(&tf, accepter);
        assert!(!accepted.contains("dx_gateway_id"), "{accepted}");
    }

    #[test]
    fn hcl_string_escapes_quotes_and_templates() {
        assert_eq!(hcl_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(hcl_string("x\ny\r\t"), r#""x\ny\r\t""#);
        assert_eq!(hcl_string("${a} %{if} $ % {"), r#""$${a} %%{if} $ % {""#);
        assert_eq!(hcl_string("$${"), r#""$$${""#);
        assert_eq!(hcl_string("\u{7}é"), "\"\\u0007é\"");
    }
}
