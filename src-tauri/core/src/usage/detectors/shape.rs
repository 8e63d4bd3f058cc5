//! GPU/HPC and large VMs: the crypto-mining shape (sustained, material use appearing or
//! jumping) and the informational note for a first, small use.

use super::*;
use crate::english::count;

/// GPU/HPC and large VMs: the crypto-mining shape is sustained use (most hours of a day,
/// around the clock, weekends too) costing a material amount, appearing or jumping. A job
/// of a few hours is not that shape: the first use of such a resource is an informational
/// note ("a new kind of resource"), once per customer.
pub(super) fn gpu(
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
            let jumped = b.judges(s) && h >= b.median * s.gpu_ratio;
            // A run that came on the same day last week or last month too is a routine
            // (training, rendering), neither new nor a jump: only its first time is alerted.
            let starts = (new_shape || jumped) && !routine(u, *d, h, hours);
            // An episode lasts while the use stays around the clock.
            let high = sustained(*d, day) && (was_high || starts);
            if high {
                explained.insert(*d);
            }
            if !high && !noted && Some(*d) == first_use && *d >= from && !h.is_zero() {
                noted = true;
                // Around the clock from the first days of the usage kept: not a job, and not
                // seen to appear either. Material, it is worth one question to the customer.
                let first = if h >= s.gpu_sustained_hours {
                    FirstUse::AroundTheClock {
                        material: sustained(*d, day),
                    }
                } else {
                    FirstUse::Job
                };
                out.push(new_resource(
                    u,
                    *d,
                    h,
                    (label_en, label_zh),
                    kind_measure.kind(),
                    first,
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
                        format!("疑似挖礦：{label_zh}全天候運轉"),
                    )
                } else {
                    (
                        format!("Crypto-mining shape: {label_en} jumped"),
                        format!("疑似挖礦：{label_zh}用量暴增"),
                    )
                };
                let v = spend(day);
                let (min_en, min_zh) = t.shown(s.gpu_min_amount, *d);
                let (on_en, on_zh) = written(*d);
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
                            "On {on_en}, {label_en} ran {} (at least {} a day is around the clock) and cost {} (the threshold is {min_en}); the median of the same kind of day over the {} before was {}.",
                            count(fmt(h), "hour", "hours"), fmt(s.gpu_sustained_hours), money(v, u.currency).format(), count(s.baseline_days, "day", "days"), count(fmt(b.median), "hour", "hours")
                        ),
                        explain_zh: format!(
                            "{on_zh} {label_zh}運轉 {} 小時（每日 {} 小時以上即為全天候），花費 {}（門檻 {min_zh}）；之前 {} 天同類日子的中位數為 {} 小時。",
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

/// What the first day a customer used a kind of resource looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FirstUse {
    /// A few hours: a job.
    Job,
    /// Around the clock, but too early in the customer's usage kept to have appeared (it may
    /// have run before the files began); `material` when it also costs the threshold.
    AroundTheClock { material: bool },
}

/// The first use of a kind of resource that is not the crypto-mining shape: informational,
/// once per customer; a look (severity 2) when it ran around the clock at a material cost
/// from the first days of the usage kept, where RiskDesk cannot tell whether it is new.
pub(super) fn new_resource(
    u: &CustomerUsage,
    d: NaiveDate,
    hours: Decimal,
    (label_en, label_zh): (&str, &str),
    kind: AlertKind,
    first: FirstUse,
) -> Finding {
    let (on_en, on_zh) = written(d);
    let h = fmt(hours);
    let (severity, explain_en, explain_zh, risk_en, risk_zh, action_en, action_zh) = match first {
        FirstUse::Job => (
            1,
            format!("On {on_en}, the customer used {label_en} for the first time ({}): a job, not a sustained run.", count(&h, "hour", "hours")),
            format!("{on_zh} 客戶首次使用「{label_zh}」（{h} 小時）：屬於短期工作，並非持續運轉。"),
            "None yet: noted so that a later sustained run is seen against it.",
            "目前無：記錄下來，以便日後比對是否轉為持續運轉。",
            "No action needed; if it grows to running around the clock, RiskDesk raises a crypto-mining alert.",
            "無需處理；若轉為全天候運轉，RiskDesk 會發出疑似挖礦警示。",
        ),
        FirstUse::AroundTheClock { material } => (
            if material { 2 } else { 1 },
            format!("On {on_en}, the first day the customer used {label_en} in the usage kept, they ran {}, around the clock. There are too few days of the customer's usage before it to tell whether the run is new or ran before the files began, so it is not taken as the crypto-mining shape.", count(&h, "hour", "hours")),
            format!("{on_zh} 是留存用量中客戶首次使用「{label_zh}」的日子，運轉 {h} 小時，已達全天候。之前留存的客戶用量天數太少，無法判斷這是新出現的運轉，還是在檔案開始前就已存在，因此不視為疑似挖礦。"),
            "Cannot tell yet: running around the clock is what crypto-mining on stolen capacity looks like, and also what some workloads (inference, rendering) need.",
            "尚無法判斷：全天候運轉符合以盜用資源挖礦的樣態，但推論、算圖等工作也需要如此。",
            "Confirm once with the customer that they expect this run, and resolve the alert with what they said; a jump from here is alerted as crypto-mining.",
            "請向客戶確認一次是否為預期的運轉，並以其說明解決此警示；之後若用量暴增，會以疑似挖礦警示。",
        ),
    };
    let mut f = finding(
        u,
        Explained {
            kind: AlertKind::NewResource,
            severity,
            day: d,
            title_en: format!("A new kind of resource: {label_en}"),
            title_zh: format!("新的資源類型：{label_zh}"),
            observed: format!("{h} h"),
            baseline: "0 h".into(),
            explain_en,
            explain_zh,
            risk_en,
            risk_zh,
            action_en,
            action_zh,
        },
        "",
    );
    f.key = format!("new_resource:{}:{kind}", u.customer_id.0);
    f
}
