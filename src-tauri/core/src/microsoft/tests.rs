//! The credit line with Microsoft to the minor unit: a book with usage files over two months
//! (in the line's currency, in US dollars at the owner's rate, and in yen no rate converts),
//! seats billed monthly and a year upfront, Microsoft's invoices paid and unpaid, and the
//! customers' own invoices; the alerts raised once per threshold per month.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::headroom::{headroom, raise_alerts};
use super::invoices::{self, MsInvoiceInput};
use super::CreditLineInput;
use crate::customer::{self, CustomerInput};
use crate::ids::CustomerId;
use crate::money::Money;
use crate::subscription::{self, SubscriptionInput};
use crate::test_support::{ctx_on, cur, customer_input, d, invoice, ledger_db};
use crate::Result;

const TA: &str = "11111111-1111-4111-8111-111111111111";
const TB: &str = "22222222-2222-4222-8222-222222222222";
const TC: &str = "33333333-3333-4333-8333-333333333333";

const HEADER: &str = "CustomerId,CustomerName,CustomerDomainName,InvoiceNumber,EntitlementId,UsageDate,MeterCategory,MeterSubCategory,MeterName,ResourceLocation,UnitType,Quantity,BillingPreTaxTotal,BillingCurrency,PricingCurrency,PCToBCExchangeRate";

/// An unbilled usage file: each tenant one line a day over `[from, to]`, `amount` each day.
fn usage_file(rows: &[(&str, &str, NaiveDate, NaiveDate)]) -> String {
    let mut out = format!("{HEADER}\n");
    for (tenant, amount, from, to) in rows {
        let currency = amount.split(' ').next().unwrap();
        let value = amount.split(' ').nth(1).unwrap();
        let mut day = *from;
        while day <= *to {
            out.push_str(&format!(
                "{tenant},T {t},{t}.onmicrosoft.com,,{tenant},{day},Storage,Blob,LRS Data Stored,EASTASIA,1 GB/Month,1,{value},{currency},{currency},1\n",
                t = &tenant[..8]
            ));
            day = day.succ_opt().unwrap();
        }
    }
    out
}

fn import_usage(conn: &mut Connection, on: NaiveDate, name: &str, text: &str) {
    let tx = conn.transaction().unwrap();
    crate::usage::import_usage(&tx, &ctx_on(on), name, text.as_bytes(), None, |_, _| {}).unwrap();
    tx.commit().unwrap();
}

fn with_tenant(conn: &mut Connection, name: &str, currency: &str, tenant: &str) -> CustomerId {
    let tx = conn.transaction().unwrap();
    let input = CustomerInput {
        tenant_id: tenant.into(),
        ..customer_input(name, currency, "TW")
    };
    let c = customer::create(&tx, &ctx_on(d(2026, 1, 2)), &input).unwrap();
    tx.commit().unwrap();
    c.id
}

fn seats(
    conn: &mut Connection,
    c: CustomerId,
    qty: &str,
    price: &str,
    start: &str,
    term: &str,
    billing: &str,
) {
    let tx = conn.transaction().unwrap();
    subscription::add(
        &tx,
        &ctx_on(d(2026, 11, 3)),
        c,
        &SubscriptionInput {
            offer: "Microsoft 365 Business Standard".into(),
            pc_subscription_id: String::new(),
            quantity: qty.into(),
            monthly_price: price.into(),
            start_on: start.into(),
            term: term.into(),
            billing: billing.into(),
        },
    )
    .unwrap();
    tx.commit().unwrap();
}

pub(super) fn ms_invoice(
    conn: &mut Connection,
    on: NaiveDate,
    number: &str,
    date: &str,
    amount: &str,
    paid: &str,
) -> Result<()> {
    let tx = conn.transaction().unwrap();
    invoices::add(
        &tx,
        &ctx_on(on),
        &MsInvoiceInput {
            number: number.into(),
            invoice_date: date.into(),
            amount: amount.into(),
            currency: "TWD".into(),
            due_on: String::new(),
            paid_on: paid.into(),
        },
        60,
    )?;
    tx.commit().unwrap();
    Ok(())
}

