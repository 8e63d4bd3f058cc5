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
fn a_legal_name_written_three_ways_is_one_and_keeps_its_legal_form() {
    for raw in [
        "Acme Ltd.",
        "  ACME   LTD ",
        "Acme, Ltd",
        "ＡＣＭＥ　Ｌｔｄ",
    ] {
        assert_eq!(legal_name(raw), "acme ltd", "{raw:?}");
    }
    assert_ne!(legal_name("Acme Ltd"), legal_name("Acme Inc"));
    // `&` is `and`, however it is spaced or written (full width too).
    for raw in [
        "Smith & Sons Ltd",
        "SMITH AND SONS LTD.",
        "Smith&Sons, Ltd",
        "Smith ＆ Sons Limited",
    ] {
        assert_eq!(legal_name(raw), "smith and sons ltd", "{raw:?}");
        assert_eq!(company(raw), "smith and sons", "{raw:?}");
    }
    assert_ne!(legal_name("Smith & Sons Ltd"), legal_name("Smith Sons Ltd"));
    // Initials with dots or spaces are one word: a legal form (`L.L.C.`, `K.K.`) or a name.
    for (a, b) in [
        ("Acme L.L.C.", "ACME LLC"),
        ("Osaka Trading K.K.", "Osaka Trading KK"),
        ("A.B.C. Cloud Ltd", "ABC Cloud Ltd"),
        ("A. B. C. Cloud Ltd", "abc cloud ltd."),
        ("Fabrikam S.A.", "Fabrikam SA"),
    ] {
        assert_eq!(legal_name(a), legal_name(b), "{a} / {b}");
        assert_eq!(company(a), company(b), "{a} / {b}");
    }
    assert_eq!(company("Acme L.L.C."), "acme");
    assert_eq!(company("Osaka Trading K.K."), "osaka trading");
    assert_eq!(company("Plan B Media"), "plan b media");
    assert_ne!(legal_name("Acme LLC"), legal_name("Acme Ltd"));
    assert_eq!(
        legal_name("臺北雲端股份有限公司"),
        legal_name("台北雲端股份有限公司")
    );
    assert_ne!(
        legal_name("台北雲端股份有限公司"),
        legal_name("台北雲端有限公司")
    );
    assert_eq!(legal_name(" .,- "), "");
    // One legal form spelled out or abbreviated.
    assert_eq!(
        legal_name("Apex Cloud Company Limited"),
        legal_name("APEX CLOUD CO., LTD.")
    );
    assert_eq!(
        legal_name("台北雲端（股）公司"),
        legal_name("臺北雲端股份有限公司")
    );
    assert_eq!(
        legal_name("台北 雲端科技 股份有限公司"),
        legal_name("台北雲端科技股份有限公司")
    );
}

#[test]
fn company_names_are_compared_without_their_legal_form() {
    assert_eq!(
        company("Apex Cloud Trading Co., Ltd."),
        "apex cloud trading"
    );
    assert_eq!(company("台北雲端股份有限公司"), company("臺北雲端有限公司"));
    // Compared in one script: the simplified (many traditional characters are one there).
    assert_eq!(company("台北雲端（股）公司"), "台北云端");
    assert_eq!(company("台北雲端(股)公司"), "台北云端");
    // Spaces between Chinese characters (a bank's payer column, a typed list) are nothing;
    // a space between Chinese and Latin words stays.
    assert_eq!(company("王 小明"), company("王小明"));
    assert_eq!(company("台北　雲端 科技(股)公司"), "台北云端科技");
    assert_eq!(company("台北雲端 Cloud 科技"), "台北云端 cloud 科技");
    assert_eq!(name_stem("Apex Cloud Services Ltd"), "apex cloud");
    assert!(name_similarity("Apex Cloud Trading", "Apex Cloud Solutions Inc.") > 0.85);
    assert!(name_similarity("Contoso Trading", "Fabrikam Design") < 0.7);
}

