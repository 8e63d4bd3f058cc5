//! Regions as usage files write them: one form (`East Asia`, `eastasia` and `EASTASIA`
//! are `EASTASIA`), and the price sheet's names (`AP East`) as the regions they stand for.

/// `EASTASIA` from `East Asia`, `eastasia` or `EASTASIA`.
#[cfg(test)]
pub(crate) fn region(text: &str) -> String {
    let mut out = String::new();
    push_region(&mut out, text);
    out
}

/// Appends the normalised region to `out` (no allocation of its own).
pub(crate) fn push_region(out: &mut String, text: &str) {
    out.extend(
        text.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase),
    );
}

/// Azure's price-sheet region names (`MeterRegion`: `AP East`, `EU West`, `US East 2`) and
/// the regions they stand for as resources name them (`ResourceLocation`, FOCUS `RegionId`:
/// `eastasia`, `westeurope`, `eastus2`), both normalised. Display names (`East Asia`,
/// `West Central US`) normalise to the resource names already.
pub(crate) const METER_REGIONS: &[(&str, &str)] = &[
    ("APEAST", "EASTASIA"),
    ("APSOUTHEAST", "SOUTHEASTASIA"),
    ("ATEAST", "AUSTRIAEAST"),
    ("AUCENTRAL", "AUSTRALIACENTRAL"),
    ("AUCENTRAL2", "AUSTRALIACENTRAL2"),
    ("AUEAST", "AUSTRALIAEAST"),
    ("AUSOUTHEAST", "AUSTRALIASOUTHEAST"),
    ("BRSOUTH", "BRAZILSOUTH"),
    ("BRSOUTHEAST", "BRAZILSOUTHEAST"),
    ("CACENTRAL", "CANADACENTRAL"),
    ("CAEAST", "CANADAEAST"),
    ("CHNORTH", "SWITZERLANDNORTH"),
    ("CHWEST", "SWITZERLANDWEST"),
    ("CLCENTRAL", "CHILECENTRAL"),
    ("DENORTH", "GERMANYNORTH"),
    ("DEWESTCENTRAL", "GERMANYWESTCENTRAL"),
    ("ESCENTRAL", "SPAINCENTRAL"),
    ("EUNORTH", "NORTHEUROPE"),
    ("EUWEST", "WESTEUROPE"),
    ("FRCENTRAL", "FRANCECENTRAL"),
    ("FRSOUTH", "FRANCESOUTH"),
    ("IDCENTRAL", "INDONESIACENTRAL"),
    ("ILCENTRAL", "ISRAELCENTRAL"),
    ("INCENTRAL", "CENTRALINDIA"),
    ("INSOUTH", "SOUTHINDIA"),
    ("INWEST", "WESTINDIA"),
    ("ITNORTH", "ITALYNORTH"),
    ("JAEAST", "JAPANEAST"),
    ("JAWEST", "JAPANWEST"),
    ("KRCENTRAL", "KOREACENTRAL"),
    ("KRSOUTH", "KOREASOUTH"),
    ("MXCENTRAL", "MEXICOCENTRAL"),
    ("MYWEST", "MALAYSIAWEST"),
    ("NOEAST", "NORWAYEAST"),
    ("NOWEST", "NORWAYWEST"),
    ("NZNORTH", "NEWZEALANDNORTH"),
    ("PLCENTRAL", "POLANDCENTRAL"),
    ("QACENTRAL", "QATARCENTRAL"),
    ("SECENTRAL", "SWEDENCENTRAL"),
    ("SESOUTH", "SWEDENSOUTH"),
    ("USCENTRAL", "CENTRALUS"),
    ("USEAST", "EASTUS"),
    ("USEAST2", "EASTUS2"),
    ("USNORTHCENTRAL", "NORTHCENTRALUS"),
    ("USSOUTHCENTRAL", "SOUTHCENTRALUS"),
    ("USWEST", "WESTUS"),
    ("USWEST2", "WESTUS2"),
    ("USWEST3", "WESTUS3"),
    ("USWESTCENTRAL", "WESTCENTRALUS"),
    ("ZANORTH", "SOUTHAFRICANORTH"),
    ("ZAWEST", "SOUTHAFRICAWEST"),
];

/// The place a normalised region names: a price-sheet name (`APEAST`) as the resource
/// region it stands for (`EASTASIA`), so one region written both ways is one region; any
/// other name as it is.
pub(crate) fn region_place(normalised: &str) -> &str {
    METER_REGIONS
        .binary_search_by(|(meter, _)| (*meter).cmp(normalised))
        .map_or(normalised, |i| METER_REGIONS[i].1)
}

