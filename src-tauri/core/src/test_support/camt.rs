//! CAMT.053 statements written for a test: booked entries in New Taiwan dollars.

/// One booked entry: its amount (`12345.00`), `CRDT` or `DBIT`, whether the bank reverses an
/// earlier entry (`RvslInd`), its day, the bank's reference, the remittance text, and the
/// other party's name and account (both "" for none).
pub fn entry(
    amount: &str,
    dir: &str,
    reversal: bool,
    day: &str,
    reference: &str,
    text: &str,
    (name, account): (&str, &str),
) -> String {
    let (party, acct) = if dir == "CRDT" {
        ("Dbtr", "DbtrAcct")
    } else {
        ("Cdtr", "CdtrAcct")
    };
    let parties = if name.is_empty() && account.is_empty() {
        String::new()
    } else {
        format!(
            "<RltdPties><{party}><Nm>{name}</Nm></{party}>\
             <{acct}><Id><Othr><Id>{account}</Id></Othr></Id></{acct}></RltdPties>"
        )
    };
    format!(
        "<Ntry><Amt Ccy=\"TWD\">{amount}</Amt><CdtDbtInd>{dir}</CdtDbtInd>{}\
         <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{reference}</AcctSvcrRef>\
         <NtryDtls><TxDtls>{parties}<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>",
        if reversal {
            "<RvslInd>true</RvslInd>"
        } else {
            ""
        }
    )
}

/// A statement of account 808-0123456789 holding the entries.
pub fn statement(entries: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\
         <BkToCstmrStmt><Stmt><Id>S</Id><Acct><Id><Othr><Id>808-0123456789</Id></Othr></Id></Acct>{}\
         </Stmt></BkToCstmrStmt></Document>",
        entries.concat()
    )
}
