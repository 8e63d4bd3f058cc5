use super::*;
use crate::test_support::{book, ctx, customer};

/// A bad time names its line with CRLF line ends as with LF.
#[test]
fn a_bad_time_names_its_line_whatever_ends_the_lines() {
    for eol in ["\n", "\r\n"] {
        let (_d, mut conn) = book();
        let csv = [
            "Date-Time,Affected customer,Action,Partner user",
            "01/28/2025 02:45:00,Contoso,Created a user,a@x.com",
            "13/45/2025 02:46:00,Contoso,Created a user,a@x.com",
        ]
        .join(eol);
        let tx = conn.transaction().unwrap();
        let e = import(&tx, &ctx(), "activity.csv", &csv).unwrap_err();
        assert!(e.to_string().contains("activity.csv:3"), "{eol:?}: {e}");
    }
}

/// JSON that is not a list of audit records is refused whatever its shape, saying what
/// was expected, and nothing is written.
#[test]
fn json_of_another_shape_is_refused_naming_what_was_expected() {
    for text in [r#"{"foo": 1}"#, r#"{"items": 3}"#, r#"{"value": {"a": 1}}"#] {
        let (_d, mut conn) = book();
        let tx = conn.transaction().unwrap();
        let e = import(&tx, &ctx(), "audit.json", text).unwrap_err();
        let said = e.to_string();
        assert!(
            said.contains("audit.json") && said.contains("expected audit records"),
            "{text}: {said}"
        );
        let n: i64 = tx
            .query_row("SELECT count(*) FROM activity", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{text}");
    }
}

/// The portal writes the customer's name its own way: it still finds the customer, and a
/// name two customers share finds neither.
#[test]
fn a_record_finds_its_customer_by_a_name_written_another_way() {
    let (_d, mut conn) = book();
    let contoso = customer(&mut conn, "Contoso Trading Co., Ltd.", "TWD", "TW");
    customer(&mut conn, "Twin Ltd", "TWD", "TW");
    customer(&mut conn, "TWIN LTD.", "TWD", "TW");
    let csv = "Date-Time,Affected customer,Action,Partner user\n\
               01/28/2025 02:45:00,CONTOSO TRADING CO. LTD,Created a user,a@x.com\n\
               01/28/2025 02:46:00,Twin Ltd,Created a user,a@x.com\n";
    let tx = conn.transaction().unwrap();
    import(&tx, &ctx(), "activity.csv", csv).unwrap();
    let found: Vec<Option<i64>> = tx
        .prepare("SELECT customer_id FROM activity ORDER BY at")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(found, [Some(contoso.0), None]);
}

/// The export's header is not documented: the names it is seen with, a time zone after the
/// time's, and the portal's Chinese read as one file.
#[test]
fn the_log_s_columns_are_found_under_the_names_they_come_with() {
    for header in [
        "Date-Time,Affected customer,Action,Partner user",
        "Date/Time (UTC),Customer,Activity,User",
        "Timestamp,Customer name,Operation,User principal name",
        "日期/時間,受影響的客戶,動作,合作夥伴使用者",
        "日期時間 (UTC),客戶,活動,使用者",
    ] {
        let (_d, mut conn) = book();
        let contoso = customer(&mut conn, "Contoso", "TWD", "TW");
        let csv = format!("{header}\n01/28/2025 02:45:00,Contoso,Created a user,a@x.com\n");
        let tx = conn.transaction().unwrap();
        import(&tx, &ctx(), "activity.csv", &csv).unwrap();
        let row: (Option<i64>, String, String) = tx
            .query_row(
                "SELECT customer_id, operation, who FROM activity",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            (
                Some(contoso.0),
                "create_customer_user".into(),
                "a@x.com".into()
            ),
            "{header}"
        );
    }
    assert_eq!(column_key("UTC"), "utc");
}

#[test]
fn portal_wording_and_times() {
    assert_eq!(operation_of("Created a user"), "create_customer_user");
    for written in [
        "Updated the customer\u{2019}s billing profile.",
        "  UPDATED  the customer's billing   profile ",
    ] {
        assert_eq!(
            operation_of(written),
            "update_customer_billing_profile",
            "{written}"
        );
    }
    assert_eq!(operation_of("Something New Here"), "something_new_here");
    assert_eq!(
        split_time("01/30/2025 05:05:05").1,
        NaiveTime::from_hms_opt(5, 5, 5)
    );
    assert_eq!(
        split_time("1/30/2025 5:05 PM").1,
        NaiveTime::from_hms_opt(17, 5, 0)
    );
    assert_eq!(
        split_time("2025-01-30T05:05:05Z").1,
        NaiveTime::from_hms_opt(5, 5, 5)
    );
    // An offset: the UTC day and time of the instant, the day before here.
    let (day, time) = split_time("2025-01-30T05:05:05+08:00");
    assert_eq!(
        (day.as_ref(), time),
        ("2025-01-29", NaiveTime::from_hms_opt(21, 5, 5))
    );
    let (day, time) = split_time("2025-01-30T20:00:00-05:00");
    assert_eq!(
        (day.as_ref(), time),
        ("2025-01-31", NaiveTime::from_hms_opt(1, 0, 0))
    );
    // As Excel in Taiwan writes them: the half of the day first, 12 o'clock included.
    for (text, h, m, s) in [
        ("2025/1/30 下午 05:05:05", 17, 5, 5),
        ("2025/1/30 上午 05:05", 5, 5, 0),
        ("2025/1/30 上午 12:30:00", 0, 30, 0),
        ("2025/1/30 下午 12:30:00", 12, 30, 0),
        ("2025/1/30 下午05:05", 17, 5, 0),
    ] {
        let (day, time) = split_time(text);
        assert_eq!(
            (day.as_ref(), time),
            ("2025/1/30", NaiveTime::from_hms_opt(h, m, s)),
            "{text}"
        );
    }
    for bad in [
        "2025/1/30 下午 17:05",
        "2025/1/30 中午 05:05",
        "2025/1/30 上午",
    ] {
        assert_eq!(split_time(bad).1, None, "{bad}");
    }
}
