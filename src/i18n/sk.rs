//! Slovak.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Sk,
    verify_title: "Overte svoje telefónne číslo",
    lead: "{site} sa dozvie, že toto číslo patrí vám.",
    country: "Krajina",
    phone_number: "Telefónne číslo",
    get_the_code: "Získanie kódu",
    by_sms: "SMS správou",
    by_app: "Z mojej overovacej aplikácie",
    send_code: "Odoslať kód",

    enter_code_title: "Zadajte kód",
    code_from_app: "Zadajte kód, ktorý zobrazuje vaša overovacia aplikácia.",
    code_sent_by_sms: "Poslali sme kód SMS správou na číslo {phone}.",
    code: "Kód",
    tries_left: Plural::one_other("Zostáva 1 pokus.", "Zostáva {n} pokusov.")
        .few("Zostávajú {n} pokusy.")
        .many("Zostáva {n} pokusu."),
    code_works_for: Plural::one_other(
        "Kód platí ešte 1 minútu.",
        "Kód platí ešte {n} minút.",
    )
    .few("Kód platí ešte {n} minúty.")
    .many("Kód platí ešte {n} minúty."),
    verify: "Overiť",
    send_new_code: "Poslať nový kód",
    send_new_code_in: "Poslať nový kód o {s} s",
    change_number: "Zmeniť číslo",
    cancel: "Zrušiť",

    verified_title: "Vaše číslo je overené",
    cancelled_title: "Overenie zrušené",
    done: "Hotovo.",
    taking_you_back: "Vraciame vás na {site}…",
    continue_to: "Pokračovať na {site}",
    expired_title: "Platnosť tohto overenia vypršala",
    start_again: "Začnite znova na stránke, z ktorej ste prišli.",
    locked_title: "Príliš veľa nesprávnych kódov",
    locked_body: "Pre vašu bezpečnosť je toto overenie zablokované. Začnite znova na stránke, z ktorej ste prišli.",
    verification: "Overenie",
    test_mode: "Testovací režim: neposiela sa žiadna SMS. Kód je {code}.",

    no_session: "Tento overovací odkaz nie je platný. Začnite znova na stránke, z ktorej ste prišli.",
    ended: "Toto overenie sa skončilo. Začnite znova na stránke, z ktorej ste prišli.",
    out_of_step: "Táto stránka bola zastaraná; tu je váš aktuálny krok.",
    wrong_code: "Tento kód nie je správny.",
    code_expired: "Platnosť kódu vypršala. Vyžiadajte si nový.",
    code_replaced: "Tento kód už neplatí. Pošlite si nový.",
    wait_seconds: Plural::one_other(
        "Počkajte 1 sekundu, kým si vyžiadate ďalší kód.",
        "Počkajte {n} sekúnd, kým si vyžiadate ďalší kód.",
    )
    .few("Počkajte {n} sekundy, kým si vyžiadate ďalší kód.")
    .many("Počkajte {n} sekundy, kým si vyžiadate ďalší kód."),
    wait_minutes: Plural::one_other(
        "Príliš veľa pokusov: skúste to znova o 1 minútu.",
        "Príliš veľa pokusov: skúste to znova o {n} minút.",
    )
    .few("Príliš veľa pokusov: skúste to znova o {n} minúty.")
    .many("Príliš veľa pokusov: skúste to znova o {n} minúty."),
    too_many_codes: "Príliš veľa pokusov. Začnite znova na stránke, z ktorej ste prišli.",
    cannot_send_to: "Na toto číslo nemôžeme poslať kód.",
    use_app:
        "Momentálne nemôžeme poslať SMS. Kód namiesto toho nájdete vo svojej overovacej aplikácii.",
    unavailable: "Overovaciu službu sa nepodarilo zastihnúť. Skúste to o chvíľu znova.",

    phone_empty: "Zadajte svoje telefónne číslo.",
    phone_too_long: "Na telefónne číslo je to príliš dlhé.",
    phone_not_a_number: "Používajte iba číslice, napríklad +421 912 345 678.",
    phone_needs_country_code: "Pridajte predvoľbu krajiny začínajúcu +, alebo vyberte svoju krajinu.",
    phone_invalid: "Toto nie je platné telefónne číslo. Skontrolujte číslice a krajinu.",
    unknown_country: "Krajinu „{country}“ nepoznáme. Vyberte zo zoznamu.",
    code_empty: "Zadajte kód, ktorý sme vám poslali.",
    code_not_digits: "Kód obsahuje iba číslice.",
    code_length: "Kód má {min} až {max} číslic.",

    sms_code: "Váš kód pre {site} je {code}",
};
