//! Identities however they are written: the one place that turns a phone number, an e-mail
//! address, a tax id, a postal address or a company name into the form two records are
//! compared in. The risk model's look-alike rule, bank matching and the imports use it.
//!
//! * Phones become E.164 with the customer's country (`02-2345-6789`, `(02) 2345 6789`,
//!   `+886 2 2345 6789` and `+886-2-23456789` are all `+886223456789`), through the
//!   `phonenumber` crate (Google's libphonenumber metadata). A number it cannot read falls
//!   back to its digits.
//! * E-mail addresses become their registrable domain with the Public Suffix List (`psl`):
//!   `mail.x.com.tw` and `x.com.tw` are one; look-alikes compare the name it is registered
//!   under ([`domain_name`]: `apexcloud.com` and `apex-cloud.net`). Free-mail and consumer
//!   providers are never a link by domain ([`is_public_mail`]); a mailbox there is
//!   ([`mailbox`]: no case, `+tag` or Gmail's dots).
//! * Tax ids lose separators and full-width forms; Taiwan's 8-digit business number (統一編號)
//!   is checked by its checksum ([`tw_business_number_ok`]).
//! * Addresses: full-width letters and digits, case, punctuation, 臺/台 and the common
//!   abbreviations (Rd., St., Sec., No., Fl.) are made one, and so are Taiwan's ways of
//!   writing one place (5F or 5樓, 100之1 or 100-1, a postal code or 台灣 before the city).
//! * A Taiwanese street address written in Chinese and one written in English are one place
//!   when they name the same city, road, section, lane, alley, number and floor ([`place`]:
//!   `台北市信義區松仁路100號5樓` is `5F., No. 100, Songren Rd., Xinyi Dist., Taipei City`).
//! * Chinese is compared in one script ([`fold`]): a name or an address written in
//!   simplified characters (`速云科技`, `台北市大安区…100号5楼`) is the one written in
//!   traditional (`速雲科技`, `台北市大安區…100號5樓`).
//! * Company names are compared without legal suffixes (Ltd, Co., Inc., 有限公司, 股份有限公司)
//!   with a similarity score ([`name_similarity`]); an import finds the customer a row
//!   names by its [`legal_name`] form, which keeps the legal form.
//! * Invoice numbers and payment references are one whatever a spreadsheet did to them
//!   ([`reference_key`]): `00123` re-saved by Excel is `123`, `ｉｎｖ－１２３` typed with a
//!   full-width keyboard is `INV-123`, and case does not count.

use std::str::FromStr;

mod address;
pub use address::address;
mod brands;
pub use brands::{brand_spelled, chinese_brand, english_brand};
mod cantonese;
mod hong_kong;
mod names;
pub(crate) use names::joined;
mod numerals;
mod person;
pub use person::{masked_company, masked_company_fits, masked_matches, masked_person, person};
mod pinyin;
mod place;
pub use place::place;
pub(crate) use place::place_of;
mod script;
mod text;
pub use script::fold;
pub(crate) use script::latin_look_alike;
pub(crate) use text::name_text;
pub use text::{half_width, is_invisible, visible};
#[cfg(test)]
mod address_tests;
#[cfg(test)]
mod spelling_tests;
pub use names::{
    bilingual, company, grouping_stem, legal_name, name_similarity, name_stem, names_alike,
    stem_groups,
};

/// The form in which two invoice numbers or two payment references are one: full-width
/// forms as ASCII, no surrounding space, no case, and a number made only of digits without
/// its leading zeros (a spreadsheet opens `00123` as the number 123 and saves it so). The
/// text itself is stored as it was written; this key only finds it again.
pub fn reference_key(raw: &str) -> String {
    let text = half_width(raw).trim().to_uppercase();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let kept = text.trim_start_matches('0');
        return if kept.is_empty() { "0" } else { kept }.to_string();
    }
    text
}

