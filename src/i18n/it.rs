//! Italian.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::It,
    verify_title: "Verifica il tuo numero di telefono",
    lead: "{site} saprà che questo numero è tuo.",
    country: "Paese",
    phone_number: "Numero di telefono",
    get_the_code: "Ricevi il codice",
    by_sms: "Via SMS",
    by_app: "Dalla mia app di autenticazione",
    send_code: "Invia codice",

    enter_code_title: "Inserisci il codice",
    code_from_app: "Inserisci il codice mostrato dalla tua app di autenticazione.",
    code_sent_by_sms: "Abbiamo inviato un codice via SMS al numero {phone}.",
    code: "Codice",
    tries_left: Plural::one_other("Ti resta 1 tentativo.", "Ti restano {n} tentativi."),
    code_works_for: Plural::one_other(
        "Il codice vale ancora 1 minuto.",
        "Il codice vale ancora {n} minuti.",
    ),
    verify: "Verifica",
    send_new_code: "Invia un nuovo codice",
    send_new_code_in: "Invia un nuovo codice tra {s} s",
    change_number: "Cambia numero",
    cancel: "Annulla",

    verified_title: "Il tuo numero è verificato",
    cancelled_title: "Verifica annullata",
    done: "Fatto.",
    taking_you_back: "Ritorno a {site}…",
    continue_to: "Continua su {site}",
    expired_title: "Questa verifica è scaduta",
    start_again: "Ricomincia dal sito da cui sei arrivato.",
    locked_title: "Troppi codici errati",
    locked_body: "Per la tua sicurezza questa verifica è bloccata. Ricomincia dal sito da cui sei arrivato.",
    verification: "Verifica",
    test_mode: "Modalità di prova: non viene inviato alcun SMS. Il codice è {code}.",

    no_session: "Questo link di verifica non è valido. Ricomincia dal sito da cui sei arrivato.",
    ended: "Questa verifica è terminata. Ricomincia dal sito da cui sei arrivato.",
    out_of_step: "Questa pagina non era aggiornata; ecco il passaggio attuale.",
    wrong_code: "Il codice non è corretto.",
    code_expired: "Il codice è scaduto. Richiedine uno nuovo.",
    code_replaced: "Questo codice non è più valido. Inviane uno nuovo.",
    wait_seconds: Plural::one_other(
        "Attendi 1 secondo prima di richiedere un altro codice.",
        "Attendi {n} secondi prima di richiedere un altro codice.",
    ),
    wait_minutes: Plural::one_other(
        "Troppi tentativi: riprova tra 1 minuto.",
        "Troppi tentativi: riprova tra {n} minuti.",
    ),
    too_many_codes: "Troppi tentativi. Ricomincia dal sito da cui sei arrivato.",
    cannot_send_to: "Non possiamo inviare un codice a questo numero.",
    use_app:
        "Al momento non possiamo inviare SMS. Usa invece il codice della tua app di autenticazione.",
    unavailable: "Impossibile raggiungere il servizio di verifica. Riprova tra un momento.",

    phone_empty: "Inserisci il tuo numero di telefono.",
    phone_too_long: "È troppo lungo per essere un numero di telefono.",
    phone_not_a_number: "Usa solo cifre, per esempio +39 312 345 6789.",
    phone_needs_country_code: "Aggiungi il prefisso internazionale, che inizia con +, o scegli il tuo paese.",
    phone_invalid: "Non è un numero di telefono valido. Controlla le cifre e il paese.",
    unknown_country: "Non conosciamo il paese «{country}». Scegline uno dall’elenco.",
    code_empty: "Inserisci il codice che ti abbiamo inviato.",
    code_not_digits: "Il codice contiene solo cifre.",
    code_length: "Il codice ha da {min} a {max} cifre.",

    sms_code: "Il tuo codice {site} è {code}",
};
