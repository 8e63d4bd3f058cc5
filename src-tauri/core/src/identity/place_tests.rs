//! Taiwanese street addresses in Chinese and in English as one place, and Hong Kong's
//! beside them: the keys [`super::place`] gives.

use super::*;

fn keys(written: &str) -> Vec<String> {
    place(written)
}

/// Whether the English form's key is one of the Chinese form's.
fn one_place(chinese: &str, english: &str) -> bool {
    let en = keys(english);
    assert_eq!(en.len(), 1, "{english}: {en:?}");
    keys(chinese).contains(&en[0])
}

#[test]
fn a_place_in_chinese_is_the_place_in_english() {
    for (chinese, english) in [
        (
            "110台北市信義區松仁路100號5樓",
            "5F., No. 100, Songren Rd., Xinyi Dist., Taipei City 110, Taiwan (R.O.C.)",
        ),
        (
            "臺北市信義區松仁路一百之一號五樓之二",
            "5F-2, No. 100-1, Songren Rd., Xinyi Dist., Taipei City",
        ),
        // Simplified characters, no district, the floor spelled out in English.
        (
            "台北市松仁路100号5楼",
            "No. 100, Song-ren Road, 5th Floor, Xinyi District, Taipei",
        ),
        (
            "台北市大安區忠孝東路四段12巷3弄7號",
            "No. 7, Aly. 3, Ln. 12, Sec. 4, Zhongxiao E. Rd., Da'an Dist., Taipei City 106",
        ),
        (
            "高雄市前金區中正四路211號",
            "No. 211, Zhongzheng 4th Rd., Qianjin Dist., Kaohsiung City",
        ),
        (
            "台中市西屯區台灣大道三段99號",
            "No. 99, Sec. 3, Taiwan Blvd., Xitun Dist., Taichung City",
        ),
        // A county's city is its district; a village and its neighbourhood are left out.
        (
            "新竹縣竹北市東平里5鄰光明六路100號",
            "No. 100, Guangming 6th Rd., Zhubei City, Hsinchu County 302",
        ),
        // Older English, in Wade-Giles.
        (
            "台北市大安區忠孝東路四段12巷3弄7號",
            "No. 7, Aly. 3, Ln. 12, Sec. 4, Chung Hsiao E. Rd., Taipei",
        ),
        (
            "台北市信義區信義路五段7號",
            "No. 7, Sec. 5, Hsin Yi Rd., Taipei City",
        ),
        // 重 is most often read zhong; in this road's name it is chong.
        (
            "台北市中正區重慶南路一段122號",
            "No. 122, Sec. 1, Chongqing S. Rd., Zhongzheng Dist., Taipei City",
        ),
        (
            "新北市板橋區文化路一段100號",
            "No. 100, Sec. 1, Wenhua Rd., New Taipei City",
        ),
        // The house number before the road, as elsewhere in the world.
        ("台北市松仁路100號5樓", "5F, 100 Songren Rd., Taipei"),
        (
            "台北市忠孝東路四段12巷7號",
            "Ln. 12, 7 Zhongxiao E. Rd. Sec. 4, Taipei",
        ),
        (
            "宜蘭縣宜蘭市中山路二段1號",
            "No. 1, Sec. 2, Zhongshan Rd., Yilan City, Ilan County",
        ),
        // Tongyong Pinyin, as Kaohsiung's signs spelled roads from 2002.
        (
            "高雄市苓雅區四維三路2號",
            "No. 2, Sihwei 3rd Rd., Lingya Dist., Kaohsiung City",
        ),
        (
            "高雄市新興區七賢一路249號10樓",
            "10F., No. 249, Cisian 1st Rd., Sinsing Dist., Kaohsiung City",
        ),
        (
            "高雄市三民區九如一路100號",
            "No. 100, Jiouru 1st Rd., Sanmin Dist., Kaohsiung",
        ),
        (
            "高雄市前鎮區中華五路789號",
            "No. 789, Jhonghua 5th Rd., Cianjhen Dist., Kaohsiung City",
        ),
        (
            "台中市西區民權路100號",
            "No. 100, Mincyuan Rd., West Dist., Taichung City",
        ),
        (
            "高雄市鳳山區自強一路3號",
            "No. 3, Zihciang 1st Rd., Fongshan Dist., Kaohsiung City",
        ),
        // The post office's older spellings, and a road named for a person.
        (
            "台北市中山區南京東路二段100號",
            "No. 100, Sec. 2, Nanking E. Rd., Taipei",
        ),
        (
            "台北市松山區八德路四段1號",
            "No. 1, Sec. 4, Pa Teh Rd., Taipei",
        ),
        (
            "台北市大安區敦化南路一段2號",
            "No. 2, Sec. 1, Tun Hwa S. Rd., Taipei",
        ),
        (
            "台北市信義區基隆路一段3號",
            "No. 3, Sec. 1, Keelung Rd., Taipei",
        ),
        (
            "台北市中正區羅斯福路四段1號",
            "No. 1, Sec. 4, Roosevelt Rd., Taipei",
        ),
        (
            "台北市中正區杭州南路一段15號",
            "No. 15, Sec. 1, Hangchow S. Rd., Taipei",
        ),
    ] {
        assert!(
            one_place(chinese, english),
            "{chinese} ~ {english}: {:?} {:?}",
            keys(chinese),
            keys(english)
        );
    }
}

