//! `riskdesk plans` and `riskdesk letter plan` through the real binary: a plan made over two
//! overdue invoices pauses the dunning plan, its agreement reads back, and a cancel with a
//! reason lets dunning resume.

use crate::common::{assert_refused, assert_says, cli, cli_ok, csv_book, pdf_text, stdout};

#[test]
fn a_plan_made_from_the_command_line_pauses_dunning_until_it_is_cancelled() {
    let (dir, db) = csv_book(
        "plans.db",
        "legal_name,country,currency,status,language\n港都物流股份有限公司,TW,TWD,active,zh-TW\n",
        "number,customer,issued_on,currency,description,quantity,unit_price\n\
         HL-1,港都物流股份有限公司,2026-06-01,TWD,Azure plan,1,60000\n\
         HL-2,港都物流股份有限公司,2026-07-01,TWD,Azure plan,1,40000.01\n",
    );
    let plan = stdout(&cli(&db, &["dunning", "plan"]));
    assert!(plan.contains("港都物流"), "{plan}");

    let first = chrono::Local::now().date_naive() + chrono::Duration::days(10);
    let out = cli_ok(
        &db,
        &[
            "plans",
            "add",
            "--customer",
            "1",
            "--invoices",
            "HL-1,HL-2",
            "--instalments",
            "4",
            "--first",
            &first.to_string(),
            "--rate",
            "12",
        ],
    );
    assert_says(&out, "NT$100,000.01 owed");
    let plan = stdout(&cli(&db, &["dunning", "plan"]));
    assert!(
        plan.contains("paused: 港都物流股份有限公司 (in payment plan 1: HL-1, HL-2)"),
        "{plan}"
    );
    let list: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["plans", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["status"], "kept");
    assert_eq!(list[0]["instalments"].as_array().unwrap().len(), 4);

    cli_ok(
        &db,
        &["settings", "set", "letterhead.name", "雲橋科技有限公司"],
    );
    let pdf = dir.path().join("plan.pdf");
    cli_ok(
        &db,
        &[
            "letter",
            "plan",
            "--plan",
            "1",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let text = pdf_text(&pdf);
    assert!(
        text.contains("分期付款協議") && text.contains("HL-2"),
        "{text}"
    );

    // Refused with what is wrong: the same invoices again, a reason missing.
    let again = cli(
        &db,
        &[
            "plans",
            "add",
            "--customer",
            "1",
            "--invoices",
            "HL-1",
            "--instalments",
            "2",
            "--first",
            &first.to_string(),
        ],
    );
    assert_refused(&again, "already in a payment plan");
    assert!(!cli(&db, &["plans", "cancel", "1", "--note", " "])
        .status
        .success());
    cli_ok(
        &db,
        &["plans", "cancel", "1", "--note", "customer pays at once"],
    );
    let plan = stdout(&cli(&db, &["dunning", "plan"]));
    assert!(!plan.contains("paused: 港都物流"), "{plan}");
    cli_ok(&db, &["settings", "set", "plans.grace_days", "7"]);
    assert!(!cli(&db, &["settings", "set", "plans.grace_days", "-1"])
        .status
        .success());
    assert!(stdout(&cli(&db, &["settings", "list"])).contains("plans.grace_days = 7"));
}