fn set_line(conn: &mut Connection, limit: &str) {
    let line = CreditLineInput {
        limit: limit.into(),
        currency: "TWD".into(),
        terms_days: "60".into(),
        thresholds: "80,100".into(),
    }
    .parse()
    .unwrap();
    let tx = conn.transaction().unwrap();
    line.save(&tx, &ctx_on(d(2026, 11, 1))).unwrap();
    tx.commit().unwrap();
}

pub(super) fn twd(minor: i64) -> Money {
    Money::new(minor, cur("TWD"))
}

/// The book: Harbour (TWD, tenant A) and Pacific (USD, tenant B), and tenant C linked to no
/// one, billed in yen.
fn book() -> (tempfile::TempDir, Connection, CustomerId, CustomerId) {
    let (dir, mut conn) = ledger_db();
    let a = with_tenant(&mut conn, "Harbour Logistics Ltd", "TWD", TA);
    let b = with_tenant(&mut conn, "Pacific Dental Group", "USD", TB);
    // Monthly seats from the 15th; a year's seats billed upfront from 3 November.
    seats(
        &mut conn,
        a,
        "10",
        "300",
        "2026-01-15",
        "monthly",
        "monthly",
    );
    seats(&mut conn, b, "5", "20", "2026-11-03", "annual", "upfront");
    let tx = conn.transaction().unwrap();
    crate::usage::rates::set(
        &tx,
        &ctx_on(d(2026, 11, 1)),
        "2026-10-01",
        "USD",
        "TWD",
        "32.5",
        "",
    )
    .unwrap();
    tx.commit().unwrap();
    import_usage(
        &mut conn,
        d(2026, 11, 25),
        "unbilled-2026-11.csv",
        &usage_file(&[
            (TA, "TWD 1000.01", d(2026, 10, 25), d(2026, 11, 24)),
            (TB, "USD 10.00", d(2026, 11, 1), d(2026, 11, 24)),
            (TC, "JPY 500", d(2026, 11, 10), d(2026, 11, 10)),
        ]),
    );
    // Harbour owes an invoice of September (Microsoft's due date for it, 31 October, passed)
    // and one of November; Pacific one of November in dollars.
    invoice(
        &mut conn,
        a,
        "HL-0901",
        (d(2026, 9, 1), d(2026, 10, 1)),
        5_000_000,
        "TWD",
    );
    invoice(
        &mut conn,
        a,
        "HL-1101",
        (d(2026, 11, 1), d(2026, 12, 1)),
        2_000_000,
        "TWD",
    );
    invoice(
        &mut conn,
        b,
        "PD-1101",
        (d(2026, 11, 1), d(2026, 12, 1)),
        100_000,
        "USD",
    );
    ms_invoice(
        &mut conn,
        d(2026, 11, 9),
        "MS-2610",
        "2026-10-08",
        "300,000.00",
        "",
    )
    .unwrap();
    ms_invoice(
        &mut conn,
        d(2026, 11, 9),
        "MS-2611",
        "2026-11-08",
        "250000.50",
        "",
    )
    .unwrap();
    (dir, conn, a, b)
}

