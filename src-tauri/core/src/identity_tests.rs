use super::*;

#[test]
fn one_reference_as_spreadsheets_and_keyboards_write_it_is_one_key() {
    for raw in ["00123", "123", " 0123 ", "１２３", "００１２３"] {
        assert_eq!(reference_key(raw), "123", "{raw}");
    }
    for raw in [
        "INV-00123",
        "inv-00123",
        "ｉｎｖ－００１２３",
        " Inv-00123\t",
    ] {
        assert_eq!(reference_key(raw), "INV-00123", "{raw}");
    }
    // Zeros inside a number with letters are kept: INV-0123 is not INV-123.
    assert_ne!(reference_key("INV-0123"), reference_key("INV-123"));
    assert_ne!(reference_key("1230"), reference_key("123"));
    assert_eq!(reference_key("000"), "0");
    assert_eq!(reference_key("0"), "0");
    assert_eq!(reference_key(""), "");
    assert_eq!(reference_key("發票一二三"), "發票一二三");
}

#[test]
fn a_long_number_a_spreadsheet_could_not_keep_is_told() {
    for t in [
        "1.23457E+15",
        "1E+11",
        "9.87654321E+19",
        "1.2e+100",
        "１．２３Ｅ＋１５",
    ] {
        assert!(is_spreadsheet_exponent(t), "{t}");
    }
    for t in [
        "INV-1E+15",
        "12.3E+15",
        "1.23E15",
        "1.23E-05",
        "1.E+15",
        "E+15",
        "1.23E+1",
        "123",
        "2E+5A",
        "",
    ] {
        assert!(!is_spreadsheet_exponent(t), "{t}");
    }
}

#[test]
fn one_taiwan_phone_written_four_ways_is_one_number() {
    for raw in [
        "02-2345-6789",
        "(02) 2345 6789",
        "+886 2 2345 6789",
        "+886-2-23456789",
        "０２－２３４５－６７８９",
        "886-2-2345-6789",
        "+886 (0)2 2345 6789",
        // Dialled from abroad: `00` (most of the world) and `002` (Taiwan's own prefix).
        "00886 2 2345 6789",
        "002-886-2-2345-6789",
    ] {
        assert_eq!(phone(raw, "TW"), "+886223456789", "{raw}");
    }
    // A Taiwanese mobile written in a Singapore customer's record from abroad (Singapore
    // dials 008 abroad too, but `00886` is what a person writes for Taiwan).
    assert_eq!(phone("00886 912 345 678", "SG"), "+886912345678");
    assert_eq!(phone("00886 2 2395 0000", "SG"), "+886223950000");
    assert_eq!(phone("+886 (0)2 2345 6789", "SG"), "+886223456789");
    // `00` before digits that are no number anywhere leaves the digits.
    assert_eq!(phone("00 123 456", "TW"), "00123456");
    // A country code without `+`, in a record of another country, where that country's
    // rules do not read the number: the number in the code's country.
    assert_eq!(phone("886 912 345 678", "US"), "+886912345678");
    assert_eq!(phone("886-2-2345-6789", "JP"), "+886223456789");
    assert_eq!(phone("44 20 7946 0321", "TW"), "+442079460321");
    // A number its own country reads stays its own.
    assert_eq!(phone("(425) 555-0100", "US"), "+14255550100");
    assert_eq!(phone("0912 345 678", "TW"), "+886912345678");
    // The same digits in another country are another number.
    assert_ne!(phone("02-2345-6789", "TW"), phone("02 2345 6789", "AU"));
    assert_eq!(phone("123", "TW"), "");
    // An extension is one switchboard's line: the number is the number.
    for raw in [
        "(02)2345-6789#123",
        "02-2345-6789 分機 45",
        "02 2345 6789 ext. 7",
    ] {
        assert_eq!(phone(raw, "TW"), "+886223456789", "{raw}");
    }
    assert_eq!(
        phone_extension("02-2345-6789 分機 45"),
        ("02-2345-6789", Some("45"))
    );
    assert_eq!(
        phone_extension("+1 425 555 0100 Extension: 12"),
        ("+1 425 555 0100", Some("12"))
    );
    assert_eq!(phone_extension("02-2345-6789"), ("02-2345-6789", None));
}

