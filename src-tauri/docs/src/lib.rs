//! RiskDesk documents: dunning letters, the collections policy, payment plan agreements,
//! statements of account and the risk reports, as PDF in English or Traditional Chinese, A4 or US Letter. Fonts are
//! embedded as subsets, so a letter prints on any computer and stays small, and its
//! text can be extracted.

mod cff;
mod embed;
mod finish;
pub mod font;
pub mod layout;
pub mod letters;
mod pdf_id;
pub mod plans;
pub mod risk;
pub mod shape;
pub mod statements;
mod wrap;

pub use layout::Paper;
pub use letters::{dunning_letter, dunning_letters_combined, policy_document, Letterhead};
pub use plans::plan_agreement;
pub use printpdf::RawImage;
pub use risk::{customer_risk_report, portfolio_risk_report};
pub use statements::statement_document;
