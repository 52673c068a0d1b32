//! The `--config` loader: TOML text to `FileConfig` to validated `Settings`
//! (`Settings::from_toml_str`). Settings it accepts keep only well-formed upstream URLs.
#![no_main]

use cloudlink_proxy::config::Settings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Settings::from_toml_str(text) {
        Ok(settings) => {
            for url in settings.upstreams.values() {
                assert!(
                    url.starts_with("http://") || url.starts_with("https://"),
                    "{url:?}"
                );
                assert!(!url.contains(['?', '#']), "{url:?}");
                assert!(!url.ends_with('/'), "{url:?}");
            }
            assert!(!settings.sandbox_only);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
