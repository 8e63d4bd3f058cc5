//! Reading usage files: the Partner Center new-commerce daily rated usage file (billed or
//! unbilled) and the FOCUS cost and usage export (1.0 and later).
//!
//! What the documentation leaves open is accepted in every documented variant: column
//! names match without regard to case, spaces or underscores (and the older spellings
//! `MPNID`/`ResellerMPNID`); the separator is `,`, `;` or a tab (decided from the header
//! line); the text is UTF-8 (a BOM and CRLF are fine) or Big5, as Excel in Taiwan re-saves
//! a CSV; dates are `M/D/YYYY`, `MM/DD/YYYY` (optionally with a time), ISO 8601, or year
//! first with `/` or `.` (`2025/1/5`, as Excel in Taiwan writes them). Year-last dates are
//! never guessed row by row: the file decides (a first part above 12 means day-first, a
//! second part above 12 month-first; the month-end `ChargeEndDate` of a Partner Center file
//! nearly always decides) and a file that cannot decide, or contradicts itself, is refused.
//! Numbers are exact decimals (`1E-06` too); in a `;`-separated file a decimal comma is
//! read as a decimal point; thousands separators are refused.

use crate::error::{Code, ImportProblem};
use rust_decimal::Decimal;

pub(crate) use super::raw_date::{raw_date, resolve, resolve_counted, DateOrder, RawDate};

/// The two layouts RiskDesk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    PartnerCenter,
    Focus,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::PartnerCenter => "partner-center",
            Format::Focus => "focus",
        }
    }

    pub fn parse(text: &str) -> Option<Option<Format>> {
        match text {
            "auto" => Some(None),
            "partner-center" => Some(Some(Format::PartnerCenter)),
            "focus" => Some(Some(Format::Focus)),
            _ => None,
        }
    }
}

/// Lower case without spaces, underscores or hyphens: `Customer Id` = `customerid`.
pub(crate) fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The Partner Center columns RiskDesk reads when a file has them (normalised names).
pub(crate) fn optional_partner_center_columns() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .filter(|f| !f.required)
        .flat_map(|f| f.partner_center.iter().copied())
}

/// The fields RiskDesk reads from a usage file, in the order of [`FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Tenant,
    TenantName,
    Domain,
    Subscription,
    Date,
    ChargeStart,
    ChargeEnd,
    Category,
    Subcategory,
    Meter,
    Region,
    Unit,
    Quantity,
    Cost,
    Currency,
    PricingCurrency,
    PcRate,
    Invoice,
    ChargeCategory,
    BillingPeriodStart,
    CreditPercent,
    CreditRate,
    /// The resource a row is of: read only to tell the parts of one export from two
    /// downloads of the same days ([`super::versions`]).
    Resource,
}

/// A field RiskDesk reads, the column names that carry it in each format (normalised),
/// and whether the file must have it.
struct Field {
    col: Col,
    name: &'static str,
    partner_center: &'static [&'static str],
    focus: &'static [&'static str],
    required: bool,
}

