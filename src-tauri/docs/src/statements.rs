//! Statements of account: every document with a running balance, in the customer's
//! language, then the balance and how to pay.

use printpdf::PdfDocument;
use riskdesk_core::customer::{Customer, Language};
use riskdesk_core::money::Money;
use riskdesk_core::receivables::{method_in, Statement, StatementLine};

use crate::layout::{save, Align, Paper, Writer, INK, MUTED};
use crate::letters::{date_text, header, l, page_label, resources, unix, zh, Letterhead};

/// A statement line's description in the customer's language.
fn statement_text(lang: Language, x: &StatementLine) -> String {
    use riskdesk_core::receivables::{ReturnReason as R, StatementEntry as E};
    let zh = zh(lang);
    match (&x.entry, zh) {
        (E::Invoice { due_on }, false) => format!("invoice; due {}", date_text(lang, *due_on)),
        (E::Invoice { due_on }, true) => format!("發票；到期日 {}", date_text(lang, *due_on)),
        (E::Charge { due_on }, false) => {
            format!("late fee and interest; due {}", date_text(lang, *due_on))
        }
        (E::Charge { due_on }, true) => {
            format!("逾期費用及利息；到期日 {}", date_text(lang, *due_on))
        }
        (E::PlanInterest { due_on }, false) => {
            format!("payment plan interest; due {}", date_text(lang, *due_on))
        }
        (E::PlanInterest { due_on }, true) => {
            format!("分期付款利息；到期日 {}", date_text(lang, *due_on))
        }
        (E::Payment { method }, false) if method.is_empty() => "payment".into(),
        (E::Payment { method }, false) => format!("payment ({})", method_in(lang, method)),
        (E::Payment { method }, true) if method.is_empty() => "付款".into(),
        (E::Payment { method }, true) => format!("付款（{}）", method_in(lang, method)),
        (E::CreditNote, false) => "credit note".into(),
        (E::CreditNote, true) => "折讓單".into(),
        (E::ChargesCredited { charge_invoice }, false) => format!(
            "late fee and interest of {charge_invoice} credited back: payment received by the dunning run's day"
        ),
        (E::ChargesCredited { charge_invoice }, true) => {
            format!("{charge_invoice} 逾期費用及利息退還：款項於催收日前已收到")
        }
        (E::ChargesAgain { due_on }, false) => format!(
            "late fee and interest charged again (payment taken back); due {}",
            date_text(lang, *due_on)
        ),
        (E::ChargesAgain { due_on }, true) => format!(
            "逾期費用及利息重新計收（款項遭退回）；到期日 {}",
            date_text(lang, *due_on)
        ),
        (E::PaymentReturned { reason }, false) => match reason {
            R::Chargeback => "payment charged back by the card issuer".into(),
            R::Returned => "payment returned by the bank".into(),
            R::Recalled => "payment recalled by the payer's bank".into(),
        },
        (E::PaymentReturned { reason }, true) => match reason {
            R::Chargeback => "付款遭發卡機構退單（扣回）".into(),
            R::Returned => "付款遭銀行退回".into(),
            R::Recalled => "付款遭付款銀行撤回".into(),
        },
        (E::WriteOff { reason }, false) => format!("write-off: {reason}"),
        (E::WriteOff { reason }, true) => format!("沖銷：{reason}"),
    }
}

/// A statement of account: every document with a running balance, then what is open.
pub fn statement_document(
    paper: Paper,
    lh: &Letterhead,
    customer: &Customer,
    st: &Statement,
) -> Vec<u8> {
    let lang = customer.fields.language;
    let mut doc = PdfDocument::new(l(lang, "Statement of account", "對帳單"));
    let res = resources(&mut doc, lh);
    let mut w = Writer::new(res.font.clone(), paper);
    w.footer = format!("{} · {}", lh.name, customer.fields.legal_name);
    header(
        &mut w,
        res.logo.as_ref(),
        lh,
        lang,
        l(lang, "Statement of account", "對帳單"),
        st.as_of,
        customer,
    );
    let m = |minor: i64| {
        if minor == 0 {
            String::new()
        } else {
            Money::new(minor, st.currency).format()
        }
    };
    let rows: Vec<Vec<String>> = st
        .lines
        .iter()
        .map(|x| {
            vec![
                date_text(lang, x.on),
                x.document.clone(),
                statement_text(lang, x),
                m(x.debit_minor),
                m(x.credit_minor),
                Money::new(x.balance_minor, st.currency).format(),
            ]
        })
        .collect();
    w.table(
        &[
            l(lang, "Date", "日期"),
            l(lang, "Document", "單據"),
            l(lang, "Description", "摘要"),
            l(lang, "Charged", "應收"),
            l(lang, "Paid", "已收"),
            l(lang, "Balance", "餘額"),
        ],
        &[0.17, 0.16, 0.22, 0.15, 0.15, 0.15],
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        &rows,
        8.5,
    );
    w.space(8.0);
    for plan in &st.plans {
        crate::plans::statement_section(&mut w, lang, plan);
    }
    // A balance below zero is the customer's credit: said so, never as a minus to pay.
    let day = date_text(lang, st.as_of);
    let closing = if st.balance_minor < 0 {
        let credit = Money::new(st.balance_minor.saturating_neg(), st.currency).format();
        if zh(lang) {
            format!("截至 {day}，貴公司溢繳 {credit}，將抵付下一張發票。")
        } else {
            format!(
                "Balance as of {day}: {credit} in your favour, to be applied to your next invoice."
            )
        }
    } else {
        let bal = Money::new(st.balance_minor, st.currency).format();
        if zh(lang) {
            format!("截至 {day} 的餘額：{bal}")
        } else {
            format!("Balance as of {day}: {bal}")
        }
    };
    w.paragraph(&closing, 11.0, INK, 6.0);
    // How to pay, only when there is something to pay.
    if st.balance_minor > 0 && !lh.payment_instructions.is_empty() {
        w.paragraph(l(lang, "Payment instructions", "付款方式"), 9.5, MUTED, 0.0);
        w.paragraph(&lh.payment_instructions, 10.0, INK, 0.0);
    }
    let pages = w.finish(&page_label(lang));
    save(&mut doc, pages, unix(st.as_of))
}