/// Legal forms of Singapore, India and Malaysia in their spellings, accents a bank drops,
/// a leading `The`, and a Taiwanese branch: one name with its own, and one company.
#[test]
fn more_legal_forms_accents_the_and_branches_are_one_name() {
    for (a, b) in [
        ("Apex Cloud Pte. Ltd.", "APEX CLOUD PRIVATE LIMITED"),
        ("Apex Cloud Pvt Ltd", "Apex Cloud Pte Ltd"),
        ("Apex Cloud Sdn. Bhd.", "Apex Cloud Sendirian Berhad"),
        ("Café Nova Ltd", "CAFE NOVA LTD"),
        ("Tōkyō Trading K.K.", "Tokyo Trading KK"),
        ("The Apex Cloud Company", "Apex Cloud Co."),
    ] {
        assert_eq!(legal_name(a), legal_name(b), "{a} / {b}");
        assert_eq!(company(a), company(b), "{a} / {b}");
    }
    assert_eq!(company("Apex Cloud Sdn Bhd"), "apex cloud");
    assert_eq!(company("Private Jets Ltd"), "private jets");
    assert_ne!(
        legal_name("Apex Cloud Pte Ltd"),
        legal_name("Apex Cloud Ltd")
    );
    // `The` alone before one word is the name (`The Lab`).
    assert_eq!(company("The Lab"), "the lab");
    // A branch is its company; its legal name is its own.
    let branch = "速雲資訊股份有限公司台北分公司";
    assert_eq!(company(branch), company("速雲資訊(股)公司"));
    assert_ne!(legal_name(branch), legal_name("速雲資訊股份有限公司"));
    assert_eq!(company("台北分公司"), company("台北"));
}

#[test]
fn a_name_or_address_written_in_simplified_characters_is_the_traditional_one() {
    // A sign-up typed with a simplified-Chinese input method, or half of it.
    for (traditional, simplified) in [
        ("速雲資訊科技股份有限公司", "速云资讯科技股份有限公司"),
        ("速雲資訊科技股份有限公司", "速云資訊科技(股)公司"),
        ("臺北雲端國際貿易有限公司", "台北云端国际贸易有限公司"),
    ] {
        assert_eq!(legal_name(traditional), legal_name(simplified));
        assert_eq!(company(traditional), company(simplified));
        assert!(names_alike(traditional, simplified, 0.99));
        // The brand is found in either script, and shown as written.
        let (a, b) = (chinese_brand(traditional), chinese_brand(simplified));
        assert_eq!(a.as_deref().map(fold), b.as_deref().map(fold));
        assert_eq!(fold(&name_stem(traditional)), fold(&name_stem(simplified)));
    }
    assert_eq!(
        chinese_brand("速云资讯科技股份有限公司").as_deref(),
        Some("速云")
    );
    assert_eq!(name_stem("速雲資訊科技股份有限公司"), "速雲");
    // One brand in two trades, one written in each script.
    assert!(names_alike("速雲科技有限公司", "速云贸易有限公司", 0.85));
    // A place is no brand in either script.
    assert_eq!(chinese_brand("台湾贸易有限公司"), None);
    // Another name is still another.
    assert_ne!(
        legal_name("速雲科技有限公司"),
        legal_name("速電科技有限公司")
    );

    // An address: its floor, number and neighbourhood read in either script.
    let written = "110台北市信義區松仁路一百之一號五樓";
    for other in [
        "110台北市信义区松仁路一百之一号五楼",
        "台湾台北市信義区松仁路100-1号5楼",
        "中华民国台北市信義區松仁路100之1號5F",
    ] {
        assert_eq!(fold(&address(written)), fold(&address(other)), "{other}");
    }
    assert_ne!(
        fold(&address(written)),
        fold(&address("台北市信义区松仁路100-1号6楼"))
    );
    // As written, not folded: what a reason shows.
    assert_eq!(address(written), "台北市信義區松仁路100 1號5f");
}

