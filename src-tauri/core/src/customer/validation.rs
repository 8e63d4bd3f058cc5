//! Checking every field of a customer as typed, all problems at once.

use super::*;
use crate::error::Code;
use crate::money::{Currency, Money};
use crate::{Error, FieldError, Result};

pub(super) use crate::identity::is_guid;

pub(super) fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| {
            // Letters, or an internationalized top-level domain's Punycode (`xn--kpry57d`, 台灣).
            let punycode = tld
                .strip_prefix("xn--")
                .is_some_and(|rest| !rest.is_empty());
            (tld.chars().all(|c| c.is_ascii_alphabetic()) && tld.len() >= 2) || punycode
        })
}

/// A domain as DNS and mail servers carry it: ASCII in lower case, a name written in another
/// script (`範例.台灣`) as its Punycode (`xn--fsqy19h.xn--kpry57d`), so that it is sent as
/// mail servers read it and compared as one name however it was typed. None: not a domain.
pub fn ascii_domain(text: &str) -> Option<String> {
    let ascii = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii_strict(text).ok()?
    };
    is_domain(&ascii).then_some(ascii)
}

/// An e-mail address as it is sent: the part before `@` as written (mail servers without
/// internationalized mail take only ASCII there), the domain as [`ascii_domain`] writes it.
/// None: not an address RiskDesk can send to.
pub fn email_address(text: &str) -> Option<String> {
    let (local, domain) = text.rsplit_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.is_ascii()
        && !local.contains('@')
        && !local.contains(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    if !local_ok {
        return None;
    }
    Some(format!("{local}@{}", ascii_domain(domain)?))
}

pub fn is_email(s: &str) -> bool {
    email_address(s).is_some()
}

/// Text typed with a Chinese keyboard in full-width mode as ASCII: full-width letters,
/// digits and signs (`＠`, `．`, `；`) and the ideographic full stop of `contoso。com`.
fn typed_ascii(text: &str) -> String {
    crate::identity::half_width(text).replace('。', ".")
}

/// The number of days in payment terms as a customer list writes them: `30`, `Net 30`,
/// `30 days`, `30天`, `30日`. Terms counted from the month's end (`月結30天`, `EOM 30`) are
/// other terms and stay as written, to be refused.
fn terms_days(text: &str) -> &str {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let t = match lower.starts_with("net") {
        true => t[3..].trim_start_matches([' ', '-']),
        false => t,
    };
    ["days", "day", "天", "日"]
        .iter()
        .find_map(|unit| {
            t.len()
                .checked_sub(unit.len())
                .filter(|at| t.is_char_boundary(*at) && t[*at..].eq_ignore_ascii_case(unit))
                .map(|at| t[..at].trim_end())
        })
        .unwrap_or(t)
}

/// The address of an e-mail address as a mail program copies it: `Lin Mei <lin@contoso.com>`
/// and `mailto:lin@contoso.com` are `lin@contoso.com`; anything else as it is.
fn address_of(text: &str) -> &str {
    let t = text.trim();
    let t = match t.rsplit_once('<') {
        Some((_, inner)) if inner.ends_with('>') => inner[..inner.len() - 1].trim(),
        _ => t,
    };
    match t.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => t[7..].trim(),
        _ => t,
    }
}

/// The most addresses one customer's letters are e-mailed to.
pub const MAX_BILLING_EMAILS: usize = 10;

/// Addresses separated by `;` or `,` (as mail programs and spreadsheets write them), each
/// an e-mail address, lower case, each once, at most [`MAX_BILLING_EMAILS`]: the accounts
/// payable team and the owner both get the letters.
pub fn email_list(text: &str) -> std::result::Result<Vec<String>, FieldError> {
    let mut list: Vec<String> = Vec::new();
    for part in typed_ascii(text).split([';', ',']) {
        let typed = address_of(part).to_lowercase();
        if typed.is_empty() {
            continue;
        }
        let Some(address) = email_address(&typed) else {
            return Err(FieldError::new(
                "billing_email",
                Code::InvalidEmail,
                format!("{typed:?} is not an e-mail address (e.g. ar@contoso.com; separate several with ;; the part before @ in Latin letters)"),
            )
            .with("value", crate::import::shown(&typed)));
        };
        if !list.contains(&address) {
            list.push(address);
        }
    }
    if list.len() > MAX_BILLING_EMAILS {
        return Err(FieldError::new(
            "billing_email",
            Code::TooMany,
            format!("at most {MAX_BILLING_EMAILS} addresses"),
        ));
    }
    Ok(list)
}

