//! Domains and e-mail addresses written in another script (`範例.台灣`, Taiwan's own top-level
//! domain) are kept as mail servers read them, in Punycode, so that letters reach them and one
//! domain typed three ways is one domain; an address whose part before `@` is not ASCII is
//! refused when typed, not when a letter fails to go.

use super::tests::sample;
use super::validation::is_domain;
use super::*;
use crate::Error;

const PUNY: &str = "xn--fsqy19h.xn--kpry57d";

#[test]
fn a_domain_in_another_script_is_its_punycode_however_typed() {
    for typed in [
        "範例.台灣",
        "https://範例.台灣/about",
        "XN--FSQY19H.XN--KPRY57D",
        "範例。台灣",
        "xn--fsqy19h.台灣",
    ] {
        let mut c = sample();
        c.primary_domain = typed.into();
        assert_eq!(c.validate().unwrap().primary_domain, PUNY, "{typed}");
    }
    // Taiwan's top-level domain in Punycode is a domain; an empty Punycode label is not.
    assert!(is_domain("contoso.xn--kpry57d"));
    assert!(!is_domain("contoso.xn--"));
    assert!(!is_domain("contoso.x1"));
    assert_eq!(
        ascii_domain("Contoso.COM.tw").as_deref(),
        Some("contoso.com.tw")
    );
    for bad in ["範例", "範例..台灣", "-範例.台灣", "a b.台灣", ""] {
        assert_eq!(ascii_domain(bad), None, "{bad}");
    }
}

#[test]
fn addresses_at_such_domains_are_kept_as_sent_and_a_chinese_mailbox_is_refused() {
    let mut c = sample();
    c.email = "林美 <Lin.Mei@範例．台灣>".into();
    c.billing_email = "ar@範例.台灣; AR@XN--FSQY19H.XN--KPRY57D; boss@contoso.com.tw".into();
    let f = c.validate().unwrap();
    assert_eq!(f.email, format!("Lin.Mei@{PUNY}"));
    assert_eq!(
        f.letters_to(),
        format!("ar@{PUNY}; boss@contoso.com.tw"),
        "one address, however written, once"
    );
    for (field, typed) in [
        ("email", "林美@contoso.com.tw"),
        ("email", "lin@範例"),
        ("billing_email", "ar@contoso.com.tw; 帳務@contoso.com.tw"),
    ] {
        let mut c = sample();
        match field {
            "email" => c.email = typed.into(),
            _ => c.billing_email = typed.into(),
        }
        match c.validate() {
            Err(Error::Validation(errs)) => {
                assert!(errs.iter().any(|e| e.field == field), "{typed}: {errs:?}")
            }
            other => panic!("{typed}: accepted {other:?}"),
        }
    }
    assert_eq!(
        email_address("billing@範例.台灣").as_deref(),
        Some("billing@xn--fsqy19h.xn--kpry57d")
    );
    assert!(!is_email("billing@範例"));
}

#[test]
fn one_domain_in_its_script_and_in_punycode_is_one_registrable_domain() {
    let written = [
        "ar@範例.台灣",
        "AR@XN--FSQY19H.XN--KPRY57D",
        "mail.範例.台灣",
    ];
    for w in written {
        assert_eq!(crate::identity::email_domain(w), PUNY, "{w}");
    }
}

/// A usage file names the tenant's domain as Partner Center writes it (here in Unicode, then
/// in upper-case Punycode): either finds the customer kept with that domain.
#[test]
fn a_usage_file_finds_the_customer_by_its_domain_however_written() {
    let header = "CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,ChargeStartDate,ChargeEndDate,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency";
    for written in ["範例.台灣", "XN--FSQY19H.XN--KPRY57D"] {
        let (_dir, mut conn) = crate::test_support::book();
        let ctx = crate::test_support::ctx();
        let tx = conn.transaction().unwrap();
        let mut input = crate::test_support::customer_input("範例資訊有限公司", "TWD", "TW");
        input.primary_domain = "範例.台灣".into();
        let c = create(&tx, &ctx, &input).unwrap();
        let file = format!(
            "{header}\n90fea696-4074-5090-b371-10b325a2143d,範例資訊,{written},,edef061b-0a9c-535c-bacc-1fd9276bf821,2025-01-01,2025-01-31,2025-01-15,Virtual Machines,Dsv5 Series,D4s v5,EASTASIA,1 Hour,24,123.45,TWD\n"
        );
        crate::usage::import_usage_for(&tx, &ctx, "u.csv", file.as_bytes(), None, None, |_, _| {})
            .unwrap();
        let linked: Option<i64> = tx
            .query_row("SELECT customer_id FROM usage_tenants", [], |r| r.get(0))
            .unwrap();
        assert_eq!(linked, Some(c.id.0), "{written}");
        // Listed in its script, however the file wrote it.
        let tenants = crate::usage::tenants::list(&tx).unwrap();
        assert_eq!(tenants[0].domain, "範例.台灣", "{written}");
    }
}

