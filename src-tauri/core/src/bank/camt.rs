//! ISO 20022 CAMT.053 bank-to-customer statements (any version: elements are found by
//! their local names, so the namespace of `camt.053.001.02` and of `.08` both read). The
//! account report of the day (camt.052, `BkToCstmrAcctRpt/Rpt`) and the debit and credit
//! notification (camt.054, `BkToCstmrDbtCdtNtfctn/Ntfctn`) hold their entries the same way
//! and are read alike; an entry a report and the day's statement both carry is one line.
//!
//! Each booked entry (`Ntry` with status `BOOK`) is a line; an entry that books several
//! transactions at once (several `TxDtls`, each with its amount) is one line per
//! transaction. Pending entries are left for the statement that books them.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{Direction, ParsedLine, ParsedStatement};
use crate::error::{Code, ImportProblem};
use crate::money::{Currency, Money};

/// An element: its local name, attributes, text and children, and the line it starts on.
#[derive(Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
    line: u64,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The node at a path of child names (`Acct/Id/IBAN`).
    fn at(&self, path: &str) -> Option<&Node> {
        path.split('/').try_fold(self, |n, part| n.child(part))
    }

    /// The trimmed text at a path, or "".
    fn text_at(&self, path: &str) -> String {
        self.at(path)
            .map(|n| n.text.trim().to_string())
            .unwrap_or_default()
    }

    /// Every node with this local name, at any depth.
    fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            } else {
                c.find_all(name, out);
            }
        }
    }
}

fn line_at(text: &str, offset: u64) -> u64 {
    let end = (offset as usize).min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
        + 1
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or("").to_string()
}

fn element(e: &quick_xml::events::BytesStart, line: u64) -> Result<Node, String> {
    let mut node = Node {
        name: local(e.local_name().as_ref()),
        line,
        ..Node::default()
    };
    for a in e.attributes().flatten() {
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| format!("bad attribute: {err}"))?;
        node.attrs
            .push((local(a.key.local_name().as_ref()), value.to_string()));
    }
    Ok(node)
}

/// The document as a tree. Entity references are the five XML ones and characters; a
/// document type declaration (and so any entity it defines) is refused.
fn tree(text: &str) -> Result<Node, ImportProblem> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::default()];
    let bad = |reader: &Reader<&[u8]>, msg: String| {
        ImportProblem::new(
            line_at(text, reader.error_position()),
            "file",
            Code::Unreadable,
            msg,
        )
    };
    loop {
        let start = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| bad(&reader, format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(e) => {
                let node = element(&e, line_at(text, start)).map_err(|m| bad(&reader, m))?;
                stack.push(node);
            }
            Event::Empty(e) => {
                let node = element(&e, line_at(text, start)).map_err(|m| bad(&reader, m))?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                let done = stack.pop().unwrap_or_default();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => {
                        return Err(bad(
                            &reader,
                            "an element closes that was never opened".into(),
                        ))
                    }
                }
            }
            Event::Text(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_xml_entity(&r.xml10_content())
                        .map(str::to_string)
                        .ok_or_else(|| {
                            bad(&reader, format!("unknown entity &{};", r.xml10_content()))
                        })?,
                };
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&resolved);
                }
            }
            Event::DocType(_) => {
                return Err(bad(
                    &reader,
                    "a document type declaration is not part of CAMT.053".into(),
                ))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(ImportProblem::new(
            line_at(text, text.len() as u64),
            "file",
            Code::Truncated,
            "the XML ends before its elements close: the file is cut short",
        ));
    }
    Ok(stack.pop().unwrap_or_default())
}

fn account_id(n: Option<&Node>) -> String {
    n.map(|a| {
        let iban = a.text_at("Id/IBAN");
        if iban.is_empty() {
            a.text_at("Id/Othr/Id")
        } else {
            iban
        }
    })
    .unwrap_or_default()
}

/// A party's name in version 2 (`Dbtr/Nm`) or later (`Dbtr/Pty/Nm`).
fn party_name(parties: Option<&Node>, role: &str) -> String {
    let Some(p) = parties else {
        return String::new();
    };
    let old = p.text_at(&format!("{role}/Nm"));
    if old.is_empty() {
        p.text_at(&format!("{role}/Pty/Nm"))
    } else {
        old
    }
}

fn amount_of(n: &Node, what: &str) -> Result<Money, ImportProblem> {
    let problem = |code: Code, msg: String| {
        ImportProblem::new(n.line, "amount", code, msg)
            .with("value", crate::import::shown(n.text.trim()))
    };
    let ccy = n
        .attrs
        .iter()
        .find(|(k, _)| k == "Ccy")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let currency = Currency::parse(ccy).ok_or_else(|| {
        ImportProblem::new(
            n.line,
            "currency",
            Code::InvalidCurrency,
            format!("{what}: no known currency (Ccy=\"{ccy}\")"),
        )
        .with("value", ccy)
    })?;
    let money = Money::parse(n.text.trim(), currency).map_err(|e| {
        problem(
            e.code(),
            format!("{what}: {} is not an amount in {ccy}", n.text.trim()),
        )
    })?;
    if money.minor <= 0 {
        return Err(problem(
            Code::NotPositive,
            format!("{what}: the amount must be more than zero"),
        ));
    }
    Ok(money)
}

