//! The usage, alert, notice and incident commands, tested without a window on the demo
//! company (see `tests` for the fixture).

use super::tests::{audit_rows, fixture, host, refused, BAD_AMOUNTS, BAD_DATES};
use super::{incidents, notices, rates, usage};

#[test]
fn a_usage_file_from_a_chosen_path_reports_progress_and_imports_once() {
    let mut f = fixture();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/core/tests/samples/daily_rated_usage_billed_2024-12.csv");
    let size = std::fs::metadata(&sample).unwrap().len();
    let mut h = host(&mut f);
    let mut seen = Vec::new();
    let first = usage::import_paths(
        &mut h,
        std::slice::from_ref(&sample),
        "auto",
        None,
        &mut |b, r, t| seen.push((b, r, t)),
    )
    .unwrap();
    assert_eq!(first.summary.rows, 868);
    assert_eq!(first.summary.days_added, 8 * 31);
    let last = *seen.last().unwrap();
    assert_eq!(last, (size, 868, size), "the last report is the whole file");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "bytes only grow");
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    let again = usage::import_paths(
        &mut h,
        std::slice::from_ref(&sample),
        "auto",
        None,
        &mut |_, _, _| {},
    )
    .unwrap();
    assert!(!again.summary.changed());
    assert_eq!(again.evaluation.new_alerts, 0);
    assert_eq!(audit_rows(&f), before, "nothing written the second time");
    // The same rows in two parts of one export, chosen together: one import, the whole
    // file's rows, the bytes of both counted, nothing changed.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&sample).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let parts: Vec<std::path::PathBuf> = [&lines[1..400], &lines[400..]]
        .iter()
        .enumerate()
        .map(|(i, rows)| {
            let path = dir.path().join(format!("part-{}.csv", i + 1));
            std::fs::write(&path, format!("{}{}", lines[0], rows.concat())).unwrap();
            path
        })
        .collect();
    let sizes: u64 = parts
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    let mut h = host(&mut f);
    let mut last = (0, 0, 0);
    let both = usage::import_paths(&mut h, &parts, "auto", None, &mut |b, r, t| {
        last = (b, r, t)
    })
    .unwrap();
    assert_eq!(both.file, "part-1.csv (and 1 more file)");
    assert_eq!(both.summary.rows, 868);
    assert!(!both.summary.changed());
    assert_eq!(last, (sizes, 868, sizes));
    assert_eq!(
        audit_rows(&f),
        before,
        "nothing written: the parts are the file"
    );
    let mut h = host(&mut f);
    refused(
        usage::import_paths(
            &mut h,
            std::slice::from_ref(&sample),
            "excel",
            None,
            &mut |_, _, _| {},
        ),
        "format",
    );
    // A FOCUS export of one customer's own names no customer: the window says which
    // column is missing (in both languages), then imports it for the customer chosen, in
    // that customer's tenant.
    let reference =
        sample.with_file_name("reference/focus_spec_azure_reservation_no_upfront_100pct.head3.csv");
    let Err(e) = usage::import_paths(
        &mut h,
        std::slice::from_ref(&reference),
        "auto",
        None,
        &mut |_, _, _| {},
    ) else {
        panic!("a FOCUS export naming no customer was imported without one");
    };
    assert_eq!(e.problems.len(), 1, "{e:?}");
    assert_eq!(e.problems[0].field, "x_CustomerId");
    assert_eq!(
        e.problems[0].code,
        riskdesk_core::error::Code::NoCustomerColumn
    );
    crate::error::locales::assert_translated(&e);
    let (id, tenant): (i64, String) = h
        .conn
        .query_row(
            "SELECT id, lower(tenant_id) FROM customers WHERE tenant_id <> '' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let whose = Some(riskdesk_core::ids::CustomerId(id));
    let r = usage::import_paths(
        &mut h,
        std::slice::from_ref(&reference),
        "auto",
        whose,
        &mut |_, _, _| {},
    )
    .unwrap();
    assert_eq!((r.summary.rows, r.summary.days_added), (2, 1));
    assert_eq!(r.summary.tenants[0].tenant_id, tenant);
    assert_eq!(r.summary.tenants[0].customer_id, whose);
    // The reservation's purchase is told to the window, in the customer's name, as JSON.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["purchases"][0]["customer_id"], id);
    assert_eq!(json["purchases"][0]["rows"], 1);
    assert_eq!(json["purchases"][0]["amount"]["minor"], 5_533_400);
    assert_eq!(json["purchases"][0]["amount"]["currency"], "USD");
    // The eight sample tenants match no demo customer: all listed to link.
    let o = usage::overview(h.conn, &h.ctx).unwrap();
    assert_eq!(
        o.tenants.iter().filter(|t| t.customer_id.is_none()).count(),
        8
    );
}

