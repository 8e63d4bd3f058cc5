//! Hong Kong's addresses, each written as people there write it: one place in one form.

use super::address;
use super::tests::one_place as one;

#[test]
fn one_flat_in_hong_kong_written_in_english_four_ways_is_one_form() {
    let flat = one(&[
        "Flat A, 12/F, Wing On Building, 123 Nathan Road, Mong Kok, Kowloon, Hong Kong",
        "Rm A 12th Floor Wing On Bldg 123 Nathan Rd Mongkok KLN HK",
        "UNIT A, 12/F., WING ON BLDG., 123 NATHAN RD., MONG KOK, KOWLOON, H.K.",
        "Flat A, Floor 12, Wing On Building, 123 Nathan Road, Mong Kok, Hong Kong SAR",
        "Room A, 12F, Wing On Bldg, 123 Nathan Rd, Mong Kok, Kowloon, Hong Kong S.A.R.",
    ]);
    assert_eq!(flat, "unit a 12f wing on building 123 nathan road mong kok");
    // The next flat, the floor above, the next house: other places.
    for other in [
        "Flat B, 12/F, Wing On Building, 123 Nathan Road, Mong Kok, Kowloon",
        "Flat A, 13/F, Wing On Building, 123 Nathan Road, Mong Kok, Kowloon",
        "Flat A, 12/F, Wing On Building, 125 Nathan Road, Mong Kok, Kowloon",
    ] {
        assert_ne!(address(other), flat, "{other}");
    }
}

#[test]
fn ground_floors_regions_and_initials_are_one_form() {
    one(&[
        "G/F, 8 Hollywood Road, Central, Hong Kong",
        "Ground Floor, 8 Hollywood Rd, Central, HK",
        "G/F 8 Hollywood Road Central",
        "G Floor, 8 Hollywood Rd., Central, Hong Kong Island",
    ]);
    assert_ne!(
        address("1/F, 8 Hollywood Road, Central"),
        address("G/F, 8 Hollywood Road, Central")
    );
    assert_ne!(
        address("LG/F, 8 Hollywood Road, Central"),
        address("G/F, 8 Hollywood Road, Central")
    );
    one(&[
        "Shop 5, G/F, 10 Canton Road, TST, Kowloon",
        "Shop 5, G/F, 10 Canton Rd, Tsim Sha Tsui, Hong Kong",
        "SHOP 5 GROUND FLOOR 10 CANTON ROAD TSIMSHATSUI KLN",
    ]);
    one(&[
        "Unit 3, 5/F, Shatin Galleria, 18 Shan Mei Street, Fo Tan, Sha Tin, N.T.",
        "Unit 3 5/F Shatin Galleria 18 Shan Mei St Fotan Shatin New Territories Hong Kong",
        "Rm 3, 5th Floor, Sha Tin Galleria, 18 Shan Mei St, Fo Tan, Shatin, NT, HK",
    ]);
    // Elsewhere the same letters are no region: Darwin's NT before its postcode stays, and
    // an address that is only a region keeps it.
    assert_eq!(
        address("12 Smith St, Darwin NT 0800"),
        "12 smith street darwin nt 0800"
    );
    assert_eq!(address("Kowloon"), "kowloon");
    assert_eq!(address("Flat 2, 3 Nt Lane, Kowloon"), "unit 2 3 nt lane");
}

#[test]
fn one_flat_in_hong_kong_written_in_chinese_is_one_form() {
    let flat = one(&[
        "香港九龍旺角彌敦道123號永安大廈12樓A室",
        "九龍旺角彌敦道123號永安大廈12字樓A室",
        "旺角彌敦道123號永安大廈12樓A單位",
        "中國香港九龍旺角彌敦道123號永安大廈十二樓A室",
        "香港 九龍 旺角彌敦道１２３號 永安大廈 12 樓 A 室",
        "香港九龙旺角彌敦道123號永安大廈12楼A单位",
    ]);
    assert_eq!(flat, "旺角彌敦道123號永安大廈12fa室");
    assert_ne!(address("香港九龍旺角彌敦道123號永安大廈13樓A室"), flat);
    assert_ne!(address("香港九龍旺角彌敦道125號永安大廈12樓A室"), flat);
    // A place named after its region keeps its name: Aberdeen (香港仔), Kowloon City,
    // Kowloon Bay, Kowloon Tong, Kowloon Station, Kowloon Park Drive.
    one(&["香港香港仔大道1號", "香港仔大道1號"]);
    assert_eq!(address("香港仔大道1號"), "香港仔大道1號");
    for kept in [
        "九龍城道1號",
        "九龍灣宏光道1號",
        "九龍塘達之路1號",
        "九龍站柯士甸道西1號",
        "九龍公園徑1號",
    ] {
        assert_eq!(address(&format!("香港九龍{kept}")), address(kept), "{kept}");
        assert_eq!(address(kept), kept, "{kept}");
    }
    one(&[
        "香港島中環皇后大道中1號",
        "香港中環皇后大道中1號",
        "中環皇后大道中1號",
    ]);
    one(&[
        "新界沙田火炭山尾街18號5樓3室",
        "香港新界沙田火炭山尾街18號5字樓3室",
    ]);
    // An address that is only the region keeps it.
    assert_eq!(address("香港"), "香港");
    assert_eq!(address("香港九龍"), "九龍");
}

