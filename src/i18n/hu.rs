//! Hungarian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Hu,
    verify_title: "Erősítse meg a telefonszámát",
    lead: "A(z) {site} megtudja, hogy ez a szám az Öné.",
    country: "Ország",
    phone_number: "Telefonszám",
    get_the_code: "A kód fogadása",
    by_sms: "SMS-ben",
    by_app: "A hitelesítő alkalmazásomból",
    send_code: "Kód küldése",

    enter_code_title: "Adja meg a kódot",
    code_from_app: "Adja meg a hitelesítő alkalmazásában látható kódot.",
    code_sent_by_sms: "SMS-ben kódot küldtünk a(z) {phone} számra.",
    code: "Kód",
    tries_left: Plural::one_other("Még {n} próbálkozás maradt.", "Még {n} próbálkozás maradt."),
    code_works_for: Plural::one_other(
        "A kód még {n} percig érvényes.",
        "A kód még {n} percig érvényes.",
    ),
    verify: "Megerősítés",
    send_new_code: "Új kód küldése",
    send_new_code_in: "Új kód küldése {s} mp múlva",
    change_number: "Másik szám",
    cancel: "Mégse",

    verified_title: "A telefonszáma megerősítve",
    cancelled_title: "A megerősítés megszakítva",
    done: "Kész.",
    taking_you_back: "Visszairányítjuk ide: {site}…",
    continue_to: "Tovább ide: {site}",
    expired_title: "Ez a megerősítés lejárt",
    start_again: "Kezdje újra azon az oldalon, ahonnan érkezett.",
    locked_title: "Túl sok hibás kód",
    locked_body: "Az Ön biztonsága érdekében ezt a megerősítést zároltuk. Kezdje újra azon az oldalon, ahonnan érkezett.",
    verification: "Megerősítés",
    test_mode: "Tesztmód: nem megy ki SMS. A kód: {code}.",

    no_session: "Ez a megerősítő hivatkozás érvénytelen. Kezdje újra azon az oldalon, ahonnan érkezett.",
    ended: "Ez a megerősítés véget ért. Kezdje újra azon az oldalon, ahonnan érkezett.",
    out_of_step: "Ez az oldal elavult volt; itt tart most.",
    wrong_code: "Ez a kód nem jó.",
    code_expired: "Ez a kód lejárt. Kérjen újat.",
    code_replaced: "Ez a kód már nem érvényes. Küldjön újat.",
    wait_seconds: Plural::one_other(
        "Várjon {n} másodpercet, mielőtt új kódot kér.",
        "Várjon {n} másodpercet, mielőtt új kódot kér.",
    ),
    wait_minutes: Plural::one_other(
        "Túl sok próbálkozás: próbálja újra {n} perc múlva.",
        "Túl sok próbálkozás: próbálja újra {n} perc múlva.",
    ),
    too_many_codes: "Túl sok próbálkozás. Kezdje újra azon az oldalon, ahonnan érkezett.",
    cannot_send_to: "Erre a számra nem tudunk kódot küldeni.",
    use_app:
        "Jelenleg nem tudunk SMS-t küldeni. A kódot helyette a hitelesítő alkalmazásában találja.",
    unavailable: "A megerősítő szolgáltatás nem érhető el. Próbálja újra egy kis idő múlva.",

    phone_empty: "Adja meg a telefonszámát.",
    phone_too_long: "Ez túl hosszú egy telefonszámhoz.",
    phone_not_a_number: "Csak számjegyeket használjon, például +36 20 123 4567.",
    phone_needs_country_code: "Adja meg a + jellel kezdődő országhívószámot, vagy válassza ki az országát.",
    phone_invalid: "Ez nem érvényes telefonszám. Ellenőrizze a számjegyeket és az országot.",
    unknown_country: "Nem ismerjük ezt az országot: „{country}”. Válasszon a listából.",
    code_empty: "Adja meg a kódot, amelyet elküldtünk.",
    code_not_digits: "A kód csak számjegyekből áll.",
    code_length: "A kód {min}–{max} számjegyből áll.",

    sms_code: "A(z) {site} kódja: {code}",
};