#[test]
fn budget_and_alert_commands_refuse_bad_input_and_write_nothing() {
    let mut f = fixture();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    let budget = |amount: &str, thresholds: &str| usage::BudgetInput {
        customer_id: 1,
        subscription: String::new(),
        amount: amount.into(),
        thresholds: thresholds.into(),
        currency: String::new(),
    };
    for a in BAD_AMOUNTS {
        refused(usage::set_budget(&mut h, budget(a, "")), "amount");
    }
    for t in ["0", "50,abc", "=1+1", "1001", "<b>50</b>"] {
        refused(usage::set_budget(&mut h, budget("1000", t)), "thresholds");
    }
    refused(
        usage::set_budget(
            &mut h,
            usage::BudgetInput {
                customer_id: 0,
                ..budget("1000", "")
            },
        ),
        "customer_id",
    );
    for c in ["XYZ", "=1+1", "US"] {
        refused(
            usage::set_budget(
                &mut h,
                usage::BudgetInput {
                    currency: c.into(),
                    ..budget("1000", "")
                },
            ),
            "currency",
        );
    }
    refused(usage::set_alert(&mut h, 1, "deleted", ""), "status");
    refused(usage::set_alert(&mut h, 0, "open", ""), "id");
    refused(usage::link_tenant(&mut h, "<script>", Some(1)), "tenant");
    refused(usage::customer_usage(h.conn, &h.ctx, -1), "customer_id");
    assert_eq!(audit_rows(&f), before);

    // The demo's alerts, resolved with a note that is kept as text.
    let mut h = host(&mut f);
    let alerts = usage::list_alerts(h.conn, false, None).unwrap();
    assert!(!alerts.is_empty());
    let note = "=HYPERLINK(\"x\") <img src=x onerror=alert(1)>";
    refused(
        usage::set_alert(&mut h, alerts[0].id, "resolved", "  "),
        "note",
    );
    usage::set_alert(&mut h, alerts[0].id, "resolved", note).unwrap();
    let all = usage::list_alerts(h.conn, true, None).unwrap();
    assert_eq!(
        all.iter().find(|a| a.id == alerts[0].id).unwrap().note,
        note
    );
    let chart = usage::customer_usage(h.conn, &h.ctx, alerts[0].customer_id.unwrap().0).unwrap();
    assert!(chart.days.len() >= 90, "{}", chart.days.len());
}

