//! How a payment arrived, written in a document's language. The method is text as the user or
//! RiskDesk wrote it ("bank transfer", "銀行轉帳", "card"): a Chinese statement does not say
//! "付款（bank transfer）", nor an English one "payment (銀行轉帳)". Words of the other language
//! that RiskDesk knows are translated; anything else is kept as it was written.

use crate::customer::Language;

/// The methods in both languages; the first pair with a match gives the translation.
const WORDS: &[(&str, &str)] = &[
    ("bank transfer", "銀行轉帳"),
    ("wire transfer", "電匯"),
    ("ATM transfer", "ATM 轉帳"),
    ("transfer", "轉帳"),
    ("remittance", "匯款"),
    ("credit card", "信用卡"),
    ("debit card", "簽帳金融卡"),
    ("card", "刷卡"),
    ("direct debit", "自動扣款"),
    ("cash", "現金"),
    ("cheque", "支票"),
    ("check", "支票"),
    ("virtual account", "虛擬帳號"),
];

/// The words, English and Chinese, for the window to translate with the same table.
pub fn method_words() -> &'static [(&'static str, &'static str)] {
    WORDS
}

fn word_in(zh: bool, word: &str) -> Option<&'static str> {
    let word = word.trim();
    WORDS.iter().find_map(|(en, cn)| match zh {
        true => en.eq_ignore_ascii_case(word).then_some(*cn),
        false => (*cn == word).then_some(*en),
    })
}

/// `method` as a document in `lang` writes it: a known word of the other language translated,
/// with what follows it in brackets kept (`bank transfer (NT$38,760)` is
/// `銀行轉帳（NT$38,760）`); any other text as written.
pub fn method_in(lang: Language, method: &str) -> String {
    let zh = lang == Language::ZhTw;
    let method = method.trim();
    if let Some(w) = word_in(zh, method) {
        return w.to_string();
    }
    let split = method
        .split_once(" (")
        .or_else(|| method.split_once('（'))
        .or_else(|| method.split_once('('));
    if let Some((head, rest)) = split {
        let inner = rest.trim_end_matches([')', '）']);
        if let Some(w) = word_in(zh, head) {
            return match zh {
                true => format!("{w}（{inner}）"),
                false => format!("{w} ({inner})"),
            };
        }
    }
    method.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_reads_in_the_document_s_language() {
        let (en, zh) = (Language::En, Language::ZhTw);
        for (written, in_zh, in_en) in [
            ("bank transfer", "銀行轉帳", "bank transfer"),
            ("Bank Transfer", "銀行轉帳", "Bank Transfer"),
            ("銀行轉帳", "銀行轉帳", "bank transfer"),
            ("card", "刷卡", "card"),
            ("支票", "支票", "cheque"),
            (
                "bank transfer (NT$38,760)",
                "銀行轉帳（NT$38,760）",
                "bank transfer (NT$38,760)",
            ),
            (
                "銀行轉帳（NT$38,760）",
                "銀行轉帳（NT$38,760）",
                "bank transfer (NT$38,760)",
            ),
            // Text RiskDesk does not know stays as written, in either document.
            ("LINE Pay", "LINE Pay", "LINE Pay"),
            (
                "transfer from Cathay",
                "transfer from Cathay",
                "transfer from Cathay",
            ),
            ("<b>=1+1</b>", "<b>=1+1</b>", "<b>=1+1</b>"),
            ("", "", ""),
        ] {
            assert_eq!(method_in(zh, written), in_zh, "{written}");
            assert_eq!(method_in(en, written), in_en, "{written}");
        }
    }
}