fn references(tx: Option<&Node>) -> String {
    let Some(tx) = tx else {
        return String::new();
    };
    ["Refs/AcctSvcrRef", "Refs/TxId", "Refs/EndToEndId"]
        .iter()
        .map(|p| tx.text_at(p))
        .find(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NOTPROVIDED"))
        .unwrap_or_default()
}

fn remittance(tx: &Node, texts: &mut Vec<String>) {
    if let Some(r) = tx.child("RmtInf") {
        texts.extend(r.all("Ustrd").map(|u| u.text.trim().to_string()));
        for s in r.all("Strd") {
            let reference = s.text_at("CdtrRefInf/Ref");
            if !reference.is_empty() {
                texts.push(reference);
            }
        }
    }
    let more = tx.text_at("AddtlTxInf");
    if !more.is_empty() {
        texts.push(more);
    }
}

fn entry_lines(entry: &Node, out: &mut Vec<ParsedLine>) -> Result<(), ImportProblem> {
    let status = {
        let plain = entry.text_at("Sts");
        if plain.is_empty() {
            entry.text_at("Sts/Cd")
        } else {
            plain
        }
    };
    if !status.is_empty() && status != "BOOK" {
        return Ok(());
    }
    let amt = entry.child("Amt").ok_or_else(|| {
        ImportProblem::new(
            entry.line,
            "amount",
            Code::MissingColumn,
            "an entry (Ntry) without its amount (Amt)",
        )
    })?;
    let amount = amount_of(amt, "Ntry/Amt")?;
    let direction = match entry.text_at("CdtDbtInd").as_str() {
        "CRDT" => Direction::Credit,
        "DBIT" => Direction::Debit,
        other => {
            return Err(ImportProblem::new(
                entry.line,
                "direction",
                Code::Invalid,
                "an entry's CdtDbtInd must be CRDT or DBIT",
            )
            .with("value", other))
        }
    };
    let date_text = ["BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm"]
        .iter()
        .map(|p| entry.text_at(p))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let booked_on = crate::dates::written(&date_text, crate::dates::DateFormat::Iso)
        .ok()
        .ok_or_else(|| {
            ImportProblem::new(
                entry.line,
                "date",
                Code::InvalidDate,
                "an entry without a booking date (BookgDt/Dt)",
            )
            .with("value", &date_text)
        })?;
    let reversal = matches!(entry.text_at("RvslInd").as_str(), "true" | "1");
    let entry_ref = {
        let r = entry.text_at("AcctSvcrRef");
        if r.is_empty() {
            entry.text_at("NtryRef")
        } else {
            r
        }
    };
    let txs: Vec<&Node> = entry
        .all("NtryDtls")
        .flat_map(|d| d.all("TxDtls"))
        .collect();
    let split = txs.len() > 1 && txs.iter().all(|t| t.child("Amt").is_some());
    let parties = |tx: Option<&Node>| {
        let related = tx.and_then(|t| t.child("RltdPties"));
        let (payer_role, payer_acct, own_acct) = match direction {
            Direction::Credit => ("Dbtr", "DbtrAcct", "CdtrAcct"),
            Direction::Debit => ("Cdtr", "CdtrAcct", "DbtrAcct"),
        };
        (
            party_name(related, payer_role),
            account_id(related.and_then(|r| r.child(payer_acct))),
            account_id(related.and_then(|r| r.child(own_acct))),
        )
    };
    let make = |tx: Option<&Node>, amount: Money, reference: String, line: u64| {
        let mut texts = Vec::new();
        if let Some(t) = tx {
            remittance(t, &mut texts);
        }
        let extra = entry.text_at("AddtlNtryInf");
        if !extra.is_empty() {
            texts.push(extra);
        }
        let (payer, payer_account, to_account) = parties(tx);
        ParsedLine {
            file_line: line,
            booked_on,
            direction,
            amount,
            text: texts.join(" "),
            payer,
            payer_account,
            to_account,
            reference,
            reversal,
        }
    };
    if split {
        for (i, tx) in txs.iter().enumerate() {
            let tx_amount = amount_of(tx.child("Amt").expect("checked above"), "TxDtls/Amt")?;
            let own = references(Some(tx));
            let reference = match (entry_ref.is_empty(), own.is_empty()) {
                (_, false) => own,
                (false, true) => format!("{entry_ref}/{}", i + 1),
                (true, true) => String::new(),
            };
            out.push(make(Some(tx), tx_amount, reference, tx.line));
        }
    } else {
        let tx = txs.first().copied();
        let reference = if entry_ref.is_empty() {
            references(tx)
        } else {
            entry_ref.clone()
        };
        out.push(make(tx, amount, reference, entry.line));
    }
    Ok(())
}

/// The statements of a CAMT.053 file, their booked lines in order.
pub fn parse(text: &str) -> Result<ParsedStatement, Vec<ImportProblem>> {
    let root = tree(text).map_err(|p| vec![p])?;
    let mut statements = Vec::new();
    for name in ["Stmt", "Rpt", "Ntfctn"] {
        if statements.is_empty() {
            root.find_all(name, &mut statements);
        }
    }
    if statements.is_empty() {
        return Err(vec![ImportProblem::new(
            1,
            "file",
            Code::UnknownFormat,
            "no statement (BkToCstmrStmt/Stmt) in the file: is it a CAMT.053 statement?",
        )]);
    }
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let mut parts = Vec::new();
    for st in statements {
        let before = lines.len();
        for entry in st.all("Ntry") {
            if let Err(p) = entry_lines(entry, &mut lines) {
                problems.push(p);
            }
        }
        parts.push((account_id(st.child("Acct")), lines.len() - before));
    }
    if problems.is_empty() {
        Ok(ParsedStatement {
            format: super::Format::Camt053,
            account: parts
                .iter()
                .map(|(a, _)| a.clone())
                .find(|a| !a.is_empty())
                .unwrap_or_default(),
            lines,
            statements: parts,
        })
    } else {
        Err(problems)
    }
}
