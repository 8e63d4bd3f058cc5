//! The Bank page: a statement's lines reviewed in the window, what is sure booked in one
//! step, a line nobody could place given to its customer with the amount typed, another set
//! aside; all of it still there after a restart, and the customers' balances follow.

use super::common::{assert_ok, book_from_csv, cli_os as cli, import_esun, write, Driver};
use super::{fill, Book};
use riskdesk_core::test_support::camt;

fn lines_waiting(s: &super::common::Session) -> usize {
    s.find_all("#bank-lines tr").len()
}

fn wait_rows(s: &super::common::Session, n: usize) {
    for _ in 0..100 {
        if lines_waiting(s) == n && s.try_find("dialog.modal").is_none() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("expected {n} lines waiting, found {}", lines_waiting(s));
}

/// The id of the waiting line whose row says `text`, and the row's text.
fn line_saying(s: &super::common::Session, text: &str) -> (String, String) {
    let row = s
        .find_all("#bank-lines tr")
        .into_iter()
        .find(|r| r.text().contains(text))
        .unwrap_or_else(|| panic!("no line says {text}"));
    let id = row.property("dataset")["line"]
        .as_str()
        .unwrap()
        .to_string();
    (id, row.text())
}

/// The inputs of the open invoices the line dialog offers, once they are read.
fn invoice_input(s: &super::common::Session) -> super::common::Element {
    (0..50)
        .find_map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            s.try_find("#bank-change-invoices input")
        })
        .expect("the customer's open invoices are offered")
}

