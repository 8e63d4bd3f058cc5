//! The risk reports: one customer's (profile, checklist, score with its factors and
//! history, exposure, open items, actions) and the portfolio's (levels and moves, top
//! risks, exposure and concentration, aging and DSO, cancellation windows, the month's
//! alerts, notices past their deadline, admin access broader than the checks allow).
//! Charts are vector paths; every figure comes from the report data gathered by
//! `riskdesk_core::risk::report`.

use chrono::NaiveDate;
use riskdesk_core::customer::Language;
use riskdesk_core::money::{Currency, Money};
use riskdesk_core::risk::Level;

use crate::layout::{Align, Writer, BRAND, INK, MUTED};
use crate::letters::{date_text, l, zh, Letterhead};

mod customer;
mod portfolio;

pub use customer::customer_risk_report;
pub use portfolio::portfolio_risk_report;

pub(super) const LEVELS: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];

pub(super) fn level_color(l: Level) -> (u8, u8, u8) {
    match l {
        Level::Low => (46, 125, 50),
        Level::Medium => (196, 140, 0),
        Level::High => (216, 90, 30),
        Level::Critical => (183, 28, 28),
    }
}

pub(super) fn level_name(lang: Language, l: Level) -> &'static str {
    match l {
        Level::Low => self::l(lang, "Low", "低"),
        Level::Medium => self::l(lang, "Medium", "中"),
        Level::High => self::l(lang, "High", "高"),
        Level::Critical => self::l(lang, "Critical", "嚴重"),
    }
}

pub(super) fn money(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Some(c) => Money::new(minor, c).format(),
        None => minor.to_string(),
    }
}

/// A record's code word (status, instrument, access, check, alert status) in the report's
/// language.
pub(super) fn word(lang: Language, code: &str) -> String {
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

pub(super) use crate::layout::fit;

/// A table's column: its heading in English and in Chinese, its share of the width, and
/// how its cells align.
pub(super) struct Col {
    en: &'static str,
    zh: &'static str,
    width: f32,
    align: Align,
}

/// A column of text (left-aligned).
pub(super) const fn text(en: &'static str, zh: &'static str, width: f32) -> Col {
    Col {
        en,
        zh,
        width,
        align: Align::Left,
    }
}

/// A column of figures (right-aligned).
pub(super) const fn figure(en: &'static str, zh: &'static str, width: f32) -> Col {
    Col {
        en,
        zh,
        width,
        align: Align::Right,
    }
}

/// A table, or `empty` in muted text when there are no rows; true when the table was drawn.
pub(super) fn table_or(
    w: &mut Writer,
    lang: Language,
    empty: &str,
    cols: &[Col],
    rows: &[Vec<String>],
    size: f32,
) -> bool {
    if rows.is_empty() {
        w.paragraph(empty, 9.5, MUTED, 0.0);
        return false;
    }
    let headers: Vec<&str> = cols.iter().map(|c| l(lang, c.en, c.zh)).collect();
    let widths: Vec<f32> = cols.iter().map(|c| c.width).collect();
    let aligns: Vec<Align> = cols.iter().map(|c| c.align).collect();
    w.table(&headers, &widths, &aligns, rows, size);
    true
}

/// What a section with no rows says, most often.
pub(super) const NONE: [&str; 2] = ["None.", "無。"];

/// A section of a report: its heading, then its table, or `empty` when it has no rows
/// (headings and `empty` in English and Chinese); true when the table was drawn.
pub(super) fn section(
    w: &mut Writer,
    lang: Language,
    title: [&'static str; 2],
    empty: [&'static str; 2],
    cols: &[Col],
    rows: &[Vec<String>],
    size: f32,
) -> bool {
    heading(w, l(lang, title[0], title[1]));
    table_or(w, lang, l(lang, empty[0], empty[1]), cols, rows, size)
}

/// "and N more" under a list cut to its first rows.
pub(super) fn more(w: &mut Writer, lang: Language, all: usize, shown: usize) {
    if all > shown {
        let text = if zh(lang) {
            format!("另有 {} 筆未列出（共 {all} 筆）。", all - shown)
        } else {
            format!("And {} more ({all} in all).", all - shown)
        };
        w.paragraph(&text, 8.5, MUTED, 0.0);
    }
}

/// The report's title block: the reseller, the title, the subject and the date.
pub(super) fn title(
    w: &mut Writer,
    lh: &Letterhead,
    lang: Language,
    title: &str,
    subject: &str,
    on: NaiveDate,
) {
    let top = w.y;
    let date = date_text(lang, on);
    let room = w.width() - crate::layout::font().width(&date, 9.0) - 12.0;
    // The reseller's name on one line beside the date; the subject (a customer's name)
    // wrapped, never cut off at the paper's edge.
    w.text_at(w.left(), top - 4.0, 10.0, MUTED, &fit(&lh.name, 10.0, room));
    let right = w.right();
    w.text_right(right, top - 4.0, 9.0, INK, &date);
    w.text_at(w.left(), top - 28.0, 18.0, BRAND, title);
    w.y = top - 34.0;
    if !subject.is_empty() {
        let full = w.width();
        w.y = w.lines_at(w.y - 16.0, 12.0, INK, subject, full, 16.0) + 16.0;
    }
    w.y -= 10.0;
    let (l, r) = (w.left(), w.right());
    w.rule(l, w.y, r, 0.8, BRAND);
    w.y -= 6.0;
}

pub(super) fn heading(w: &mut Writer, text: &str) {
    w.ensure(60.0);
    w.y -= 20.0;
    w.text_at(w.left(), w.y, 12.0, BRAND, text);
    w.y -= 4.0;
}

/// Horizontal bars: (label, value, colour), scaled to the largest value.
pub(super) fn bar_chart(
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
pub(super) fn history_chart(
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
        w.text_at(
            x0,
            w.y,
            7.5,
            MUTED,
            &crate::letters::day_text(lang, &first.0),
        );
        let right = w.right();
        w.text_right(
            right,
            w.y,
            7.5,
            MUTED,
            &crate::letters::day_text(lang, &last.0),
        );
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
