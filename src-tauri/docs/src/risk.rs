//! The risk reports: one customer's (profile, checklist, score with its factors and
//! history, exposure, open items, actions) and the portfolio's (levels and moves, top
//! risks, exposure and concentration, aging and DSO, cancellation windows, the month's
//! alerts, notices past their deadline, admin access broader than the checks allow).
//! Charts are vector paths; every figure comes from the report data gathered by
//! `riskdesk_core::risk::report`.

use chrono::NaiveDate;
use printpdf::PdfDocument;
use riskdesk_core::customer::Language;
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::risk::report::{CustomerReport, PortfolioReport};
use riskdesk_core::risk::{labels, Level, RiskScore};

use crate::layout::{save, Align, Paper, Writer, BRAND, INK, MUTED};
use crate::letters::{date_text, l, page_label, resources, unix, zh, Letterhead};

const LEVELS: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];

fn level_color(l: Level) -> (u8, u8, u8) {
    match l {
        Level::Low => (46, 125, 50),
        Level::Medium => (196, 140, 0),
        Level::High => (216, 90, 30),
        Level::Critical => (183, 28, 28),
    }
}

fn level_name(lang: Language, l: Level) -> &'static str {
    match l {
        Level::Low => self::l(lang, "Low", "低"),
        Level::Medium => self::l(lang, "Medium", "中"),
        Level::High => self::l(lang, "High", "高"),
        Level::Critical => self::l(lang, "Critical", "嚴重"),
    }
}

fn money(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Some(c) => Money::new(minor, c).format(),
        None => minor.to_string(),
    }
}

/// A record's code word (status, instrument, access, check, alert status) in the report's
/// language.
fn word(lang: Language, code: &str) -> String {
    const ZH: &[(&str, &str)] = &[
        ("prospect", "潛在客戶"),
        ("active", "使用中"),
        ("on_hold", "暫緩"),
        ("suspended", "已停權"),
        ("closed", "已結束"),
        ("bank_transfer", "銀行轉帳／發票"),
        ("direct_debit", "自動扣款"),
        ("credit_card", "信用卡"),
        ("debit_card", "金融卡"),
        ("prepaid_card", "預付卡"),
        ("stored_value_card", "儲值卡"),
        ("none", "無"),
        ("limited", "有限（最小權限）"),
        ("full", "完整管理員"),
        ("phone_contact", "電話聯繫"),
        ("credit_check", "徵信查核"),
        ("mfa", "多重要素驗證"),
        ("identity_verified", "身分驗證"),
        ("card_fraud_check", "信用卡詐欺檢查"),
        ("policy_acknowledged", "收款政策已確認"),
        ("open", "未處理"),
        ("acknowledged", "已確認"),
        ("resolved", "已解決"),
    ];
    if zh(lang) {
        if let Some((_, z)) = ZH.iter().find(|(c, _)| *c == code) {
            return z.to_string();
        }
    }
    code.replace('_', " ")
}