/// A phone number of 6 to 15 digits (full-width digits as typed with a Chinese keyboard
/// too), optionally starting with `+`, and an extension of up to six digits after `#`,
/// `x`, `ext.`, `分機` or `轉`.
pub(super) fn is_phone(s: &str) -> bool {
    let plain = crate::identity::half_width(s);
    let (main, extension) = crate::identity::phone_extension(&plain);
    let digits = main.chars().filter(|c| c.is_ascii_digit()).count();
    (6..=15).contains(&digits)
        && main
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && main.chars().filter(|c| *c == '+').count() <= 1
        && (!main.contains('+') || main.trim_start().starts_with('+'))
        && extension.is_none_or(|e| e.len() <= 6 && e.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `text` has a C0 control character or DEL (tab allowed; line breaks where `lines`).
pub fn has_control(text: &str, lines: bool) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\t' && !(lines && (c == '\n' || c == '\r'))) || c == '\u{7f}'
    })
}

/// Taiwan's unified business number (統一編號) carries a check digit: a number typed into the
/// form is checked, however it is spaced, so a typo is caught as it is typed. (An imported
/// book keeps the numbers it has.)
pub fn check_typed_tax_id(country: &str, tax_id: &str) -> Result<()> {
    let compact = crate::identity::tax_id(tax_id);
    if crate::countries::code_of(country) == Some("TW")
        && compact.len() == 8
        && compact.chars().all(|c| c.is_ascii_digit())
        && !crate::identity::tw_business_number_ok(&compact)
    {
        return Err(crate::Error::field(
            "tax_id",
            Code::InvalidTaxId,
            "not a valid Taiwan unified business number (統一編號): its check digit does not match; check the eight digits",
        ));
    }
    Ok(())
}

impl CustomerInput {
    /// Checks every field and returns all problems at once, so a form can mark each.
    pub fn validate(&self) -> Result<CustomerFields> {
        let mut errs = Vec::new();
        // What shows nothing (a zero-width space, a direction mark) is not kept: the record
        // reads, matches and exports as it looks. Notes are kept as written.
        let t = |s: &str| crate::identity::visible(s).trim().to_string();
        let too_long = |field: &str, value: &str, max: usize, errs: &mut Vec<FieldError>| {
            if value.chars().count() > max {
                errs.push(FieldError::too_long(field, max));
            }
        };

        // Control characters (NUL and the rest of C0) make a record unsearchable and travel
        // into exports: refused in every text field; notes and the address may have lines.
        for (field, value, lines) in [
            ("legal_name", &self.legal_name, false),
            ("tenant_id", &self.tenant_id, false),
            ("primary_domain", &self.primary_domain, false),
            ("country", &self.country, false),
            ("address", &self.address, true),
            ("contact_name", &self.contact_name, false),
            ("phone", &self.phone, false),
            ("email", &self.email, false),
            ("tax_id", &self.tax_id, false),
            ("currency", &self.currency, false),
            ("notes", &self.notes, true),
            ("virtual_account", &self.virtual_account, false),
            ("payer_names", &self.payer_names, false),
            ("billing_email", &self.billing_email, false),
        ] {
            if has_control(value, lines) {
                errs.push(FieldError::new(
                    field,
                    Code::ControlCharacter,
                    "contains a control character (such as NUL): remove it",
                ));
            }
        }

        let legal_name = t(&self.legal_name);
        if legal_name.is_empty() {
            errs.push(FieldError::new(
                "legal_name",
                Code::Required,
                "the legal name is required",
            ));
        }
        too_long("legal_name", &legal_name, 200, &mut errs);

        // Codes, addresses and ids as a Chinese keyboard in full-width mode types them
        // (ｂｉｌｌｉｎｇ＠ｃｏｎｔｏｓｏ．ｃｏｍ, contoso。com, ＴＷ) are read as ASCII.
        let typed = |s: &str| typed_ascii(&t(s));
        // A GUID copied in .NET's or the registry's form keeps its braces: `{72f9…db47}`.
        let tenant = typed(&self.tenant_id).to_ascii_lowercase();
        let tenant = match tenant.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(inner) => inner.trim().to_string(),
            None => tenant,
        };
        let tenant_id = if tenant.is_empty() {
            None
        } else if is_guid(&tenant) {
            Some(tenant)
        } else {
            errs.push(FieldError::new(
                "tenant_id",
                Code::InvalidGuid,
                "a Microsoft tenant id is a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47",
            ));
            None
        };

