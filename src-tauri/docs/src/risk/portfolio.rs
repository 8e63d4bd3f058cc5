//! The portfolio risk report: levels and moves, top risks, exposure and concentration,
//! aging and DSO, open cancellation windows, the month's alerts, notices past their
//! deadline, admin access broader than the checks allow.

use printpdf::PdfDocument;
use riskdesk_core::customer::Language;
use riskdesk_core::english::count;
use riskdesk_core::risk::{labels, Factor, Level};

use super::*;
use crate::layout::{save, Paper, Writer, INK};
use crate::letters::{
    date_text, day_text, l, page_label, resources, time_text, unix, zh, Letterhead,
};
use riskdesk_core::risk::report::PortfolioReport;

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
        count(r.customers, "customer", "customers")
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
    let previous = r.previous.as_deref().map(|at| time_text(lang, at));
    let moves = match (&previous, zh(lang)) {
        (None, false) => {
            "This is the first portfolio report: no earlier report to compare with.".to_string()
        }
        (None, true) => "這是第一份組合報告，沒有可比較的前期報告。".to_string(),
        (Some(at), false) => format!(
            "Since the last report ({at}): {} to a higher level, {} to a lower one.",
            count(r.moved_up, "customer moved", "customers moved"),
            r.moved_down
        ),
        (Some(at), true) => format!(
            "自上次報告（{at}）以來：{} 位客戶升至較高等級，{} 位降至較低等級。",
            r.moved_up, r.moved_down
        ),
    };
    w.paragraph(&moves, 9.5, INK, 0.0);

    let rows: Vec<Vec<String>> = r
        .top
        .iter()
        .map(|s| {
            vec![
                s.score.to_string(),
                level_name(lang, s.level).to_string(),
                s.name.clone(),
                main_reasons(&s.factors, zh(lang), 3),
                money(s.exposure.total_minor, &s.exposure.currency),
            ]
        })
        .collect();
    section(
        &mut w,
        lang,
        ["Top risks", "最高風險客戶"],
        ["No customer has a risk factor.", "沒有客戶有風險因素。"],
        &[
            figure("Score", "分數", 0.08),
            text("Level", "等級", 0.1),
            text("Customer", "客戶", 0.27),
            text("Main reasons", "主要原因", 0.37),
            figure("Exposure", "曝險", 0.18),
        ],
        &rows,
        8.0,
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
    if section(
        &mut w,
        lang,
        ["Exposure against credit limits", "曝險與信用額度"],
        [
            "No customer's exposure is over its credit limit.",
            "沒有客戶的曝險超過信用額度。",
        ],
        &[
            text("Over the limit", "超過額度", 0.5),
            figure("Exposure", "曝險", 0.25),
            figure("Credit limit", "信用額度", 0.25),
        ],
        &rows,
        8.5,
    ) {
        more(&mut w, lang, r.over_limit_count, r.over_limit.len());
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

    let rows: Vec<Vec<String>> = r
        .aging
        .iter()
        .map(|a| {
            let c = a.currency.code();
            let mut row = vec![c.to_string()];
            row.extend(a.buckets.iter().map(|b| money(*b, c)));
            row.push(money(a.total_minor, c));
            // Paid ahead, overpaid or beside a disputed invoice: held, never netted above.
            row.push(if a.credit_minor > 0 {
                money(a.credit_minor, c)
            } else {
                "—".into()
            });
            row.push(
                a.dso_tenths
                    .map(|t| format!("{}.{}", t / 10, t % 10))
                    .unwrap_or_else(|| "—".into()),
            );
            row
        })
        .collect();
    // Nine columns: "NT$1,060,973.57" still fits its cell at 7 points.
    let buckets = [
        ("Current", "未到期"),
        ("1–30", "1–30"),
        ("31–60", "31–60"),
        ("61–90", "61–90"),
        ("90+", "90+"),
    ];
    let mut columns = vec![text("Currency", "幣別", 0.065)];
    columns.extend(buckets.map(|(en, zh)| figure(en, zh, 0.122)));
    columns.extend([
        figure("Total", "合計", 0.14),
        figure("Credit held", "溢繳餘額", 0.13),
        figure("DSO", "DSO", 0.055),
    ]);
    section(
        &mut w,
        lang,
        ["Aging and days sales outstanding", "帳齡與應收帳款週轉天數"],
        ["No open receivables.", "沒有未收應收帳款。"],
        &columns,
        &rows,
        7.0,
    );

    let rows: Vec<Vec<String>> = r
        .windows
        .iter()
        .map(|(_, name, x)| {
            vec![
                name.clone(),
                format!("{} × {}", x.offer, x.quantity),
                x.closes_text(lang),
                x.hours_left.to_string(),
            ]
        })
        .collect();
    section(
        &mut w,
        lang,
        [
            "Unpaid purchases inside their cancellation window",
            "仍在可取消期間內的未付款訂閱",
        ],
        NONE,
        &[
            text("Customer", "客戶", 0.3),
            text("Subscription", "訂閱", 0.32),
            text("Collect or cancel before", "收款或取消期限", 0.24),
            figure("Hours left", "剩餘小時", 0.14),
        ],
        &rows,
        8.0,
    );

    let rows: Vec<Vec<String>> = r
        .month_alerts
        .iter()
        .map(|a| {
            vec![
                day_text(lang, &a.day),
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
    section(
        &mut w,
        lang,
        [
            "This month's budget overruns and misuse alerts",
            "本月超出預算與濫用警示",
        ],
        NONE,
        &[
            // "2026年12月13日" and "13 December 2026" on one line.
            text("Day", "日期", 0.16),
            text("Customer", "客戶", 0.25),
            text("Alert", "警示", 0.45),
            text("Status", "狀態", 0.14),
        ],
        &rows,
        8.0,
    );

    let rows: Vec<Vec<String>> = r
        .notices_overdue
        .iter()
        .map(|n| {
            vec![
                n.customer_name.clone().unwrap_or(n.tenant_id.clone()),
                n.title.clone(),
                time_text(
                    lang,
                    if n.respond_overdue {
                        &n.respond_by
                    } else {
                        &n.mitigate_by
                    },
                ),
            ]
        })
        .collect();
    section(
        &mut w,
        lang,
        [
            "Microsoft notices past their deadline",
            "逾期未處理的 Microsoft 通知",
        ],
        NONE,
        &[
            text("Customer", "客戶", 0.28),
            text("Notice", "通知", 0.47),
            text("Deadline", "期限", 0.25),
        ],
        &rows,
        8.0,
    );

    let rows: Vec<Vec<String>> = r
        .admin_too_broad
        .iter()
        .map(|b| {
            let mut access = word(lang, b.access.as_str());
            if b.global_admin {
                access.push_str(l(
                    lang,
                    " + Global Administrator (GDAP)",
                    "＋全域管理員（GDAP）",
                ));
            }
            vec![b.name.clone(), access, b.missing_checks.to_string()]
        })
        .collect();
    if section(
        &mut w,
        lang,
        [
            "Admin access broader than the checks allow",
            "權限超出檢查完成程度的管理員存取",
        ],
        NONE,
        &[
            text("Customer", "客戶", 0.5),
            text("Admin access", "管理員權限", 0.32),
            figure("Checks missing", "未完成檢查", 0.18),
        ],
        &rows,
        8.5,
    ) {
        more(
            &mut w,
            lang,
            r.admin_too_broad_count,
            r.admin_too_broad.len(),
        );
    }

    let rows: Vec<Vec<String>> = r
        .gdap_expiring
        .iter()
        .map(|(name, g)| {
            vec![
                name.clone(),
                g.name.clone(),
                if g.global_admin {
                    l(lang, "Global Administrator", "全域管理員").to_string()
                } else {
                    g.roles.clone()
                },
                date_text(lang, g.expires_on),
            ]
        })
        .collect();
    section(
        &mut w,
        lang,
        [
            "Admin relationships (GDAP) expiring within 30 days",
            "30 天內到期的管理關係（GDAP）",
        ],
        NONE,
        &[
            text("Customer", "客戶", 0.28),
            text("Relationship", "關係名稱", 0.24),
            text("Roles", "角色", 0.28),
            text("Expires", "到期日", 0.2),
        ],
        &rows,
        8.0,
    );
    credit_line(&mut w, lang, &r.credit_line);
    let pages = w.finish(&page_label(lang));
    save(&mut doc, pages, unix(r.as_of))
}

/// The first `n` kinds of factor in order of contribution, each named once, with how many
/// of it there are where more than one (three onboarding checks missing are one reason, ×3).
fn main_reasons(factors: &[Factor], zh: bool, n: usize) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for f in factors {
        match kinds.iter_mut().find(|(key, _)| *key == f.key) {
            Some((_, count)) => *count += 1,
            None => kinds.push((f.key, 1)),
        }
    }
    let named: Vec<String> = kinds
        .iter()
        .take(n)
        .map(|(key, count)| match count {
            1 => labels::name(key, zh).to_string(),
            _ => format!("{} ×{count}", labels::name(key, zh)),
        })
        .collect();
    named.join("; ")
}

/// The partner's credit line with Microsoft: what is left and what uses it, then the
/// customers whose unpaid money Microsoft has already been paid for.
fn credit_line(w: &mut Writer, lang: Language, h: &riskdesk_core::microsoft::headroom::Headroom) {
    heading(
        w,
        l(lang, "Credit line with Microsoft", "Microsoft 信用額度"),
    );
    let pct = |bp: i64| format!("{}.{:02}%", bp / 100, bp % 100);
    let summary = match (h.line.limit, h.headroom, h.used_basis_points, zh(lang)) {
        (Some(limit), Some(room), Some(bp), false) => format!(
            "Headroom {} of a limit of {} ({} used). Microsoft's payment terms: {}.",
            room.format(),
            limit.format(),
            pct(bp),
            count(h.line.terms_days, "day", "days")
        ),
        (Some(limit), Some(room), Some(bp), true) => format!(
            "額度 {} 尚餘 {}（已使用 {}）。Microsoft 付款期限：{} 天。",
            limit.format(),
            room.format(),
            pct(bp),
            h.line.terms_days
        ),
        (_, _, _, false) => format!(
            "No credit limit is set: {} is owed to Microsoft or not billed yet.",
            h.used.format()
        ),
        (_, _, _, true) => format!(
            "尚未設定信用額度：欠 Microsoft 或尚未計費的金額為 {}。",
            h.used.format()
        ),
    };
    w.paragraph(&summary, 9.5, INK, 0.0);
    let since = date_text(lang, h.unbilled_since);
    let mut rows = vec![vec![
        l(lang, "Microsoft's invoices unpaid", "Microsoft 未付發票").to_string(),
        h.unpaid_invoices.format(),
    ]];
    if !h.credits.is_empty() {
        rows.push(vec![
            l(
                lang,
                "Microsoft's credit notes not applied yet",
                "Microsoft 尚未抵用的折讓單",
            )
            .to_string(),
            h.open_credits.format(),
        ]);
    }
    rows.extend([
        vec![
            if zh(lang) {
                format!("尚未計費的用量與購買項目（自 {since} 起）")
            } else {
                format!("Usage and purchases not billed yet (since {since})")
            },
            h.unbilled_usage.format(),
        ],
        vec![
            l(lang, "Seats billed this month", "本月計費的授權").to_string(),
            h.seats_this_month.format(),
        ],
        vec![l(lang, "Used", "已使用").to_string(), h.used.format()],
    ]);
    table_or(
        w,
        lang,
        "",
        &[
            text("What uses the line", "額度的使用", 0.7),
            figure("Amount", "金額", 0.3),
        ],
        &rows,
        8.5,
    );
    if !h.unconverted.is_empty() {
        let amounts: Vec<String> = h.unconverted.iter().map(|m| m.format()).collect();
        let text = if zh(lang) {
            format!("無匯率、未計入：{}。", amounts.join("、"))
        } else {
            format!("Not counted, no exchange rate: {}.", amounts.join(", "))
        };
        w.paragraph(&text, 8.5, INK, 0.0);
    }
    let paid_out: Vec<_> = h
        .customers
        .iter()
        .filter(|c| c.paid_out.minor > 0)
        .collect();
    let rows: Vec<Vec<String>> = paid_out
        .iter()
        .take(riskdesk_core::risk::report::LIST_MAX)
        .map(|c| {
            vec![
                c.legal_name.clone(),
                c.paid_out.format(),
                c.paid_out_since
                    .map(|d| date_text(lang, d))
                    .unwrap_or_default(),
                c.upcoming.format(),
                c.unbilled.format(),
                c.customer_due
                    .map(|d| date_text(lang, d))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    section(
        w,
        lang,
        [
            "Customers past Microsoft's due date (already paid to Microsoft)",
            "已過 Microsoft 到期日的客戶（已先付給 Microsoft）",
        ],
        NONE,
        &[
            text("Customer", "客戶", 0.26),
            figure("Paid out", "已先付", 0.15),
            text("Microsoft due", "Microsoft 到期日", 0.15),
            figure("Owed later", "之後應付", 0.15),
            figure("Not billed", "未計費", 0.14),
            text("Customer due", "客戶到期日", 0.15),
        ],
        &rows,
        8.0,
    );
    more(
        w,
        lang,
        paid_out.len(),
        riskdesk_core::risk::report::LIST_MAX,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(key: &'static str) -> Factor {
        Factor {
            key,
            points: 10,
            evidence: String::new(),
            evidence_zh: String::new(),
            action: "",
            action_zh: "",
        }
    }

    #[test]
    fn a_reason_is_named_once_with_its_count() {
        let f = |keys: &[&'static str]| keys.iter().map(|k| factor(k)).collect::<Vec<_>>();
        let missing = f(&[
            "check_missing",
            "check_missing",
            "no_credit_limit",
            "check_missing",
            "overdue",
        ]);
        let en = main_reasons(&missing, false, 3);
        assert_eq!(
            en,
            format!(
                "{} ×3; {}; {}",
                labels::name("check_missing", false),
                labels::name("no_credit_limit", false),
                labels::name("overdue", false)
            )
        );
        assert!(main_reasons(&missing, true, 1).ends_with(" ×3"));
        assert_eq!(main_reasons(&[], false, 3), "");
        assert_eq!(
            main_reasons(&f(&["overdue"]), true, 3),
            labels::name("overdue", true)
        );
    }
}
