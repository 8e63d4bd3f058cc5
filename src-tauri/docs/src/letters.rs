use chrono::NaiveDate;
use printpdf::{PdfDocument, PdfPage};
use riskdesk_core::collections::{fill_letter, rate_text, Action, PlanCustomer, Policy};
use riskdesk_core::customer::{Customer, Language};
use riskdesk_core::english::count;
use riskdesk_core::money::Money;

use crate::layout::{add_logo, font_ids, save, Align, Logo, Paper, Writer, BRAND, INK, MUTED};

/// The reseller's own details, printed at the top of every document.
#[derive(Clone, Default)]
pub struct Letterhead {
    pub name: String,
    pub address: String,
    pub tax_id: String,
    pub phone: String,
    pub email: String,
    pub payment_instructions: String,
    /// The reseller's logo, decoded once (PNG or JPEG).
    pub logo: Option<printpdf::RawImage>,
}

impl Letterhead {
    /// Decodes a PNG or JPEG logo; an error says why it cannot be used.
    pub fn decode_logo(bytes: &[u8]) -> Result<printpdf::RawImage, String> {
        let image = printpdf::RawImage::decode_from_bytes(bytes, &mut Vec::new())?;
        if image.width == 0 || image.height == 0 || image.width > 4000 || image.height > 4000 {
            return Err("the logo must be between 1 and 4000 pixels wide and high".into());
        }
        Ok(image)
    }
}

/// Everything a document needs once: the font and the logo.
pub(crate) struct Resources {
    pub(crate) font: crate::layout::Fonts,
    pub(crate) logo: Option<Logo>,
}

pub(crate) fn resources(doc: &mut PdfDocument, lh: &Letterhead) -> Resources {
    Resources {
        font: font_ids(),
        logo: lh.logo.as_ref().map(|img| add_logo(doc, img)),
    }
}

pub(crate) fn zh(lang: Language) -> bool {
    lang == Language::ZhTw
}

pub(crate) fn l(lang: Language, en: &'static str, zh_text: &'static str) -> &'static str {
    if zh(lang) {
        zh_text
    } else {
        en
    }
}

pub use riskdesk_core::dates::{date_text, day_text, time_text};

pub(crate) fn page_label(lang: Language) -> impl Fn(usize, usize) -> String {
    move |i, n| {
        if zh(lang) {
            format!("第 {i} 頁，共 {n} 頁")
        } else {
            format!("Page {i} of {n}")
        }
    }
}

pub(crate) fn unix(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
}