        // A web address written for the domain (`https://www.contoso.com/`) is its host.
        let primary_domain = typed(&self.primary_domain);
        let primary_domain = ["https://", "http://"]
            .iter()
            .find_map(|scheme| {
                let at = scheme.len();
                (primary_domain.is_char_boundary(at)
                    && primary_domain[..at].eq_ignore_ascii_case(scheme))
                .then(|| &primary_domain[at..])
            })
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or("").to_string())
            .filter(|host| !host.is_empty())
            .unwrap_or(primary_domain);
        let primary_domain = match ascii_domain(&primary_domain) {
            Some(ascii) => ascii,
            None if primary_domain.is_empty() => primary_domain,
            None => {
                errs.push(FieldError::new(
                    "primary_domain",
                    Code::InvalidDomain,
                    "not a domain name (e.g. contoso.onmicrosoft.com)",
                ));
                primary_domain
            }
        };

        // A code in any case, or a name a customer list writes (`Taiwan`, `台灣`, `USA`,
        // `Nigeria`, `奈及利亞`).
        let country = crate::countries::code_of_any(&self.country)
            .map(str::to_string)
            .unwrap_or_else(|| typed(&self.country).to_ascii_uppercase());
        if country.is_empty() {
            errs.push(FieldError::new(
                "country",
                Code::Required,
                "the country/region is required",
            ));
        } else if !crate::countries::is_assigned(&country) {
            let shown = crate::import::shown(&country);
            errs.push(match crate::countries::instead_of(&country) {
                Some(code) => FieldError::new(
                    "country",
                    Code::CountryInstead,
                    format!("{country} is not an ISO 3166 code: write {code}"),
                )
                .with("value", shown)
                .with("instead", code),
                None => FieldError::new(
                    "country",
                    Code::InvalidCountry,
                    "use the two-letter ISO 3166 code (TW, US, JP, ...) or the country's name",
                )
                .with("value", shown),
            });
        }

        let address = t(&self.address);
        too_long("address", &address, 500, &mut errs);
        let contact_name = t(&self.contact_name);
        too_long("contact_name", &contact_name, 200, &mut errs);

        // A long number a spreadsheet showed as `8.86912E+11` (a phone, a virtual account, a
        // 12-digit or longer tax id) has lost its digits: say so, rather than keep it or call
        // it mistyped.
        let lost: Vec<&str> = [
            ("phone", &self.phone),
            ("virtual_account", &self.virtual_account),
            ("tax_id", &self.tax_id),
        ]
        .into_iter()
        .filter(|(_, v)| crate::identity::is_spreadsheet_exponent(v))
        .map(|(field, v)| {
            errs.push(crate::receivables::exponent_problem(field, v.trim()));
            field
        })
        .collect();

        let phone = t(&self.phone);
        if !phone.is_empty() && !is_phone(&phone) && !lost.contains(&"phone") {
            errs.push(FieldError::new(
                "phone",
                Code::InvalidPhone,
                "a phone number has 6 to 15 digits, optionally starting with + (e.g. +886 2 2345 6789)",
            ));
        }

        let email = address_of(&typed(&self.email)).to_string();
        let email = match email_address(&email) {
            Some(address) => address,
            None if email.is_empty() => email,
            None => {
                errs.push(FieldError::new(
                    "email",
                    Code::InvalidEmail,
                    "not an e-mail address (e.g. billing@contoso.com; the part before @ in Latin letters)",
                ));
                email
            }
        };

        let billing_email = match email_list(&self.billing_email) {
            Ok(list) => list.join("; "),
            Err(e) => {
                errs.push(e);
                String::new()
            }
        };

        let tax_id = crate::identity::tw_business_number_restored(&country, &t(&self.tax_id));
        too_long("tax_id", &tax_id, 50, &mut errs);

        let currency = Currency::written(&t(&self.currency));
        if currency.is_none() {
            errs.push(FieldError::new(
                "currency",
                Code::InvalidCurrency,
                "not a currency in use: write its ISO 4217 code (TWD, USD, JPY, ...)",
            ));
        }

        let language = super::choices::language("language", &self.language)
            .map_err(|e| errs.push(e))
            .ok();

        let terms_text = t(&self.payment_terms_days);
        let payment_terms_days = match crate::money::whole_number(terms_days(&terms_text)) {
            Some(d) if (0..=365).contains(&d) => d,
            _ => {
                errs.push(FieldError::new(
                    "payment_terms_days",
                    Code::InvalidDays,
                    "payment terms are a number of days from 0 to 365",
                ));
                0
            }
        };

        let credit_limit = match currency {
            Some(c) => {
                let text = t(&self.credit_limit);
                if text.is_empty() {
                    Money::zero(c)
                } else {
                    // As the customer file's spreadsheet or ledger writes it too:
                    // NT$150,000, 新台幣 150,000 元, full-width digits.
                    match Money::written(&text, c) {
                        Ok(m) if m.minor < 0 => {
                            errs.push(FieldError::new(
                                "credit_limit",
                                Code::Negative,
                                "the credit limit must not be negative",
                            ));
                            m
                        }
                        Ok(m) => m,
                        Err(e) => {
                            errs.push(FieldError::new(
                                "credit_limit",
                                Code::InvalidAmount,
                                e.to_string(),
                            ));
                            Money::zero(c)
                        }
                    }
                }
            }
            None => Money::zero(Currency::parse("USD").expect("USD is known")),
        };

        let payment_instrument =
            super::choices::payment_instrument("payment_instrument", &self.payment_instrument)
                .map_err(|e| errs.push(e))
                .ok();
        let admin_access = super::choices::admin_access("admin_access", &self.admin_access)
            .map_err(|e| errs.push(e))
            .ok();
        let status = super::choices::status("status", &self.status)
            .map_err(|e| errs.push(e))
            .ok();
        let notes = self.notes.trim().to_string();
        too_long("notes", &notes, 5000, &mut errs);
        let virtual_account: String = typed_ascii(&self.virtual_account)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits_only = virtual_account.bytes().all(|b| b.is_ascii_digit());
        let well_formed = (6..=20).contains(&virtual_account.len()) && digits_only;
        if !virtual_account.is_empty() && !well_formed && !lost.contains(&"virtual_account") {
            errs.push(
                FieldError::new(
                    "virtual_account",
                    Code::InvalidAccount,
                    "a virtual account is 6 to 20 digits (spaces and dashes are ignored)",
                )
                .with("value", self.virtual_account.trim()),
            );
        }
        let payer_names: Vec<String> = self
            .payer_names
            .split(';')
            .map(t)
            .filter(|n| !n.is_empty())
            .collect();
        if payer_names.len() > 10 {
            errs.push(
                FieldError::new("payer_names", Code::TooMany, "at most 10 payer names")
                    .with("max", 10),
            );
        }
        if let Some(long) = payer_names.iter().find(|n| n.chars().count() > 200) {
            too_long("payer_names", long, 200, &mut errs);
        }

        if !errs.is_empty() {
            return Err(Error::Validation(errs));
        }
        let (
            Some(currency),
            Some(language),
            Some(payment_instrument),
            Some(admin_access),
            Some(status),
        ) = (currency, language, payment_instrument, admin_access, status)
        else {
            return Err(Error::Invalid("validation inconsistency".into()));
        };
        Ok(CustomerFields {
            legal_name,
            tenant_id,
            primary_domain,
            country,
            address,
            contact_name,
            phone,
            email,
            tax_id,
            currency,
            language,
            payment_terms_days,
            credit_limit,
            payment_instrument,
            card_present: self.card_present,
            admin_access,
            status,
            notes,
            virtual_account,
            payer_names,
            billing_email,
        })
    }
}

impl CustomerFields {
    /// Back to the text form (for edit forms and CSV export).
    pub fn to_input(&self) -> CustomerInput {
        CustomerInput {
            legal_name: self.legal_name.clone(),
            tenant_id: self.tenant_id.clone().unwrap_or_default(),
            primary_domain: self.primary_domain.clone(),
            country: self.country.clone(),
            address: self.address.clone(),
            contact_name: self.contact_name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            tax_id: self.tax_id.clone(),
            currency: self.currency.code().to_string(),
            language: self.language.as_str().to_string(),
            payment_terms_days: self.payment_terms_days.to_string(),
            credit_limit: self.credit_limit.to_plain(),
            payment_instrument: self.payment_instrument.as_str().to_string(),
            card_present: self.card_present,
            admin_access: self.admin_access.as_str().to_string(),
            status: self.status.as_str().to_string(),
            notes: self.notes.clone(),
            virtual_account: self.virtual_account.clone(),
            payer_names: self.payer_names.join("; "),
            billing_email: self.billing_email.clone(),
        }
    }
}
