//! What a line in another currency than its customer's is about worth in the customer's: a
//! hint beside the bank's advice, at the rate the usage files or the owner give for its day.

use super::super::BankLine;
use super::{why, Book, Reason};
use crate::bank::Why;

impl Book {
    /// What `line` is about worth in `to` at the rate known for its day, and that rate in
    /// both languages; None when no rate connects the two currencies.
    pub(super) fn estimate(&self, line: &BankLine, to: crate::money::Currency) -> Option<Why> {
        let amount = line.entry.amount;
        let conversion = self
            .rates
            .conversion(amount.currency, to, line.entry.booked_on)?;
        let major = rust_decimal::Decimal::new(amount.minor, amount.currency.exponent());
        let about = crate::usage::series::money(major.checked_mul(conversion.factor)?, to);
        Some(why(
            Reason::ConvertedEstimate,
            &[
                ("estimate", about.format()),
                ("rate_en", conversion.en),
                ("rate_zh", conversion.zh),
            ],
        ))
    }
}
