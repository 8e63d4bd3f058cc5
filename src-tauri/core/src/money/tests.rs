use super::*;

#[test]
fn an_amount_as_a_cell_writes_it_in_its_own_currency() {
    let c = |code: &str| Currency::parse(code).unwrap();
    let minor = |cell: &str, code: &str| Money::written(cell, c(code)).map(|m| m.minor);
    assert_eq!(minor("NT$1,200.00", "TWD"), Ok(120_000));
    assert_eq!(minor("1,200 元", "TWD"), Ok(120_000));
    assert_eq!(minor("HK$500", "HKD"), Ok(50_000));
    assert_eq!(minor("US$10.50", "USD"), Ok(1_050));
    assert_eq!(minor("¥1,000", "JPY"), Ok(1_000));
    assert_eq!(minor("1,000 円", "JPY"), Ok(1_000));
    assert_eq!(minor("€ 12.30", "EUR"), Ok(1_230));
    assert_eq!(minor("(1,000.00)", "TWD"), Ok(-100_000));
    assert_eq!(minor("RM 99.90", "MYR"), Ok(9_990));
    // The names a Taiwanese ledger writes, and a sign and a name together.
    for cell in [
        "新台幣 1,200 元",
        "新臺幣1,200元",
        "NT$1,200元",
        "台幣 1,200",
        "NTD 1,200.00",
        "twd 1,200",
        "ＮＴ＄１，２００元",
    ] {
        assert_eq!(minor(cell, "TWD"), Ok(120_000), "{cell}");
    }
    assert_eq!(minor("美金 10.50", "USD"), Ok(1_050));
    assert_eq!(minor("日圓 1,000", "JPY"), Ok(1_000));
    assert_eq!(minor("人民幣 88 元", "CNY"), Ok(8_800));
    // Another currency's code or marks, or letters that are no currency's.
    assert_eq!(minor("1,234 USD", "TWD"), Err(MoneyError::CurrencyMismatch));
    assert_eq!(minor("HK$500", "TWD"), Err(MoneyError::CurrencyMismatch));
    assert_eq!(minor("美金 100", "TWD"), Err(MoneyError::CurrencyMismatch));
    assert_eq!(minor("NT$100 USD", "TWD"), Err(MoneyError::NotANumber));
    assert_eq!(minor("NT$100 元整", "TWD"), Ok(10_000));
    assert_eq!(minor("100 元 整 理", "TWD"), Err(MoneyError::NotANumber));
    assert_eq!(minor("1e3", "TWD"), Err(MoneyError::NotANumber));
    assert_eq!(minor("=SUM(A1)", "TWD"), Err(MoneyError::NotANumber));
    assert_eq!(minor("1234,56", "TWD"), Err(MoneyError::Comma));
    assert_eq!(minor("", "TWD"), Err(MoneyError::Empty));
}

