//! The reseller's own files (customers, invoices, payments) as accountants and Excel write
//! them: all or nothing, the same file twice changes nothing, a row finds its one customer
//! however its name is written, and every problem names its file, line and field, whatever
//! the encoding, the separator or the line ends.

mod books;

use books::*;

use riskdesk_core::customer;
use riskdesk_core::error::Code;
use riskdesk_core::test_support::{customer_input, first_problem, scalar};
use riskdesk_core::{demo, import, Error};
use rusqlite::Connection;

const GOOD_CSV: &str = "legal_name,tenant_id,country,currency,email,credit_limit,payment_instrument,card_present,status,language\n\
Contoso Ltd,11111111-1111-4111-8111-111111111111,TW,TWD,billing@contoso.com,\"150,000\",bank_transfer,no,active,zh-TW\n\
\"Fabrikam, Inc.\",22222222-2222-4222-8222-222222222222,US,USD,ap@fabrikam.com,2500.50,credit_card,yes,active,en\n\
新竹小吃店,,TW,TWD,,0,prepaid_card,no,prospect,zh-TW\n";

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let (_db, mut conn) = new_db();
    let s = import_text(&mut conn, GOOD_CSV).unwrap();
    assert_eq!((s.rows, s.created, s.updated, s.unchanged), (3, 3, 0, 0));
    let after_first = counts(&conn);
    let s = import_text(&mut conn, GOOD_CSV).unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, 3));
    assert_eq!(counts(&conn), after_first);
    let fab = customer::find_by_tenant(&conn, T2).unwrap().unwrap();
    assert_eq!(fab.fields.credit_limit.minor, 250_050);
    assert!(fab.fields.card_present);
}

#[test]
fn a_bad_row_is_reported_with_line_and_field_and_nothing_is_written() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "Existing", "");
    let before = counts(&conn);
    let bad = format!("{GOOD_CSV}Bad Co,not-a-guid,TW,TWD,nobody@,1,bank_transfer,no,active,en\n");
    match import_text(&mut conn, &bad) {
        Err(Error::Import { file, problems }) => {
            assert_eq!(file, "customers.csv");
            let found: Vec<(u64, &str)> = problems
                .iter()
                .map(|p| (p.line, p.field.as_str()))
                .collect();
            assert!(found.contains(&(5, "tenant_id")), "{found:?}");
            assert!(found.contains(&(5, "email")), "{found:?}");
        }
        other => panic!("expected an import error, got {other:?}"),
    }
    assert_eq!(counts(&conn), before);

    let dup = format!("{GOOD_CSV}Contoso Again,11111111-1111-4111-8111-111111111111,TW,TWD,,0,bank_transfer,no,active,en\n");
    match import_text(&mut conn, &dup) {
        Err(Error::Import { problems, .. }) => {
            assert_eq!(
                (problems[0].line, problems[0].field.as_str()),
                (5, "tenant_id")
            );
            assert!(problems[0].message.contains("line 2"));
        }
        other => panic!("expected a duplicate error, got {other:?}"),
    }
    match import_text(&mut conn, "name,country\nX,TW\n") {
        Err(Error::Import { problems, .. }) => {
            assert!(problems.iter().any(|p| p.line == 1 && p.field == "name"));
            assert!(problems.iter().any(|p| p.field == "legal_name"));
        }
        other => panic!("expected a header error, got {other:?}"),
    }
    assert_eq!(counts(&conn), before);
}

/// The export is a CSV Excel opens with its Chinese names intact (the UTF-8 byte order mark
/// first), and the very bytes import back as the same customers.
#[test]
fn an_export_imports_back_unchanged() {
    let (_db, mut conn) = new_db();
    let tx = conn.transaction().unwrap();
    demo::load(&tx, &ctx(), today()).unwrap();
    tx.commit().unwrap();
    let mut out = Vec::new();
    let n = import::export_customers(&conn, &mut out).unwrap();
    assert_eq!(n as i64, customer::count(&conn).unwrap());
    assert!(out.starts_with("\u{feff}legal_name,".as_bytes()));
    assert!(std::str::from_utf8(&out)
        .unwrap()
        .contains("基隆海產貿易行"));
    let before = counts(&conn);
    let s = import_file(
        &mut conn,
        "customers.csv",
        &out[..],
        &import::ImportMode::ExistingBook("the export".into()),
    )
    .unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, n));
    assert_eq!(counts(&conn), before);
}

/// One customer, one record: a row matches by tenant id when it has one, otherwise by
/// legal name whether or not the stored customer has a tenant id; never a second
/// customer of the same name. Every combination of the column (present or not), the cell
/// (empty or not) and the stored tenant id (or none).
#[test]
fn a_customer_row_matches_its_one_record_in_every_combination() {
    for stored_tenant in [true, false] {
        for (header, row) in [
            (
                "legal_name,country,currency,phone",
                "Only Once Ltd,TW,TWD,+886 2 1234 5678",
            ),
            (
                "legal_name,tenant_id,country,currency,phone",
                "Only Once Ltd,,TW,TWD,+886 2 1234 5678",
            ),
            (
                "legal_name,tenant_id,country,currency,phone",
                &format!("Only Once Ltd,{T1},TW,TWD,+886 2 1234 5678"),
            ),
        ] {
            let row_has_tenant = row.contains(T1);
            if row_has_tenant && !stored_tenant {
                // A tenant id the book does not have yet is a new customer only if no one
                // of the name exists to take it; covered below.
                continue;
            }
            let (_db, mut conn) = new_db();
            let c = add(
                &mut conn,
                "Only Once Ltd",
                if stored_tenant { T1 } else { "" },
            );
            let s = import_text(&mut conn, &format!("{header}\n{row}\n")).unwrap();
            let what = format!("stored tenant {stored_tenant}, {header} / {row}");
            assert_eq!((s.created, s.updated), (0, 1), "{what}");
            assert_eq!(customer::count(&conn).unwrap(), 1, "{what}");
            let after = customer::get(&conn, c.id).unwrap();
            assert_eq!(after.fields.phone, "+886 2 1234 5678", "{what}");
            // The stored tenant id is kept whatever the row's cell says.
            assert_eq!(after.fields.tenant_id.is_some(), stored_tenant, "{what}");
        }
    }
    // Two customers of one name: the row must say which.
    let (_db, mut conn) = new_db();
    add(&mut conn, "Twin Names Ltd", T1);
    add(&mut conn, "Twin Names Ltd", T2);
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nTwin Names Ltd,TW,TWD\n",
        &["2 customers are named", "customers.csv:2"],
    );
    // With the tenant id, it is clear.
    let s = import_text(
        &mut conn,
        &format!("legal_name,tenant_id,country,currency\nTwin Names Ltd,{T2},TW,TWD\n"),
    )
    .unwrap();
    assert_eq!(s.created + s.updated + s.unchanged, 1);
    assert_eq!(customer::count(&conn).unwrap(), 2);

    // A file that names one customer by name alone and gives another of that name (written
    // another way) a tenant id would make two of one name, and the same file imported again
    // could not tell which the first row means: the row without one must say, before or
    // after the other; with both tenant ids the file goes in, and again changes nothing.
    let (_db, mut conn) = new_db();
    add(&mut conn, "Same Name Ltd", T1);
    let new_tenant = "33333333-3333-4333-8333-333333333333";
    let by_name = "Same Name Ltd,,TW,TWD";
    let by_tenant = format!("SAME NAME LTD.,{new_tenant},TW,TWD");
    for (first, second, says) in [
        (
            by_name,
            by_tenant.as_str(),
            "customers.csv:2 field tenant_id: line 3",
        ),
        (
            by_tenant.as_str(),
            by_name,
            "customers.csv:3 field tenant_id: line 2",
        ),
    ] {
        let file = format!("legal_name,tenant_id,country,currency\n{first}\n{second}\n");
        assert_refused(&mut conn, &file, &[says]);
    }
    let file =
        format!("legal_name,tenant_id,country,currency\nSame Name Ltd,{T1},TW,TWD\n{by_tenant}\n");
    let s = import_text(&mut conn, &file).unwrap();
    assert_eq!((s.created, s.unchanged), (1, 1), "{s:?}");
    let before = counts(&conn);
    let s = import_text(&mut conn, &file).unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, 2), "{s:?}");
    assert_eq!(counts(&conn), before);
}

