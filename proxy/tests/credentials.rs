//! Credential sources: OUTSCALE environment and `~/.osc/config.json`, OCI's
//! config file with PKCS#1 and PKCS#8 keys, several profiles, and a clear
//! problem naming the file and field when something is missing.

use std::path::PathBuf;

use cloudlink_proxy::credentials::{ProfileSigner, load_oci, load_outscale, parse_ini};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../signing/tests/vectors")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudlink-creds-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn outscale_environment_wins_over_the_file() {
    let env = |k: &str| match k {
        "OSC_ACCESS_KEY" => Some("AKENV".to_owned()),
        "OSC_SECRET_KEY" => Some("SKENV".to_owned()),
        "OSC_REGION" => Some("us-east-2".to_owned()),
        _ => None,
    };
    let p = load_outscale(&env, None);
    assert_eq!(p.profiles.len(), 1);
    assert_eq!(p.profiles[0].region.as_deref(), Some("us-east-2"));
    match &p.profiles[0].signer {
        ProfileSigner::Static(c) => assert_eq!(c.access_key_id, "AKENV"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn outscale_file_gives_every_profile_and_names_what_is_missing() {
    let dir = temp("osc");
    let file = dir.join("config.json");
    std::fs::write(
        &file,
        r#"{"default": {"access_key": "AK1", "secret_key": "SK1", "region": "eu-west-2"},
            "gov": {"access_key": "AK2", "secret_key": "SK2", "region_name": "cloudgouv-eu-west-1"},
            "broken": {"access_key": "AK3"}}"#,
    )
    .unwrap();
    let none = |_: &str| None;
    let p = load_outscale(&none, Some(&file));
    let names: Vec<&str> = p.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["default", "gov"]);
    assert_eq!(
        p.pick(Some("gov")).unwrap().region.as_deref(),
        Some("cloudgouv-eu-west-1")
    );
    assert_eq!(p.pick(None).unwrap().name, "default");
    assert!(p.pick(Some("nope")).is_none());
    assert_eq!(p.problems.len(), 1);
    assert!(
        p.problems[0].contains("config.json")
            && p.problems[0].contains("broken")
            && p.problems[0].contains("secret_key")
    );
    assert!(!p.problems[0].contains("AK3"));

    std::fs::write(&file, "{not json").unwrap();
    let p = load_outscale(&none, Some(&file));
    assert!(p.profiles.is_empty());
    assert!(p.problems[0].contains("config.json"), "{:?}", p.problems);
    // No file at all is not a problem: OUTSCALE is simply unconfigured.
    let p = load_outscale(&none, Some(&dir.join("absent.json")));
    assert!(p.profiles.is_empty() && p.problems.is_empty());
}

#[test]
fn oci_config_reads_pkcs1_and_pkcs8_keys_and_reports_broken_profiles() {
    let dir = temp("oci");
    let pkcs1 = vectors().join("oci-test-key.pem");
    let pkcs8 = vectors().join("oci-test-key.pkcs8.pem");
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[DEFAULT]\nuser=ocid1.user.oc1..aaaa\nfingerprint=20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34\n\
             tenancy=ocid1.tenancy.oc1..bbbb\nregion=us-ashburn-1\nkey_file={}\n\n\
             [PKCS8]\nregion=eu-frankfurt-1\nkey_file={}\n\n\
             [NOKEY]\nkey_file={}\n\n\
             [BADKEY]\nkey_file={}\n",
            pkcs1.display(),
            pkcs8.display(),
            dir.join("absent.pem").display(),
            config.display(),
        ),
    )
    .unwrap();
    let p = load_oci(&config, None);
    let names: Vec<&str> = p.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["DEFAULT", "PKCS8"]);
    assert_eq!(
        p.pick(Some("PKCS8")).unwrap().region.as_deref(),
        Some("eu-frankfurt-1")
    );
    match &p.pick(None).unwrap().signer {
        ProfileSigner::Oci(s) => assert_eq!(
            s.key_id(),
            "ocid1.tenancy.oc1..bbbb/ocid1.user.oc1..aaaa/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
    assert!(
        p.problems
            .iter()
            .any(|m| m.contains("NOKEY") && m.contains("absent.pem"))
    );
    assert!(
        p.problems
            .iter()
            .any(|m| m.contains("BADKEY") && m.contains("key_file"))
    );

    let only = load_oci(&config, Some("PKCS8"));
    assert_eq!(only.profiles.len(), 1);

    std::fs::write(&config, "[DEFAULT]\nuser=x\n").unwrap();
    let p = load_oci(&config, None);
    assert!(p.profiles.is_empty());
    assert!(
        p.problems[0].contains("missing fingerprint, tenancy, region, key_file"),
        "{:?}",
        p.problems
    );
}

#[test]
fn ini_parsing_keeps_sections_and_ignores_comments() {
    let ini = parse_ini("# c\n[default]\na = 1\n; c\n[profile x]\nb=2=3\n");
    assert_eq!(ini["default"]["a"], "1");
    assert_eq!(ini["profile x"]["b"], "2=3");
}
