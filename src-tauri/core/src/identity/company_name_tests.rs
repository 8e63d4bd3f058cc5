//! Company names compared in one form: legal forms and branches, simplified characters,
//! a Chinese brand spelled in pinyin, a name written in both scripts, a brand before its trade.

use super::*;

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
