//! Misuse detectors. Each looks at one customer's daily usage and explains what it found:
//! what it saw, on which day, how much against which baseline, the risk of Microsoft's
//! guidance it points to, and what to do. Each fires on the first day of an episode (not
//! again while it lasts). Thresholds are settings (`usage.*`, see [`Settings`]).
//!
//! Baselines are robust: the median of the customer's own trailing days (28 by default)
//! of the same kind (weekdays against weekdays, weekends against weekends), with the
//! median absolute deviation (MAD) as the spread, so one earlier spike neither hides the
//! next nor raises the bar. A jump on the first two days of a month that the previous
//! month also had on its first days is a routine (a monthly backup) and is left alone.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::alerts::{AlertKind, Finding};
use super::rates::Rates;
use super::series::{money, CustomerUsage, Day};
pub use super::thresholds::{books, Books, Settings, SETTING_NAMES};

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn median(mut v: Vec<Decimal>) -> Decimal {
    if v.is_empty() {
        return Decimal::ZERO;
    }
    v.sort_unstable();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / Decimal::TWO
    }
}

/// The robust baseline of one measure on day `d`: the median and MAD of the trailing
/// days of the same kind (weekday/weekend), and how many days of history there are.
struct Baseline {
    median: Decimal,
    mad: Decimal,
    history: i64,
}

fn baseline(
    u: &CustomerUsage,
    d: NaiveDate,
    s: &Settings,
    measure: fn(&Day) -> Decimal,
) -> Baseline {
    let from = d - Duration::days(s.baseline_days);
    let mut same_kind = Vec::new();
    let mut history = 0;
    for (day, v) in u.days.range(from..d) {
        history += 1;
        if is_weekend(*day) == is_weekend(d) {
            same_kind.push(measure(v));
        }
    }
    let m = median(same_kind.clone());
    let mad = median(same_kind.iter().map(|x| (*x - m).abs()).collect());
    Baseline {
        median: m,
        mad,
        history,
    }
}

/// A month-start routine: on the 1st or 2nd, last month's same days were as high.
fn month_start_routine(
    u: &CustomerUsage,
    d: NaiveDate,
    value: Decimal,
    measure: fn(&Day) -> Decimal,
) -> bool {
    if d.day() > 2 {
        return false;
    }
    let prev = d.checked_sub_months(chrono::Months::new(1));
    prev.is_some_and(|p| {
        [p, p + Duration::days(1), p - Duration::days(1)]
            .iter()
            .filter_map(|x| u.days.get(x))
            .any(|x| measure(x) * Decimal::TWO >= value)
    })
}

/// How many times the baseline a value is ("∞" over a zero baseline).
fn times_of(v: Decimal, baseline: Decimal) -> String {
    if baseline.is_zero() {
        "∞".to_string()
    } else {
        fmt(v / baseline)
    }
}

fn fmt(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

struct Explained<'a> {
    kind: AlertKind,
    severity: u8,
    day: NaiveDate,
    title_en: String,
    title_zh: String,
    observed: String,
    baseline: String,
    explain_en: String,
    explain_zh: String,
    risk_en: &'a str,
    risk_zh: &'a str,
    action_en: &'a str,
    action_zh: &'a str,
}

fn finding(u: &CustomerUsage, e: Explained, key_extra: &str) -> Finding {
    Finding {
        key: format!("{}:{}:{}{key_extra}", e.kind, u.customer_id.0, e.day),
        kind: e.kind.as_str().into(),
        severity: e.severity,
        customer_id: Some(u.customer_id),
        subscription: None,
        day: e.day,
        title_en: e.title_en,
        title_zh: e.title_zh,
        evidence: serde_json::json!({
            "observed": e.observed,
            "baseline": e.baseline,
            "explain_en": e.explain_en,
            "explain_zh": e.explain_zh,
            "risk_en": e.risk_en,
            "risk_zh": e.risk_zh,
            "action_en": e.action_en,
            "action_zh": e.action_zh,
        }),
    }
}