const FIELDS: &[Field] = &[
    Field {
        col: Col::Tenant,
        name: "tenant",
        partner_center: &["customerid"],
        focus: &["xcustomerid"],
        required: true,
    },
    Field {
        col: Col::TenantName,
        name: "tenant_name",
        partner_center: &["customername"],
        focus: &["xcustomername"],
        required: false,
    },
    Field {
        col: Col::Domain,
        name: "domain",
        partner_center: &["customerdomainname"],
        focus: &[],
        required: false,
    },
    Field {
        col: Col::Subscription,
        name: "subscription",
        partner_center: &["entitlementid"],
        focus: &["subaccountid"],
        required: true,
    },
    Field {
        col: Col::Date,
        name: "date",
        partner_center: &["usagedate"],
        focus: &["chargeperiodstart"],
        required: true,
    },
    Field {
        col: Col::ChargeStart,
        name: "charge_start",
        partner_center: &["chargestartdate"],
        focus: &[],
        required: false,
    },
    Field {
        col: Col::ChargeEnd,
        name: "charge_end",
        partner_center: &["chargeenddate"],
        focus: &[],
        required: false,
    },
    Field {
        col: Col::Category,
        name: "category",
        partner_center: &["metercategory"],
        focus: &["xskumetercategory", "servicename"],
        required: false,
    },
    Field {
        col: Col::Subcategory,
        name: "subcategory",
        partner_center: &["metersubcategory"],
        focus: &["xskumetersubcategory", "servicesubcategory"],
        required: false,
    },
    Field {
        col: Col::Meter,
        name: "meter",
        partner_center: &["metername"],
        focus: &["xskumetername", "skumeter", "chargedescription"],
        required: false,
    },
    Field {
        col: Col::Region,
        name: "region",
        partner_center: &["resourcelocation", "meterregion"],
        focus: &["regionid", "regionname"],
        required: false,
    },
    Field {
        col: Col::Unit,
        name: "unit",
        partner_center: &["unittype", "unitofmeasure", "unit"],
        focus: &["consumedunit", "pricingunit"],
        required: false,
    },
    Field {
        col: Col::Quantity,
        name: "quantity",
        partner_center: &["quantity"],
        focus: &["consumedquantity", "pricingquantity"],
        required: false,
    },
    Field {
        col: Col::Cost,
        name: "cost",
        partner_center: &["billingpretaxtotal"],
        focus: &["billedcost"],
        required: true,
    },
    Field {
        col: Col::Currency,
        name: "currency",
        partner_center: &["billingcurrency"],
        focus: &["billingcurrency"],
        required: true,
    },
    Field {
        col: Col::PricingCurrency,
        name: "pricing_currency",
        partner_center: &["pricingcurrency"],
        focus: &["xpricingcurrency"],
        required: false,
    },
    Field {
        col: Col::PcRate,
        name: "pc_rate",
        partner_center: &["pctobcexchangerate"],
        focus: &["xbillingexchangerate"],
        required: false,
    },
    Field {
        col: Col::Invoice,
        name: "invoice",
        partner_center: &["invoicenumber"],
        focus: &["xinvoiceid", "invoiceid"],
        required: false,
    },
    Field {
        col: Col::ChargeCategory,
        name: "charge_category",
        partner_center: &[],
        focus: &["chargecategory"],
        required: false,
    },
    Field {
        col: Col::BillingPeriodStart,
        name: "billing_period_start",
        partner_center: &[],
        focus: &["billingperiodstart"],
        required: false,
    },
    // The share of the row Microsoft's Azure credit pays (0 or 100): usage the reseller
    // is not billed for.
    Field {
        col: Col::CreditPercent,
        name: "credit_percent",
        partner_center: &["creditpercentage"],
        focus: &[],
        required: false,
    },
    // The same share as Partner Center's API writes it, a fraction (0 or 1).
    Field {
        col: Col::CreditRate,
        name: "credit_rate",
        partner_center: &["rateofcredit"],
        focus: &[],
        required: false,
    },
    Field {
        col: Col::Resource,
        name: "resource",
        partner_center: &["resourceuri"],
        focus: &["resourceid"],
        required: false,
    },
];

/// The column each field is read from (`None`: not in this file), by [`Col`].
pub(crate) struct Columns {
    pub format: Format,
    idx: [Option<usize>; FIELDS.len()],
}

/// A row's cells by field, each trimmed (`Err`: not UTF-8), or "" where the file has no such
/// column.
pub(crate) struct Cells<'r> {
    cells: [Result<&'r str, ()>; FIELDS.len()],
}

impl<'r> Cells<'r> {
    /// The cell of `field`; one that is not UTF-8 is an error naming it.
    pub fn get(&self, field: Col) -> Result<&'r str, String> {
        self.cells[field as usize].map_err(|()| {
            "neither UTF-8 nor Big5 text (or not the encoding of the file's other rows): \
             save the file as CSV UTF-8"
                .to_string()
        })
    }
}

/// The text encoding of a usage file, learnt from its first row beyond ASCII: UTF-8, or
/// Big5 (what Excel in Taiwan writes when a file is saved as plain "CSV"). A Big5 row is
/// read as UTF-8 from then on; a file never mixes the two. (A row of Big5 that happens to be
/// valid UTF-8 as well would be read as UTF-8; Chinese names in Big5 almost never are.)
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    #[default]
    Undecided,
    Utf8,
    Big5,
}