#[test]
fn e_mail_domains_are_registrable_domains() {
    assert_eq!(email_domain("a@mail.x.com.tw"), "x.com.tw");
    assert_eq!(email_domain("b@X.com.tw"), "x.com.tw");
    assert_eq!(email_domain("c@sub.example.co.uk"), "example.co.uk");
    assert_eq!(email_domain("nobody"), "");
    assert!(is_public_mail(&email_domain("someone@gmail.com")));
    assert!(is_public_mail(&email_domain("x@msa.hinet.net")));
    assert!(!is_public_mail(&email_domain("x@apexcloud.com.tw")));
}

#[test]
fn one_mailbox_written_three_ways_is_one() {
    for raw in [
        "Fraud.Ster@gmail.com",
        " fraudster+signup2@GoogleMail.com ",
        "ｆｒａｕｄｓｔｅｒ＠ｇｍａｉｌ．ｃｏｍ",
    ] {
        assert_eq!(mailbox(raw), "fraudster@gmail.com", "{raw}");
    }
    // Dots count elsewhere; the tag goes everywhere.
    assert_ne!(mailbox("a.b@outlook.com"), mailbox("ab@outlook.com"));
    assert_eq!(mailbox("ab+x@outlook.com"), "ab@outlook.com");
    for none in [
        "",
        "nobody",
        "@gmail.com",
        "+x@gmail.com",
        "a@localhost",
        "a@",
    ] {
        assert_eq!(mailbox(none), "", "{none:?}");
    }
}

#[test]
fn tax_ids_lose_their_separators_and_taiwan_numbers_are_checked() {
    assert_eq!(tax_id("1234 5676"), "12345676");
    assert_eq!(tax_id("12-345-676"), "12345676");
    assert_eq!(tax_id("１２３４５６７６"), "12345676");
    // As a spreadsheet keeps a number or drops its zeros, one id; letters keep theirs.
    for raw in ["04595257", "4595257", "0459-5257", "統編：０４５９５２５７"] {
        assert_eq!(tax_key(raw, "TW"), "04595257", "{raw}");
    }
    for raw in ["012345678", "12345678", "0012-345-678"] {
        assert_eq!(tax_key(raw, "US"), "12345678", "{raw}");
    }
    // Letters keep the zeros after them, but not the customer's own country code, which
    // is no part of the number.
    assert_eq!(tax_key("GB012345678", "DE"), "GB012345678");
    assert_eq!(tax_key("DE012345678", "DE"), tax_key("012345678", "DE"));
    assert_eq!(tax_key("0000", "TW"), "");
    assert_eq!(tax_key("123456789", "TW"), "123456789");
    assert_ne!(tax_key("4595257", "TW"), tax_key("45952570", "TW"));
    // The zeros a spreadsheet dropped are put back where the number is then valid.
    assert_eq!(tw_business_number_restored("TW", "4595257"), "04595257");
    assert_eq!(tw_business_number_restored("tw ", "4595257"), "04595257");
    assert_eq!(tw_business_number_restored("TW", "4595258"), "4595258");
    assert_eq!(tw_business_number_restored("US", "4595257"), "4595257");
    assert_eq!(tw_business_number_restored("TW", "0459 5257"), "0459 5257");
    assert_eq!(tw_business_number_restored("TW", ""), "");
    // Fewer than six digits are no number that lost its zeros (00000005 would be valid).
    assert_eq!(tw_business_number_restored("TW", "5"), "5");
    // Valid unified business numbers (checksum), including the seventh-digit-7 rule.
    assert!(tw_business_number_ok("04595257"));
    assert!(tw_business_number_ok("10458575"));
    assert!(!tw_business_number_ok("04595258"));
    assert!(!tw_business_number_ok("1234567"));
}