/// Two stored customers' names written another way, and a third name of another legal form.
const OTHER_SPELLINGS: &str = "legal_name,country,currency,phone\n\
    ACME  TRADING LIMITED,TW,TWD,+886 2 1234 5678\n\
    台北雲端科技（股）公司,TW,TWD,+886 2 8765 4321\n\
    Acme Trading Inc,TW,TWD,\n";

/// A name written another way is the same customer: capitals, full-width letters, extra
/// spaces, punctuation and the legal form spelled out or abbreviated (`Limited` or `Ltd.`,
/// `（股）公司` or `股份有限公司`) match the stored record (its spelling becomes the file's),
/// another legal form does not; two rows of one name in a file are refused, and two stored customers
/// of one name make the row say which. Invoices and payments name customers the same way.
#[test]
fn a_legal_name_written_another_way_is_the_same_customer() {
    let (_db, mut conn) = new_db();
    let acme = add(&mut conn, "Acme Trading Ltd.", "");
    let taipei = add(&mut conn, "臺北雲端科技股份有限公司", "");
    let s = import_text(&mut conn, OTHER_SPELLINGS).unwrap();
    assert_eq!((s.created, s.updated), (1, 2), "{s:?}");
    let after = customer::get(&conn, acme.id).unwrap();
    assert_eq!(after.fields.phone, "+886 2 1234 5678");
    assert_eq!(
        after.fields.legal_name, "ACME  TRADING LIMITED",
        "the file's spelling"
    );
    let after = customer::get(&conn, taipei.id).unwrap();
    assert_eq!(after.fields.phone, "+886 2 8765 4321");
    assert_eq!(customer::count(&conn).unwrap(), 3);
    // The same file again: nothing changes.
    let before = counts(&conn);
    let s = import_text(&mut conn, OTHER_SPELLINGS).unwrap();
    assert_eq!(s.unchanged, 3, "{s:?}");
    assert_eq!(counts(&conn), before);

    // One name twice in a file, written two ways: refused on the second line.
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nNew Harbour Ltd,TW,TWD\n\"NEW HARBOUR, LTD.\",TW,TWD\n",
        &["customers.csv:3", "already on line 2"],
    );

    // Invoices name the customer any way too, in simplified characters as well; a name two
    // customers share names no one.
    let invoices = "number,customer,issued_on,currency,description,unit_price\n\
                    A-1, acme trading ltd ,2026-10-01,TWD,Azure plan,100\n\
                    T-1,台北云端科技股份有限公司,2026-10-01,TWD,Azure plan,100\n";
    invoices_in(&mut conn, "invoices.csv", invoices.as_bytes()).unwrap();
    let billed: i64 = scalar(
        &conn,
        "SELECT customer_id FROM invoices WHERE number = 'A-1'",
    );
    assert_eq!(billed, acme.id.0);
    let billed: i64 = scalar(
        &conn,
        "SELECT customer_id FROM invoices WHERE number = 'T-1'",
    );
    assert_eq!(billed, taipei.id.0);
    add(&mut conn, "Acme Trading, Ltd", "");
    let before = counts(&conn);
    let again = "number,customer,issued_on,currency,description,unit_price\n\
                 A-2,Acme Trading Ltd,2026-10-01,TWD,Azure plan,100\n";
    let e = invoices_in(&mut conn, "invoices.csv", again.as_bytes()).unwrap_err();
    assert!(
        e.to_string().contains("invoices.csv:2 field customer"),
        "{e}"
    );
    assert_eq!(counts(&conn), before);
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nacme trading ltd,TW,TWD\n",
        &["2 customers are named"],
    );

    // `&` and `and` are one.
    let smith = add(&mut conn, "Smith & Sons Ltd", "");
    let invoices = "number,customer,issued_on,currency,description,unit_price\n\
                    S-1,SMITH AND SONS LIMITED,2026-10-01,TWD,Azure plan,100\n";
    invoices_in(&mut conn, "invoices.csv", invoices.as_bytes()).unwrap();
    let billed: i64 = scalar(
        &conn,
        "SELECT customer_id FROM invoices WHERE number = 'S-1'",
    );
    assert_eq!(billed, smith.id.0);
}

