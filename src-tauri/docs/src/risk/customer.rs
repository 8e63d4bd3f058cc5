//! One customer's risk report: profile, score and factors, history, exposure, checklist,
//! open items and the recommended actions.

use printpdf::PdfDocument;
use riskdesk_core::customer::Language;
use riskdesk_core::risk::{labels, Level, RiskScore};

use super::*;
use crate::layout::{save, Align, Paper, Writer, INK, MUTED};
use crate::letters::{
    date_text, day_text, l, page_label, resources, time_text, unix, zh, Letterhead,
};
use riskdesk_core::risk::report::CustomerReport;

fn factor_rows(lang: Language, s: &RiskScore) -> Vec<Vec<String>> {
    s.factors
        .iter()
        .map(|f| {
            vec![
                labels::name(f.key, zh(lang)).to_string(),
                f.points.to_string(),
                if zh(lang) {
                    f.evidence_zh.clone()
                } else {
                    f.evidence.clone()
                },
                if zh(lang) { f.action_zh } else { f.action }.to_string(),
            ]
        })
        .collect()
}

fn factor_table(w: &mut Writer, lang: Language, s: &RiskScore) {
    if s.factors.is_empty() {
        w.paragraph(
            l(
                lang,
                "No risk factor found in the records.",
                "記錄中沒有發現風險因素。",
            ),
            9.5,
            MUTED,
            0.0,
        );
        return;
    }
    w.table(
        &[
            l(lang, "Factor", "風險因素"),
            l(lang, "Points", "分數"),
            l(lang, "Evidence", "證據"),
            l(lang, "Recommended action", "建議行動"),
        ],
        &[0.22, 0.08, 0.38, 0.32],
        &[Align::Left, Align::Right, Align::Left, Align::Left],
        &factor_rows(lang, s),
        8.0,
    );
}

fn exposure_table(w: &mut Writer, lang: Language, s: &RiskScore) {
    let e = &s.exposure;
    let m = |x: i64| money(x, &e.currency);
    let mut rows = vec![
        vec![
            l(lang, "Open receivables", "未收應收帳款").to_string(),
            m(e.open_receivables_minor),
        ],
        vec![
            l(lang, "Usage not yet invoiced", "尚未開票用量").to_string(),
            m(e.usage_not_invoiced_minor),
        ],
        vec![
            l(lang, "Rest of committed terms", "承諾期間剩餘金額").to_string(),
            m(e.committed_minor),
        ],
        vec![
            l(lang, "Less credit and prepayments", "減：貸項與預付款").to_string(),
            m(-e.credit_minor),
        ],
        vec![l(lang, "Exposure", "曝險").to_string(), m(e.total_minor)],
    ];
    if e.purchases_not_invoiced_minor != 0 {
        let purchases = l(
            lang,
            "Purchases not yet invoiced (reservations, Marketplace)",
            "尚未開票購買項目（保留執行個體、Marketplace）",
        );
        rows.insert(
            2,
            vec![purchases.to_string(), m(e.purchases_not_invoiced_minor)],
        );
    }
    if let Some((en, zh)) = &e.usage_rate {
        rows.push(vec![
            l(lang, "Usage converted at", "用量換算匯率").to_string(),
            if lang == Language::ZhTw {
                zh.clone()
            } else {
                en.clone()
            },
        ]);
    }
    // Usage in no figure above, each amount in its currency: what no rate converts, and
    // what Microsoft credits paid.
    let apart = [
        (
            &e.usage_unconverted,
            "Usage no rate converts (not counted)",
            "無匯率可換算的用量（未計入）",
        ),
        (
            &e.usage_credited,
            "Usage paid by Microsoft credits (not counted)",
            "由 Microsoft 點數支付的用量（未計入）",
        ),
    ];
    for (amounts, en, zh) in apart.into_iter().filter(|(a, _, _)| !a.is_empty()) {
        let listed: Vec<String> = amounts.iter().map(|x| x.format()).collect();
        rows.push(vec![l(lang, en, zh).to_string(), listed.join(", ")]);
    }
    rows.push(vec![
        l(lang, "Credit limit", "信用額度").to_string(),
        if e.credit_limit_minor > 0 {
            m(e.credit_limit_minor)
        } else {
            l(lang, "none set", "未設定").to_string()
        },
    ]);
    w.table(
        &[l(lang, "Exposure", "曝險"), l(lang, "Amount", "金額")],
        &[0.7, 0.3],
        &[Align::Left, Align::Right],
        &rows,
        8.5,
    );
    if e.over_limit {
        w.space(4.0);
        w.paragraph(
            l(
                lang,
                "The exposure is over the credit limit.",
                "曝險已超過信用額度。",
            ),
            9.5,
            level_color(Level::Critical),
            0.0,
        );
    }
}

