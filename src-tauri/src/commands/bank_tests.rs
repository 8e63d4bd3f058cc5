//! The bank commands without a window, on the demo company: a chosen statement previewed
//! and imported with the mapping from the form, a line booked with amounts as typed, and
//! every argument checked with its field named.

use super::bank;
use super::tests::{audit_rows, fixture, host, refused, BAD_AMOUNTS};

/// An open invoice of a demo customer in New Taiwan dollars, its customer and what is owed.
fn open_twd_invoice(f: &super::tests::Fixture) -> (i64, String, i64, i64, String) {
    f.conn
        .query_row(
            "SELECT i.id, i.number, i.customer_id,
                    i.total_minor - i.written_off_minor - COALESCE((SELECT sum(amount_minor) FROM allocations WHERE invoice_id = i.id), 0),
                    c.virtual_account
             FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.settled_on = '9999-12-31' AND i.currency = 'TWD' AND c.virtual_account <> '' AND i.disputed = 0
             ORDER BY i.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
}

fn map() -> riskdesk_core::bank::CsvMap {
    riskdesk_core::bank::CsvMap::parse_spec(
        "date=日期,credit=存入,debit=支出,text=備註,account=虛擬帳號,date-format=roc",
    )
    .unwrap()
}

#[test]
fn a_chosen_statement_is_previewed_imported_and_a_line_booked_as_typed() {
    let mut f = fixture();
    let (invoice_id, number, customer_id, owed, va) = open_twd_invoice(&f);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("esun.csv");
    let major = |m: i64| format!("{}.{:02}", m / 100, m % 100);
    std::fs::write(
        &path,
        format!(
            "帳號 0123\n日期,摘要,支出,存入,備註,虛擬帳號\n115/11/20,轉入,,{},{number},\n115/11/21,轉入,,500,,{va}\n115/11/21,手續費,30,,,\n",
            major(owed)
        ),
    )
    .unwrap();
    let mut h = host(&mut f);
    let p = bank::preview(&mut h, std::slice::from_ref(&path)).unwrap();
    assert_eq!(
        (p.file.as_str(), p.format),
        ("esun.csv", riskdesk_core::bank::Format::Csv)
    );
    assert_eq!(p.rows[1][0], "日期");
    assert_eq!(
        p.accounts[0].name,
        riskdesk_core::bank::demo::DEMO_ACCOUNT,
        "the demo's account is offered"
    );
    let input = |map| bank::ImportInput {
        format: "auto".into(),
        account: "E.SUN".into(),
        map,
    };
    refused(
        bank::import(&mut h, std::slice::from_ref(&path), input(None)),
        "map",
    );
    let s = bank::import(&mut h, std::slice::from_ref(&path), input(Some(map()))).unwrap();
    assert_eq!((s.lines, s.added, s.outgoing), (3, 3, 1));
    let h = host(&mut f);
    let reviews = riskdesk_core::bank::review(h.conn, true).unwrap();
    let named = reviews
        .iter()
        .find(|r| r.line.entry.text == number)
        .unwrap();
    // The window reads what the file said beside where the line stands, at one level.
    let sent = serde_json::to_value(&named.line).unwrap();
    assert_eq!(
        (&sent["text"], &sent["amount"]["minor"], &sent["status"]),
        (
            &serde_json::json!(number),
            &serde_json::json!(owed),
            &serde_json::json!("open")
        )
    );
    assert!(sent.get("entry").is_none(), "{sent}");
    let p = named.proposal.as_ref().unwrap();
    assert_eq!(p.confidence, riskdesk_core::bank::Confidence::Sure);
    assert_eq!(p.allocations[0].invoice_id.0, invoice_id);
    // The other line: 500 on the customer's virtual account, split by hand with the amount typed.
    let by_account = reviews
        .iter()
        .find(|r| r.line.entry.to_account == va)
        .unwrap();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    let decision = |amount: &str| bank::DecisionInput {
        customer_id,
        allocations: vec![bank::AllocationText {
            invoice_id,
            amount: amount.into(),
        }],
        write_off_fee: false,
        received: None,
    };
    for bad in BAD_AMOUNTS.iter().chain(&["1234,56", "0"]) {
        refused(
            bank::confirm(&mut h, by_account.line.id, decision(bad)),
            "allocations.0",
        );
    }
    // What a converted line paid is an amount too, and only for another currency's customer.
    for bad in BAD_AMOUNTS.iter().chain(&["1234,56", "300.00"]) {
        if bad.trim().is_empty() {
            continue;
        }
        let mut d = decision("300.00");
        d.received = Some(bad.to_string());
        refused(bank::confirm(&mut h, by_account.line.id, d), "received");
    }
    refused(bank::confirm(&mut h, -1, decision("1")), "line_id");
    let mut wrong_customer = decision("1");
    wrong_customer.customer_id = 0;
    refused(
        bank::confirm(&mut h, by_account.line.id, wrong_customer),
        "customer_id",
    );
    assert_eq!(
        audit_rows(&f),
        before,
        "nothing written by a refused decision"
    );
    let mut h = host(&mut f);
    let booked = bank::confirm(&mut h, by_account.line.id, decision("300.00")).unwrap();
    assert_eq!(booked.allocated.minor, 30_000);
    // Accepting the named line now books what is still owed on the invoice.
    let h = host(&mut f);
    assert!(bank::open_invoices(h.conn, &h.ctx, customer_id)
        .unwrap()
        .iter()
        .any(|o| o.invoice_id.0 == invoice_id));
    refused(bank::open_invoices(h.conn, &h.ctx, 0), "customer_id");
}

/// A file with the statements of two accounts: the form names both and fills in no account,
/// one named is refused on the account field, and imported without one each account gets
/// its line.
#[test]
fn a_file_of_two_accounts_is_previewed_with_both_and_imported_into_each() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.sta");
    std::fs::write(
        &path,
        ":20:A\r\n:25:808/0003\r\n:28C:1/1\r\n:60F:C261101TWD0,00\r\n\
         :61:2611021102CD700,00NTRFNONREF//M-1\r\n:86:payment\r\n:62F:C261102TWD700,00\r\n\
         :20:B\r\n:25:808/0004\r\n:28C:1/1\r\n:60F:C261101USD0,00\r\n\
         :61:2611021102CD7,00NTRFNONREF//M-2\r\n:86:payment\r\n:62F:C261102USD7,00\r\n",
    )
    .unwrap();
    let mut h = host(&mut f);
    let p = bank::preview(&mut h, std::slice::from_ref(&path)).unwrap();
    assert_eq!(p.accounts_in_file, ["808/0003", "808/0004"]);
    assert_eq!(p.account_in_file, "", "no one account to fill in");
    let input = |account: &str| bank::ImportInput {
        format: "auto".into(),
        account: account.into(),
        map: None,
    };
    refused(
        bank::import(&mut h, std::slice::from_ref(&path), input("808/0003")),
        "account",
    );
    let s = bank::import(&mut h, std::slice::from_ref(&path), input("")).unwrap();
    assert_eq!((s.lines, s.added), (2, 2));
    let names: Vec<String> = riskdesk_core::bank::accounts(h.conn)
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert!(
        names.contains(&"808/0003".to_string()) && names.contains(&"808/0004".to_string()),
        "{names:?}"
    );
}