#[test]
fn amounts_no_rate_converts_are_one_figure_per_currency() {
    let (_dir, mut conn) = ledger_db();
    let g = with_tenant(&mut conn, "Thames Cloud Ltd", "GBP", TA);
    invoice(
        &mut conn,
        g,
        "TC-1101",
        (d(2026, 11, 1), d(2026, 12, 1)),
        90_000,
        "GBP",
    );
    set_line(&mut conn, "1,000,000");
    // No rate connects pounds, yen or euros with the line's NT dollars: three days of pounds
    // for the customer, two of yen and a cent of euros for tenants linked to no one.
    import_usage(
        &mut conn,
        d(2026, 11, 25),
        "unbilled-2026-11.csv",
        &usage_file(&[
            (TA, "GBP 12.34", d(2026, 11, 1), d(2026, 11, 3)),
            (TC, "JPY 500", d(2026, 11, 10), d(2026, 11, 11)),
            (TB, "EUR 0.01", d(2026, 11, 2), d(2026, 11, 2)),
        ]),
    );
    let h = headroom(&conn, d(2026, 11, 19)).unwrap();
    assert_eq!(h.unbilled_usage, twd(0));
    // Summed per currency, in code order: what the window and the report list.
    assert_eq!(
        h.unconverted,
        vec![
            Money::new(1, cur("EUR")),
            Money::new(3 * 1_234, cur("GBP")),
            Money::new(2 * 500, cur("JPY")),
        ]
    );
    // The customer's own line: its usage and its open invoice, one figure in pounds.
    let gap = h.customers.iter().find(|c| c.customer_id == g).unwrap();
    assert_eq!(
        gap.unconverted,
        vec![Money::new(3 * 1_234 + 90_000, cur("GBP"))]
    );
}

#[test]
fn the_headroom_adds_up_to_the_minor_unit() {
    let (_dir, mut conn, a, b) = book();
    set_line(&mut conn, "1,000,000");

    // 19 November: both Microsoft invoices unpaid; usage from 1 November (the latest
    // invoice's month), 19 days of each tenant; the month's seat charges begun by then.
    let h = headroom(&conn, d(2026, 11, 19)).unwrap();
    assert_eq!(h.unbilled_since, d(2026, 11, 1));
    assert_eq!(h.unpaid_invoices, twd(55_000_050));
    assert_eq!(h.unbilled_usage, twd(19 * 100_001 + 19 * 32_500));
    // 10 seats × NT$300 from the 15th; 12 months × 5 seats × US$20 at 32.5.
    assert_eq!(h.seats_this_month, twd(300_000 + 3_900_000));
    assert_eq!(h.used, twd(55_000_050 + 1_900_019 + 617_500 + 4_200_000));
    assert_eq!(h.headroom, Some(twd(100_000_000 - 61_717_569)));
    assert_eq!(h.used_basis_points, Some(6171));
    // The yen no rate converts is shown apart, never counted as zero.
    assert_eq!(h.unconverted, vec![Money::new(500, cur("JPY"))]);

    // Microsoft's October invoice paid on the 20th; the 25th: 24 days of usage.
    let tx = conn.transaction().unwrap();
    invoices::set_paid(
        &tx,
        &ctx_on(d(2026, 11, 20)),
        "MS-2610",
        Some(d(2026, 11, 20)),
    )
    .unwrap();
    tx.commit().unwrap();
    let h = headroom(&conn, d(2026, 11, 25)).unwrap();
    assert_eq!(h.unpaid_invoices, twd(25_000_050));
    assert_eq!(h.unbilled_usage, twd(24 * 100_001 + 24 * 32_500));
    assert_eq!(h.used, twd(25_000_050 + 2_400_024 + 780_000 + 4_200_000));
    assert_eq!(
        h.unpaid
            .iter()
            .map(|i| i.number.as_str())
            .collect::<Vec<_>>(),
        ["MS-2611"]
    );
    // As it stood on the 19th, the paid invoice was still unpaid.
    assert_eq!(
        headroom(&conn, d(2026, 11, 19)).unwrap().unpaid_invoices,
        twd(55_000_050)
    );

    // The cash gap: Harbour has money paid out (September's invoice, Microsoft's due date
    // 31 October passed) and comes first.
    let g = &h.customers;
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].customer_id, a);
    assert_eq!(g[0].paid_out, twd(5_000_000));
    assert_eq!(g[0].paid_out_since, Some(d(2026, 10, 31)));
    assert_eq!(g[0].upcoming, twd(2_000_000));
    assert_eq!(g[0].upcoming_due, Some(d(2026, 12, 31)));
    assert_eq!(g[0].unbilled, twd(2_400_024 + 300_000));
    assert_eq!(g[0].unbilled_due, d(2027, 1, 30));
    assert_eq!(g[0].customer_due, Some(d(2026, 10, 1)));
    assert_eq!(g[1].customer_id, b);
    assert_eq!(g[1].paid_out, twd(0));
    assert_eq!(g[1].upcoming, twd(3_250_000));
    assert_eq!(g[1].unbilled, twd(780_000 + 3_900_000));

    // December: Microsoft's November invoice is in; usage from 1 December only.
    import_usage(
        &mut conn,
        d(2026, 12, 10),
        "unbilled-2026-12.csv",
        &usage_file(&[(TA, "TWD 0.01", d(2026, 11, 25), d(2026, 12, 9))]),
    );
    ms_invoice(
        &mut conn,
        d(2026, 12, 10),
        "MS-2612",
        "2026-12-08",
        "280000",
        "",
    )
    .unwrap();
    let h = headroom(&conn, d(2026, 12, 10)).unwrap();
    assert_eq!(h.unbilled_since, d(2026, 12, 1));
    assert_eq!(h.unpaid_invoices, twd(25_000_050 + 28_000_000));
    assert_eq!(h.unbilled_usage, twd(9));
    // No seat period begins between 1 and 10 December (Harbour's on the 15th).
    assert_eq!(h.seats_this_month, twd(0));
    let h = headroom(&conn, d(2026, 12, 15)).unwrap();
    assert_eq!(h.seats_this_month, twd(300_000));
}