/// One customer's risk report.
pub fn customer_risk_report(
    paper: Paper,
    lh: &Letterhead,
    lang: Language,
    r: &CustomerReport,
    edges: [u32; 3],
) -> Vec<u8> {
    let c = &r.customer.fields;
    let mut doc = PdfDocument::new(l(lang, "Customer risk report", "客戶風險報告"));
    let res = resources(&mut doc, lh);
    let mut w = Writer::new(res.font.clone(), paper);
    w.footer = format!("{} · {}", lh.name, c.legal_name);
    title(
        &mut w,
        lh,
        lang,
        l(lang, "Customer risk report", "客戶風險報告"),
        &c.legal_name,
        r.as_of,
    );

    // The score and level first.
    let s = &r.score;
    w.ensure(50.0);
    w.y -= 30.0;
    w.text_at(
        w.left(),
        w.y,
        26.0,
        level_color(s.level),
        &s.score.to_string(),
    );
    let lvl = format!(
        "{}{}",
        l(lang, "Risk level: ", "風險等級："),
        level_name(lang, s.level)
    );
    w.text_at(w.left() + 56.0, w.y + 8.0, 11.0, INK, &lvl);
    let scale = format!("{} 0–100", l(lang, "score", "分數"));
    w.text_at(w.left() + 56.0, w.y - 6.0, 8.0, MUTED, &scale);
    w.y -= 8.0;

    heading(&mut w, l(lang, "Profile", "客戶資料"));
    let na = |x: &str| {
        if x.is_empty() {
            "—".to_string()
        } else {
            x.to_string()
        }
    };
    let profile = vec![
        vec![
            l(lang, "Legal name", "公司名稱").to_string(),
            c.legal_name.clone(),
        ],
        vec![
            l(lang, "Country or region", "國家或地區").to_string(),
            riskdesk_core::countries::named(&c.country, lang),
        ],
        vec![
            l(lang, "Contact", "聯絡人").to_string(),
            na(&[
                c.contact_name.as_str(),
                c.phone.as_str(),
                &riskdesk_core::customer::shown_email(&c.email),
            ]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ")),
        ],
        vec![l(lang, "Tax id", "統一編號").to_string(), na(&c.tax_id)],
        vec![
            l(lang, "Status", "狀態").to_string(),
            word(lang, c.status.as_str()),
        ],
        vec![
            l(lang, "Payment instrument", "付款方式").to_string(),
            format!(
                "{}{}",
                word(lang, c.payment_instrument.as_str()),
                if c.card_present {
                    l(lang, " (card present)", "（持卡交易）")
                } else {
                    ""
                }
            ),
        ],
        vec![
            l(lang, "Admin access", "管理員權限").to_string(),
            word(lang, c.admin_access.as_str()),
        ],
        vec![
            l(lang, "Payment terms", "付款條件").to_string(),
            format!("{} {}", c.payment_terms_days, l(lang, "days", "天")),
        ],
        vec![
            l(lang, "Customer since", "建立日期").to_string(),
            day_text(lang, &r.customer.created_at),
        ],
    ];
    w.table(
        &[l(lang, "Field", "欄位"), l(lang, "Record", "紀錄")],
        &[0.3, 0.7],
        &[Align::Left, Align::Left],
        &profile,
        8.5,
    );

    heading(&mut w, l(lang, "Score breakdown", "分數組成"));
    let bars: Vec<(String, i64, (u8, u8, u8))> = s
        .factors
        .iter()
        .map(|f| {
            (
                labels::name(f.key, zh(lang)).to_string(),
                f.points as i64,
                level_color(s.level),
            )
        })
        .collect();
    if !bars.is_empty() {
        bar_chart(&mut w, &bars, &|v| v.to_string());
    }
    factor_table(&mut w, lang, s);

    heading(&mut w, l(lang, "Score history", "分數歷史"));
    history_chart(&mut w, lang, &r.history, edges);

    heading(
        &mut w,
        l(lang, "Exposure against the credit limit", "曝險與信用額度"),
    );
    exposure_table(&mut w, lang, s);

    heading(&mut w, l(lang, "Onboarding checklist", "開戶檢查清單"));
    let rows: Vec<Vec<String>> = r
        .checklist
        .iter()
        .map(|(item, done)| match done {
            Some(d) => vec![
                word(lang, item.as_str()),
                date_text(lang, d.done_on),
                d.done_by.clone(),
                d.reference.clone(),
            ],
            None => vec![
                word(lang, item.as_str()),
                l(lang, "MISSING", "未完成").to_string(),
                String::new(),
                String::new(),
            ],
        })
        .collect();
    w.table(
        &[
            l(lang, "Check", "檢查項目"),
            l(lang, "Done on", "完成日期"),
            l(lang, "By", "執行人"),
            l(lang, "Reference", "參考編號"),
        ],
        &[0.34, 0.22, 0.2, 0.24],
        &[Align::Left; 4],
        &rows,
        8.5,
    );

    let rows: Vec<Vec<String>> = r
        .admin_relationships
        .iter()
        .map(|g| {
            let state = match g.ended_on {
                Some(e) => format!("{} {}", l(lang, "ended", "已終止"), date_text(lang, e)),
                None if g.expires_on <= r.as_of => l(lang, "expired", "已到期").to_string(),
                None => l(lang, "in force", "有效").to_string(),
            };
            let mut roles = g.roles.clone();
            if g.global_admin {
                roles = format!(
                    "{} {roles}",
                    l(lang, "Global Administrator;", "全域管理員；")
                );
            }
            vec![
                g.name.clone(),
                roles,
                format!(
                    "{} – {}",
                    date_text(lang, g.starts_on),
                    date_text(lang, g.expires_on)
                ),
                state,
            ]
        })
        .collect();
    section(
        &mut w,
        lang,
        ["Admin relationships (GDAP)", "管理關係（GDAP）"],
        ["None recorded.", "沒有紀錄。"],
        &[
            text("Relationship", "關係名稱", 0.22),
            text("Roles", "角色", 0.34),
            text("Dates", "期間", 0.3),
            text("State", "狀態", 0.14),
        ],
        &rows,
        8.0,
    );

    let mut items: Vec<Vec<String>> = Vec::new();
    for i in &r.overdue {
        items.push(vec![
            l(lang, "Overdue invoice", "逾期發票").to_string(),
            format!(
                "{} · {} {} · {} {}",
                i.number,
                l(lang, "due", "到期"),
                date_text(lang, i.due_on),
                i.days_overdue,
                l(lang, "days overdue", "天逾期")
            ),
            i.due.format(),
        ]);
    }
    for w_ in &s.windows {
        items.push(vec![
            l(lang, "Cancellation window", "可取消期間").to_string(),
            format!(
                "{} × {} · {} {}",
                w_.offer,
                w_.quantity,
                l(lang, "closes", "截止"),
                w_.closes_text(lang)
            ),
            money(w_.term_value_minor, &s.exposure.currency),
        ]);
    }
    if let Some((p, state)) = &r.promise {
        let st = match (state.as_str(), zh(lang)) {
            ("kept", false) => "kept",
            ("kept", true) => "已履行",
            ("broken", false) => "broken",
            ("broken", true) => "未履行",
            (_, false) => "pending",
            (_, true) => "待履行",
        };
        items.push(vec![
            l(lang, "Promise to pay", "付款承諾").to_string(),
            format!(
                "{} {} · {}",
                l(lang, "pay by", "付款期限"),
                date_text(lang, p.pay_by),
                st
            ),
            money(p.amount_minor, c.currency.code()),
        ]);
    }
    for p in &r.prepayments {
        items.push(vec![
            l(lang, "Prepayment requested", "預付款請求").to_string(),
            format!("{} {}", l(lang, "due", "到期"), date_text(lang, p.due_on)),
            p.amount.format(),
        ]);
    }
    for a in &r.alerts {
        items.push(vec![
            l(lang, "Alert", "警示").to_string(),
            if zh(lang) {
                a.title_zh.clone()
            } else {
                a.title_en.clone()
            },
            day_text(lang, &a.day),
        ]);
    }
    for n in &r.notices {
        items.push(vec![
            l(lang, "Microsoft notice", "Microsoft 通知").to_string(),
            n.title.clone(),
            time_text(lang, &n.respond_by),
        ]);
    }
    for i in &r.incidents {
        items.push(vec![
            l(lang, "Abuse incident", "濫用事件").to_string(),
            format!("{}: {}", i.category.as_str().replace('_', " "), i.summary),
            day_text(lang, &i.opened_at),
        ]);
    }
    section(
        &mut w,
        lang,
        ["Open items", "待處理項目"],
        ["No open items.", "沒有待處理項目。"],
        &[
            text("Item", "項目", 0.22),
            text("Details", "內容", 0.56),
            figure("Amount or date", "金額或日期", 0.22),
        ],
        &items,
        8.5,
    );

    heading(&mut w, l(lang, "Recommended actions", "建議行動"));
    let mut seen = Vec::new();
    for f in &s.factors {
        let a = if zh(lang) { f.action_zh } else { f.action };
        if !seen.contains(&a) {
            seen.push(a);
            w.paragraph(&format!("• {a}"), 9.5, INK, 1.0);
        }
    }
    if seen.is_empty() {
        w.paragraph(
            l(
                lang,
                "None: keep the usual monitoring.",
                "無：維持例行監控。",
            ),
            9.5,
            MUTED,
            0.0,
        );
    }
    let pages = w.finish(&page_label(lang));
    save(&mut doc, pages, unix(r.as_of))
}
