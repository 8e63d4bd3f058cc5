//! Reading usage files: columns, dates, numbers, regions.

use super::*;
use crate::usage::region::{region, region_name, region_place, METER_REGIONS, REGION_NAMES};
use chrono::NaiveDate;

/// A field's place in [`FIELDS`] is its [`Col`]: `Columns` finds it by that number.
#[test]
fn every_field_sits_at_its_own_number() {
    for (i, f) in FIELDS.iter().enumerate() {
        assert_eq!(f.col as usize, i, "{}", f.name);
    }
}

#[test]
fn dates_in_every_documented_style() {
    assert_eq!(raw_date("9/1/2020"), Ok(RawDate::Slash(9, 1, 2020)));
    assert_eq!(raw_date("09/01/2020 0:00"), Ok(RawDate::Slash(9, 1, 2020)));
    assert_eq!(
        raw_date("2/28/2019 11:59:00 PM"),
        Ok(RawDate::Slash(2, 28, 2019))
    );
    let iso = NaiveDate::from_ymd_opt(2018, 11, 13).unwrap();
    assert_eq!(raw_date("2018-11-13T00:00:00Z"), Ok(RawDate::Iso(iso)));
    assert_eq!(raw_date("2018-11-13"), Ok(RawDate::Iso(iso)));
    // Year first, as Excel re-saves a file in Taiwan (and in Japan, China, Korea): always
    // year, month, day, whatever else the file writes.
    for year_first in [
        "2018/11/13",
        "2018/11/13 上午 12:00:00",
        "2018/11/13 0:00",
        "2018.11.13",
        "2018-11-13 00:00:00",
    ] {
        assert_eq!(raw_date(year_first), Ok(RawDate::Iso(iso)), "{year_first}");
    }
    let jan5 = NaiveDate::from_ymd_opt(2025, 1, 5).unwrap();
    assert_eq!(raw_date("2025/1/5"), Ok(RawDate::Iso(jan5)));
    assert_eq!(raw_date("2025-1-5"), Ok(RawDate::Iso(jan5)));
    // Day first with dots (as a German Excel writes) is a year-last date like any other.
    assert_eq!(raw_date("05.01.2025"), Ok(RawDate::Slash(5, 1, 2025)));
    // A month written as a word, or Excel's long date in Chinese: the month is named, so the
    // date is known without the rest of the file.
    for named in [
        "05-Jan-2025",
        "5 Jan 2025",
        "Jan 5, 2025",
        "05-JAN-25",
        "Sunday, January 5, 2025",
        "5 January 2025 12:00:00 AM",
        "2025年1月5日",
        "2025年01月05日 上午 12:00:00",
        // ISO 8601's basic form, with a time or without.
        "20250105",
        "20250105T000000Z",
        "20250105 00:00:00",
    ] {
        assert_eq!(raw_date(named), Ok(RawDate::Iso(jan5)), "{named}");
    }
    for bad in [
        "Jan 2025",
        "32-Jan-2025",
        "05-Foo-2025",
        "2025年13月5日",
        "2025年1月",
        "2025年1月5",
        "年1月5日",
        "2025年+1月5日",
        "",
        "13/13",
        "2018-13-01",
        "2018/2/30",
        "2018/13/1",
        "2018/0/1",
        "1/2/3",
        "1/2/25",
        "01-05-2025",
        "2025/1",
        "2025/1/5/6",
        // Eight digits that are no year, month and day (day or month first, a 13th month).
        "05012025",
        "01052025",
        "20251305",
        "20250230",
        "2025015",
        "2025/1-5",
        "a/b/2020",
        "+262142-01-01",
        "-2025-01-01",
        "32/1/2020",
        "12345/1/1",
        "2025/+1/5",
        "2025//5",
    ] {
        assert!(raw_date(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_file_decides_the_order_of_slash_dates() {
    let mut o = DateOrder::default();
    o.learn(RawDate::Slash(1, 2, 2025), 2);
    assert!(o.decide().is_err(), "1/2/2025 alone is ambiguous");
    o.learn(RawDate::Slash(1, 31, 2025), 3);
    assert_eq!(o.decide(), Ok(true));
    o.learn(RawDate::Slash(31, 1, 2025), 4);
    let e = o.decide().unwrap_err();
    assert!(e.contains("line 4") && e.contains("line 3"), "{e}");
}

#[test]
fn numbers_are_exact() {
    assert_eq!(
        decimal("0.1835431430074643112595", false)
            .unwrap()
            .to_string(),
        "0.1835431430074643112595"
    );
    assert_eq!(decimal("1E-06", false).unwrap().to_string(), "0.000001");
    assert_eq!(decimal("-12.5", false).unwrap().to_string(), "-12.5");
    assert_eq!(decimal("0,25", true).unwrap().to_string(), "0.25");
    assert!(decimal("1,234.5", false).is_err());
    assert!(decimal("1,234", false).is_err());
    assert!(decimal("12abc", false).is_err());
    assert!(decimal("=1+1", false).is_err());
}

#[test]
fn headers_match_in_any_spelling() {
    assert_eq!(normalise_header("\u{feff}Customer_Id"), "customerid");
    let h = csv::StringRecord::from(vec!["x", "UsageDate", "BillingPreTaxTotal"]);
    let e = columns(&h, None, false).err().unwrap().message;
    assert!(
        e.contains("CustomerId") && e.contains("EntitlementId"),
        "{e}"
    );
}

#[test]
fn regions_and_subscriptions_are_normalised() {
    assert_eq!(region("East Asia"), "EASTASIA");
    // A price-sheet name is the region it stands for; the table is sorted for the search.
    for (written, place) in [
        ("AP East", "EASTASIA"),
        ("eastasia", "EASTASIA"),
        ("EU West", "WESTEUROPE"),
        ("US East 2", "EASTUS2"),
        ("East US 2", "EASTUS2"),
        ("US West Central", "WESTCENTRALUS"),
        ("JA East", "JAPANEAST"),
        ("Zone 1", "ZONE1"),
        ("UK South", "UKSOUTH"),
    ] {
        assert_eq!(region_place(&region(written)), place, "{written}");
    }
    assert!(METER_REGIONS.windows(2).all(|w| w[0].0 < w[1].0));
    // Every region has its name in each language; a display name normalises to its key, and
    // every place a price-sheet name stands for has a name.
    use crate::customer::Language::{En, ZhTw};
    assert!(REGION_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
    for (key, en, _) in REGION_NAMES {
        assert_eq!(region(en), *key);
    }
    for (_, place) in METER_REGIONS {
        assert_ne!(region_name(En, place), *place, "{place}");
    }
    assert_eq!(region_name(En, &region("Brazil South")), "Brazil South");
    assert_eq!(region_name(ZhTw, &region("brazilsouth")), "巴西南部");
    assert_eq!(region_name(ZhTw, "MARSNORTH"), "MARSNORTH");
    assert_eq!(
        subscription_id("/subscriptions/EDEF061B-0a9c/resourceGroups/x"),
        "EDEF061B-0a9c"
    );
}

/// `1_000` is no number an export writes: the underscore the decimal library would skip is
/// refused, as any other character is.
#[test]
fn an_underscore_is_no_digit_separator() {
    assert!(decimal("1_000", false).is_err());
    assert!(decimal("1_0.5", true).is_err());
    assert_eq!(
        decimal("1000", false),
        Ok(rust_decimal::Decimal::from(1000))
    );
    // A minus as typesetting writes it (U+2212) is a minus; inside a number it is nothing.
    assert_eq!(
        decimal("\u{2212}12.5", false),
        Ok(rust_decimal::Decimal::new(-125, 1))
    );
    assert!(decimal("1\u{2212}2", false).is_err());
}
