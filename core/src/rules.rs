//! Small reusable checks. Each returns the [`Rule`] broken, so callers attach
//! the field path with [`crate::validate::Errors::check`].

use crate::validate::Rule;

/// Length in characters (Unicode scalar values, as the AWS models count).
pub fn length(value: &str, min: usize, max: usize) -> Result<(), Rule> {
    let actual = value.chars().count();
    if actual < min || actual > max {
        Err(Rule::Length { min, max, actual })
    } else {
        Ok(())
    }
}

pub fn non_empty(value: &str) -> Result<(), Rule> {
    if value.trim().is_empty() {
        Err(Rule::Required)
    } else {
        Ok(())
    }
}

pub fn range(value: i64, min: i64, max: i64) -> Result<(), Rule> {
    if value < min || value > max {
        Err(Rule::Range {
            min,
            max,
            actual: value,
        })
    } else {
        Ok(())
    }
}

pub fn one_of(value: &str, allowed: &'static [&'static str]) -> Result<(), Rule> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Rule::OneOf { allowed })
    }
}

/// Every character satisfies `ok`; `allowed` names the set for the message.
pub fn charset(value: &str, allowed: &'static str, ok: impl Fn(char) -> bool) -> Result<(), Rule> {
    if value.chars().all(ok) {
        Ok(())
    } else {
        Err(Rule::Charset { allowed })
    }
}

/// Regex `\w` as Java and the AWS models use it: ASCII letters, digits, underscore.
pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}