/// A Chinese company's English name often spells its brand in pinyin: the two names are
/// one brand, whichever reading a character takes (重慶 is Chongqing); another spelling is
/// another brand.
#[test]
fn a_chinese_brand_spelled_in_pinyin_is_the_brand() {
    for (chinese, english) in [
        ("速雲資訊股份有限公司", "Suyun Information Co., Ltd."),
        ("速云科技有限公司", "SU-YUN TECHNOLOGY LTD"),
        ("重慶貿易有限公司", "Chongqing Trading"),
        // Tongyong Pinyin and the post office's spelling (華德 as Hwa Teh).
        ("欣興資訊有限公司", "Sinsing Information Co., Ltd."),
        ("華德資訊有限公司", "Hwa Teh Information Co., Ltd."),
        // By its Cantonese sound, as a Hong Kong company's English name spells it.
        ("永隆貿易有限公司", "Wing Lung Trading Ltd"),
        ("長江集團有限公司", "Cheung Kong Group Ltd"),
        // Spelled by custom rather than by sound: 新 Sun, 九龍 Kowloon, 香 Hong, 基 Kai.
        ("新興貿易有限公司", "Sun Hing Trading Ltd"),
        ("九龍貿易有限公司", "Kowloon Trading Limited"),
        ("九龍貿易有限公司", "Kau Lung Trading Limited"),
        ("香記貿易有限公司", "Hong Kee Trading Limited"),
        ("香記貿易有限公司", "Heung Kee Trading Limited"),
        ("新鴻基地產發展有限公司", "Sun Hung Kai Properties Limited"),
        ("新鴻基地產發展有限公司", "San Hung Kei Properties Limited"),
    ] {
        assert!(names_alike(chinese, english, 0.99), "{chinese} ~ {english}");
        assert!(names_alike(english, chinese, 0.99), "{english} ~ {chinese}");
    }
    assert_eq!(brand_spelled("速雲資訊")[0], "suyun");
    assert!(!names_alike("速雲資訊", "Sunyun Information", 0.99));
    assert!(!names_alike("速雲資訊", "Suyun", 0.99));
    // A customary spelling is one more way to write the character, not a licence for others.
    assert!(!names_alike(
        "新興貿易有限公司",
        "Sun Hung Trading Ltd",
        0.99
    ));
    assert!(!names_alike(
        "九龍貿易有限公司",
        "Kowlung Shipping Limited",
        0.99
    ));
    assert!(!names_alike(
        "香記貿易有限公司",
        "Hung Kee Trading Limited",
        0.99
    ));
    assert!(!names_alike(
        "新鴻基地產發展有限公司",
        "Sun Hung Kao Properties Limited",
        0.99
    ));
    assert!(brand_spelled("Suyun Information").is_empty());
}

/// Taiwanese records often give a company's name in both scripts: such a name is alike
/// its Chinese name and its English one, however the two are put together.
#[test]
fn a_name_in_two_scripts_is_its_chinese_name_and_its_english_one() {
    for both in [
        "速雲資訊股份有限公司 (Suyun Information Co., Ltd.)",
        "速雲資訊股份有限公司（Suyun Information Co., Ltd.）",
        "Suyun Information Co., Ltd. 速雲資訊股份有限公司",
        "速雲資訊股份有限公司／Suyun Information Co., Ltd.",
        "速雲資訊股份有限公司 - SUYUN INFORMATION CO LTD",
    ] {
        let (chinese, latin) = bilingual(both).unwrap_or_else(|| panic!("{both}"));
        assert_eq!(chinese, "速雲資訊股份有限公司", "{both}");
        assert_eq!(
            company(&latin),
            company("Suyun Information Co., Ltd."),
            "{both}"
        );
        for one in [
            "速雲資訊股份有限公司",
            "速云资讯",
            "Suyun Information Co., Ltd.",
            "SUYUN INFORMATION",
        ] {
            assert!(names_alike(both, one, 0.85), "{both} ~ {one}");
            assert!(names_alike(one, both, 0.85), "{one} ~ {both}");
        }
        assert!(!names_alike(both, "鼎盛資訊股份有限公司", 0.85), "{both}");
        assert!(!names_alike(both, "Dingsheng Information", 0.85), "{both}");
    }
    for one_script in [
        "速雲資訊股份有限公司",
        "Suyun Information Co., Ltd.",
        "台灣3M股份有限公司",
        "速雲 Cloud 資訊",
        "IBM 台",
        "",
    ] {
        assert_eq!(bilingual(one_script), None, "{one_script}");
    }
}

