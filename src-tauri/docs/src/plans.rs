//! The payment plan agreement, for both parties to sign, in the customer's language: the
//! invoices it covers, the schedule, the interest, and what happens if an instalment is
//! missed. Also the plan's section of a statement of account.

use printpdf::PdfDocument;
use riskdesk_core::customer::{Customer, Language};
use riskdesk_core::english::count;
use riskdesk_core::plans::{InstalmentState, PlanStatus, PlanView};

use crate::layout::{save, Align, Paper, Writer, INK, MUTED};
use crate::letters::{
    date_text, header, l, page_label, resources, signature_lines, unix, zh, Letterhead,
};

fn rate_text(bp: i64) -> String {
    format!("{}.{:02} %", bp / 100, bp % 100)
}

fn schedule_rows(lang: Language, plan: &PlanView, with_state: bool) -> Vec<Vec<String>> {
    plan.instalments
        .iter()
        .map(|i| {
            let mut row = vec![
                i.seq.to_string(),
                date_text(lang, i.due_on),
                i.principal.format(),
                i.interest.format(),
                i.amount.format(),
            ];
            if with_state {
                row.push(state_text(lang, i.state).to_string());
            }
            row
        })
        .collect()
}

fn state_text(lang: Language, s: InstalmentState) -> &'static str {
    match s {
        InstalmentState::Paid => l(lang, "paid", "已付"),
        InstalmentState::PartlyPaid => l(lang, "partly paid", "部分已付"),
        InstalmentState::Upcoming => l(lang, "to pay", "待付"),
        InstalmentState::Late => l(lang, "late", "逾期（寬限期內）"),
        InstalmentState::Missed => l(lang, "missed", "未付"),
    }
}

fn schedule_table(w: &mut Writer, lang: Language, plan: &PlanView, with_state: bool) {
    let mut heads = vec![
        l(lang, "No.", "期數"),
        l(lang, "Due", "到期日"),
        l(lang, "Principal", "本金"),
        l(lang, "Interest", "利息"),
        l(lang, "Amount", "應付金額"),
    ];
    let mut widths = vec![0.08, 0.24, 0.22, 0.2, 0.26];
    let mut align = vec![
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
    ];
    if with_state {
        heads.push(l(lang, "State", "狀態"));
        widths = vec![0.07, 0.2, 0.19, 0.16, 0.2, 0.18];
        align.push(Align::Left);
    }
    w.table(
        &heads,
        &widths,
        &align,
        &schedule_rows(lang, plan, with_state),
        9.5,
    );
}

