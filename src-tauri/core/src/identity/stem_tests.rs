//! A name's grouping stem read once ([`grouping_stem`]) is what its stem and the test of
//! whether it groups ([`name_stem`], [`stem_groups`]) give one after the other.

use super::{grouping_stem, name_stem, stem_groups};
use proptest::prelude::*;

fn two_steps(name: &str) -> Option<String> {
    let stem = name_stem(name);
    stem_groups(name, &stem).then_some(stem)
}

#[test]
fn brands_places_and_short_names() {
    for (name, stem) in [
        ("Apex Cloud Trading Ltd", Some("apex cloud")),
        ("ApexCloud Services", Some("apexcloud")),
        ("速雲資訊股份有限公司", Some("速雲")),
        ("速雲資訊股份有限公司台北分公司", Some("速雲")),
        ("Contoso Ltd", Some("contoso")),
        ("ABC Ltd", None),
        ("台北科技有限公司", Some("台北科技")),
        ("", None),
    ] {
        assert_eq!(grouping_stem(name).as_deref(), stem, "{name}");
        assert_eq!(grouping_stem(name), two_steps(name), "{name}");
    }
}

proptest! {
    #[test]
    fn read_once_is_read_twice(
        name in "(The |PT )?(速雲|台北|Apex|Suyun|[a-zA-Z]{1,6}|[\u{4e00}-\u{4e2f}]{1,3})( ?(Cloud|資訊|科技|Trading|Services|貿易|[a-z]{1,4}))*( (Co\\., Ltd\\.|股份有限公司|Inc|Pte Ltd|分公司))?",
    ) {
        prop_assert_eq!(grouping_stem(&name), two_steps(&name));
    }

    #[test]
    fn any_text_too(name in "\\PC{0,24}") {
        prop_assert_eq!(grouping_stem(&name), two_steps(&name));
    }
}
