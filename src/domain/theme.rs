//! How a site's widget looks: its color scheme and accent color.

use std::{fmt, str::FromStr};

/// Light, dark, or whichever the visitor's system prefers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorScheme {
    /// The visitor's system preference.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ColorScheme {
    /// The stored and written name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

impl FromStr for ColorScheme {
    type Err = ThemeError;

    fn from_str(name: &str) -> Result<Self, ThemeError> {
        [Self::Auto, Self::Light, Self::Dark]
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or(ThemeError::Scheme)
    }
}

/// A site's accent color (buttons, links, focus rings), `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccentColor(String);

impl AccentColor {
    /// The color as written in CSS, lowercase.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Black or white text, whichever reads better on the color (WCAG relative luminance).
    pub fn text_color(&self) -> &'static str {
        let channel = |i: usize| {
            let value = f64::from(u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if value <= 0.04045 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        // Where the contrast with black and with white is equal.
        if luminance > 0.179 {
            "#000000"
        } else {
            "#ffffff"
        }
    }
}

impl FromStr for AccentColor {
    type Err = ThemeError;

    fn from_str(written: &str) -> Result<Self, ThemeError> {
        let hex = written.strip_prefix('#').ok_or(ThemeError::Accent)?;
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ThemeError::Accent);
        }
        Ok(Self(format!("#{}", hex.to_ascii_lowercase())))
    }
}

impl fmt::Display for AccentColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A site's look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Theme {
    /// Light, dark or automatic.
    pub scheme: ColorScheme,
    /// The accent color; the widget's own blue when unset.
    pub accent: Option<AccentColor>,
}

impl Theme {
    /// The CSS custom properties the accent sets (see `style/main.css`), if there is one.
    pub fn css_variables(&self) -> Option<String> {
        self.accent
            .as_ref()
            .map(|color| format!("--accent: {color}; --accent-text: {}", color.text_color()))
    }
}

/// Why a theme setting was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    /// Not one of the schemes.
    #[error("the color scheme must be auto, light or dark")]
    Scheme,
    /// Not a `#rrggbb` color.
    #[error("the accent color must be written #rrggbb, e.g. #0a66c2")]
    Accent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accent_colors_are_six_hex_digits() {
        assert_eq!(
            "#0A66C2".parse::<AccentColor>().unwrap().as_str(),
            "#0a66c2"
        );
        for bad in [
            "0a66c2",
            "#0a66c",
            "#0a66c2ff",
            "#gggggg",
            "red",
            "#0a66c2;x:y",
            "",
        ] {
            assert_eq!(bad.parse::<AccentColor>(), Err(ThemeError::Accent), "{bad}");
        }
    }

    #[test]
    fn text_on_the_accent_is_whichever_contrasts_more() {
        let text = |c: &str| c.parse::<AccentColor>().unwrap().text_color();
        assert_eq!(text("#0a66c2"), "#ffffff");
        assert_eq!(text("#ffd400"), "#000000");
        assert_eq!(text("#000000"), "#ffffff");
        assert_eq!(text("#ffffff"), "#000000");
    }

    #[test]
    fn schemes_read_their_names() {
        assert_eq!("dark".parse(), Ok(ColorScheme::Dark));
        assert_eq!("Dark".parse::<ColorScheme>(), Err(ThemeError::Scheme));
    }
}