#[test]
fn notice_and_incident_commands_refuse_bad_input_and_keep_text_as_text() {
    let mut f = fixture();
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    let notice = |kind: &str, title: &str, at: &str| notices::NoticeInput {
        kind: kind.into(),
        title: title.into(),
        customer_id: Some(1),
        subscription: String::new(),
        received_at: at.into(),
        text: String::new(),
    };
    refused(notices::add(&mut h, notice("spam", "x", "")), "kind");
    refused(notices::add(&mut h, notice("other", "", "")), "title");
    for d in BAD_DATES.iter().filter(|d| !d.is_empty()) {
        refused(notices::add(&mut h, notice("other", "x", d)), "received_at");
    }
    refused(notices::set_status(&mut h, 1, "done", "", ""), "status");
    refused(
        notices::set_status(&mut h, 0, "investigating", "", ""),
        "id",
    );
    for d in BAD_DATES.iter().filter(|d| !d.is_empty()) {
        refused(
            notices::set_status(&mut h, 1, "resolved_fraud", "n", d),
            "fraud_from",
        );
        refused(notices::claim(&mut h, 1, d), "claim_filed_on");
    }
    let incident = |category: &str, summary: &str| incidents::IncidentInput {
        customer_id: 1,
        category: category.into(),
        summary: summary.into(),
        links: vec![],
    };
    refused(
        incidents::open(&mut h, incident("phishing", "x")),
        "category",
    );
    refused(incidents::open(&mut h, incident("spam", "")), "summary");
    refused(
        incidents::open(
            &mut h,
            incidents::IncidentInput {
                links: vec![("invoice".into(), 1)],
                ..incident("spam", "x")
            },
        ),
        "links",
    );
    refused(
        incidents::act(&mut h, 1, "delete_tenant", None, ""),
        "action",
    );
    refused(incidents::link(&mut h, 0, "alert", 1), "id");
    refused(incidents::link(&mut h, 1, "invoice", 1), "kind");
    refused(incidents::link(&mut h, 1, "alert", -1), "ref_id");
    assert_eq!(audit_rows(&f), before, "nothing written");

    let mut h = host(&mut f);
    let html = "<img src=x onerror=alert(1)> =1+1";
    let id = notices::add(
        &mut h,
        notice("acceptable_use", html, "2026-11-20T08:00:00Z"),
    )
    .unwrap();
    let listed = notices::list(h.conn, &h.ctx).unwrap();
    let n = listed.iter().find(|n| n.id == id).unwrap();
    assert_eq!(n.title, html);
    assert!(n.respond_overdue, "received days ago, never answered");
    let inc = incidents::open(
        &mut h,
        incidents::IncidentInput {
            links: vec![("notice".into(), id)],
            ..incident("spam", html)
        },
    )
    .unwrap();
    incidents::act(&mut h, inc, "contact_customer", None, "Called.").unwrap();
    // A second notice of the same customer added to the incident as evidence, once.
    let second = notices::add(
        &mut h,
        notice("other", "A second complaint", "2026-11-21T08:00:00Z"),
    )
    .unwrap();
    incidents::link(&mut h, inc, "notice", second).unwrap();
    incidents::link(&mut h, inc, "notice", second).unwrap();
    let all = incidents::list(h.conn).unwrap();
    let i = all.iter().find(|i| i.id == inc).unwrap();
    assert_eq!(i.summary, html);
    let links: Vec<(String, i64)> = i.links.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(links, [("notice".into(), id), ("notice".into(), second)]);
}

#[test]
fn onboarding_refuses_a_prepaid_card_full_admin_and_activation_without_checks() {
    use super::customers;
    let mut f = fixture();
    let input =
        |instrument: &str, admin: &str, status: &str| riskdesk_core::customer::CustomerInput {
            language: "zh-TW".into(),
            payment_instrument: instrument.into(),
            admin_access: admin.into(),
            status: status.into(),
            ..riskdesk_core::test_support::customer_input("New Reseller Customer", "TWD", "TW")
        };
    let before = audit_rows(&f);
    let mut h2 = host(&mut f);
    refused(
        customers::create(
            &mut h2,
            &input("prepaid_card", "none", "prospect"),
            None,
            &[],
        ),
        "payment_instrument",
    );
    refused(
        customers::create(
            &mut h2,
            &input("bank_transfer", "full", "prospect"),
            Some("trust me"),
            &[],
        ),
        "admin_access",
    );
    refused(
        customers::create(
            &mut h2,
            &input("bank_transfer", "none", "active"),
            None,
            &[],
        ),
        "status",
    );
    assert_eq!(audit_rows(&f), before, "nothing written");
    // With a reason, the prepaid card and the activation pass, and the overrides are audited.
    let mut h = host(&mut f);
    let c = customers::create(
        &mut h,
        &input("prepaid_card", "none", "active"),
        Some("Card of the owner, verified by phone"),
        &[],
    )
    .unwrap();
    let overrides: i64 = f
        .conn
        .query_row(
            "SELECT count(*) FROM audit WHERE entity = 'customer' AND entity_id = ?1 AND action = 'onboarding_override'",
            [c.id.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(overrides, 2);
    // Full admin access stays refused until the checks are done.
    let mut h = host(&mut f);
    let mut full = c.fields.to_input();
    full.admin_access = "full".into();
    refused(
        customers::update(&mut h, c.id.0, &full, Some("please")),
        "admin_access",
    );
    // The wizard's checks are recorded with the customer: active without an override, and
    // the prepayment the setting asks for is requested in the same transaction.
    let checks: Vec<customers::CheckInput> = [
        "phone_contact",
        "credit_check",
        "mfa",
        "identity_verified",
        "policy_acknowledged",
    ]
    .iter()
    .map(|item| customers::CheckInput {
        item: item.to_string(),
        done_on: "2026-11-20".into(),
        done_by: "Owner".into(),
        reference: "TCRI-2026-001".into(),
        note: String::new(),
    })
    .collect();
    let mut h = host(&mut f);
    super::risk::save_settings(&mut h, &[("onboarding.prepayment".into(), "always".into())])
        .unwrap();
    let mut active = input("bank_transfer", "full", "active");
    active.credit_limit = "80000".into();
    let c = customers::create(&mut h, &active, None, &checks).unwrap();
    assert_eq!(
        riskdesk_core::customer::checks(h.conn, c.id).unwrap().len(),
        5
    );
    let asked = riskdesk_core::receivables::prepayments(h.conn, Some(c.id)).unwrap();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].amount.minor, 8_000_000);
    // One check short of the required ones: activation is refused, nothing is written.
    let before = audit_rows(&f);
    let mut h = host(&mut f);
    refused(
        customers::create(
            &mut h,
            &input("bank_transfer", "none", "active"),
            None,
            &checks[1..],
        ),
        "status",
    );
    assert_eq!(audit_rows(&f), before);
}

