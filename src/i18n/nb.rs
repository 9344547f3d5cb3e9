//! Norwegian Bokmål.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Nb,
    verify_title: "Bekreft telefonnummeret ditt",
    lead: "{site} får vite at dette nummeret er ditt.",
    country: "Land",
    phone_number: "Telefonnummer",
    get_the_code: "Få koden",
    by_sms: "Via SMS",
    by_app: "Fra autentiseringsappen min",
    send_code: "Send kode",

    enter_code_title: "Skriv inn koden",
    code_from_app: "Skriv inn koden som autentiseringsappen viser.",
    code_sent_by_sms: "Vi sendte en kode via SMS til {phone}.",
    code: "Kode",
    tries_left: Plural::one_other("1 forsøk igjen.", "{n} forsøk igjen."),
    code_works_for: Plural::one_other(
        "Koden gjelder i 1 minutt til.",
        "Koden gjelder i {n} minutter til.",
    ),
    verify: "Bekreft",
    send_new_code: "Send en ny kode",
    send_new_code_in: "Send en ny kode om {s} s",
    change_number: "Bytt nummer",
    cancel: "Avbryt",

    verified_title: "Nummeret ditt er bekreftet",
    cancelled_title: "Bekreftelsen ble avbrutt",
    done: "Ferdig.",
    taking_you_back: "Sender deg tilbake til {site}…",
    continue_to: "Fortsett til {site}",
    expired_title: "Bekreftelsen er utløpt",
    start_again: "Begynn på nytt fra nettstedet du kom fra.",
    locked_title: "For mange feil koder",
    locked_body: "Av hensyn til sikkerheten din er bekreftelsen låst. Begynn på nytt fra nettstedet du kom fra.",
    verification: "Bekreftelse",
    test_mode: "Testmodus: ingen SMS sendes. Koden er {code}.",

    no_session: "Bekreftelseslenken er ugyldig. Begynn på nytt fra nettstedet du kom fra.",
    ended: "Bekreftelsen er avsluttet. Begynn på nytt fra nettstedet du kom fra.",
    out_of_step: "Siden var utdatert; her er trinnet du er på nå.",
    wrong_code: "Koden er feil.",
    code_expired: "Koden er utløpt. Be om en ny.",
    code_replaced: "Koden gjelder ikke lenger. Send en ny.",
    wait_seconds: Plural::one_other(
        "Vent 1 sekund før du ber om en ny kode.",
        "Vent {n} sekunder før du ber om en ny kode.",
    ),
    wait_minutes: Plural::one_other(
        "For mange forsøk: prøv igjen om 1 minutt.",
        "For mange forsøk: prøv igjen om {n} minutter.",
    ),
    too_many_codes: "For mange forsøk. Begynn på nytt fra nettstedet du kom fra.",
    cannot_send_to: "Vi kan ikke sende en kode til dette nummeret.",
    use_app: "Vi kan ikke sende SMS akkurat nå. Hent koden fra autentiseringsappen din i stedet.",
    unavailable: "Vi nådde ikke bekreftelsestjenesten. Prøv igjen om litt.",

    phone_empty: "Skriv inn telefonnummeret ditt.",
    phone_too_long: "Det er for langt til å være et telefonnummer.",
    phone_not_a_number: "Bruk bare sifre, for eksempel +47 412 34 567.",
    phone_needs_country_code: "Legg til landskoden, som begynner med +, eller velg landet ditt.",
    phone_invalid: "Det er ikke et gyldig telefonnummer. Sjekk sifrene og landet.",
    unknown_country: "Vi kjenner ikke landet «{country}». Velg et fra listen.",
    code_empty: "Skriv inn koden vi sendte deg.",
    code_not_digits: "Koden består bare av sifre.",
    code_length: "Koden har {min} til {max} sifre.",

    sms_code: "Koden din for {site} er {code}",
};
