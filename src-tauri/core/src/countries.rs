//! Country and region codes: ISO 3166-1 alpha-2 as assigned (from Debian's iso-codes), and
//! XK, which Microsoft and the European Commission use for Kosovo.

/// Every assigned code, space-separated, in order.
const ASSIGNED: &str = concat!(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE ",
    "BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD ",
    "CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ",
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF ",
    "GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ",
    "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ",
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME ",
    "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ",
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ",
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI ",
    "SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK ",
    "TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ",
    "VN VU WF WS YE YT ZA ZM ZW ",
    "XK"
);

/// Whether `code` (two capital letters) is a country or region code in use.
pub fn is_assigned(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && ASSIGNED.split(' ').any(|c| c == code)
}

/// What to write instead of a code people often use that is not one (UK for GB).
pub fn instead_of(code: &str) -> Option<&'static str> {
    match code {
        "UK" => Some("GB"),
        "EL" => Some("GR"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigned_codes_and_the_usual_mistakes() {
        for code in [
            "TW", "US", "JP", "GB", "SG", "MY", "KR", "HK", "MO", "XK", "ZW", "AD",
        ] {
            assert!(is_assigned(code), "{code}");
        }
        for code in ["UK", "EL", "XX", "TA", "tw", "T", "TWN", "", "Z W"] {
            assert!(!is_assigned(code), "{code}");
        }
        assert_eq!(ASSIGNED.split(' ').count(), 250);
        assert_eq!(instead_of("UK"), Some("GB"));
        assert_eq!(instead_of("TW"), None);
    }
}
