//! The sandbox banner: `GET /api/sandbox`'s seeded IDs as labelled groups,
//! whatever shape the sandbox gives them (lists of strings, lists of
//! objects, nested objects), so the banner never needs to change with it.

use cloudlink_core::contract::SandboxSeeds;
use serde_json::Value;

/// One labelled list of values in the banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedGroup {
    pub label: String,
    pub values: Vec<String>,
}

/// `virtualGatewayIds` → `virtual gateway ids`; `oci.compartments` →
/// `oci compartments`.
pub fn label(key: &str) -> String {
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if c == '.' || c == '_' || c == '-' {
            out.push(' ');
        } else if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An object in a list: its id-like member first, then the others in brackets.
fn item(value: &Value) -> Option<String> {
    if let Some(s) = scalar(value) {
        return Some(s);
    }
    let Value::Object(map) = value else {
        return None;
    };
    let is_id = |k: &str| {
        let k = k.to_ascii_lowercase();
        k == "id" || k.ends_with("id") || k.ends_with("code") || k == "ocid"
    };
    let main = map
        .iter()
        .find(|(k, _)| is_id(k))
        .and_then(|(_, v)| scalar(v));
    let rest: Vec<String> = map
        .iter()
        .filter(|(k, v)| !(is_id(k) && scalar(v) == main))
        .filter_map(|(k, v)| scalar(v).map(|s| format!("{}: {s}", label(k))))
        .collect();
    match (main, rest.is_empty()) {
        (Some(m), true) => Some(m),
        (Some(m), false) => Some(format!("{m} ({})", rest.join(", "))),
        (None, false) => Some(rest.join(", ")),
        (None, true) => None,
    }
}

fn walk(prefix: &str, value: &Value, out: &mut Vec<SeedGroup>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                walk(&key, v, out);
            }
        }
        Value::Array(items) => {
            let values: Vec<String> = items.iter().filter_map(item).collect();
            if !values.is_empty() {
                out.push(SeedGroup {
                    label: label(prefix),
                    values,
                });
            }
        }
        other => {
            if let Some(s) = scalar(other) {
                out.push(SeedGroup {
                    label: label(prefix),
                    values: vec![s],
                });
            }
        }
    }
}

/// The typed seeds as the generic walker reads them. Written as bytes and read back, not
/// `to_value`: the wasm already holds that writer and reader, and not `Value`'s serializer.
pub fn as_value(seeds: &SandboxSeeds) -> Value {
    serde_json::to_vec(seeds)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Every group of seeded values, in the sandbox's order.
pub fn groups(seeds: &Value) -> Vec<SeedGroup> {
    let mut out = Vec::new();
    walk("", seeds, &mut out);
    out
}

/// Values of the groups whose key mentions `hint` (`compartment`,
/// `instance`, `asset`), for a form's suggestions.
pub fn suggestions(seeds: &Value, hint: &str) -> Vec<String> {
    let hint = hint.to_ascii_lowercase();
    let mut values: Vec<String> = groups(seeds)
        .into_iter()
        .filter(|g| {
            g.label
                .replace(' ', "")
                .to_ascii_lowercase()
                .contains(&hint)
        })
        .flat_map(|g| g.values)
        .map(|v| v.split(" (").next().unwrap_or(&v).to_owned())
        .collect();
    values.dedup();
    values
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn typed_seeds_read_as_their_json() {
        let mut seeds = SandboxSeeds::default();
        seeds.directconnect.virtual_gateway_ids = vec!["vgw-1".into()];
        seeds
            .directconnect
            .locations
            .insert("us-east-1".into(), vec!["EqDC2".into()]);
        seeds.directlink.owner_account = "123456789012".into();
        let value = as_value(&seeds);
        assert_eq!(value, serde_json::to_value(&seeds).unwrap());
        assert_eq!(value["directconnect"]["locations"]["us-east-1"][0], "EqDC2");
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("virtualGatewayIds"), "virtual gateway ids");
        assert_eq!(label("oci.compartmentIds"), "oci compartment ids");
        assert_eq!(label("asset_ids"), "asset ids");
    }

    #[test]
    fn every_shape_becomes_groups() {
        let seeds = json!({
            "outposts": {"assetIds": ["i_0123", "i_0456"]},
            "virtualGateways": [{"virtualGatewayId": "vgw-1", "virtualGatewayState": "available"}],
            "locations": [{"locationCode": "EqDC2", "locationName": "Equinix DC2"}],
            "region": "us-east-1",
            "empty": []
        });
        let groups = groups(&seeds);
        assert_eq!(groups.len(), 4, "{groups:?}");
        assert!(groups.contains(&SeedGroup {
            label: "outposts asset ids".into(),
            values: vec!["i_0123".into(), "i_0456".into()]
        }));
        assert!(groups.contains(&SeedGroup {
            label: "virtual gateways".into(),
            values: vec!["vgw-1 (virtual gateway state: available)".into()]
        }));
        assert!(groups.contains(&SeedGroup {
            label: "region".into(),
            values: vec!["us-east-1".into()]
        }));
    }

    #[test]
    fn suggestions_pick_groups_by_hint() {
        let seeds = json!({
            "oci": {"compartmentIds": ["ocid1.compartment.oc1..a"], "instanceIds": ["ocid1.instance.oc1.iad.b"]},
            "virtualGateways": [{"virtualGatewayId": "vgw-1", "state": "available"}]
        });
        assert_eq!(
            suggestions(&seeds, "compartment"),
            vec!["ocid1.compartment.oc1..a"]
        );
        assert_eq!(
            suggestions(&seeds, "instance"),
            vec!["ocid1.instance.oc1.iad.b"]
        );
        assert_eq!(suggestions(&seeds, "virtualgateway"), vec!["vgw-1"]);
        assert!(suggestions(&seeds, "asset").is_empty());
    }
}