/// A ZIP archive of a month's daily statements (MT940 here, one account each day, and a
/// second account's): previewed with every account the files name, imported each in turn;
/// again, nothing new. The same days chosen as files together: likewise.
#[test]
fn a_zip_archive_of_daily_statements_is_previewed_and_imported_whole() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let day = |account: &str, d: u32, amount: &str| {
        format!(
            ":20:S{d}\r\n:25:{account}\r\n:28C:{d}/1\r\n:60F:C2611{d:02}TWD0,00\r\n\
             :61:2611{d:02}11{d:02}CD{amount}NTRFNONREF//M-{d}\r\n:86:payment {d}\r\n:62F:C2611{d:02}TWD{amount}\r\n"
        )
    };
    let days = [
        ("2611-02.sta", day("808/0003", 2, "700,00")),
        ("2611-03.sta", day("808/0003", 3, "50,00")),
        ("2611-04.sta", day("808/0005", 4, "9,00")),
    ];
    let entries: Vec<_> = days
        .iter()
        .map(|(name, text)| {
            riskdesk_core::test_support::zip::Entry::deflated(name, text.as_bytes())
        })
        .collect();
    let zip = riskdesk_core::test_support::zip::archive(&entries);
    let path = dir.path().join("statements 2026-11.zip");
    std::fs::write(&path, zip).unwrap();
    let mut h = host(&mut f);
    let p = bank::preview(&mut h, std::slice::from_ref(&path)).unwrap();
    assert_eq!(p.file, "statements 2026-11.zip");
    assert_eq!(p.accounts_in_file, ["808/0003", "808/0005"]);
    let input = || bank::ImportInput {
        format: "auto".into(),
        account: String::new(),
        map: None,
    };
    let s = bank::import(&mut h, std::slice::from_ref(&path), input()).unwrap();
    assert_eq!(
        (s.lines, s.added, s.account.as_str()),
        (3, 3, "808/0003, 808/0005")
    );
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    let again = bank::import(&mut h, std::slice::from_ref(&path), input()).unwrap();
    assert_eq!((again.added, again.known), (0, 3));
    assert_eq!(audit_rows(&f), before, "nothing written the second time");

    // The same days chosen as files together (and a fourth, new, day): previewed as the
    // first and how many more, every account named; imported, only the new day is added.
    let mut paths: Vec<std::path::PathBuf> = days
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let fifth = dir.path().join("2611-05.sta");
    std::fs::write(&fifth, day("808/0003", 5, "1,00")).unwrap();
    paths.push(fifth);
    let mut h = host(&mut f);
    let p = bank::preview(&mut h, &paths).unwrap();
    assert_eq!((p.file.as_str(), p.files.len()), ("2611-02.sta", 4));
    assert_eq!(p.accounts_in_file, ["808/0003", "808/0005"]);
    let s = bank::import(&mut h, &paths, input()).unwrap();
    assert_eq!((s.lines, s.added, s.known), (4, 1, 3));
    // Nothing chosen: the file is asked for.
    refused(bank::import(&mut h, &[], input()), "file");
}
