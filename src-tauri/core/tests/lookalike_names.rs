//! Look-alike sign-ups by their company names: Chinese brands in either script, one name
//! under several legal forms, and the region's legal forms and accents (Indonesia, Vietnam,
//! Japan), each written three ways; the honest customers whose names merely share a word.

use riskdesk_core::ids::CustomerId;
use riskdesk_core::risk;
use rusqlite::Connection;

mod risk_common;
use risk_common::{add, db, score_of};

fn signup(r: &risk::RiskScore) -> Option<&risk::Factor> {
    r.factors.iter().find(|f| f.key == "automated_signup")
}

/// Signs up each batch's three names and the honest ones in one book; every name of a
/// batch is flagged for a similar name (in both languages) and no honest one is. Returns
/// the book and the batches' customers, in order.
fn sign_up(
    batches: &[[&str; 3]],
    honest: &[&str],
) -> (tempfile::TempDir, Connection, Vec<CustomerId>) {
    let (dir, mut conn) = db();
    let flagged: Vec<_> = batches
        .iter()
        .flatten()
        .map(|name| (*name, add(&mut conn, name, |_| {})))
        .collect();
    let honest: Vec<_> = honest
        .iter()
        .map(|n| (*n, add(&mut conn, n, |_| {})))
        .collect();
    for (name, id) in &flagged {
        let r = score_of(&conn, *id);
        let f = signup(&r).unwrap_or_else(|| panic!("{name}: {:?}", r.factors));
        let (en, zh) = (&f.evidence, &f.evidence_zh);
        let named = en.starts_with("similar name") && zh.starts_with("相似公司名稱");
        assert!(named, "{name}: {en} / {zh}");
    }
    for (name, id) in &honest {
        let r = score_of(&conn, *id);
        assert!(signup(&r).is_none(), "{name}: {:?}", r.factors);
    }
    (dir, conn, flagged.into_iter().map(|(_, id)| id).collect())
}

#[test]
fn chinese_brands_and_one_name_under_three_legal_forms_are_look_alikes() {
    let (_d, conn, flagged) = sign_up(
        &[
            ["速雲資訊股份有限公司", "速云贸易有限公司", "速雲科技企業社"],
            ["Contoso", "CONTOSO LIMITED", "Contoso Co., Ltd."],
            // One brand with and without its space, in three trades.
            [
                "Apex Cloud Trading Ltd",
                "ApexCloud Services",
                "APEX-CLOUD SOLUTIONS LTD",
            ],
            [
                "雲橋快遞股份有限公司",
                "云桥快递有限公司",
                "雲橋快遞（股）公司",
            ],
            // A Chinese brand and its English name spelled in pinyin.
            [
                "鼎盛資訊股份有限公司",
                "Dingsheng Information Co., Ltd.",
                "DING SHENG ELECTRONICS LTD",
            ],
        ],
        &[
            "台北科技有限公司",
            "台北貿易有限公司",
            "台北資訊有限公司",
            "快雲科技",
            "慢雲科技",
            "飛雲科技",
            "Taipei Trading Ltd",
            "Taipei Logistics",
            "Taipei Software Services",
            "Cloud Services Ltd",
            "Cloud Trading Ltd",
            "Global Trading Co.",
            "Dingshen Trading Ltd",
            "Feiyun Design",
        ],
    );
    let r = score_of(&conn, flagged[0]);
    let evidence = &signup(&r).unwrap().evidence;
    assert!(
        evidence.contains("\"速雲\" shared by 3 customers"),
        "{evidence}"
    );
}

/// Sign-ups of one firm written as its country writes its legal form, and as a bank or a
/// form writes it without accents, are a batch; names that only share a legal form or a
/// common word are not.
#[test]
fn the_regions_legal_forms_and_accents_are_one_name() {
    sign_up(
        &[
            [
                "PT Nusantara Awan",
                "PT. NUSANTARA AWAN TBK",
                "Nusantara Awan, PT",
            ],
            [
                "Công ty TNHH Phần mềm Việt Đức",
                "CONG TY TNHH PHAN MEM VIET DUC",
                "Phan Mem Viet Duc JSC",
            ],
            [
                "株式会社さくらソフト",
                "(株)さくらソフト",
                "さくらソフト合同会社",
            ],
        ],
        &[
            "PT Sinar Jaya",
            "PT Bumi Hijau",
            "Cong Nghe Sao Mai",
            "Public Cloud Ltd",
            "株式会社ひまわり",
        ],
    );
}
