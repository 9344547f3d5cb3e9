//! Polish.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Pl,
    verify_title: "Potwierdź swój numer telefonu",
    lead: "{site} dowie się, że ten numer należy do Ciebie.",
    country: "Kraj",
    phone_number: "Numer telefonu",
    get_the_code: "Odbiór kodu",
    by_sms: "SMS-em",
    by_app: "Z mojej aplikacji uwierzytelniającej",
    send_code: "Wyślij kod",

    enter_code_title: "Wpisz kod",
    code_from_app: "Wpisz kod wyświetlany przez aplikację uwierzytelniającą.",
    code_sent_by_sms: "Wysłaliśmy kod SMS-em na numer {phone}.",
    code: "Kod",
    tries_left: Plural::one_other("Została 1 próba.", "Zostało {n} próby.")
        .few("Zostały {n} próby.")
        .many("Zostało {n} prób."),
    code_works_for: Plural::one_other(
        "Kod jest ważny jeszcze przez 1 minutę.",
        "Kod jest ważny jeszcze przez {n} minuty.",
    )
    .few("Kod jest ważny jeszcze przez {n} minuty.")
    .many("Kod jest ważny jeszcze przez {n} minut."),
    verify: "Potwierdź",
    send_new_code: "Wyślij nowy kod",
    send_new_code_in: "Wyślij nowy kod za {s} s",
    change_number: "Zmień numer",
    cancel: "Anuluj",

    verified_title: "Twój numer został potwierdzony",
    cancelled_title: "Potwierdzanie anulowane",
    done: "Gotowe.",
    taking_you_back: "Wracasz do {site}…",
    continue_to: "Przejdź do {site}",
    expired_title: "To potwierdzenie wygasło",
    start_again: "Zacznij od nowa na stronie, z której przyszedłeś.",
    locked_title: "Zbyt wiele błędnych kodów",
    locked_body: "Dla Twojego bezpieczeństwa to potwierdzenie zostało zablokowane. Zacznij od nowa na stronie, z której przyszedłeś.",
    verification: "Potwierdzenie",
    test_mode: "Tryb testowy: żaden SMS nie jest wysyłany. Kod to {code}.",

    no_session: "Ten link do potwierdzenia jest nieprawidłowy. Zacznij od nowa na stronie, z której przyszedłeś.",
    ended: "To potwierdzenie się zakończyło. Zacznij od nowa na stronie, z której przyszedłeś.",
    out_of_step: "Ta strona była nieaktualna; oto Twój bieżący krok.",
    wrong_code: "Ten kod jest nieprawidłowy.",
    code_expired: "Ten kod wygasł. Poproś o nowy.",
    code_replaced: "Ten kod jest już nieważny. Wyślij nowy.",
    wait_seconds: Plural::one_other(
        "Zaczekaj 1 sekundę, zanim poprosisz o kolejny kod.",
        "Zaczekaj {n} sekundy, zanim poprosisz o kolejny kod.",
    )
    .few("Zaczekaj {n} sekundy, zanim poprosisz o kolejny kod.")
    .many("Zaczekaj {n} sekund, zanim poprosisz o kolejny kod."),
    wait_minutes: Plural::one_other(
        "Zbyt wiele prób: spróbuj ponownie za 1 minutę.",
        "Zbyt wiele prób: spróbuj ponownie za {n} minuty.",
    )
    .few("Zbyt wiele prób: spróbuj ponownie za {n} minuty.")
    .many("Zbyt wiele prób: spróbuj ponownie za {n} minut."),
    too_many_codes: "Zbyt wiele prób. Zacznij od nowa na stronie, z której przyszedłeś.",
    cannot_send_to: "Nie możemy wysłać kodu na ten numer.",
    use_app:
        "Nie możemy teraz wysłać SMS-a. Użyj zamiast tego kodu z aplikacji uwierzytelniającej.",
    unavailable: "Nie udało się połączyć z usługą potwierdzania. Spróbuj ponownie za chwilę.",

    phone_empty: "Wpisz swój numer telefonu.",
    phone_too_long: "To za długie jak na numer telefonu.",
    phone_not_a_number: "Używaj tylko cyfr, na przykład +48 512 345 678.",
    phone_needs_country_code: "Dodaj kierunkowy kraju zaczynający się od + albo wybierz kraj.",
    phone_invalid: "To nie jest prawidłowy numer telefonu. Sprawdź cyfry i kraj.",
    unknown_country: "Nie znamy kraju „{country}”. Wybierz kraj z listy.",
    code_empty: "Wpisz kod, który Ci wysłaliśmy.",
    code_not_digits: "Kod składa się tylko z cyfr.",
    code_length: "Kod ma od {min} do {max} cyfr.",

    sms_code: "Twój kod {site} to {code}",
};