/// Every detector over the days in `[from, to]` of one customer. Amount thresholds are in
/// the reference currency and converted to the customer's usage currency with `rates`.
pub fn detect(
    u: &CustomerUsage,
    books: &Books,
    s: &Settings,
    rates: &Rates,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let t = Thresholds { u, s, rates };
    // Days inside an episode a specific detector explains (mining, egress, messaging):
    // a spend spike on those days is the same story, not another alert.
    let mut explained = BTreeSet::new();
    gpu(&t, books, from, to, &mut out, &mut explained);
    jumps(u, s, from, to, &mut out, &mut explained);
    spikes(&t, from, to, &explained, &mut out);
    new_regions(u, s, from, to, &mut out);
    first_days(&t, books, to, &mut out);
    overdue_growth(u, books, s, to, &mut out);
    unconverted(u, from, to, &mut out);
    not_invoiceable(&t, from, to, &mut out);
    out
}

/// A finding about usage no rate converts from `from` into `to` (`what_en`/`what_zh`: what
/// leaves it out until a rate is added).
fn cannot_convert(
    u: &CustomerUsage,
    from: &str,
    to: &str,
    first: NaiveDate,
    amount: String,
    (title_en, title_zh): (String, String),
    (what_en, what_zh): (&str, &str),
) -> Finding {
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
            explain_en: format!("{amount} of usage from {first} is in {from}, and no rate connects {from} with {to}: {what_en} leave it out until a rate is added."),
            explain_zh: format!("自 {first} 起有 {amount} 的用量以 {from} 計價，且沒有 {from} 與 {to} 之間的匯率：在加入匯率前不計入{what_zh}。"),
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
fn not_invoiceable(t: &Thresholds, from: NaiveDate, to: NaiveDate, out: &mut Vec<Finding>) {
    let u = t.u;
    if u.currency == u.invoice_currency {
        return;
    }
    let days: Vec<NaiveDate> = u
        .days
        .range(from..=to)
        .filter(|(d, _)| {
            t.rates
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

/// Amount thresholds in the customer's usage currency.
struct Thresholds<'a> {
    u: &'a CustomerUsage,
    s: &'a Settings,
    rates: &'a Rates,
}

impl Thresholds<'_> {
    /// `amount` of the reference currency in the usage currency on `day` (None: no rate).
    fn amount(&self, amount: Decimal, day: NaiveDate) -> Option<Decimal> {
        self.rates
            .convert(amount, self.s.reference_currency, self.u.currency, day)
    }

    /// The threshold as text: "US$20.00 (NT$657.83 at 1 USD = 32.89 TWD ...)".
    fn shown(&self, amount: Decimal, day: NaiveDate) -> (String, String) {
        let reference = money(amount, self.s.reference_currency).format();
        if self.s.reference_currency == self.u.currency {
            return (reference.clone(), reference);
        }
        match (
            self.amount(amount, day),
            self.rates
                .conversion(self.s.reference_currency, self.u.currency, day),
        ) {
            (Some(v), Some(c)) => {
                let local = money(v, self.u.currency).format();
                (
                    format!("{reference} ({local} at {})", c.en),
                    format!("{reference}（{local}，{}）", c.zh),
                )
            }
            _ => (reference.clone(), reference),
        }
    }
}

/// GPU/HPC and large VMs: the crypto-mining shape is sustained use (most hours of a day,
/// around the clock, weekends too) costing a material amount, appearing or jumping. A job
/// of a few hours is not that shape: the first use of such a resource is an informational
/// note ("a new kind of resource"), once per customer.
fn gpu(
    t: &Thresholds,
    books: &Books,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Finding>,
    explained: &mut BTreeSet<NaiveDate>,
) {
    let (u, s) = (t.u, t.s);
    for (kind_measure, label_en, label_zh, severity) in [
        (
            Measure::Gpu,
            "GPU/HPC virtual machines",
            "GPU/HPC 虛擬機器",
            4u8,
        ),
        (
            Measure::LargeVm,
            "large virtual machines",
            "大型虛擬機器",
            3u8,
        ),
    ] {
        let (hours, spend): (Measured, Measured) = match kind_measure {
            Measure::Gpu => (|d| d.gpu_hours, |d| d.gpu_spend),
            _ => (|d| d.large_vm_hours, |d| d.large_vm_spend),
        };
        if u.days
            .values()
            .all(|d| hours(d).is_zero() && spend(d).is_zero())
        {
            continue;
        }
        let first_use = u
            .days
            .iter()
            .find(|(_, d)| !hours(d).is_zero() || !spend(d).is_zero())
            .map(|(d, _)| *d);
        // Sustained: around the clock, and (where a rate gives the threshold) material.
        let sustained = |d: NaiveDate, day: &Day| -> bool {
            hours(day) >= s.gpu_sustained_hours
                && t.amount(s.gpu_min_amount, d)
                    .is_none_or(|min| spend(day) >= min)
        };
        let mut was_high = false;
        let mut noted = false;
        for (d, day) in u.days.range(from - Duration::days(1)..=to) {
            let h = hours(day);
            let b = baseline(u, *d, s, hours);
            // "Appeared" needs something to appear against: a few days of the customer's
            // own usage without such a run (any kind of day), or a customer whose usage began
            // inside the usage kept. A run present from the first day of the files did not
            // appear: it was already there.
            let window = u.days.range(*d - Duration::days(s.baseline_days)..*d);
            let (seen, never_sustained) = window.fold((0i64, true), |(n, never), (_, x)| {
                (n + 1, never && hours(x) < s.gpu_sustained_hours)
            });
            let new_shape = never_sustained
                && (seen >= MIN_DAYS_BEFORE_APPEARING
                    || u.first_day
                        .is_some_and(|f| books.usage_is_new(f, s.first_days)));
            let jumped = b.history >= s.min_history_days && h >= b.median * s.gpu_ratio;
            // An episode lasts while the use stays around the clock.
            let high = sustained(*d, day) && (was_high || new_shape || jumped);
            if high {
                explained.insert(*d);
            }
            if !high && !noted && Some(*d) == first_use && *d >= from && !h.is_zero() {
                noted = true;
                out.push(new_resource(
                    u,
                    *d,
                    h,
                    label_en,
                    label_zh,
                    kind_measure.kind(),
                ));
            }
            if high && !was_high && *d >= from {
                // A large VM on a customer too new to have a history of its own: worth a look,
                // not yet the crypto-mining shape.
                let severity = if kind_measure == Measure::LargeVm && b.history < s.min_history_days
                {
                    2
                } else {
                    severity
                };
                let appeared = b.median.is_zero();
                let (title_en, title_zh) = if appeared {
                    (
                        format!("Crypto-mining shape: {label_en} around the clock appeared"),
                        format!("疑似挖礦：出現全天候運轉的{label_zh}"),
                    )
                } else {
                    (
                        format!("Crypto-mining shape: {label_en} jumped"),
                        format!("疑似挖礦：{label_zh}用量暴增"),
                    )
                };
                let v = spend(day);
                let (min_en, min_zh) = t.shown(s.gpu_min_amount, *d);
                out.push(finding(
                    u,
                    Explained {
                        kind: kind_measure.kind(),
                        severity,
                        day: *d,
                        title_en,
                        title_zh,
                        observed: format!("{} h, {}", fmt(h), money(v, u.currency).format()),
                        baseline: format!("{} h", fmt(b.median)),
                        explain_en: format!(
                            "On {d}, {label_en} ran {} hours (at least {} a day is around the clock) and cost {} (the threshold is {min_en}); the median of the same kind of day over the {} days before was {} hours.",
                            fmt(h), fmt(s.gpu_sustained_hours), money(v, u.currency).format(), s.baseline_days, fmt(b.median)
                        ),
                        explain_zh: format!(
                            "{d} {label_zh}運轉 {} 小時（每日 {} 小時以上即為全天候），花費 {}（門檻 {min_zh}）；之前 {} 天同類日子的中位數為 {} 小時。",
                            fmt(h), fmt(s.gpu_sustained_hours), money(v, u.currency).format(), s.baseline_days, fmt(b.median)
                        ),
                        risk_en: "Abuse of service: crypto-mining on stolen or unpaid capacity (Microsoft's fraud guidance).",
                        risk_zh: "服務濫用：以盜用或未付款的資源挖礦（Microsoft 詐騙防範指引）。",
                        action_en: "Call the customer today; if they cannot explain it, suspend the subscription and check the Partner Center security alerts.",
                        action_zh: "今天致電客戶；若無法說明，暫停該訂閱並查看 Partner Center 安全性警示。",
                    },
                    "",
                ));
            }
            was_high = high;
        }
    }
}

/// A measure of a day.
type Measured = fn(&Day) -> Decimal;

/// Days of a customer's own usage, without a sustained run, before one can "appear".
const MIN_DAYS_BEFORE_APPEARING: i64 = 3;

/// The first, small use of a kind of resource: informational, once per customer.
fn new_resource(
    u: &CustomerUsage,
    d: NaiveDate,
    hours: Decimal,
    label_en: &str,
    label_zh: &str,
    kind: AlertKind,
) -> Finding {
    let mut f = finding(
        u,
        Explained {
            kind: AlertKind::NewResource,
            severity: 1,
            day: d,
            title_en: format!("A new kind of resource: {label_en}"),
            title_zh: format!("新的資源類型：{label_zh}"),
            observed: format!("{} h", fmt(hours)),
            baseline: "0 h".into(),
            explain_en: format!(
                "On {d}, the customer used {label_en} for the first time ({} hours): a job, not a sustained run.",
                fmt(hours)
            ),
            explain_zh: format!("{d} 客戶首次使用{label_zh}（{} 小時）：屬於短期工作，並非持續運轉。", fmt(hours)),
            risk_en: "None yet: noted so that a later sustained run is seen against it.",
            risk_zh: "目前無：記錄下來，以便日後比對是否轉為持續運轉。",
            action_en: "No action needed; if it grows to running around the clock, RiskDesk raises a crypto-mining alert.",
            action_zh: "無需處理；若轉為全天候運轉，RiskDesk 會發出疑似挖礦警示。",
        },
        "",
    );
    f.key = format!("new_resource:{}:{kind}", u.customer_id.0);
    f
}

/// Usage in a currency no rate converts: shown, never read as zero.
fn unconverted(u: &CustomerUsage, from: NaiveDate, to: NaiveDate, out: &mut Vec<Finding>) {
    let mut by_currency: BTreeMap<&str, (NaiveDate, i64)> = BTreeMap::new();
    for x in u
        .unconverted
        .iter()
        .filter(|x| x.day >= from && x.day <= to)
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Measure {
    Gpu,
    LargeVm,
    Egress,
    Messaging,
    Spend,
}

impl Measure {
    fn f(self) -> fn(&Day) -> Decimal {
        match self {
            Measure::Gpu => |d| d.gpu_spend,
            Measure::LargeVm => |d| d.large_vm_spend,
            Measure::Egress => |d| d.egress,
            Measure::Messaging => |d| d.messaging,
            Measure::Spend => |d| d.spend,
        }
    }

    fn kind(self) -> AlertKind {
        match self {
            Measure::Gpu => AlertKind::Gpu,
            Measure::LargeVm => AlertKind::LargeVm,
            Measure::Egress => AlertKind::Egress,
            Measure::Messaging => AlertKind::Messaging,
            Measure::Spend => AlertKind::SpendSpike,
        }
    }
}

/// Outbound data transfer and messaging jumping (spam and DDoS shapes).
fn jumps(
    u: &CustomerUsage,
    s: &Settings,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Finding>,
    explained: &mut BTreeSet<NaiveDate>,
) {
    for (m, ratio, min, unit, label_en, label_zh) in [
        (
            Measure::Egress,
            s.egress_ratio,
            s.egress_min_gb,
            "GB",
            "outbound data transfer",
            "對外資料傳輸",
        ),
        (
            Measure::Messaging,
            s.messaging_ratio,
            s.messaging_min,
            "",
            "e-mail/SMS messaging",
            "電子郵件/簡訊",
        ),
    ] {
        let measure = m.f();
        if u.days.values().all(|d| measure(d).is_zero()) {
            continue;
        }
        let fires = |d: NaiveDate, day: &Day| -> Option<Baseline> {
            let v = measure(day);
            let b = baseline(u, d, s, measure);
            (b.history >= s.min_history_days
                && v >= b.median * ratio
                && v - b.median >= min
                && !month_start_routine(u, d, v, measure))
            .then_some(b)
        };
        let mut was = false;
        for (d, day) in u.days.range(from - Duration::days(1)..=to) {
            let hit = fires(*d, day);
            if hit.is_some() {
                explained.insert(*d);
            }
            if let (Some(b), false, true) = (&hit, was, *d >= from) {
                let v = measure(day);
                let times = times_of(v, b.median);
                out.push(finding(
                    u,
                    Explained {
                        kind: m.kind(),
                        severity: 3,
                        day: *d,
                        title_en: format!("Spam/DDoS shape: {label_en} × {times}"),
                        title_zh: format!("疑似垃圾郵件/DDoS：{label_zh} × {times}"),
                        observed: format!("{} {unit}", fmt(v)).trim().to_string(),
                        baseline: format!("{} {unit}", fmt(b.median)).trim().to_string(),
                        explain_en: format!(
                            "On {d}, {} {unit} of {label_en}: {times} times the median of the same kind of day over the {} days before ({} {unit}).",
                            fmt(v), s.baseline_days, fmt(b.median)
                        ),
                        explain_zh: format!(
                            "{d} {label_zh}為 {} {unit}，是之前 {} 天同類日子中位數（{} {unit}）的 {times} 倍。",
                            fmt(v), s.baseline_days, fmt(b.median)
                        ),
                        risk_en: "Abuse of service: spam, DDoS or data exfiltration from the customer's resources.",
                        risk_zh: "服務濫用：從客戶資源發送垃圾郵件、DDoS 攻擊或外洩資料。",
                        action_en: "Ask the customer what sends the traffic; if unexplained, restrict or suspend the subscription and report it as abuse.",
                        action_zh: "詢問客戶流量來源；若無法說明，限制或暫停訂閱並依濫用程序回報。",
                    },
                    "",
                ));
            }
            was = hit.is_some();
        }
    }
}

/// Daily spend far above the customer's own baseline, not explained by a detector above.
fn spikes(
    t: &Thresholds,
    from: NaiveDate,
    to: NaiveDate,
    explained: &BTreeSet<NaiveDate>,
    out: &mut Vec<Finding>,
) {
    let (u, s) = (t.u, t.s);
    let measure = Measure::Spend.f();
    let robust = Decimal::new(14826, 4);
    let fires = |d: NaiveDate, day: &Day| -> Option<Baseline> {
        let v = day.spend;
        let b = baseline(u, d, s, measure);
        (b.history >= s.min_history_days
            && v >= b.median * s.spike_ratio
            && v - b.median >= s.spike_mads * robust * b.mad
            && t.amount(s.spike_min_excess, d)
                .is_some_and(|min| v - b.median >= min)
            && !month_start_routine(u, d, v, measure))
        .then_some(b)
    };
    let mut was = false;
    for (d, day) in u.days.range(from - Duration::days(1)..=to) {
        let hit = fires(*d, day);
        if let (Some(b), false, true) = (&hit, was, *d >= from && !explained.contains(d)) {
            let v = day.spend;
            let times = times_of(v, b.median);
            out.push(finding(
                u,
                Explained {
                    kind: AlertKind::SpendSpike,
                    severity: 3,
                    day: *d,
                    title_en: format!("Daily spend × {times} its usual level"),
                    title_zh: format!("單日用量為平常的 {times} 倍"),
                    observed: money(v, u.currency).format(),
                    baseline: money(b.median, u.currency).format(),
                    explain_en: format!(
                        "On {d}, {} was spent; the median of the same kind of day over the {} days before was {} (MAD {}).",
                        money(v, u.currency).format(), s.baseline_days, money(b.median, u.currency).format(), money(b.mad, u.currency).format()
                    ),
                    explain_zh: format!(
                        "{d} 用量 {}；之前 {} 天同類日子的中位數為 {}（MAD {}）。",
                        money(v, u.currency).format(), s.baseline_days, money(b.median, u.currency).format(), money(b.mad, u.currency).format()
                    ),
                    risk_en: "Theft of service or abuse: a bill run up fast by someone who does not mean to pay.",
                    risk_zh: "盜用服務或濫用：無意付款者在短時間內累積大量費用。",
                    action_en: "Look at what grew (the usage view), call the customer, and ask for a payment or prepayment before it grows further.",
                    action_zh: "查看增加的項目（用量畫面），致電客戶，並在擴大前要求付款或預付。",
                },
                "",
            ));
        }
        was = hit.is_some();
    }
}

/// Pseudo-regions that are not a place (bandwidth zones, global services).
fn is_place(region: &str) -> bool {
    ![
        "ZONE",
        "GLOBAL",
        "UNASSIGNED",
        "UNKNOWN",
        "INTERCONTINENTAL",
        "INTRACONTINENTAL",
    ]
    .iter()
    .any(|p| region.contains(p))
}

fn new_regions(
    u: &CustomerUsage,
    s: &Settings,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let Some(first) = u.first_day else { return };
    let mut by_day: BTreeMap<NaiveDate, Vec<&str>> = BTreeMap::new();
    for (region, day) in &u.regions {
        if *day >= from
            && *day <= to
            && is_place(region)
            && (*day - first).num_days() >= s.min_history_days
        {
            by_day.entry(*day).or_default().push(region);
        }
    }
    for (d, regions) in by_day {
        let usual: Vec<&str> = u
            .regions
            .iter()
            .filter(|(_, f)| **f < d)
            .map(|(r, _)| r.as_str())
            .filter(|r| is_place(r))
            .collect();
        let list = regions.join(", ");
        out.push(finding(
            u,
            Explained {
                kind: AlertKind::NewRegion,
                severity: 2,
                day: d,
                title_en: format!("Resources in a region never used before: {list}"),
                title_zh: format!("在從未使用的區域建立資源：{list}"),
                observed: list.clone(),
                baseline: usual.join(", "),
                explain_en: format!("On {d}, usage appeared in {list}; since {first} the customer used only {}.", usual.join(", ")),
                explain_zh: format!("{d} 起在 {list} 出現用量；自 {first} 以來客戶只使用 {}。", usual.join(", ")),
                risk_en: "Compromised account or abuse: attackers deploy in regions the owner does not watch.",
                risk_zh: "帳號遭入侵或濫用：攻擊者常在擁有者未注意的區域部署資源。",
                action_en: "Confirm with the customer that they deployed there; if not, treat the tenant as compromised (reset admin access, suspend).",
                action_zh: "向客戶確認是否在該區域部署；若否，視為租用戶遭入侵（重設管理員存取、暫停服務）。",
            },
            &format!(":{list}"),
        ));
    }
}

/// Heavy usage in a new customer's first days, before any payment (a received prepayment
/// counts as a payment): reaching a share of the credit limit, or an absolute amount
/// (reference currency) whether or not a limit is set, whichever comes first.
fn first_days(t: &Thresholds, books: &Books, to: NaiveDate, out: &mut Vec<Finding>) {
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
                        "From the first usage on {first} to {d}, {} was used (the threshold is {rule_en}) and no payment has been received.",
                        money(total, u.currency).format()
                    ),
                    explain_zh: format!(
                        "自 {first} 首次使用至 {d} 已用 {}（門檻：{rule_zh}），且尚未收到任何付款。",
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
fn overdue_growth(
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
                "{} is overdue (up to {days} days); usage in the 7 days to {to} was {} against {} the 7 days before.",
                overdue.format(), money(last, u.currency).format(), money(before, u.currency).format()
            ),
            explain_zh: format!(
                "逾期金額 {}（最長 {days} 天）；截至 {to} 的 7 天用量 {}，前 7 天為 {}。",
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
