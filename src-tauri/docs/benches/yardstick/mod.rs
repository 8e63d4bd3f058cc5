//! The letters' yardstick, measured in the same run: the same letters drawn by reportlab
//! (Python), installed in a temporary virtual environment. Prints its time and RiskDesk's
//! ratio to it; says why when it cannot be measured (no Python, no network, no CJK font).

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use riskdesk_core::collections::PlanCustomer;
use riskdesk_core::customer::{Customer, Language};
use riskdesk_docs::Letterhead;

const SCRIPT: &str = include_str!("reportlab_letters.py");
/// A TrueType CJK font reportlab can subset (Debian: fonts-droid-fallback).
const CJK_FONT: &str = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

/// What one letter says, for the script.
fn words(lh: &Letterhead, c: &Customer, p: &PlanCustomer, today: NaiveDate) -> serde_json::Value {
    let zh = c.fields.language == Language::ZhTw;
    let lang = c.fields.language;
    serde_json::json!({
        "letterhead": [lh.name.clone(), lh.address.replace('\n', "  "), format!("{} · {}", lh.phone, lh.email)],
        "date": today.to_string(),
        "customer": c.fields.legal_name,
        "address": c.fields.address.lines().collect::<Vec<_>>(),
        "title": p.level.name(lang),
        "body": riskdesk_core::collections::fill_letter(
            p.level.letter(lang),
            &c.fields.legal_name,
            &p.overdue.format(),
            &p.deadline.to_string(),
            &lh.name,
        ),
        "invoices": p.invoices.iter().map(|i| vec![
            i.number.clone(),
            i.due_on.to_string(),
            if zh { format!("逾期 {} 天", i.days_overdue) } else { format!("{} days overdue", i.days_overdue) },
            i.due.format(),
        ]).collect::<Vec<_>>(),
        "total": if zh { format!("應付總額：{}", p.overdue.format()) } else { format!("Total due: {}", p.overdue.format()) },
        "payment": lh.payment_instructions,
    })
}

/// Runs the yardstick over `letters` and prints the ratio to `ours` (seconds, one thread).
pub fn reportlab(
    lh: &Letterhead,
    letters: &[(Customer, PlanCustomer)],
    today: NaiveDate,
    ours: f64,
) {
    if let Err(why) = try_reportlab(lh, letters, today, ours) {
        println!("reportlab: not measured ({why})");
    }
}

fn try_reportlab(
    lh: &Letterhead,
    letters: &[(Customer, PlanCustomer)],
    today: NaiveDate,
    ours: f64,
) -> Result<(), String> {
    if !Path::new(CJK_FONT).exists() {
        return Err(format!(
            "{CJK_FONT} is missing; apt-get install fonts-droid-fallback"
        ));
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let venv = dir.path().join("venv");
    let run = |cmd: &mut Command| -> Result<String, String> {
        let out = cmd.output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    };
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args(["install", "-q", "reportlab==5.1.0"]))?;
    let data = dir.path().join("letters.json");
    let words: Vec<_> = letters
        .iter()
        .map(|(c, p)| words(lh, c, p, today))
        .collect();
    std::fs::write(&data, serde_json::to_vec(&words).unwrap()).map_err(|e| e.to_string())?;
    let script = dir.path().join("letters.py");
    std::fs::write(&script, SCRIPT).map_err(|e| e.to_string())?;
    let out = dir.path().join("out");
    std::fs::create_dir(&out).map_err(|e| e.to_string())?;
    let said = run(Command::new(venv.join("bin/python"))
        .arg(&script)
        .arg(&data)
        .arg(CJK_FONT)
        .arg(&out))?;
    let mut parts = said.split_whitespace();
    let secs: f64 = parts.next().and_then(|s| s.parse().ok()).ok_or("no time")?;
    let bytes: f64 = parts.next().and_then(|s| s.parse().ok()).ok_or("no size")?;
    println!(
        "reportlab 5.1, the same {} letters, one file each, 1 thread: {secs:.2} s, {:.1} KB per letter; RiskDesk is {:.2} times as fast (goal: 2)",
        letters.len(),
        bytes / letters.len() as f64 / 1024.0,
        secs / ours
    );
    Ok(())
}
