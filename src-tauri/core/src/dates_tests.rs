//! Tests of `dates`: parsing cells in every format, ranges, and the texts dates are said in.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

proptest::proptest! {
    /// Any cell in any format is a date in range or refused, never a panic.
    #[test]
    fn any_cell_is_a_date_in_range_or_refused(cell in "\\PC{0,30}", f in 0usize..4) {
        let format = [DateFormat::Iso, DateFormat::Roc, DateFormat::Dmy, DateFormat::Mdy][f];
        if let Ok(d) = written(&cell, format) {
            proptest::prop_assert!((MIN..=MAX).contains(&d));
        }
    }

    /// A day written with its month as a word is that day, whatever the mapping says.
    #[test]
    fn a_day_with_its_month_named_is_that_day(days in 0i64..36_500, f in 0usize..4) {
        let day = MIN + Duration::days(days);
        let format = [DateFormat::Iso, DateFormat::Roc, DateFormat::Dmy, DateFormat::Mdy][f];
        for text in [day.format("%d %b %Y"), day.format("%B %-d, %Y"), day.format("%d-%b-%y")] {
            let text = text.to_string();
            proptest::prop_assert_eq!(written(&text, format), Ok(day), "{}", text);
        }
    }

    /// A day written by hand is the day chrono writes, in JSON too, for every day chrono
    /// knows (years with a sign and before year 1 included).
    #[test]
    fn a_day_written_by_hand_is_the_day_chrono_writes(days in -95_000_000i64..95_000_000) {
        let day = NaiveDate::from_num_days_from_ce_opt(days as i32).unwrap();
        proptest::prop_assert_eq!(iso_day(day, str::to_string), day.to_string());
        let mut by_hand = Vec::new();
        serialize_day(&day, &mut serde_json::Serializer::new(&mut by_hand)).unwrap();
        proptest::prop_assert_eq!(by_hand, serde_json::to_vec(&day).unwrap());
    }
}

#[test]
fn days_and_times_are_written_as_a_reader_says_them_in_each_language() {
    use crate::customer::Language::{En, ZhTw};
    assert_eq!(date_text(En, d(2026, 12, 6)), "6 December 2026");
    assert_eq!(date_text(ZhTw, d(2026, 12, 6)), "2026年12月6日");
    assert_eq!(date_text(En, MIN), "1 January 2000");
    assert_eq!(date_text(ZhTw, MAX), "2100年12月31日");
    assert_eq!(day_text(ZhTw, "2025-01-06T10:00:00Z"), "2025年1月6日");
    assert_eq!(day_text(En, "next week"), "next week");
    assert_eq!(
        time_text(En, "2026-11-22T04:12:40Z"),
        "22 November 2026, 04:12 UTC"
    );
    // Another offset is said in UTC, the day included.
    assert_eq!(
        time_text(ZhTw, "2026-11-23T02:30:00+08:00"),
        "2026年11月22日 18:30 UTC"
    );
    assert_eq!(time_text(En, "<b>soon</b>"), "<b>soon</b>");
}

#[test]
fn a_month_written_as_a_word_says_which_part_is_the_month() {
    for (text, day) in [
        ("05 Mar 2026", d(2026, 3, 5)),
        ("05-MAR-2026", d(2026, 3, 5)),
        ("05-MAR-26", d(2026, 3, 5)),
        ("5 March 2026", d(2026, 3, 5)),
        ("Mar 5, 2026", d(2026, 3, 5)),
        ("March 05 2026 14:22", d(2026, 3, 5)),
        ("Thu, 05 Mar 2026 2:05 PM", d(2026, 3, 5)),
        ("2026 Sept 30", d(2026, 9, 30)),
        ("31-Dec-2099", d(2099, 12, 31)),
        ("１２　ｍａｙ　２０２６", d(2026, 5, 12)),
    ] {
        for format in [
            DateFormat::Iso,
            DateFormat::Dmy,
            DateFormat::Mdy,
            DateFormat::Roc,
        ] {
            assert_eq!(written(text, format), Ok(day), "{text} {format:?}");
        }
    }
    for text in [
        "30 Feb 2026",
        "Mar 2026",
        "05 Mar",
        "05 Mar 2026 extra",
        "Mar-05-26",
        "05 Mars 2026",
    ] {
        assert_eq!(
            written(text, DateFormat::Dmy),
            Err(DateError::NotADate),
            "{text}"
        );
    }
    assert_eq!(
        written("05 Mar 1999", DateFormat::Dmy),
        Err(DateError::OutOfRange)
    );
}

