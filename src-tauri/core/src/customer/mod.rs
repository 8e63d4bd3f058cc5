//! Customers: the record, its validation, the onboarding checklist, and storage.

mod admin;
mod checks;
mod choices;
mod list;
mod records;
mod shown;
mod validation;
pub use shown::{shown_domain, shown_email, shown_emails};
pub use validation::{
    ascii_domain, check_typed_tax_id, email_address, email_list, has_control, is_email,
    MAX_BILLING_EMAILS,
};

pub use admin::*;
pub use checks::*;
pub use list::*;
pub use records::*;

use crate::ids::CustomerId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money};
use crate::text_enum::text_enum;

text_enum!(
    /// Where the customer is in its life with the reseller.
    Status {
        Prospect = "prospect",
        Active = "active",
        OnHold = "on_hold",
        Suspended = "suspended",
        Closed = "closed",
    }
);

text_enum!(
    /// How the customer pays. Card types matter for theft-of-service risk.
    PaymentInstrument {
        BankTransfer = "bank_transfer",
        DirectDebit = "direct_debit",
        CreditCard = "credit_card",
        DebitCard = "debit_card",
        PrepaidCard = "prepaid_card",
        StoredValueCard = "stored_value_card",
    }
);

text_enum!(
    /// Admin access the customer granted the reseller in its tenant.
    AdminAccess {
        None = "none",
        Limited = "limited",
        Full = "full",
    }
);

text_enum!(
    /// The language of the customer's letters.
    Language {
        En = "en",
        ZhTw = "zh-TW",
    }
);

text_enum!(
    /// The onboarding checks from Microsoft's Partner Center fraud guidance.
    OnboardingItem {
        PhoneContact = "phone_contact",
        CreditCheck = "credit_check",
        Mfa = "mfa",
        IdentityVerified = "identity_verified",
        CardFraudCheck = "card_fraud_check",
        PolicyAcknowledged = "policy_acknowledged",
    }
);

text_enum!(
    /// Status changes a user makes on purpose, each with a reason.
    StatusAction {
        Suspend = "suspend",
        Reactivate = "reactivate",
        Hold = "hold",
        Close = "close",
    }
);

/// Customer fields as typed into a form or read from a CSV row: all text, validated by
/// [`CustomerInput::validate`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CustomerInput {
    pub legal_name: String,
    pub tenant_id: String,
    pub primary_domain: String,
    pub country: String,
    pub address: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub tax_id: String,
    pub currency: String,
    pub language: String,
    pub payment_terms_days: String,
    pub credit_limit: String,
    pub payment_instrument: String,
    pub card_present: bool,
    pub admin_access: String,
    pub status: String,
    pub notes: String,
    /// The customer's virtual account for collections (digits; spaces and dashes allowed).
    pub virtual_account: String,
    /// Other names the customer's payments arrive under, separated by `;`.
    pub payer_names: String,
    /// Where letters are e-mailed (the contact e-mail when empty).
    pub billing_email: String,
}

/// Validated customer fields.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CustomerFields {
    pub legal_name: String,
    pub tenant_id: Option<String>,
    pub primary_domain: String,
    pub country: String,
    pub address: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub tax_id: String,
    pub currency: Currency,
    pub language: Language,
    pub payment_terms_days: i64,
    pub credit_limit: Money,
    pub payment_instrument: PaymentInstrument,
    pub card_present: bool,
    pub admin_access: AdminAccess,
    pub status: Status,
    pub notes: String,
    /// Digits only, or empty.
    pub virtual_account: String,
    pub payer_names: Vec<String>,
    pub billing_email: String,
}

