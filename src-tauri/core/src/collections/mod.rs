//! Collections: policies with their levels, the dunning plan, interest accrual, and the
//! execution of a run as a stored, reprintable record.

pub mod corrections;
pub mod interest;
pub mod plan;
mod plan_fingerprint;
mod plan_notes;
mod plan_reads;
pub mod policies;
pub mod policy_input;
pub mod runs;
mod would_have_sent;

pub use corrections::{caused_by, charged_again_by, Correction};
pub use interest::{interest_minor, Accrual};
pub use plan::{
    fingerprint, plan, Note, Paused, Plan, PlanCustomer, PlanInvoice, PlanSubscription,
    Reactivation, DEADLINE_DAYS,
};
pub use policies::{
    assign_policy, default_policy_id, level, own_policy, policies, policy, policy_for, rate_text,
    save_policy, validate, Action, Level, LevelId, Policy, PolicyId,
};
pub use policy_input::{parse_rate, AmountInput, LevelInput, PolicyInput};
pub use runs::{
    check_letterhead, execute, run_record, runs, Exclusions, PartnerCenterChange, RunCustomer,
    RunRecord, RunSummary, LETTERHEAD_KEYS, LETTERHEAD_LIMITS,
};

/// Fills a letter text's placeholders.
pub fn fill_letter(
    text: &str,
    customer: &str,
    amount: &str,
    deadline: &str,
    reseller: &str,
) -> String {
    text.replace("{customer}", customer)
        .replace("{amount}", amount)
        .replace("{deadline}", deadline)
        .replace("{reseller}", reseller)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_fill_their_placeholders() {
        assert_eq!(
            fill_letter(
                "Dear {customer}, pay {amount} by {deadline}.",
                "Contoso",
                "$5.00",
                "2026-12-02",
                "R"
            ),
            "Dear Contoso, pay $5.00 by 2026-12-02."
        );
    }
}
