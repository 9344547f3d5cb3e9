//! Slovenian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Sl,
    verify_title: "Potrdite svojo telefonsko številko",
    lead: "{site} bo vedel, da je ta številka vaša.",
    country: "Država",
    phone_number: "Telefonska številka",
    get_the_code: "Prejem kode",
    by_sms: "Po SMS-u",
    by_app: "Iz moje aplikacije za preverjanje pristnosti",
    send_code: "Pošlji kodo",

    enter_code_title: "Vnesite kodo",
    code_from_app: "Vnesite kodo, ki jo prikazuje vaša aplikacija za preverjanje pristnosti.",
    code_sent_by_sms: "Kodo smo poslali po SMS-u na {phone}.",
    code: "Koda",
    tries_left: Plural::one_other("Ostaja še {n} poskus.", "Ostaja še {n} poskusov.")
        .two("Ostajata še {n} poskusa.")
        .few("Ostajajo še {n} poskusi."),
    code_works_for: Plural::one_other(
        "Koda velja še {n} minuto.",
        "Koda velja še {n} minut.",
    )
    .two("Koda velja še {n} minuti.")
    .few("Koda velja še {n} minute."),
    verify: "Potrdi",
    send_new_code: "Pošlji novo kodo",
    send_new_code_in: "Pošlji novo kodo čez {s} s",
    change_number: "Spremeni številko",
    cancel: "Prekliči",

    verified_title: "Vaša številka je potrjena",
    cancelled_title: "Potrjevanje preklicano",
    done: "Končano.",
    taking_you_back: "Vračamo vas na {site}…",
    continue_to: "Nadaljuj na {site}",
    expired_title: "To potrjevanje je poteklo",
    start_again: "Začnite znova na spletnem mestu, s katerega ste prišli.",
    locked_title: "Preveč napačnih kod",
    locked_body: "Zaradi vaše varnosti je to potrjevanje zaklenjeno. Začnite znova na spletnem mestu, s katerega ste prišli.",
    verification: "Potrjevanje",
    test_mode: "Preizkusni način: SMS se ne pošlje. Koda je {code}.",

    no_session: "Ta povezava za potrditev ni veljavna. Začnite znova na spletnem mestu, s katerega ste prišli.",
    ended: "To potrjevanje se je končalo. Začnite znova na spletnem mestu, s katerega ste prišli.",
    out_of_step: "Ta stran je bila zastarela; tukaj je vaš trenutni korak.",
    wrong_code: "Ta koda ni pravilna.",
    code_expired: "Ta koda je potekla. Zahtevajte novo.",
    code_replaced: "Ta koda ne velja več. Pošljite novo.",
    wait_seconds: Plural::one_other(
        "Počakajte {n} sekundo, preden zahtevate novo kodo.",
        "Počakajte {n} sekund, preden zahtevate novo kodo.",
    )
    .two("Počakajte {n} sekundi, preden zahtevate novo kodo.")
    .few("Počakajte {n} sekunde, preden zahtevate novo kodo."),
    wait_minutes: Plural::one_other(
        "Preveč poskusov: poskusite znova čez {n} minuto.",
        "Preveč poskusov: poskusite znova čez {n} minut.",
    )
    .two("Preveč poskusov: poskusite znova čez {n} minuti.")
    .few("Preveč poskusov: poskusite znova čez {n} minute."),
    too_many_codes: "Preveč poskusov. Začnite znova na spletnem mestu, s katerega ste prišli.",
    cannot_send_to: "Na to številko ne moremo poslati kode.",
    use_app:
        "SMS-a zdaj ne moremo poslati. Uporabite kodo iz aplikacije za preverjanje pristnosti.",
    unavailable: "Storitev za potrjevanje ni dosegljiva. Poskusite znova čez trenutek.",

    phone_empty: "Vnesite svojo telefonsko številko.",
    phone_too_long: "To je predolgo za telefonsko številko.",
    phone_not_a_number: "Uporabite samo števke, na primer +386 31 234 567.",
    phone_needs_country_code: "Dodajte kodo države, ki se začne s +, ali izberite državo.",
    phone_invalid: "To ni veljavna telefonska številka. Preverite števke in državo.",
    unknown_country: "Države »{country}« ne poznamo. Izberite jo s seznama.",
    code_empty: "Vnesite kodo, ki smo vam jo poslali.",
    code_not_digits: "Koda vsebuje samo števke.",
    code_length: "Koda ima od {min} do {max} števk.",

    sms_code: "Vaša koda za {site} je {code}",
};