impl Encoding {
    /// `record` as UTF-8: itself, or its cells decoded from Big5 into `out`. A cell that is
    /// neither is left as it is, and reading it reports it.
    pub fn utf8<'a>(
        &mut self,
        record: &'a csv::ByteRecord,
        out: &'a mut csv::ByteRecord,
    ) -> &'a csv::ByteRecord {
        match self {
            Encoding::Utf8 => return record,
            _ if record.as_slice().is_ascii() => return record,
            Encoding::Undecided => {
                if std::str::from_utf8(record.as_slice()).is_ok() {
                    *self = Encoding::Utf8;
                    return record;
                }
            }
            Encoding::Big5 => {}
        }
        out.clear();
        out.set_position(record.position().cloned());
        let mut all_big5 = true;
        for cell in record {
            match encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(cell) {
                Some(text) => out.push_field(text.as_bytes()),
                None => {
                    all_big5 = false;
                    out.push_field(cell);
                }
            }
        }
        if *self == Encoding::Undecided {
            if !all_big5 {
                return record;
            }
            *self = Encoding::Big5;
        }
        out
    }
}

impl Columns {
    /// The cells of `record` RiskDesk reads. The record is checked as UTF-8 once, whole
    /// (a cell of a valid record is valid: the separators are ASCII), and each cell is a
    /// slice of it; only a record that is not valid is checked cell by cell, so a column
    /// RiskDesk does not read may hold anything.
    pub fn cells<'r>(&self, record: &'r csv::ByteRecord) -> Cells<'r> {
        let whole = std::str::from_utf8(record.as_slice()).ok();
        let cell = |i: Option<usize>| -> Result<&'r str, ()> {
            let Some(range) = i.and_then(|i| record.range(i)) else {
                return Ok("");
            };
            let text = match whole {
                Some(w) => w.get(range).ok_or(()),
                None => std::str::from_utf8(&record.as_slice()[range]).map_err(|_| ()),
            };
            text.map(str::trim)
        };
        Cells {
            cells: self.idx.map(cell),
        }
    }

    /// The file's own name of the column a field came from, for messages.
    pub fn column_name<'h>(&self, headers: &'h csv::StringRecord, field: Col) -> &'h str {
        self.idx[field as usize]
            .and_then(|i| headers.get(i))
            .map(|h| h.trim_start_matches('\u{feff}'))
            .unwrap_or("")
    }
}

