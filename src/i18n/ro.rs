//! Romanian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Ro,
    verify_title: "Confirmă-ți numărul de telefon",
    lead: "{site} va ști că acest număr este al tău.",
    country: "Țara",
    phone_number: "Număr de telefon",
    get_the_code: "Primește codul",
    by_sms: "Prin SMS",
    by_app: "Din aplicația mea de autentificare",
    send_code: "Trimite codul",

    enter_code_title: "Introdu codul",
    code_from_app: "Introdu codul afișat de aplicația ta de autentificare.",
    code_sent_by_sms: "Am trimis un cod prin SMS la {phone}.",
    code: "Cod",
    tries_left: Plural::one_other("A mai rămas o încercare.", "Au mai rămas {n} de încercări.")
        .few("Au mai rămas {n} încercări."),
    code_works_for: Plural::one_other(
        "Codul mai este valabil un minut.",
        "Codul mai este valabil {n} de minute.",
    )
    .few("Codul mai este valabil {n} minute."),
    verify: "Confirmă",
    send_new_code: "Trimite un cod nou",
    send_new_code_in: "Trimite un cod nou în {s} s",
    change_number: "Schimbă numărul",
    cancel: "Anulează",

    verified_title: "Numărul tău este confirmat",
    cancelled_title: "Confirmare anulată",
    done: "Gata.",
    taking_you_back: "Te ducem înapoi la {site}…",
    continue_to: "Continuă la {site}",
    expired_title: "Această confirmare a expirat",
    start_again: "Începe din nou de pe site-ul de unde ai venit.",
    locked_title: "Prea multe coduri greșite",
    locked_body: "Pentru siguranța ta, această confirmare a fost blocată. Începe din nou de pe site-ul de unde ai venit.",
    verification: "Confirmare",
    test_mode: "Mod de test: nu se trimite niciun SMS. Codul este {code}.",

    no_session: "Acest link de confirmare nu este valid. Începe din nou de pe site-ul de unde ai venit.",
    ended: "Această confirmare s-a încheiat. Începe din nou de pe site-ul de unde ai venit.",
    out_of_step: "Pagina era depășită; iată pasul la care ești acum.",
    wrong_code: "Codul nu este corect.",
    code_expired: "Codul a expirat. Cere unul nou.",
    code_replaced: "Acest cod nu mai este valabil. Trimite unul nou.",
    wait_seconds: Plural::one_other(
        "Așteaptă o secundă înainte să ceri alt cod.",
        "Așteaptă {n} de secunde înainte să ceri alt cod.",
    )
    .few("Așteaptă {n} secunde înainte să ceri alt cod."),
    wait_minutes: Plural::one_other(
        "Prea multe încercări: încearcă din nou peste un minut.",
        "Prea multe încercări: încearcă din nou peste {n} de minute.",
    )
    .few("Prea multe încercări: încearcă din nou peste {n} minute."),
    too_many_codes: "Prea multe încercări. Începe din nou de pe site-ul de unde ai venit.",
    cannot_send_to: "Nu putem trimite un cod la acest număr.",
    use_app:
        "Nu putem trimite un SMS acum. Folosește în schimb codul din aplicația ta de autentificare.",
    unavailable: "Nu am putut contacta serviciul de confirmare. Încearcă din nou în câteva momente.",

    phone_empty: "Introdu numărul de telefon.",
    phone_too_long: "Este prea lung pentru un număr de telefon.",
    phone_not_a_number: "Folosește doar cifre, de exemplu +40 712 345 678.",
    phone_needs_country_code: "Adaugă prefixul țării, care începe cu +, sau alege țara.",
    phone_invalid: "Nu este un număr de telefon valid. Verifică cifrele și țara.",
    unknown_country: "Nu cunoaștem țara „{country}”. Alege una din listă.",
    code_empty: "Introdu codul pe care ți l-am trimis.",
    code_not_digits: "Codul are doar cifre.",
    code_length: "Codul are între {min} și {max} cifre.",

    sms_code: "Codul tău {site} este {code}",
};
