//! Lithuanian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Lt,
    verify_title: "Patvirtinkite savo telefono numerį",
    lead: "{site} sužinos, kad šis numeris yra jūsų.",
    country: "Šalis",
    phone_number: "Telefono numeris",
    get_the_code: "Kodo gavimas",
    by_sms: "SMS žinute",
    by_app: "Iš mano autentifikavimo programėlės",
    send_code: "Siųsti kodą",

    enter_code_title: "Įveskite kodą",
    code_from_app: "Įveskite kodą, kurį rodo jūsų autentifikavimo programėlė.",
    code_sent_by_sms: "Išsiuntėme kodą SMS žinute numeriu {phone}.",
    code: "Kodas",
    tries_left: Plural::one_other("Liko {n} bandymas.", "Liko {n} bandymų.")
        .few("Liko {n} bandymai.")
        .many("Liko {n} bandymo."),
    code_works_for: Plural::one_other(
        "Kodas galioja dar {n} minutę.",
        "Kodas galioja dar {n} minučių.",
    )
    .few("Kodas galioja dar {n} minutes.")
    .many("Kodas galioja dar {n} minutės."),
    verify: "Patvirtinti",
    send_new_code: "Siųsti naują kodą",
    send_new_code_in: "Siųsti naują kodą po {s} s",
    change_number: "Keisti numerį",
    cancel: "Atšaukti",

    verified_title: "Jūsų numeris patvirtintas",
    cancelled_title: "Patvirtinimas atšauktas",
    done: "Atlikta.",
    taking_you_back: "Grąžiname jus į {site}…",
    continue_to: "Tęsti į {site}",
    expired_title: "Šio patvirtinimo laikas baigėsi",
    start_again: "Pradėkite iš naujo svetainėje, iš kurios atėjote.",
    locked_title: "Per daug neteisingų kodų",
    locked_body: "Jūsų saugumui šis patvirtinimas užrakintas. Pradėkite iš naujo svetainėje, iš kurios atėjote.",
    verification: "Patvirtinimas",
    test_mode: "Bandomasis režimas: SMS nesiunčiama. Kodas yra {code}.",

    no_session: "Ši patvirtinimo nuoroda negalioja. Pradėkite iš naujo svetainėje, iš kurios atėjote.",
    ended: "Šis patvirtinimas baigtas. Pradėkite iš naujo svetainėje, iš kurios atėjote.",
    out_of_step: "Šis puslapis buvo pasenęs; štai jūsų dabartinis žingsnis.",
    wrong_code: "Šis kodas neteisingas.",
    code_expired: "Šio kodo galiojimas baigėsi. Paprašykite naujo.",
    code_replaced: "Šis kodas nebegalioja. Išsiųskite naują.",
    wait_seconds: Plural::one_other(
        "Palaukite {n} sekundę prieš prašydami kito kodo.",
        "Palaukite {n} sekundžių prieš prašydami kito kodo.",
    )
    .few("Palaukite {n} sekundes prieš prašydami kito kodo.")
    .many("Palaukite {n} sekundės prieš prašydami kito kodo."),
    wait_minutes: Plural::one_other(
        "Per daug bandymų: bandykite dar kartą po {n} minutės.",
        "Per daug bandymų: bandykite dar kartą po {n} minučių.",
    )
    .few("Per daug bandymų: bandykite dar kartą po {n} minučių.")
    .many("Per daug bandymų: bandykite dar kartą po {n} minutės."),
    too_many_codes: "Per daug bandymų. Pradėkite iš naujo svetainėje, iš kurios atėjote.",
    cannot_send_to: "Šiuo numeriu negalime išsiųsti kodo.",
    use_app:
        "Šiuo metu negalime išsiųsti SMS žinutės. Kodą rasite savo autentifikavimo programėlėje.",
    unavailable: "Nepavyko pasiekti patvirtinimo paslaugos. Bandykite dar kartą po akimirkos.",

    phone_empty: "Įveskite savo telefono numerį.",
    phone_too_long: "Tai per ilga telefono numeriui.",
    phone_not_a_number: "Naudokite tik skaitmenis, pavyzdžiui, +370 612 34567.",
    phone_needs_country_code: "Pridėkite šalies kodą, prasidedantį +, arba pasirinkite šalį.",
    phone_invalid: "Tai netinkamas telefono numeris. Patikrinkite skaitmenis ir šalį.",
    unknown_country: "Nežinome šalies „{country}“. Pasirinkite iš sąrašo.",
    code_empty: "Įveskite kodą, kurį jums išsiuntėme.",
    code_not_digits: "Kodą sudaro tik skaitmenys.",
    code_length: "Kodą sudaro nuo {min} iki {max} skaitmenų.",

    sms_code: "Jūsų {site} kodas: {code}",
};
