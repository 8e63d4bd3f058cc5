//! The factors of one customer: each with its points (the factor's weight, a setting), the
//! evidence in English and Traditional Chinese (which record, which date, which amount) and
//! the recommended action from Microsoft's guidance.

use chrono::{DateTime, NaiveDate, Utc};

use super::facts::Facts;
use super::labels::FactorKind as F;
use super::{labels, terms, Exposure, Factor, RiskSettings, Window};
use crate::customer::Language::{En, ZhTw};
use crate::dates::date_text;
use crate::english::count;
use crate::receivables::ReturnReason;

/// What a look-alike group shares, in both languages.
pub type Shared = (String, String);

/// A customer's factors (in order of contribution), exposure and the cancellation windows
/// open on purchases it has not paid for.
pub fn factors(
    f: &Facts,
    s: &RiskSettings,
    lookalike: Option<&Vec<Shared>>,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> (Vec<Factor>, Exposure, Vec<Window>) {
    let mut out = Vec::new();
    let mut add = |kind: F, points: u32, en: String, zh: String, action: &'static str| {
        if points > 0 {
            out.push(Factor {
                key: kind.as_str(),
                points,
                evidence: en,
                evidence_zh: zh,
                action,
                action_zh: labels::action_zh(kind),
            });
        }
    };
    let w = |k: F| s.weight(k);
    let card = matches!(
        f.instrument.as_str(),
        "credit_card" | "debit_card" | "prepaid_card" | "stored_value_card"
    );
    if matches!(f.instrument.as_str(), "prepaid_card" | "stored_value_card") {
        let zh = if f.instrument == "prepaid_card" {
            "預付卡"
        } else {
            "儲值卡"
        };
        add(
            F::PrepaidCard,
            w(F::PrepaidCard),
            format!("payment instrument: {}", f.instrument.replace('_', " ")),
            format!("付款工具：{zh}"),
            "Refuse prepaid and stored-value cards; ask for a bank transfer or a card in the company's name.",
        );
    }
    if card && !f.card_present {
        add(
            F::CardNotPresent,
            w(F::CardNotPresent),
            "the card was not present at purchase".into(),
            "購買時未出示卡片".into(),
            "Verify the cardholder (a call-back, a card fraud check) before provisioning.",
        );
    }
    let missing = f.missing_checks(&s.required_checks);
    for item in &missing {
        add(
            F::CheckMissing,
            w(F::CheckMissing),
            format!(
                "onboarding check missing: {}",
                item.as_str().replace('_', " ")
            ),
            format!("缺少開戶檢查：{}", labels::check_zh(item.as_str())),
            "Complete the onboarding check before services grow.",
        );
    }
    if s.high_risk_countries.contains(&f.country) {
        add(
            F::HighRiskRegion,
            w(F::HighRiskRegion),
            format!(
                "country or region {} is on the high-risk list",
                crate::countries::named(&f.country, En)
            ),
            format!(
                "國家或地區「{}」在高風險名單上",
                crate::countries::named(&f.country, ZhTw)
            ),
            "Require prepayment and identity verification.",
        );
    }
    if f.first_payment.is_none() && (f.first_usage.is_some() || f.active_subscriptions > 0) {
        let (en, zh) = match f.first_usage {
            Some(d) => (
                // Usage, or a purchase (reservations, Marketplace) with nothing used.
                format!("services used since {}", date_text(En, d)),
                format!("自 {} 起使用服務", date_text(ZhTw, d)),
            ),
            None => (
                count(
                    f.active_subscriptions,
                    "active subscription",
                    "active subscriptions",
                ),
                format!("{} 個使用中的訂閱", f.active_subscriptions),
            ),
        };
        add(
            F::BeforeFirstPayment,
            w(F::BeforeFirstPayment),
            format!("{en} and no payment received yet"),
            format!("{zh}，尚未收到任何付款"),
            "Collect a first payment or a prepayment before provisioning more.",
        );
    }
    if f.prepayments_missing > 0 {
        add(
            F::PrepaymentMissing,
            w(F::PrepaymentMissing),
            format!(
                "{} due and not received",
                count(
                    f.prepayments_missing,
                    "prepayment request",
                    "prepayment requests"
                )
            ),
            format!("{} 筆預付款請求已到期但未收到", f.prepayments_missing),
            "Hold provisioning until the prepayment arrives.",
        );
    }
    if (f.admin_access == "full" || f.global_admin_relationship) && !missing.is_empty() {
        let (what, what_zh) = if f.admin_access == "full" {
            ("full administrator access", "完整管理員權限")
        } else {
            (
                "an admin relationship (GDAP) with the Global Administrator role",
                "含全域管理員角色的管理關係（GDAP）",
            )
        };
        add(
            F::FullAdminChecksMissing,
            w(F::FullAdminChecksMissing),
            format!(
                "{what} while {} missing",
                count(missing.len(), "check is", "checks are")
            ),
            format!("仍缺少 {} 項檢查卻已授予{what_zh}", missing.len()),
            "Use least-privilege (GDAP) roles until the checks are done.",
        );
    }
    if let Some(shared) = lookalike {
        let en: Vec<&str> = shared.iter().map(|(e, _)| e.as_str()).collect();
        let zh: Vec<&str> = shared.iter().map(|(_, z)| z.as_str()).collect();
        add(
            F::AutomatedSignup,
            w(F::AutomatedSignup),
            en.join("; "),
            zh.join("；"),
            "Verify each customer's identity by phone before provisioning; sign-ups in batches are a sign of automation.",
        );
    }
    if f.overdue_minor > 0 {
        // The weight at 90 days or more; a share of it before.
        let share = match f.overdue_days {
            1..=30 => 1,
            31..=60 => 2,
            61..=89 => 3,
            _ => 4,
        };
        let amount = f.money(f.overdue_minor);
        add(
            F::Overdue,
            w(F::Overdue) * share / 4,
            format!(
                "{amount} overdue, up to {}",
                count(f.overdue_days, "day", "days")
            ),
            format!("逾期 {amount}，最久 {} 天", f.overdue_days),
            "Follow the dunning plan; suspend if it keeps growing.",
        );
    }
    if f.broken_promise {
        add(
            F::BrokenPromise,
            w(F::BrokenPromise),
            "the latest promise to pay was broken".into(),
            "最近一次付款承諾未履行".into(),
            "Ask for payment now; do not accept another promise without a part payment.",
        );
    }
    if let Some((reference, amount, reason, on)) = f.returned.last() {
        let (how, how_zh) = match reason {
            ReturnReason::Chargeback => ("charged back by the card issuer", "遭發卡機構退單"),
            ReturnReason::Returned => ("returned by the bank", "遭銀行退回"),
            ReturnReason::Recalled => ("recalled by the payer's bank", "遭付款銀行撤回"),
        };
        let more = f.returned.len() - 1;
        let (more_en, more_zh) = if more > 0 {
            (
                format!(" ({more} more in the last year)"),
                format!("（過去一年另有 {more} 筆）"),
            )
        } else {
            (String::new(), String::new())
        };
        add(
            F::PaymentReturned,
            w(F::PaymentReturned),
            format!(
                "payment {reference} of {} {how} on {}{more_en}",
                amount.format(),
                date_text(En, *on)
            ),
            format!(
                "付款 {reference}（{}）於 {} {how_zh}{more_zh}",
                amount.format(),
                date_text(ZhTw, *on)
            ),
            "Ask for payment by bank transfer before any new or extended service; a charge-back is the usual sign of a stolen card.",
        );
    }
    if let Some((plan, on)) = f.broken_plan {
        add(
            F::BrokenPaymentPlan,
            w(F::BrokenPaymentPlan),
            format!(
                "payment plan {plan} broke on {}: an instalment was missed",
                date_text(En, on)
            ),
            format!(
                "付款計畫 {plan} 於 {} 未履行：有一期款項未付",
                date_text(ZhTw, on)
            ),
            "Resume dunning as the policy says; offer no new plan until the arrears are paid or prepaid.",
        );
    }
    if f.disputed_invoices >= 2 {
        add(
            F::Disputes,
            w(F::Disputes),
            format!(
                "{} disputed",
                count(f.disputed_invoices, "invoice", "invoices")
            ),
            format!("{} 張發票有爭議", f.disputed_invoices),
            "Resolve the disputes; frequent disputes can hide non-payment.",
        );
    }
    let committed = f
        .subscriptions
        .iter()
        .map(|x| terms::committed_rest(x, as_of))
        .fold(0i64, i64::saturating_add);
    // What could be lost, so never below zero: credit beyond everything owed and used is
    // the customer's money held, not a negative exposure.
    let total = f
        .open_minor
        .saturating_add(f.usage_minor)
        .saturating_add(f.purchases_minor)
        .saturating_add(committed)
        .saturating_sub(f.credit_minor)
        .max(0);
    let exposure = Exposure {
        open_receivables_minor: f.open_minor,
        usage_not_invoiced_minor: f.usage_minor,
        purchases_not_invoiced_minor: f.purchases_minor,
        committed_minor: committed,
        credit_minor: f.credit_minor,
        total_minor: total,
        credit_limit_minor: f.credit_limit_minor,
        currency: f.currency.map(|c| c.code().to_string()).unwrap_or_default(),
        over_limit: f.credit_limit_minor > 0 && total > f.credit_limit_minor,
        usage_rate: f.usage_rate.clone(),
        usage_unconverted: f.usage_unconverted.clone(),
        usage_credited: f.usage_credited.clone(),
    };
    if f.credit_limit_minor <= 0 && (f.active_subscriptions > 0 || f.first_usage.is_some()) {
        let x = f.money(total);
        add(
            F::NoCreditLimit,
            w(F::NoCreditLimit),
            format!("No credit limit is set: nothing caps an exposure of {x}"),
            format!("未設定信用額度：目前曝險 {x} 沒有上限"),
            "Set a credit limit from what the customer can pay, and the same Azure spending budget in Partner Center.",
        );
    }
    if exposure.over_limit {
        let (x, limit) = (f.money(total), f.money(f.credit_limit_minor));
        add(
            F::OverCreditLimit,
            w(F::OverCreditLimit),
            format!("exposure {x} over the credit limit {limit}"),
            format!("曝險 {x} 超過信用額度 {limit}"),
            "Ask for a payment or a prepayment to bring the exposure under the limit.",
        );
    }
    let budget = f
        .alerts
        .iter()
        .filter(|a| {
            crate::usage::alerts::AlertKind::parse(&a.kind)
                == Some(crate::usage::alerts::AlertKind::Budget)
        })
        .map(|a| a.severity)
        .max()
        .unwrap_or(0);
    if budget >= 3 {
        add(
            F::BudgetOverrun,
            w(F::BudgetOverrun),
            "a monthly budget was reached or exceeded".into(),
            "已達到或超過每月預算".into(),
            "Agree a higher budget with a prepayment, or reduce the usage.",
        );
    }
    let misuse: Vec<_> = f
        .alerts
        .iter()
        .filter(|a| crate::usage::alerts::AlertKind::text_is_misuse(&a.kind) && a.severity >= 3)
        .collect();
    if let Some(worst) = misuse.iter().map(|a| a.severity).max() {
        let points = if worst >= 4 {
            w(F::MisuseAlert)
        } else {
            w(F::MisuseAlert) * 3 / 5
        };
        let en: Vec<&str> = misuse.iter().map(|a| a.title_en.as_str()).collect();
        let zh: Vec<&str> = misuse.iter().map(|a| a.title_zh.as_str()).collect();
        add(
            F::MisuseAlert,
            points,
            format!(
                "{}: {}",
                if en.len() == 1 {
                    "open alert"
                } else {
                    "open alerts"
                },
                en.join("; ")
            ),
            format!("未處理警示：{}", zh.join("；")),
            "Work the alerts: call the customer, suspend what cannot be explained.",
        );
    }
    if !f.notices_overdue.is_empty() {
        let titles = f.notices_overdue.join("; ");
        let notices = if f.notices_overdue.len() == 1 {
            "Microsoft notice past its deadline"
        } else {
            "Microsoft notices past their deadline"
        };
        add(
            F::NoticeOverdue,
            w(F::NoticeOverdue),
            format!("{notices}: {titles}"),
            format!("Microsoft 通知已逾期未處理：{titles}"),
            "Respond to Microsoft now and record the mitigation.",
        );
    }
    if !f.incidents_open.is_empty() {
        let (en, zh): (Vec<String>, Vec<String>) = f
            .incidents_open
            .iter()
            .map(|(category, summary)| {
                let (en, zh) = category.label();
                (format!("{en}: {summary}"), format!("{zh}：{summary}"))
            })
            .unzip();
        add(
            F::AbuseIncident,
            w(F::AbuseIncident),
            format!(
                "{}: {}",
                if en.len() == 1 {
                    "open abuse incident"
                } else {
                    "open abuse incidents"
                },
                en.join("; ")
            ),
            format!("未結案的濫用事件：{}", zh.join("；")),
            "Close the incident: suspend, restrict admin access, contact the customer.",
        );
    }
    // Windows still open on purchases for a customer who has not paid: never paid, or
    // overdue now, and no prepayment received since 30 days before the window opened.
    let windows: Vec<Window> = terms::open_windows(
        &f.subscriptions,
        &f.seats,
        now,
        s.cancel_window_days,
        s.offset_at(now),
    )
    .into_iter()
    .filter(|w| {
        let unpaid = f.first_payment.is_none() || f.overdue_minor > 0;
        let prepaid = f
            .last_prepayment
            .is_some_and(|d| d >= w.opened_on - chrono::Duration::days(30));
        unpaid && !prepaid
    })
    .collect();
    if !windows.is_empty() {
        let en: Vec<String> = windows
            .iter()
            .map(|w| {
                format!(
                    "{} ({} on {}, {}, term worth {}): {} left, collect or cancel before {}",
                    w.offer,
                    w.kind.words().0,
                    date_text(En, w.opened_on),
                    count(w.quantity, "seat", "seats"),
                    f.money(w.term_value_minor),
                    count(w.hours_left, "hour", "hours"),
                    w.closes_text(En)
                )
            })
            .collect();
        let zh: Vec<String> = windows
            .iter()
            .map(|w| {
                let kind = w.kind.words().1;
                format!(
                    "{}（{} {kind}，{} 個授權，期間總額 {}）：剩 {} 小時，請在 {} 前收款或取消",
                    w.offer,
                    date_text(ZhTw, w.opened_on),
                    w.quantity,
                    f.money(w.term_value_minor),
                    w.hours_left,
                    w.closes_text(ZhTw)
                )
            })
            .collect();
        add(
            F::CancellationWindow,
            w(F::CancellationWindow),
            en.join("; "),
            zh.join("；"),
            "Collect payment or a prepayment now, or cancel in Partner Center before the window closes; after it the whole term is owed to Microsoft.",
        );
    }
    out.sort_by(|a, b| b.points.cmp(&a.points).then(a.key.cmp(b.key)));
    (out, exposure, windows)
}
