//! The numbers and words a statement line is compared by: letters and digits squeezed
//! together, runs of digits, and a number of digits alone by its value.

use crate::identity::half_width;

/// Letters and digits only, lower case, full-width made plain.
pub(super) fn squeeze(text: &str) -> String {
    half_width(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A number made only of digits without its leading zeros, when at least four digits are
/// left (fewer could be any amount or day in a line's text); `None` for anything else.
pub(super) fn digits_value(key: &str) -> Option<&str> {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = key.trim_start_matches('0');
    (value.len() >= 4).then_some(value)
}

/// Runs of digits, spaces and dashes between digits ignored (`9988-0012 3456`).
pub(super) fn digit_runs(text: &str) -> Vec<String> {
    let plain = half_width(text);
    let chars: Vec<char> = plain.chars().collect();
    let mut runs = Vec::new();
    let mut run = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            run.push(*c);
        } else if matches!(c, '-' | ' ')
            && !run.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
        {
            continue;
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The whole numbers in squeezed text: its longest runs of digits.
pub(super) fn number_runs(hay: &[char]) -> Vec<String> {
    hay.split(|c| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(|run| run.iter().collect())
        .collect()
}