/// A credit note from Microsoft (a negative amount) gives headroom back until the day it is
/// applied; it is not an unpaid invoice, and an invoice of zero is neither.
#[test]
fn credit_notes_give_headroom_back_until_they_are_applied() {
    let (_dir, mut conn, _, _) = book();
    set_line(&mut conn, "1,000,000");
    let before = headroom(&conn, d(2026, 11, 19)).unwrap();
    assert_eq!(before.used, twd(61_717_569));
    ms_invoice(
        &mut conn,
        d(2026, 11, 12),
        "CN-1",
        "2026-11-12",
        "-12,000.05",
        "",
    )
    .unwrap();
    ms_invoice(&mut conn, d(2026, 11, 12), "Z-0", "2026-11-12", "0", "").unwrap();
    let tx = conn.transaction().unwrap();
    let usd = invoices::add(
        &tx,
        &ctx_on(d(2026, 11, 13)),
        &MsInvoiceInput {
            number: "CN-2".into(),
            invoice_date: "2026-11-13".into(),
            amount: "-10.00".into(),
            currency: "USD".into(),
            ..Default::default()
        },
        60,
    )
    .unwrap();
    tx.commit().unwrap();
    assert!(usd.is_credit() && usd.open_credit_on(d(2026, 11, 13)));
    assert!(!usd.owed_on(d(2026, 11, 13)));

    let h = headroom(&conn, d(2026, 11, 19)).unwrap();
    assert_eq!(h.unpaid_invoices, before.unpaid_invoices);
    let numbers =
        |l: &[invoices::MsInvoice]| l.iter().map(|i| i.number.clone()).collect::<Vec<_>>();
    assert_eq!(numbers(&h.unpaid), ["MS-2610", "MS-2611"]);
    assert_eq!(numbers(&h.credits), ["CN-1", "CN-2"]);
    // US$10 at the owner's 32.5: NT$325.
    assert_eq!(h.open_credits, twd(-1_200_005 - 32_500));
    assert_eq!(h.used, twd(61_717_569 - 1_200_005 - 32_500));
    assert_eq!(h.headroom, Some(twd(100_000_000 - 61_717_569 + 1_232_505)));
    // Before it was issued, a credit note counts for nothing.
    assert_eq!(
        headroom(&conn, d(2026, 11, 12)).unwrap().open_credits,
        twd(-1_200_005)
    );

    // Applied to Microsoft's next invoice on the 18th: from then on, it gives nothing back.
    let tx = conn.transaction().unwrap();
    invoices::set_paid(&tx, &ctx_on(d(2026, 11, 18)), "CN-1", Some(d(2026, 11, 18))).unwrap();
    tx.commit().unwrap();
    let h = headroom(&conn, d(2026, 11, 19)).unwrap();
    assert_eq!(numbers(&h.credits), ["CN-2"]);
    assert_eq!(h.open_credits, twd(-32_500));
    assert_eq!(h.used, twd(61_717_569 - 32_500));
    assert_eq!(
        headroom(&conn, d(2026, 11, 17)).unwrap().open_credits,
        twd(-1_232_505)
    );

    // A credit note issued on 3 December, before Microsoft's December invoice: November's
    // usage is still not billed, so it still counts from 1 November.
    ms_invoice(&mut conn, d(2026, 12, 3), "CN-3", "2026-12-03", "-1", "").unwrap();
    let h = headroom(&conn, d(2026, 12, 4)).unwrap();
    assert_eq!(h.unbilled_since, d(2026, 11, 1));
    assert_eq!(h.unbilled_usage, twd(24 * 100_001 + 24 * 32_500));

    // A credit note larger than all the line uses: the use goes below nothing and the
    // headroom above the limit, with no alert; nothing overflows.
    let huge = "-9,000,000,000,000.00";
    ms_invoice(&mut conn, d(2026, 12, 4), "CN-4", "2026-12-04", huge, "").unwrap();
    let h = headroom(&conn, d(2026, 12, 4)).unwrap();
    assert!(h.used.minor < 0, "{:?}", h.used);
    assert!(h.used_basis_points.unwrap() < 0);
    assert!(h.headroom.unwrap().minor > 100_000_000);
    assert_eq!(
        raise_alerts(&conn.transaction().unwrap(), &ctx_on(d(2026, 12, 4))).unwrap(),
        0
    );
}

