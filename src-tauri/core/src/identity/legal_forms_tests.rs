//! Legal forms and accents of the region's other countries, each name written three ways:
//! as the customer typed it, as a bank's payer column or a form writes it (capitals, no
//! accents), and with its legal form elsewhere or abbreviated.

use super::{company, legal_name, name_similarity, LEGAL_SUFFIXES, SUFFIX_MARKS};

#[test]
fn indonesian_vietnamese_thai_japanese_and_korean_forms_are_one_company() {
    for names in [
        // Indonesia: the form before the name, and `Tbk` after a listed one.
        [
            "PT Nusantara Awan",
            "PT. NUSANTARA AWAN TBK",
            "Nusantara Awan, PT",
        ],
        // Vietnam: `Công ty TNHH` (limited liability) and `Công ty Cổ phần` (joint stock),
        // with and without the accents a bank drops (đ, ầ, ệ, ư, ơ).
        [
            "Công ty TNHH Phần mềm Việt Đức",
            "CONG TY TNHH PHAN MEM VIET DUC",
            "Phần Mềm Việt Đức Co., Ltd.",
        ],
        [
            "Công ty Cổ phần Sương Mù",
            "CONG TY CO PHAN SUONG MU",
            "Sương Mù JSC",
        ],
        // Thailand: a public company.
        [
            "Siam Cloud Public Company Limited",
            "SIAM CLOUD PCL",
            "Siam Cloud Co., Ltd.",
        ],
        // Japan: 株式会社 before or after the name, or abbreviated (株) / ㈱; 合同会社.
        ["株式会社さくらソフト", "(株)さくらソフト", "さくらソフト㈱"],
        ["合同会社みらい", "みらい合同会社", "（株）みらい"],
        // Korea: 주식회사, (주) and ㈜.
        [
            "주식회사 한빛클라우드",
            "(주)한빛클라우드",
            "한빛클라우드㈜",
        ],
        // A partnership, and China's limited-liability company in either script.
        [
            "Empire Legal Partners LLP",
            "EMPIRE LEGAL PARTNERS",
            "Empire Legal Partners L.L.P.",
        ],
        [
            "深圳云桥有限责任公司",
            "深圳雲橋有限責任公司",
            "深圳云桥公司",
        ],
    ] {
        let key = company(names[0]);
        assert!(!key.is_empty(), "{names:?}");
        for n in &names[1..] {
            assert_eq!(company(n), key, "{n} is not {}", names[0]);
        }
    }
    assert_eq!(company("PT Nusantara Awan"), "nusantara awan");
    assert_eq!(
        company("Công ty TNHH Phần mềm Việt Đức"),
        "phan mem viet duc"
    );
}

#[test]
fn a_legal_form_word_inside_a_name_stays() {
    // `Public` and `Cong` are words of names when no legal form follows them.
    assert_eq!(company("Public Cloud Ltd"), "public cloud");
    assert_eq!(company("Cong Nghe Sao Viet"), "cong nghe sao viet");
    assert!(name_similarity("Public Cloud Ltd", "Cloud Ltd") < 1.0);
}

#[test]
fn an_import_finds_the_customer_whatever_the_accents_and_the_abbreviation() {
    // The strict form (legal form kept, in one spelling): a bank or an accountant's export
    // without accents, or with (株) for 株式会社, finds the same customer.
    assert_eq!(
        legal_name("Công ty TNHH Phần mềm Việt Đức"),
        legal_name("CONG TY TNHH PHAN MEM VIET DUC")
    );
    assert_eq!(
        legal_name("(株)さくらソフト"),
        legal_name("株式会社さくらソフト")
    );
    assert_eq!(
        legal_name("㈱さくらソフト"),
        legal_name("株式会社さくらソフト")
    );
    assert_eq!(
        legal_name("(주)한빛클라우드"),
        legal_name("주식회사 한빛클라우드")
    );
    // Another legal form is another company for an import.
    assert_ne!(
        legal_name("PT Nusantara Awan"),
        legal_name("CV Nusantara Awan")
    );
    // Hangul stays whole (no decomposition into jamo).
    assert_eq!(company("한빛클라우드"), "한빛클라우드");
}

#[test]
fn an_address_without_its_accents_is_the_same_address() {
    use crate::identity::address;
    assert_eq!(
        address("123 Đường Lê Lợi, Quận 1, TP. Hồ Chí Minh"),
        address("123 DUONG LE LOI, QUAN 1, TP HO CHI MINH")
    );
    assert_eq!(
        address("Jalan Ampang 5, Kuala Lumpur"),
        address("jalan ampang 5 kuala lumpur")
    );
    // Hangul and Chinese are untouched.
    assert_eq!(address("서울특별시 강남구"), address("서울특별시 강남구"));
    assert!(address("서울특별시 강남구").contains("강남구"));
    assert_ne!(
        address("台北市信義區松仁路100號"),
        address("台北市信義區松仁路101號")
    );
}

/// A name is searched for legal suffixes only when it has one of their marks: each suffix
/// must have one, or a name ending in it would keep it.
#[test]
fn every_legal_suffix_has_a_mark() {
    for s in LEGAL_SUFFIXES {
        assert!(s.contains(SUFFIX_MARKS), "{s}");
    }
    assert_eq!(company("Contoso (주)"), company("Contoso"));
    assert_eq!(company("速雲資訊股份有限公司台北分公司"), "速云资讯");
}
