//! Digits as visitors' keyboards type them.

/// The ASCII digit for a digit a visitor's keyboard may type instead: Arabic-Indic (Arabic,
/// Urdu), Extended Arabic-Indic (Persian) and full-width (Chinese and Japanese input methods),
/// as libphonenumber reads them in numbers. Anything else is left as it is.
pub fn ascii_digit(c: char) -> char {
    let zero = match c {
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{FF10}'..='\u{FF19}' => 0xFF10,
        _ => return c,
    };
    char::from(b'0' + (u32::from(c) - zero) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_keyboards_digits_read_as_ascii_and_nothing_else_changes() {
        let read = |text: &str| text.chars().map(ascii_digit).collect::<String>();
        assert_eq!(read("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(read("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(read("０１２３４５６７８９"), "0123456789");
        assert_eq!(read("+1 (a)-²"), "+1 (a)-²");
    }
}
