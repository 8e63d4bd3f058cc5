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
