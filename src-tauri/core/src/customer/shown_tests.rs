//! A domain kept in Punycode is shown in the script it was typed in, unless that would hide a
//! letter borrowed from another script; shown, edited and saved again, it keeps what it kept;
//! and the customer list finds it typed either way.

use super::tests::sample;
use super::*;
use crate::test_support::{book, ctx, customer_input};

#[test]
fn a_domain_is_shown_in_its_script_unless_it_borrows_a_latin_look_alike() {
    for (kept, shown) in [
        ("xn--fsqy19h.xn--kpry57d", "範例.台灣"),
        ("contoso.xn--kpry57d", "contoso.台灣"),
        ("xn--caf-dma.fr", "café.fr"),
        (&ascii_domain("phở.vn").unwrap(), "phở.vn"),
        (&ascii_domain("cơm-ướt.vn").unwrap(), "cơm-ướt.vn"),
        ("xn--o3cw4h.xn--o3cw4h", "ไทย.ไทย"),
        ("xn--eckwd4c7c.xn--zckzah", "ドメイン.テスト"),
        ("contoso.com.tw", "contoso.com.tw"),
        ("", ""),
    ] {
        assert_eq!(shown_domain(kept), shown, "{kept}");
    }
    // `cоntoso.com` with a Cyrillic `о`, a name wholly in Cyrillic or Greek, and Punycode
    // that does not decode: shown as kept, so the owner sees it is not what it imitates.
    let borrowed = ascii_domain("cоntoso.com").unwrap();
    assert!(borrowed.starts_with("xn--"), "{borrowed}");
    for kept in [
        borrowed.as_str(),
        &ascii_domain("пример.рф").unwrap(),
        &ascii_domain("αβγ.gr").unwrap(),
        &ascii_domain("paypaǀ.com").unwrap(),
        &ascii_domain("ımdb.com").unwrap(),
        "xn--zz.com",
        "xn--.com",
    ] {
        assert_eq!(shown_domain(kept), kept, "{kept}");
    }
    assert_eq!(
        shown_email("ar@xn--fsqy19h.xn--kpry57d"),
        "ar@範例.台灣".to_string()
    );
    assert_eq!(shown_email("not an address"), "not an address");
    assert_eq!(
        shown_emails("ar@xn--fsqy19h.xn--kpry57d; boss@contoso.com.tw"),
        "ar@範例.台灣; boss@contoso.com.tw"
    );
}

#[test]
fn a_form_shown_and_saved_again_keeps_what_it_kept() {
    let mut c = sample();
    c.primary_domain = "範例.台灣".into();
    c.email = "Lin.Mei@範例.台灣".into();
    c.billing_email = "ar@範例.台灣; boss@cоntoso.com".into();
    let kept = c.validate().unwrap();
    let form = kept.to_input().shown();
    assert_eq!(form.primary_domain, "範例.台灣");
    assert_eq!(form.email, "Lin.Mei@範例.台灣");
    let borrowed = ascii_domain("cоntoso.com").unwrap();
    assert_eq!(form.billing_email, format!("ar@範例.台灣; boss@{borrowed}"));
    assert_eq!(form.validate().unwrap(), kept);
}

#[test]
fn the_list_finds_a_domain_typed_in_its_script_and_shows_it_so() {
    let (_dir, mut conn) = book();
    let tx = conn.transaction().unwrap();
    let mut input = customer_input("範例資訊有限公司", "TWD", "TW");
    input.primary_domain = "範例.台灣".into();
    create(&tx, &ctx(), &input).unwrap();
    let mut other = customer_input("Contoso Ltd", "TWD", "TW");
    other.primary_domain = "contoso.com.tw".into();
    other.email = "ar@例子.台灣".into();
    create(&tx, &ctx(), &other).unwrap();
    tx.commit().unwrap();
    let names = |search: &str| -> Vec<(String, String)> {
        let q = ListQuery {
            search: search.into(),
            ..Default::default()
        };
        list(&conn, &q)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.legal_name, r.primary_domain))
            .collect()
    };
    let fanli = [("範例資訊有限公司".to_string(), "範例.台灣".to_string())];
    assert_eq!(names("範例.台灣"), fanli);
    assert_eq!(names("範例。台灣"), fanli);
    assert_eq!(names("xn--fsqy19h"), fanli);
    // A label alone finds every domain under it, the contact's e-mail included.
    assert_eq!(names("台灣").len(), 2);
    assert_eq!(names("例子.台灣")[0].0, "Contoso Ltd");
    // A search that is no domain still finds names; one with `%` or `_` finds nothing.
    assert_eq!(names("範例資訊"), fanli);
    assert!(names("範例%").is_empty());
}
