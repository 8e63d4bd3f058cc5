//! Misuse detectors. Each looks at one customer's daily usage and explains what it found:
//! what it saw, on which day, how much against which baseline, the risk of Microsoft's
//! guidance it points to, and what to do. Each fires on the first day of an episode (not
//! again while it lasts). Thresholds are settings (`usage.*`, see [`Settings`]).
//!
//! Baselines are robust: the median of the customer's own trailing days (28 by default)
//! of the same kind (weekdays against weekdays, weekends against weekends), with the
//! median absolute deviation (MAD) as the spread, so one earlier spike neither hides the
//! next nor raises the bar. A jump that the same day of the previous month also had (a
//! backup on the 1st, a report on the 15th, a closing on the last day) is a routine and is
//! left alone, and so is one the same weekday of the week before had too (a weekly export
//! or training run): each is alerted the first time only.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::alerts::{AlertKind, Finding};
use super::rates::Rates;
use super::series::{money, CustomerUsage, Day};
pub use super::thresholds::{books, Books, Settings, SETTING_NAMES};
use crate::customer::Language;

mod currency;
mod payment;
mod shape;

use currency::{not_invoiceable, unconverted};
use payment::{first_days, overdue_growth};
use shape::gpu;

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
    /// Days the customer has been watched in the trailing window: from its first usage
    /// day (or the window's start) to the day before `d`. A day without rows is a day
    /// without usage (a file lists only what was used), so a customer used every third
    /// day has as long a history as one used daily.
    history: i64,
    /// The days of the same kind with usage that the median rests on.
    points: usize,
}

/// The fewest days of usage of the same kind a median may rest on.
const MIN_POINTS: usize = 3;

impl Baseline {
    /// Whether the customer has been watched long enough, on enough days of usage, for a
    /// jump against this baseline to mean something.
    fn judges(&self, s: &Settings) -> bool {
        self.history >= s.min_history_days && self.points >= MIN_POINTS
    }
}

fn baseline(
    u: &CustomerUsage,
    d: NaiveDate,
    s: &Settings,
    measure: fn(&Day) -> Decimal,
) -> Baseline {
    let from = d - Duration::days(s.baseline_days);
    let mut same_kind = Vec::new();
    for (day, v) in u.days.range(from..d) {
        if is_weekend(*day) == is_weekend(d) {
            same_kind.push(measure(v));
        }
    }
    let watched_from = u.first_day.map_or(d, |f| f.max(from));
    let m = median(same_kind.clone());
    let mad = median(same_kind.iter().map(|x| (*x - m).abs()).collect());
    Baseline {
        median: m,
        mad,
        history: (d - watched_from).num_days().max(0),
        points: same_kind.len(),
    }
}

/// The last day of `d`'s month.
fn month_end(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    first
        .checked_add_months(chrono::Months::new(1))
        .map_or(d, |next| next - Duration::days(1))
}

/// A monthly routine: the same day of last month (a day either side) was as high, at least
/// half as high: a backup on the 1st, a report on the 15th. A job on a month's last day is
/// compared with last month's last day (28 February with 31 January).
fn monthly_routine(
    u: &CustomerUsage,
    d: NaiveDate,
    value: Decimal,
    measure: fn(&Day) -> Decimal,
) -> bool {
    let Some(same) = d.checked_sub_months(chrono::Months::new(1)) else {
        return false;
    };
    let mut days = vec![same, same + Duration::days(1), same - Duration::days(1)];
    if d == month_end(d) {
        let last = month_end(same);
        days.extend([last, last - Duration::days(1)]);
    }
    days.iter()
        .filter_map(|x| u.days.get(x))
        .any(|x| measure(x) * Decimal::TWO >= value)
}

/// A weekly routine: the same day last week was as high (at least half as high), as a
/// weekly backup, export, batch or training run is. Its first week is alerted as any
/// other jump; the weeks after it are not.
fn weekly_routine(
    u: &CustomerUsage,
    d: NaiveDate,
    value: Decimal,
    measure: fn(&Day) -> Decimal,
) -> bool {
    u.days
        .get(&(d - Duration::days(7)))
        .is_some_and(|x| measure(x) * Decimal::TWO >= value)
}