#[test]
fn a_statement_is_reviewed_booked_and_set_aside_in_the_window() {
    let (book, db) = Book::new("bank.db");
    book_from_csv(
        cli,
        &db,
        "legal_name,country,currency,status,language,virtual_account\n\
         雲橋科技股份有限公司,TW,TWD,active,zh-TW,9988-0012-0001\n\
         Contoso Taiwan Ltd,TW,TWD,active,en,\n\
         Dollar Inc,US,USD,active,en,\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         INV-1,雲橋科技股份有限公司,2026-09-01,TWD,Azure plan,1,55000\n\
         INV-2,雲橋科技股份有限公司,2026-10-01,TWD,Azure plan,1,30000\n\
         C-77,Contoso Taiwan Ltd,2026-10-01,TWD,Microsoft 365,1,1200\n\
         US-7,Dollar Inc,2026-10-01,USD,Azure plan,1,1215\n",
    );
    let file = |name: &str, text: &str| write(book.dir.path(), name, text);
    // The window imports through the system's Open dialog, which WebDriver cannot reach (its
    // command is tested with a path in commands/bank_tests.rs): the statement comes in here.
    let statement = file(
        "esun.csv",
        "交易日期,摘要,支出金額,存入金額,備註,虛擬帳號,匯款人\n\
         115/11/20,跨行轉入,,\"55,000\",INV 1,,雲橋科技\n\
         115/11/20,ATM轉入,,\"30,000\",,99880012 0001,\n\
         115/11/21,轉入,,500,,,王小明\n\
         115/11/21,轉入,,800,,,不明\n\
         115/11/22,國外匯入,,\"38,760\",US-7,,DOLLAR INC\n",
    );
    let out = import_esun(cli, &db, &statement);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The owner's dollar rate: the dollar line's hint says what it is about worth.
    let rate = [
        "rates",
        "set",
        "--on",
        "2026-11-01",
        "--from",
        "USD",
        "--to",
        "TWD",
        "--rate",
        "32.30",
    ];
    assert_ok(&cli(&db, &rate));

    let driver = Driver::start();
    let s = driver.launch(&db);
    s.open_view("bank");
    wait_rows(&s, 5);
    s.wait_text("#bank-lines", |t| {
        t.contains("INV-1") && t.contains("arrived on virtual account 998800120001")
    });
    assert_eq!(
        s.find_all("#bank-lines .badge[data-confidence='sure']")
            .len(),
        2
    );
    s.wait_text("#bank-accept-sure", |t| t == "Book all sure lines (2)");
    s.screenshot("bank-review-en.png");

    s.find("#bank-accept-sure").click();
    wait_rows(&s, 3);

    // NT$500 from 王小明: Contoso's, paying part of C-77, typed in the dialog.
    let (change_id, _) = line_saying(&s, "王小明");
    s.find(&format!("button[data-change='{change_id}']"))
        .click();
    // The dialog opens once the customers are read; a search narrows them (a book may hold
    // thousands).
    s.find("#bank-change-customer");
    s.find("#bank-change-customer-search").type_text("contoso");
    let offered = (0..50)
        .find_map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let names = s.script(
                "return [...document.querySelector('#bank-change-customer').options].map((o) => o.text).join('|');",
                serde_json::json!([]),
            );
            let names = names.as_str().unwrap_or_default().to_string();
            (!names.contains("雲橋")).then_some(names)
        })
        .expect("the search narrows the customers");
    assert_eq!(offered, "—|Contoso Taiwan Ltd");
    let chosen = s.script(
        "const sel = document.querySelector('#bank-change-customer');\
         const opt = [...sel.options].find((o) => o.text === 'Contoso Taiwan Ltd');\
         sel.value = opt.value; sel.dispatchEvent(new Event('change')); return opt.value;",
        serde_json::json!([]),
    );
    assert!(chosen.as_str().is_some_and(|v| !v.is_empty()));
    let input = invoice_input(&s);
    input.clear().type_text("500");
    s.find("#dialog-ok").click();
    wait_rows(&s, 2);

    // NT$38,760 from Dollar Inc, billed in US dollars: Book asks what the bank converted it
    // to (US$1,200.00 on its advice) and pays US-7 with it.
    let (dollar_id, row) = line_saying(&s, "DOLLAR INC");
    assert!(row.contains("billed in USD"), "{row}");
    s.find(&format!("button[data-accept='{dollar_id}']"))
        .click();
    s.find("#bank-change-received");
    let hint = s.script(
        "return document.querySelector('#bank-change-received').parentElement.textContent;",
        serde_json::json!([]),
    );
    let hint = hint.as_str().unwrap_or_default();
    assert!(
        hint.contains("Received in USD")
            && hint.contains("NT$38,760")
            && hint.contains("about US$1,200.00 at 1 USD = 32.3 TWD"),
        "{hint}"
    );
    let input = invoice_input(&s);
    // Booked without the dollar amount: refused, named, nothing booked.
    input.clear().type_text("1,200");
    s.find("#dialog-ok").click();
    s.wait_text("#toast", |t| {
        t.contains("Received in the customer's currency")
    });
    s.find("#bank-change-received")
        .clear()
        .type_text("1,200.00");
    s.screenshot("bank-converted-en.png");
    s.find("#dialog-ok").click();
    wait_rows(&s, 1);

    // The last line is set aside with a note.
    s.find("#bank-lines button[data-ignore]").click();
    fill(&s, "#bank-ignore-note", "deposit by mistake, returned");
    s.find("#dialog-ok").click();
    wait_rows(&s, 0);
    s.wait_text("#bank-empty", |t| t.contains("No statement lines"));
    s.quit();

    // After a restart, in Chinese: every line and what became of it.
    let s = driver.launch(&db);
    s.wait_text("#nav-bank", |t| !t.is_empty());
    s.find("#language option[value='zh-TW']").click();
    s.wait_text("#nav-bank", |t| t == "銀行對帳");
    s.find("#nav-bank").click();
    s.find("#bank-open-only").click();
    wait_rows(&s, 5);
    s.wait_text("#bank-lines", |t| {
        t.matches("已入帳").count() == 4
            && t.contains("已略過")
            && t.contains("deposit by mistake")
            && t.contains("Contoso Taiwan Ltd")
    });
    // The page stays as the user set it: saving the language (it ends after the page was
    // opened) draws nothing over it. It did: the box came back ticked and the list empty.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(
        s.find("#bank-open-only").property("checked"),
        serde_json::Value::Bool(false)
    );
    assert_eq!(lines_waiting(&s), 5);
    s.screenshot("bank-lines-zh-TW.png");
    s.quit();

    let aging: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--json"]).stdout).unwrap();
    // Only C-77's NT$700 and US$15.00 of US-7 (the wire's fee, not written off) are owed.
    let owed: Vec<(String, i64)> = aging["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let currency = t["currency"].as_str().unwrap().to_string();
            (currency, t["total_minor"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(
        owed,
        [("TWD".to_string(), 70_000), ("USD".to_string(), 1_500)],
        "{aging:#}"
    );
}

/// A booked entry of 20 November 2026 without parties.
fn camt_entry(amount: &str, dir: &str, reversal: bool, reference: &str, text: &str) -> String {
    camt::entry(
        amount,
        dir,
        reversal,
        "2026-11-20",
        reference,
        text,
        ("", ""),
    )
}

#[test]
fn a_payment_the_bank_sent_back_is_recorded_as_taken_back_in_the_window() {
    let (book, db) = Book::new("bank-returns.db");
    book_from_csv(
        cli,
        &db,
        "legal_name,country,currency,status,language\nHarbour Logistics Ltd,TW,TWD,active,en\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         HL-2026-0001,Harbour Logistics Ltd,2026-09-01,TWD,Azure plan,1,55000\n",
    );
    let paid = write(
        book.dir.path(),
        "paid.xml",
        &camt::statement(&[camt_entry(
            "55000.00",
            "CRDT",
            false,
            "E-500",
            "HL-2026-0001",
        )]),
    );
    assert_ok(&cli(&db, &["bank", "import", &paid]));
    assert_ok(&cli(&db, &["bank", "confirm", "--all-sure"]));
    let back = write(
        book.dir.path(),
        "back.xml",
        &camt::statement(&[
            camt_entry("55000.00", "DBIT", true, "E-500-R", "RETURN E-500"),
            camt_entry("30.00", "CRDT", true, "E-501", "FEE REFUND"),
        ]),
    );
    assert_ok(&cli(&db, &["bank", "import", &back]));

    let driver = Driver::start();
    let s = driver.launch(&db);
    s.open_view("bank");
    wait_rows(&s, 2);
    s.wait_text("#bank-lines", |t| {
        t.contains("sends payment E-500 back") && t.contains("not a customer's payment")
    });
    let sent = s
        .find_all("#bank-lines tr")
        .into_iter()
        .find(|r| r.text().contains("RETURN E-500"))
        .unwrap();
    assert!(sent.text().contains("Record as taken back"));
    assert!(sent.text().contains("−NT$55,000"));
    s.screenshot("bank-sent-back-en.png");
    let id = sent.property("dataset")["line"]
        .as_str()
        .unwrap()
        .to_string();
    s.find(&format!("button[data-accept='{id}']")).click();
    wait_rows(&s, 1);
    s.quit();

    // What the payment paid is owed again, and the customer's page says how.
    let aging: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--json"]).stdout).unwrap();
    assert_eq!(aging["totals"][0]["total_minor"], 5_500_000);
    let list = String::from_utf8_lossy(&cli(&db, &["payments", "list", "--customer", "1"]).stdout)
        .into_owned();
    assert!(list.contains("returned on 2026-11-20"), "{list}");
}
