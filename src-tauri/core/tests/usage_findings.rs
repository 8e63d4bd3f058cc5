//! The budgets, detectors, notices, activity rules and incidents on the shared samples'
//! planted cases and on synthetic series.

mod usage_common;

use chrono::NaiveDate;
use riskdesk_core::ids::CustomerId;
use riskdesk_core::usage;
use usage_common::*;

#[test]
fn the_planted_cases_are_found_on_the_day_they_start_and_nothing_else() {
    let (_d, mut conn, ids) = sample_book();
    let first = evaluate(&mut conn);
    assert_eq!(first.as_of, NaiveDate::from_ymd_opt(2025, 1, 31));
    let alerts = usage::alerts::list(&conn, Default::default()).unwrap();
    let key_of =
        |id: Option<CustomerId>| ids.iter().find(|(_, c)| Some(*c) == id).unwrap().0.clone();
    let mut seen: Vec<(String, String, String)> = alerts
        .iter()
        .filter(|a| !a.kind.starts_with("budget"))
        .map(|a| (key_of(a.customer_id), a.kind.clone(), a.day.clone()))
        .collect();
    seen.sort();
    let expected: Vec<(String, String, String)> = [
        ("C3", "gpu", "2025-01-10"),
        ("C3", "new_region", "2025-01-12"),
        ("C5", "egress", "2025-01-18"),
        ("C6", "new_region", "2025-01-22"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(
        seen,
        expected,
        "{:#?}",
        alerts
            .iter()
            .map(|a| (&a.title_en, &a.day, &a.evidence["explain_en"]))
            .collect::<Vec<_>>()
    );
    // Each explains itself in both languages.
    for a in &alerts {
        for k in riskdesk_core::test_support::ALERT_TEXTS {
            assert!(
                a.evidence[k].as_str().is_some_and(|t| !t.is_empty()),
                "{} {k}",
                a.title_en
            );
        }
    }
    // January's budget thresholds, on the planted first days.
    let p = planted();
    for (key, id) in &ids {
        let crossings = p["january_budget_crossings"][key]["first_day_reaching_pct"]
            .as_object()
            .unwrap();
        let mut got: Vec<(String, String)> = alerts
            .iter()
            .filter(|a| {
                a.kind == "budget" && a.customer_id == Some(*id) && a.day.starts_with("2025-01")
            })
            .map(|a| {
                (
                    a.evidence["percent"]
                        .as_i64()
                        .map(|_| ())
                        .map_or(String::new(), |_| {
                            a.title_en.split('%').next().unwrap().to_string()
                        }),
                    a.day.clone(),
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String)> = crossings
            .iter()
            .map(|(pct, day)| (pct.clone(), day.as_str().unwrap().to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want, "{key}");
    }
    // Evaluating again raises nothing new.
    let again = evaluate(&mut conn);
    assert_eq!(again.new_alerts, 0);
    assert_eq!(
        usage::alerts::list(&conn, Default::default())
            .unwrap()
            .len(),
        alerts.len()
    );
}

/// A synthetic Partner Center file: one tenant, `days` days from 2025-01-01, the day's
/// VM spend, egress GB and region given by `f`.
fn synthetic(days: i64, f: impl Fn(NaiveDate) -> (f64, f64, &'static str, &'static str)) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    for i in 0..days {
        let d = start + chrono::Duration::days(i);
        let (vm, gb, region, meter) = f(d);
        for (cat, sub, m, unit, qty, cost) in [
            ("Virtual Machines", "Dsv5 Series", meter, "1 Hour", 24.0, vm),
            (
                "Bandwidth",
                "Rtn Preference: MGN",
                "Standard Data Transfer Out",
                "1 GB",
                gb,
                gb * 2.5,
            ),
        ] {
            out.push_str(&format!(
                "{C1},Contoso,contoso.onmicrosoft.com,,edef061b-0a9c-535c-bacc-1fd9276bf821,,,{d},{cat},{sub},{m},{region},{unit},{qty:.4},{cost:.6},TWD\n"
            ));
        }
    }
    out
}

#[test]
fn normal_series_raise_nothing_and_a_planted_spike_is_found_on_its_day() {
    use chrono::Datelike;
    // Weekly (weekends at a fifth), monthly (a backup burst on the 1st) and steady growth
    // (1 % a day, compounding): nothing is unusual.
    let normal = |d: NaiveDate| {
        let growth = 1.01f64.powi(d.ordinal0() as i32);
        let weekend = matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        let vm = 3000.0 * growth * if weekend { 0.2 } else { 1.0 };
        let gb = 20.0 * if d.day() == 1 { 6.0 } else { 1.0 } * if weekend { 0.5 } else { 1.0 };
        (vm, gb, "EASTASIA", "D4s v5")
    };
    let quiet = synthetic_alerts(&synthetic(150, normal));
    assert!(
        quiet.is_empty(),
        "{:#?}",
        quiet
            .iter()
            .map(|a| (&a.day, &a.title_en))
            .collect::<Vec<_>>()
    );

    // The same with a spend spike on 2025-03-12 (×8 VM spend), egress ×40 from 2025-04-08,
    // a GPU size from 2025-05-06 and a new region on 2025-05-20: each found on its day, once.
    let planted = |d: NaiveDate| {
        let (mut vm, mut gb, mut region, mut meter) = normal(d);
        if d == NaiveDate::from_ymd_opt(2025, 3, 12).unwrap() {
            vm *= 8.0;
        }
        if d >= NaiveDate::from_ymd_opt(2025, 4, 8).unwrap()
            && d <= NaiveDate::from_ymd_opt(2025, 4, 10).unwrap()
        {
            gb *= 40.0;
        }
        if d >= NaiveDate::from_ymd_opt(2025, 5, 6).unwrap() {
            meter = "NC24s v3";
        }
        if d >= NaiveDate::from_ymd_opt(2025, 5, 20).unwrap() {
            region = "BRAZILSOUTH";
        }
        (vm, gb, region, meter)
    };
    let mut found: Vec<(String, String)> = synthetic_alerts(&synthetic(150, planted))
        .into_iter()
        .map(|a| (a.kind, a.day))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    let expected: Vec<(String, String)> = [
        ("spend_spike", "2025-03-12"),
        ("egress", "2025-04-08"),
        ("gpu", "2025-05-06"),
        ("new_region", "2025-05-20"),
    ]
    .iter()
    .map(|(k, d)| (k.to_string(), d.to_string()))
    .collect();
    assert_eq!(found, expected);
}

/// JSON as Windows PowerShell's `ConvertTo-Json` writes a module's objects: every name
/// capitalised (`EventId`, `OperationDate`) and each time as `/Date(milliseconds)/`.
fn as_powershell_writes(text: &str) -> String {
    fn rewrite(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Array(a) => a.iter().map(rewrite).collect(),
            serde_json::Value::Object(o) => o
                .iter()
                .map(|(k, v)| {
                    let mut k = k.clone();
                    k[..1].make_ascii_uppercase();
                    let time = v.as_str().and_then(usage::notices::parse_time);
                    let v = match time {
                        Some(at) if k.ends_with("Date") || k.ends_with("Time") => {
                            format!("/Date({})/", at.timestamp_millis()).into()
                        }
                        _ => rewrite(v),
                    };
                    (k, v)
                })
                .collect(),
            other => other.clone(),
        }
    }
    rewrite(&serde_json::from_str(text).unwrap()).to_string()
}

/// The fraud events as a PowerShell export writes them (`EventId`, `EventTime`: the same
/// names, capitalised, times as `/Date(…)/`) are the same alerts; a test alert Microsoft sent (`isTest`) is left
/// out and counted, and becomes no notice.
#[test]
fn alerts_with_capitalised_names_are_the_same_and_test_alerts_are_left_out() {
    let (_d, mut conn, _) = sample_book();
    let text = std::fs::read_to_string(sample("fraud_events.json")).unwrap();
    let import = |conn: &mut rusqlite::Connection, name: &str, text: &str| {
        let tx = conn.transaction().unwrap();
        let s = usage::notices::import(&tx, &ctx(), name, text).unwrap();
        tx.commit().unwrap();
        s
    };
    let s = import(&mut conn, "capitalised.json", &as_powershell_writes(&text));
    assert_eq!((s.added, s.tests), (3, 0), "{s:?}");
    let s = import(&mut conn, "fraud_events.json", &text);
    assert_eq!((s.added, s.unchanged), (0, 3), "{s:?}");

    let graph = std::fs::read_to_string(sample("security_alerts.json")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&graph).unwrap();
    let mut test = value["value"][0].clone();
    test["id"] = "test-alert-1".into();
    test["isTest"] = true.into();
    let mut test_text = test.clone();
    test_text["id"] = "test-alert-2".into();
    test_text["isTest"] = "True".into();
    value["value"] = serde_json::json!([test, test_text]);
    let before = usage::notices::list(&conn, ctx().now).unwrap().len();
    let s = import(&mut conn, "tests.json", &value.to_string());
    assert_eq!((s.added, s.unchanged, s.tests), (0, 0, 2), "{s:?}");
    assert_eq!(
        usage::notices::list(&conn, ctx().now).unwrap().len(),
        before
    );
}

#[test]
fn fraud_events_and_security_alerts_become_one_notice_each_with_deadlines() {
    let (_d, mut conn, ids) = sample_book();
    let text = std::fs::read_to_string(sample("fraud_events.json")).unwrap();
    let tx = conn.transaction().unwrap();
    let first = usage::notices::import(&tx, &ctx(), "fraud_events.json", &text).unwrap();
    tx.commit().unwrap();
    assert_eq!(first.added, 3);
    assert!(first.unknown_tenants.is_empty(), "{first:?}");
    // The same alerts in the Graph shape, and the same file again: nothing new.
    for name in ["security_alerts.json", "fraud_events.json"] {
        let text = std::fs::read_to_string(sample(name)).unwrap();
        let tx = conn.transaction().unwrap();
        let again = usage::notices::import(&tx, &ctx(), name, &text).unwrap();
        tx.commit().unwrap();
        assert_eq!((again.added, again.unchanged), (0, 3), "{name}");
    }
    let now = ctx().now;
    let notices = usage::notices::list(&conn, now).unwrap();
    let c = |k: &str| ids.iter().find(|(key, _)| key == k).unwrap().1;
    let mining = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C3")))
        .unwrap();
    assert_eq!(mining.kind, usage::notices::NoticeKind::CryptoMining);
    assert_eq!(mining.status, usage::notices::NoticeStatus::Received);
    assert_eq!(mining.received_at, "2025-01-11T03:12:40Z");
    assert_eq!(mining.respond_by, "2025-01-11T04:12:40Z");
    assert!(mining.respond_overdue && mining.mitigate_overdue);
    assert!(!mining.resources.is_empty());
    let anomaly = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C5")))
        .unwrap();
    assert_eq!(anomaly.status, usage::notices::NoticeStatus::Investigating);
    assert!(!anomaly.respond_overdue && anomaly.mitigate_overdue);
    let legit = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C6")))
        .unwrap();
    assert_eq!(
        legit.status,
        usage::notices::NoticeStatus::ResolvedLegitimate
    );
    assert!(!legit.mitigate_overdue);

    // Evaluating raises the overdue deadlines once.
    let e = evaluate(&mut conn);
    let alerts = usage::alerts::list(&conn, Default::default()).unwrap();
    let notice_alerts: Vec<_> = alerts.iter().filter(|a| a.kind == "notice").collect();
    assert_eq!(
        notice_alerts.len(),
        3,
        "C3 respond + mitigate, C5 mitigate: {e:?}"
    );
    assert_eq!(evaluate(&mut conn).new_alerts, 0);
    // Each says which deadline passed and when, as a reader writes times, in both languages.
    let texts = |key: &str| {
        let a = notice_alerts
            .iter()
            .find(|a| {
                a.customer_id == Some(c("C3"))
                    && a.evidence["explain_en"]
                        .as_str()
                        .is_some_and(|t| t.contains(key))
            })
            .unwrap_or_else(|| panic!("no C3 notice alert saying {key:?}: {notice_alerts:#?}"));
        (
            a.title_en.clone(),
            a.evidence["explain_zh"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    let (title, zh) = texts("a response was due by 11 January 2025, 04:12 UTC");
    assert!(
        title.starts_with("Microsoft notice not answered: "),
        "{title}"
    );
    assert_eq!(
        zh,
        "收到時間 2025年1月11日 03:12 UTC；應於 2025年1月11日 04:12 UTC 前回應。"
    );
    let (title, zh) = texts("mitigation was due by 12 January 2025, 03:12 UTC");
    assert!(
        title.starts_with("Microsoft notice not mitigated in time: "),
        "{title}"
    );
    assert!(
        zh.ends_with("應於 2025年1月12日 03:12 UTC 前完成處置。"),
        "{zh}"
    );

    // Resolving as fraud needs a note, starts the claim window from the first fraudulent
    // usage, and the credit is claimed once per tenant.
    let tx = conn.transaction().unwrap();
    let fraud = usage::notices::NoticeStatus::ResolvedFraud;
    assert!(usage::notices::set_status(&tx, &ctx(), mining.id, fraud, " ", None).is_err());
    usage::notices::set_status(
        &tx,
        &ctx(),
        mining.id,
        fraud,
        "Mining confirmed; subscription suspended.",
        None,
    )
    .unwrap();
    tx.commit().unwrap();
    let mining = usage::notices::list(&conn, now)
        .unwrap()
        .into_iter()
        .find(|n| n.id == mining.id)
        .unwrap();
    assert_eq!(mining.fraud_from.as_deref(), Some("2025-01-10"));
    assert_eq!(
        mining.claim_by,
        NaiveDate::from_ymd_opt(2025, 3, 11),
        "60 days by default"
    );
    assert_eq!(mining.steps.len(), 2);
    let tx = conn.transaction().unwrap();
    usage::notices::claim_filed(
        &tx,
        &ctx(),
        mining.id,
        NaiveDate::from_ymd_opt(2025, 2, 1).unwrap(),
    )
    .unwrap();
    tx.commit().unwrap();

    // Bad files: not JSON, a missing id, a date out of range; nothing written.
    let before = counts(&conn);
    for (text, expect) in [
        ("{not json", "not JSON"),
        ("[{\"eventTime\": \"2025-01-01T00:00:00Z\"}]", "eventId"),
        (
            "[{\"eventId\": \"x\", \"eventTime\": \"2101-01-01T00:00:00Z\"}]",
            "eventTime",
        ),
        ("{\"value\": 5}", "list"),
    ] {
        let tx = conn.transaction().unwrap();
        let e = usage::notices::import(&tx, &ctx(), "bad.json", text).unwrap_err();
        drop(tx);
        assert!(format!("{e}").contains(expect), "{text}: {e}");
    }
    assert_eq!(counts(&conn), before);
}

#[test]
fn one_event_is_stored_once_whichever_export_it_came_from() {
    let (_d, mut conn, _ids) = sample_book();
    let mut added = Vec::new();
    for name in [
        "audit_records.json",
        "activity_log_export.csv",
        "powershell.json",
    ] {
        let text = match name {
            "powershell.json" => as_powershell_writes(
                &std::fs::read_to_string(sample("audit_records.json")).unwrap(),
            ),
            _ => std::fs::read_to_string(sample(name)).unwrap(),
        };
        let tx = conn.transaction().unwrap();
        let r = usage::activity::import(&tx, &ctx(), name, &text).unwrap();
        tx.commit().unwrap();
        added.push((r.added, r.unchanged));
    }
    // The CSV export and PowerShell's JSON have the same 30 events as the API's records:
    // nothing new.
    assert_eq!(added, [(30, 0), (0, 30), (0, 30)]);
    evaluate(&mut conn);
    let activity = usage::alerts::list(&conn, Default::default())
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == "activity")
        .count();
    assert_eq!(activity, 3);
}

/// The activity export cut inside a quoted cell (a customer's name with a comma) is refused
/// on the line the quote opens; before, the event was stored with the name cut.
#[test]
fn an_activity_export_cut_inside_a_quoted_name_is_refused_and_nothing_stored() {
    let (_d, mut conn, _ids) = sample_book();
    let text = "Date-Time,Affected customer,Action,Partner user\n\
                01/30/2025 05:05:05,\"Harbor Logistics, Ltd.\",Reset a user password,admin@x.com\n\
                01/30/2025 05:06:05,\"Harbor Logistics, Ltd.\",Created a user,admin@x.com\n";
    let cut = &text[..text.rfind("Logistics").unwrap()];
    let before = counts(&conn);
    let tx = conn.transaction().unwrap();
    let e = usage::activity::import(&tx, &ctx(), "log.csv", cut).unwrap_err();
    drop(tx);
    assert!(e.to_string().contains("log.csv:3 field file"), "{e}");
    assert!(e.to_string().contains("never closed"), "{e}");
    assert_eq!(counts(&conn), before);
    let tx = conn.transaction().unwrap();
    let whole = usage::activity::import(&tx, &ctx(), "log.csv", text).unwrap();
    assert_eq!(whole.added, 2);
}

/// The portal's export as Excel in Taiwan saves it again: times written `2025/1/30 下午
/// 05:05:05`, and rows it kept empty after rows were cleared. The same 30 events, the same
/// instants: importing it over the export itself adds nothing.
#[test]
fn an_activity_export_saved_again_by_excel_in_taiwan_is_the_same_events() {
    let (_d, mut conn, _ids) = sample_book();
    let text = std::fs::read_to_string(sample("activity_log_export.csv")).unwrap();
    let mut resaved = String::new();
    for (i, line) in text.lines().enumerate() {
        let (when, rest) = line.split_once(',').unwrap();
        let written = match chrono::NaiveDateTime::parse_from_str(when, "%m/%d/%Y %H:%M:%S") {
            Ok(t) => {
                let half = if t.format("%p").to_string() == "AM" {
                    "上午"
                } else {
                    "下午"
                };
                format!("{} {half} {}", t.format("%Y/%-m/%-d"), t.format("%I:%M:%S"))
            }
            Err(_) => when.to_string(),
        };
        resaved.push_str(&format!("{written},{rest}\r\n"));
        if i == 4 {
            resaved.push_str(",,,\r\n");
        }
    }
    resaved.push_str(",,,\r\n");
    assert!(
        resaved.contains("下午") && resaved.contains("上午"),
        "{resaved}"
    );
    let mut results = Vec::new();
    for (name, text) in [("export.csv", &text), ("resaved.csv", &resaved)] {
        let tx = conn.transaction().unwrap();
        let r = usage::activity::import(&tx, &ctx(), name, text).unwrap();
        tx.commit().unwrap();
        results.push((r.added, r.unchanged));
    }
    assert_eq!(results, [(30, 0), (0, 30)]);
}

#[test]
fn the_activity_log_flags_the_planted_burst_and_billing_change_in_both_formats() {
    for name in ["audit_records.json", "activity_log_export.csv"] {
        let (_d, mut conn, ids) = sample_book();
        let text = std::fs::read_to_string(sample(name)).unwrap();
        let tx = conn.transaction().unwrap();
        let first = usage::activity::import(&tx, &ctx(), name, &text).unwrap();
        tx.commit().unwrap();
        assert_eq!(first.added, 30, "{name}");
        let tx = conn.transaction().unwrap();
        let again = usage::activity::import(&tx, &ctx(), name, &text).unwrap();
        tx.commit().unwrap();
        assert_eq!((again.added, again.unchanged), (0, 30), "{name}");
        evaluate(&mut conn);
        let c3 = ids.iter().find(|(k, _)| k == "C3").unwrap().1;
        let mut found: Vec<(String, String)> = usage::alerts::list(&conn, Default::default())
            .unwrap()
            .into_iter()
            .filter(|a| a.kind == "activity")
            .map(|a| {
                assert_eq!(a.customer_id, Some(c3), "{name}: {}", a.title_en);
                (a.day, a.title_en)
            })
            .collect();
        found.sort();
        assert_eq!(found.len(), 3, "{name}: {found:#?}");
        assert!(
            found
                .iter()
                .any(|(d, t)| d == "2025-01-09" && t.starts_with("Administrator access granted")),
            "{name}: {found:?}"
        );
        assert!(
            found.iter().any(|(d, t)| d == "2025-01-09"
                && t.starts_with("9 users or orders created within 6 minutes")),
            "{name}: {found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(d, t)| d == "2025-01-13" && t == "Billing profile changed"),
            "{found:?}"
        );
    }
}

#[test]
fn an_abuse_incident_links_its_evidence_and_suspends_through_the_history() {
    use riskdesk_core::subscription::{self, SubscriptionInput, SubscriptionStatus};
    use riskdesk_core::usage::incidents::{self, Action, Category, LinkKind};
    let (_d, mut conn, ids) = sample_book();
    let c = |k: &str| ids.iter().find(|(key, _)| key == k).unwrap().1;
    let text = std::fs::read_to_string(sample("fraud_events.json")).unwrap();
    let tx = conn.transaction().unwrap();
    usage::notices::import(&tx, &ctx(), "fraud_events.json", &text).unwrap();
    let sub = subscription::add(
        &tx,
        &ctx(),
        c("C3"),
        &SubscriptionInput {
            offer: "Azure plan".into(),
            pc_subscription_id: "49cc2f04-6a47-5821-ae8d-a11aa1f30f68".into(),
            quantity: "1".into(),
            monthly_price: "0".into(),
            start_on: "2024-12-01".into(),
            ..Default::default()
        },
    )
    .unwrap();
    tx.commit().unwrap();
    evaluate(&mut conn);
    let notices = usage::notices::list(&conn, ctx().now).unwrap();
    let mining = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C3")))
        .unwrap();
    let other = notices
        .iter()
        .find(|n| n.customer_id == Some(c("C5")))
        .unwrap();
    let alert = usage::alerts::list(&conn, Default::default())
        .unwrap()
        .into_iter()
        .find(|a| a.customer_id == Some(c("C3")) && a.kind == "gpu")
        .unwrap();

    let tx = conn.transaction().unwrap();
    let id = incidents::open(
        &tx,
        &ctx(),
        c("C3"),
        Category::CryptoMining,
        "GPU VMs mining since 10 Jan",
    )
    .unwrap();
    incidents::link(&tx, &ctx(), id, LinkKind::Notice, mining.id).unwrap();
    incidents::link(&tx, &ctx(), id, LinkKind::Alert, alert.id).unwrap();
    assert!(
        incidents::link(&tx, &ctx(), id, LinkKind::Notice, other.id).is_err(),
        "another customer's notice"
    );
    let on = NaiveDate::from_ymd_opt(2025, 2, 3).unwrap();
    assert!(incidents::act(&tx, &ctx(), id, Action::SuspendSubscription, None, "", on).is_err());
    incidents::act(
        &tx,
        &ctx(),
        id,
        Action::SuspendSubscription,
        Some(sub.id),
        "Mining pool traffic",
        on,
    )
    .unwrap();
    assert!(
        incidents::act(&tx, &ctx(), id, Action::ContactCustomer, None, "", on).is_err(),
        "a note is needed"
    );
    incidents::act(
        &tx,
        &ctx(),
        id,
        Action::ContactCustomer,
        None,
        "Called the CFO.",
        on,
    )
    .unwrap();
    // While it is open, the incident is a reason of the customer's risk, its category
    // named in each language ("挖礦：…", never the code "crypto_mining").
    let now = ctx().now;
    let score = riskdesk_core::risk::scores(&tx, on, now, Some(c("C3"))).unwrap();
    let f = score[0].factors.iter().find(|f| f.key == "abuse_incident");
    let (en, zh) = f
        .map(|f| (f.evidence.as_str(), f.evidence_zh.as_str()))
        .unwrap();
    assert!(
        en.contains("Crypto-mining: GPU VMs mining since 10 Jan"),
        "{en}"
    );
    assert!(zh.contains("挖礦：GPU VMs mining since 10 Jan"), "{zh}");
    assert!(!zh.contains("crypto_mining"), "{zh}");
    incidents::close(
        &tx,
        &ctx(),
        id,
        "Subscription stays suspended; fraud credit claimed.",
    )
    .unwrap();
    assert!(
        incidents::act(&tx, &ctx(), id, Action::Other, None, "late", on).is_err(),
        "closed"
    );
    // Nor does a closed incident take new evidence; what it had stays.
    let late = incidents::link(&tx, &ctx(), id, LinkKind::Alert, alert.id).expect_err("closed");
    assert!(late.to_string().contains("closed"), "{late}");
    tx.commit().unwrap();

    let s = subscription::get(&conn, sub.id).unwrap();
    assert_eq!(s.status, SubscriptionStatus::Suspended);
    let reason: String = conn
        .query_row(
            "SELECT reason FROM subscription_events WHERE subscription_id = ?1 ORDER BY id DESC LIMIT 1",
            [sub.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "suspected_fraud");
    let list = incidents::list(&conn, Some(c("C3"))).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].links.len(),
        3,
        "notice, alert and the suspended subscription"
    );
    assert_eq!(list[0].actions.len(), 2);
    assert!(list[0].closed_at.is_some());
}

/// Each way administrator access is granted is said in words in each language, the record's
/// operation named after them; a role that is not an administrator's raises nothing.
#[test]
fn administrator_access_is_said_in_words_in_each_language() {
    let (_d, mut conn) = db();
    let tenant = "0b6f3c1e-5d4a-4c2b-9e8f-7a6b5c4d3e2f";
    customer_with_tenant(&mut conn, "Wingtip Toys", tenant);
    let record = |n: u32, op: &str, role: Option<&str>| {
        let data: Vec<serde_json::Value> = role
            .map(|r| serde_json::json!({ "key": "RoleName", "value": r }))
            .into_iter()
            .collect();
        serde_json::json!({
            "id": format!("record-{n}"), "customerId": tenant, "customerName": "Wingtip Toys",
            "userPrincipalName": "admin@reseller.example", "operationType": op,
            "operationDate": format!("2025-01-0{n}T23:1{n}:00Z"), "operationStatus": "succeeded",
            "customizedData": data,
        })
    };
    let items = vec![
        record(1, "add_user_member", Some("Global Administrator")),
        record(2, "add_user_member", None),
        record(3, "create_partner_relationship", None),
        record(4, "dap_admin_relationship_approved", None),
        record(5, "add_user_member", Some("Directory Readers")),
    ];
    let log = serde_json::json!({ "totalCount": items.len(), "items": items }).to_string();
    let tx = conn.transaction().unwrap();
    usage::activity::import(&tx, &ctx(), "audit.json", &log).unwrap();
    tx.commit().unwrap();
    evaluate(&mut conn);
    let mut said: Vec<[String; 4]> = usage::alerts::list(&conn, Default::default())
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == "activity")
        .map(|a| {
            let text = |k: &str| a.evidence[k].as_str().unwrap().to_string();
            [
                a.title_en,
                a.title_zh,
                text("explain_en"),
                text("explain_zh"),
            ]
        })
        .collect();
    said.sort_by(|a, b| a[2].cmp(&b[2]));
    let on = |day: u32, en: &str, zh: &str| {
        [
            format!("For Wingtip Toys, on {day} January 2025, 23:1{day} UTC by admin@reseller.example: {en}."),
            format!("Wingtip Toys：2025年1月{day}日 23:1{day} UTC 由 admin@reseller.example {zh}。"),
        ]
    };
    let expected = [
        (
            "Global Administrator",
            "Global Administrator",
            on(
                1,
                "added a user to the role Global Administrator (add_user_member)",
                "將使用者加入「Global Administrator」角色（add_user_member）",
            ),
        ),
        (
            "an administrator role",
            "管理員角色",
            on(
                2,
                "added a user to an administrator role (add_user_member)",
                "將使用者加入管理員角色（add_user_member）",
            ),
        ),
        (
            "a partner relationship",
            "合作夥伴關係",
            on(
                3,
                "created a partner relationship (create_partner_relationship)",
                "建立了合作夥伴關係（create_partner_relationship）",
            ),
        ),
        (
            "a delegated admin (DAP) relationship",
            "委派管理員（DAP）關係",
            on(
                4,
                "approved a delegated admin (DAP) relationship (dap_admin_relationship_approved)",
                "核准了委派管理員（DAP）關係（dap_admin_relationship_approved）",
            ),
        ),
    ]
    .map(|(en, zh, [explain_en, explain_zh])| {
        [
            format!("Administrator access granted: {en}"),
            format!("授予管理員權限：{zh}"),
            explain_en,
            explain_zh,
        ]
    });
    assert_eq!(said, expected);
}
