//! Portuguese.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Pt,
    verify_title: "Confirme seu número de telefone",
    lead: "{site} saberá que este número é seu.",
    country: "País",
    phone_number: "Número de telefone",
    get_the_code: "Receber o código",
    by_sms: "Por SMS",
    by_app: "Pelo meu app autenticador",
    send_code: "Enviar código",

    enter_code_title: "Digite o código",
    code_from_app: "Digite o código mostrado pelo seu app autenticador.",
    code_sent_by_sms: "Enviamos um código por SMS para {phone}.",
    code: "Código",
    tries_left: Plural::one_other("Resta {n} tentativa.", "Restam {n} tentativas."),
    code_works_for: Plural::one_other(
        "O código vale por mais {n} minuto.",
        "O código vale por mais {n} minutos.",
    ),
    verify: "Confirmar",
    send_new_code: "Enviar novo código",
    send_new_code_in: "Enviar novo código em {s} s",
    change_number: "Trocar número",
    cancel: "Cancelar",

    verified_title: "Seu número foi confirmado",
    cancelled_title: "Confirmação cancelada",
    done: "Pronto.",
    taking_you_back: "Voltando para {site}…",
    continue_to: "Continuar para {site}",
    expired_title: "Esta confirmação expirou",
    start_again: "Comece de novo no site de onde você veio.",
    locked_title: "Códigos errados demais",
    locked_body: "Para sua segurança, esta confirmação foi bloqueada. Comece de novo no site de onde você veio.",
    verification: "Confirmação",
    test_mode: "Modo de teste: nenhum SMS é enviado. O código é {code}.",

    no_session: "Este link de confirmação não é válido. Comece de novo no site de onde você veio.",
    ended: "Esta confirmação terminou. Comece de novo no site de onde você veio.",
    out_of_step: "Esta página estava desatualizada; esta é a sua etapa atual.",
    wrong_code: "Esse código não está correto.",
    code_expired: "Esse código expirou. Peça um novo.",
    code_replaced: "Este código não é mais válido. Envie um novo.",
    wait_seconds: Plural::one_other(
        "Aguarde {n} segundo antes de pedir outro código.",
        "Aguarde {n} segundos antes de pedir outro código.",
    ),
    wait_minutes: Plural::one_other(
        "Tentativas demais: tente de novo em {n} minuto.",
        "Tentativas demais: tente de novo em {n} minutos.",
    ),
    too_many_codes: "Tentativas demais. Comece de novo no site de onde você veio.",
    cannot_send_to: "Não podemos enviar um código para este número.",
    use_app: "Não podemos enviar SMS agora. Em vez disso, use o código do seu app autenticador.",
    unavailable: "Não conseguimos acessar o serviço de confirmação. Tente de novo em instantes.",

    phone_empty: "Digite seu número de telefone.",
    phone_too_long: "Isso é longo demais para um número de telefone.",
    phone_not_a_number: "Use só algarismos, por exemplo +55 11 91234 5678.",
    phone_needs_country_code: "Adicione o código do país, começando com +, ou escolha seu país.",
    phone_invalid: "Esse não é um número de telefone válido. Confira os algarismos e o país.",
    unknown_country: "Não conhecemos o país “{country}”. Escolha um da lista.",
    code_empty: "Digite o código que enviamos.",
    code_not_digits: "O código tem só algarismos.",
    code_length: "O código tem de {min} a {max} algarismos.",

    sms_code: "Seu código {site} é {code}",
};
