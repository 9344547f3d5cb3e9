//! French.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Fr,
    verify_title: "Vérifiez votre numéro de téléphone",
    lead: "{site} saura que ce numéro est le vôtre.",
    country: "Pays",
    phone_number: "Numéro de téléphone",
    get_the_code: "Recevoir le code",
    by_sms: "Par SMS",
    by_app: "Depuis mon application d’authentification",
    send_code: "Envoyer le code",

    enter_code_title: "Saisissez votre code",
    code_from_app: "Saisissez le code affiché par votre application d’authentification.",
    code_sent_by_sms: "Nous avons envoyé un code par SMS au {phone}.",
    code: "Code",
    tries_left: Plural::one_other("Il reste {n} essai.", "Il reste {n} essais."),
    code_works_for: Plural::one_other(
        "Le code est encore valable {n} minute.",
        "Le code est encore valable {n} minutes.",
    ),
    verify: "Vérifier",
    send_new_code: "Envoyer un nouveau code",
    send_new_code_in: "Envoyer un nouveau code dans {s} s",
    change_number: "Changer de numéro",
    cancel: "Annuler",

    verified_title: "Votre numéro est vérifié",
    cancelled_title: "Vérification annulée",
    done: "Terminé.",
    taking_you_back: "Retour vers {site}…",
    continue_to: "Continuer vers {site}",
    expired_title: "Cette vérification a expiré",
    start_again: "Recommencez depuis le site d’où vous venez.",
    locked_title: "Trop de codes erronés",
    locked_body: "Pour votre sécurité, cette vérification est bloquée. Recommencez depuis le site d’où vous venez.",
    verification: "Vérification",
    test_mode: "Mode test : aucun SMS n’est envoyé. Le code est {code}.",

    no_session: "Ce lien de vérification n’est pas valide. Recommencez depuis le site d’où vous venez.",
    ended: "Cette vérification est terminée. Recommencez depuis le site d’où vous venez.",
    out_of_step: "Cette page n’était plus à jour ; voici l’étape où vous en êtes.",
    wrong_code: "Ce code n’est pas le bon.",
    code_expired: "Ce code a expiré. Demandez-en un nouveau.",
    code_replaced: "Ce code n’est plus valable. Envoyez-en un nouveau.",
    wait_seconds: Plural::one_other(
        "Veuillez patienter {n} seconde avant de demander un autre code.",
        "Veuillez patienter {n} secondes avant de demander un autre code.",
    ),
    wait_minutes: Plural::one_other(
        "Trop de tentatives : réessayez dans {n} minute.",
        "Trop de tentatives : réessayez dans {n} minutes.",
    ),
    too_many_codes: "Trop de tentatives. Recommencez depuis le site d’où vous venez.",
    cannot_send_to: "Nous ne pouvons pas envoyer de code à ce numéro.",
    use_app:
        "Impossible d’envoyer un SMS pour l’instant. Utilisez votre application d’authentification.",
    unavailable: "Le service de vérification est injoignable. Réessayez dans un instant.",

    phone_empty: "Saisissez votre numéro de téléphone.",
    phone_too_long: "C’est trop long pour un numéro de téléphone.",
    phone_not_a_number: "Utilisez uniquement des chiffres, par exemple +33 6 12 34 56 78.",
    phone_needs_country_code: "Ajoutez l’indicatif du pays, commençant par +, ou choisissez votre pays.",
    phone_invalid: "Ce n’est pas un numéro de téléphone valide. Vérifiez les chiffres et le pays.",
    unknown_country: "Nous ne connaissons pas le pays « {country} ». Choisissez-en un dans la liste.",
    code_empty: "Saisissez le code que nous vous avons envoyé.",
    code_not_digits: "Le code ne contient que des chiffres.",
    code_length: "Le code comporte de {min} à {max} chiffres.",

    sms_code: "Votre code {site} est {code}",
};
