use riskdesk_core::customer::{AdminAccess, Language, OnboardingItem, PaymentInstrument, Status};
use riskdesk_core::error::FieldError;
use riskdesk_core::money::Currency;
use riskdesk_core::store::settings;
use riskdesk_core::subscription::{Reason, COMMON_OFFERS};
use riskdesk_core::{customer, demo};
use serde::Serialize;
use tauri::State;

use crate::error::{ApiError, Kind};
use crate::session::{self as db, OpenError};
use crate::state::{AppState, Open};

#[derive(Serialize)]
pub struct AppStatus {
    /// "new" (no database yet), "locked" (key missing or wrong) or "ready".
    state: &'static str,
    db_path: String,
    language: Option<String>,
    message: Option<String>,
    customers: i64,
}

/// Opens the database if it can, and says which screen to show.
#[tauri::command]
pub async fn get_app_status(state: State<'_, AppState>) -> Result<AppStatus, ApiError> {
    state
        .with_slot(|slot, path| {
            let db_path = path.display().to_string();
            if slot.is_none() {
                if !path.exists() {
                    return Ok(AppStatus {
                        state: "new",
                        db_path,
                        language: None,
                        message: None,
                        customers: 0,
                    });
                }
                match db::open(&path) {
                    Ok((conn, key)) => *slot = Some(Open { conn, key }),
                    Err(
                        e @ (OpenError::KeyMissing(_)
                        | OpenError::Core(riskdesk_core::Error::WrongKey)),
                    ) => {
                        return Ok(AppStatus {
                            state: "locked",
                            db_path,
                            language: None,
                            message: Some(e.to_string()),
                            customers: 0,
                        })
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            let open = slot
                .as_ref()
                .ok_or_else(|| ApiError::new(Kind::Internal, "not open"))?;
            Ok(AppStatus {
                state: "ready",
                db_path,
                language: settings::get(&open.conn, "language")?,
                message: None,
                customers: customer::count(&open.conn)?,
            })
        })
        .await
}

#[derive(Serialize)]
pub struct Created {
    recovery_key: String,
}

/// Creates the encrypted database (optionally with the demo company) and returns the
/// recovery key to show once.
#[tauri::command]
pub async fn create_database(
    state: State<'_, AppState>,
    demo: bool,
    language: String,
) -> Result<Created, ApiError> {
    let language = Language::field("language", &language)?;
    state
        .with_slot(move |slot, path| {
            if slot.is_some() || path.exists() {
                return Err(ApiError::new(Kind::Conflict, "the database already exists"));
            }
            let (mut conn, key) = db::create(&path)?;
            let ctx = db::ctx();
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(riskdesk_core::Error::from)?;
            settings::set(&tx, &ctx, "language", language.as_str())?;
            if demo {
                demo::load(&tx, &ctx, db::today())?;
            }
            tx.commit().map_err(riskdesk_core::Error::from)?;
            let recovery_key = key.to_recovery();
            *slot = Some(Open { conn, key });
            Ok(Created { recovery_key })
        })
        .await
}

/// Opens a database whose key is not in the keychain with the recovery key.
#[tauri::command]
pub async fn unlock_database(
    state: State<'_, AppState>,
    recovery_key: String,
) -> Result<(), ApiError> {
    if recovery_key.len() > 200 {
        return Err(FieldError::too_long("recovery_key", 200).into());
    }
    state
        .with_slot(move |slot, path| {
            let (conn, key) = db::unlock(&path, &recovery_key)?;
            *slot = Some(Open { conn, key });
            Ok(())
        })
        .await
}

/// Checks the audit trail's chain, as `riskdesk audit verify` does, through the reading
/// connection: every row's hash, its link to the row before and the recorded end.
#[tauri::command]
pub async fn verify_audit_trail(
    state: State<'_, AppState>,
) -> Result<riskdesk_core::audit::Verification, ApiError> {
    state
        .with_read(|conn, _| Ok(riskdesk_core::audit::verify(conn)?))
        .await
}

/// The recovery key again (the window asks for confirmation first).
#[tauri::command]
pub async fn show_recovery_key(state: State<'_, AppState>) -> Result<String, ApiError> {
    state.with_db(|o| Ok(o.key.to_recovery())).await
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: String) -> Result<(), ApiError> {
    let language = Language::field("language", &language)?;
    state
        .with_db(move |o| {
            o.write(|tx| {
                Ok(settings::set(
                    tx,
                    &db::ctx(),
                    "language",
                    language.as_str(),
                )?)
            })
        })
        .await
}

#[derive(Serialize)]
pub struct ReferenceData {
    currencies: Vec<Currency>,
    /// How each currency is written, from the table letters use: the window formats and
    /// parses amounts with these digits, never with what its own `Intl` believes (which
    /// gives IDR, HUF or PKR no decimals and so would show Rp1,234.50 as Rp123,450).
    money_formats: Vec<MoneyFormat>,
    statuses: &'static [Status],
    payment_instruments: &'static [PaymentInstrument],
    admin_access: &'static [AdminAccess],
    languages: &'static [Language],
    onboarding_items: &'static [OnboardingItem],
    reasons: &'static [Reason],
    offers: &'static [&'static str],
    today: String,
    /// The e-mail a level is sent with when it has none of its own.
    email_defaults: EmailDefaults,
    /// How a payment arrived, in English and Chinese (`bank transfer`, `銀行轉帳`): the
    /// window shows a method in its own language, as statements do.
    payment_methods: Vec<[&'static str; 2]>,
}

#[derive(Serialize)]
pub struct MoneyFormat {
    code: &'static str,
    exponent: u32,
    symbol: &'static str,
}

#[derive(Serialize)]
pub struct EmailDefaults {
    subject_en: &'static str,
    subject_zh: &'static str,
    body_en: &'static str,
    body_zh: &'static str,
}

/// The closed lists the forms offer, from the one place that defines them.
#[tauri::command]
pub fn get_reference_data() -> ReferenceData {
    ReferenceData {
        currencies: Currency::all(),
        money_formats: Currency::all()
            .into_iter()
            .map(|c| MoneyFormat {
                code: c.code(),
                exponent: c.exponent(),
                symbol: c.symbol(),
            })
            .collect(),
        statuses: Status::ALL,
        payment_instruments: PaymentInstrument::ALL,
        admin_access: AdminAccess::ALL,
        languages: Language::ALL,
        onboarding_items: OnboardingItem::ALL,
        reasons: Reason::ALL,
        offers: COMMON_OFFERS,
        payment_methods: riskdesk_core::receivables::method_words()
            .iter()
            .map(|(en, zh)| [*en, *zh])
            .collect(),
        today: db::today().format("%Y-%m-%d").to_string(),
        email_defaults: EmailDefaults {
            subject_en: riskdesk_core::collections::policies::EMAIL_SUBJECT_EN,
            subject_zh: riskdesk_core::collections::policies::EMAIL_SUBJECT_ZH,
            body_en: riskdesk_core::collections::policies::EMAIL_BODY_EN,
            body_zh: riskdesk_core::collections::policies::EMAIL_BODY_ZH,
        },
    }
}
