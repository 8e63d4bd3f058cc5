//! One row of a usage file, checked and summed into the days an import collects: its
//! tenant, subscription, day (a correction of an earlier billing period on the first day of
//! the period that carries it), amounts, currency and rate, and its meter line.

use rust_decimal::Decimal;

use super::days::{Collected, DayMeta, Sums, SEP};
use super::read::{self, Col, Columns, Format, RawDate};
use crate::error::{Code, ImportProblem};
use crate::money::Currency;

/// Buffers reused from row to row, so reading a row allocates nothing in the usual case.
#[derive(Default)]
pub(super) struct Scratch {
    tenant: String,
    subscription: String,
    meter: String,
    /// The tenant and name every row belongs to, when the file names no customer (a FOCUS
    /// export of one customer's own, without `x_CustomerId`) and the user chose whose it is.
    pub(super) whose: Option<(String, String)>,
}

pub(super) fn read_row(
    c: &mut Collected,
    sc: &mut Scratch,
    cols: &Columns,
    headers: &csv::StringRecord,
    r: &csv::ByteRecord,
    line: u64,
    decimal_comma: bool,
) {
    let col = |f: Col| cols.column_name(headers, f).to_string();
    let cells = cols.cells(r);
    let cell = |c: &mut Collected, f: Col| -> Option<&str> {
        match cells.get(f) {
            Ok(v) => Some(v),
            Err(m) => {
                c.problem(ImportProblem::new(line, &col(f), Code::NotText, m));
                None
            }
        }
    };
    // FOCUS rows that are not usage: taxes (usage and budgets are before tax), left out and
    // counted; purchases (reservations, Marketplace), read to be told per customer; credits
    // (a negative cost), the part of the day a credit pays, as Partner Center's
    // `CreditPercentage` says it.
    let (mut purchase, mut credit_row) = (false, false);
    if cols.format == Format::Focus {
        let category = cell(c, Col::ChargeCategory).unwrap_or("");
        if category.eq_ignore_ascii_case("tax") {
            c.taxes += 1;
            return;
        }
        purchase = category.eq_ignore_ascii_case("purchase");
        credit_row = category.eq_ignore_ascii_case("credit");
    }
    sc.tenant.clear();
    match &sc.whose {
        Some((tenant, _)) => sc.tenant.push_str(tenant),
        None => sc
            .tenant
            .push_str(cell(c, Col::Tenant).unwrap_or("").trim()),
    }
    sc.tenant.make_ascii_lowercase();
    if cols.format == Format::Focus && sc.tenant.is_empty() {
        // A billing account's export has the partner's own subscriptions too: no customer's
        // usage, left out and counted.
        c.no_customer += 1;
        return;
    }
    let tenant_ok = crate::identity::is_guid(&sc.tenant);
    if !tenant_ok {
        let p = if sc.tenant.is_empty() {
            ImportProblem::new(line, &col(Col::Tenant), Code::Required, "empty")
        } else {
            ImportProblem::new(
                line,
                &col(Col::Tenant),
                Code::InvalidGuid,
                format!("{:?} is not a tenant id (GUID)", sc.tenant),
            )
            .with("value", crate::import::shown(&sc.tenant))
        };
        c.problem(p);
    }
    sc.subscription.clear();
    sc.subscription.push_str(read::subscription_id(
        cell(c, Col::Subscription).unwrap_or(""),
    ));
    sc.subscription.make_ascii_lowercase();
    // A purchase may be the billing account's, under no subscription.
    if sc.subscription.is_empty() && !purchase {
        c.problem(ImportProblem::new(
            line,
            &col(Col::Subscription),
            Code::Required,
            "empty",
        ));
    }
    let date_text = cell(c, Col::Date).unwrap_or("");
    let mut earlier = false;
    // The day as written (before a correction moves it), for the record.
    let mut written = None;
    let date = match read::raw_date(date_text) {
        Ok(charged) => {
            written = Some(charged);
            // A charge of an earlier billing period (a FOCUS correction: a refund or an
            // adjustment of a day already billed) counts on the first day of the billing
            // period that carries it, as the invoice does; the earlier day keeps its usage
            // instead of being replaced by the correction alone.
            let period = match cells.get(Col::BillingPeriodStart) {
                Ok(text) if !text.is_empty() => read::raw_date(text).ok(),
                _ => None,
            };
            let d = match (charged, period) {
                (RawDate::Iso(day), Some(RawDate::Iso(start))) if day < start => {
                    earlier = true;
                    c.earlier_charges += 1;
                    RawDate::Iso(start)
                }
                // Written as Excel saves a file again: compared once the order is known.
                (RawDate::Slash(a, b, y), Some(RawDate::Slash(pa, pb, py))) => {
                    let d = RawDate::SlashInPeriod(a, b, y, pa, pb, py);
                    *c.in_period_rows.entry(d).or_insert(0) += 1;
                    d
                }
                _ => charged,
            };
            c.order.learn(d, line);
            c.date_lines.entry(d).or_insert(line);
            Some(d)
        }
        Err(m) => {
            let p = ImportProblem::new(line, &col(Col::Date), Code::InvalidDate, m)
                .with("value", crate::import::shown(date_text));
            c.problem(p);
            None
        }
    };
    let [start, end] = [Col::ChargeStart, Col::ChargeEnd]
        .map(|extra| read::raw_date(cells.get(extra).unwrap_or("")).ok());
    for d in [start, end].into_iter().flatten() {
        c.order.learn(d, line);
    }
    // The record, to tell the parts of one export from two downloads of the same days: its
    // days as dates, its other cells as written.
    let others = [
        Col::Tenant,
        Col::Subscription,
        Col::Category,
        Col::Subcategory,
        Col::Meter,
        Col::Region,
        Col::Unit,
        Col::Resource,
        Col::ChargeCategory,
    ];
    c.overlap.row(
        super::versions::record(others.map(|f| cells.get(f).unwrap_or(""))),
        [written, start],
    );
    let number = |c: &mut Collected, f: Col| -> Option<Decimal> {
        let text = cell(c, f)?;
        note_marks(c, text, line, decimal_comma);
        match read::decimal(text, decimal_comma) {
            Ok(v) => Some(v),
            Err(m) => {
                let code = if text.contains(',') {
                    Code::UseDecimalPoint
                } else {
                    Code::InvalidNumber
                };
                let p = ImportProblem::new(line, &col(f), code, m)
                    .with("value", crate::import::shown(text));
                c.problem(p);
                None
            }
        }
    };
    let cost = number(c, Col::Cost);
    let quantity = number(c, Col::Quantity);
    let currency_text = cell(c, Col::Currency).unwrap_or("");
    let currency = Currency::parse(currency_text);
    if currency.is_none() {
        c.problem(
            ImportProblem::new(
                line,
                &col(Col::Currency),
                Code::InvalidCurrency,
                format!("{currency_text:?} is not a currency RiskDesk knows"),
            )
            .with("value", crate::import::shown(currency_text)),
        );
    }
    let at = RowAt {
        cols,
        headers,
        cells: &cells,
        line,
        decimal_comma,
    };
    let rate = file_rate(c, &at);
    let credit = credit_share(c, &at);
    let (Some(date), Some(cost), Some(quantity), Some(currency), Some(credit)) =
        (date, cost, quantity, currency, credit)
    else {
        return;
    };
    // What an amount of money can be in RiskDesk: a cost beyond it is a value with extra
    // digits (or a column shifted), never a day of usage, and would only be shown clipped.
    let most = Decimal::new(crate::money::MAX_MINOR, currency.exponent());
    if cost.abs() > most {
        let p = ImportProblem::new(
            line,
            &col(Col::Cost),
            Code::TooLarge,
            format!(
                "{cost} {} is more than RiskDesk counts as an amount ({most}): check for a value with extra digits",
                currency.code()
            ),
        )
        .with("value", crate::import::shown(&cost.to_string()));
        c.problem(p);
        return;
    }
    if purchase {
        if tenant_ok {
            let name = match &sc.whose {
                Some((_, whose)) => whose.clone(),
                None => cells.get(Col::TenantName).unwrap_or("").trim().to_string(),
            };
            let seen = c
                .purchases
                .entry((sc.tenant.clone(), currency, date))
                .or_insert_with(|| super::days::Purchased {
                    name,
                    rows: 0,
                    cost: Decimal::ZERO,
                    billed: false,
                });
            seen.rows += 1;
            seen.cost += cost;
            seen.billed |= !cells.get(Col::Invoice).unwrap_or("").is_empty();
        }
        return;
    }
    if let Some((pricing, rate)) = rate {
        // A correction's rate is its own period's, not the day it is counted on.
        if pricing != currency && !earlier {
            c.rates.entry((date, pricing, currency)).or_insert(rate);
        }
    }
    if !tenant_ok || sc.subscription.is_empty() {
        return;
    }
    // The text cells kept: UTF-8 (a cell that is not is a problem, never read as empty)
    // without control characters.
    for f in [
        Col::TenantName,
        Col::Domain,
        Col::Category,
        Col::Subcategory,
        Col::Meter,
        Col::Region,
        Col::Unit,
        Col::Invoice,
    ] {
        let Some(text) = cell(c, f) else {
            return;
        };
        if crate::customer::has_control(text, false) {
            c.problem(ImportProblem::new(
                line,
                &col(f),
                Code::ControlCharacter,
                "contains a control character (such as NUL): remove it",
            ));
            return;
        }
    }
    let t = c.strings.id(&sc.tenant);
    if let std::collections::btree_map::Entry::Vacant(e) = c.tenants.entry(t) {
        let mut name = cells.get(Col::TenantName).unwrap_or("").to_string();
        if let (true, Some((_, whose))) = (name.is_empty(), &sc.whose) {
            name.clone_from(whose);
        }
        let domain = cells.get(Col::Domain).unwrap_or("").to_ascii_lowercase();
        e.insert((name, domain));
    }
    let s = c.subs.id(&sc.subscription);
    let billed = !cells.get(Col::Invoice).unwrap_or("").is_empty();
    sc.meter.clear();
    for (i, f) in [Col::Category, Col::Subcategory, Col::Meter]
        .iter()
        .enumerate()
    {
        if i > 0 {
            sc.meter.push(SEP);
        }
        sc.meter.push_str(cells.get(*f).unwrap_or(""));
    }
    sc.meter.push(SEP);
    super::region::push_region(&mut sc.meter, cells.get(Col::Region).unwrap_or(""));
    sc.meter.push(SEP);
    sc.meter.push_str(cells.get(Col::Unit).unwrap_or(""));
    let m = c.strings.id(&sc.meter);
    let day = c.days.entry((t, s, date)).or_insert_with(|| DayMeta {
        currency,
        billed,
        lines: Vec::new(),
    });
    if day.currency != currency {
        let message = format!(
            "{} where earlier rows of this subscription and day are in {}",
            currency.code(),
            day.currency.code()
        );
        c.problem(ImportProblem::new(
            line,
            &col(Col::Currency),
            Code::CurrencyMismatch,
            message,
        ));
        return;
    }
    day.billed |= billed;
    let sums = match day.lines.iter().rposition(|(k, _)| *k == m) {
        Some(i) => &mut day.lines[i].1,
        None => {
            day.lines.push((m, Sums::default()));
            c.lines_held += 1;
            &mut day.lines.last_mut().expect("just pushed").1
        }
    };
    // The credited part, exact: a share of 0, 1/2 or 1 of the row's cost (or any hundredth);
    // a FOCUS credit row is credited as a whole (its cost is negative), and is no use of the
    // meter: neither its quantity nor its cost is the meter's.
    let (quantity, cost, credited) = if credit_row {
        (Decimal::ZERO, Decimal::ZERO, Some(-cost))
    } else if credit.is_zero() {
        (quantity, cost, Some(Decimal::ZERO))
    } else {
        (quantity, cost, cost.checked_mul(credit))
    };
    match (
        sums.quantity.checked_add(quantity),
        sums.cost.checked_add(cost),
        credited.and_then(|v| sums.credited.checked_add(v)),
    ) {
        (Some(q), Some(v), Some(k)) if v.abs() <= most && k.abs() <= most => {
            sums.quantity = q;
            sums.cost = v;
            sums.credited = k;
            if credit_row || !credit.is_zero() {
                c.credited_rows += 1;
            }
        }
        _ => c.problem(ImportProblem::new(
            line,
            &col(Col::Cost),
            Code::SumTooLarge,
            "this row's amounts added to the day's exceed what RiskDesk can count: check for a value with extra digits",
        )),
    }
}

