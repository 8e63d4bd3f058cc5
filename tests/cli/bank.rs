//! `riskdesk bank` through the real binary: a Taiwanese bank's CSV imported with its
//! mapping, what is sure booked in one step, the same file again adding nothing, a line
//! set aside, and a broken file named with its line.

use crate::common::{
    assert_ok, assert_refused, assert_says, cli, cli_ok, csv_book, import_esun, stdout, write,
};

#[test]
fn a_bank_csv_is_imported_reviewed_booked_and_imported_again_without_change() {
    let (dir, db) = csv_book(
        "bank.db",
        "legal_name,country,currency,status,virtual_account,payer_names\n\
         雲橋科技股份有限公司,TW,TWD,active,9988-0012-0001,CloudBridge\n\
         Contoso Ltd,TW,TWD,active,,\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         INV-1,雲橋科技股份有限公司,2026-09-01,TWD,Azure plan,1,55000.50\n\
         INV-2,雲橋科技股份有限公司,2026-10-01,TWD,Azure plan,1,30000\n\
         C-77,Contoso Ltd,2026-10-01,TWD,Microsoft 365,1,1200\n",
    );
    let file = |name: &str, text: &str| write(dir.path(), name, text);
    let statement = file(
        "esun.csv",
        "帳號：0123-456-789012\n\
         交易日期,摘要,支出金額,存入金額,備註,虛擬帳號,匯款人\n\
         115/11/20,跨行轉入,,\"30,000\",,99880012 0001,\n\
         115/11/21,跨行轉入,,\"54,970.50\",INV 1,,雲橋科技\n\
         115/11/21,轉入,,100,,,不明\n\
         115/11/21,手續費,15,,,,\n",
    );
    let out = import_esun(cli, &db, &statement);
    assert_ok(&out);
    assert_says(
        &out,
        "4 lines (csv) into E.SUN: 4 new (1 outgoing), 0 already imported",
    );

    let out = cli(&db, &["bank", "lines", "--open", "--json"]);
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let confidences: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["proposal"]["confidence"].as_str().unwrap())
        .collect();
    assert_eq!(confidences, ["unsure", "sure", "sure"], "{lines:#}");

    let out = cli_ok(&db, &["bank", "confirm", "--all-sure"]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("bank fee NT$30 written off"), "{text}");
    let aging = stdout(&cli(&db, &["aging", "--json"]));
    assert!(
        !aging.contains("雲橋"),
        "the customer owes nothing now: {aging}"
    );

    // The same file again (the mapping remembered): nothing new, nothing booked twice.
    let out = cli(&db, &["bank", "import", &statement, "--account", "E.SUN"]);
    assert_says(&out, "0 new (0 outgoing), 4 already imported");
    // Chosen together with a file that cannot be read: all or nothing, that file named.
    let unread = file("unread.csv", "交易日期,存入金額\n115/11/22,abc\n");
    let out = cli(
        &db,
        &["bank", "import", &statement, &unread, "--account", "E.SUN"],
    );
    assert_refused(&out, "unread.csv");
    let open = stdout(&cli(&db, &["bank", "lines", "--open"]));
    assert_eq!(open.lines().count(), 1, "{open}");
    let id = open.split_whitespace().next().unwrap().to_string();
    cli_ok(&db, &["bank", "ignore", &id, "--note", "refund"]);
    assert_eq!(stdout(&cli(&db, &["bank", "lines", "--open"])), "");
    let out = cli(&db, &["bank", "confirm", &id]);
    assert!(!out.status.success());

    // A broken file names its line and field; nothing is written.
    let broken = file("broken.csv", "交易日期,存入金額\n115/11/22,\"1234,56\"\n");
    let out = cli(
        &db,
        &[
            "bank",
            "import",
            &broken,
            "--account",
            "Other",
            "--map",
            "date=交易日期,credit=存入金額,date-format=roc",
        ],
    );
    assert_refused(&out, "broken.csv:2 field credit");
    let out = cli(&db, &["bank", "import", &statement, "--format", "ofx"]);
    assert_refused(&out, "--format");
}

/// A US customer's transfer the bank converted into New Taiwan dollars: `bank confirm` asks
/// what it paid in dollars (`--received`, the bank's advice) and books that, oldest invoice
/// first; without it, or with an amount that is not one, nothing is booked.
#[test]
fn a_converted_transfer_is_confirmed_with_what_it_paid_in_the_customer_s_currency() {
    let (dir, db) = csv_book(
        "bank-usd.db",
        "legal_name,country,currency,status\nDollar Inc,US,USD,active\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         US-7,Dollar Inc,2026-09-01,USD,Azure plan,1,1215\n\
         US-8,Dollar Inc,2026-10-01,USD,Azure plan,1,100\n",
    );
    let statement = write(
        dir.path(),
        "esun.csv",
        "交易日期,摘要,支出金額,存入金額,備註,虛擬帳號,匯款人\n\
         115/11/22,國外匯入,,\"38,760\",,,DOLLAR INC\n",
    );
    assert_ok(&import_esun(cli, &db, &statement));
    let open = stdout(&cli(&db, &["bank", "lines", "--open"]));
    assert!(
        open.contains("billed in USD: confirm with --received AMOUNT"),
        "{open}"
    );
    let id = open.split_whitespace().next().unwrap().to_string();
    let out = cli(&db, &["bank", "confirm", &id]);
    assert_refused(&out, "received");
    let out = cli(&db, &["bank", "confirm", &id, "--received", "1200,00"]);
    assert_refused(&out, "received");
    let out = cli(&db, &["bank", "confirm", &id, "1", "--received", "1,200"]);
    assert_refused(&out, "received");
    let out = cli_ok(&db, &["bank", "confirm", &id, "--received", "1,200.00"]);
    assert_says(
        &out,
        "(US$1,200.00 received, US$0.00 to the invoices named, the rest to the oldest open ones)",
    );
    let aging: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["aging", "--json"]).stdout).unwrap();
    assert_eq!(
        aging["totals"][0]["total_minor"], 11_500,
        "US-7's last US$15.00 and US-8's US$100.00: {aging:#}"
    );
}