/// The one form all of `written` share (each must).
pub(super) fn one_place(written: &[&str]) -> String {
    let one = address(written[0]);
    for other in &written[1..] {
        assert_eq!(address(other), one, "{other} ~ {}", written[0]);
    }
    one
}

#[test]
fn addresses_are_compared_in_one_form() {
    assert_eq!(
        address("No. 7, Sec. 5, Xinyi Rd., 101F"),
        address("no 7 section 5 xinyi road 101f")
    );
    assert_eq!(address("臺北市信義區"), address("台北市信義區"));
    // One Taiwanese address written six ways.
    let one = one_place(&[
        "台北市信義區松仁路100之1號5樓",
        "110台北市信義區松仁路100-1號5F",
        "110 臺北市信義區松仁路１００之１號５樓",
        "台灣台北市信義區松仁路100-1號5 F",
        "中華民國 11049 台北市信義區松仁路100之1號 5 樓",
        "台灣110台北市信義區松仁路100之1號5F",
    ]);
    assert_eq!(one, "台北市信義區松仁路100 1號5f");
    // The section, number and floor in Chinese numerals, as a formal address writes them.
    assert_eq!(
        address("臺北市大安區忠孝東路四段一百號十二樓"),
        address("台北市大安區忠孝東路4段100號12F")
    );
    assert_ne!(
        address("台北市大安區忠孝東路三段100號12F"),
        address("台北市大安區忠孝東路4段100號12F")
    );
    // Another floor, another sub-number, another street number: another place.
    for other in [
        "台北市信義區松仁路100之1號6樓",
        "台北市信義區松仁路100之2號5樓",
        "台北市信義區松仁路101之1號5樓",
    ] {
        assert_ne!(address(other), one, "{other}");
    }
    // A number before Latin text is the house number, never a postal code.
    assert_ne!(address("100 Main Street"), address("200 Main Street"));
    assert_ne!(address("110 Main Street"), address("Main Street"));
    // A letter after the floor's F is a word: "5fun" is not a floor.
    assert_eq!(address("5fun street"), "5fun street");
    assert_eq!(address("ＮＯ．７"), address("No. 7"));
    // A floor's sub-number, and numbers joined by 之 in Chinese numerals.
    assert_eq!(
        address("台北市信義區松仁路一百之一號五樓之二"),
        address("台北市信義區松仁路100-1號5F-2")
    );
    assert_ne!(
        address("台北市信義區松仁路100號5樓之1"),
        address("台北市信義區松仁路100號5樓之2")
    );
    // The post office's English form, with or without its postal code and country.
    one_place(&[
        "5F.-1, No. 100, Sec. 4, Zhongxiao E. Rd., Da'an Dist., Taipei City",
        "5F-1 No.100 Section 4 Zhongxiao East Road Daan District Taipei City 106, Taiwan (R.O.C.)",
        "5th Floor-1, No 100, Sec 4, Zhongxiao E Rd, Da’an Dist, Taipei City 10696, TAIWAN",
        "FLOOR 5-1, NO100, SEC. 4, ZHONGXIAO E. RD., DA'AN DIST., TAIPEI CITY, ROC",
    ]);
    // A number at the end is a house number, never a postal code, unless it follows the city.
    assert_ne!(address("Hauptstrasse 100"), address("Hauptstrasse 200"));
    // Elsewhere: the usual abbreviations, and the country by its name at the end or not.
    one_place(&[
        "Suite 400, 123 Main St., Austin, TX 78701, USA",
        "STE 400 123 MAIN STREET AUSTIN TX 78701",
        "Suite 400, 123 Main Street, Austin, TX 78701, United States of America",
    ]);
    one_place(&[
        "Unit 3, 25 Collins Pl, Melbourne VIC 3000, Australia",
        "Unit 3, 25 Collins Place, Melbourne VIC 3000",
    ]);
    one_place(&[
        "12 Jln Sultan Ismail, 50250 Kuala Lumpur, Malaysia",
        "12 Jalan Sultan Ismail, 50250 Kuala Lumpur",
    ]);
    one_place(&[
        "Flr 2, 8 Harbour Blvd, Hong Kong",
        "2nd Floor, 8 Harbour Boulevard, Hong Kong, Hong Kong SAR",
    ]);
    // A two-letter code at the end may be a state's: it stays. A country alone stays.
    assert_ne!(
        address("123 Main St, Springfield, IL"),
        address("123 Main St, Springfield, CA")
    );
    assert_eq!(address("Singapore"), "singapore");
    assert_eq!(address("United Kingdom"), "united kingdom");
    assert_ne!(address("1 Main Dr, Canada"), address("1 Main Dr, Japan 2"));
}