/// A row being read and where it stands: what its figures' problems name.
#[derive(Clone, Copy)]
struct RowAt<'a> {
    cols: &'a Columns,
    headers: &'a csv::StringRecord,
    cells: &'a read::Cells<'a>,
    line: u64,
    decimal_comma: bool,
}

/// The row's pricing currency and its rate to the billing currency (`PCToBCExchangeRate`,
/// FOCUS `x_BillingExchangeRate`), when the file has both; a rate that is not a positive
/// number is a problem naming the line and column.
fn file_rate(c: &mut Collected, at: &RowAt) -> Option<(Currency, Decimal)> {
    let pricing = at.cells.get(Col::PricingCurrency).ok()?;
    let rate = at.cells.get(Col::PcRate).ok()?;
    if pricing.is_empty() || rate.is_empty() {
        return None;
    }
    let Some(pricing) = Currency::parse(pricing) else {
        let name = at
            .cols
            .column_name(at.headers, Col::PricingCurrency)
            .to_string();
        c.problem(
            ImportProblem::new(
                at.line,
                &name,
                Code::InvalidCurrency,
                format!("{pricing:?} is not a currency RiskDesk knows"),
            )
            .with("value", crate::import::shown(pricing)),
        );
        return None;
    };
    note_marks(c, rate, at.line, at.decimal_comma);
    match read::decimal(rate, at.decimal_comma) {
        Ok(v) if v > Decimal::ZERO => Some((pricing, v)),
        Ok(_) | Err(_) => {
            let name = at.cols.column_name(at.headers, Col::PcRate).to_string();
            c.problem(
                ImportProblem::new(
                    at.line,
                    &name,
                    Code::InvalidRate,
                    format!("{rate:?} is not a positive exchange rate"),
                )
                .with("value", crate::import::shown(rate)),
            );
            None
        }
    }
}

