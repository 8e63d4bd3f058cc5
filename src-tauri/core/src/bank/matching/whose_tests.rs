//! Whose a line is by its payer: a customer's name written as banks print it, a name in two
//! scripts, and the contact person.

use super::*;

#[test]
fn a_payer_name_written_another_way_is_likely() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    let cloud = [
        "雲橋科技",
        "雲橋科技股份有限公司",
        // Spaced as some banks print a Chinese name.
        "雲 橋 科 技",
        "雲橋　科技（股）公司",
        "CLOUDBRIDGE",
        "ＣｌｏｕｄＢｒｉｄｇｅ",
        // Cut short by the bank inside the legal form.
        "雲橋科技股份有",
        "雲橋科技股",
        // In simplified characters, whole or cut short.
        "云桥科技股份有限公司",
        "云桥科技股份有",
        "CLOUDBRIDGE TECHNOLOGY CO LT",
    ];
    likely(&book, &cloud, 2_000, b.cloud);
    let contoso = ["CONTOSO TAIWAN LTD", "CONTOSO TAIWAN L", "CONTOSO TAIW"];
    likely(&book, &contoso, 5_000, b.contoso);
    let p = book
        .propose(&line("", "CONTOSO TAIWAN LTD", "", twd(5_000)))
        .unwrap();
    assert_eq!(numbers(&p), [("C-0099", 400_000), ("C-0100", 100_000)]);
}

/// Banks write payer names without accents (SWIFT's letters have none), in capitals, and
/// Singapore's `Pte. Ltd.` as `PRIVATE LIMITED`.
#[test]
fn a_payer_name_without_its_accents_or_in_another_spelling_of_its_form_is_likely() {
    let (_dir, mut conn) = support::ledger_db();
    let cafe = support::customer(&mut conn, "Café Nova Pte. Ltd.", "TWD", "TW");
    invoice(&mut conn, cafe, "CN-0001", (5, 1), 3_000, "TWD");
    let book = Book::load(&conn).unwrap();
    let payers = [
        "CAFE NOVA PRIVATE LIMITED",
        "CAFE NOVA PTE LTD",
        "THE CAFE NOVA PTE",
    ];
    likely(&book, &payers, 3_000, cafe);
}

/// A legal name in two scripts is paid under its Chinese name or its English one, as a
/// bank prints either.
#[test]
fn a_payer_writing_one_script_of_a_name_in_two_is_likely() {
    let (_dir, mut conn) = support::ledger_db();
    let both = support::customer(
        &mut conn,
        "雲雀數位股份有限公司 (Skylark Digital Co., Ltd.)",
        "TWD",
        "TW",
    );
    invoice(&mut conn, both, "SK-0001", (5, 1), 6_300, "TWD");
    let book = Book::load(&conn).unwrap();
    let payers = [
        "雲雀數位股份有限公司",
        "雲雀數位股份有",
        "SKYLARK DIGITAL CO LTD",
        "SKYLARK DIGITAL CO",
    ];
    likely(&book, &payers, 6_300, both);
    // A payer column in both scripts, its English cut short, for a customer in one.
    let (_dir, mut conn) = support::ledger_db();
    let one = support::customer(&mut conn, "雲雀數位股份有限公司", "TWD", "TW");
    invoice(&mut conn, one, "SK-0002", (5, 1), 6_300, "TWD");
    let book = Book::load(&conn).unwrap();
    likely(&book, &["雲雀數位股份有限公司 SKYLARK DIG"], 6_300, one);
}

/// The proposals for lines of `major` TWD from each of `payers`, each asserted likely to be
/// `customer`'s.
fn likely(book: &Book, payers: &[&str], major: i64, customer: CustomerId) -> Vec<Proposal> {
    let mut out = Vec::new();
    for payer in payers {
        let p = book.propose(&line("", payer, "", twd(major))).unwrap();
        assert_eq!(
            (p.confidence, p.customer_id),
            (Confidence::Likely, Some(customer)),
            "{payer}"
        );
        out.push(p);
    }
    out
}

