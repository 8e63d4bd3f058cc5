//! The database itself: create, demo, audit check, backup, restore (the recovery key read
//! from standard input, never from the command line) and the recovery key.

use super::say;
use std::io::Write;
use std::path::{Path, PathBuf};

use riskdesk_core::store::backups::{self, Kind};
use riskdesk_core::store::{self, DbKey};
use riskdesk_core::{audit, demo};

use super::{AuditCommand, CliResult};
use crate::keystore;
use crate::session;

/// The commands about the database file itself.
pub(super) enum StoreCommand {
    Init,
    Demo,
    Audit { command: AuditCommand },
    Backup { file: PathBuf },
    Restore { file: PathBuf, recovery_key: bool },
    RecoveryKey,
}

pub(super) fn run(db: &Path, command: StoreCommand) -> CliResult {
    match command {
        StoreCommand::Init => {
            let (_conn, key) = session::create(db)?;
            print_new_key(db, &key)?;
            Ok(())
        }
        StoreCommand::Demo => {
            let (mut conn, created) = if db.exists() {
                (session::connect(db)?, None)
            } else {
                let (c, k) = session::create(db)?;
                (c, Some(k))
            };
            let ctx = session::ctx();
            let tx = super::begin(&mut conn)?;
            let n = demo::load(&tx, &ctx, session::today())?;
            super::commit(tx, &ctx)?;
            if let Some(key) = created {
                print_new_key(db, &key)?;
            }
            say!(
                "Created the demo company: {n} customers in {}",
                db.display()
            );
            Ok(())
        }
        StoreCommand::Audit {
            command: AuditCommand::Verify,
        } => {
            let conn = session::connect(db)?;
            let v = audit::verify(&conn)?;
            match v.problem {
                None => {
                    say!(
                        "audit trail intact: {}",
                        riskdesk_core::english::count(v.rows, "row", "rows")
                    );
                    Ok(())
                }
                Some(p) => Err(format!("audit trail damaged: {p}").into()),
            }
        }
        StoreCommand::Backup { file } => {
            super::not_a_book_file(&file)?;
            let (mut conn, key) = session::open(db)?;
            store::backup(&conn, &key, &file)?;
            record(&mut conn, Kind::Backup, &file);
            say!(
                "backup written to {} (encrypted with the same key)",
                file.display()
            );
            Ok(())
        }
        StoreCommand::Restore { file, recovery_key } => {
            let key = if recovery_key {
                DbKey::parse(&read_secret("Recovery key of the backup: ")?)?
            } else {
                keystore::load(db)?
                    .ok_or_else(|| session::OpenError::KeyMissing(db.to_path_buf()))?
            };
            let previous = store::restore(&file, &key, db)?;
            keystore::save(db, &key)?;
            match store::open(db, &key) {
                Ok(mut conn) => record(&mut conn, Kind::Restore, &file),
                Err(e) => eprintln!("riskdesk: warning: the restore is done, but the book did not open to record it: {e}"),
            }
            say!("restored {} from {}", db.display(), file.display());
            if let Some(p) = previous {
                say!("the database it replaced is kept as {}", p.display());
            }
            Ok(())
        }
        StoreCommand::RecoveryKey => {
            let (_conn, key) = session::open(db)?;
            say!("{}", key.to_recovery());
            Ok(())
        }
    }
}

/// Writes a backup to, or a restore from, `file` into the book's audit trail (the window's
/// reminder to back up counts from it). A failure is a warning: the copy is written, or the
/// book restored, whatever the trail says.
fn record(conn: &mut rusqlite::Connection, kind: Kind, file: &Path) {
    let written = (|| -> CliResult {
        let tx = super::begin(conn)?;
        backups::record(&tx, &session::ctx(), kind, &file.display().to_string())?;
        tx.commit()?;
        Ok(())
    })();
    if let Err(e) = written {
        eprintln!(
            "riskdesk: warning: {} could not be recorded in the audit trail: {e}",
            file.display()
        );
    }
}

/// Reads a secret from standard input (after a prompt on standard error when it is a
/// terminal), so it never appears in the process list or the shell history.
fn read_secret(prompt: &str) -> Result<String, Box<dyn std::error::Error>> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let line = line.trim().to_string();
    if line.is_empty() {
        return Err("no recovery key was given on standard input".into());
    }
    Ok(line)
}

fn print_new_key(db: &Path, key: &DbKey) -> CliResult {
    say!("Created the encrypted database {}", db.display());
    say!("Its key is in this computer's keychain. Write this recovery key down and keep it safe:");
    say!("it opens the database or a backup of it on another computer.");
    say!();
    say!("    {}", key.to_recovery());
    say!();
    Ok(())
}