/// The agreement for signing.
pub fn plan_agreement(
    paper: Paper,
    lh: &Letterhead,
    customer: &Customer,
    plan: &PlanView,
) -> Vec<u8> {
    let lang = customer.fields.language;
    let title = l(lang, "Payment plan agreement", "分期付款協議");
    let mut doc = PdfDocument::new(title);
    let res = resources(&mut doc, lh);
    let mut w = Writer::new(res.font.clone(), paper);
    w.footer = format!("{} · {} · {}", lh.name, customer.fields.legal_name, plan.id);
    header(
        &mut w,
        res.logo.as_ref(),
        lh,
        lang,
        title,
        plan.made_on,
        customer,
    );
    let last = plan.instalments.last().map_or(plan.made_on, |i| i.due_on);
    let intro = if zh(lang) {
        format!(
            "{}（以下稱「本公司」）與 {}（以下稱「客戶」）約定，客戶下列發票截至 {} 尚欠 {}，依下表分 {} 期於 {} 前付清。",
            lh.name,
            customer.fields.legal_name,
            date_text(lang, plan.made_on),
            plan.owed.format(),
            plan.instalments.len(),
            date_text(lang, last)
        )
    } else {
        format!(
            "{} (\"we\") and {} (\"the customer\") agree that the {} the customer owes on the invoices below as of {} is paid in {}, the last on {}, as the schedule shows.",
            lh.name,
            customer.fields.legal_name,
            plan.owed.format(),
            date_text(lang, plan.made_on),
            count(plan.instalments.len(), "instalment", "instalments"),
            date_text(lang, last)
        )
    };
    w.paragraph(&intro, 10.5, INK, 8.0);
    let rows: Vec<Vec<String>> = plan
        .invoices
        .iter()
        .map(|i| vec![i.number.clone(), i.owed.format()])
        .collect();
    w.table(
        &[l(lang, "Invoice", "發票號碼"), l(lang, "Owed", "尚欠金額")],
        &[0.6, 0.4],
        &[Align::Left, Align::Right],
        &rows,
        9.5,
    );
    w.space(8.0);
    let interest = if plan.rate_bp == 0 {
        l(lang, "The plan bears no interest.", "本分期付款不計利息。").to_string()
    } else if zh(lang) {
        format!(
            "每期本金自 {} 起至該期到期日止，按年利率 {} 計算單利（四捨五入至最小貨幣單位），利息合計 {}，另開立費用單據。應付總額為 {}。",
            date_text(lang, plan.made_on),
            rate_text(plan.rate_bp),
            plan.interest.format(),
            plan.total.format()
        )
    } else {
        format!(
            "Each instalment's principal bears simple interest at {} a year from {} to its due date (rounded to the nearest minor unit): {} in all, billed as a charge of its own. The total to pay is {}.",
            rate_text(plan.rate_bp),
            date_text(lang, plan.made_on),
            plan.interest.format(),
            plan.total.format()
        )
    };
    w.paragraph(&interest, 10.5, INK, 8.0);
    schedule_table(&mut w, lang, plan, false);
    w.space(10.0);
    let terms = if zh(lang) {
        format!(
            "付款將依序抵充各期款項。只要客戶依約付款，本公司暫停上述發票的催收。任何一期於到期日後 {} 天內仍未付清，本協議即告終止：上述發票恢復催收，並自協議終止日起依收款政策計收逾期利息及費用（已收的分期利息不重複計收）。",
            plan.grace_days
        )
    } else {
        format!(
            "Payments are applied to the instalments in order. While the customer keeps to the plan, we pause collection of these invoices. If an instalment is still unpaid {} after its due date, this agreement ends: collection of the invoices resumes, with interest and fees under our collections policy from the day it ends (the plan's interest is not charged again).",
            count(plan.grace_days, "day", "days")
        )
    };
    w.paragraph(&terms, 10.5, INK, 10.0);
    if !lh.payment_instructions.is_empty() {
        w.paragraph(l(lang, "Payment instructions", "付款方式"), 9.5, MUTED, 0.0);
        w.paragraph(&lh.payment_instructions, 10.0, INK, 24.0);
    }
    for party in [lh.name.as_str(), customer.fields.legal_name.as_str()] {
        w.ensure(60.0);
        w.paragraph(party, 10.0, INK, 28.0);
        signature_lines(&mut w, lang);
        w.space(30.0);
    }
    let pages = w.finish(&page_label(lang));
    save(&mut doc, pages, unix(plan.made_on))
}

/// A statement's section for a plan still running or broken.
pub(crate) fn statement_section(w: &mut Writer, lang: Language, plan: &PlanView) {
    let status = match plan.status {
        PlanStatus::Kept => l(lang, "kept", "履行中"),
        PlanStatus::Broken => l(lang, "broken: collection has resumed", "未履行：已恢復催收"),
        PlanStatus::Completed => l(lang, "completed", "已完成"),
        PlanStatus::Cancelled => l(lang, "cancelled", "已取消"),
    };
    let head = if zh(lang) {
        format!(
            "分期付款計畫 {}（{}）：已付 {} / {}",
            plan.id,
            status,
            plan.paid.format(),
            plan.total.format()
        )
    } else {
        format!(
            "Payment plan {} ({status}): {} paid of {}",
            plan.id,
            plan.paid.format(),
            plan.total.format()
        )
    };
    w.ensure(80.0);
    w.paragraph(&head, 10.5, INK, 4.0);
    schedule_table(w, lang, plan, true);
    w.space(8.0);
}
