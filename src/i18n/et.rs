//! Estonian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Et,
    verify_title: "Kinnita oma telefoninumber",
    lead: "{site} saab teada, et see number on sinu.",
    country: "Riik",
    phone_number: "Telefoninumber",
    get_the_code: "Koodi saamine",
    by_sms: "SMS-iga",
    by_app: "Minu autentimisrakendusest",
    send_code: "Saada kood",

    enter_code_title: "Sisesta kood",
    code_from_app: "Sisesta kood, mida su autentimisrakendus näitab.",
    code_sent_by_sms: "Saatsime koodi SMS-iga numbrile {phone}.",
    code: "Kood",
    tries_left: Plural::one_other("Jäänud on 1 katse.", "Jäänud on {n} katset."),
    code_works_for: Plural::one_other(
        "Kood kehtib veel 1 minuti.",
        "Kood kehtib veel {n} minutit.",
    ),
    verify: "Kinnita",
    send_new_code: "Saada uus kood",
    send_new_code_in: "Saada uus kood {s} s pärast",
    change_number: "Muuda numbrit",
    cancel: "Tühista",

    verified_title: "Sinu number on kinnitatud",
    cancelled_title: "Kinnitamine tühistati",
    done: "Valmis.",
    taking_you_back: "Suuname tagasi lehele {site}…",
    continue_to: "Jätka lehele {site}",
    expired_title: "See kinnitamine on aegunud",
    start_again: "Alusta uuesti lehelt, kust tulid.",
    locked_title: "Liiga palju valesid koode",
    locked_body: "Sinu turvalisuse huvides on see kinnitamine lukus. Alusta uuesti lehelt, kust tulid.",
    verification: "Kinnitamine",
    test_mode: "Testrežiim: SMS-i ei saadeta. Kood on {code}.",

    no_session: "See kinnituslink ei kehti. Alusta uuesti lehelt, kust tulid.",
    ended: "See kinnitamine on lõppenud. Alusta uuesti lehelt, kust tulid.",
    out_of_step: "See leht oli vananenud; siin on sinu praegune samm.",
    wrong_code: "See kood ei ole õige.",
    code_expired: "See kood on aegunud. Küsi uus.",
    code_replaced: "See kood ei kehti enam. Saada uus.",
    wait_seconds: Plural::one_other(
        "Oota 1 sekund, enne kui küsid uue koodi.",
        "Oota {n} sekundit, enne kui küsid uue koodi.",
    ),
    wait_minutes: Plural::one_other(
        "Liiga palju katseid: proovi uuesti 1 minuti pärast.",
        "Liiga palju katseid: proovi uuesti {n} minuti pärast.",
    ),
    too_many_codes: "Liiga palju katseid. Alusta uuesti lehelt, kust tulid.",
    cannot_send_to: "Sellele numbrile ei saa me koodi saata.",
    use_app: "Praegu ei saa me SMS-i saata. Võta kood hoopis oma autentimisrakendusest.",
    unavailable: "Kinnitusteenusega ei saadud ühendust. Proovi hetke pärast uuesti.",

    phone_empty: "Sisesta oma telefoninumber.",
    phone_too_long: "See on telefoninumbri jaoks liiga pikk.",
    phone_not_a_number: "Kasuta ainult numbreid, näiteks +372 5123 4567.",
    phone_needs_country_code: "Lisa riigikood, mis algab märgiga +, või vali oma riik.",
    phone_invalid: "See ei ole kehtiv telefoninumber. Kontrolli numbreid ja riiki.",
    unknown_country: "Me ei tunne riiki „{country}“. Vali riik loendist.",
    code_empty: "Sisesta kood, mille sulle saatsime.",
    code_not_digits: "Koodis on ainult numbrid.",
    code_length: "Koodis on {min} kuni {max} numbrit.",

    sms_code: "Sinu {site} kood on {code}",
};