#[test]
fn one_domain_name_under_several_endings_is_one_and_a_short_one_is_its_domain() {
    let name = |email: &str| domain_name(&email_domain(email));
    let apex = [
        "apexcloud.com",
        "apex-cloud.net",
        "it@Mail.APEX-CLOUD.com.tw",
        "apex--cloud.io",
    ];
    assert!(apex.iter().all(|d| name(d) == "apexcloud"), "{apex:?}");
    assert_ne!(name("apexcloud.com"), name("apexclouds.com"));
    // Too short to tell firms apart: the whole domain.
    assert_eq!(name("abc.com"), "abc.com");
    assert_ne!(name("abc.com"), name("a-bc.tw"));
    assert_eq!(
        (name(""), domain_name("localhost")),
        (String::new(), "localhost".into())
    );
}

/// A number after `+` however it is grouped, with the trunk 0 written after the country
/// code or not, is one number in any customer's country; of two numbers, the first.
#[test]
fn an_international_number_is_read_whatever_the_country_and_the_first_of_two() {
    let written = [
        ("+886912-345-678", "+886912345678"),
        ("+886(0)912-345-678", "+886912345678"),
        ("+886 0912 345 678", "+886912345678"),
        ("+886-0912-345-678", "+886912345678"),
        ("Tel: +886-2-2345-6789", "+886223456789"),
        // Rome keeps its 0 after the code; London's is the trunk prefix.
        ("+39 06 1234 5678", "+390612345678"),
        ("+44 020 7946 0018", "+442079460018"),
        ("02-2345-6789 / 0912-345-678", "+886223456789"),
        ("0912 345 678、02 2345 6789", "+886912345678"),
    ];
    for (raw, key) in written {
        for country in ["TW", "US", "SG"] {
            if raw.contains('+') || country == "TW" {
                assert_eq!(phone(raw, country), key, "{raw} in {country}");
            }
        }
    }
}

/// A tax id with its label or with the customer's country before it, as VAT numbers are
/// written, is the number; another country's prefix is another number.
#[test]
fn a_tax_id_with_its_label_or_country_code_is_the_number() {
    let alike = [
        ("VAT: GB123456789", "GB 123 4567 89", "GB"),
        ("DE123456789", "123456789", "DE"),
        ("EL 094014201", "094014201", "GR"),
        ("ABN 51 824 753 556", "51824753556", "AU"),
        ("TW 04595257", "統一編號：4595257", "TW"),
        ("vat no. fr 40 303 265 045", "40303265045", "FR"),
    ];
    for (a, b, country) in alike {
        assert_eq!(
            tax_key(a, country),
            tax_key(b, country),
            "{a} / {b} in {country}"
        );
    }
    assert_ne!(tax_key("DE123456789", "FR"), tax_key("123456789", "FR"));
    // A Singapore UEN keeps its letters; a label alone is no number.
    assert_eq!(tax_key("UEN 201912345K", "SG"), "201912345K");
    assert_eq!(tax_key("VAT", "GB"), "VAT");
}
