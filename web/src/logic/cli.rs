//! The provider's own CLI command for a typed request: `aws directconnect`,
//! `aws outposts`, OUTSCALE's `osc-cli directlink`, `oci compute
//! instance-console-connection`. Built from the request core will send, so
//! the command and the console's call never disagree.

use cloudlink_core::ApiRequest;
use cloudlink_core::directconnect::DxRequest;
use cloudlink_core::oci::OciRequest;
use cloudlink_core::outposts::OutpostsRequest;
use serde_json::Value;

/// What a command needs besides the request.
#[derive(Debug, Clone, Copy, Default)]
pub struct CliContext<'a> {
    pub region: &'a str,
    pub profile: Option<&'a str>,
    /// Show secrets (a BGP `authKey`) instead of a placeholder.
    pub reveal_secrets: bool,
    /// The file an OCI public key was loaded from.
    pub key_file: Option<&'a str>,
}

/// Stands for a secret in a command until the user asks to see it.
pub const SECRET_PLACEHOLDER: &str = "********";
/// The key file named when the key was pasted.
pub const DEFAULT_KEY_FILE: &str = "key.pub";

/// Members shown first, in this order; the rest follow alphabetically.
const FIRST: &[&str] = &[
    "connectionId",
    "virtualInterfaceId",
    "location",
    "bandwidth",
    "connectionName",
    "ownerAccount",
];

/// `CreatePrivateVirtualInterface` → `create-private-virtual-interface`;
/// `requestMACSec` → `request-mac-sec`; `AssetId` → `asset-id`.
pub fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if safe {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn hide_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "authKey" && v.is_string() {
                    *v = Value::String(SECRET_PLACEHOLDER.to_owned());
                } else {
                    hide_secrets(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hide_secrets),
        _ => {}
    }
}

fn ordered(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    members.sort_by_key(|(k, _)| {
        (
            FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len()),
            (*k).clone(),
        )
    });
    members
}

fn value_word(value: &Value) -> String {
    match value {
        Value::String(s) => shell_quote(s),
        Value::Number(n) => number_text(n),
        other => shell_quote(&json_text(other)),
    }
}

/// `value` as compact JSON, as its `Display` writes it. Not `Display` itself: that pulls
/// serde_json's float writer and its ~10 KB table into the wasm, for numbers core's
/// requests never hold (measured: see web/size-budget.txt).
pub fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(n)),
        Value::String(s) => out.push_str(&quoted(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(v, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quoted(k));
                out.push(':');
                write_json(v, out);
            }
            out.push('}');
        }
    }
}

/// A JSON number: integers exactly; a float (core's requests have none) as the shortest
/// text that reads back to it, written by the browser in the wasm.
fn number_text(n: &serde_json::Number) -> String {
    if let Some(u) = n.as_u64() {
        u.to_string()
    } else if let Some(i) = n.as_i64() {
        i.to_string()
    } else {
        float_text(n.as_f64().unwrap_or_default())
    }
}

