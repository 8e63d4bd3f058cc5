//! Ledger files chosen together (a year of monthly exports, or a ZIP archive of them):
//! imported one after another in one transaction, all or nothing; each problem names its
//! file, inside the archive too; the same files again change nothing.

mod books;

use books::*;

use riskdesk_core::error::Code;
use riskdesk_core::import::{self, ImportSummary};
use riskdesk_core::test_support::zip::{archive, Entry};
use riskdesk_core::test_support::{first_problem, scalar};
use riskdesk_core::Error;
use rusqlite::Connection;

/// A month's invoices to Acme: `rows` of them, cents that differ, one of a few cents.
fn month(m: u32, rows: u32) -> Vec<u8> {
    let mut s = String::from("number,customer,issued_on,currency,description,unit_price\n");
    for i in 1..=rows {
        let price = if i == 1 {
            "0.03".into()
        } else {
            format!("{}.{:02}", 90 + i, i)
        };
        s += &format!(
            "INV-{m:02}-{i},Acme Trading Ltd,2026-{m:02}-{:02},TWD,Azure plan,{price}\n",
            i % 28 + 1
        );
    }
    s.into_bytes()
}

/// What `month(m, rows)` bills, in cents.
fn billed(months: &[(u32, u32)]) -> i64 {
    let each = |i: u32| {
        if i == 1 {
            3
        } else {
            i64::from((90 + i) * 100 + i)
        }
    };
    months
        .iter()
        .map(|&(_, rows)| (1..=rows).map(each).sum::<i64>())
        .sum()
}

fn together(
    conn: &mut Connection,
    files: &[(&str, Vec<u8>)],
    payments: bool,
) -> Result<ImportSummary, Error> {
    let read = files.iter().map(|(n, b)| Ok((n.to_string(), b.clone())));
    committed(conn, |tx| {
        import::import_each(read, |name, data| match payments {
            true => import::import_payments(tx, &ctx(), name, data, |_, _| {}),
            false => import::import_invoices(tx, &ctx(), name, data, |_, _| {}),
        })
    })
}

fn book_totals(conn: &Connection) -> (i64, i64, i64) {
    (
        scalar(conn, "SELECT count(*) FROM invoices"),
        scalar(conn, "SELECT coalesce(sum(total_minor), 0) FROM invoices"),
        scalar(conn, "SELECT count(*) FROM audit"),
    )
}

#[test]
fn a_year_of_monthly_invoice_files_chosen_together_or_zipped_is_imported_once() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "Acme Trading Ltd", "");
    let months = [(1, 40), (2, 1), (3, 25)];
    let files: Vec<(String, Vec<u8>)> = months
        .iter()
        .map(|&(m, rows)| (format!("2026-{m:02}.csv"), month(m, rows)))
        .collect();
    let chosen: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let s = together(&mut conn, &chosen, false).unwrap();
    assert_eq!((s.rows, s.created, s.unchanged), (66, 66, 0));
    // Every invoice of every file, each cent of them: the book bills what the files do.
    let (count, total, audit) = book_totals(&conn);
    assert_eq!((count, total), (66, billed(&months)));
    // Packed in one archive (with a folder and a Mac's copies), or one month chosen twice:
    // nothing new.
    let entries: Vec<Entry> = files
        .iter()
        .flat_map(|(n, b)| {
            [
                Entry::deflated(&format!("exports/{n}"), b),
                Entry::deflated(&format!("__MACOSX/exports/._{n}"), b"\0\x05\x16\x07"),
            ]
        })
        .collect();
    let zip = archive(&entries);
    let s = together(&mut conn, &[("2026.zip", zip.clone())], false).unwrap();
    assert_eq!((s.rows, s.created, s.unchanged), (66, 0, 66));
    let twice = [("a.csv", month(2, 1)), ("copy of a.csv", month(2, 1))];
    let s = together(&mut conn, &twice, false).unwrap();
    assert_eq!((s.rows, s.created, s.unchanged), (2, 0, 2));
    assert_eq!(book_totals(&conn), (count, total, audit));

    // Into a new book, the archive alone is the same invoices.
    let (_db2, mut fresh) = new_db();
    add(&mut fresh, "Acme Trading Ltd", "");
    let s = together(&mut fresh, &[("2026.zip", zip)], false).unwrap();
    assert_eq!(s.created, 66);
    let (fresh_count, fresh_total, _) = book_totals(&fresh);
    assert_eq!((fresh_count, fresh_total), (count, total));
}

