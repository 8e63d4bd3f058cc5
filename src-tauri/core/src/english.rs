//! English words that agree with the count before them: `1 day`, `2 days`, `0 days`. The
//! Chinese text needs none (`1 天`, `2 天`).

/// `n` (a number, or one written already) and the word for it: `one` where `n` is written
/// `1`, `other` otherwise (0, 2 and 1.5 alike, and `1.0` as English writes it: 1.0 days).
pub fn count(n: impl std::fmt::Display, one: &str, other: &str) -> String {
    let n = n.to_string();
    let word = if n == "1" { one } else { other };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1i64, "day", "days"), "1 day");
        assert_eq!(count(0i64, "day", "days"), "0 days");
        assert_eq!(count(2usize, "row", "rows"), "2 rows");
        assert_eq!(count(-1i64, "day", "days"), "-1 days");
        assert_eq!(count(21u32, "day", "days"), "21 days");
        assert_eq!(count(1u32, "row was", "rows were"), "1 row was");
        // Written already: a decimal is plural, as English writes it.
        assert_eq!(count("1", "hour", "hours"), "1 hour");
        assert_eq!(count("1.0", "day", "days"), "1.0 days");
        assert_eq!(count("0.5", "hour", "hours"), "0.5 hours");
    }
}