/// What is only a fragment of Hong Kong's forms stays as written, and nothing panics.
#[test]
fn fragments_of_hong_kong_forms_stay() {
    for (written, form) in [
        ("", ""),
        ("HK", "hong kong"),
        ("H", "h"),
        ("G", "g"),
        ("S.A.", "south a"),
        ("N", "north"),
        ("N.T.", "new territories"),
        ("Ground", "ground"),
        ("香港", "香港"),
        ("九龍", "九龍"),
        ("香港仔", "香港仔"),
        ("字樓", "樓"),
    ] {
        assert_eq!(address(written), form, "{written:?}");
    }
}

/// The place key of `written`, as the look-alike check reads it.
fn key(written: &str) -> Vec<String> {
    super::place(written)
}

#[test]
fn one_flat_in_hong_kong_in_english_and_in_chinese_is_one_place() {
    let flat = key("Flat A, 12/F, Wing On Building, 123 Nathan Road, Mong Kok, Kowloon");
    assert_eq!(flat, ["hk|nathan road|123|12f|a"]);
    // The same flat, then the house next door, the floor above, the next flat, another road.
    for (written, same) in [
        ("香港九龍旺角彌敦道123號永安大廈12樓A室", true),
        ("旺角彌敦道123號12字樓A單位", true),
        ("九龙旺角弥敦道123号永安大厦12楼A室", true),
        ("Rm A 12th Floor 123 Nathan Rd Mongkok KLN HK", true),
        ("香港九龍旺角彌敦道125號永安大廈12樓A室", false),
        ("香港九龍旺角彌敦道123號永安大廈13樓A室", false),
        ("香港九龍旺角彌敦道123號永安大廈12樓B室", false),
        ("Flat A, 12/F, 123 Canton Road, Tsim Sha Tsui", false),
    ] {
        assert_eq!(key(written) == flat, same, "{written}");
    }
    // The longest road's name: Queen's Road Central is not Queen's Road East.
    let central = key("G/F, 1 Queen's Road Central, Central, Hong Kong");
    assert_eq!(central, ["hk|queens road central|1|gf|"]);
    assert_eq!(key("G/F, 1 Queen's Rd. C., Central, HK"), central);
    assert_eq!(key("香港中環皇后大道中1號地下"), central);
    assert_ne!(key("香港灣仔皇后大道東1號地下"), central);
    // A shop on the ground floor, a flat numbered.
    assert_eq!(
        key("Shop 3, G/F, 8 Hollywood Road, Central"),
        key("中環荷李活道8號地下")
    );
    assert_eq!(
        key("Flat 3, 5/F, 18 Shan Mei Street, Fo Tan, N.T."),
        key("新界火炭山尾街18號5樓3室")
    );
}

