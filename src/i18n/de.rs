//! German.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::De,
    verify_title: "Bestätige deine Telefonnummer",
    lead: "{site} erfährt, dass diese Nummer dir gehört.",
    country: "Land",
    phone_number: "Telefonnummer",
    get_the_code: "Code erhalten",
    by_sms: "Per SMS",
    by_app: "Aus meiner Authenticator-App",
    send_code: "Code senden",

    enter_code_title: "Code eingeben",
    code_from_app: "Gib den Code ein, den deine Authenticator-App anzeigt.",
    code_sent_by_sms: "Wir haben einen Code per SMS an {phone} gesendet.",
    code: "Code",
    tries_left: Plural::one_other("Noch 1 Versuch.", "Noch {n} Versuche."),
    code_works_for: Plural::one_other(
        "Der Code gilt noch 1 Minute.",
        "Der Code gilt noch {n} Minuten.",
    ),
    verify: "Bestätigen",
    send_new_code: "Neuen Code senden",
    send_new_code_in: "Neuen Code senden in {s} s",
    change_number: "Nummer ändern",
    cancel: "Abbrechen",

    verified_title: "Deine Nummer ist bestätigt",
    cancelled_title: "Bestätigung abgebrochen",
    done: "Fertig.",
    taking_you_back: "Zurück zu {site}…",
    continue_to: "Weiter zu {site}",
    expired_title: "Diese Bestätigung ist abgelaufen",
    start_again: "Beginne noch einmal auf der Seite, von der du kamst.",
    locked_title: "Zu viele falsche Codes",
    locked_body: "Zu deiner Sicherheit ist diese Bestätigung gesperrt. Beginne noch einmal auf der Seite, von der du kamst.",
    verification: "Bestätigung",
    test_mode: "Testmodus: Es wird keine SMS gesendet. Der Code ist {code}.",

    no_session: "Dieser Bestätigungslink ist ungültig. Beginne noch einmal auf der Seite, von der du kamst.",
    ended: "Diese Bestätigung ist beendet. Beginne noch einmal auf der Seite, von der du kamst.",
    out_of_step: "Diese Seite war veraltet; hier ist dein aktueller Schritt.",
    wrong_code: "Dieser Code ist nicht richtig.",
    code_expired: "Dieser Code ist abgelaufen. Fordere einen neuen an.",
    code_replaced: "Dieser Code gilt nicht mehr. Sende einen neuen.",
    wait_seconds: Plural::one_other(
        "Bitte warte 1 Sekunde, bevor du einen weiteren Code anforderst.",
        "Bitte warte {n} Sekunden, bevor du einen weiteren Code anforderst.",
    ),
    wait_minutes: Plural::one_other(
        "Zu viele Versuche: Versuche es in 1 Minute erneut.",
        "Zu viele Versuche: Versuche es in {n} Minuten erneut.",
    ),
    too_many_codes: "Zu viele Versuche. Beginne noch einmal auf der Seite, von der du kamst.",
    cannot_send_to: "An diese Nummer können wir keinen Code senden.",
    use_app: "Wir können gerade keine SMS senden. Hol dir den Code aus deiner Authenticator-App.",
    unavailable: "Der Bestätigungsdienst ist nicht erreichbar. Bitte versuche es gleich noch einmal.",

    phone_empty: "Gib deine Telefonnummer ein.",
    phone_too_long: "Das ist zu lang für eine Telefonnummer.",
    phone_not_a_number: "Nur Ziffern, zum Beispiel +49 151 23456789.",
    phone_needs_country_code: "Füge die Ländervorwahl mit + hinzu oder wähle dein Land.",
    phone_invalid: "Das ist keine gültige Telefonnummer. Prüfe die Ziffern und das Land.",
    unknown_country: "Das Land „{country}“ kennen wir nicht. Wähle eines aus der Liste.",
    code_empty: "Gib den Code ein, den wir dir gesendet haben.",
    code_not_digits: "Der Code besteht nur aus Ziffern.",
    code_length: "Der Code hat {min} bis {max} Ziffern.",

    sms_code: "Dein {site}-Code lautet {code}",
};