#[test]
fn thresholds_are_saved_all_or_none_and_rates_are_checked() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let before = rates::exchange_rates(h.conn).unwrap();
    let reference = |v: &rates::RatesView| {
        v.settings
            .iter()
            .find(|(k, _)| k == "usage.reference_currency")
            .map(|(_, v)| v.clone())
    };
    assert_eq!(reference(&before).as_deref(), Some("USD"));
    // One bad value refuses the lot: the good one is not saved either.
    refused(
        rates::save_usage_settings(
            &mut h,
            &[
                ("usage.reference_currency".into(), "TWD".into()),
                ("usage.gpu_sustained_hours".into(), "-3".into()),
            ],
        ),
        "usage.gpu_sustained_hours",
    );
    assert_eq!(
        reference(&rates::exchange_rates(h.conn).unwrap()).as_deref(),
        Some("USD")
    );
    refused(
        rates::save_usage_settings(&mut h, &[("usage.nonsense".into(), "1".into())]),
        "usage.nonsense",
    );
    rates::save_usage_settings(&mut h, &[("usage.reference_currency".into(), "TWD".into())])
        .unwrap();
    assert_eq!(
        reference(&rates::exchange_rates(h.conn).unwrap()).as_deref(),
        Some("TWD")
    );
    for bad in BAD_DATES {
        let input = rates::RateInput {
            rate_on: bad.to_string(),
            from_currency: "USD".into(),
            to_currency: "TWD".into(),
            rate: "32".into(),
            note: String::new(),
        };
        refused(rates::set_exchange_rate(&mut h, &input), "rate_on");
    }
    for bad in BAD_AMOUNTS.iter().filter(|a| **a != "1.234") {
        let input = rates::RateInput {
            rate_on: "2025-01-02".into(),
            from_currency: "USD".into(),
            to_currency: "TWD".into(),
            rate: bad.to_string(),
            note: String::new(),
        };
        refused(rates::set_exchange_rate(&mut h, &input), "rate");
    }
    let ok = rates::RateInput {
        rate_on: "2025-01-02".into(),
        from_currency: "USD".into(),
        to_currency: "TWD".into(),
        rate: "31.95".into(),
        note: "<script>x</script>".into(),
    };
    let before = rates::exchange_rates(h.conn).unwrap().rates;
    let r = rates::set_exchange_rate(&mut h, &ok).unwrap();
    assert_eq!(r.note, "<script>x</script>");
    refused(rates::remove_exchange_rate(&mut h, 0), "id");
    rates::remove_exchange_rate(&mut h, r.id).unwrap();
    assert_eq!(rates::exchange_rates(h.conn).unwrap().rates, before);
}