#[test]
fn dates_in_every_form_banks_write_them() {
    use DateFormat::*;
    assert_eq!(written("2026-03-05", Iso), Ok(d(2026, 3, 5)));
    assert_eq!(written("2026/03/05 14:22:01", Iso), Ok(d(2026, 3, 5)));
    assert_eq!(written("20260305", Iso), Ok(d(2026, 3, 5)));
    assert_eq!(written("115/03/05", Roc), Ok(d(2026, 3, 5)));
    assert_eq!(written("115.3.5", Roc), Ok(d(2026, 3, 5)));
    assert_eq!(written("1150305", Roc), Ok(d(2026, 3, 5)));
    assert_eq!(written("990105", Roc), Ok(d(2010, 1, 5)));
    assert_eq!(written("１１５／０３／０５", Roc), Ok(d(2026, 3, 5)));
    assert_eq!(written("05/03/2026", Dmy), Ok(d(2026, 3, 5)));
    assert_eq!(written("03/05/2026", Mdy), Ok(d(2026, 3, 5)));
    // A three-digit year first is the ROC calendar's, whatever the file's format says;
    // dates written in Chinese, Gregorian or ROC.
    for f in [Iso, Roc, Dmy, Mdy] {
        assert_eq!(written("115/03/05", f), Ok(d(2026, 3, 5)), "{f}");
        assert_eq!(written("1150305", f), Ok(d(2026, 3, 5)), "{f}");
        assert_eq!(written("民國115年3月5日", f), Ok(d(2026, 3, 5)), "{f}");
        assert_eq!(written("115年03月05日", f), Ok(d(2026, 3, 5)), "{f}");
    }
    assert_eq!(written("2026年3月5日", Iso), Ok(d(2026, 3, 5)));
    assert_eq!(
        written("２０２６年３月５日 下午 3:00", Iso),
        Ok(d(2026, 3, 5))
    );
    for (bad, f) in [
        ("2026年3月", Iso),
        ("2026年3月5", Iso),
        ("2026年月5日", Iso),
        ("2026年3月5日日", Iso),
        ("民國年3月5日", Roc),
        ("民國115年2月30日", Roc),
        ("115//05", Iso),
        ("115/3/", Iso),
        ("1150/3/5", Roc),
        ("115/02/30", Roc),
        ("2026-13-01", Iso),
        ("", Iso),
        ("=1+1", Iso),
        ("9999999/01/01", Roc),
        ("2026-03-05", Roc),
    ] {
        assert_eq!(written(bad, f), Err(DateError::NotADate), "{bad} as {f}");
    }
}

#[test]
fn a_spreadsheet_s_year_first_dates_are_read_and_others_refused() {
    let march_5 = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    for text in [
        "2026-03-05",
        "2026/3/5",
        "2026/03/05",
        "2026.3.5",
        "2026-3-5",
        " 2026/3/5 00:00 ",
        "2026-03-05T09:30:00",
        "２０２６／３／５",
    ] {
        assert_eq!(written(text, DateFormat::Iso), Ok(march_5), "{text:?}");
    }
    for text in [
        "05/03/2026",
        "3/5/2026",
        "2026/3",
        "2026/3/5/1",
        "26/3/5",
        "2026/003/5",
        "2026/2/30",
        "+2026/3/5",
        "",
        "2026年3月5",
    ] {
        assert_eq!(
            written(text, DateFormat::Iso),
            Err(DateError::NotADate),
            "{text:?}"
        );
    }
    assert_eq!(
        written("1999/12/31", DateFormat::Iso),
        Err(DateError::OutOfRange)
    );
}

#[test]
fn only_four_digit_years_inside_the_range_are_dates() {
    assert_eq!(
        parse(" 2026-03-31 "),
        Ok(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())
    );
    assert_eq!(parse("2000-01-01"), Ok(MIN));
    assert_eq!(parse("2100-12-31"), Ok(MAX));
    assert_eq!(parse("1999-12-31"), Err(DateError::OutOfRange));
    assert_eq!(parse("2101-01-01"), Err(DateError::OutOfRange));
    for bad in [
        "+262142-12-31",
        "-0001-01-01",
        "262142-12-31",
        "2026-2-3",
        "2026-02-30",
        "",
        "2026/02/03",
        "２０２６-01-01",
    ] {
        assert_eq!(parse(bad), Err(DateError::NotADate), "{bad}");
    }
}

#[test]
fn adding_days_stays_in_range_or_says_so() {
    assert!(add_days("due_on", MAX, 1).is_err());
    assert!(add_days("due_on", MIN, i64::MAX).is_err());
    assert!(add_days("due_on", MIN, i64::MIN).is_err());
    assert_eq!(
        add_days("x", MIN, 31).unwrap(),
        NaiveDate::from_ymd_opt(2000, 2, 1).unwrap()
    );
}