#[test]
fn an_address_in_english_that_names_only_hong_kong_or_its_region_is_one_place() {
    // No area beside the road, but the region or the country, written as people write it.
    let flat = key("九龍彌敦道123號12樓A室");
    assert_eq!(flat, ["hk|nathan road|123|12f|a"]);
    for written in [
        "Flat A, 12/F, 123 Nathan Road, Kowloon",
        "Flat A 12/F 123 Nathan Rd KLN",
        "flat a, 12th floor, 123 NATHAN ROAD, HONG KONG",
        "Flat A, 12/F, 123 Nathan Road, H.K.",
        "Flat A, 12/F, 123 Nathan Road, Hongkong",
        "Flat A, 12/F, 123 Nathan Road, Kowloon, Hong Kong SAR",
    ] {
        assert_eq!(key(written), flat, "{written}");
    }
    // The region alone does not make the next flat or the next house the same place.
    assert_ne!(key("Flat B, 12/F, 123 Nathan Road, Kowloon"), flat);
    assert_ne!(key("Flat A, 12/F, 125 Nathan Road, Kowloon"), flat);
    assert_eq!(
        key("20/F, 8 Gloucester Road, Hong Kong"),
        key("香港告士打道8號20樓")
    );
    assert_eq!(
        key("Unit 3, 5/F, 18 Shan Mei Street, New Territories"),
        key("新界山尾街18號5樓3室")
    );
}

#[test]
fn offices_on_the_roads_of_each_business_area_are_one_place_in_either_language() {
    for (english, chinese) in [
        (
            "Unit 1, 20/F, 18 Harcourt Road, Admiralty",
            "金鐘夏慤道18號20樓1室",
        ),
        (
            "22/F, 8 Queensway, Admiralty, Hong Kong",
            "香港金鐘金鐘道8號22樓",
        ),
        ("5/F, 12 D'Aguilar Street, Central", "中環德己立街12號5樓"),
        (
            "Flat B, 3/F, 9 O'Brien Rd, Wan Chai",
            "灣仔柯布連道9號3樓B室",
        ),
        (
            "G/F, 20 Canal Rd. E., Causeway Bay",
            "銅鑼灣堅拿道東20號地下",
        ),
        (
            "Rm 1201, 12/F, 1 Bonham Strand East, Sheung Wan",
            "上環文咸東街1號12樓1201室",
        ),
        (
            "Unit 7, 10/F, 33 Hoi Bun Rd, Kwun Tong, KLN",
            "九龍觀塘海濱道33號10樓7室",
        ),
        (
            "15/F, 8 Sheung Yee Road, Kowloon Bay",
            "九龍灣常怡道8號15樓",
        ),
        (
            "Flat C, 9/F, 18 Tai Lin Pai Rd, Kwai Chung, N.T.",
            "新界葵涌大連排道18號9樓C室",
        ),
        (
            "G/F, 1 Sha Tin Centre Street, Shatin",
            "沙田沙田正街1號地下",
        ),
        ("2/F, 100 Cyberport Road, Hong Kong", "香港數碼港道100號2樓"),
        // A road named after the region keeps the region's name.
        (
            "G/F, 1 Kowloon Park Drive, Tsim Sha Tsui",
            "九龍公園徑1號地下",
        ),
        (
            "G/F, 1 Kowloon Park Drive, TST, Kowloon",
            "香港九龍尖沙咀九龍公園徑1號地下",
        ),
    ] {
        let key = key(english);
        assert_eq!(key.len(), 1, "{english}");
        assert_eq!(key, super::place(chinese), "{english} ~ {chinese}");
    }
    // East is not West; the next house on the road is another place.
    assert_ne!(
        key("G/F, 20 Canal Road East, Causeway Bay"),
        key("G/F, 20 Canal Road West, Causeway Bay")
    );
    assert_ne!(key("銅鑼灣堅拿道東20號地下"), key("銅鑼灣堅拿道東22號地下"));
}

#[test]
fn an_address_in_hong_kong_without_a_known_road_or_number_has_no_key() {
    for none in [
        "Flat A, 12/F, Wing On Building, Mong Kok",
        "Flat A, 12/F, 123 Unknown Road, Mong Kok",
        "Nathan Road, Mong Kok",
        "旺角彌敦道永安大廈",
        "旺角無名道123號",
        "",
        // The same roads' names abroad: no area of Hong Kong beside them.
        "Flat 2, 10 Gloucester Road, London SW7 4PP, United Kingdom",
        "12 Kings Road, Brighton",
        "8 Harbour Road, Sydney NSW 2000",
        // An area's name that is part of the road's own name is not beside it.
        "1 Queens Road Central",
        // Darwin's N.T. is not the New Territories.
        "5/F, 18 Shan Mei Street, Darwin N.T. 0800",
        "5/F, 18 Shan Mei Street, NT 0800",
    ] {
        assert!(key(none).is_empty(), "{none}");
    }
    // A Taiwanese address keeps its own key.
    assert!(key("台北市信義區松仁路100號5樓")[0].starts_with("taipei|"));
}
