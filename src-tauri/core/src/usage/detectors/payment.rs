//! What the detectors read from the books beside usage: heavy usage in a new customer's
//! first days before any payment, and usage growing while invoices are overdue.

use super::*;
use crate::english::count;

/// Heavy usage in a new customer's first days, before any payment (a received prepayment
/// counts as a payment): reaching a share of the credit limit, or an absolute amount
/// (reference currency) whether or not a limit is set, whichever comes first.
pub(super) fn first_days(t: &Thresholds, books: &Books, to: NaiveDate, out: &mut Vec<Finding>) {
    let (u, s) = (t.u, t.s);
    let Some(first) = u.first_day else {
        return;
    };
    // Only a customer whose usage began inside the usage kept has "first days" to judge.
    if !books.usage_is_new(first, s.first_days) {
        return;
    }
    let end = (first + Duration::days(s.first_days - 1)).min(to);
    // The credit limit's share, in the usage currency at the first day's rate.
    let rates = t.rates;
    let by_limit = books
        .credit_limit
        .filter(|l| l.minor > 0)
        .and_then(|limit| {
            let share = Decimal::new(limit.minor, limit.currency.exponent())
                * s.first_days_limit_percent
                / Decimal::ONE_HUNDRED;
            rates
                .convert(share, limit.currency, u.currency, first)
                .map(|v| (v, limit))
        });
    let absolute = t.amount(s.first_days_min_amount, first);
    let threshold = match (by_limit.map(|(v, _)| v), absolute) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => return,
    };
    let (abs_en, abs_zh) = t.shown(s.first_days_min_amount, first);
    let mut total = Decimal::ZERO;
    for (d, day) in u.days.range(first..=end) {
        total += day.spend;
        let paid = books.first_payment.is_some_and(|p| p <= *d);
        if !paid && total >= threshold {
            let (rule_en, rule_zh) = match by_limit {
                Some((_, limit)) => (
                    format!(
                        "{}% of the credit limit of {} or {abs_en}, whichever is less",
                        fmt(s.first_days_limit_percent),
                        limit.format()
                    ),
                    format!(
                        "信用額度 {} 的 {}% 或 {abs_zh}，取較低者",
                        limit.format(),
                        fmt(s.first_days_limit_percent)
                    ),
                ),
                None => (
                    format!("{abs_en}; no credit limit is set"),
                    format!("{abs_zh}；未設定信用額度"),
                ),
            };
            let ((first_en, first_zh), (d_en, d_zh)) = (written(first), written(*d));
            let (span_en, span_zh) = if first == *d {
                (
                    format!("On {first_en}, the first day of usage,"),
                    format!("首次使用當天（{first_zh}）"),
                )
            } else {
                (
                    format!("From the first usage on {first_en} to {d_en},"),
                    format!("自 {first_zh} 首次使用至 {d_zh}"),
                )
            };
            out.push(finding(
                u,
                Explained {
                    kind: AlertKind::FirstDays,
                    severity: 3,
                    day: *d,
                    title_en: "Heavy usage in the first days, before any payment".into(),
                    title_zh: "開通初期、尚未付款即大量使用".into(),
                    observed: money(total, u.currency).format(),
                    baseline: money(threshold, u.currency).format(),
                    explain_en: format!(
                        "{span_en} {} was used (the threshold is {rule_en}) and no payment has been received.",
                        money(total, u.currency).format()
                    ),
                    explain_zh: format!(
                        "{span_zh}已用 {}（門檻：{rule_zh}），且尚未收到任何付款。",
                        money(total, u.currency).format()
                    ),
                    risk_en: "Theft of service: services used before the first payment (Microsoft's fraud guidance).",
                    risk_zh: "盜用服務：首次付款前即使用服務（Microsoft 詐騙防範指引）。",
                    action_en: "Ask for a prepayment now; suspend new usage until it is received.",
                    action_zh: "立即要求預付款；收到前暫停新增用量。",
                },
                "",
            ));
            return;
        }
    }
}

/// Usage growing while invoices are overdue (as of `to`).
pub(super) fn overdue_growth(
    u: &CustomerUsage,
    books: &Books,
    s: &Settings,
    to: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let Some((overdue, days)) = books.overdue else {
        return;
    };
    if overdue.minor <= 0 || days < s.overdue_days {
        return;
    }
    let sum = |a: i64, b: i64| -> Decimal {
        u.days
            .range(to - Duration::days(b)..=to - Duration::days(a))
            .map(|(_, d)| d.spend)
            .sum()
    };
    let (last, before) = (sum(0, 6), sum(7, 13));
    if before <= Decimal::ZERO || last * Decimal::ONE_HUNDRED < before * s.overdue_growth_percent {
        return;
    }
    let week = to.iso_week();
    let (to_en, to_zh) = written(to);
    out.push(finding(
        u,
        Explained {
            kind: AlertKind::OverdueGrowth,
            severity: 3,
            day: to,
            title_en: "Usage growing while invoices are overdue".into(),
            title_zh: "發票逾期期間用量仍在增加".into(),
            observed: money(last, u.currency).format(),
            baseline: money(before, u.currency).format(),
            explain_en: format!(
                "{} is overdue (up to {}); usage in the 7 days to {to_en} was {} against {} the 7 days before.",
                overdue.format(), count(days, "day", "days"), money(last, u.currency).format(), money(before, u.currency).format()
            ),
            explain_zh: format!(
                "逾期金額 {}（最長 {days} 天）；截至 {to_zh} 的 7 天用量 {}，前 7 天為 {}。",
                overdue.format(), money(last, u.currency).format(), money(before, u.currency).format()
            ),
            risk_en: "Unpaid balance growing: the reseller's loss grows with every day of usage.",
            risk_zh: "未付餘額擴大：每多一天用量，經銷商的損失就更大。",
            action_en: "Follow the dunning plan now; consider suspending the subscription until the overdue invoices are paid.",
            action_zh: "立即依催收計畫處理；考慮在逾期發票付清前暫停訂閱。",
        },
        &format!(":{}-W{:02}", week.year(), week.week()),
    ));
}