/// Whether `text` is what a spreadsheet shows for a long number it could not keep
/// (`1.23457E+15`, `1E+11`): the digits behind it are lost, so it names nothing.
pub fn is_spreadsheet_exponent(text: &str) -> bool {
    let t = half_width(text);
    let t = t.trim();
    let Some((mantissa, exponent)) = t.split_once(['E', 'e']) else {
        return false;
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let Some(power) = exponent.strip_prefix('+') else {
        return false;
    };
    whole.len() == 1
        && whole.bytes().all(|b| b.is_ascii_digit())
        && (mantissa.len() == 1 || !fraction.is_empty())
        && fraction.len() <= 14
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (2..=3).contains(&power.len())
        && power.bytes().all(|b| b.is_ascii_digit())
}

/// A phone number and its extension, as Taiwan and others write one: `(02)2345-6789#123`,
/// `02-2345-6789 分機 123`, `轉123`, `ext. 123`, `x123`. The extension is `None` when there is
/// none (or nothing after its marker).
pub fn phone_extension(text: &str) -> (&str, Option<&str>) {
    const MARKERS: [&str; 7] = ["extension", "ext.", "ext", "分機", "轉", "#", "x"];
    let lower = text.to_ascii_lowercase();
    let found = MARKERS
        .iter()
        .filter_map(|m| lower.find(m).map(|i| (i, m.len())))
        .min_by_key(|(i, len)| (*i, std::cmp::Reverse(*len)));
    match found {
        Some((i, len)) => {
            let ext =
                text[i + len..].trim_matches(|c: char| c.is_whitespace() || c == ':' || c == '.');
            (text[..i].trim_end(), (!ext.is_empty()).then_some(ext))
        }
        None => (text, None),
    }
}

/// A phone number in E.164 (`+886223456789`) read with the customer's country (ISO
/// 3166-1 alpha-2), its extension left aside (one switchboard is one number); the digits
/// alone when the number cannot be read. Empty for fewer than six digits. Of two numbers in
/// one field (`02-2345-6789 / 0912-345-678`), the first.
pub fn phone(raw: &str, country: &str) -> String {
    let plain = half_width(raw);
    let first = plain
        .split(['/', ',', ';', '、', '，', '；'])
        .find(|part| part.bytes().filter(u8::is_ascii_digit).count() >= 6)
        .unwrap_or(&plain);
    // `+886 (0)2 …`: the (0) is the trunk prefix a caller from abroad leaves out, whichever
    // country the record is in.
    let text = phone_extension(first).0.replace("(0)", "");
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return String::new();
    }
    let region =
        phonenumber::country::Id::from_str(country.trim().to_ascii_uppercase().as_str()).ok();
    // A number after `+` is read without the customer's country: Taiwan's rules refuse
    // `+39 06 …`, which is Rome's number wherever the record is.
    let valid = |text: &str| {
        let region = region.filter(|_| !text.starts_with('+'));
        phonenumber::parse(region, text)
            .ok()
            .filter(phonenumber::is_valid)
            .map(|n| {
                phonenumber::format(&n)
                    .mode(phonenumber::Mode::E164)
                    .to_string()
            })
    };
    // `00` is the international prefix most of the world dials and the one people write
    // (`00886 912 345 678`), so it is read first: Taiwan's own rules do not know it (theirs
    // is `002`), and Singapore's would read `008` and take `00886` for China.
    // After `+`, the digits alone are read (`+886912-345-678` confuses the parser's
    // grouping), and a trunk 0 written after the country code (`+886 0912 …`) is left out
    // where the number is not valid with it.
    let after_plus = text.split_once('+').map(|(_, rest)| {
        rest.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    });
    let international = after_plus
        .as_deref()
        .or_else(|| digits.strip_prefix("00"))
        .and_then(|rest| {
            valid(&format!("+{rest}")).or_else(|| {
                (1..=3)
                    .filter(|&n| rest.get(n..n + 1) == Some("0"))
                    .find_map(|n| valid(&format!("+{}{}", &rest[..n], &rest[n + 1..])))
            })
        });
    // Last, a number its country does not know, written with its country code but no `+`
    // (`886 912 345 678` in an American customer's record, `44 20 7946 0321` in a
    // Taiwanese one's).
    international
        .or_else(|| valid(text.trim()))
        .or_else(|| valid(&format!("+{digits}")))
        .unwrap_or(digits)
}