/// A district of one, two or three characters, one ending in a character that also
/// ends districts (平鎮區, 新市區), a village, or none: the same place.
#[test]
fn a_district_or_village_written_or_not_is_one_place() {
    for (with, without) in [
        ("高雄市前鎮區中山二路5號", "高雄市中山二路5號"),
        ("桃園市平鎮區中豐路10號", "桃園市中豐路10號"),
        ("台南市新市區中興街3號", "台南市中興街3號"),
        ("台中市東區建成路8號", "台中市建成路8號"),
        ("屏東縣太麻里鄉中山路2號", "屏東縣中山路2號"),
        ("新竹縣竹北市東平里5鄰光明六路100號", "新竹縣光明六路100號"),
        ("台北市中正區市民大道一段100號", "台北市市民大道一段100號"),
    ] {
        let k = keys(with);
        assert!(!k.is_empty(), "{with}");
        assert_eq!(k, keys(without), "{with} ~ {without}");
    }
    assert_eq!(
        keys("台北市市民大道一段100號")[0],
        "taipei|shimin||boulevard|1|||100|"
    );
}

/// A city written without its 市 or 縣, and a county merged into its city in 2010
/// (Taipei County is New Taipei), in Chinese or in English.
#[test]
fn a_city_without_its_suffix_or_by_its_former_name_is_the_city() {
    for (a, b) in [
        ("台北信義區松仁路100號", "台北市信義區松仁路100號"),
        ("台北縣板橋市文化路一段100號", "新北市板橋區文化路一段100號"),
        (
            "No. 100, Sec. 1, Wenhua Rd., Banqiao City, Taipei County",
            "新北市文化路一段100號",
        ),
        ("高雄縣鳳山市光遠路10號", "高雄市鳳山區光遠路10號"),
        ("新竹光復路二段101號", "新竹市東區光復路二段101號"),
    ] {
        assert!(!keys(a).is_empty(), "{a}");
        assert!(keys(a).iter().any(|k| keys(b).contains(k)), "{a} ~ {b}");
    }
    assert_ne!(keys("台北縣文化路一段100號"), keys("台北市文化路一段100號"));
}

#[test]
fn another_number_section_lane_floor_road_or_city_is_another_place() {
    let english = "5F., No. 100, Sec. 1, Songren Rd., Taipei City";
    for chinese in [
        "台北市信義區松仁路一段101號5樓",
        "台北市信義區松仁路二段100號5樓",
        "台北市信義區松仁路一段3巷100號5樓",
        "台北市信義區松仁路一段100號6樓",
        "台北市信義區松仁路一段100號5樓之1",
        "台北市信義區松仁街一段100號5樓",
        "台北市信義區松仁東路一段100號5樓",
        "新北市信義區松仁路一段100號5樓",
        "台北市信義區松山路一段100號5樓",
    ] {
        assert!(!keys(chinese).is_empty(), "{chinese}");
        assert!(!one_place(chinese, english), "{chinese}");
    }
    assert!(one_place("台北市信義區松仁路一段100號5樓", english));
    assert_ne!(
        keys("No. 1, Zhongshan Rd., Hsinchu City"),
        keys("No. 1, Zhongshan Rd., Hsinchu County")
    );
    assert_ne!(
        keys("No. 1, Zhongshan Rd., Taipei City"),
        keys("No. 1, Zhongshan Rd., New Taipei City")
    );
    assert!(!one_place(
        "台北市中山區中山北路二段1號",
        "No. 1, Sec. 2, Zhongshan S. Rd., Taipei City"
    ));
}

#[test]
fn only_a_taiwanese_street_address_with_a_number_has_a_key() {
    for written in [
        "100 Main Street, Springfield",
        "No. 100, Songren Rd., Xinyi Dist.",
        "Songren Rd., Taipei City",
        "Sec. 4, Zhongxiao E. Rd., Taipei City",
        "台北市信義區",
        "台北市信義區松仁路",
        "信義區松仁路100號",
        "東京都港区六本木1丁目4番5号",
        "上海市浦东新区世纪大道100号",
        "",
        "台北市信義區𠀋路100號",
    ] {
        assert!(keys(written).is_empty(), "{written}: {:?}", keys(written));
    }
}

proptest::proptest! {
    /// Any text, Chinese, English or neither, gives a bounded number of keys, each of
    /// the same shape (Taiwan's, or Hong Kong's one key), and never panics.
    #[test]
    fn any_text_gives_at_most_a_few_keys(text in "[台北市新竹縣區路街段巷弄號樓之一二三四東南彌敦道香港九龍旺角地下室 a-zA-Z0-9.,/-]{0,40}") {
        let k = keys(&text);
        proptest::prop_assert!(k.len() <= super::super::pinyin::MOST_WRITTEN);
        for key in &k {
            let bars = if key.starts_with("hk|") { 4 } else { 8 };
            proptest::prop_assert_eq!(key.matches('|').count(), bars, "{}", key);
        }
    }

    /// Hong Kong's words among any others: no panic, and one key at most.
    #[test]
    fn any_text_around_a_hong_kong_road_gives_one_key_at_most(
        words in proptest::collection::vec(
            "(nathan|road|queens|central|mong|kok|g/f|12/f|flat|a|123|hk|n.t.|彌敦道|123號|12樓|A室|地下|香港|九龍|[a-z0-9]{1,3})",
            0..12,
        )
    ) {
        let k = keys(&words.join(" "));
        proptest::prop_assert!(k.len() <= 1 || !k[0].starts_with("hk|"), "{:?}", k);
    }
}

#[test]
fn a_road_read_several_ways_gives_a_bounded_number_of_keys_most_common_first() {
    let k = keys("台北市中正區重慶南路一段122號");
    assert_eq!(k[0], "taipei|zhongqing|south|road|1|||122|");
    assert!(k.contains(&"taipei|chongqing|south|road|1|||122|".to_string()));
    let long = keys("台北市長重長重長重路1號");
    assert!(
        !long.is_empty() && long.len() <= super::super::pinyin::MOST_WRITTEN,
        "{long:?}"
    );
}
