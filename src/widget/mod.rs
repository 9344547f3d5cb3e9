//! The verification widget: the hosted page, its steps, and their server functions.

mod phone_step;
mod verify_page;

pub use phone_step::{check_phone, CheckPhone, PhoneFieldError, PhoneForm, PhoneSubmission};
pub use verify_page::VerifyPage;

use crate::domain::CountryCode;
use serde::{Deserialize, Serialize};

/// Widget options that pages read while rendering (the `[widget]` table of `Leptos.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct WidgetSettings {
    /// Country preselected in the picker: national numbers are read in it.
    pub default_country: CountryCode,
}

#[cfg(feature = "ssr")]
pub use phone_step::post_verify_form;