pub(crate) fn header(
    w: &mut Writer,
    logo: Option<&Logo>,
    lh: &Letterhead,
    lang: Language,
    title: &str,
    on: NaiveDate,
    customer: &Customer,
) {
    let top = w.y;
    let date = date_text(lang, on);
    // The letterhead keeps clear of the logo and the date on its right.
    let mut beside = crate::layout::font().width(&date, 9.0);
    if let Some(logo) = logo {
        let h = 40.0;
        let wpt = (h * logo.width_px as f32 / logo.height_px as f32).min(180.0);
        let right = w.right();
        w.image(logo, right - wpt, top - h + 8.0, h);
        beside = beside.max(wpt);
    }
    let room = w.width() - beside - 12.0;
    let mut y = w.lines_at(top - 4.0, 15.0, BRAND, &lh.name, room, 18.0) + 2.0;
    for line in lh.address.lines().chain(
        [
            if lh.tax_id.is_empty() {
                String::new()
            } else {
                format!("{} {}", l(lang, "Tax id", "統一編號"), lh.tax_id)
            },
            [lh.phone.as_str(), lh.email.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · "),
        ]
        .iter()
        .map(String::as_str),
    ) {
        if !line.is_empty() {
            y = w.lines_at(y, 8.5, MUTED, line, room, 11.0);
        }
    }
    let right = w.right();
    // The date goes under the logo when there is one.
    let date_y = if logo.is_some() {
        top - 48.0
    } else {
        top - 4.0
    };
    w.text_right(right, date_y, 9.0, INK, &date);
    w.y = y - 18.0;
    // The addressee, each field wrapped to the page.
    let c = &customer.fields;
    let full = w.width();
    w.y = w.lines_at(w.y, 10.5, INK, &c.legal_name, full, 14.0);
    for line in c.address.lines() {
        w.y = w.lines_at(w.y, 9.5, INK, line, full, 13.0);
    }
    if !c.contact_name.is_empty() {
        let attn = format!("{} {}", l(lang, "Attn.", "收件人："), c.contact_name);
        w.y = w.lines_at(w.y, 9.5, INK, &attn, full, 13.0);
    }
    w.y -= 16.0;
    w.text_at(w.left(), w.y, 14.0, BRAND, title);
    w.y -= 8.0;
    w.rule(w.left(), w.y, w.right(), 0.8, BRAND);
    w.y -= 6.0;
}

fn dunning_pages(
    res: &Resources,
    paper: Paper,
    lh: &Letterhead,
    customer: &Customer,
    plan: &PlanCustomer,
    as_of: NaiveDate,
) -> Vec<PdfPage> {
    let lang = plan.language;
    let mut w = Writer::new(res.font.clone(), paper);
    w.footer = format!("{} · {}", lh.name, plan.level.name(lang));
    header(
        &mut w,
        res.logo.as_ref(),
        lh,
        lang,
        plan.level.name(lang),
        as_of,
        customer,
    );
    let total = plan.total();
    let body = fill_letter(
        plan.letter_text(),
        &customer.fields.legal_name,
        &total.format(),
        &date_text(lang, plan.deadline),
        &lh.name,
    );
    w.paragraph(&body, 10.5, INK, 10.0);

    let show_charges = plan.charges.minor > 0;
    // Each invoice's stage, where they differ from the level this letter announces (an old
    // invoice at its final notice beside a new one's reminder).
    let stage = |i: &riskdesk_core::collections::PlanInvoice| -> String {
        match lang {
            Language::ZhTw => i.stage_zh.clone(),
            Language::En => i.stage_en.clone(),
        }
    };
    let letter_level = plan.level.name(lang).to_string();
    let show_stage = plan
        .invoices
        .iter()
        .any(|i| !stage(i).is_empty() && stage(i) != letter_level);
    let rows: Vec<Vec<String>> = plan
        .invoices
        .iter()
        .map(|i| {
            let mut row = vec![
                i.number.clone(),
                date_text(lang, i.due_on),
                i.days_overdue.to_string(),
            ];
            if show_stage {
                row.push(stage(i));
            }
            row.push(i.due.format());
            if show_charges {
                let charge = i.late_fee_minor + i.interest_minor;
                row.push(if charge > 0 {
                    Money::new(charge, plan.currency).format()
                } else {
                    String::new()
                });
            }
            row
        })
        .collect();
    let mut headers = vec![
        l(lang, "Invoice", "發票號碼"),
        l(lang, "Due date", "到期日"),
        l(lang, "Days overdue", "逾期天數"),
    ];
    let mut widths = vec![0.3, 0.28, 0.17];
    let mut aligns = vec![Align::Left, Align::Left, Align::Right];
    if show_stage {
        headers.push(l(lang, "Stage", "催收階段"));
        widths.push(0.22);
        aligns.push(Align::Left);
    }
    headers.push(l(lang, "Amount due", "應付金額"));
    widths.push(0.25);
    aligns.push(Align::Right);
    if show_charges {
        headers.push(l(lang, "Fee and interest", "手續費及利息"));
        widths.push(0.2);
        aligns.push(Align::Right);
    }
    // The columns share the width in the proportions above.
    let sum: f32 = widths.iter().sum();
    let widths: Vec<f32> = widths.iter().map(|w| w / sum).collect();
    w.table(&headers, &widths, &aligns, &rows, 9.5);
    w.space(6.0);
    let right = w.right();
    let sum_line = |w: &mut Writer, label: &str, value: String, size: f32| {
        w.ensure(size * 1.8);
        w.y -= size * 1.7;
        w.text_right(right - 130.0, w.y, size, MUTED, label);
        w.text_right(right - 4.0, w.y, size, INK, &value);
    };
    sum_line(
        &mut w,
        l(lang, "Overdue", "逾期金額"),
        plan.overdue.format(),
        9.5,
    );
    if show_charges {
        let fees: i64 = plan.invoices.iter().map(|i| i.late_fee_minor).sum();
        let interest: i64 = plan.invoices.iter().map(|i| i.interest_minor).sum();
        if fees > 0 {
            sum_line(
                &mut w,
                l(lang, "Late fees", "逾期手續費"),
                Money::new(fees, plan.currency).format(),
                9.0,
            );
        }
        if interest > 0 {
            sum_line(
                &mut w,
                l(lang, "Interest", "利息"),
                Money::new(interest, plan.currency).format(),
                9.0,
            );
        }
    }
    sum_line(
        &mut w,
        l(lang, "Total due", "應付總額"),
        total.format(),
        11.0,
    );
    w.space(16.0);
    // Each interest charge with the period it covers, so the customer can check it.
    let periods: Vec<String> = plan
        .invoices
        .iter()
        .filter_map(|i| {
            i.interest
                .as_ref()
                .filter(|a| a.interest_minor > 0)
                .map(|a| (i, a))
        })
        .map(|(i, a)| {
            let on = Money::new(a.on_minor, plan.currency).format();
            let amount = Money::new(a.interest_minor, plan.currency).format();
            // The first day charged is the day after the previous charge (or the due date).
            let from = date_text(lang, a.from.succ_opt().unwrap_or(a.from));
            let to = date_text(lang, a.to);
            if zh(lang) {
                format!(
                    "發票 {} 之利息：{on} × 年利率 {} × {} 天 ÷ 365（{from} 至 {to}）＝ {amount}",
                    i.number,
                    rate_text(a.rate_bp),
                    a.days
                )
            } else {
                format!(
                    "Interest on {}: {on} × {} a year × {} ÷ 365 ({from} to {to}) = {amount}",
                    i.number,
                    rate_text(a.rate_bp),
                    count(a.days, "day", "days")
                )
            }
        })
        .collect();
    if !periods.is_empty() {
        for p in &periods {
            w.paragraph(p, 9.0, MUTED, 2.0);
        }
        w.space(8.0);
    }

    let pay_by = if zh(lang) {
        format!("請於 {} 前付款。", date_text(lang, plan.deadline))
    } else {
        format!("Please pay by {}.", date_text(lang, plan.deadline))
    };
    w.paragraph(&pay_by, 10.5, INK, 4.0);
    if !lh.payment_instructions.is_empty() {
        w.paragraph(l(lang, "Payment instructions", "付款方式"), 9.5, MUTED, 0.0);
        w.paragraph(&lh.payment_instructions, 10.0, INK, 6.0);
    }
    if plan.actions.contains(&Action::Suspend) && !plan.suspend.is_empty() {
        let subs: Vec<String> = plan.suspend.iter().map(|s| s.offer.clone()).collect();
        let text = if zh(lang) {
            format!("已暫停的訂閱：{}。", subs.join("、"))
        } else {
            format!("Suspended subscriptions: {}.", subs.join(", "))
        };
        w.paragraph(&text, 10.0, INK, 6.0);
    }
    if let Some(next) = &plan.next_level {
        let consequence = if zh(lang) {
            let extra = if next.actions.contains(&Action::Suspend) {
                "屆時您的 Microsoft 雲端訂閱將被暫停。"
            } else if next.actions.contains(&Action::Agency) {
                "屆時本債權將移交催收機構。"
            } else {
                ""
            };
            format!(
                "若逾期達 {} 天仍未付款，我們將依收款政策進行下一步：{}。{extra}",
                next.days_after_due, next.name_zh
            )
        } else {
            let extra = if next.actions.contains(&Action::Suspend) {
                " Your Microsoft cloud subscriptions will then be suspended."
            } else if next.actions.contains(&Action::Agency) {
                " The debt will then be handed over to a collection agency."
            } else {
                ""
            };
            format!("If payment has not reached us {} after the due date, our collections policy's next step is: {}.{extra}", count(next.days_after_due, "day", "days"), next.name_en)
        };
        w.paragraph(&consequence, 10.0, INK, 6.0);
    }
    w.paragraph(
        l(
            lang,
            "If you have questions about these invoices, please contact us.",
            "若您對這些發票有任何疑問，請與我們聯絡。",
        ),
        10.0,
        MUTED,
        14.0,
    );
    w.paragraph(&lh.name, 10.5, INK, 0.0);
    w.finish(&page_label(lang))
}

/// One dunning letter, in the customer's language.
pub fn dunning_letter(
    paper: Paper,
    lh: &Letterhead,
    customer: &Customer,
    plan: &PlanCustomer,
    as_of: NaiveDate,
) -> Vec<u8> {
    let mut doc = PdfDocument::new(&format!(
        "{} – {}",
        plan.level.name(plan.language),
        customer.fields.legal_name
    ));
    let res = resources(&mut doc, lh);
    let pages = dunning_pages(&res, paper, lh, customer, plan, as_of);
    save(&mut doc, pages, unix(as_of))
}

/// Every letter of a run in one file, for printing them all (fonts subset once).
pub fn dunning_letters_combined(
    paper: Paper,
    lh: &Letterhead,
    letters: &[(Customer, PlanCustomer)],
    as_of: NaiveDate,
) -> Vec<u8> {
    let mut doc = PdfDocument::new("Dunning letters");
    let res = resources(&mut doc, lh);
    let mut pages = Vec::new();
    for (c, p) in letters {
        pages.extend(dunning_pages(&res, paper, lh, c, p, as_of));
    }
    save(&mut doc, pages, unix(as_of))
}

/// The customer-facing collections policy, in plain words, for signing at onboarding.
pub fn policy_document(
    paper: Paper,
    lh: &Letterhead,
    customer: &Customer,
    policy: &Policy,
    on: NaiveDate,
) -> Vec<u8> {
    let lang = customer.fields.language;
    let mut doc = PdfDocument::new(l(lang, "Collections policy", "收款政策"));
    let res = resources(&mut doc, lh);
    let mut w = Writer::new(res.font.clone(), paper);
    w.footer = format!("{} · {}", lh.name, policy.name);
    header(
        &mut w,
        res.logo.as_ref(),
        lh,
        lang,
        l(lang, "Collections policy", "收款政策"),
        on,
        customer,
    );
    let terms = customer.fields.payment_terms_days;
    let intro = if zh(lang) {
        format!("本政策說明 {} 向貴公司提供 Microsoft 雲端服務時的付款與催收方式。發票應於開立後 {terms} 天內付款。到期後有 {} 天的寬限期。", lh.name, policy.grace_days)
    } else {
        format!("This policy explains how {} collects payment for the Microsoft cloud services it provides to you. Invoices are due {} after they are issued. After the due date there is a grace period of {}.", lh.name, count(terms, "day", "days"), count(policy.grace_days, "day", "days"))
    };
    w.paragraph(&intro, 10.5, INK, 10.0);
    let rows: Vec<Vec<String>> = policy
        .levels
        .iter()
        .map(|lv| {
            let mut what: Vec<String> = lv
                .actions
                .iter()
                .map(|a| action_text(lang, *a).to_string())
                .collect();
            if let Some(fee) = lv.late_fee(customer.fields.currency) {
                let fee = fee.format();
                what.push(if zh(lang) {
                    format!("逾期手續費 {fee}")
                } else {
                    format!("a late fee of {fee}")
                });
            }
            if lv.interest_bp > 0 {
                let rate = lv.rate_text();
                what.push(if zh(lang) {
                    format!("逾期金額按年利率 {rate} 計息")
                } else {
                    format!("interest at {rate} a year on the overdue amount")
                });
            }
            let sep = if zh(lang) { "；" } else { "; " };
            vec![
                if zh(lang) {
                    format!("到期後 {} 天", lv.days_after_due)
                } else {
                    format!(
                        "{} after the due date",
                        count(lv.days_after_due, "day", "days")
                    )
                },
                lv.name(lang).to_string(),
                what.join(sep),
            ]
        })
        .collect();
    w.table(
        &[
            l(lang, "When", "時間"),
            l(lang, "Step", "步驟"),
            l(lang, "What happens", "處理方式"),
        ],
        &[0.26, 0.26, 0.48],
        &[Align::Left, Align::Left, Align::Left],
        &rows,
        9.5,
    );
    w.space(10.0);
    if let Some(s) = policy
        .levels
        .iter()
        .find(|lv| lv.actions.contains(&Action::Suspend))
    {
        let text = if zh(lang) {
            format!("到期後 {} 天仍未付款者，我們將暫停貴公司的 Microsoft 雲端訂閱。結清所有逾期款項（含費用與利息）後，我們將於收到款項當日恢復訂閱。", s.days_after_due)
        } else {
            format!("If an invoice is still unpaid {} after its due date, we suspend your Microsoft cloud subscriptions. Once everything overdue, fees and interest included, has been paid, we reactivate them on the day payment is received.", count(s.days_after_due, "day", "days"))
        };
        w.paragraph(&text, 10.5, INK, 8.0);
    }
    w.paragraph(l(lang, "If you dispute an invoice, tell us in writing: we pause collection on it while we look into it. If you need more time, ask us: a promise to pay by an agreed date also pauses collection.", "若您對發票有異議，請以書面通知我們：調查期間我們將暫停該發票的催收。若您需要更多時間，請與我們聯絡：約定付款日期的付款承諾亦會暫停催收。"), 10.5, INK, 24.0);
    w.paragraph(
        l(
            lang,
            "Read and accepted for the customer:",
            "客戶已閱讀並同意：",
        ),
        10.5,
        INK,
        28.0,
    );
    signature_lines(&mut w, lang);
    let pages = w.finish(&page_label(lang));
    save(&mut doc, pages, unix(on))
}

/// The lines a party signs on: name and signature, and the date.
pub(crate) fn signature_lines(w: &mut Writer, lang: Language) {
    let y = w.y;
    w.rule(w.left(), y, w.left() + 220.0, 0.6, INK);
    w.rule(w.left() + 260.0, y, w.right(), 0.6, INK);
    w.text_at(
        w.left(),
        y - 12.0,
        8.5,
        MUTED,
        l(lang, "Name and signature", "姓名及簽名"),
    );
    w.text_at(
        w.left() + 260.0,
        y - 12.0,
        8.5,
        MUTED,
        l(lang, "Date", "日期"),
    );
}

pub fn action_text(lang: Language, a: Action) -> &'static str {
    match a {
        Action::ReminderLetter => l(lang, "a reminder letter", "寄發付款提醒函"),
        Action::FormalNotice => l(lang, "a formal notice", "寄發正式催告函"),
        Action::PhoneCall => l(lang, "a phone call", "電話聯繫"),
        Action::Suspend => l(lang, "suspension of your subscriptions", "暫停您的訂閱"),
        Action::FinalNotice => l(lang, "a final notice", "寄發最後通知"),
        Action::Agency => l(lang, "hand-over to a collection agency", "移交催收機構"),
    }
}
