//! Croatian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Hr,
    verify_title: "Potvrdite svoj broj telefona",
    lead: "{site} će znati da je ovaj broj vaš.",
    country: "Država",
    phone_number: "Broj telefona",
    get_the_code: "Primanje koda",
    by_sms: "SMS-om",
    by_app: "Iz moje aplikacije za autentifikaciju",
    send_code: "Pošalji kod",

    enter_code_title: "Unesite kod",
    code_from_app: "Unesite kod koji prikazuje vaša aplikacija za autentifikaciju.",
    code_sent_by_sms: "Poslali smo kod SMS-om na {phone}.",
    code: "Kod",
    tries_left: Plural::one_other("Preostao je {n} pokušaj.", "Preostalo je {n} pokušaja.")
        .few("Preostala su {n} pokušaja."),
    code_works_for: Plural::one_other(
        "Kod vrijedi još {n} minutu.",
        "Kod vrijedi još {n} minuta.",
    )
    .few("Kod vrijedi još {n} minute."),
    verify: "Potvrdi",
    send_new_code: "Pošalji novi kod",
    send_new_code_in: "Pošalji novi kod za {s} s",
    change_number: "Promijeni broj",
    cancel: "Odustani",

    verified_title: "Vaš je broj potvrđen",
    cancelled_title: "Potvrda je otkazana",
    done: "Gotovo.",
    taking_you_back: "Vraćamo vas na {site}…",
    continue_to: "Nastavi na {site}",
    expired_title: "Ova je potvrda istekla",
    start_again: "Počnite ispočetka na stranici s koje ste došli.",
    locked_title: "Previše pogrešnih kodova",
    locked_body: "Radi vaše sigurnosti ova je potvrda zaključana. Počnite ispočetka na stranici s koje ste došli.",
    verification: "Potvrda",
    test_mode: "Testni način: SMS se ne šalje. Kod je {code}.",

    no_session: "Ova poveznica za potvrdu nije valjana. Počnite ispočetka na stranici s koje ste došli.",
    ended: "Ova je potvrda završena. Počnite ispočetka na stranici s koje ste došli.",
    out_of_step: "Ova je stranica bila zastarjela; ovo je vaš trenutačni korak.",
    wrong_code: "Taj kod nije točan.",
    code_expired: "Taj je kod istekao. Zatražite novi.",
    code_replaced: "Ovaj kod više ne vrijedi. Pošaljite novi.",
    wait_seconds: Plural::one_other(
        "Pričekajte {n} sekundu prije nego što zatražite novi kod.",
        "Pričekajte {n} sekundi prije nego što zatražite novi kod.",
    )
    .few("Pričekajte {n} sekunde prije nego što zatražite novi kod."),
    wait_minutes: Plural::one_other(
        "Previše pokušaja: pokušajte ponovno za {n} minutu.",
        "Previše pokušaja: pokušajte ponovno za {n} minuta.",
    )
    .few("Previše pokušaja: pokušajte ponovno za {n} minute."),
    too_many_codes: "Previše pokušaja. Počnite ispočetka na stranici s koje ste došli.",
    cannot_send_to: "Na ovaj broj ne možemo poslati kod.",
    use_app:
        "Trenutačno ne možemo poslati SMS. Kod potražite u svojoj aplikaciji za autentifikaciju.",
    unavailable: "Usluga potvrde nije dostupna. Pokušajte ponovno za trenutak.",

    phone_empty: "Unesite svoj broj telefona.",
    phone_too_long: "To je predugo za broj telefona.",
    phone_not_a_number: "Koristite samo znamenke, na primjer +385 91 234 5678.",
    phone_needs_country_code: "Dodajte pozivni broj države koji počinje s + ili odaberite državu.",
    phone_invalid: "To nije valjan broj telefona. Provjerite znamenke i državu.",
    unknown_country: "Ne poznajemo državu „{country}”. Odaberite je s popisa.",
    code_empty: "Unesite kod koji smo vam poslali.",
    code_not_digits: "Kod sadrži samo znamenke.",
    code_length: "Kod ima od {min} do {max} znamenki.",

    sms_code: "Vaš kod za {site} je {code}",
};