/// `text` cut to fit `width` points at `size`, with an ellipsis when cut.
fn fit(text: &str, size: f32, width: f32) -> String {
    let font = crate::layout::font();
    if font.width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if font.width(&format!("{out}…"), size) > width {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

/// The report's title block: the reseller, the title, the subject and the date.
fn title(
    w: &mut Writer,
    lh: &Letterhead,
    lang: Language,
    title: &str,
    subject: &str,
    on: NaiveDate,
) {
    let top = w.y;
    w.text_at(w.left(), top - 4.0, 10.0, MUTED, &lh.name);
    let right = w.right();
    w.text_right(right, top - 4.0, 9.0, INK, &date_text(lang, on));
    w.text_at(w.left(), top - 28.0, 18.0, BRAND, title);
    w.y = top - 34.0;
    if !subject.is_empty() {
        w.y -= 16.0;
        w.text_at(w.left(), w.y, 12.0, INK, subject);
    }
    w.y -= 10.0;
    let (l, r) = (w.left(), w.right());
    w.rule(l, w.y, r, 0.8, BRAND);
    w.y -= 6.0;
}

fn heading(w: &mut Writer, text: &str) {
    w.ensure(60.0);
    w.y -= 20.0;
    w.text_at(w.left(), w.y, 12.0, BRAND, text);
    w.y -= 4.0;
}

/// Horizontal bars: (label, value, colour), scaled to the largest value.
fn bar_chart(
    w: &mut Writer,
    bars: &[(String, i64, (u8, u8, u8))],
    value_text: &dyn Fn(i64) -> String,
) {
    let row = 16.0;
    w.ensure(row * bars.len() as f32 + 10.0);
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f32;
    let label_w = 150.0;
    let track = w.width() - label_w - 70.0;
    for (label, v, color) in bars {
        w.y -= row;
        w.text_at(w.left(), w.y, 9.0, INK, &fit(label, 9.0, label_w - 8.0));
        let x = w.left() + label_w;
        w.fill_rect(x, w.y - 2.0, track, 10.0, (236, 241, 244));
        let len = track * (*v as f32 / max);
        if *v > 0 {
            w.fill_rect(x, w.y - 2.0, len.max(1.5), 10.0, *color);
        }
        let right = w.right();
        w.text_right(right, w.y, 9.0, INK, &value_text(*v));
    }
    w.y -= 6.0;
}

/// The score's history as a line over time, with the level edges as dashed-free rules.
fn history_chart(
    w: &mut Writer,
    lang: Language,
    history: &[(String, u32, String)],
    edges: [u32; 3],
) {
    let h = 110.0;
    w.ensure(h + 30.0);
    let x0 = w.left() + 24.0;
    let x1 = w.right();
    let y0 = w.y - h - 8.0;
    let y1 = w.y - 8.0;
    let y_of = |score: u32| y0 + (y1 - y0) * score.min(100) as f32 / 100.0;
    w.fill_rect(x0, y0, x1 - x0, y1 - y0, (248, 250, 251));
    for (edge, l) in edges
        .iter()
        .zip([Level::Medium, Level::High, Level::Critical])
    {
        let y = y_of(*edge);
        w.rule(x0, y, x1, 0.4, level_color(l));
        w.text_at(w.left(), y - 3.0, 7.0, MUTED, &edge.to_string());
    }
    w.text_at(w.left(), y0 - 3.0, 7.0, MUTED, "0");
    w.text_at(w.left(), y1 - 3.0, 7.0, MUTED, "100");
    let points: Vec<(f32, f32)> = match history.len() {
        0 => Vec::new(),
        1 => vec![(x0, y_of(history[0].1)), (x1, y_of(history[0].1))],
        n => history
            .iter()
            .enumerate()
            .map(|(i, (_, s, _))| (x0 + (x1 - x0) * i as f32 / (n - 1) as f32, y_of(*s)))
            .collect(),
    };
    w.polyline(&points, 1.6, BRAND);
    for (x, y) in &points {
        w.fill_rect(x - 1.8, y - 1.8, 3.6, 3.6, BRAND);
    }
    w.y = y0 - 12.0;
    if let (Some(first), Some(last)) = (history.first(), history.last()) {
        w.text_at(x0, w.y, 7.5, MUTED, &first.0);
        let right = w.right();
        w.text_right(right, w.y, 7.5, MUTED, &last.0);
    } else {
        w.text_at(
            x0,
            w.y,
            8.0,
            MUTED,
            l(lang, "No history yet.", "尚無歷史紀錄。"),
        );
    }
    w.y -= 6.0;
}

fn factor_rows(lang: Language, s: &RiskScore) -> Vec<Vec<String>> {
    s.factors
        .iter()
        .map(|f| {
            vec![
                labels::name(f.key, zh(lang)).to_string(),
                f.points.to_string(),
                f.evidence.clone(),
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
    let rows = vec![
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
        vec![
            l(lang, "Credit limit", "信用額度").to_string(),
            if e.credit_limit_minor > 0 {
                m(e.credit_limit_minor)
            } else {
                l(lang, "none set", "未設定").to_string()
            },
        ],
    ];
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
            c.country.clone(),
        ],
        vec![
            l(lang, "Contact", "聯絡人").to_string(),
            na(
                &[c.contact_name.as_str(), c.phone.as_str(), c.email.as_str()]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
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
            r.customer.created_at.get(..10).unwrap_or("").to_string(),
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

    heading(&mut w, l(lang, "Open items", "待處理項目"));
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
                w_.closes_at.format("%Y-%m-%d %H:%M UTC")
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
    for a in &r.alerts {
        items.push(vec![
            l(lang, "Alert", "警示").to_string(),
            if zh(lang) {
                a.title_zh.clone()
            } else {
                a.title_en.clone()
            },
            a.day.clone(),
        ]);
    }
    for n in &r.notices {
        items.push(vec![
            l(lang, "Microsoft notice", "Microsoft 通知").to_string(),
            n.title.clone(),
            n.respond_by.clone(),
        ]);
    }
    for i in &r.incidents {
        items.push(vec![
            l(lang, "Abuse incident", "濫用事件").to_string(),
            format!("{}: {}", i.category.as_str().replace('_', " "), i.summary),
            i.opened_at.get(..10).unwrap_or("").to_string(),
        ]);
    }
    if items.is_empty() {
        w.paragraph(
            l(lang, "No open items.", "沒有待處理項目。"),
            9.5,
            MUTED,
            0.0,
        );
    } else {
        w.table(
            &[
                l(lang, "Item", "項目"),
                l(lang, "Details", "內容"),
                l(lang, "Amount or date", "金額或日期"),
            ],
            &[0.22, 0.56, 0.22],
            &[Align::Left, Align::Left, Align::Right],
            &items,
            8.5,
        );
    }

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

/// The portfolio's risk report.
pub fn portfolio_risk_report(
    paper: Paper,
    lh: &Letterhead,
    lang: Language,
    r: &PortfolioReport,
) -> Vec<u8> {
    let mut doc = PdfDocument::new(l(lang, "Portfolio risk report", "客戶組合風險報告"));
    let res = resources(&mut doc, lh);
    let mut w = Writer::new(res.font.clone(), paper);
    w.footer = format!(
        "{} · {}",
        lh.name,
        l(lang, "Portfolio risk report", "客戶組合風險報告")
    );
    let subject = if zh(lang) {
        format!("共 {} 位客戶", r.customers)
    } else {
        format!("{} customers", r.customers)
    };
    title(
        &mut w,
        lh,
        lang,
        l(lang, "Portfolio risk report", "客戶組合風險報告"),
        &subject,
        r.as_of,
    );

    heading(
        &mut w,
        l(lang, "Customers by risk level", "各風險等級的客戶"),
    );
    let bars: Vec<(String, i64, (u8, u8, u8))> = LEVELS
        .iter()
        .rev()
        .map(|lv| {
            let i = LEVELS.iter().position(|x| x == lv).unwrap_or(0);
            (
                level_name(lang, *lv).to_string(),
                r.by_level[i] as i64,
                level_color(*lv),
            )
        })
        .collect();
    bar_chart(&mut w, &bars, &|v| v.to_string());
    let moves = match (&r.previous, zh(lang)) {
        (None, false) => "This is the first portfolio report: no earlier report to compare with.".to_string(),
        (None, true) => "這是第一份組合報告，沒有可比較的前期報告。".to_string(),
        (Some(at), false) => format!("Since the last report ({at}): {} customer(s) moved to a higher level, {} to a lower one.", r.moved_up, r.moved_down),
        (Some(at), true) => format!("自上次報告（{at}）以來：{} 位客戶升至較高等級，{} 位降至較低等級。", r.moved_up, r.moved_down),
    };
    w.paragraph(&moves, 9.5, INK, 0.0);

    heading(&mut w, l(lang, "Top risks", "最高風險客戶"));
    let rows: Vec<Vec<String>> = r
        .top
        .iter()
        .map(|s| {
            let reasons: Vec<String> = s
                .factors
                .iter()
                .take(3)
                .map(|f| labels::name(f.key, zh(lang)).to_string())
                .collect();
            vec![
                s.score.to_string(),
                level_name(lang, s.level).to_string(),
                s.name.clone(),
                reasons.join("; "),
                money(s.exposure.total_minor, &s.exposure.currency),
            ]
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(
            l(
                lang,
                "No customer has a risk factor.",
                "沒有客戶有風險因素。",
            ),
            9.5,
            MUTED,
            0.0,
        );
    } else {
        w.table(
            &[
                l(lang, "Score", "分數"),
                l(lang, "Level", "等級"),
                l(lang, "Customer", "客戶"),
                l(lang, "Main reasons", "主要原因"),
                l(lang, "Exposure", "曝險"),
            ],
            &[0.08, 0.1, 0.27, 0.37, 0.18],
            &[
                Align::Right,
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Right,
            ],
            &rows,
            8.0,
        );
    }

    heading(
        &mut w,
        l(lang, "Exposure against credit limits", "曝險與信用額度"),
    );
    let rows: Vec<Vec<String>> = r
        .over_limit
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                money(s.exposure.total_minor, &s.exposure.currency),
                money(s.exposure.credit_limit_minor, &s.exposure.currency),
            ]
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(
            l(
                lang,
                "No customer's exposure is over its credit limit.",
                "沒有客戶的曝險超過信用額度。",
            ),
            9.5,
            MUTED,
            0.0,
        );
    } else {
        w.table(
            &[
                l(lang, "Over the limit", "超過額度"),
                l(lang, "Exposure", "曝險"),
                l(lang, "Credit limit", "信用額度"),
            ],
            &[0.5, 0.25, 0.25],
            &[Align::Left, Align::Right, Align::Right],
            &rows,
            8.5,
        );
    }
    for c in &r.concentration {
        w.space(6.0);
        let head = if zh(lang) {
            format!(
                "{} 集中度：總曝險 {}（占比 10% 以上者需注意）",
                c.currency,
                money(c.total_minor, &c.currency)
            )
        } else {
            format!(
                "Concentration in {}: total exposure {} (10 % or more of it is flagged)",
                c.currency,
                money(c.total_minor, &c.currency)
            )
        };
        w.paragraph(&head, 9.5, INK, 0.0);
        let bars: Vec<(String, i64, (u8, u8, u8))> = c
            .largest
            .iter()
            .map(|(_, name, _, bp)| {
                (
                    name.clone(),
                    *bp,
                    if *bp >= 1_000 {
                        level_color(Level::High)
                    } else {
                        BRAND
                    },
                )
            })
            .collect();
        bar_chart(&mut w, &bars, &|bp| {
            format!("{}.{:02} %", bp / 100, bp % 100)
        });
    }

    heading(
        &mut w,
        l(
            lang,
            "Aging and days sales outstanding",
            "帳齡與應收帳款週轉天數",
        ),
    );
    let rows: Vec<Vec<String>> = r
        .aging
        .iter()
        .map(|a| {
            let c = a.currency.code();
            let mut row = vec![c.to_string()];
            row.extend(a.buckets.iter().map(|b| money(*b, c)));
            row.push(money(a.total_minor, c));
            row.push(
                a.dso_tenths
                    .map(|t| format!("{}.{}", t / 10, t % 10))
                    .unwrap_or_else(|| "—".into()),
            );
            row
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(
            l(lang, "No open receivables.", "沒有未收應收帳款。"),
            9.5,
            MUTED,
            0.0,
        );
    } else {
        w.table(
            &[
                l(lang, "Currency", "幣別"),
                l(lang, "Current", "未到期"),
                "1–30",
                "31–60",
                "61–90",
                "90+",
                l(lang, "Total", "合計"),
                "DSO",
            ],
            &[0.09, 0.13, 0.13, 0.13, 0.13, 0.13, 0.15, 0.11],
            &[
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            &rows,
            7.5,
        );
    }

    heading(
        &mut w,
        l(
            lang,
            "Unpaid purchases inside their cancellation window",
            "仍在可取消期間內的未付款訂閱",
        ),
    );
    let rows: Vec<Vec<String>> = r
        .windows
        .iter()
        .map(|(_, name, x)| {
            vec![
                name.clone(),
                format!("{} × {}", x.offer, x.quantity),
                x.closes_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                x.hours_left.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(l(lang, "None.", "無。"), 9.5, MUTED, 0.0);
    } else {
        w.table(
            &[
                l(lang, "Customer", "客戶"),
                l(lang, "Subscription", "訂閱"),
                l(lang, "Collect or cancel before", "收款或取消期限"),
                l(lang, "Hours left", "剩餘小時"),
            ],
            &[0.3, 0.32, 0.24, 0.14],
            &[Align::Left, Align::Left, Align::Left, Align::Right],
            &rows,
            8.0,
        );
    }

    heading(
        &mut w,
        l(
            lang,
            "This month's budget overruns and misuse alerts",
            "本月超出預算與濫用警示",
        ),
    );
    let rows: Vec<Vec<String>> = r
        .month_alerts
        .iter()
        .map(|a| {
            vec![
                a.day.clone(),
                a.customer_name.clone().unwrap_or_default(),
                if zh(lang) {
                    a.title_zh.clone()
                } else {
                    a.title_en.clone()
                },
                word(lang, a.status.as_str()),
            ]
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(l(lang, "None.", "無。"), 9.5, MUTED, 0.0);
    } else {
        w.table(
            &[
                l(lang, "Day", "日期"),
                l(lang, "Customer", "客戶"),
                l(lang, "Alert", "警示"),
                l(lang, "Status", "狀態"),
            ],
            &[0.13, 0.25, 0.48, 0.14],
            &[Align::Left; 4],
            &rows,
            8.0,
        );
    }

    heading(
        &mut w,
        l(
            lang,
            "Microsoft notices past their deadline",
            "逾期未處理的 Microsoft 通知",
        ),
    );
    let rows: Vec<Vec<String>> = r
        .notices_overdue
        .iter()
        .map(|n| {
            vec![
                n.customer_name.clone().unwrap_or(n.tenant_id.clone()),
                n.title.clone(),
                if n.respond_overdue {
                    n.respond_by.clone()
                } else {
                    n.mitigate_by.clone()
                },
            ]
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(l(lang, "None.", "無。"), 9.5, MUTED, 0.0);
    } else {
        w.table(
            &[
                l(lang, "Customer", "客戶"),
                l(lang, "Notice", "通知"),
                l(lang, "Deadline", "期限"),
            ],
            &[0.28, 0.47, 0.25],
            &[Align::Left; 3],
            &rows,
            8.0,
        );
    }

    heading(
        &mut w,
        l(
            lang,
            "Admin access broader than the checks allow",
            "權限超出檢查完成程度的管理員存取",
        ),
    );
    let rows: Vec<Vec<String>> = r
        .admin_too_broad
        .iter()
        .map(|(_, name, access, missing)| {
            vec![
                name.clone(),
                word(lang, access.as_str()),
                missing.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(l(lang, "None.", "無。"), 9.5, MUTED, 0.0);
    } else {
        w.table(
            &[
                l(lang, "Customer", "客戶"),
                l(lang, "Admin access", "管理員權限"),
                l(lang, "Checks missing", "未完成檢查"),
            ],
            &[0.5, 0.25, 0.25],
            &[Align::Left, Align::Left, Align::Right],
            &rows,
            8.5,
        );
        w.space(4.0);
        w.paragraph(l(lang, "Admin relationships are recorded as an access level; their expiry dates are kept in Partner Center.", "管理員關係以權限等級記錄；其到期日請於合作夥伴中心查看。"), 8.0, MUTED, 0.0);
    }
    let pages = w.finish(&page_label(lang));
    save(&mut doc, pages, unix(r.as_of))
}
