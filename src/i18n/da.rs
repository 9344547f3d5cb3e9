//! Danish.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Da,
    verify_title: "Bekræft dit telefonnummer",
    lead: "{site} får at vide, at nummeret er dit.",
    country: "Land",
    phone_number: "Telefonnummer",
    get_the_code: "Få koden",
    by_sms: "Via sms",
    by_app: "Fra min godkendelsesapp",
    send_code: "Send kode",

    enter_code_title: "Indtast din kode",
    code_from_app: "Indtast koden, som din godkendelsesapp viser.",
    code_sent_by_sms: "Vi har sendt en kode via sms til {phone}.",
    code: "Kode",
    tries_left: Plural::one_other("1 forsøg tilbage.", "{n} forsøg tilbage."),
    code_works_for: Plural::one_other(
        "Koden gælder i 1 minut mere.",
        "Koden gælder i {n} minutter mere.",
    ),
    verify: "Bekræft",
    send_new_code: "Send en ny kode",
    send_new_code_in: "Send en ny kode om {s} s",
    change_number: "Skift nummer",
    cancel: "Annuller",

    verified_title: "Dit nummer er bekræftet",
    cancelled_title: "Bekræftelsen er annulleret",
    done: "Færdig.",
    taking_you_back: "Sender dig tilbage til {site}…",
    continue_to: "Fortsæt til {site}",
    expired_title: "Bekræftelsen er udløbet",
    start_again: "Start forfra på den side, du kom fra.",
    locked_title: "For mange forkerte koder",
    locked_body: "Af hensyn til din sikkerhed er bekræftelsen låst. Start forfra på den side, du kom fra.",
    verification: "Bekræftelse",
    test_mode: "Testtilstand: der sendes ingen sms. Koden er {code}.",

    no_session: "Bekræftelseslinket er ugyldigt. Start forfra på den side, du kom fra.",
    ended: "Bekræftelsen er afsluttet. Start forfra på den side, du kom fra.",
    out_of_step: "Siden var forældet; her er det trin, du er nået til.",
    wrong_code: "Koden er forkert.",
    code_expired: "Koden er udløbet. Bed om en ny.",
    code_replaced: "Koden gælder ikke længere. Send en ny.",
    wait_seconds: Plural::one_other(
        "Vent 1 sekund, før du beder om en ny kode.",
        "Vent {n} sekunder, før du beder om en ny kode.",
    ),
    wait_minutes: Plural::one_other(
        "For mange forsøg: prøv igen om 1 minut.",
        "For mange forsøg: prøv igen om {n} minutter.",
    ),
    too_many_codes: "For mange forsøg. Start forfra på den side, du kom fra.",
    cannot_send_to: "Vi kan ikke sende en kode til dette nummer.",
    use_app: "Vi kan ikke sende en sms lige nu. Hent i stedet koden i din godkendelsesapp.",
    unavailable: "Vi kunne ikke nå bekræftelsestjenesten. Prøv igen om lidt.",

    phone_empty: "Indtast dit telefonnummer.",
    phone_too_long: "Det er for langt til at være et telefonnummer.",
    phone_not_a_number: "Brug kun cifre, for eksempel +45 20 12 34 56.",
    phone_needs_country_code: "Tilføj landekoden, der starter med +, eller vælg dit land.",
    phone_invalid: "Det er ikke et gyldigt telefonnummer. Tjek cifrene og landet.",
    unknown_country: "Vi kender ikke landet “{country}”. Vælg et fra listen.",
    code_empty: "Indtast koden, vi sendte dig.",
    code_not_digits: "Koden består kun af cifre.",
    code_length: "Koden har {min} til {max} cifre.",

    sms_code: "Din kode til {site} er {code}",
};
