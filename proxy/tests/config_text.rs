//! `Settings::from_toml_str`, the `--config` loader without a file (what the `config` fuzz
//! target drives): it must read a file's text exactly as `--config FILE` does.

use cloudlink_core::Service;
use cloudlink_proxy::config::{Cli, ConfigError, Settings};

const TEXT: &str = r#"
listen = "127.0.0.1:9090"
read-only = true
timeout = 12
allowed-origins = ["https://console.example.com"]

[upstream]
directconnect = "http://127.0.0.1:9000/"
oci-core = "https://oci.example.com/base"
"#;

#[test]
fn text_reads_like_the_same_file() {
    let from_text = Settings::from_toml_str(TEXT).unwrap();
    let dir = std::env::temp_dir().join(format!("cloudlink-config-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cloudlink.toml");
    std::fs::write(&path, TEXT).unwrap();
    let from_file = Settings::from_cli(Cli {
        config: Some(path),
        ..Cli::default()
    })
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(format!("{from_text:?}"), format!("{from_file:?}"));
    assert_eq!(from_text.listen.port(), 9090);
    assert!(from_text.read_only);
    assert_eq!(from_text.timeout.as_secs(), 12);
    assert_eq!(
        from_text
            .upstreams
            .get(&Service::DirectConnect)
            .map(String::as_str),
        Some("http://127.0.0.1:9000")
    );
}

#[test]
fn text_errors_name_the_problem() {
    let err = Settings::from_toml_str("lisen = \"127.0.0.1:1\"\n").unwrap_err();
    assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
    assert!(err.to_string().contains("lisen"), "{err}");
    let err = Settings::from_toml_str("[upstream]\noutposts = \"ftp://x\"\n").unwrap_err();
    assert!(matches!(err, ConfigError::UpstreamUrl { .. }), "{err:?}");
    assert!(err.to_string().contains("outposts"), "{err}");
}