/// A cell is an amount or nothing: a date, a time, a formula's text or a percentage that
/// landed in the amount column (a column shifted in a spreadsheet) is refused, never read
/// as the digits it contains (`2026/11/01` was booked as NT$20,261,101).
#[test]
fn a_cell_that_is_not_an_amount_is_never_its_digits() {
    let c = |code: &str| Currency::parse(code).unwrap();
    let minor = |cell: &str, code: &str| Money::written(cell, c(code)).map(|m| m.minor);
    for cell in [
        "2026/11/01",
        "2026-11-01",
        "12:30",
        "5*3",
        "1234%",
        "#1234",
        "~100",
        "1_000",
        "1'234.50",
        "1元2",
        "NT$1 2元 3",
        "12 34",
        "1 234 5",
        "-5-",
        "(-5)",
        "+-5",
        "1,234 / 5",
        "٣",
        "1.5E+3",
        "≈100",
    ] {
        assert_eq!(minor(cell, "TWD"), Err(MoneyError::NotANumber), "{cell}");
    }
    // Spaces between groups of three are thousands, as a comma is: a no-break space as
    // Excel in France writes it, a full-width space, and a sign apart from its number.
    assert_eq!(minor("10 000", "TWD"), Ok(1_000_000));
    assert_eq!(minor("1\u{a0}234,56", "EUR"), Err(MoneyError::Comma));
    assert_eq!(minor("1\u{a0}234.56 €", "EUR"), Ok(123_456));
    assert_eq!(minor("１　０００", "TWD"), Ok(100_000));
    assert_eq!(minor("- 1 000", "TWD"), Ok(-100_000));
    assert_eq!(minor("1 000 -", "TWD"), Ok(-100_000));
    assert_eq!(minor(".5", "TWD"), Ok(50));
    assert_eq!(minor("'1234", "TWD"), Ok(123_400));
    // Round amounts as people write them: 萬 (ten thousand), 億, K, M.
    assert_eq!(minor("50萬", "TWD"), Ok(50_000_000));
    assert_eq!(minor("NT$ 1.5 萬元", "TWD"), Ok(1_500_000));
    assert_eq!(minor("1.2345萬", "TWD"), Ok(1_234_500));
    assert_eq!(minor("新台幣2億元整", "TWD"), Ok(20_000_000_000));
    assert_eq!(minor("150K", "USD"), Ok(15_000_000));
    assert_eq!(minor("$1.2M", "USD"), Ok(120_000_000));
    assert_eq!(minor("(3萬)", "TWD"), Ok(-3_000_000));
    assert_eq!(
        minor("1.23456萬", "JPY"),
        Err(MoneyError::TooManyDecimals(4))
    );
    assert_eq!(minor("100 KRW", "KRW"), Ok(100));
    assert_eq!(minor("1,234 MYR", "MYR"), Ok(123_400));
    assert_eq!(minor("5 萬 萬", "TWD"), Err(MoneyError::NotANumber));
    assert_eq!(minor("萬", "TWD"), Err(MoneyError::NotANumber));
    assert_eq!(minor("2000000億", "TWD"), Err(MoneyError::TooLarge));
    assert_eq!(minor("\u{2212}1,000", "TWD"), Ok(-100_000));
    assert_eq!(minor("1,000\u{2013}", "TWD"), Ok(-100_000));
    assert_eq!(minor("NT$\u{FE63}5", "TWD"), Ok(-500));
    assert_eq!(minor("'-1,234", "TWD"), Ok(-123_400));
    assert_eq!(minor("5.", "TWD"), Ok(500));
    // Another currency's sign is a mismatch; `$` is any dollar's, `¥` and `￥` the yen's and
    // the yuan's.
    assert_eq!(minor("€100", "TWD"), Err(MoneyError::CurrencyMismatch));
    assert_eq!(minor("£5", "USD"), Err(MoneyError::CurrencyMismatch));
    assert_eq!(minor("$100", "EUR"), Err(MoneyError::CurrencyMismatch));
    assert_eq!(minor("¥1,000", "TWD"), Err(MoneyError::CurrencyMismatch));
    assert_eq!(minor("$100", "TWD"), Ok(10_000));
    assert_eq!(minor("＄100", "TWD"), Ok(10_000));
    assert_eq!(minor("￥1,000", "JPY"), Ok(1_000));
    assert_eq!(minor("￥88.50", "CNY"), Ok(8_850));
    assert_eq!(minor("₩50,000", "KRW"), Ok(50_000));
    assert_eq!(minor("£5.20", "GBP"), Ok(520));
    assert_eq!(minor("NT$", "TWD"), Err(MoneyError::Empty));
    assert_eq!(minor("  ", "TWD"), Err(MoneyError::Empty));
}

/// A currency column names its currency by code in any case, or by the marks only that
/// currency is written with; marks two currencies share name none.
#[test]
fn a_currency_column_may_write_the_currency_as_a_ledger_does() {
    for (text, code) in [
        ("TWD", "TWD"),
        (" twd ", "TWD"),
        ("ＴＷＤ", "TWD"),
        ("NTD", "TWD"),
        ("ntd", "TWD"),
        ("NT$", "TWD"),
        ("新台幣", "TWD"),
        ("新臺幣", "TWD"),
        ("台幣", "TWD"),
        ("人民幣", "CNY"),
        ("RMB", "CNY"),
        ("美金", "USD"),
        ("US$", "USD"),
        ("HK$", "HKD"),
        ("港幣", "HKD"),
        ("S$", "SGD"),
        ("A$", "AUD"),
        ("日圓", "JPY"),
        ("円", "JPY"),
        ("€", "EUR"),
        ("歐元", "EUR"),
        ("₩", "KRW"),
    ] {
        assert_eq!(
            Currency::written(text).map(Currency::code),
            Some(code),
            "{text}"
        );
    }
    for text in [
        "", "$", "元", "¥", "A", "S", "NT$ USD", "TWD USD", "dollars", "1 TWD", "NTD$€",
    ] {
        assert_eq!(Currency::written(text), None, "{text}");
    }
}

proptest! {
    /// Whatever a cell holds, reading it never panics, and an amount it gives is one that
    /// is written back the same.
    #[test]
    fn any_cell_is_an_amount_written_back_the_same_or_refused(cell in "\\PC{0,24}") {
        let twd = Currency::parse("TWD").unwrap();
        if let Ok(m) = Money::written(&cell, twd) {
            prop_assert_eq!(Money::written(&m.to_plain(), twd), Ok(m));
            let digits: String = cell.chars().filter(|c| c.is_ascii_digit()).collect();
            prop_assert!(!digits.is_empty() || cell.chars().any(|c| ('０'..='９').contains(&c)));
        }
    }
}
use proptest::prelude::*;

