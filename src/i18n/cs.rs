//! Czech.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Cs,
    verify_title: "Ověřte své telefonní číslo",
    lead: "{site} se dozví, že toto číslo patří vám.",
    country: "Země",
    phone_number: "Telefonní číslo",
    get_the_code: "Získání kódu",
    by_sms: "SMS zprávou",
    by_app: "Z mé ověřovací aplikace",
    send_code: "Odeslat kód",

    enter_code_title: "Zadejte kód",
    code_from_app: "Zadejte kód, který zobrazuje vaše ověřovací aplikace.",
    code_sent_by_sms: "Poslali jsme kód SMS zprávou na číslo {phone}.",
    code: "Kód",
    tries_left: Plural::one_other("Zbývá 1 pokus.", "Zbývá {n} pokusů.")
        .few("Zbývají {n} pokusy.")
        .many("Zbývá {n} pokusu."),
    code_works_for: Plural::one_other(
        "Kód platí ještě 1 minutu.",
        "Kód platí ještě {n} minut.",
    )
    .few("Kód platí ještě {n} minuty.")
    .many("Kód platí ještě {n} minuty."),
    verify: "Ověřit",
    send_new_code: "Poslat nový kód",
    send_new_code_in: "Poslat nový kód za {s} s",
    change_number: "Změnit číslo",
    cancel: "Zrušit",

    verified_title: "Vaše číslo je ověřeno",
    cancelled_title: "Ověření zrušeno",
    done: "Hotovo.",
    taking_you_back: "Vracíme vás na {site}…",
    continue_to: "Pokračovat na {site}",
    expired_title: "Platnost tohoto ověření vypršela",
    start_again: "Začněte znovu na webu, ze kterého jste přišli.",
    locked_title: "Příliš mnoho chybných kódů",
    locked_body: "Kvůli vaší bezpečnosti je toto ověření zablokováno. Začněte znovu na webu, ze kterého jste přišli.",
    verification: "Ověření",
    test_mode: "Testovací režim: žádná SMS se neposílá. Kód je {code}.",

    no_session: "Tento ověřovací odkaz není platný. Začněte znovu na webu, ze kterého jste přišli.",
    ended: "Toto ověření skončilo. Začněte znovu na webu, ze kterého jste přišli.",
    out_of_step: "Tato stránka byla zastaralá; tady je váš aktuální krok.",
    wrong_code: "Tento kód není správný.",
    code_expired: "Platnost kódu vypršela. Vyžádejte si nový.",
    code_replaced: "Tento kód už neplatí. Pošlete si nový.",
    wait_seconds: Plural::one_other(
        "Počkejte 1 sekundu, než si vyžádáte další kód.",
        "Počkejte {n} sekund, než si vyžádáte další kód.",
    )
    .few("Počkejte {n} sekundy, než si vyžádáte další kód.")
    .many("Počkejte {n} sekundy, než si vyžádáte další kód."),
    wait_minutes: Plural::one_other(
        "Příliš mnoho pokusů: zkuste to znovu za 1 minutu.",
        "Příliš mnoho pokusů: zkuste to znovu za {n} minut.",
    )
    .few("Příliš mnoho pokusů: zkuste to znovu za {n} minuty.")
    .many("Příliš mnoho pokusů: zkuste to znovu za {n} minuty."),
    too_many_codes: "Příliš mnoho pokusů. Začněte znovu na webu, ze kterého jste přišli.",
    cannot_send_to: "Na toto číslo nemůžeme kód poslat.",
    use_app: "Momentálně nemůžeme poslat SMS. Kód místo toho najdete ve své ověřovací aplikaci.",
    unavailable: "Ověřovací službu se nepodařilo zastihnout. Zkuste to prosím za chvíli znovu.",

    phone_empty: "Zadejte své telefonní číslo.",
    phone_too_long: "Na telefonní číslo je to příliš dlouhé.",
    phone_not_a_number: "Používejte jen číslice, například +420 601 234 567.",
    phone_needs_country_code: "Přidejte předvolbu země začínající +, nebo vyberte svou zemi.",
    phone_invalid: "Toto není platné telefonní číslo. Zkontrolujte číslice a zemi.",
    unknown_country: "Zemi „{country}“ neznáme. Vyberte ze seznamu.",
    code_empty: "Zadejte kód, který jsme vám poslali.",
    code_not_digits: "Kód obsahuje jen číslice.",
    code_length: "Kód má {min} až {max} číslic.",

    sms_code: "Váš kód pro {site} je {code}",
};