/// A small firm's owner pays from a personal account: the payer is the contact person,
/// written in Chinese or spelled in English either way round, and no other customer's. A
/// name that sounds alike but is another customer's contact (王曉明) names no one, and the
/// amount alone is left to say.
#[test]
fn a_payer_who_is_the_contact_person_is_likely_and_two_alike_are_no_one() {
    let (_dir, mut conn) = support::ledger_db();
    let firm = support::customer(&mut conn, "Sparrow Design Studio", "TWD", "TW");
    let other = support::customer(&mut conn, "Heron Media", "TWD", "TW");
    let set_contact = |conn: &Connection, id: CustomerId, name: &str| {
        conn.execute(
            "UPDATE customers SET contact_name = ?1 WHERE id = ?2",
            params![name, id],
        )
        .unwrap();
    };
    let kowloon = support::customer(&mut conn, "Kowloon Bay Trading Ltd", "TWD", "HK");
    set_contact(&conn, firm, "林淑芬");
    set_contact(&conn, other, "Chen Chien-Hung");
    set_contact(&conn, kowloon, "陳大文");
    invoice(&mut conn, firm, "SD-0001", (5, 1), 4_200, "TWD");
    invoice(&mut conn, other, "HM-0001", (5, 1), 4_200, "TWD");
    invoice(&mut conn, kowloon, "KB-0001", (5, 1), 8_800, "TWD");
    let book = Book::load(&conn).unwrap();
    // Written in Chinese, or spelled in English either way round; in Hong Kong by the
    // name's Cantonese sound (CHAN TAI MAN is 陳大文).
    for (customer, contact, amount, payers) in [
        (
            firm,
            "林淑芬",
            4_200,
            &[
                "林淑芬",
                "LIN SHU FEN",
                "SHU-FEN LIN",
                "LIN, SHU-FEN",
                "林 淑芬",
            ][..],
        ),
        (
            kowloon,
            "陳大文",
            8_800,
            &[
                "CHAN TAI MAN",
                "TAI MAN CHAN",
                "CHAN, TAI-MAN",
                "Peter Chan Tai Man",
            ][..],
        ),
    ] {
        for p in likely(&book, payers, amount, customer) {
            assert_eq!(reasons(&p)[0], Reason::ContactPerson);
            assert_eq!(
                p.reasons[0].params.get("contact").map(String::as_str),
                Some(contact)
            );
        }
    }
    let p = book.propose(&line("", "陳建宏", "", twd(4_200))).unwrap();
    assert_eq!(
        p.customer_id,
        Some(other),
        "an English contact, a payer in Chinese"
    );
    let p = book
        .propose(&line("", "CHAN TAI MING", "", twd(8_800)))
        .unwrap();
    assert_ne!(
        p.reasons.first().map(|r| r.reason),
        Some(Reason::ContactPerson)
    );
    // Another person: the amount alone, owed by two, names neither.
    for payer in ["林淑華", "LIN SHU HUA", "WANG SHU FEN"] {
        let p = book.propose(&line("", payer, "", twd(4_200))).unwrap();
        assert_eq!(p.customer_id, None, "{payer}");
    }
    // Two customers whose contacts read the same: a payer in English is neither's.
    let third = support::customer(&mut conn, "Kestrel Foods", "TWD", "TW");
    set_contact(&conn, third, "林淑分");
    let book = Book::load(&conn).unwrap();
    let p = book
        .propose(&line("", "LIN SHU FEN", "", twd(4_200)))
        .unwrap();
    assert_eq!(p.customer_id, None);
    let p = book.propose(&line("", "林淑芬", "", twd(4_200))).unwrap();
    assert_eq!(p.customer_id, Some(firm), "in Chinese it is one of them");
}