fn twd() -> Currency {
    Currency::parse("TWD").unwrap()
}
fn usd() -> Currency {
    Currency::parse("usd").unwrap()
}

#[test]
fn every_currency_in_use_is_known_with_its_minor_unit() {
    let c = |code: &str| Currency::parse(code).unwrap_or_else(|| panic!("{code}"));
    // Three decimals (the dinars), none (the francs, the peso, the krona), two.
    for (code, exp) in [
        ("KWD", 3),
        ("BHD", 3),
        ("OMR", 3),
        ("JOD", 3),
        ("TND", 3),
        ("CLP", 0),
        ("ISK", 0),
        ("XOF", 0),
        ("UGX", 0),
        ("DKK", 2),
        ("SEK", 2),
        ("BRL", 2),
        ("ZAR", 2),
        ("MXN", 2),
        ("PLN", 2),
        ("AED", 2),
        ("SAR", 2),
        ("MOP", 2),
    ] {
        assert_eq!(c(code).exponent(), exp, "{code}");
    }
    assert_eq!(
        Money::parse("1,234.567", c("KWD")),
        Ok(Money::new(1_234_567, c("KWD")))
    );
    assert_eq!(Money::parse("0.001", c("BHD")).unwrap().minor, 1);
    assert_eq!(
        Money::parse("1.2345", c("KWD")),
        Err(MoneyError::TooManyDecimals(3))
    );
    assert_eq!(Money::parse("1,000.00", c("CLP")).unwrap().minor, 1_000);
    assert_eq!(Money::new(-1_234_567, c("KWD")).format(), "-KWD 1,234.567");
    assert_eq!(Money::new(1_500_000, c("CLP")).format(), "CLP 1,500,000");
    assert_eq!(Money::new(123_456, c("dkk")).format(), "DKK 1,234.56");
    assert_eq!(
        Money::written("1,234.567 KWD", c("KWD")).unwrap().minor,
        1_234_567
    );
    assert_eq!(
        Money::written("1,234 SEK", c("DKK")),
        Err(MoneyError::CurrencyMismatch)
    );
    // No two entries for one code, codes are three capitals, withdrawn ones are gone.
    let all = Currency::all();
    let mut codes: Vec<&str> = all.iter().map(|c| c.code()).collect();
    assert!(codes
        .iter()
        .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    assert!(all.len() > 150, "{}", all.len());
    for gone in ["HRK", "SLL", "ZWL", "CUC", "XAU", "XXX"] {
        assert!(Currency::parse(gone).is_none(), "{gone}");
    }
}

#[test]
fn amounts_format_the_way_resellers_write_them() {
    assert_eq!(Money::new(1_234_500, twd()).format(), "NT$12,345");
    assert_eq!(Money::new(1_234_550, twd()).format(), "NT$12,345.50");
    assert_eq!(Money::new(123_456, usd()).format(), "US$1,234.56");
    assert_eq!(Money::new(-500, usd()).format(), "-US$5.00");
    assert_eq!(Money::new(0, usd()).format(), "US$0.00");
    let jpy = Currency::parse("JPY").unwrap();
    assert_eq!(Money::new(1_000_000, jpy).format(), "¥1,000,000");
}

/// In Taiwan a bare "$" reads as NT$: a dollar is always written with its country, and no
/// two currencies share a symbol (a letter in either language can be read one way only).
#[test]
fn every_dollar_names_its_country_and_no_symbol_is_shared() {
    let all = Currency::all();
    for c in &all {
        let symbol = c.symbol();
        if let Some(at) = symbol.find('$') {
            assert!(at > 0, "{c}: {symbol:?} is a bare dollar");
        }
        let twins: Vec<_> = all.iter().filter(|o| o.symbol() == symbol).collect();
        assert_eq!(twins, vec![c], "{symbol:?}");
    }
    assert_eq!(Currency::parse("USD").unwrap().symbol(), "US$");
}

#[test]
fn typed_amounts_parse_exactly_without_floats() {
    assert_eq!(Money::parse("1,234.56", usd()).unwrap().minor, 123_456);
    assert_eq!(Money::parse("0.1", usd()).unwrap().minor, 10);
    assert_eq!(Money::parse(".5", usd()).unwrap().minor, 50);
    assert_eq!(Money::parse("50000", twd()).unwrap().minor, 5_000_000);
    assert_eq!(Money::parse("-3", usd()).unwrap().minor, -300);
    assert_eq!(
        Money::parse("1.234", usd()),
        Err(MoneyError::TooManyDecimals(2))
    );
    assert_eq!(Money::parse("12a", usd()), Err(MoneyError::NotANumber));
    // Commas separate thousands only: nothing else is read as another number.
    assert_eq!(
        Money::parse("1,234,567.50", usd()).unwrap().minor,
        123_456_750
    );
    assert_eq!(Money::parse("-1,000", usd()).unwrap().minor, -100_000);
    for bad in [
        "1234,56",
        "12,5",
        "1,2,3",
        ",123",
        "1,23,456",
        "1,234,",
        "12345,678",
        "1.234,56",
    ] {
        assert_eq!(Money::parse(bad, usd()), Err(MoneyError::Comma), "{bad}");
    }
    assert!(MoneyError::Comma.to_string().contains("point for decimals"));
    // One ceiling for every amount.
    assert!(Money::parse("10000000000000.00", usd()).is_ok());
    assert_eq!(
        Money::parse("10000000000000.01", usd()),
        Err(MoneyError::TooLarge)
    );
    assert_eq!(
        Money::parse("50,000,000,000,000,000.00", twd()),
        Err(MoneyError::TooLarge)
    );
    assert_eq!(Money::parse("", usd()), Err(MoneyError::Empty));
    assert_eq!(Money::parse(".", usd()), Err(MoneyError::NotANumber));
    assert_eq!(
        Money::parse("99999999999999999999", usd()),
        Err(MoneyError::TooLarge)
    );
    let jpy = Currency::parse("JPY").unwrap();
    assert_eq!(
        Money::parse("1.5", jpy),
        Err(MoneyError::TooManyDecimals(0))
    );
    // Zeros past the currency's decimals are the same amount: an export's fixed four
    // decimals, yen as a spreadsheet formats any number. A digit that is not zero is still
    // refused, however far out, and nothing is rounded.
    assert_eq!(Money::parse("1,000.00", jpy).unwrap().minor, 1_000);
    assert_eq!(Money::parse("1000.", jpy).unwrap().minor, 1_000);
    assert_eq!(Money::parse("12.3400", usd()).unwrap().minor, 1_234);
    assert_eq!(Money::parse("-0.0100", usd()).unwrap().minor, -1);
    assert_eq!(Money::parse("0.000", usd()).unwrap().minor, 0);
    assert_eq!(
        Money::parse("12.3401", usd()),
        Err(MoneyError::TooManyDecimals(2))
    );
    assert_eq!(
        Money::parse("1.0000000000000000000001", usd()),
        Err(MoneyError::TooManyDecimals(2))
    );
    assert_eq!(
        Money::parse("1,000.05", jpy),
        Err(MoneyError::TooManyDecimals(0))
    );
    assert_eq!(Money::parse(".00", jpy), Ok(Money::zero(jpy)));
}

#[test]
fn adding_different_currencies_is_refused() {
    let a = Money::new(1, usd());
    let b = Money::new(1, twd());
    assert_eq!(a.checked_add(b), Err(MoneyError::CurrencyMismatch));
    assert_eq!(
        Money::new(i64::MAX, usd()).checked_add(a),
        Err(MoneyError::TooLarge)
    );
}

#[test]
fn unknown_currencies_are_refused() {
    assert!(Currency::parse("XYZ").is_none());
    assert!(Currency::parse("").is_none());
    // Written any case, with spaces around: the same currency; anything longer is not one.
    for code in [" twd", "Twd ", "\tTWD\n"] {
        assert_eq!(
            Currency::parse(code).map(Currency::code),
            Some("TWD"),
            "{code:?}"
        );
    }
    for code in ["TWDX", "TW D", "ＴＷＤ", "usd;"] {
        assert!(Currency::parse(code).is_none(), "{code:?}");
    }
}

proptest! {
    #[test]
    fn plain_text_round_trips(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
        for c in [usd(), twd(), Currency::parse("JPY").unwrap()] {
            let m = Money::new(minor, c);
            prop_assert_eq!(Money::parse(&m.to_plain(), c).unwrap(), m);
        }
    }

    #[test]
    fn formatted_text_keeps_every_digit(minor in 0i64..1_000_000_000_000i64) {
        let m = Money::new(minor, usd());
        let digits: String = m.format().chars().filter(|c| c.is_ascii_digit()).collect();
        let expected = minor.to_string();
        prop_assert_eq!(digits.trim_start_matches('0'), expected.trim_start_matches('0'));
    }
}