/// The share of the row Microsoft's Azure credit pays, from Partner Center's
/// `CreditPercentage` (0 or 100; any percentage from 0 to 100 is read) or its API's
/// `rateOfCredit` (the same as a fraction, 0 or 1): 0 where the file has neither or the cell
/// is empty. Anything else is a problem naming the line and column (`None`), never read as
/// no credit.
fn credit_share(c: &mut Collected, at: &RowAt) -> Option<Decimal> {
    let (field, most) = match at.cells.get(Col::CreditPercent) {
        Ok("") if !matches!(at.cells.get(Col::CreditRate), Ok("")) => {
            (Col::CreditRate, Decimal::ONE)
        }
        _ => (Col::CreditPercent, Decimal::ONE_HUNDRED),
    };
    let name = || at.cols.column_name(at.headers, field).to_string();
    let text = match at.cells.get(field) {
        Ok(text) => text,
        Err(m) => {
            c.problem(ImportProblem::new(at.line, &name(), Code::NotText, m));
            return None;
        }
    };
    if text.is_empty() {
        return Some(Decimal::ZERO);
    }
    note_marks(c, text, at.line, at.decimal_comma);
    // `100%` as a spreadsheet may show a percentage.
    let digits = match field {
        Col::CreditPercent => text.strip_suffix('%').unwrap_or(text).trim_end(),
        _ => text,
    };
    match read::decimal(digits, at.decimal_comma) {
        Ok(v) if v >= Decimal::ZERO && v <= most => Some(v / most),
        Ok(_) | Err(_) => {
            c.problem(
                ImportProblem::new(
                    at.line,
                    &name(),
                    Code::InvalidCreditPercent,
                    format!("{text:?} is not a credit share (0 to {most})"),
                )
                .with("value", crate::import::shown(text))
                .with("max", most),
            );
            None
        }
    }
}

/// Notes how a number of a file that may use a decimal comma marks its decimals: a file
/// that writes `0,25` on one line and `1.234` on another says nothing of which `1.234` is
/// (a thousand, or one and a bit), so it is refused once read ([`mixed_marks`]).
fn note_marks(c: &mut Collected, text: &str, line: u64, decimal_comma: bool) {
    if !decimal_comma {
        return;
    }
    if text.contains(',') && c.comma_line.is_none() {
        c.comma_line = Some(line);
    }
    if text.contains('.') && c.point_line.is_none() {
        c.point_line = Some(line);
    }
}

/// The problem of a file whose numbers mark their decimals both ways, if it is one.
pub(super) fn mixed_marks(c: &Collected) -> Option<ImportProblem> {
    let (comma, point) = (c.comma_line?, c.point_line?);
    Some(
        ImportProblem::new(
            comma.max(point),
            "numbers",
            Code::MixedDecimalMarks,
            format!(
                "the file writes decimals with a comma (line {comma}) and with a point (line {point}): \
                 which of 1.234 and 1,234 is a thousand cannot be told; save it again with one decimal mark"
            ),
        )
        .with("comma_line", comma)
        .with("point_line", point),
    )
}