#[test]
fn an_alert_is_raised_once_per_threshold_per_month() {
    let (_dir, mut conn, _, _) = book();
    let raise = |conn: &mut Connection, on: NaiveDate| {
        let tx = conn.transaction().unwrap();
        let n = raise_alerts(&tx, &ctx_on(on)).unwrap();
        tx.commit().unwrap();
        n
    };
    // No limit: nothing to measure against.
    assert_eq!(raise(&mut conn, d(2026, 11, 19)), 0);
    // Used NT$617,175.69 of NT$700,000: 88 %.
    set_line(&mut conn, "700000");
    assert_eq!(raise(&mut conn, d(2026, 11, 19)), 1);
    assert_eq!(raise(&mut conn, d(2026, 11, 19)), 0, "once");
    assert_eq!(raise(&mut conn, d(2026, 11, 20)), 0, "once a month");
    ms_invoice(
        &mut conn,
        d(2026, 11, 21),
        "MS-X",
        "2026-11-21",
        "100000",
        "",
    )
    .unwrap();
    assert_eq!(raise(&mut conn, d(2026, 11, 21)), 1, "100 % reached");
    // A new month: each threshold still reached is raised again, once. On 2 December the
    // month's seats have not begun: NT$681,800.74 used, 97 %: only 80 %.
    assert_eq!(raise(&mut conn, d(2026, 12, 2)), 1);
    assert_eq!(raise(&mut conn, d(2026, 12, 3)), 0);
    let alerts = crate::usage::alerts::list(&conn, Default::default()).unwrap();
    let mine: Vec<_> = alerts
        .iter()
        .filter(|a| a.kind == crate::usage::alerts::AlertKind::Headroom.as_str())
        .collect();
    assert_eq!(mine.len(), 3);
    assert!(mine.iter().all(|a| a.customer_id.is_none()));
    assert!(
        mine.iter().any(|a| a
            .title_en
            .starts_with("Credit line with Microsoft 80% used: NT$617,175.69 of NT$700,000")),
        "{:?}",
        mine.iter().map(|a| &a.title_en).collect::<Vec<_>>()
    );
}