/// Consumer and free-mail providers (their registrable domain): sharing one is no link.
const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.com.tw",
    "yahoo.co.jp",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "zoho.com",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "sohu.com",
    "hinet.net",
    "pchome.com.tw",
    "seed.net.tw",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "tutanota.com",
    "fastmail.com",
    "rediffmail.com",
    "onmicrosoft.com",
];

/// The registrable domain of an e-mail address or a domain (`a@mail.x.com.tw` → `x.com.tw`),
/// lower case; empty when there is none.
pub fn email_domain(email_or_domain: &str) -> String {
    let text = half_width(email_or_domain).trim().to_ascii_lowercase();
    let host = text.rsplit_once('@').map(|(_, d)| d).unwrap_or(&text);
    let host = host.trim_end_matches('.');
    if host.is_empty() || !host.contains('.') {
        return String::new();
    }
    // A domain written in another script (`範例.台灣`) is its Punycode, as it is stored;
    // one that only borrows look-alike letters from another script (`cоntoso.com` with a
    // Cyrillic `о`, stored `xn--cntoso-...`) is the Latin domain it imitates.
    if host.is_ascii() && !host.contains("xn--") {
        return psl::domain_str(host).unwrap_or(host).to_string();
    }
    let unicode = match host.is_ascii() {
        true => idna::domain_to_unicode(host).0,
        false => host.to_string(),
    };
    let skeleton: String = unicode
        .chars()
        .map(|c| script::fold_char(c).to_ascii_lowercase())
        .collect();
    let key = if skeleton.is_ascii() {
        skeleton
    } else {
        idna::domain_to_ascii(host).unwrap_or_else(|_| host.to_string())
    };
    psl::domain_str(&key).unwrap_or(&key).to_string()
}

/// The name a registrable domain (as [`email_domain`] gives it) is registered under, compared
/// across its endings and hyphens: `apexcloud.com`, `apex-cloud.net` and `apexcloud.com.tw`
/// are all `apexcloud`. A name of fewer than five letters or digits is too common to link
/// different domains by (`abc.com`, `abc.tw`): it is its whole domain.
pub fn domain_name(domain: &str) -> String {
    let label = domain.split('.').next().unwrap_or_default();
    let name: String = label.chars().filter(|c| *c != '-').collect();
    if name.chars().count() >= 5 && domain.contains('.') {
        name
    } else {
        domain.to_string()
    }
}

/// One mailbox however its address is written: half-width, lower case, without a `+tag`
/// (sub-addressing delivers `owner+x@…` to `owner@…`), and at Gmail without the dots Gmail
/// ignores, `googlemail.com` as `gmail.com`. Empty when there is no local part or domain.
pub fn mailbox(email: &str) -> String {
    let text = half_width(email).trim().to_lowercase();
    let Some((local, host)) = text.rsplit_once('@') else {
        return String::new();
    };
    let host = host.trim().trim_end_matches('.');
    let local = local.trim();
    let local = local.split_once('+').map_or(local, |(l, _)| l);
    if local.is_empty() || host.is_empty() || !host.contains('.') {
        return String::new();
    }
    if host == "gmail.com" || host == "googlemail.com" {
        return format!("{}@gmail.com", local.replace('.', ""));
    }
    format!("{local}@{host}")
}

/// Whether a registrable domain is a free-mail or consumer provider.
pub fn is_public_mail(domain: &str) -> bool {
    PUBLIC_MAIL.contains(&domain)
}

