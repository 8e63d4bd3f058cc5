//! A company whose name the customer list gives in both scripts, as Taiwanese records often
//! do (`雲雀數位股份有限公司 (Skylark Digital Co., Ltd.)`): an invoices or payments file that
//! names it in Chinese alone or in English alone finds it, and a name that is two customers'
//! names no one.

mod books;

use books::*;
use riskdesk_core::test_support::scalar;

#[test]
fn a_file_naming_a_company_in_one_of_its_two_scripts_finds_it() {
    let (_db, mut conn) = new_db();
    let customers = "legal_name,country,currency\n\
                     \"雲雀數位股份有限公司 (Skylark Digital Co., Ltd.)\",TW,TWD\n\
                     Heron Media Ltd / 蒼鷺媒體有限公司,TW,TWD\n\
                     Kestrel Foods Ltd,TW,TWD\n";
    import_text(&mut conn, customers).unwrap();
    let invoices = "number,customer,issued_on,currency,description,unit_price\n\
                    S-1,雲雀數位股份有限公司,2026-10-01,TWD,Azure plan,100\n\
                    S-2,SKYLARK DIGITAL CO LTD,2026-10-01,TWD,Azure plan,100\n\
                    S-3,云雀数位股份有限公司,2026-10-01,TWD,Azure plan,100\n\
                    H-1,蒼鷺媒體有限公司 (Heron Media Ltd),2026-10-01,TWD,Azure plan,100\n\
                    H-2,HERON MEDIA LTD.,2026-10-01,TWD,Azure plan,100\n\
                    K-1,凱斯卓食品 Kestrel Foods Ltd,2026-10-01,TWD,Azure plan,100\n";
    invoices_in(&mut conn, "invoices.csv", invoices.as_bytes()).unwrap();
    let billed = |number: &str| -> String {
        scalar(
            &conn,
            &format!(
                "SELECT c.legal_name FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.number = '{number}'"
            ),
        )
    };
    for n in ["S-1", "S-2", "S-3"] {
        assert_eq!(
            billed(n),
            "雲雀數位股份有限公司 (Skylark Digital Co., Ltd.)",
            "{n}"
        );
    }
    for n in ["H-1", "H-2"] {
        assert_eq!(billed(n), "Heron Media Ltd / 蒼鷺媒體有限公司", "{n}");
    }
    assert_eq!(billed("K-1"), "Kestrel Foods Ltd");

    // Another customer whose Chinese name is the first's: the Chinese name alone is
    // neither's, and the file is refused on its line and field with nothing written.
    import_text(
        &mut conn,
        "legal_name,country,currency\n雲雀數位股份有限公司,TW,TWD\n",
    )
    .unwrap();
    let before = counts(&conn);
    let again = "number,customer,issued_on,currency,description,unit_price\n\
                 S-9,Skylark Digital Co. Ltd.,2026-10-01,TWD,Azure plan,100\n\
                 S-10,雲雀數位股份有限公司,2026-10-01,TWD,Azure plan,100\n";
    let e = invoices_in(&mut conn, "again.csv", again.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("again.csv:3 field customer"), "{e}");
    assert!(!e.to_string().contains("again.csv:2"), "{e}");
    assert_eq!(counts(&conn), before);
}