#[cfg(target_arch = "wasm32")]
fn float_text(f: f64) -> String {
    js_sys::Number::from(f)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

#[cfg(not(target_arch = "wasm32"))]
fn float_text(f: f64) -> String {
    f.to_string()
}

/// The members of a JSON body as options: `--name value`, booleans as
/// `--flag` / `--no-flag` (AWS CLI style) when `aws_style`.
fn options(body: &[u8], reveal: bool, aws_style: bool) -> Vec<String> {
    let mut value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if !reveal {
        hide_secrets(&mut value);
    }
    let Value::Object(map) = &value else {
        return Vec::new();
    };
    let mut words = Vec::new();
    for (key, v) in ordered(map) {
        let name = if aws_style { kebab(key) } else { key.clone() };
        match (v, aws_style) {
            (Value::Bool(true), true) => words.push(format!("--{name}")),
            (Value::Bool(false), true) => words.push(format!("--no-{name}")),
            (Value::Bool(b), false) => {
                words.push(format!("--{name} {}", if *b { "True" } else { "False" }))
            }
            (Value::Null, _) => {}
            (v, _) => words.push(format!("--{name} {}", value_word(v))),
        }
    }
    words
}

/// `--region R [--profile P]`, as the AWS and OCI CLIs both spell them.
fn aws_tail(ctx: &CliContext<'_>) -> Vec<String> {
    let mut words = vec![format!("--region {}", shell_quote(ctx.region))];
    if let Some(p) = ctx.profile.filter(|p| !p.is_empty()) {
        words.push(format!("--profile {}", shell_quote(p)));
    }
    words
}

/// The command, one option per line joined with ` \` so it pastes as is.
pub fn command(request: &ApiRequest, ctx: &CliContext<'_>) -> String {
    let words = match request {
        ApiRequest::DirectConnect(dx) => direct_connect_words(dx, ctx),
        ApiRequest::DirectLink(dx) => directlink_words(dx, ctx),
        ApiRequest::Outposts(r) => outposts_words(r, ctx),
        ApiRequest::Oci(r) => oci_words(r, ctx),
    };
    lines(words)
}

/// The first word, then the others each on its own continuation line.
fn lines(mut words: Vec<String>) -> String {
    if words.len() <= 1 {
        return words.pop().unwrap_or_default();
    }
    let mut out = words.remove(0);
    for w in words {
        out.push_str(" \\\n  ");
        out.push_str(&w);
    }
    out
}

/// `aws directconnect OPERATION --option value … --region R [--profile P]`.
fn direct_connect_words(dx: &DxRequest, ctx: &CliContext<'_>) -> Vec<String> {
    let mut w = vec![format!(
        "aws directconnect {}",
        kebab(dx.operation().name())
    )];
    w.extend(options(&dx.to_json(), ctx.reveal_secrets, true));
    w.extend(aws_tail(ctx));
    w
}

/// `osc-cli directlink Operation --profile P --member value …` (osc-cli always names a profile).
fn directlink_words(dx: &DxRequest, ctx: &CliContext<'_>) -> Vec<String> {
    let profile = ctx.profile.filter(|p| !p.is_empty()).unwrap_or("default");
    let mut w = vec![format!(
        "osc-cli directlink {} --profile {}",
        dx.operation().name(),
        shell_quote(profile)
    )];
    w.extend(options(&dx.to_json(), ctx.reveal_secrets, false));
    w
}

/// `aws outposts start-connection …` or `get-connection --connection-id ID`.
fn outposts_words(r: &OutpostsRequest, ctx: &CliContext<'_>) -> Vec<String> {
    let mut w = vec![format!("aws outposts {}", kebab(r.operation().name()))];
    match r {
        OutpostsRequest::StartConnection(_) => {
            w.extend(options(&r.to_http().body, ctx.reveal_secrets, true));
        }
        OutpostsRequest::GetConnection(g) => {
            w.push(format!("--connection-id {}", shell_quote(&g.connection_id)));
        }
    }
    w.extend(aws_tail(ctx));
    w
}

/// `oci compute instance-console-connection ACTION …`: the OCI CLI names
/// its options itself, so each operation lists its own.
fn oci_words(r: &OciRequest, ctx: &CliContext<'_>) -> Vec<String> {
    let base = "oci compute instance-console-connection";
    let mut w = Vec::new();
    match r {
        OciRequest::Create(c) => {
            w.push(format!("{base} create"));
            if let Some(id) = &c.details.instance_id {
                w.push(format!("--instance-id {}", shell_quote(id)));
            }
            let file = ctx
                .key_file
                .filter(|f| !f.is_empty())
                .unwrap_or(DEFAULT_KEY_FILE);
            w.push(format!("--ssh-public-key-file {}", shell_quote(file)));
            if let Some(tags) = &c.details.freeform_tags {
                let json = serde_json::to_string(tags).unwrap_or_default();
                w.push(format!("--freeform-tags {}", shell_quote(&json)));
            }
        }
        OciRequest::List(l) => {
            w.push(format!("{base} list"));
            if let Some(id) = &l.compartment_id {
                w.push(format!("--compartment-id {}", shell_quote(id)));
            }
            if let Some(id) = &l.instance_id {
                w.push(format!("--instance-id {}", shell_quote(id)));
            }
            // The console follows every page; `--all` makes the CLI do the same.
            match &l.page {
                None => w.push("--all".to_owned()),
                Some(page) => w.push(format!("--page {}", shell_quote(page))),
            }
        }
        OciRequest::Get(g) => {
            w.push(format!("{base} get"));
            w.push(connection_id_option(&g.instance_console_connection_id));
        }
        OciRequest::Delete(d) => {
            w.push(format!("{base} delete"));
            w.push(connection_id_option(&d.instance_console_connection_id));
        }
    }
    w.extend(aws_tail(ctx));
    w
}

fn connection_id_option(id: &str) -> String {
    format!("--instance-console-connection-id {}", shell_quote(id))
}

#[cfg(test)]
mod tests;
