//! Every text colour of `web/style.css` keeps WCAG's 4.5:1 contrast on every
//! background it can sit on, in the light and the dark scheme.
//!
//! axe-core checks this in the browser (tests/e2e) for the pages it sees; this
//! test checks the palette itself, so a colour picked for one background is
//! caught on the others (a badge in a selected row sits on `--code-bg`, a
//! success message's `<code>` too).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

const CSS: &str = include_str!("../style.css");

/// WCAG 2 AA for normal-size text.
const MIN: f64 = 4.5;

/// Text colours, each checked on every background below.
const TEXT: &[&str] = &[
    "--text",
    "--muted",
    "--accent",
    "--danger",
    "--good",
    "--busy",
    "--waiting",
    "--bad",
];
const BACKGROUNDS: &[&str] = &["--bg", "--panel", "--code-bg", "--error-bg", "--notice-bg"];
/// Buttons: (text, fill).
const BUTTONS: &[(&str, &str)] = &[("--accent-text", "--accent"), ("--danger-text", "--danger")];

/// The custom properties of the first `:root` block after `marker`.
fn palette(marker: &str) -> HashMap<String, String> {
    let start = CSS.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let block = &CSS[start..];
    let block = &block[block.find(":root").unwrap()..];
    let block = &block[block.find('{').unwrap() + 1..];
    let block = &block[..block.find('}').unwrap()];
    block
        .split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let name = name.trim();
            name.starts_with("--")
                .then(|| (name.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

fn light() -> HashMap<String, String> {
    palette("/*")
}

fn dark() -> HashMap<String, String> {
    let mut colours = light();
    colours.extend(palette("@media (prefers-color-scheme: dark)"));
    colours
}

fn luminance(hex: &str) -> f64 {
    let hex = hex
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("{hex}: not #rrggbb"));
    assert_eq!(hex.len(), 6, "{hex}: not #rrggbb");
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// Every pair below 4.5:1, as "scheme: fg on bg = ratio".
fn failures(scheme: &str, colours: &HashMap<String, String>) -> Vec<String> {
    let get = |name: &str| {
        colours
            .get(name)
            .unwrap_or_else(|| panic!("{scheme}: {name} not declared"))
            .as_str()
    };
    let pairs = TEXT
        .iter()
        .flat_map(|fg| BACKGROUNDS.iter().map(move |bg| (*fg, *bg)))
        .chain(BUTTONS.iter().copied());
    pairs
        .filter_map(|(fg, bg)| {
            let ratio = contrast(get(fg), get(bg));
            (ratio < MIN).then(|| format!("{scheme}: {fg} on {bg} = {ratio:.2}"))
        })
        .collect()
}

#[test]
fn contrast_formula_matches_known_values() {
    // Black on white is 21:1; the 4.47 the e2e axe run reported for the old green.
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#1a7f37", "#eef1f4") - 4.47).abs() < 0.01);
    assert!((contrast("#ffffff", "#f47067") - 2.85).abs() < 0.01);
}

#[test]
fn both_schemes_declare_their_own_colours() {
    let (light, dark) = (light(), dark());
    for name in TEXT.iter().chain(BACKGROUNDS) {
        assert!(light.contains_key(*name), "light: {name} not declared");
    }
    assert_ne!(light["--bg"], dark["--bg"], "the dark block was not read");
}

#[test]
fn every_text_colour_reaches_4_5_to_1_in_light_and_dark() {
    let mut bad = failures("light", &light());
    bad.extend(failures("dark", &dark()));
    assert!(
        bad.is_empty(),
        "contrast below {MIN}:1:\n{}",
        bad.join("\n")
    );
}