#[test]
fn a_problem_in_one_file_of_several_names_it_and_nothing_is_written() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "Acme Trading Ltd", "");
    let before = book_totals(&conn);
    let mut bad = month(2, 3);
    bad.extend_from_slice(b"INV-02-X,Acme Trading Ltd,2026-02-30,TWD,Azure plan,1\n");
    // Chosen as files: the second named with its own line; the first not written.
    let e = together(
        &mut conn,
        &[("2026-01.csv", month(1, 5)), ("2026-02.csv", bad.clone())],
        false,
    )
    .unwrap_err();
    let Error::Import { file, problems } = e else {
        panic!("an import error: {e}");
    };
    assert_eq!((file.as_str(), problems[0].line), ("2026-02.csv", 5));
    assert_eq!(problems[0].field, "issued_on");
    assert_eq!(book_totals(&conn), before);
    // Packed: named in the archive.
    let zip = archive(&[
        Entry::deflated("2026-01.csv", &month(1, 5)),
        Entry::stored("2026-02.csv", &bad),
    ]);
    let e = together(&mut conn, &[("2026.zip", zip)], false).unwrap_err();
    assert!(e.to_string().contains("2026.zip/2026-02.csv:5"), "{e}");
    assert_eq!(book_totals(&conn), before);
    // An archive cut short (a download stopped) right after a file, or in the list of its
    // files at its end: refused, never read as the files before the cut; nothing written.
    let whole = archive(&[
        Entry::deflated("2026-01.csv", &month(1, 5)),
        Entry::deflated("2026-02.csv", &month(2, 5)),
    ]);
    let second = whole.windows(4).rposition(|w| w == b"PK\x03\x04").unwrap();
    for cut in [second, whole.len() - 40, whole.len() - 1] {
        let e = together(&mut conn, &[("2026.zip", whole[..cut].to_vec())], false).unwrap_err();
        let Error::Import { file, problems } = e else {
            panic!("an import error at {cut}: {e}");
        };
        assert_eq!(file, "2026.zip");
        assert_eq!(problems[0].code, Code::ZipCutShort, "{problems:?}");
        let after = if cut == second {
            "2026-01.csv"
        } else {
            "2026-02.csv"
        };
        assert_eq!(
            problems[0].params.get("name").map(String::as_str),
            Some(after)
        );
    }
    assert_eq!(book_totals(&conn), before);
    // A file past the bound, read cut at it (as the window and the command line read): named
    // too large, not an archive cut short. (Zeroed pages: never touched, never resident.)
    let mut huge = vec![0u8; import::MAX_LEDGER_BYTES as usize + 1];
    huge[..4].copy_from_slice(b"PK\x03\x04");
    let r = import::import_each([Ok(("big.zip".to_string(), huge))], |_, _| {
        panic!("read a file past the bound")
    });
    assert_eq!(first_problem(r), (1, "file".into(), Code::FileTooLarge));
    // Nothing chosen: asked for.
    let e = together(&mut conn, &[], false).unwrap_err();
    assert!(
        matches!(&e, Error::Validation(f) if f[0].field == "file" && f[0].code == Code::Required),
        "{e:?}"
    );
}

#[test]
fn payments_of_several_files_pay_the_invoices_of_the_files_before_them() {
    let (_db, mut conn) = new_db();
    add(&mut conn, "Acme Trading Ltd", "");
    together(&mut conn, &[("2026-01.csv", month(1, 3))], false).unwrap();
    let paid = |text: &str| {
        format!("reference,customer,received_on,amount,currency,invoice\n{text}").into_bytes()
    };
    let files = [
        (
            "bank-01.csv",
            paid("P-1,Acme Trading Ltd,2026-01-20,0.03,TWD,INV-01-1\n"),
        ),
        (
            "bank-02.csv",
            paid("P-2,Acme Trading Ltd,2026-02-20,92.02,TWD,INV-01-2\n"),
        ),
    ];
    let s = together(&mut conn, &files, true).unwrap();
    assert_eq!((s.rows, s.created), (2, 2));
    let received = "SELECT coalesce(sum(amount_minor), 0) FROM payments";
    assert_eq!(scalar::<i64>(&conn, received), 3 + 9202);
    let s = together(&mut conn, &files, true).unwrap();
    assert_eq!((s.created, s.unchanged), (0, 2));
    assert_eq!(scalar::<i64>(&conn, received), 3 + 9202);
}
