//! The risk reports rendered from the demo company's records (planted risks beside honest
//! customers), read back with pdftotext in English and Chinese: every figure checked is
//! one the records give (the rest of a committed term to the cent, the level counts, the
//! top risks), and the moves between levels are counted from the previous report.

mod common;

use chrono::{TimeZone, Utc};
use riskdesk_core::customer::Language;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::risk::{self, report, Level};
use riskdesk_core::test_support::iso_days;

use riskdesk_core::Ctx;
use riskdesk_docs::letters::{day_text, time_text};
use riskdesk_docs::{customer_risk_report, portfolio_risk_report, Letterhead, Paper};

fn pdftotext(pdf: &[u8]) -> String {
    // One space for any run of white space: table cells wrap and align.
    common::pdftotext(pdf, true)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn letterhead() -> Letterhead {
    Letterhead {
        name: "雲橋科技有限公司 CloudBridge Ltd.".into(),
        ..Default::default()
    }
}

fn demo() -> (tempfile::TempDir, rusqlite::Connection, Ctx) {
    let (dir, mut conn) = riskdesk_core::test_support::book();
    let ctx = Ctx::new("t", Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap());
    let tx = conn.transaction().unwrap();
    riskdesk_core::demo::load(&tx, &ctx, ctx.today).unwrap();
    tx.commit().unwrap();
    (dir, conn, ctx)
}

fn id_of(conn: &rusqlite::Connection, name: &str) -> CustomerId {
    CustomerId(
        conn.query_row(
            "SELECT id FROM customers WHERE legal_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap(),
    )
}

#[test]
fn the_customer_report_gives_back_its_score_factors_exposure_and_checklist() {
    let (_dir, conn, ctx) = demo();
    let id = id_of(&conn, "Nimbus Startup Studio Pte. Ltd.");
    let r = report::customer_report(&conn, ctx.today, ctx.now, id).unwrap();
    // 25 seats at S$30.00 a month, an annual term bought two days ago, billed monthly:
    // eleven months are still to be billed.
    assert_eq!(r.score.exposure.committed_minor, 11 * 25 * 3_000);
    assert_eq!(r.score.windows.len(), 1);
    let edges = risk::RiskSettings::default().edges;
    for paper in [Paper::A4, Paper::Letter] {
        let en = pdftotext(&customer_risk_report(
            paper,
            &letterhead(),
            Language::En,
            &r,
            edges,
        ));
        for want in [
            "Customer risk report",
            "Nimbus Startup Studio Pte. Ltd.",
            &format!("{} Risk level: High", r.score.score),
            "Unpaid purchase inside its canc… 30",
            "Rest of committed terms S$8,250.00",
            "Credit limit S$5,000.00",
            "The exposure is over the credit limit.",
            "credit check MISSING",
            "108 hours left, collect or cancel",
            "before 2 December 2026, 00:00 UTC",
            "closes 2 December 2026,",
            "Country or region Singapore (SG)",
            "Page 1 of",
        ] {
            assert!(en.contains(want), "{want:?} not in {en}");
        }
    }
    let zh = pdftotext(&customer_risk_report(
        Paper::A4,
        &letterhead(),
        Language::ZhTw,
        &r,
        edges,
    ));
    for want in [
        "客戶風險報告",
        "風險等級：高",
        "未付款的訂閱仍在可取消期間內",
        "承諾期間剩餘金額 S$8,250.00",
        "徵信查核 未完成",
        // The evidence in Chinese too.
        "缺少開戶檢查：徵信查核",
        "尚未收到任何付款",
        "立即收款或收取預付款",
        "國家或地區 新加坡（SG）",
        "第 1 頁",
    ] {
        assert!(zh.contains(want), "{want:?} not in {zh}");
    }
    // Days as the reader says them, in one form across the report.
    assert_eq!(
        day_text(Language::ZhTw, "2026-11-05T09:00:00Z"),
        "2026年11月5日"
    );
    assert_eq!(day_text(Language::En, "2026-11-05"), "5 November 2026");
    assert_eq!(day_text(Language::En, "soon"), "soon");
    // A country on the high-risk list is named in the reason, in each language.
    let lagos = id_of(&conn, "Lagos Cloud Ventures Ltd");
    let r_ng = report::customer_report(&conn, ctx.today, ctx.now, lagos).unwrap();
    let read = |lang| {
        pdftotext(&customer_risk_report(
            Paper::A4,
            &letterhead(),
            lang,
            &r_ng,
            edges,
        ))
    };
    let en_ng = read(Language::En);
    // (The reason wraps in its cell: its first line is whole.)
    assert!(
        en_ng.contains("country or region Nigeria (NG) is on the"),
        "{en_ng}"
    );
    let zh_ng = read(Language::ZhTw);
    assert!(zh_ng.contains("國家或地區「奈及利亞（NG）」"), "{zh_ng}");
    let since = day_text(Language::ZhTw, &r.customer.created_at);
    assert!(zh.contains(&format!("建立日期 {since}")), "{zh}");
    assert_eq!(
        iso_days(&zh),
        Vec::<&str>::new(),
        "reports say days as readers do: {zh}"
    );
}

/// What Microsoft credits paid of the usage not invoiced is printed beside the exposure,
/// never in it, in each currency it is known in, in both languages, after the usage no rate
/// converts; a report without any has no such line.
#[test]
fn the_customer_report_names_usage_credits_paid_apart_from_the_exposure() {
    let (_dir, conn, ctx) = demo();
    let id = id_of(&conn, "Nimbus Startup Studio Pte. Ltd.");
    let mut r = report::customer_report(&conn, ctx.today, ctx.now, id).unwrap();
    let edges = risk::RiskSettings::default().edges;
    let read = |r: &report::CustomerReport, lang| {
        pdftotext(&customer_risk_report(
            Paper::A4,
            &letterhead(),
            lang,
            r,
            edges,
        ))
    };
    assert!(r.score.exposure.usage_credited.is_empty());
    assert!(!read(&r, Language::En).contains("Microsoft credits"));
    let paid = |minor, code| Money::new(minor, Currency::parse(code).unwrap());
    r.score.exposure.usage_credited = vec![paid(123_456, "SGD"), paid(1, "USD")];
    let en = read(&r, Language::En);
    assert!(
        en.contains("Usage paid by Microsoft credits (not counted) S$1,234.56, US$0.01"),
        "{en}"
    );
    let zh = read(&r, Language::ZhTw);
    assert!(
        zh.contains("由 Microsoft 點數支付的用量（未計入） S$1,234.56, US$0.01"),
        "{zh}"
    );
    r.score.exposure.usage_unconverted = vec![paid(500, "USD")];
    let en = read(&r, Language::En);
    assert!(
        en.contains(
            "Usage no rate converts (not counted) US$5.00 Usage paid by Microsoft credits (not counted)"
        ),
        "{en}"
    );
}

#[test]
fn the_portfolio_report_counts_levels_ranks_the_planted_risks_and_counts_moves() {
    let (_dir, mut conn, ctx) = demo();
    let r = report::portfolio_report(&conn, ctx.today, ctx.now).unwrap();
    assert_eq!(r.customers, r.by_level.iter().sum::<usize>());
    // Over their limits, the furthest over first as a multiple of each one's own limit: the
    // Hong Kong dollars' 33 times comes before the Taiwan dollars' 14 times, though fewer
    // minor units over.
    let times = |s: &risk::RiskScore| (s.exposure.total_minor, s.exposure.credit_limit_minor);
    assert!(r.over_limit.windows(2).all(|w| {
        let ((a, a_limit), (b, b_limit)) = (times(&w[0]), times(&w[1]));
        i128::from(a) * i128::from(b_limit) >= i128::from(b) * i128::from(a_limit)
    }));
    assert_eq!(r.over_limit[0].name, "Victoria Harbour Media Ltd.");
    let en = pdftotext(&portfolio_risk_report(
        Paper::A4,
        &letterhead(),
        Language::En,
        &r,
    ));
    assert!(
        en.contains(&format!("Portfolio risk report {} customers", r.customers)),
        "{en}"
    );
    for (name, n) in ["Critical", "High", "Medium", "Low"]
        .iter()
        .zip(r.by_level.iter().rev())
    {
        assert!(
            en.contains(&format!("{name} {n}")),
            "{name} {n} not in {en}"
        );
    }
    assert!(en.contains("This is the first portfolio report"));
    // The look-alike batch, the unpaid purchase and the prepaid cards are in the top risks.
    for planted in [
        "Apex Cloud Trading Ltd",
        "Nimbus Startup Studio",
        "QuickMine Compute LLC",
    ] {
        assert!(
            r.top.iter().any(|s| s.name.starts_with(planted)),
            "{planted}"
        );
        assert!(en.contains(planted), "{planted} not in the report");
    }
    // A customer missing several checks has that reason once, counted, not once a check.
    let missing = "Onboarding check missing";
    assert!(en.contains(&format!("{missing} ×")), "{en}");
    assert!(!en.contains(&format!("{missing}; {missing}")), "{en}");
    assert!(en.contains("Unpaid purchases inside their cancellation window"));
    assert!(en.contains("Aging and days sales outstanding"));
    assert!(
        en.contains("Taipei Digital Marketing Ltd. full + Global Administrator (GDAP) 4"),
        "{en}"
    );
    // Times as a reader says them, never a stored stamp.
    assert_eq!(
        time_text(Language::En, "2026-11-22T04:12:40Z"),
        "22 November 2026, 04:12 UTC"
    );
    assert_eq!(
        time_text(Language::ZhTw, "2026-11-22T12:12:40+08:00"),
        "2026年11月22日 04:12 UTC"
    );
    assert_eq!(time_text(Language::En, "not a time"), "not a time");
    let late = r
        .notices_overdue
        .first()
        .expect("the demo plants a late notice");
    let deadline = if late.respond_overdue {
        &late.respond_by
    } else {
        &late.mitigate_by
    };
    assert!(en.contains(&time_text(Language::En, deadline)), "{en}");
    assert!(
        !en.contains(deadline.as_str()),
        "{deadline} printed raw: {en}"
    );
    // The relationship planted to run out in ten days.
    assert!(en.contains("Admin relationships (GDAP) expiring within 30 days"));
    assert!(en.contains("7 December 2026"), "{en}");
    // The credit line with Microsoft: the figures traced to the headroom, and the customers
    // Microsoft has already been paid for, the most first.
    let h = &r.credit_line;
    let limit = h.line.limit.expect("the demo sets a limit");
    assert!(
        en.contains(&format!(
            "Headroom {} of a limit of {}",
            h.headroom.unwrap().format(),
            limit.format()
        )),
        "{en}"
    );
    assert!(
        en.contains(&format!(
            "Microsoft's invoices unpaid {}",
            h.unpaid_invoices.format()
        )),
        "{en}"
    );
    assert_eq!(
        h.used.minor,
        h.unpaid_invoices.minor
            + h.open_credits.minor
            + h.unbilled_usage.minor
            + h.seats_this_month.minor
    );
    // The demo has no credit note from Microsoft: no line for one.
    assert!(!en.contains("credit notes"), "{en}");
    let first = h
        .customers
        .iter()
        .find(|c| c.paid_out.minor > 0)
        .expect("the demo has money paid out");
    assert!(en.contains("Customers past Microsoft's due date"));
    assert!(
        en.contains(&format!("{} {}", first.legal_name, first.paid_out.format())),
        "{en}"
    );

    // The report is written: the next one counts moves since. Pay off nothing, change the
    // settings so that one customer drops below the high edge, and compare.
    let tx = conn.transaction().unwrap();
    report::portfolio_written(&tx, &ctx).unwrap();
    tx.commit().unwrap();
    let lagos = id_of(&conn, "Lagos Cloud Ventures Ltd");
    let before = risk::scores(&conn, ctx.today, ctx.now, Some(lagos)).unwrap()[0].clone();
    assert_eq!(before.level, Level::High);
    let later = Ctx::new("t", ctx.now + chrono::Duration::minutes(5));
    let tx = conn.transaction().unwrap();
    risk::settings::save(
        &tx,
        &later,
        &[("risk.high_risk_countries".into(), String::new())],
    )
    .unwrap();
    risk::refresh(&tx, &later).unwrap();
    tx.commit().unwrap();
    let r2 = report::portfolio_report(&conn, later.today, later.now).unwrap();
    assert_eq!((r2.moved_up, r2.moved_down), (0, 1));
    let zh = pdftotext(&portfolio_risk_report(
        Paper::Letter,
        &letterhead(),
        Language::ZhTw,
        &r2,
    ));
    for want in [
        "客戶組合風險報告",
        &format!("共 {} 位客戶", r2.customers),
        // When the last report was written, as a reader says it.
        "自上次報告（2026年11月27日 12:00 UTC）以來",
        "0 位客戶升至較高等級，1 位降至較低等級",
        "最高風險客戶",
        "帳齡與應收帳款週轉天數",
        "仍在可取消期間內的未付款訂閱",
        "Microsoft 信用額度",
        "已過 Microsoft 到期日的客戶（已先付給 Microsoft）",
    ] {
        assert!(zh.contains(want), "{want:?} not in {zh}");
    }
    assert_eq!(
        iso_days(&zh),
        Vec::<&str>::new(),
        "reports say days as readers do: {zh}"
    );
}

/// The portfolio's aging gives the credit each currency's customers hold (paid ahead,
/// overpaid), as the receivables page does, beside what they owe and never netted into it.
#[test]
fn the_portfolio_aging_lists_the_credit_held_per_currency() {
    use riskdesk_core::test_support::{cur, customer, d, pay};
    let (_dir, mut conn, ctx) = demo();
    let kyoto = customer(&mut conn, "Kyoto Prepaid KK", "JPY", "JP");
    pay(
        &mut conn,
        kyoto,
        "MUFG-0001",
        d(2026, 11, 20),
        riskdesk_core::money::Money {
            minor: 50_000,
            currency: cur("JPY"),
        },
    );
    let r = report::portfolio_report(&conn, ctx.today, ctx.now).unwrap();
    let jpy = r.aging.iter().find(|a| a.currency.code() == "JPY").unwrap();
    assert_eq!(jpy.credit_minor, 50_000);
    let read = |lang| pdftotext(&portfolio_risk_report(Paper::A4, &letterhead(), lang, &r));
    let en = read(Language::En);
    assert!(en.contains("Credit held"), "{en}");
    // The demo's yen customers owe ¥647,500, all current; the credit stands beside it.
    assert!(
        en.contains("JPY ¥647,500 ¥0 ¥0 ¥0 ¥0 ¥647,500 ¥50,000 39.0"),
        "{en}"
    );
    // No cell wraps: the largest figure, the Taiwan dollars' total (NT$1,060,973.57), is
    // whole on its line, beside the credit the demo's customer who paid a quarter ahead holds.
    let twd = r.aging.iter().find(|a| a.currency.code() == "TWD").unwrap();
    let figure = |minor| riskdesk_core::money::Money::new(minor, cur("TWD")).format();
    assert!(twd.credit_minor > 0);
    let cells = format!("{} {}", figure(twd.total_minor), figure(twd.credit_minor));
    assert!(en.contains(&cells), "{cells} not in {en}");
    let zh = read(Language::ZhTw);
    assert!(zh.contains("溢繳餘額"), "{zh}");
    assert!(zh.contains("¥50,000"), "{zh}");
}

/// A credit note from Microsoft not applied yet has its own line under the unpaid invoices,
/// in each language, and the line's use is the sum of what the table lists.
#[test]
fn the_portfolio_names_microsoft_s_credit_notes_not_applied_yet() {
    use riskdesk_core::microsoft::invoices::{self, MsInvoiceInput};
    let (_dir, mut conn, ctx) = demo();
    let before = report::portfolio_report(&conn, ctx.today, ctx.now)
        .unwrap()
        .credit_line;
    let tx = conn.transaction().unwrap();
    invoices::add(
        &tx,
        &ctx,
        &MsInvoiceInput {
            number: "CN-2611".into(),
            invoice_date: "2026-11-20".into(),
            amount: "-45,000.50".into(),
            currency: "TWD".into(),
            ..Default::default()
        },
        60,
    )
    .unwrap();
    tx.commit().unwrap();
    let r = report::portfolio_report(&conn, ctx.today, ctx.now).unwrap();
    let h = &r.credit_line;
    assert_eq!(h.open_credits.minor, -4_500_050);
    assert_eq!(h.used.minor, before.used.minor - 4_500_050);
    assert_eq!(h.unpaid_invoices, before.unpaid_invoices);
    let read = |lang| pdftotext(&portfolio_risk_report(Paper::A4, &letterhead(), lang, &r));
    let en = read(Language::En);
    assert!(
        en.contains("Microsoft's credit notes not applied yet -NT$45,000.50"),
        "{en}"
    );
    assert!(en.contains(&format!("Used {}", h.used.format())), "{en}");
    let zh = read(Language::ZhTw);
    assert!(
        zh.contains("Microsoft 尚未抵用的折讓單 -NT$45,000.50"),
        "{zh}"
    );
}
