//! Swedish.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Sv,
    verify_title: "Verifiera ditt telefonnummer",
    lead: "{site} får veta att det här numret är ditt.",
    country: "Land",
    phone_number: "Telefonnummer",
    get_the_code: "Få koden",
    by_sms: "Via sms",
    by_app: "Från min autentiseringsapp",
    send_code: "Skicka kod",

    enter_code_title: "Ange din kod",
    code_from_app: "Ange koden som din autentiseringsapp visar.",
    code_sent_by_sms: "Vi skickade en kod via sms till {phone}.",
    code: "Kod",
    tries_left: Plural::one_other("1 försök kvar.", "{n} försök kvar."),
    code_works_for: Plural::one_other(
        "Koden gäller i 1 minut till.",
        "Koden gäller i {n} minuter till.",
    ),
    verify: "Verifiera",
    send_new_code: "Skicka en ny kod",
    send_new_code_in: "Skicka en ny kod om {s} s",
    change_number: "Byt nummer",
    cancel: "Avbryt",

    verified_title: "Ditt nummer är verifierat",
    cancelled_title: "Verifieringen avbröts",
    done: "Klart.",
    taking_you_back: "Tillbaka till {site}…",
    continue_to: "Fortsätt till {site}",
    expired_title: "Verifieringen har gått ut",
    start_again: "Börja om från webbplatsen du kom från.",
    locked_title: "För många felaktiga koder",
    locked_body: "För din säkerhet är verifieringen låst. Börja om från webbplatsen du kom från.",
    verification: "Verifiering",
    test_mode: "Testläge: inget sms skickas. Koden är {code}.",

    no_session: "Verifieringslänken är ogiltig. Börja om från webbplatsen du kom från.",
    ended: "Verifieringen är avslutad. Börja om från webbplatsen du kom från.",
    out_of_step: "Sidan var inaktuell; här är steget du är på nu.",
    wrong_code: "Koden stämmer inte.",
    code_expired: "Koden har gått ut. Be om en ny.",
    code_replaced: "Koden gäller inte längre. Skicka en ny.",
    wait_seconds: Plural::one_other(
        "Vänta 1 sekund innan du ber om en ny kod.",
        "Vänta {n} sekunder innan du ber om en ny kod.",
    ),
    wait_minutes: Plural::one_other(
        "För många försök: försök igen om 1 minut.",
        "För många försök: försök igen om {n} minuter.",
    ),
    too_many_codes: "För många försök. Börja om från webbplatsen du kom från.",
    cannot_send_to: "Vi kan inte skicka en kod till det här numret.",
    use_app: "Vi kan inte skicka sms just nu. Hämta koden från din autentiseringsapp i stället.",
    unavailable: "Vi nådde inte verifieringstjänsten. Försök igen om en stund.",

    phone_empty: "Ange ditt telefonnummer.",
    phone_too_long: "Det är för långt för att vara ett telefonnummer.",
    phone_not_a_number: "Använd bara siffror, till exempel +46 70 123 45 67.",
    phone_needs_country_code: "Lägg till landsnumret, som börjar med +, eller välj ditt land.",
    phone_invalid: "Det är inget giltigt telefonnummer. Kontrollera siffrorna och landet.",
    unknown_country: "Vi känner inte till landet ”{country}”. Välj ett i listan.",
    code_empty: "Ange koden vi skickade till dig.",
    code_not_digits: "Koden består bara av siffror.",
    code_length: "Koden har {min} till {max} siffror.",

    sms_code: "Din kod för {site} är {code}",
};
