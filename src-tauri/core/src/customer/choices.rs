//! A customer's choices (status, payment instrument, admin access, language) as a customer
//! list writes them: the code in any case, with spaces or hyphens for its underscores
//! (`On hold`, `bank-transfer`), or the label the window shows, in English or Chinese
//! (`Credit card`, `信用卡`, `使用中`, `繁體中文`). Anything else is refused with the choices.

use super::{AdminAccess, Language, PaymentInstrument, Status};
use crate::text_enum::written as read;
use crate::FieldError;

pub(super) fn status(field: &str, text: &str) -> Result<Status, FieldError> {
    use Status::*;
    let labels = [
        ("潛在客戶", Prospect),
        ("使用中", Active),
        ("暫緩", OnHold),
        ("已停權", Suspended),
        ("停權", Suspended),
        ("已結束", Closed),
        ("結束", Closed),
    ];
    read(text, Status::ALL, Status::as_str, &labels, || {
        Status::field(field, text)
    })
}

pub(super) fn payment_instrument(field: &str, text: &str) -> Result<PaymentInstrument, FieldError> {
    use PaymentInstrument::*;
    let labels = [
        ("Bank transfer / invoice", BankTransfer),
        ("Transfer", BankTransfer),
        ("Invoice", BankTransfer),
        ("銀行轉帳／發票", BankTransfer),
        ("銀行轉帳", BankTransfer),
        ("轉帳", BankTransfer),
        ("匯款", BankTransfer),
        ("自動扣款", DirectDebit),
        ("信用卡", CreditCard),
        ("金融卡", DebitCard),
        ("簽帳金融卡", DebitCard),
        ("預付卡", PrepaidCard),
        ("Stored-value card", StoredValueCard),
        ("儲值卡", StoredValueCard),
    ];
    read(
        text,
        PaymentInstrument::ALL,
        PaymentInstrument::as_str,
        &labels,
        || PaymentInstrument::field(field, text),
    )
}

pub(super) fn admin_access(field: &str, text: &str) -> Result<AdminAccess, FieldError> {
    use AdminAccess::*;
    let labels = [("無", None), ("有限", Limited), ("完整", Full)];
    read(text, AdminAccess::ALL, AdminAccess::as_str, &labels, || {
        AdminAccess::field(field, text)
    })
}

pub(super) fn language(field: &str, text: &str) -> Result<Language, FieldError> {
    use Language::*;
    let labels = [
        ("English", En),
        ("en-US", En),
        ("en-GB", En),
        ("英文", En),
        ("zh", ZhTw),
        ("zh-Hant", ZhTw),
        ("zh-Hant-TW", ZhTw),
        ("Chinese", ZhTw),
        ("Traditional Chinese", ZhTw),
        ("中文", ZhTw),
        ("繁體中文", ZhTw),
        ("正體中文", ZhTw),
        ("繁中", ZhTw),
    ];
    read(text, Language::ALL, Language::as_str, &labels, || {
        Language::field(field, text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_as_a_customer_list_writes_it() {
        assert_eq!(status("s", "Active"), Ok(Status::Active));
        assert_eq!(status("s", " ON HOLD "), Ok(Status::OnHold));
        assert_eq!(status("s", "on-hold"), Ok(Status::OnHold));
        assert_eq!(status("s", "使用中"), Ok(Status::Active));
        assert_eq!(status("s", "已停權"), Ok(Status::Suspended));
        assert_eq!(
            payment_instrument("p", "Credit Card"),
            Ok(PaymentInstrument::CreditCard)
        );
        assert_eq!(
            payment_instrument("p", "Bank transfer / invoice"),
            Ok(PaymentInstrument::BankTransfer)
        );
        assert_eq!(
            payment_instrument("p", "銀行轉帳／發票"),
            Ok(PaymentInstrument::BankTransfer)
        );
        assert_eq!(
            payment_instrument("p", "stored-value card"),
            Ok(PaymentInstrument::StoredValueCard)
        );
        assert_eq!(
            payment_instrument("p", "預付卡"),
            Ok(PaymentInstrument::PrepaidCard)
        );
        assert_eq!(admin_access("a", "Full"), Ok(AdminAccess::Full));
        assert_eq!(admin_access("a", "無"), Ok(AdminAccess::None));
        assert_eq!(language("l", "zh-tw"), Ok(Language::ZhTw));
        assert_eq!(language("l", "zh_TW"), Ok(Language::ZhTw));
        assert_eq!(language("l", "繁體中文"), Ok(Language::ZhTw));
        assert_eq!(language("l", "EN"), Ok(Language::En));
        assert_eq!(language("l", "English"), Ok(Language::En));
        // Anything else is the strict reading's problem: the field and the choices.
        for bad in [
            "",
            "card",
            "activ",
            "<b>active</b>",
            "=cmd|' /C calc'!A0",
            "zh-CN",
            "簡體中文",
        ] {
            let e = status("status", bad).unwrap_err();
            assert_eq!(e.field, "status", "{bad}");
            assert!(
                e.message.contains("prospect, active"),
                "{bad}: {}",
                e.message
            );
            assert!(language("language", bad).is_err(), "{bad}");
        }
    }
}