/// Which format a header is, or why it is neither. `whose_chosen`: the user chose the
/// customer the whole file belongs to, for a FOCUS export that names none.
pub(crate) fn columns(
    headers: &csv::StringRecord,
    wanted: Option<Format>,
    whose_chosen: bool,
) -> Result<Columns, ImportProblem> {
    let names: Vec<String> = headers.iter().map(normalise_header).collect();
    let has = |n: &str| names.iter().any(|h| h == n);
    let detected = if has("billingpretaxtotal") && has("usagedate") {
        Some(Format::PartnerCenter)
    } else if has("billedcost") && has("chargeperiodstart") {
        Some(Format::Focus)
    } else {
        None
    };
    let format = match (wanted, detected) {
        (Some(w), _) => w,
        (None, Some(d)) => d,
        (None, None) if has("orderdate") && has("chargetype") && has("subtotal") => {
            // Partner Center's invoice reconciliation file (FORMATS.md 2): what Microsoft
            // billed, a line per product or meter and month, with no day to watch.
            return Err(ImportProblem::new(1, "header", Code::InvoiceNotUsage, "this is Partner Center's invoice reconciliation file (what Microsoft billed you, a line per product or meter and month), not usage by day: download the daily rated usage reconciliation file of the same billing period and import that"));
        }
        (None, None) => {
            return Err(ImportProblem::new(1, "header", Code::UnknownFormat, "this is neither a Partner Center daily rated usage file (it has no UsageDate and BillingPreTaxTotal columns) nor a FOCUS cost export (no ChargePeriodStart and BilledCost)"))
        }
    };
    let mut idx = [None; FIELDS.len()];
    let mut missing = Vec::new();
    for f in FIELDS {
        let candidates = match format {
            Format::PartnerCenter => f.partner_center,
            Format::Focus => f.focus,
        };
        // A column RiskDesk reads must appear once: which copy wins is not ours to guess.
        for c in candidates.iter() {
            let at: Vec<usize> = names
                .iter()
                .enumerate()
                .filter(|(_, h)| *h == c)
                .map(|(i, _)| i + 1)
                .collect();
            if at.len() > 1 {
                return Err(ImportProblem::new(
                    1,
                    &display_name(c),
                    Code::DuplicateColumn,
                    format!(
                        "the column {} appears {} times (columns {})",
                        display_name(c),
                        at.len(),
                        at.iter()
                            .map(usize::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let found = candidates
            .iter()
            .find_map(|c| names.iter().position(|h| h == c));
        match found {
            Some(_) if whose_chosen && f.col == Col::Tenant => {
                let named = display_name(candidates.first().copied().unwrap_or(f.name));
                return Err(ImportProblem::new(
                    1,
                    &named,
                    Code::NamesItsCustomers,
                    format!("the file names the customer of each row ({named}): import it without choosing a customer"),
                ));
            }
            Some(i) => idx[f.col as usize] = Some(i),
            None if whose_chosen && f.col == Col::Tenant && format == Format::Focus => {}
            None if f.required => missing.push(candidates.first().copied().unwrap_or(f.name)),
            None => {}
        }
    }
    if missing == ["xcustomerid"] && format == Format::Focus {
        // A FOCUS export of one customer's own billing account or subscription: FOCUS has
        // no customer column; Microsoft's partner exports add x_CustomerId.
        return Err(ImportProblem::new(
            1,
            "x_CustomerId",
            Code::NoCustomerColumn,
            "this FOCUS export names no customer (it has no x_CustomerId column): choose the customer whose export it is, then import it again",
        ));
    }
    if !missing.is_empty() {
        let label = match format {
            Format::PartnerCenter => "a Partner Center daily rated usage file",
            Format::Focus => "a FOCUS cost export",
        };
        let shown: Vec<String> = missing.iter().map(|m| display_name(m)).collect();
        return Err(ImportProblem::new(
            1,
            "header",
            Code::MissingColumn,
            format!(
                "required {} missing for {label}: {}",
                if shown.len() == 1 {
                    "column"
                } else {
                    "columns"
                },
                shown.join(", ")
            ),
        )
        .with("columns", shown.join(", ")));
    }
    Ok(Columns { format, idx })
}

/// The documented spelling of a normalised column name, for messages.
fn display_name(normalised: &str) -> String {
    const NAMES: &[&str] = &[
        "CustomerId",
        "EntitlementId",
        "UsageDate",
        "BillingPreTaxTotal",
        "BillingCurrency",
        "x_CustomerId",
        "SubAccountId",
        "ChargePeriodStart",
        "BilledCost",
    ];
    NAMES
        .iter()
        .find(|n| normalise_header(n) == normalised)
        .map(|n| n.to_string())
        .unwrap_or_else(|| normalised.to_string())
}

/// An exact decimal from a cell: `0.25`, `-1.5`, `1E-06`; with `decimal_comma`, `0,25`.
pub(crate) fn decimal(text: &str, decimal_comma: bool) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Decimal::ZERO);
    }
    // A minus as typesetting writes it (U+2212) is a minus.
    let minus;
    let t = if t.starts_with('\u{2212}') {
        minus = t.replacen('\u{2212}', "-", 1);
        minus.as_str()
    } else {
        t
    };
    let owned;
    let t = if decimal_comma && t.contains(',') && !t.contains('.') && t.matches(',').count() == 1 {
        owned = t.replace(',', ".");
        owned.as_str()
    } else {
        t
    };
    if t.contains(',') {
        return Err(format!(
            "{t:?}: thousands separators are not accepted; write 1234.5"
        ));
    }
    // The decimal library reads `1_000` as 1000; no export writes it so.
    if t.contains('_') {
        return Err(format!("{t:?} is not a number"));
    }
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific(t)
    } else {
        t.parse::<Decimal>()
    };
    parsed.map_err(|_| format!("{t:?} is not a number"))
}

/// The Azure subscription GUID from a FOCUS `SubAccountId` (`/subscriptions/{id}`) or an
/// EntitlementId (the caller lower-cases it).
pub(crate) fn subscription_id(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix("/subscriptions/")
        .map(|rest| rest.split('/').next().unwrap_or(""))
        .unwrap_or(t)
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
