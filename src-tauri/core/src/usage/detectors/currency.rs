//! Usage no rate converts (into the usage currency, or into the invoicing currency):
//! shown and alerted, never read as zero.

use super::*;

/// A finding about usage no rate converts from `from` into `to` (`what_en`/`what_zh`: what
/// leaves it out until a rate is added).
pub(super) fn cannot_convert(
    u: &CustomerUsage,
    from: &str,
    to: &str,
    first: NaiveDate,
    amount: String,
    (title_en, title_zh): (String, String),
    (what_en, what_zh): (&str, &str),
) -> Finding {
    let (first_en, first_zh) = written(first);
    let mut f = finding(
        u,
        Explained {
            kind: AlertKind::UnconvertedUsage,
            severity: 2,
            day: first,
            title_en,
            title_zh,
            observed: amount.clone(),
            baseline: String::new(),
            explain_en: format!("{amount} of usage from {first_en} is in {from}, and no rate connects {from} with {to}: {what_en} leave it out until a rate is added."),
            explain_zh: format!("自 {first_zh} 起有 {amount} 的用量以 {from} 計價，且沒有 {from} 與 {to} 之間的匯率：在加入匯率前不計入{what_zh}。"),
            risk_en: "Blind spot: spend you cannot see cannot be budgeted or collected.",
            risk_zh: "盲點：看不到的費用無法控管預算或收款。",
            action_en: "Add the exchange rate in Settings > Exchange rates (or `riskdesk rates set`).",
            action_zh: "在「設定 > 匯率」加入匯率（或使用 `riskdesk rates set`）。",
        },
        "",
    );
    f.key = format!("unconverted_usage:{}:{from}>{to}:{first}", u.customer_id.0);
    f
}

/// Usage in a currency no rate converts into the customer's invoicing currency: exposure
/// cannot count it, so it is said plainly.
pub(super) fn not_invoiceable(
    t: &Thresholds,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let u = t.u;
    if u.currency == u.invoice_currency {
        return;
    }
    let days: Vec<NaiveDate> = u
        .days
        .range(from..=to)
        // A day that costs nothing (usage a reservation covers bills 0.00) needs no rate.
        .filter(|(d, day)| {
            !day.spend.is_zero()
                && t.rates
                    .conversion(u.currency, u.invoice_currency, **d)
                    .is_none()
        })
        .map(|(d, _)| *d)
        .collect();
    let Some(first) = days.first().copied() else {
        return;
    };
    let total: Decimal = days
        .iter()
        .filter_map(|d| u.days.get(d))
        .map(|d| d.spend)
        .sum();
    let amount = money(total, u.currency).format();
    let (uc, ic) = (u.currency.code(), u.invoice_currency.code());
    out.push(cannot_convert(
        u,
        uc,
        ic,
        first,
        amount,
        (
            format!("Usage in {uc} cannot be converted to {ic}, the invoicing currency"),
            format!("{uc} 用量無法換算為發票幣別 {ic}"),
        ),
        ("exposure and reports", "曝險與報告"),
    ));
}

/// Usage in a currency no rate converts: shown, never read as zero.
pub(super) fn unconverted(
    u: &CustomerUsage,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let mut by_currency: BTreeMap<&str, (NaiveDate, i64)> = BTreeMap::new();
    for x in u
        .unconverted
        .iter()
        .filter(|x| x.day >= from && x.day <= to && x.amount.minor != 0)
    {
        let e = by_currency
            .entry(x.amount.currency.code())
            .or_insert((x.day, 0));
        e.0 = e.0.min(x.day);
        e.1 = e.1.saturating_add(x.amount.minor);
    }
    for (code, (first, minor)) in by_currency {
        let Some(currency) = crate::money::Currency::parse(code) else {
            continue;
        };
        let amount = crate::money::Money::new(minor, currency).format();
        let uc = u.currency.code();
        out.push(cannot_convert(
            u,
            code,
            uc,
            first,
            amount,
            (
                format!("Usage in {code} cannot be converted to {uc}"),
                format!("{code} 用量無法換算為 {uc}"),
            ),
            ("budgets, spikes and exposure", "預算、暴增偵測與曝險"),
        ));
    }
}
