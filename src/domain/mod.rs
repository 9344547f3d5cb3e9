//! Pure domain types shared by the server and the browser: no web framework in here.

mod country;
mod destination;
mod digit;
mod phone_number;
mod pin;
mod session;
mod theme;

pub use country::{CountryCode, CountryCodeError};
pub use destination::{Destination, NON_GEOGRAPHIC_CODES};
pub use digit::ascii_digit;
pub use phone_number::{PhoneNumber, PhoneNumberError};
pub use pin::{Pin, PinError};
pub use session::{InvalidSessionId, SessionId, SessionStatus};
pub use theme::{AccentColor, ColorScheme, Theme, ThemeError};