/// Azure's regions as the portal names them, in English and in Traditional Chinese, by
/// their normalised resource name (in order, for a binary search).
pub(crate) const REGION_NAMES: &[(&str, &str, &str)] = &[
    ("AUSTRALIACENTRAL", "Australia Central", "澳洲中部"),
    ("AUSTRALIACENTRAL2", "Australia Central 2", "澳洲中部 2"),
    ("AUSTRALIAEAST", "Australia East", "澳洲東部"),
    ("AUSTRALIASOUTHEAST", "Australia Southeast", "澳洲東南部"),
    ("AUSTRIAEAST", "Austria East", "奧地利東部"),
    ("BELGIUMCENTRAL", "Belgium Central", "比利時中部"),
    ("BRAZILSOUTH", "Brazil South", "巴西南部"),
    ("BRAZILSOUTHEAST", "Brazil Southeast", "巴西東南部"),
    ("CANADACENTRAL", "Canada Central", "加拿大中部"),
    ("CANADAEAST", "Canada East", "加拿大東部"),
    ("CENTRALINDIA", "Central India", "印度中部"),
    ("CENTRALUS", "Central US", "美國中部"),
    ("CHILECENTRAL", "Chile Central", "智利中部"),
    ("DENMARKEAST", "Denmark East", "丹麥東部"),
    ("EASTASIA", "East Asia", "東亞"),
    ("EASTUS", "East US", "美國東部"),
    ("EASTUS2", "East US 2", "美國東部 2"),
    ("FRANCECENTRAL", "France Central", "法國中部"),
    ("FRANCESOUTH", "France South", "法國南部"),
    ("GERMANYNORTH", "Germany North", "德國北部"),
    ("GERMANYWESTCENTRAL", "Germany West Central", "德國中西部"),
    ("INDONESIACENTRAL", "Indonesia Central", "印尼中部"),
    ("ISRAELCENTRAL", "Israel Central", "以色列中部"),
    ("ITALYNORTH", "Italy North", "義大利北部"),
    ("JAPANEAST", "Japan East", "日本東部"),
    ("JAPANWEST", "Japan West", "日本西部"),
    ("KOREACENTRAL", "Korea Central", "韓國中部"),
    ("KOREASOUTH", "Korea South", "韓國南部"),
    ("MALAYSIAWEST", "Malaysia West", "馬來西亞西部"),
    ("MEXICOCENTRAL", "Mexico Central", "墨西哥中部"),
    ("NEWZEALANDNORTH", "New Zealand North", "紐西蘭北部"),
    ("NORTHCENTRALUS", "North Central US", "美國中北部"),
    ("NORTHEUROPE", "North Europe", "北歐"),
    ("NORWAYEAST", "Norway East", "挪威東部"),
    ("NORWAYWEST", "Norway West", "挪威西部"),
    ("POLANDCENTRAL", "Poland Central", "波蘭中部"),
    ("QATARCENTRAL", "Qatar Central", "卡達中部"),
    ("SOUTHAFRICANORTH", "South Africa North", "南非北部"),
    ("SOUTHAFRICAWEST", "South Africa West", "南非西部"),
    ("SOUTHCENTRALUS", "South Central US", "美國中南部"),
    ("SOUTHEASTASIA", "Southeast Asia", "東南亞"),
    ("SOUTHINDIA", "South India", "印度南部"),
    ("SPAINCENTRAL", "Spain Central", "西班牙中部"),
    ("SWEDENCENTRAL", "Sweden Central", "瑞典中部"),
    ("SWEDENSOUTH", "Sweden South", "瑞典南部"),
    ("SWITZERLANDNORTH", "Switzerland North", "瑞士北部"),
    ("SWITZERLANDWEST", "Switzerland West", "瑞士西部"),
    ("TAIWANNORTH", "Taiwan North", "台灣北部"),
    ("TAIWANNORTHWEST", "Taiwan Northwest", "台灣西北部"),
    ("UAECENTRAL", "UAE Central", "阿拉伯聯合大公國中部"),
    ("UAENORTH", "UAE North", "阿拉伯聯合大公國北部"),
    ("UKSOUTH", "UK South", "英國南部"),
    ("UKWEST", "UK West", "英國西部"),
    ("WESTCENTRALUS", "West Central US", "美國中西部"),
    ("WESTEUROPE", "West Europe", "西歐"),
    ("WESTINDIA", "West India", "印度西部"),
    ("WESTUS", "West US", "美國西部"),
    ("WESTUS2", "West US 2", "美國西部 2"),
    ("WESTUS3", "West US 3", "美國西部 3"),
];

/// A normalised region as a reader knows it: `EASTASIA` is "East Asia", "東亞"; a region
/// not in [`REGION_NAMES`] as it is.
pub(crate) fn region_name(lang: crate::customer::Language, normalised: &str) -> &str {
    match REGION_NAMES.binary_search_by(|(r, _, _)| (*r).cmp(normalised)) {
        Ok(i) if lang == crate::customer::Language::ZhTw => REGION_NAMES[i].2,
        Ok(i) => REGION_NAMES[i].1,
        Err(_) => normalised,
    }
}
