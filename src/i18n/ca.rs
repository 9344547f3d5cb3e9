//! Catalan.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Ca,
    verify_title: "Verifica el teu número de telèfon",
    lead: "{site} sabrà que aquest número és teu.",
    country: "País",
    phone_number: "Número de telèfon",
    get_the_code: "Rebre el codi",
    by_sms: "Per SMS",
    by_app: "Des de la meva aplicació d’autenticació",
    send_code: "Envia el codi",

    enter_code_title: "Introdueix el codi",
    code_from_app: "Introdueix el codi que mostra la teva aplicació d’autenticació.",
    code_sent_by_sms: "T’hem enviat un codi per SMS al {phone}.",
    code: "Codi",
    tries_left: Plural::one_other("Et queda 1 intent.", "Et queden {n} intents."),
    code_works_for: Plural::one_other(
        "El codi és vàlid 1 minut més.",
        "El codi és vàlid {n} minuts més.",
    ),
    verify: "Verifica",
    send_new_code: "Envia un codi nou",
    send_new_code_in: "Envia un codi nou d’aquí a {s} s",
    change_number: "Canvia el número",
    cancel: "Cancel·la",

    verified_title: "El teu número està verificat",
    cancelled_title: "Verificació cancel·lada",
    done: "Fet.",
    taking_you_back: "Tornant a {site}…",
    continue_to: "Continua a {site}",
    expired_title: "Aquesta verificació ha caducat",
    start_again: "Torna a començar des del lloc d’on vens.",
    locked_title: "Massa codis incorrectes",
    locked_body: "Per seguretat, aquesta verificació s’ha bloquejat. Torna a començar des del lloc d’on vens.",
    verification: "Verificació",
    test_mode: "Mode de prova: no s’envia cap SMS. El codi és {code}.",

    no_session: "Aquest enllaç de verificació no és vàlid. Torna a començar des del lloc d’on vens.",
    ended: "Aquesta verificació ha acabat. Torna a començar des del lloc d’on vens.",
    out_of_step: "Aquesta pàgina no estava actualitzada; aquí tens el pas actual.",
    wrong_code: "Aquest codi no és correcte.",
    code_expired: "Aquest codi ha caducat. Demana’n un de nou.",
    code_replaced: "Aquest codi ja no és vàlid. Envia’n un de nou.",
    wait_seconds: Plural::one_other(
        "Espera 1 segon abans de demanar un altre codi.",
        "Espera {n} segons abans de demanar un altre codi.",
    ),
    wait_minutes: Plural::one_other(
        "Massa intents: torna-ho a provar d’aquí a 1 minut.",
        "Massa intents: torna-ho a provar d’aquí a {n} minuts.",
    ),
    too_many_codes: "Massa intents. Torna a començar des del lloc d’on vens.",
    cannot_send_to: "No podem enviar un codi a aquest número.",
    use_app:
        "Ara mateix no podem enviar cap SMS. Obtén el codi amb la teva aplicació d’autenticació.",
    unavailable: "No hem pogut contactar amb el servei de verificació. Torna-ho a provar d’aquí a un moment.",

    phone_empty: "Introdueix el teu número de telèfon.",
    phone_too_long: "És massa llarg per ser un número de telèfon.",
    phone_not_a_number: "Fes servir només xifres, per exemple +34 612 34 56 78.",
    phone_needs_country_code: "Afegeix el prefix del país, que comença per +, o tria el teu país.",
    phone_invalid: "No és un número de telèfon vàlid. Revisa les xifres i el país.",
    unknown_country: "No coneixem el país «{country}». Tria’n un de la llista.",
    code_empty: "Introdueix el codi que t’hem enviat.",
    code_not_digits: "El codi només té xifres.",
    code_length: "El codi té de {min} a {max} xifres.",

    sms_code: "El teu codi de {site} és {code}",
};