/// Taiwan's unified business number 04595257 in a customers file Excel saved again is
/// 4595257: the zero is put back (the number is valid with it), so letters print the
/// eight digits and the export and the re-saved file are the same customer unchanged. A
/// number not valid with the zeros, or another country's, is kept as written.
#[test]
fn a_taiwanese_tax_id_a_spreadsheet_cut_short_gets_its_zero_back() {
    let (_db, mut conn) = new_db();
    let file = "legal_name,country,currency,tax_id\n\
                Foxtrot Ltd,TW,TWD,4595257\n\
                Golf Ltd,TW,TWD,4595258\n\
                Hotel Inc,US,USD,4595257\n";
    let s = import_text(&mut conn, file).unwrap();
    assert_eq!(s.created, 3);
    let tax = |name: &str| -> String {
        conn.query_row(
            "SELECT tax_id FROM customers WHERE legal_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(tax("Foxtrot Ltd"), "04595257");
    assert_eq!(tax("Golf Ltd"), "4595258");
    assert_eq!(tax("Hotel Inc"), "4595257");
    // The same file again, and the file as typed with the zero, change nothing.
    let before = counts(&conn);
    let s = import_text(&mut conn, file).unwrap();
    assert_eq!(s.unchanged, 3, "{s:?}");
    let typed = file.replace("TW,TWD,4595257", "TW,TWD,04595257");
    let s = import_text(&mut conn, &typed).unwrap();
    assert_eq!(s.unchanged, 3, "{s:?}");
    // A customer list that names the country (`台灣`, `Taiwan (R.O.C.)`, `USA`) is the
    // same list: the codes are stored, and the zero still comes back.
    let named = file
        .replacen("Foxtrot Ltd,TW,", "Foxtrot Ltd,台灣,", 1)
        .replacen("Golf Ltd,TW,", "Golf Ltd,\"Taiwan (R.O.C.)\",", 1)
        .replacen("Hotel Inc,US,", "Hotel Inc,USA,", 1);
    let s = import_text(&mut conn, &named).unwrap();
    assert_eq!(s.unchanged, 3, "{s:?}");
    assert_eq!(counts(&conn), before);
    let bad = "legal_name,country,currency\nIndia Ltd,Korea,KRW\n";
    let e = import_text(&mut conn, bad).unwrap_err().to_string();
    assert!(e.contains("country"), "{e}");
    assert_eq!(counts(&conn), before);

    // An invoice names its customer by tax id, as Taiwanese accounting exports do, written
    // any way; a number two customers' ids are (Taiwan's 04595257 and the US 4595257) names
    // no one.
    let invoices = "number,customer,issued_on,currency,description,unit_price\n\
                    G-1,統編：0459-5258,2026-10-01,TWD,Azure plan,100\n";
    invoices_in(&mut conn, "invoices.csv", invoices.as_bytes()).unwrap();
    let billed: String = scalar(
        &conn,
        "SELECT c.legal_name FROM invoices i JOIN customers c ON c.id = i.customer_id",
    );
    assert_eq!(billed, "Golf Ltd");
    let before = counts(&conn);
    let both = "number,customer,issued_on,currency,description,unit_price\n\
                F-1,04595257,2026-10-01,TWD,Azure plan,100\n";
    let e = invoices_in(&mut conn, "invoices.csv", both.as_bytes()).unwrap_err();
    assert!(
        e.to_string().contains("invoices.csv:2 field customer"),
        "{e}"
    );
    assert_eq!(counts(&conn), before);
}

/// A phone, a virtual account or a long tax id a spreadsheet showed as `8.86912E+11` has lost
/// its digits: refused on its line and field saying so (never stored as written, never called
/// mistyped), nothing written.
#[test]
fn a_long_number_a_spreadsheet_showed_with_an_exponent_is_refused_as_lost() {
    let (_db, mut conn) = new_db();
    let before = counts(&conn);
    let file = "legal_name,country,currency,phone,virtual_account,tax_id\n\
                Kilo Ltd,TW,TWD,8.86912E+11,,\n\
                Lima Ltd,TW,TWD,,9.9880E+11,\n\
                Mike KK,JP,JPY,,,1.23457E+12\n";
    let exponent = |line: u64, field: &str| (line, field.to_string(), Code::SpreadsheetExponent);
    assert_eq!(
        riskdesk_core::test_support::problem_places(import_text(&mut conn, file)),
        [
            exponent(2, "phone"),
            exponent(3, "virtual_account"),
            exponent(4, "tax_id"),
        ]
    );
    let e = import_text(&mut conn, file).unwrap_err().to_string();
    assert!(e.contains("digits it lost"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// A ledger file Excel in Taiwan saved as "CSV" (Big5) reads as a UTF-8 one does: the
/// Chinese names and text come in whole and its invoices find their customer; a byte that is
/// neither UTF-8 nor Big5 is refused on its line, nothing written.
#[test]
fn ledger_files_saved_in_big5_are_read_whole() {
    let (_db, mut conn) = new_db();
    let big5 = |text: &str| {
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(text);
        assert!(!unmappable, "{text}");
        bytes.into_owned()
    };
    let customers = big5(
        "legal_name,country,currency,address\n台北雲端科技股份有限公司,TW,TWD,台北市信義區松仁路100號\n",
    );
    let invoices = big5(
        "number,customer,issued_on,currency,description,unit_price\n\
         B-1,台北雲端科技股份有限公司,2026-10-01,TWD,雲端服務月費,1200\n",
    );
    let existing = import::ImportMode::ExistingBook("moving from spreadsheets".into());
    let tx = conn.transaction().unwrap();
    let s = import::import_customers_with(
        &tx,
        &ctx(),
        "客戶.csv",
        customers.as_slice(),
        &existing,
        |_, _| {},
    )
    .unwrap();
    assert_eq!(s.created, 1);
    import::import_invoices(&tx, &ctx(), "發票.csv", invoices.as_slice(), |_, _| {}).unwrap();
    tx.commit().unwrap();
    let name: String = scalar(&conn, "SELECT legal_name FROM customers");
    assert_eq!(name, "台北雲端科技股份有限公司");
    let address: String = scalar(&conn, "SELECT address FROM customers");
    assert_eq!(address, "台北市信義區松仁路100號");
    let line: String = scalar(&conn, "SELECT description FROM invoice_lines");
    assert_eq!(line, "雲端服務月費");

    let mut broken = big5("legal_name,country,currency\n甲公司,TW,TWD\n");
    broken.extend_from_slice(b"\xFF\xFE Ltd,TW,TWD\n");
    let before = counts(&conn);
    let e = import_file(&mut conn, "broken.csv", broken.as_slice(), &existing).unwrap_err();
    assert!(e.to_string().contains("broken.csv:3 field file"), "{e}");
    assert!(e.to_string().contains("neither UTF-8 nor Big5"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// A file that never ends (the wrong file chosen, a device) is refused once it passes the
/// largest ledger file, not read until the memory runs out; nothing is written.
#[test]
fn an_endless_ledger_file_is_refused_at_its_limit() {
    let (_db, mut conn) = new_db();
    let before = counts(&conn);
    let endless =
        || std::io::Read::chain(&b"legal_name,country,currency\n"[..], std::io::repeat(b'x'));
    let e = import_file(&mut conn, "zero", endless(), &import::ImportMode::Enforce).unwrap_err();
    let limit = "zero:1 field file: larger than 256 MiB, too large for a file of this kind";
    assert!(e.to_string().contains(limit), "{e}");
    let e = payments_in(&mut conn, "zero", endless()).unwrap_err();
    assert!(e.to_string().contains(limit), "{e}");
    assert_eq!(counts(&conn), before);
}

/// A workbook saved as .xlsx or .xls, a PDF or a Parquet file given where CSV is read: each
/// import says what the file is and how to get CSV from it, on the file's line 1, and
/// writes nothing. Customers, invoices, payments, bank statements and usage alike.
#[test]
fn a_workbook_a_pdf_or_parquet_is_named_for_what_it_is() {
    let (_db, mut conn) = new_db();
    let before = counts(&conn);
    let files: [(&str, &[u8], &str); 6] = [
        (
            "bank.xls",
            "\u{feff}\r\n<HTML><body><table><tr><td>交易日期</td></tr></table>".as_bytes(),
            "html",
        ),
        (
            "book.xml",
            b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook>",
            "xml_workbook",
        ),
        (
            "book.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
            "xlsx",
        ),
        (
            "book.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00",
            "xls",
        ),
        ("statement.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "pdf"),
        ("focus.parquet", b"PAR1\x15\x04\x15\x00", "parquet"),
    ];
    for (file, bytes, kind) in files {
        let results = [
            first_problem(import_file(
                &mut conn,
                file,
                bytes,
                &import::ImportMode::Enforce,
            )),
            first_problem(invoices_in(&mut conn, file, bytes)),
            first_problem(payments_in(&mut conn, file, bytes)),
            first_problem({
                let tx = conn.transaction().unwrap();
                riskdesk_core::usage::import_usage(&tx, &ctx(), file, bytes, None, |_, _| {})
            }),
            first_problem({
                let tx = conn.transaction().unwrap();
                riskdesk_core::bank::import_statement(
                    &tx,
                    &ctx(),
                    &riskdesk_core::bank::StatementFile {
                        file,
                        bytes,
                        format: None,
                        account: "E.SUN TWD",
                        map: None,
                    },
                )
            }),
        ];
        for (line, field, code) in results {
            assert_eq!(
                (line, field.as_str(), code),
                (1, "file", Code::NotASheet),
                "{file}"
            );
        }
        let e = payments_in(&mut conn, file, bytes).unwrap_err();
        let Error::Import { problems, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(
            problems[0].params.get("kind").map(String::as_str),
            Some(kind)
        );
        assert!(
            e.to_string().contains(&format!("{file}:1 field file")),
            "{e}"
        );
    }
    assert_eq!(counts(&conn), before);
}

/// Excel on Windows ends lines with CRLF: every problem still names the line it is on, as
/// with LF (the csv reader's own count is one short after a CRLF), for customers, invoices
/// and payments, a bad cell and a broken row alike.
#[test]
fn problems_name_their_line_whatever_ends_the_lines() {
    for eol in ["\n", "\r\n"] {
        let (_db, mut conn) = new_db();
        let file = |lines: &[&str]| lines.join(eol) + eol;
        let customers = file(&[
            "legal_name,country,currency",
            "Good Ltd,TW,TWD",
            "Bad Ltd,TW,XXX",
        ]);
        assert_refused(&mut conn, &customers, &["customers.csv:3 field currency"]);
        let short = file(&["legal_name,country,currency", "A Ltd,TW,TWD", "B Ltd,TW"]);
        assert_refused(&mut conn, &short, &["customers.csv:3 field row"]);
        import_text(
            &mut conn,
            &file(&["legal_name,country,currency", "Good Ltd,TW,TWD"]),
        )
        .unwrap();
        let invoices = file(&[
            "number,customer,issued_on,currency,description,unit_price",
            "A-1,Good Ltd,2026-10-01,TWD,Azure plan,100",
            "A-2,Good Ltd,2026-10-01,TWD,Azure plan,100",
            "A-3,Good Ltd,2026-10-01,TWD,Azure plan,abc",
        ]);
        let e = invoices_in(&mut conn, "i.csv", invoices.as_bytes()).unwrap_err();
        assert!(
            e.to_string().contains("i.csv:4 field unit_price"),
            "{eol:?}: {e}"
        );
        let payments = file(&[
            "reference,customer,received_on,amount,currency",
            "P-1,Good Ltd,2026-10-05,100,TWD",
            "P-2,Good Ltd,2026-13-05,100,TWD",
        ]);
        let e = payments_in(&mut conn, "p.csv", payments.as_bytes()).unwrap_err();
        assert!(
            e.to_string().contains("p.csv:3 field received_on"),
            "{eol:?}: {e}"
        );
    }
}

/// A country must be a code in use: UK is refused with what to write (GB), a made-up code
/// with the rule, in the form and in a file alike; the high-risk list takes codes only.
#[test]
fn a_country_is_a_code_in_use() {
    let (_db, mut conn) = new_db();
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nLondon Ltd,UK,GBP\n",
        &["customers.csv:2 field country: UK is not an ISO 3166 code: write GB"],
    );
    assert_refused(
        &mut conn,
        "legal_name,country,currency\nNowhere Ltd,XX,TWD\n",
        &["customers.csv:2 field country: use the two-letter ISO 3166 code"],
    );
    let s = import_text(
        &mut conn,
        "legal_name,country,currency\nLondon Ltd,gb,GBP\nPristina LLC,XK,EUR\n",
    )
    .unwrap();
    assert_eq!(s.created, 2);
    let tx = conn.transaction().unwrap();
    let typed = customer_input("Typed Ltd", "TWD", "TA");
    let e = customer::create(&tx, &ctx(), &typed).unwrap_err();
    assert!(e.to_string().contains("ISO 3166"), "{e}");
    let high = |v: &str| {
        riskdesk_core::risk::settings::save(
            &tx,
            &ctx(),
            &[("risk.high_risk_countries".into(), v.into())],
        )
    };
    let e = high("KP, IR, UK").unwrap_err();
    assert!(
        e.to_string().contains("UK is not a country or region code"),
        "{e}"
    );
    high("KP, IR").unwrap();
}

/// Excel in Taiwan saves dates as `yyyy/M/d` and a currency cell as it shows it (`NT$100.00`):
/// an invoice file so saved is read as the plain one is (importing either after the other
/// changes nothing), while a day-first date and another currency's amount are refused on
/// their line.
#[test]
fn a_file_as_excel_saves_it_is_read_as_the_plain_one() {
    let (_db, mut conn) = new_db();
    import_text(&mut conn, "legal_name,country,currency\nGood Ltd,TW,TWD\n").unwrap();
    let invoices = |issued: &str, due: &str, price: &str| {
        format!(
            "number,customer,issued_on,due_on,currency,description,unit_price\n\
             A-1,Good Ltd,{issued},{due},TWD,Azure plan,\"{price}\"\n"
        )
    };
    let import = |conn: &mut Connection, text: &str| invoices_in(conn, "i.csv", text.as_bytes());
    let s = import(
        &mut conn,
        &invoices("2026/10/1", "2026/10/31 00:00", "NT$1,200.00"),
    )
    .unwrap();
    assert_eq!(s.created, 1, "{s:?}");
    let due: String = scalar(&conn, "SELECT due_on FROM invoices");
    assert_eq!(due, "2026-10-31");
    let total: i64 = scalar(&conn, "SELECT total_minor FROM invoices");
    assert_eq!(total, 120_000);
    let before = counts(&conn);
    let s = import(&mut conn, &invoices("2026-10-01", "2026-10-31", "1200")).unwrap();
    assert_eq!(s.unchanged, 1, "{s:?}");
    assert_eq!(counts(&conn), before);
    // As Taiwanese accounting software and Excel's long date write the same days.
    for (issued, due) in [
        ("115/10/01", "115/10/31"),
        ("1151001", "1151031"),
        ("民國115年10月1日", "115年10月31日"),
        ("2026年10月1日", "２０２６年１０月３１日"),
    ] {
        let s = import(&mut conn, &invoices(issued, due, "1200")).unwrap();
        assert_eq!(s.unchanged, 1, "{issued} {due}: {s:?}");
    }
    let e = import(&mut conn, &invoices("01/10/2026", "2026-10-31", "1200")).unwrap_err();
    assert!(e.to_string().contains("i.csv:2 field issued_on"), "{e}");
    let e = import(
        &mut conn,
        &invoices("2026-10-01", "2026-10-31", "1,200 USD"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("i.csv:2 field unit_price"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// A description Excel broke over lines (Alt+Enter) is the one-line description the window
/// would have written, whichever line ends the file uses; a NUL in it is still refused.
#[test]
fn an_invoice_description_broken_over_lines_is_one_line() {
    let (_db, mut conn) = new_db();
    import_text(&mut conn, "legal_name,country,currency\nGood Ltd,TW,TWD\n").unwrap();
    let file = |description: &str| {
        format!(
            "number,customer,issued_on,currency,description,unit_price\r\n\
             A-1,Good Ltd,2026-10-01,TWD,\"{description}\",1200\r\n"
        )
    };
    let import = |conn: &mut Connection, text: &str| invoices_in(conn, "i.csv", text.as_bytes());
    let s = import(&mut conn, &file("Azure plan\r\n  November 2026 ")).unwrap();
    assert_eq!(s.created, 1, "{s:?}");
    let stored: String = scalar(&conn, "SELECT description FROM invoice_lines");
    assert_eq!(stored, "Azure plan November 2026");
    let before = counts(&conn);
    for again in [
        "Azure plan\nNovember 2026",
        "Azure plan\rNovember 2026",
        "Azure plan November 2026",
    ] {
        let s = import(&mut conn, &file(again)).unwrap();
        assert_eq!(s.unchanged, 1, "{again:?}: {s:?}");
    }
    let e = import(&mut conn, &file("Azure\u{0} plan")).unwrap_err();
    assert!(e.to_string().contains("i.csv:2 field description"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// A company or contact name Excel broke over lines is the one-line name (no space between
/// Chinese characters), and the file with the names on one line is the same customers; an
/// address keeps its lines.
#[test]
fn a_name_broken_over_lines_is_one_line_and_an_address_keeps_its_lines() {
    let (_db, mut conn) = new_db();
    let file = "legal_name,country,currency,contact_name,address\r\n\
                \"雲橋科技\r\n股份有限公司\",TW,TWD,\"林\n美玲\",\"台北市信義區\n松仁路100號\"\r\n\
                \"Harbor Logistics,\nLtd.\",TW,TWD,\"Mei\r\n Lin\",\r\n";
    let s = import_text(&mut conn, file).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let names: Vec<(String, String, String)> = {
        let mut stmt = conn
            .prepare("SELECT legal_name, contact_name, address FROM customers ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        names,
        [
            (
                "雲橋科技股份有限公司".to_string(),
                "林美玲".to_string(),
                "台北市信義區\n松仁路100號".to_string()
            ),
            (
                "Harbor Logistics, Ltd.".to_string(),
                "Mei Lin".to_string(),
                String::new()
            ),
        ]
    );
    let before = counts(&conn);
    let s = import_text(&mut conn, file).unwrap();
    assert_eq!(s.unchanged, 2, "{s:?}");
    let one_line = "legal_name,country,currency,contact_name\n\
                    雲橋科技股份有限公司,TW,TWD,林美玲\n\
                    \"Harbor Logistics, Ltd.\",TW,TWD,Mei Lin\n";
    let s = import_text(&mut conn, one_line).unwrap();
    assert_eq!(s.unchanged, 2, "{s:?}");
    assert_eq!(counts(&conn), before);
}

/// Numbers as a spreadsheet formats them: a quantity `2.00` or `1,000`, terms `30.00`, an
/// ERP's four decimals `600.0000`, yen with two zero decimals `¥1,000.00`. Each is the whole
/// number or the exact amount it shows; a digit that is not zero past the currency's decimals
/// (`2.50` pieces, `¥1,000.50`, `600.0001`) is still refused by line and field, nothing
/// written, never rounded.
#[test]
fn numbers_with_zero_decimals_as_spreadsheets_format_them_are_the_same_numbers() {
    let (_db, mut conn) = new_db();
    let customers = |yen_terms: &str| {
        format!(
            "legal_name,country,currency,payment_terms_days\n\
             Good Ltd,TW,TWD,30.00\n\
             Yen KK,JP,JPY,\"{yen_terms}\"\n"
        )
    };
    let e = import_text(&mut conn, &customers("1,0")).unwrap_err();
    assert!(e.to_string().contains(":3 field payment_terms_days"), "{e}");
    let s = import_text(&mut conn, &customers("４５")).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let terms: String = scalar(
        &conn,
        "SELECT group_concat(payment_terms_days, ',') FROM (SELECT payment_terms_days FROM customers ORDER BY id)",
    );
    assert_eq!(terms, "30,45");
    let invoices = |qty: &str, price: &str, yen: &str| {
        format!(
            "number,customer,issued_on,currency,description,quantity,unit_price\n\
             A-1,Good Ltd,2026-10-01,TWD,Seats,\"{qty}\",\"{price}\"\n\
             Y-1,Yen KK,2026-10-01,JPY,Azure,1,\"{yen}\"\n"
        )
    };
    let s = invoices_in(
        &mut conn,
        "i.csv",
        invoices("1,000", "600.0000", "¥1,000.00").as_bytes(),
    )
    .unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let totals: String = scalar(
        &conn,
        "SELECT group_concat(total_minor, ',') FROM (SELECT total_minor FROM invoices ORDER BY number)",
    );
    assert_eq!(totals, "60000000,1000");
    let before = counts(&conn);
    let s = invoices_in(
        &mut conn,
        "i.csv",
        invoices("1000.00", "600", "1000").as_bytes(),
    )
    .unwrap();
    assert_eq!(s.unchanged, 2, "{s:?}");
    for (qty, price, yen, field) in [
        ("2.50", "600", "1000", "i.csv:2 field quantity"),
        ("1,00", "600", "1000", "i.csv:2 field quantity"),
        ("2", "600.0001", "1000", "i.csv:2 field unit_price"),
        ("2", "600", "¥1,000.50", "i.csv:3 field unit_price"),
    ] {
        let e = invoices_in(&mut conn, "i.csv", invoices(qty, price, yen).as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.contains(field), "{qty} {price} {yen}: {e}");
    }
    assert_eq!(counts(&conn), before);
    let payments = "reference,customer,received_on,amount,currency\n\
                    P-1,Good Ltd,2026-10-20,\"60,000.0000\",TWD\n\
                    P-2,Yen KK,2026-10-20,1000.00,JPY\n";
    let s = payments_in(&mut conn, "p.csv", payments.as_bytes()).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let paid: String = scalar(
        &conn,
        "SELECT group_concat(amount_minor, ',') FROM (SELECT amount_minor FROM payments ORDER BY reference)",
    );
    assert_eq!(paid, "6000000,1000");
}

/// A customer list typed by hand or exported from another program writes its choices as
/// people read them (`Active`, `On hold`, `Credit card`, `使用中`, `繁體中文`, `是`): the same
/// customers as the list with codes, unchanged.
#[test]
fn customer_choices_written_as_labels_are_the_codes() {
    let (_db, mut conn) = new_db();
    let header = "legal_name,country,currency,status,payment_instrument,admin_access,language,card_present,payment_terms_days\n";
    let coded = format!(
        "{header}Good Ltd,TW,TWD,active,credit_card,limited,zh-TW,yes,30\n\
         Hold Inc,US,USD,on_hold,bank_transfer,none,en,no,45\n"
    );
    let s = import_text(&mut conn, &coded).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let before = counts(&conn);
    for labels in [
        format!(
            "{header}Good Ltd,台灣,NTD,使用中,信用卡,有限,繁體中文,是,30天\n\
             Hold Inc,USA,美金,暫緩,銀行轉帳／發票,無,英文,否,45 日\n"
        ),
        format!(
            "{header}Good Ltd,Taiwan,TWD,Active,Credit card,Limited,zh_tw,Y,Net 30\n\
             Hold Inc,United States,USD,On hold,Bank transfer / invoice,None,English,N,45 days\n"
        ),
    ] {
        let s = import_text(&mut conn, &labels).unwrap();
        assert_eq!(s.unchanged, 2, "{labels}: {s:?}");
    }
    assert_eq!(counts(&conn), before);
    let e = import_text(
        &mut conn,
        &format!("{header}Good Ltd,TW,TWD,activ,credit_card,limited,zh-TW,yes,30\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains(":2 field status"), "{e}");
    // Terms from the month's end are other terms: refused, not read as 30 days.
    let e = import_text(
        &mut conn,
        &format!("{header}Good Ltd,TW,TWD,active,credit_card,limited,zh-TW,yes,月結30天\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains(":2 field payment_terms_days"), "{e}");
}

/// A Taiwanese ledger writes the currency as people say it (`NTD`, `新台幣`, `NT$`, `美金`):
/// each is the currency's code, so the file is the one written with codes, unchanged; marks
/// two currencies share (`$`, `元`) are refused on their line and field.
#[test]
fn a_currency_written_as_a_ledger_writes_it_is_its_code() {
    let (_db, mut conn) = new_db();
    let customers = "legal_name,country,currency\n\
                     Good Ltd,台灣,NTD\n\
                     Dollar Inc,USA,美金\n";
    let s = import_text(&mut conn, customers).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let codes: String = scalar(
        &conn,
        "SELECT group_concat(country || ' ' || currency, ',') FROM (SELECT country, currency FROM customers ORDER BY id)",
    );
    assert_eq!(codes, "TW TWD,US USD");
    let invoices = |twd: &str, usd: &str| {
        format!(
            "number,customer,issued_on,currency,description,unit_price\n\
             A-1,Good Ltd,2026-10-01,{twd},Seats,\"1,200\"\n\
             D-1,Dollar Inc,2026-10-01,{usd},Azure,50\n"
        )
    };
    let s = invoices_in(&mut conn, "i.csv", invoices("新台幣", "US$").as_bytes()).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let before = counts(&conn);
    for (twd, usd) in [("TWD", "USD"), ("NT$", "usd"), ("台幣", "美金")] {
        let s = invoices_in(&mut conn, "i.csv", invoices(twd, usd).as_bytes()).unwrap();
        assert_eq!(s.unchanged, 2, "{twd} {usd}: {s:?}");
    }
    for (twd, usd, field) in [
        ("元", "USD", "i.csv:2 field currency"),
        ("TWD", "$", "i.csv:3 field currency"),
        // An invoice recorded in dollars is not the same invoice in another currency.
        ("TWD", "TWD", "i.csv:3 field number"),
    ] {
        let e = invoices_in(&mut conn, "i.csv", invoices(twd, usd).as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.contains(field), "{twd} {usd}: {e}");
    }
    assert_eq!(counts(&conn), before);
    // Payments and credit notes, their kind as the window labels it.
    let payments = |kinds: [&str; 2], currency: &str| {
        format!(
            "reference,customer,received_on,amount,currency,kind\n\
             P-1,Good Ltd,2026-10-20,500,{currency},{}\n\
             C-1,Good Ltd,2026-10-21,100,{currency},{}\n",
            kinds[0], kinds[1]
        )
    };
    let s = payments_in(
        &mut conn,
        "p.csv",
        payments(["付款", "折讓單"], "NTD").as_bytes(),
    )
    .unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    let kinds: String = scalar(
        &conn,
        "SELECT group_concat(kind, ',') FROM (SELECT kind FROM payments ORDER BY reference)",
    );
    assert_eq!(kinds, "credit_note,payment");
    for kinds in [["payment", "credit_note"], ["Payment", "Credit note"]] {
        let s = payments_in(&mut conn, "p.csv", payments(kinds, "TWD").as_bytes()).unwrap();
        assert_eq!(s.unchanged, 2, "{kinds:?}: {s:?}");
    }
    let e = payments_in(
        &mut conn,
        "p.csv",
        payments(["refund", "payment"], "TWD").as_bytes(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("p.csv:2 field kind"), "{e}");
}

/// Excel's other ways of saving a sheet: "Unicode Text" (UTF-16 with its byte order mark,
/// tab-separated) and "Text (Tab delimited)"; and rows that were cleared, which Excel keeps
/// as rows of empty cells. Each is read as the plain CSV; a cleared row is no row (it is
/// neither counted nor a problem), and the lines after it keep their own numbers.
#[test]
fn excel_unicode_text_tab_files_and_cleared_rows_are_read_as_the_plain_csv() {
    let (_db, mut conn) = new_db();
    let utf16 = |text: &str| -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    };
    let customers = "legal_name\tcountry\tcurrency\taddress\r\n\
                     雲橋科技股份有限公司\tTW\tTWD\t台北市, 信義區\r\n\
                     \t\t\t\r\n\
                     Good Ltd\tTW\tTWD\t\r\n\
                     \t \t\t\r\n";
    let existing = import::ImportMode::ExistingBook("moving from spreadsheets".into());
    let s = import_file(&mut conn, "客戶.txt", &utf16(customers)[..], &existing).unwrap();
    assert_eq!((s.rows, s.created), (2, 2), "{s:?}");
    let address: String = scalar(
        &conn,
        "SELECT address FROM customers WHERE legal_name LIKE '雲橋%'",
    );
    assert_eq!(address, "台北市, 信義區");
    let invoices = "number\tcustomer\tissued_on\tcurrency\tdescription\tunit_price\n\
                    T-1\t雲橋科技股份有限公司\t2026/10/1\tTWD\tAzure plan, October\t1200\n\
                    \t\t\t\t\t\n\
                    T-2\tGood Ltd\t2026/10/1\tTWD\tAzure plan\t300\n";
    let s = invoices_in(&mut conn, "i.txt", invoices.as_bytes()).unwrap();
    assert_eq!((s.rows, s.created), (2, 2), "{s:?}");
    let payments = "reference,customer,received_on,amount,currency\n\
                    ,,,,\n\
                    P-1,Good Ltd,2026-10-05,300,TWD\n\
                    , , ,,\n";
    let s = payments_in(&mut conn, "p.csv", payments.as_bytes()).unwrap();
    assert_eq!((s.rows, s.created), (1, 1), "{s:?}");
    // The same files again: nothing changes.
    let before = counts(&conn);
    let s = import_file(&mut conn, "客戶.txt", &utf16(customers)[..], &existing).unwrap();
    assert_eq!(s.unchanged, 2, "{s:?}");
    assert_eq!(
        invoices_in(&mut conn, "i.txt", invoices.as_bytes())
            .unwrap()
            .unchanged,
        2
    );
    assert_eq!(
        payments_in(&mut conn, "p.csv", payments.as_bytes())
            .unwrap()
            .unchanged,
        1
    );
    assert_eq!(counts(&conn), before);
    // A problem after a cleared row names its own line; a row with one cell is not cleared.
    let bad = "number\tcustomer\tissued_on\tcurrency\tdescription\tunit_price\n\
               \t\t\t\t\t\n\
               T-3\tNobody Ltd\t2026/10/1\tTWD\tAzure plan\t1\n\
               \t\t\t\t\t5\n";
    let e = invoices_in(&mut conn, "bad.txt", bad.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("bad.txt:3 field customer"), "{e}");
    assert!(e.to_string().contains("bad.txt:4 field number"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// Excel where the list separator is `;` (much of Europe) saves "CSV" with semicolons: the
/// file is read by its header's separator, a comma inside a cell is text, and amounts keep
/// the decimal point the layout asks for.
#[test]
fn a_semicolon_separated_ledger_file_is_read_by_its_header() {
    let (_db, mut conn) = new_db();
    let s = import_text(
        &mut conn,
        "legal_name;country;currency;address;credit_limit\n\
         Müller & Söhne GmbH;DE;EUR;Hauptstraße 1, Berlin;1500.50\n",
    )
    .unwrap();
    assert_eq!(s.created, 1);
    let (address, limit): (String, i64) = conn
        .query_row(
            "SELECT address, credit_limit_minor FROM customers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (address.as_str(), limit),
        ("Hauptstraße 1, Berlin", 150_050)
    );
    let invoices = "number;customer;issued_on;currency;description;unit_price\n\
                    M-1;Müller & Söhne GmbH;2026-10-01;EUR;Azure plan;1234,56\n";
    let e = invoices_in(&mut conn, "m.csv", invoices.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("m.csv:2 field unit_price"), "{e}");
    assert!(e.to_string().contains("use a point for decimals"), "{e}");
}

/// The onboarding rules hold on the CSV path too: an active customer without its checks, a
/// prepaid card or full admin access is refused on its line, nothing written; brought in as
/// an existing book, each exception is recorded in the audit trail with who and why.
#[test]
fn a_customer_import_enforces_the_onboarding_rules_unless_it_brings_an_existing_book() {
    let (_db, mut conn) = new_db();
    let before = counts(&conn);
    for (row, field) in [
        ("Active Now Ltd,TW,TWD,active,bank_transfer,none", "status"),
        (
            "Prepaid Ltd,TW,TWD,prospect,prepaid_card,none",
            "payment_instrument",
        ),
        (
            "Admin Ltd,TW,TWD,prospect,bank_transfer,full",
            "admin_access",
        ),
    ] {
        let text =
            format!("legal_name,country,currency,status,payment_instrument,admin_access\n{row}\n");
        let e = import_enforced(&mut conn, &text).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.contains(&format!("customers.csv:2 field {field}")),
            "{row}: {shown}"
        );
        assert!(shown.contains("existing book"), "{row}: {shown}");
        assert_eq!(counts(&conn), before, "{row}");
    }
    // A prospect paying by transfer passes as it is.
    let s = import_enforced(
        &mut conn,
        "legal_name,country,currency\nCareful Ltd,TW,TWD\n",
    )
    .unwrap();
    assert_eq!(s.created, 1);
    // The existing book: all three in, three exceptions recorded with the reason; again, nothing.
    let book = "legal_name,country,currency,status,payment_instrument,admin_access\n\
                Active Now Ltd,TW,TWD,active,bank_transfer,none\n\
                Prepaid Ltd,TW,TWD,active,prepaid_card,none\n";
    let mode = import::ImportMode::ExistingBook("moving our 2019 book from Excel".into());
    let s = import_in(&mut conn, book, &mode).unwrap();
    assert_eq!((s.created, s.exceptions), (2, 3));
    let reasons: Vec<String> = conn
        .prepare("SELECT after FROM audit WHERE action = 'onboarding_override' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(reasons.len(), 3);
    assert!(
        reasons
            .iter()
            .all(|r| r.contains("moving our 2019 book from Excel")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("prepaid_card")));
    let again = import_in(&mut conn, book, &mode).unwrap();
    assert_eq!((again.unchanged, again.exceptions), (2, 0));
    // An existing book needs its reason.
    assert!(import_in(
        &mut conn,
        book,
        &import::ImportMode::ExistingBook("  ".into())
    )
    .is_err());
}

/// A ledger file cut short (part of it copied, a download that stopped) inside a quoted
/// amount was booked with the figure cut: `"12,345.67"` cut to `"12,345.6` as 12,345.60.
/// Every cut of a payment file is now refused or books each payment it reads at the whole
/// file's amount; a quote left open is refused on the line it opens, with its code, and a
/// stray quote in a customer file is found the same way.
#[test]
fn a_ledger_file_cut_inside_a_quoted_amount_is_refused_on_the_line_the_quote_opens() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "Contoso Ltd", "");
    let whole = "reference,customer,received_on,currency,amount\n\
                 P-1,Contoso Ltd,2026-10-05,TWD,\"12,345.67\"\n\
                 P-2,\"Contoso Ltd\",2026-10-06,TWD,\"1,000.50\"\n";
    let amounts = |conn: &rusqlite::Connection| -> Vec<(String, i64)> {
        let mut st = conn
            .prepare("SELECT reference, amount_minor FROM payments ORDER BY reference")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let expected = [("P-1".to_string(), 1_234_567), ("P-2".to_string(), 100_050)];
    let (mut read, mut refused) = (0, 0);
    for end in 0..=whole.len() {
        if !whole.is_char_boundary(end) {
            continue;
        }
        let tx = conn.transaction().unwrap();
        match import::import_payments(&tx, &ctx(), "p.csv", &whole.as_bytes()[..end], |_, _| {}) {
            Ok(_) => {
                read += 1;
                for got in amounts(&tx) {
                    assert!(expected.contains(&got), "cut at {end}: {got:?}");
                }
            }
            Err(Error::Import { file, problems }) => {
                refused += 1;
                assert_eq!(file, "p.csv");
                assert!(
                    problems.iter().all(|p| p.line >= 1 && !p.field.is_empty()),
                    "cut at {end}: {problems:?}"
                );
            }
            Err(other) => panic!("cut at {end}: {other}"),
        }
        drop(tx);
    }
    assert!(read > 0 && refused > 0, "{read} read, {refused} refused");

    let cut = &whole[..whole.find("\"1,000").unwrap() + 4];
    assert_eq!(
        first_problem(payments_in(&mut conn, "cut.csv", cut.as_bytes())),
        (3, "file".into(), Code::UnclosedQuote)
    );
    assert!(amounts(&conn).is_empty(), "nothing written");

    // A stray quote early in a customer file: named where it opens, not at the end.
    let stray = "legal_name,country,currency,address\n\
                 \"Contoso Two,TW,TWD,Taipei\n\
                 Fabrikam,US,USD,Redmond\n";
    let before = counts(&conn);
    let e = import_text(&mut conn, stray).unwrap_err();
    assert!(e.to_string().contains("customers.csv:2 field file"), "{e}");
    assert!(e.to_string().contains("never closed"), "{e}");
    assert_eq!(counts(&conn), before);
}

/// A column without a name in the header (Excel keeps one it was told to empty, as a
/// trailing separator) is read as nothing; a value under one has no field to go to and is
/// refused on its row, naming the column by its number. Customers, invoices and payments.
#[test]
fn a_column_without_a_name_is_read_as_nothing_unless_a_row_has_a_value_in_it() {
    let (_db, mut conn) = new_db();
    let s = import_text(
        &mut conn,
        "legal_name,country,currency,,\nContoso Ltd,TW,TWD,,\nFabrikam,US,USD, ,\n",
    )
    .unwrap();
    assert_eq!(s.created, 2);
    let payments = "reference,,customer,received_on,currency,amount\n\
                    P-1,,Contoso Ltd,2026-10-05,TWD,100\n";
    assert_eq!(
        payments_in(&mut conn, "p.csv", payments.as_bytes())
            .unwrap()
            .created,
        1
    );
    let invoices = "number,customer,issued_on,currency,description,unit_price,\n\
                    I-1,Contoso Ltd,2026-10-01,TWD,Azure,100,\n";
    assert_eq!(
        invoices_in(&mut conn, "i.csv", invoices.as_bytes())
            .unwrap()
            .created,
        1
    );

    let before = counts(&conn);
    let stray = "legal_name,country,currency,\nNorthwind,TW,TWD,\nTailspin,TW,TWD,note\n";
    let r = import_text(&mut conn, stray);
    let Err(Error::Import { problems, .. }) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(problems[0].params.get("n").map(String::as_str), Some("4"));
    assert_eq!(first_problem(r), (3, "header".into(), Code::UnnamedColumn));
    assert_eq!(counts(&conn), before, "nothing written");
    let bad = "reference,,customer,received_on,currency,amount\n\
               P-2,oops,Contoso Ltd,2026-10-06,TWD,100\n";
    assert_eq!(
        first_problem(payments_in(&mut conn, "p.csv", bad.as_bytes())),
        (2, "header".into(), Code::UnnamedColumn)
    );
}

/// A spreadsheet opens `00123` as the number 123 and saves it so; a keyboard in full-width
/// mode types `１２３`; an accountant types `inv-7` for `INV-7`. The file saved again is the
/// same file: its invoices and payments are found and nothing is booked twice, a payment
/// names its invoice however it is written, and a long number the spreadsheet turned into
/// `1.23457E+15` is refused (its digits are gone) with its file, line and field.
#[test]
fn invoice_numbers_and_references_a_spreadsheet_rewrote_are_the_same_records() {
    let (_db, mut conn) = new_db();
    import_text(
        &mut conn,
        "legal_name,country,currency\nGood Ltd,TW,TWD\nOther Ltd,TW,TWD\n",
    )
    .unwrap();
    let invoices = |a: &str, b: &str| {
        format!(
            "number,customer,issued_on,currency,description,quantity,unit_price\n\
             {a},Good Ltd,2026-10-01,TWD,Seats,2,600\n\
             {b},Good Ltd,2026-10-02,TWD,Azure,1,1500\n\
             {a},Good Ltd,2026-10-01,TWD,Support,1,100\n"
        )
    };
    let s = invoices_in(&mut conn, "i.csv", invoices("00123", "INV-7").as_bytes()).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    for (a, b) in [
        ("123", "inv-7"),
        ("１２３", "ＩＮＶ－７"),
        (" 0123", "Inv-7 "),
    ] {
        let s = invoices_in(&mut conn, "i.csv", invoices(a, b).as_bytes()).unwrap();
        assert_eq!((s.created, s.unchanged), (0, 2), "{a} {b}: {s:?}");
    }
    // Two spellings in one file are the lines of one invoice.
    let s = invoices_in(
        &mut conn,
        "i.csv",
        invoices("00123", "INV-7")
            .replace(
                "00123,Good Ltd,2026-10-01,TWD,Support",
                "123,Good Ltd,2026-10-01,TWD,Support",
            )
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(s.unchanged, 2, "{s:?}");
    let stored: String = scalar(
        &conn,
        "SELECT group_concat(number || ':' || total_minor, ',') FROM (SELECT * FROM invoices ORDER BY id)",
    );
    assert_eq!(stored, "00123:130000,INV-7:150000");
    // The form finds it as the import does.
    let good = customer::get(&conn, riskdesk_core::ids::CustomerId(1)).unwrap();
    let tx = conn.transaction().unwrap();
    let e = riskdesk_core::receivables::insert_invoice(
        &tx,
        &ctx(),
        &riskdesk_core::receivables::NewInvoice {
            number: "１２３".into(),
            customer_id: good.id,
            kind: riskdesk_core::receivables::InvoiceKind::Invoice,
            issued_on: today(),
            due_on: None,
            currency: good.fields.currency,
            lines: vec![riskdesk_core::receivables::InvoiceLine {
                description: "Seats".into(),
                quantity: 1,
                unit_price_minor: 100,
                subscription_id: None,
            }],
            requires_prepayment: false,
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("invoice １２３ already exists (written 00123)"),
        "{e}"
    );
    drop(tx);
    // Other content under a spelling of a stored number is refused, naming the stored one.
    let e = invoices_in(
        &mut conn,
        "i.csv",
        invoices("123", "INV-7")
            .replace(",2,600", ",3,600")
            .as_bytes(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("i.csv:2 field number") && e.contains("invoice 00123 is already recorded"),
        "{e}"
    );
    // Zeros inside a number with letters count: INV-07 is another invoice.
    let s = invoices_in(&mut conn, "j.csv", invoices("INV-07", "INV-8").as_bytes()).unwrap();
    assert_eq!(s.created, 2, "{s:?}");
    assert_eq!(scalar::<i64>(&conn, "SELECT count(*) FROM invoices"), 4);

    let payments = |reference: &str, invoice: &str| {
        format!(
            "reference,customer,received_on,amount,currency,invoice\n\
             {reference},Good Ltd,2026-10-20,700,TWD,{invoice}\n"
        )
    };
    let s = payments_in(&mut conn, "p.csv", payments("000456", "123").as_bytes()).unwrap();
    assert_eq!(s.created, 1, "{s:?}");
    let paid_to: String = scalar(
        &conn,
        "SELECT i.number FROM allocations a JOIN invoices i ON i.id = a.invoice_id",
    );
    assert_eq!(paid_to, "00123");
    for (reference, invoice) in [("456", "00123"), ("４５６", "１２３"), ("0456", "")] {
        let s = payments_in(&mut conn, "p.csv", payments(reference, invoice).as_bytes()).unwrap();
        assert_eq!((s.created, s.unchanged), (0, 1), "{reference}: {s:?}");
    }
    let e = payments_in(
        &mut conn,
        "p.csv",
        payments("456", "").replace(",700,", ",800,").as_bytes(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("p.csv:2 field reference") && e.contains("payment 000456 is already recorded"),
        "{e}"
    );
    // One payment written twice in one file is told, however it is spelled.
    let twice = format!(
        "{}456,Good Ltd,2026-10-20,700,TWD,\n",
        payments("000456", "")
    );
    let e = payments_in(&mut conn, "p.csv", twice.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("p.csv:3 field reference"), "{e}");
    // Another customer's reference of the same digits is another payment.
    let s = payments_in(
        &mut conn,
        "p.csv",
        payments("456", "")
            .replace("Good Ltd", "Other Ltd")
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(s.created, 1, "{s:?}");
    let payments_now: i64 = scalar(&conn, "SELECT count(*) FROM payments");
    assert_eq!(payments_now, 2);

    // A long number the spreadsheet could not keep names nothing.
    let before = counts(&conn);
    let e = invoices_in(
        &mut conn,
        "i.csv",
        invoices("1.23457E+15", "INV-9").as_bytes(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("i.csv:2 field number") && e.contains("i.csv:4 field number"),
        "{e}"
    );
    assert!(e.contains("1.23457E+15") && e.contains("text"), "{e}");
    let e = payments_in(&mut conn, "p.csv", payments("4.56789E+12", "").as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("p.csv:2 field reference"), "{e}");
    assert_eq!(counts(&conn), before);
    assert_eq!(scalar::<i64>(&conn, "SELECT count(*) FROM payments"), 2);
}
