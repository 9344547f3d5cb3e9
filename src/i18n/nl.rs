//! Dutch.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Nl,
    verify_title: "Bevestig je telefoonnummer",
    lead: "{site} weet dan dat dit nummer van jou is.",
    country: "Land",
    phone_number: "Telefoonnummer",
    get_the_code: "Code ontvangen",
    by_sms: "Via sms",
    by_app: "Uit mijn authenticator-app",
    send_code: "Code versturen",

    enter_code_title: "Voer je code in",
    code_from_app: "Voer de code in die je authenticator-app toont.",
    code_sent_by_sms: "We hebben een code per sms gestuurd naar {phone}.",
    code: "Code",
    tries_left: Plural::one_other("Nog 1 poging.", "Nog {n} pogingen."),
    code_works_for: Plural::one_other(
        "De code is nog 1 minuut geldig.",
        "De code is nog {n} minuten geldig.",
    ),
    verify: "Bevestigen",
    send_new_code: "Nieuwe code versturen",
    send_new_code_in: "Nieuwe code versturen over {s} s",
    change_number: "Nummer wijzigen",
    cancel: "Annuleren",

    verified_title: "Je nummer is bevestigd",
    cancelled_title: "Bevestiging geannuleerd",
    done: "Klaar.",
    taking_you_back: "Terug naar {site}…",
    continue_to: "Verder naar {site}",
    expired_title: "Deze bevestiging is verlopen",
    start_again: "Begin opnieuw op de site waar je vandaan kwam.",
    locked_title: "Te veel verkeerde codes",
    locked_body: "Voor je veiligheid is deze bevestiging geblokkeerd. Begin opnieuw op de site waar je vandaan kwam.",
    verification: "Bevestiging",
    test_mode: "Testmodus: er wordt geen sms verstuurd. De code is {code}.",

    no_session: "Deze bevestigingslink is niet geldig. Begin opnieuw op de site waar je vandaan kwam.",
    ended: "Deze bevestiging is afgelopen. Begin opnieuw op de site waar je vandaan kwam.",
    out_of_step: "Deze pagina was verouderd; hier is je huidige stap.",
    wrong_code: "Die code klopt niet.",
    code_expired: "Die code is verlopen. Vraag een nieuwe aan.",
    code_replaced: "Deze code is niet meer geldig. Verstuur een nieuwe.",
    wait_seconds: Plural::one_other(
        "Wacht 1 seconde voordat je een nieuwe code aanvraagt.",
        "Wacht {n} seconden voordat je een nieuwe code aanvraagt.",
    ),
    wait_minutes: Plural::one_other(
        "Te veel pogingen: probeer het over 1 minuut opnieuw.",
        "Te veel pogingen: probeer het over {n} minuten opnieuw.",
    ),
    too_many_codes: "Te veel pogingen. Begin opnieuw op de site waar je vandaan kwam.",
    cannot_send_to: "We kunnen geen code naar dit nummer sturen.",
    use_app: "We kunnen op dit moment geen sms sturen. Gebruik de code uit je authenticator-app.",
    unavailable: "De bevestigingsdienst is niet bereikbaar. Probeer het zo opnieuw.",

    phone_empty: "Voer je telefoonnummer in.",
    phone_too_long: "Dat is te lang voor een telefoonnummer.",
    phone_not_a_number: "Gebruik alleen cijfers, bijvoorbeeld +31 6 12345678.",
    phone_needs_country_code: "Voeg je landcode toe, beginnend met +, of kies je land.",
    phone_invalid: "Dat is geen geldig telefoonnummer. Controleer de cijfers en het land.",
    unknown_country: "We kennen het land ‘{country}’ niet. Kies er een uit de lijst.",
    code_empty: "Voer de code in die we je stuurden.",
    code_not_digits: "De code bestaat alleen uit cijfers.",
    code_length: "De code heeft {min} tot {max} cijfers.",

    sms_code: "Je {site}-code is {code}",
};