#[test]
fn the_overview_lists_each_customer_s_subscriptions_and_their_own_budgets() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let o = usage::overview(h.conn, &h.ctx).unwrap();
    let row = o
        .portfolio
        .iter()
        .find(|r| r.budget.is_some() && !r.subscriptions.is_empty())
        .expect("a demo customer with a budget and usage this month");
    let (customer, sub, all) = (
        row.customer_id,
        row.subscriptions[0].clone(),
        row.budget.as_ref().unwrap().budget.amount,
    );
    assert!(row.subscription_budgets.is_empty());
    let input = usage::BudgetInput {
        customer_id: customer.0,
        // As the portal writes it, in capitals: the same subscription.
        subscription: sub.to_uppercase(),
        amount: "1234".into(),
        thresholds: String::new(),
        currency: String::new(),
    };
    usage::set_budget(&mut h, input).unwrap();
    let row_of = |h: &crate::host::Host| {
        let o = usage::overview(h.conn, &h.ctx).unwrap();
        o.portfolio
            .into_iter()
            .find(|r| r.customer_id == customer)
            .unwrap()
    };
    let row = row_of(&h);
    assert_eq!(row.budget.as_ref().unwrap().budget.amount, all, "unchanged");
    let own: Vec<_> = row
        .subscription_budgets
        .iter()
        .map(|s| (s.budget.subscription.as_str(), s.budget.amount.minor))
        .collect();
    let minor = 1234 * 10i64.pow(all.currency.exponent());
    assert_eq!(own, [(sub.as_str(), minor)]);
    usage::remove_budget(&mut h, customer.0, &sub).unwrap();
    let row = row_of(&h);
    assert!(row.subscription_budgets.is_empty() && row.budget.is_some());
}

/// The month's usage a Microsoft credit paid is shown beside the customer's month to date,
/// never in it (nor in the budget): the window says what the spend left out.
#[test]
fn the_overview_shows_what_credits_paid_beside_the_month_to_date() {
    let mut f = fixture();
    let mut h = host(&mut f);
    let o = usage::overview(h.conn, &h.ctx).unwrap();
    let tenant = riskdesk_core::usage::tenants::list(h.conn)
        .unwrap()
        .into_iter()
        .find(|t| t.customer_id.is_some())
        .expect("a demo tenant linked to its customer");
    let customer = tenant.customer_id.unwrap();
    let row_of = |h: &crate::host::Host| {
        usage::overview(h.conn, &h.ctx)
            .unwrap()
            .portfolio
            .into_iter()
            .find(|r| r.customer_id == customer)
            .unwrap()
    };
    let before = row_of(&h);
    assert!(before.credited.is_none(), "the demo has no credits");
    let currency = before.month_to_date.currency;
    std::fs::create_dir_all(h.documents).unwrap();
    let file = h.documents.join("credited.csv");
    std::fs::write(
        &file,
        format!(
            "CustomerId,EntitlementId,UsageDate,MeterCategory,MeterName,Quantity,BillingPreTaxTotal,BillingCurrency,CreditPercentage\n\
             {t},0f0e0d0c-0b0a-4909-8807-060504030201,{d},Virtual Machines,NC24s v3,24,500,{c},100\n\
             {t},0f0e0d0c-0b0a-4909-8807-060504030201,{d},Storage,LRS,1,2,{c},0\n",
            t = tenant.tenant_id,
            d = o.as_of,
            c = currency.code()
        ),
    )
    .unwrap();
    let r = usage::import_paths(
        &mut h,
        std::slice::from_ref(&file),
        "auto",
        None,
        &mut |_, _, _| {},
    )
    .unwrap();
    assert_eq!(r.summary.credited_rows, 1);
    let after = row_of(&h);
    let unit = 10i64.pow(currency.exponent());
    assert_eq!(after.credited.map(|m| m.minor), Some(500 * unit));
    assert_eq!(
        after.month_to_date.minor - before.month_to_date.minor,
        2 * unit
    );
}
