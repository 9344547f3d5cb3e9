//! Latvian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Lv,
    verify_title: "Apstipriniet savu tālruņa numuru",
    lead: "{site} uzzinās, ka šis numurs ir jūsu.",
    country: "Valsts",
    phone_number: "Tālruņa numurs",
    get_the_code: "Koda saņemšana",
    by_sms: "Ar īsziņu",
    by_app: "No manas autentifikācijas lietotnes",
    send_code: "Sūtīt kodu",

    enter_code_title: "Ievadiet kodu",
    code_from_app: "Ievadiet kodu, ko rāda jūsu autentifikācijas lietotne.",
    code_sent_by_sms: "Mēs nosūtījām kodu ar īsziņu uz {phone}.",
    code: "Kods",
    tries_left: Plural::one_other("Atlicis {n} mēģinājums.", "Atlikuši {n} mēģinājumi.")
        .zero("Atlikuši {n} mēģinājumi."),
    code_works_for: Plural::one_other(
        "Kods ir derīgs vēl {n} minūti.",
        "Kods ir derīgs vēl {n} minūtes.",
    )
    .zero("Kods ir derīgs vēl {n} minūtes."),
    verify: "Apstiprināt",
    send_new_code: "Sūtīt jaunu kodu",
    send_new_code_in: "Sūtīt jaunu kodu pēc {s} s",
    change_number: "Mainīt numuru",
    cancel: "Atcelt",

    verified_title: "Jūsu numurs ir apstiprināts",
    cancelled_title: "Apstiprināšana atcelta",
    done: "Gatavs.",
    taking_you_back: "Atgriežamies vietnē {site}…",
    continue_to: "Turpināt uz {site}",
    expired_title: "Šīs apstiprināšanas derīgums ir beidzies",
    start_again: "Sāciet no jauna vietnē, no kuras atnācāt.",
    locked_title: "Pārāk daudz nepareizu kodu",
    locked_body: "Jūsu drošībai šī apstiprināšana ir bloķēta. Sāciet no jauna vietnē, no kuras atnācāt.",
    verification: "Apstiprināšana",
    test_mode: "Testa režīms: īsziņa netiek sūtīta. Kods ir {code}.",

    no_session: "Šī apstiprināšanas saite nav derīga. Sāciet no jauna vietnē, no kuras atnācāt.",
    ended: "Šī apstiprināšana ir beigusies. Sāciet no jauna vietnē, no kuras atnācāt.",
    out_of_step: "Šī lapa bija novecojusi; šeit ir jūsu pašreizējais solis.",
    wrong_code: "Šis kods nav pareizs.",
    code_expired: "Šī koda derīgums ir beidzies. Pieprasiet jaunu.",
    code_replaced: "Šis kods vairs nav derīgs. Nosūtiet jaunu.",
    wait_seconds: Plural::one_other(
        "Lūdzu, uzgaidiet {n} sekundi, pirms pieprasāt vēl vienu kodu.",
        "Lūdzu, uzgaidiet {n} sekundes, pirms pieprasāt vēl vienu kodu.",
    )
    .zero("Lūdzu, uzgaidiet {n} sekundes, pirms pieprasāt vēl vienu kodu."),
    wait_minutes: Plural::one_other(
        "Pārāk daudz mēģinājumu: mēģiniet vēlreiz pēc {n} minūtes.",
        "Pārāk daudz mēģinājumu: mēģiniet vēlreiz pēc {n} minūtēm.",
    )
    .zero("Pārāk daudz mēģinājumu: mēģiniet vēlreiz pēc {n} minūtēm."),
    too_many_codes: "Pārāk daudz mēģinājumu. Sāciet no jauna vietnē, no kuras atnācāt.",
    cannot_send_to: "Uz šo numuru mēs nevaram nosūtīt kodu.",
    use_app: "Pašlaik nevaram nosūtīt īsziņu. Kodu atradīsiet savā autentifikācijas lietotnē.",
    unavailable: "Neizdevās sazināties ar apstiprināšanas pakalpojumu. Lūdzu, mēģiniet vēlreiz pēc brīža.",

    phone_empty: "Ievadiet savu tālruņa numuru.",
    phone_too_long: "Tas ir pārāk garš tālruņa numuram.",
    phone_not_a_number: "Izmantojiet tikai ciparus, piemēram, +371 2123 4567.",
    phone_needs_country_code: "Pievienojiet valsts kodu, kas sākas ar +, vai izvēlieties valsti.",
    phone_invalid: "Tas nav derīgs tālruņa numurs. Pārbaudiet ciparus un valsti.",
    unknown_country: "Mēs nezinām valsti “{country}”. Izvēlieties to no saraksta.",
    code_empty: "Ievadiet kodu, ko jums nosūtījām.",
    code_not_digits: "Kodā ir tikai cipari.",
    code_length: "Kodā ir no {min} līdz {max} cipariem.",

    sms_code: "Jūsu {site} kods ir {code}",
};