/// A tax id without separators, spaces or full-width forms, upper case.
pub fn tax_id(raw: &str) -> String {
    half_width(raw)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A tax id as customers are compared by it: [`tax_id`], and a number of digits alone by its
/// value, as a spreadsheet keeps it or loses its leading zeros (`04595257` saved again as
/// `4595257`). In Taiwan (`country` TW) a unified business number has eight digits, so
/// the zeros a spreadsheet dropped are put back (`04595257` is shown as the customer writes
/// it); elsewhere leading zeros are left out. A label before the number (`VAT: GB…`,
/// `ABN 51 …`, `統編：`) and the customer's own country code that a European VAT number
/// begins with (`DE123456789` for a German customer, `EL…` for a Greek one) are left out
/// too: `VAT GB 123 4567 89` is a British customer's `123456789`.
pub fn tax_key(raw: &str, country: &str) -> String {
    const LABELS: [&str; 12] = [
        "VATNO", "VATREG", "VAT", "ABN", "GST", "UEN", "EIN", "TIN", "UBN", "USTIDNR", "NIF", "CIF",
    ];
    let mut compact = tax_id(raw);
    let digit_at = |s: &str, i: usize| s.as_bytes().get(i).is_some_and(u8::is_ascii_digit);
    if let Some(rest) = LABELS.iter().find_map(|l| compact.strip_prefix(l)) {
        if digit_at(rest, 0) || digit_at(rest, 2) {
            compact = rest.to_string();
        }
    }
    let country = country.trim().to_ascii_uppercase();
    let own = [country.as_str(), if country == "GR" { "EL" } else { "" }];
    if let Some(rest) = own
        .iter()
        .filter(|c| c.len() == 2)
        .find_map(|c| compact.strip_prefix(c))
    {
        if digit_at(rest, 0) && rest.len() >= 5 {
            compact = rest.to_string();
        }
    }
    if compact.is_empty() || !compact.bytes().all(|b| b.is_ascii_digit()) {
        return compact;
    }
    let value = compact.trim_start_matches('0');
    if value.is_empty() {
        return String::new();
    }
    if country.trim().eq_ignore_ascii_case("TW") && value.len() <= 8 {
        format!("{value:0>8}")
    } else {
        value.to_string()
    }
}

/// A Taiwanese tax id as it was before a spreadsheet dropped its leading zeros: digits alone,
/// six or seven, that make a valid unified business number once the zeros are put back
/// (`4595257` is `04595257`); anything else as it is.
pub fn tw_business_number_restored(country: &str, tax_id: &str) -> String {
    let digits = !tax_id.is_empty() && tax_id.bytes().all(|b| b.is_ascii_digit());
    if country.trim().eq_ignore_ascii_case("TW") && digits && (6..8).contains(&tax_id.len()) {
        let padded = format!("{tax_id:0>8}");
        if tw_business_number_ok(&padded) {
            return padded;
        }
    }
    tax_id.to_string()
}

/// Taiwan's unified business number (統一編號): 8 digits whose weighted digit sums (weights
/// 1,2,1,2,1,2,4,1) total a multiple of 5 (of 10 before 2023), or, when the seventh digit
/// is 7, one more than such a total.
pub fn tw_business_number_ok(number: &str) -> bool {
    let d: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 8 || number.chars().count() != 8 {
        return false;
    }
    const W: [u32; 8] = [1, 2, 1, 2, 1, 2, 4, 1];
    let sum: u32 = d
        .iter()
        .zip(W)
        .map(|(x, w)| {
            let p = x * w;
            p / 10 + p % 10
        })
        .sum();
    sum.is_multiple_of(5) || (d[6] == 7 && (sum + 1).is_multiple_of(5))
}

/// Whether `t` is written as a GUID (`8-4-4-4-12` hexadecimal digits), the form of a
/// Microsoft tenant id.
pub fn is_guid(t: &str) -> bool {
    let groups: Vec<&str> = t.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
#[path = "identity_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "identity/company_name_tests.rs"]
mod company_name_tests;
