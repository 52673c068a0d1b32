//! Which packages the workspace has right now. Steps for crates that do not exist yet
//! (the console, say) are skipped by asking cargo, never by ignoring a failure.

use std::collections::BTreeSet;

use crate::error::Error;
use crate::run::Ctx;

/// Names of the workspace's member packages, from `cargo metadata --no-deps`.
pub fn members(ctx: &Ctx) -> Result<BTreeSet<String>, Error> {
    let mut cmd = ctx.cargo();
    cmd.args(["metadata", "--format-version", "1", "--no-deps"]);
    let output = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|source| Error::Spawn {
            program: "cargo".to_owned(),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Failed {
            command: crate::run::describe(&cmd),
            status: output.status,
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    names(&text)
}

fn names(metadata: &str) -> Result<BTreeSet<String>, Error> {
    let value: serde_json::Value = serde_json::from_str(metadata)
        .map_err(|error| Error::Unexpected(format!("cargo metadata output: {error}")))?;
    let packages = value["packages"]
        .as_array()
        .ok_or_else(|| Error::Unexpected("cargo metadata has no packages".to_owned()))?;
    packages
        .iter()
        .map(|package| {
            package["name"].as_str().map(str::to_owned).ok_or_else(|| {
                Error::Unexpected("cargo metadata package without a name".to_owned())
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_names() {
        let metadata = r#"{"packages":[{"name":"cloudlink-core","dependencies":[{"name":"serde"}]},
                          {"name":"xtask"}],"workspace_members":[]}"#;
        let found = names(metadata).unwrap();
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["cloudlink-core", "xtask"]
        );
    }

    #[test]
    fn rejects_output_without_packages() {
        for metadata in ["{}", "not json", r#"{"packages":[{"id":"x"}]}"#] {
            assert!(names(metadata).is_err(), "{metadata}");
        }
    }
}