/// A value the customer's own calendar explains: a monthly or a weekly routine.
fn routine(u: &CustomerUsage, d: NaiveDate, value: Decimal, measure: fn(&Day) -> Decimal) -> bool {
    monthly_routine(u, d, value, measure) || weekly_routine(u, d, value, measure)
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

/// A day as the alert's English and Chinese texts write it ("6 January 2025", "2025年1月6日").
fn written(d: NaiveDate) -> (String, String) {
    (
        crate::dates::date_text(Language::En, d),
        crate::dates::date_text(Language::ZhTw, d),
    )
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
    jumps(u, books, s, from, to, &mut out, &mut explained);
    spikes(&t, from, to, &explained, &mut out);
    new_regions(u, s, from, to, &mut out);
    first_days(&t, books, to, &mut out);
    overdue_growth(u, books, s, to, &mut out);
    unconverted(u, from, to, &mut out);
    not_invoiceable(&t, from, to, &mut out);
    out
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

/// Outbound data transfer and messaging jumping (spam and DDoS shapes); or, from a new
/// customer too new for a baseline of its own, a day of at least `ratio` times the minimum
/// jump (500 GB out by default): a tenant that signs up and sends at once.
fn jumps(
    u: &CustomerUsage,
    books: &Books,
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
        let new_customer = u.first_day.filter(|f| books.usage_is_new(*f, s.first_days));
        let fires = |d: NaiveDate, day: &Day| -> Option<Baseline> {
            let v = measure(day);
            let b = baseline(u, d, s, measure);
            let jumped = b.judges(s)
                && v >= b.median * ratio
                && v - b.median >= min
                && !routine(u, d, v, measure);
            let new_burst = !b.judges(s) && new_customer.is_some() && v >= min * ratio;
            (jumped || new_burst).then_some(b)
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
                let (on_en, on_zh) = written(*d);
                let (title_en, title_zh, explain_en, explain_zh) = match new_customer {
                    Some(first) if !b.judges(s) => {
                        let (first_en, first_zh) = written(first);
                        let with_unit = |x: Decimal| format!("{} {unit}", fmt(x)).trim().to_string();
                        let (seen, bar) = (with_unit(v), with_unit(min * ratio));
                        (
                            format!("Spam/DDoS shape: {seen} of {label_en} from a new customer"),
                            format!("疑似垃圾郵件/DDoS：新客戶的{label_zh}達 {seen}"),
                            format!(
                                "On {on_en}, {seen} of {label_en}, from a customer whose usage began on {first_en}: too new for a baseline of its own, and {bar} or more in a day is the spam/DDoS shape for a new customer."
                            ),
                            format!(
                                "{on_zh} {label_zh}為 {seen}；此客戶自 {first_zh} 才開始有用量，尚無自己的基準可比，而新客戶單日達 {bar} 以上即符合垃圾郵件/DDoS 的樣態。"
                            ),
                        )
                    }
                    _ => (
                        format!("Spam/DDoS shape: {label_en} × {times}"),
                        format!("疑似垃圾郵件/DDoS：{label_zh} × {times}"),
                        format!(
                            "On {on_en}, {} {unit} of {label_en}: {times} times the median of the same kind of day over the {} before ({} {unit}).",
                            fmt(v), crate::english::count(s.baseline_days, "day", "days"), fmt(b.median)
                        ),
                        format!(
                            "{on_zh} {label_zh}為 {} {unit}，是之前 {} 天同類日子中位數（{} {unit}）的 {times} 倍。",
                            fmt(v), s.baseline_days, fmt(b.median)
                        ),
                    ),
                };
                out.push(finding(
                    u,
                    Explained {
                        kind: m.kind(),
                        severity: 3,
                        day: *d,
                        title_en,
                        title_zh,
                        observed: format!("{} {unit}", fmt(v)).trim().to_string(),
                        baseline: format!("{} {unit}", fmt(b.median)).trim().to_string(),
                        explain_en,
                        explain_zh,
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
        (b.judges(s)
            && v >= b.median * s.spike_ratio
            && v - b.median >= s.spike_mads * robust * b.mad
            && t.amount(s.spike_min_excess, d)
                .is_some_and(|min| v - b.median >= min)
            && !routine(u, d, v, measure))
        .then_some(b)
    };
    let mut was = false;
    for (d, day) in u.days.range(from - Duration::days(1)..=to) {
        let hit = fires(*d, day);
        if let (Some(b), false, true) = (&hit, was, *d >= from && !explained.contains(d)) {
            let v = day.spend;
            let times = times_of(v, b.median);
            let (on_en, on_zh) = written(*d);
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
                        "On {on_en}, {} was spent; the median of the same kind of day over the {} before was {} (MAD {}).",
                        money(v, u.currency).format(), crate::english::count(s.baseline_days, "day", "days"), money(b.median, u.currency).format(), money(b.mad, u.currency).format()
                    ),
                    explain_zh: format!(
                        "{on_zh} 用量 {}；之前 {} 天同類日子的中位數為 {}（MAD {}）。",
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
        let named = |lang: Language, places: &[&str], sep: &str| {
            let names: Vec<&str> = places
                .iter()
                .map(|p| super::region::region_name(lang, p))
                .collect();
            names.join(sep)
        };
        let (en, zh) = (Language::En, Language::ZhTw);
        let (list_en, list_zh) = (named(en, &regions, ", "), named(zh, &regions, "、"));
        // Before, the usage may have named no region (global services only).
        let (before_en, before_zh) = if usual.is_empty() {
            (
                "no usage named a region".to_string(),
                "用量皆未標示區域".to_string(),
            )
        } else {
            (
                format!("the customer used only {}", named(en, &usual, ", ")),
                format!("客戶只使用{}", named(zh, &usual, "、")),
            )
        };
        let ((on_en, on_zh), (first_en, first_zh)) = (written(d), written(first));
        out.push(finding(
            u,
            Explained {
                kind: AlertKind::NewRegion,
                severity: 2,
                day: d,
                title_en: format!("Resources in a region never used before: {list_en}"),
                title_zh: format!("在從未使用的區域建立資源：{list_zh}"),
                observed: list.clone(),
                baseline: usual.join(", "),
                explain_en: format!("On {on_en}, usage appeared in {list_en}; since {first_en} {before_en}."),
                explain_zh: format!("{on_zh} 起在{list_zh}出現用量；自 {first_zh} 以來{before_zh}。"),
                risk_en: "Compromised account or abuse: attackers deploy in regions the owner does not watch.",
                risk_zh: "帳號遭入侵或濫用：攻擊者常在擁有者未注意的區域部署資源。",
                action_en: "Confirm with the customer that they deployed there; if not, treat the tenant as compromised (reset admin access, suspend).",
                action_zh: "向客戶確認是否在該區域部署；若否，視為租用戶遭入侵（重設管理員存取、暫停服務）。",
            },
            &format!(":{list}"),
        ));
    }
}