#[test]
fn an_english_name_s_brand_is_what_precedes_its_trade() {
    for (raw, brand) in [
        ("Apex Cloud Trading Ltd", "apex cloud"),
        ("APEX CLOUD SERVICES CO., LTD.", "apex cloud"),
        ("ApexCloud Solutions", "apexcloud"),
        ("Apex-Cloud Technology Services Inc.", "apex cloud"),
        ("Contoso Trading", "contoso"),
    ] {
        assert_eq!(english_brand(raw).as_deref(), Some(brand), "{raw}");
        assert_eq!(name_stem(raw), brand, "{raw}");
        assert!(stem_groups(raw, &name_stem(raw)), "{raw}");
    }
    // No word of trade at the end, only common words or places, or Chinese: no brand.
    for none in [
        "Apex Cloud",
        "Apex Cloud Foods",
        "Cloud Services Ltd",
        "Global Trading",
        "Taipei Trading Co., Ltd.",
        "New Asia Digital Media",
        "Trading",
        "台北 Cloud 科技",
        "",
    ] {
        assert_eq!(english_brand(none), None, "{none}");
    }
    // One brand written with or without its space, in three trades: alike.
    assert!(names_alike(
        "Apex Cloud Trading Ltd",
        "ApexCloud Services",
        0.85
    ));
    assert!(names_alike(
        "APEXCLOUD SOLUTIONS",
        "Apex-Cloud Technology",
        0.85
    ));
    // Honest companies named after a city share no stem.
    assert_ne!(
        name_stem("Taipei Trading"),
        name_stem("Taipei Logistics Services")
    );
    assert_eq!(name_stem("Taipei Trading Co., Ltd."), "taipei trading");
    // A brand under four letters is too short to group.
    assert!(!stem_groups("Abc Trading", &name_stem("Abc Trading")));
}

#[test]
fn a_chinese_name_s_brand_is_what_precedes_its_trade() {
    assert_eq!(
        chinese_brand("速雲資訊科技股份有限公司").as_deref(),
        Some("速雲")
    );
    assert_eq!(chinese_brand("速雲貿易有限公司").as_deref(), Some("速雲"));
    assert_eq!(chinese_brand("快速雲端科技").as_deref(), Some("快速"));
    assert_eq!(chinese_brand("快速雲網科技").as_deref(), Some("快速雲網"));
    // No trade word, a place, one character, or Latin letters: no brand.
    for none in [
        "速雲股份有限公司",
        "台北科技有限公司",
        "臺中貿易",
        "雲科技",
        "Apex 科技",
        "科技",
        "",
    ] {
        assert_eq!(chinese_brand(none), None, "{none}");
    }
    assert!(names_alike(
        "速雲科技有限公司",
        "速雲貿易股份有限公司",
        0.85
    ));
    assert!(!names_alike("速雲科技", "快雲科技", 0.85));
    assert!(!names_alike("台北科技", "台北貿易", 0.85));
    // One name under three legal forms groups by its whole compared name.
    for raw in ["Contoso", "CONTOSO LIMITED", "Contoso Co., Ltd."] {
        assert_eq!(name_stem(raw), "contoso");
        assert!(stem_groups(raw, &name_stem(raw)), "{raw}");
    }
    assert!(
        stem_groups("大同雲有限公司", "大同雲"),
        "three characters, no trade"
    );
    for raw in ["速雲股份有限公司", "速雲有限公司", "速雲"] {
        assert_eq!(name_stem(raw), "速雲");
        assert!(
            !stem_groups(raw, &name_stem(raw)),
            "two characters alone: {raw}"
        );
    }
    assert!(stem_groups("速雲貿易有限公司", "速雲"));
    assert!(!stem_groups("Acme Cloud", "acme"), "a first word alone");
    assert!(!stem_groups("Abc", "abc"), "too short");
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