impl CustomerFields {
    /// Where the customer's letters are e-mailed: the billing e-mail, else the contact's.
    pub fn letters_to(&self) -> &str {
        if self.billing_email.is_empty() {
            &self.email
        } else {
            &self.billing_email
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Customer {
    pub id: CustomerId,
    #[serde(flatten)]
    pub fields: CustomerFields,
    pub created_at: String,
    pub updated_at: String,
}

/// One done onboarding check.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OnboardingCheck {
    pub item: OnboardingItem,
    pub done_on: NaiveDate,
    pub done_by: String,
    pub reference: String,
    pub note: String,
}

#[cfg(test)]
mod domain_tests;
#[cfg(test)]
mod shown_tests;
#[cfg(test)]
mod tests {
    use super::list::like_pattern;
    use super::validation::{is_domain, is_email, is_guid, is_phone};
    use super::*;
    use crate::Error;

    pub(crate) fn sample() -> CustomerInput {
        CustomerInput {
            legal_name: "Contoso Taiwan Ltd.".into(),
            tenant_id: "72F988BF-86F1-41AF-91AB-2D7CD011DB47".into(),
            primary_domain: "contoso.onmicrosoft.com".into(),
            country: "tw".into(),
            address: "No. 7, Xinyi Rd., Taipei".into(),
            contact_name: "Lin Mei".into(),
            phone: "+886 2 2345 6789".into(),
            email: "billing@contoso.com.tw".into(),
            tax_id: "12345675".into(),
            currency: "TWD".into(),
            language: "zh-TW".into(),
            payment_terms_days: "30".into(),
            credit_limit: "150,000".into(),
            payment_instrument: "bank_transfer".into(),
            card_present: false,
            admin_access: "limited".into(),
            status: "active".into(),
            notes: String::new(),
            virtual_account: "9988-0012-3456".into(),
            payer_names: "Contoso TW; 康托索".into(),
            billing_email: "ar@contoso.com.tw".into(),
        }
    }

    #[test]
    fn a_complete_customer_validates_and_normalises() {
        let f = sample().validate().unwrap();
        assert_eq!(
            f.tenant_id.as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        // The same tenant id in braces and capitals, as .NET and the registry write it.
        for written in [
            "{72F988BF-86F1-41AF-91AB-2D7CD011DB47}",
            " { 72f988bf-86f1-41af-91ab-2d7cd011db47 } ",
        ] {
            let braced = CustomerInput {
                tenant_id: written.into(),
                ..sample()
            };
            assert_eq!(
                braced.validate().unwrap().tenant_id,
                f.tenant_id,
                "{written}"
            );
        }
        assert_eq!(f.country, "TW");
        assert_eq!(f.credit_limit.minor, 15_000_000);
        assert_eq!(f.language, Language::ZhTw);
        assert_eq!(f.letters_to(), "ar@contoso.com.tw");
        let mut no_billing = sample();
        no_billing.billing_email = String::new();
        assert_eq!(
            no_billing.validate().unwrap().letters_to(),
            "billing@contoso.com.tw"
        );
        // A web address written for the domain is its host; anything else is no domain.
        for (typed, domain) in [
            ("https://www.Contoso.com/", Some("www.contoso.com")),
            ("http://contoso.com.tw/about?x=1", Some("contoso.com.tw")),
            ("contoso.com", Some("contoso.com")),
            ("https://", None),
            ("ftp://contoso.com", None),
        ] {
            let mut c = sample();
            c.primary_domain = typed.into();
            let got = c.validate().map(|f| f.primary_domain);
            match domain {
                Some(d) => assert_eq!(got.unwrap(), d, "{typed}"),
                None => assert!(got.is_err(), "{typed}"),
            }
        }
        // An address as a mail program copies it is the address.
        let mut copied = sample();
        copied.email = "Lin Mei <Billing@Contoso.com.tw>".into();
        copied.billing_email = "mailto:ar@contoso.com.tw; 王小明 <boss@contoso.com.tw>".into();
        let f = copied.validate().unwrap();
        assert_eq!(
            f.email, "Billing@contoso.com.tw",
            "the domain in lower case"
        );
        assert_eq!(f.letters_to(), "ar@contoso.com.tw; boss@contoso.com.tw");
        copied.email = "Lin Mei <not an address>".into();
        assert!(copied.validate().is_err());
        // Several billing addresses, as mail programs and spreadsheets separate them: one
        // form, each once.
        let mut several = sample();
        several.billing_email =
            " AR@contoso.com.tw, boss@contoso.com.tw;;ar@contoso.com.tw ".into();
        assert_eq!(
            several.validate().unwrap().letters_to(),
            "ar@contoso.com.tw; boss@contoso.com.tw"
        );
        // A credit limit as a spreadsheet or a ledger writes it.
        for (typed, minor) in [
            ("NT$150,000", 15_000_000),
            ("新台幣 150,000 元", 15_000_000),
            ("15萬", 15_000_000),
            ("NT$15 萬元", 15_000_000),
            ("１５０，０００", 15_000_000),
        ] {
            let mut c = sample();
            c.credit_limit = typed.into();
            assert_eq!(c.validate().unwrap().credit_limit.minor, minor, "{typed}");
        }
        let mut c = sample();
        c.credit_limit = "(100)".into();
        assert!(c.validate().is_err(), "a negative limit");
        c.credit_limit = "US$100".into();
        assert!(c.validate().is_err(), "another currency");
        // A virtual account typed full-width, with a tab or dashes.
        let mut c = sample();
        c.virtual_account = "９９８８－００１２\t０００３".into();
        assert_eq!(c.validate().unwrap().virtual_account, "998800120003");
        // As a Chinese keyboard in full-width mode types them.
        several.billing_email = "ａｒ＠ｃｏｎｔｏｓｏ．ｃｏｍ．ｔｗ；boss@contoso。com。tw".into();
        several.email = "ｂｉｌｌｉｎｇ＠ｃｏｎｔｏｓｏ．ｃｏｍ．ｔｗ".into();
        several.country = "ｔｗ".into();
        several.currency = "ＴＷＤ".into();
        let f = several.validate().unwrap();
        assert_eq!(f.letters_to(), "ar@contoso.com.tw; boss@contoso.com.tw");
        assert_eq!(
            (f.email.as_str(), f.country.as_str(), f.currency.code()),
            ("billing@contoso.com.tw", "TW", "TWD")
        );
        several.billing_email = "ar@contoso.com.tw; boss@".into();
        let Err(Error::Validation(errs)) = several.validate() else {
            panic!("a list with a bad address is refused")
        };
        assert_eq!(errs[0].field, "billing_email");
        assert!(errs[0].message.contains("\"boss@\""), "{}", errs[0].message);
        several.billing_email = (0..=MAX_BILLING_EMAILS)
            .map(|i| format!("ap{i}@contoso.com.tw"))
            .collect::<Vec<_>>()
            .join(";");
        assert!(several.validate().is_err(), "more than the most addresses");
    }

    #[test]
    fn every_bad_field_is_reported_with_its_name() {
        let mut i = sample();
        i.legal_name = "  ".into();
        i.tenant_id = "not-a-guid".into();
        i.email = "billing@".into();
        i.phone = "12".into();
        i.currency = "XXX".into();
        i.primary_domain = "contoso".into();
        i.payment_terms_days = "400".into();
        i.billing_email = "ar@".into();
        let Err(Error::Validation(errs)) = i.validate() else {
            panic!("expected validation errors")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "legal_name",
            "tenant_id",
            "email",
            "phone",
            "currency",
            "primary_domain",
            "payment_terms_days",
            "billing_email",
        ] {
            assert!(fields.contains(&f), "{f} not reported in {fields:?}");
        }
    }

    #[test]
    fn email_phone_and_domain_checks_accept_real_values() {
        assert!(is_email("a.b+c@sub.example.co.uk"));
        assert!(!is_email("a b@example.com"));
        assert!(!is_email("a@b@example.com"));
        assert!(is_phone("(02) 2345-6789"));
        // Extensions as Taiwan and others write them, and full-width digits.
        for typed in [
            "(02)2345-6789#123",
            "02-2345-6789 分機 123",
            "02-2345-6789轉123",
            "+1 425 555 0100 ext. 42",
            "+1 425 555 0100 x42",
            "02-2345-6789#",
            "０２－２３４５－６７８９",
            "（０２）２３４５－６７８９＃１２",
        ] {
            assert!(is_phone(typed), "{typed}");
        }
        assert!(
            !is_phone("02-2345-6789 分機 1234567"),
            "an extension of 7 digits"
        );
        assert!(!is_phone("02-2345-6789 ext. abc"));
        assert!(!is_phone("12#34#56"));
        assert!(is_phone("+1 425 555 0100"));
        assert!(!is_phone("555-abc-0100"));
        assert!(!is_phone("12+34567890"));
        assert!(is_domain("contoso.onmicrosoft.com"));
        assert!(!is_domain("-bad.com"));
        assert!(!is_domain("localhost"));
        assert!(is_guid("72f988bf-86f1-41af-91ab-2d7cd011db47"));
        assert!(!is_guid("72f988bf86f141af91ab2d7cd011db47"));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
    }
}
