//! Finnish.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Fi,
    verify_title: "Vahvista puhelinnumerosi",
    lead: "{site} saa tietää, että tämä numero on sinun.",
    country: "Maa",
    phone_number: "Puhelinnumero",
    get_the_code: "Koodin vastaanotto",
    by_sms: "Tekstiviestillä",
    by_app: "Todennussovelluksestani",
    send_code: "Lähetä koodi",

    enter_code_title: "Anna koodi",
    code_from_app: "Anna koodi, jonka todennussovelluksesi näyttää.",
    code_sent_by_sms: "Lähetimme koodin tekstiviestillä numeroon {phone}.",
    code: "Koodi",
    tries_left: Plural::one_other("1 yritys jäljellä.", "{n} yritystä jäljellä."),
    code_works_for: Plural::one_other(
        "Koodi on voimassa vielä 1 minuutin.",
        "Koodi on voimassa vielä {n} minuuttia.",
    ),
    verify: "Vahvista",
    send_new_code: "Lähetä uusi koodi",
    send_new_code_in: "Lähetä uusi koodi {s} s kuluttua",
    change_number: "Vaihda numero",
    cancel: "Peruuta",

    verified_title: "Numerosi on vahvistettu",
    cancelled_title: "Vahvistus peruttiin",
    done: "Valmis.",
    taking_you_back: "Palataan sivustolle {site}…",
    continue_to: "Jatka sivustolle {site}",
    expired_title: "Tämä vahvistus on vanhentunut",
    start_again: "Aloita alusta sivustolta, jolta tulit.",
    locked_title: "Liian monta väärää koodia",
    locked_body: "Turvallisuutesi vuoksi tämä vahvistus on lukittu. Aloita alusta sivustolta, jolta tulit.",
    verification: "Vahvistus",
    test_mode: "Testitila: tekstiviestiä ei lähetetä. Koodi on {code}.",

    no_session: "Tämä vahvistuslinkki ei kelpaa. Aloita alusta sivustolta, jolta tulit.",
    ended: "Tämä vahvistus on päättynyt. Aloita alusta sivustolta, jolta tulit.",
    out_of_step: "Sivu oli vanhentunut; tässä on nykyinen vaiheesi.",
    wrong_code: "Koodi ei ole oikein.",
    code_expired: "Koodi on vanhentunut. Pyydä uusi.",
    code_replaced: "Koodi ei ole enää voimassa. Lähetä uusi.",
    wait_seconds: Plural::one_other(
        "Odota 1 sekunti ennen kuin pyydät uuden koodin.",
        "Odota {n} sekuntia ennen kuin pyydät uuden koodin.",
    ),
    wait_minutes: Plural::one_other(
        "Liian monta yritystä: yritä uudelleen 1 minuutin kuluttua.",
        "Liian monta yritystä: yritä uudelleen {n} minuutin kuluttua.",
    ),
    too_many_codes: "Liian monta yritystä. Aloita alusta sivustolta, jolta tulit.",
    cannot_send_to: "Emme voi lähettää koodia tähän numeroon.",
    use_app:
        "Emme voi lähettää tekstiviestiä juuri nyt. Katso koodi sen sijaan todennussovelluksestasi.",
    unavailable: "Vahvistuspalveluun ei saatu yhteyttä. Yritä hetken kuluttua uudelleen.",

    phone_empty: "Anna puhelinnumerosi.",
    phone_too_long: "Tämä on liian pitkä puhelinnumeroksi.",
    phone_not_a_number: "Käytä vain numeroita, esimerkiksi +358 40 123 4567.",
    phone_needs_country_code: "Lisää maatunnus, joka alkaa merkillä +, tai valitse maasi.",
    phone_invalid: "Tämä ei ole kelvollinen puhelinnumero. Tarkista numerot ja maa.",
    unknown_country: "Emme tunne maata ”{country}”. Valitse maa luettelosta.",
    code_empty: "Anna koodi, jonka lähetimme sinulle.",
    code_not_digits: "Koodissa on vain numeroita.",
    code_length: "Koodissa on {min}–{max} numeroa.",

    sms_code: "{site}-koodisi on {code}",
};
