//! The verification widget: the hosted page, its steps, and their server functions.

#[cfg(any(feature = "hydrate", test))]
mod calling_code;
#[cfg(feature = "ssr")]
mod countries;
#[cfg(feature = "hydrate")]
pub mod enhance;
#[cfg(feature = "ssr")]
pub mod flow;
mod page_policy;
#[cfg(feature = "hydrate")]
mod patch;
mod phone_step;
mod session_page;
mod steps;
mod verify_page;
mod view;
#[cfg(feature = "hydrate")]
mod web_otp;

pub use page_policy::set_page_policy;
#[cfg(feature = "ssr")]
pub use phone_step::read_phone_fields;
pub use phone_step::{check_phone, PhoneFieldError, PhoneForm, PhoneSubmission};
pub use session_page::{SessionPage, ShownSession};
pub use steps::StepUnavailable;
pub use verify_page::{RefusalPage, VerifyPage};
pub use view::{BrowserReturn, FlowError, FlowView};

use crate::domain::CountryCode;
use serde::Serialize;

/// Widget options that pages read while rendering (the `[widget]` table of `Leptos.toml`,
/// read on the server only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ssr", derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct WidgetSettings {
    /// Country preselected in the picker: national numbers are read in it.
    pub default_country: CountryCode,
}

/// The server's configured public origin (`[server] public-url`), for what the steps hand out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin(pub Option<String>);

/// Why a verification request was refused, for the page that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRefused(pub String);