/// Taiwanese banks print a private payer's name with its middle hidden (`林*芬`, `林○芬`,
/// `林Ｏ芬`): the contact person with those characters where they stand is the payer, in
/// either script, unless two customers' contacts fit; a company's name is never read so.
#[test]
fn a_payer_name_the_bank_masked_is_the_one_contact_it_fits() {
    let (_dir, mut conn) = support::ledger_db();
    let firm = support::customer(&mut conn, "Sparrow Design Studio", "TWD", "TW");
    let other = support::customer(&mut conn, "Heron Media", "TWD", "TW");
    for (id, name) in [(firm, "林淑芬"), (other, "王大明")] {
        conn.execute(
            "UPDATE customers SET contact_name = ?1 WHERE id = ?2",
            params![name, id],
        )
        .unwrap();
    }
    invoice(&mut conn, firm, "SD-0001", (5, 1), 4_200, "TWD");
    invoice(&mut conn, other, "HM-0001", (5, 1), 4_200, "TWD");
    let book = Book::load(&conn).unwrap();
    likely(
        &book,
        &["林*芬", "林○芬", "林Ｏ芬", "林＊芬", "林 * 芬", "林xx"],
        4_200,
        firm,
    );
    likely(&book, &["王Ｏ明", "王*明"], 4_200, other);
    // Fits no one, or two: the amount alone (both owe NT$4,200) names no one.
    conn.execute(
        "UPDATE customers SET contact_name = '林美芬' WHERE id = ?1",
        params![other],
    )
    .unwrap();
    let book = Book::load(&conn).unwrap();
    for payer in ["林*芬", "陳*芬", "林*", "*"] {
        let p = book.propose(&line("", payer, "", twd(4_200))).unwrap();
        assert_eq!(p.customer_id, None, "{payer}: {p:?}");
    }
    assert_eq!(
        crate::identity::masked_person("雲橋科技股份有＊＊＊"),
        None,
        "a company"
    );
}

/// Some banks print a company's name with characters hidden (`雲＊科技股份有限公司`,
/// `雲橋○○股份有限公司`, `雲橋科技(股)公Ｏ`, in either script, cut short too): the one
/// customer whose name it fits is the payer; when two fit, or too little is shown, no one.
#[test]
fn a_company_name_the_bank_masked_is_the_one_customer_it_fits() {
    let b = small_book();
    let book = Book::load(&b.conn).unwrap();
    let masked = [
        "雲＊科技股份有限公司",
        "雲橋○○股份有限公司",
        "雲橋科技(股)公Ｏ",
        "云＊科技股份有限公司",
        "雲橋科技股份有＊＊＊",
        "雲橋＊技股份有",
    ];
    likely(&book, &masked, 2_000, b.cloud);
    // Shown too little, or not Chinese: no pattern; a name of another length: no fit.
    for payer in [
        "＊＊科技股份有限公司",
        "雲＊＊＊＊＊＊＊＊＊",
        "C*NTOSO TAIWAN LTD",
    ] {
        assert_eq!(crate::identity::masked_company(payer), None, "{payer}");
    }
    let p = book
        .propose(&line("", "雲＊科技有限公司", "", twd(1_111)))
        .unwrap();
    assert_eq!(p.customer_id, None, "{p:?}");

    // Another customer the same mask fits: no one by the name.
    let mut conn = b.conn;
    let other = support::customer(&mut conn, "雲帆科技股份有限公司", "TWD", "TW");
    invoice(&mut conn, other, "YF-0001", (5, 1), 9_000, "TWD");
    let book = Book::load(&conn).unwrap();
    let p = book
        .propose(&line("", "雲＊科技股份有限公司", "", twd(1_234)))
        .unwrap();
    assert_eq!(p.customer_id, None, "{p:?}");
    likely(&book, &["雲橋＊技股份有限公司"], 2_000, b.cloud);
}
