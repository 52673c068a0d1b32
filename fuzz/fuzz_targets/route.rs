//! The proxy's `/api/...` route parser: whatever it accepts names a known service under
//! its own prefix and a plain region, and its decoded rest has no dot segment or character
//! that could change where a call goes.
#![no_main]

use cloudlink_proxy::route::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(route) = parse(path) else {
        return;
    };
    let base = format!("{}/{}/", route.service.route_prefix(), route.region.as_str());
    assert!(path.starts_with(&base), "{path:?} parsed as {route:?}");
    assert!(
        route
            .region
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "region {:?}",
        route.region
    );
    assert!(route.rest.starts_with('/'));
    assert!(!route.rest.contains(['\\', '\0', '?', '#']), "{route:?}");
    for segment in route.rest.split('/') {
        assert!(segment != "." && segment != "..", "{route:?}");
    }
    // What the parser gives is stable: encoding the rest again parses to the same route.
    let encoded: Vec<String> = route.rest.split('/').map(|s| percent_encode(s)).collect();
    let again = parse(&format!(
        "{}{}",
        base.trim_end_matches('/'),
        encoded.join("/")
    ))
    .expect("a parsed route, encoded again, parses");
    assert_eq!(again, route);
});

fn percent_encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
