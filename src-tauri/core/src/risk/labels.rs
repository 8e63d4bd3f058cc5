//! Each factor's name and recommended action in English and Traditional Chinese, for the
//! window's Risk card, the CLI and the printed reports.

use crate::text_enum::text_enum;

text_enum! {
    /// A risk factor: one table ([`TABLE`]) holds its weight and labels.
    FactorKind {
        PrepaidCard = "prepaid_card",
        CardNotPresent = "card_not_present",
        CheckMissing = "check_missing",
        HighRiskRegion = "high_risk_region",
        BeforeFirstPayment = "before_first_payment",
        PrepaymentMissing = "prepayment_missing",
        FullAdminChecksMissing = "full_admin_checks_missing",
        AutomatedSignup = "automated_signup",
        Overdue = "overdue",
        BrokenPromise = "broken_promise",
        PaymentReturned = "payment_returned",
        BrokenPaymentPlan = "broken_payment_plan",
        Disputes = "disputes",
        OverCreditLimit = "over_credit_limit",
        NoCreditLimit = "no_credit_limit",
        BudgetOverrun = "budget_overrun",
        MisuseAlert = "misuse_alert",
        NoticeOverdue = "notice_overdue",
        AbuseIncident = "abuse_incident",
        CancellationWindow = "cancellation_window",
    }
}

/// (factor, default weight in points, name in English, name in Chinese, action in Chinese).
/// The English action is given where the factor is found (it names the evidence's terms).
pub const TABLE: &[(FactorKind, u32, &str, &str, &str)] = &[
    (FactorKind::PrepaidCard, 30, "Prepaid or stored-value card", "預付卡或儲值卡", "拒絕預付卡與儲值卡；請客戶改用銀行轉帳或公司名義的信用卡。"),
    (FactorKind::CardNotPresent, 10, "Card not present", "購買時未出示卡片", "開通服務前先驗證持卡人（回撥電話、信用卡詐欺檢查）。"),
    (FactorKind::CheckMissing, 6, "Onboarding check missing", "缺少開戶檢查", "在服務擴大前完成開戶檢查。"),
    (FactorKind::HighRiskRegion, 15, "High-risk country or region", "高風險國家或地區", "要求預付款並驗證身分。"),
    (FactorKind::BeforeFirstPayment, 15, "Services before the first payment", "首次付款前即使用服務", "在開通更多服務前先收取首次付款或預付款。"),
    (FactorKind::PrepaymentMissing, 15, "Prepayment not received", "未收到預付款", "在收到預付款前暫停開通服務。"),
    (FactorKind::FullAdminChecksMissing, 20, "Full admin access with checks missing", "檢查未完成即授予完整管理員權限", "檢查完成前改用最小權限（GDAP）角色。"),
    (FactorKind::AutomatedSignup, 20, "Signs of automated sign-up", "疑似自動化註冊", "開通前以電話逐一驗證客戶身分；批次註冊是自動化的跡象。"),
    (FactorKind::Overdue, 20, "Overdue balance", "逾期餘額", "依催收計畫處理；若持續增加則暫停服務。"),
    (FactorKind::BrokenPromise, 10, "Broken promise to pay", "未履行付款承諾", "立即要求付款；沒有部分付款前不再接受新的承諾。"),
    (FactorKind::PaymentReturned, 25, "Payment taken back", "付款遭退回或退單", "開通或延長服務前，要求以銀行轉帳付清；信用卡退單常是盜用卡片的跡象。"),
    (FactorKind::BrokenPaymentPlan, 15, "Payment plan broken", "付款計畫未履行", "依收款政策恢復催收；在付清欠款或收到預付款前，不再提供新的付款計畫。"),
    (FactorKind::Disputes, 5, "Frequent disputes", "頻繁爭議", "解決爭議；頻繁爭議可能掩蓋不付款。"),
    (FactorKind::OverCreditLimit, 15, "Exposure over the credit limit", "曝險超過信用額度", "要求付款或預付款，使曝險回到額度以內。"),
    (FactorKind::NoCreditLimit, 10, "No credit limit set", "未設定信用額度", "依客戶的付款能力設定信用額度，並在 Partner Center 設定相同的 Azure 支出預算。"),
    (FactorKind::BudgetOverrun, 10, "Budget overrun", "超過預算", "以預付款約定更高的預算，或降低用量。"),
    (FactorKind::MisuseAlert, 25, "Misuse alerts", "濫用警示", "處理警示：聯絡客戶，無法解釋的用量予以暫停。"),
    (FactorKind::NoticeOverdue, 20, "Microsoft notice past its deadline", "Microsoft 通知逾期未處理", "立即回覆 Microsoft 並記錄處置。"),
    (FactorKind::AbuseIncident, 20, "Open abuse incident", "未結案的濫用事件", "結案：暫停服務、限制管理員權限、聯絡客戶。"),
    (FactorKind::CancellationWindow, 30, "Unpaid purchase inside its cancellation window", "未付款的訂閱仍在可取消期間內", "立即收款或收取預付款，否則在期限前於合作夥伴中心取消；逾期後須向 Microsoft 支付整個期間的費用。"),
];

/// A factor's name in English or Chinese (the key itself for an unknown factor).
pub fn name(key: &str, zh: bool) -> &str {
    TABLE
        .iter()
        .find(|l| l.0.as_str() == key)
        .map(|l| if zh { l.3 } else { l.2 })
        .unwrap_or(key)
}

/// An onboarding check's short name in Chinese.
pub fn check_zh(item: &str) -> &str {
    match item {
        "phone_contact" => "電話聯繫",
        "credit_check" => "徵信查核",
        "mfa" => "多重要素驗證",
        "identity_verified" => "身分驗證",
        "card_fraud_check" => "信用卡詐欺檢查",
        "policy_acknowledged" => "收款政策已確認",
        other => other,
    }
}

/// A factor's recommended action in Chinese.
pub fn action_zh(kind: FactorKind) -> &'static str {
    TABLE
        .iter()
        .find(|l| l.0 == kind)
        .map(|l| l.4)
        .unwrap_or("")
}

/// A factor's default weight.
pub fn default_weight(kind: FactorKind) -> u32 {
    TABLE.iter().find(|l| l.0 == kind).map(|l| l.1).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_factor_has_one_row_with_its_weight_and_labels() {
        use super::{FactorKind, TABLE};
        for kind in FactorKind::ALL {
            assert_eq!(TABLE.iter().filter(|l| l.0 == *kind).count(), 1, "{kind}");
            assert_ne!(super::name(kind.as_str(), false), kind.as_str(), "{kind}");
            assert!(!super::action_zh(*kind).is_empty(), "{kind}");
        }
    }
}