proptest::proptest! {
    /// What is kept reads back as itself: saving a customer again, or importing its export,
    /// changes nothing, whatever script or case its domain and address were typed in.
    #[test]
    fn a_kept_address_or_domain_is_kept_as_it_is(
        local in "[A-Za-z0-9._+-]{1,12}",
        labels in proptest::collection::vec(
            proptest::prop_oneof!["[a-zA-Z0-9]{1,8}", "[範例台灣資訊雲橋ü]{1,4}", "xn--[a-z0-9]{1,6}"],
            1..4,
        ),
        tld in proptest::prop_oneof![
            proptest::strategy::Just("台灣".to_string()),
            proptest::strategy::Just("XN--KPRY57D".to_string()),
            "[a-zA-Z]{2,6}",
        ],
    ) {
        let domain = format!("{}.{tld}", labels.join("."));
        if let Some(ascii) = ascii_domain(&domain) {
            proptest::prop_assert!(ascii.is_ascii() && ascii == ascii.to_ascii_lowercase());
            proptest::prop_assert_eq!(ascii_domain(&ascii), Some(ascii.clone()));
            let address = email_address(&format!("{local}@{domain}")).unwrap();
            proptest::prop_assert_eq!(email_address(&address), Some(address.clone()));
            proptest::prop_assert_eq!(address, format!("{local}@{ascii}"));
        }
    }
}

/// Characters that show nothing (a zero-width space, a soft hyphen, a direction mark, a byte
/// order mark) are not kept in a customer's name, contact, address or payer names, and every
/// cell reads as it looks: an amount, a date and an address with one hidden in them.
#[test]
fn what_shows_nothing_is_not_kept_and_not_read() {
    let mut c = sample();
    c.legal_name = "Cont\u{200B}oso\u{202E} Taiwan\u{00AD} Ltd.\u{FEFF}".into();
    c.contact_name = "Lin\u{200E} Mei".into();
    c.address = "No. 7,\u{2060} Xinyi Rd.".into();
    c.payer_names = "CONT\u{200D}OSO TW; \u{200B}".into();
    c.notes = "kept as written \u{200D}".into();
    let f = c.validate().unwrap();
    assert_eq!(f.legal_name, "Contoso Taiwan Ltd.");
    assert_eq!(f.contact_name, "Lin Mei");
    assert_eq!(f.address, "No. 7, Xinyi Rd.");
    assert_eq!(f.payer_names, ["CONTOSO TW"]);
    assert_eq!(f.notes, "kept as written \u{200D}");
    let twd = crate::money::Currency::parse("TWD").unwrap();
    assert_eq!(
        crate::money::Money::written("1,234\u{200B}.50", twd).map(|m| m.minor),
        Ok(123_450)
    );
    assert_eq!(
        crate::dates::written("\u{FEFF}2026-11-01", crate::dates::DateFormat::Iso)
            .map(|d| d.to_string()),
        Ok("2026-11-01".to_string())
    );
    assert_eq!(
        crate::identity::email_domain("ar@cont\u{200B}oso.com.tw"),
        "contoso.com.tw"
    );
}

/// A name stored before hidden characters were left out still compares as it looks.
#[test]
fn a_name_with_a_hidden_character_is_the_name_it_looks_like() {
    use crate::identity::{company, name_stem};
    for hidden in [
        "Cont\u{200B}oso Ltd",
        "Contoso\u{202E} Ltd",
        "\u{FEFF}Con\u{00AD}toso Ltd",
    ] {
        assert_eq!(company(hidden), company("Contoso Ltd"), "{hidden:?}");
        assert_eq!(name_stem(hidden), name_stem("Contoso Ltd"), "{hidden:?}");
    }
}

/// A name or a domain that borrows look-alike letters from Cyrillic or Greek (`Cоntoso` with
/// a Cyrillic `о`, `ΑCME` with a Greek `Α`) compares as the Latin one it imitates.
#[test]
fn letters_borrowed_from_another_script_compare_as_the_latin_they_imitate() {
    use crate::identity::{company, email_domain, name_stem};
    for (borrowed, latin) in [
        ("Cоntoso Ltd", "Contoso Ltd"),
        ("CОNTОSО LTD", "Contoso Ltd"),
        ("ΑCME Cloud Ρartners", "Acme Cloud Partners"),
        ("Аpex Сloud Trаding", "Apex Cloud Trading"),
    ] {
        assert_eq!(company(borrowed), company(latin), "{borrowed}");
        assert_eq!(name_stem(borrowed), name_stem(latin), "{borrowed}");
    }
    // The domain, however it reached the record: typed, or kept as Punycode.
    let typed = "billing@cоntoso.com";
    let kept = email_address(typed).unwrap();
    assert!(kept.contains("xn--"), "{kept}");
    for written in [typed, kept.as_str(), "ar@contoso.com"] {
        assert_eq!(email_domain(written), "contoso.com", "{written}");
    }
    // A name written wholly in Russian or Greek stays its own.
    assert_ne!(company("Сервис Плюс"), company("Cepbnc Plus"));
    assert_eq!(email_domain("ar@範例.台灣"), PUNY);
}
