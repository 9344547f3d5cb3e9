//! Spanish.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Es,
    verify_title: "Verifica tu número de teléfono",
    lead: "{site} sabrá que este número es tuyo.",
    country: "País",
    phone_number: "Número de teléfono",
    get_the_code: "Recibir el código",
    by_sms: "Por SMS",
    by_app: "Desde mi app de autenticación",
    send_code: "Enviar código",

    enter_code_title: "Introduce tu código",
    code_from_app: "Introduce el código que muestra tu app de autenticación.",
    code_sent_by_sms: "Te enviamos un código por SMS al {phone}.",
    code: "Código",
    tries_left: Plural::one_other("Te queda 1 intento.", "Te quedan {n} intentos."),
    code_works_for: Plural::one_other(
        "El código vale 1 minuto más.",
        "El código vale {n} minutos más.",
    ),
    verify: "Verificar",
    send_new_code: "Enviar un código nuevo",
    send_new_code_in: "Enviar un código nuevo en {s} s",
    change_number: "Cambiar el número",
    cancel: "Cancelar",

    verified_title: "Tu número está verificado",
    cancelled_title: "Verificación cancelada",
    done: "Listo.",
    taking_you_back: "Volviendo a {site}…",
    continue_to: "Continuar a {site}",
    expired_title: "Esta verificación ha caducado",
    start_again: "Vuelve a empezar desde el sitio del que vienes.",
    locked_title: "Demasiados códigos incorrectos",
    locked_body: "Por tu seguridad, esta verificación está bloqueada. Vuelve a empezar desde el sitio del que vienes.",
    verification: "Verificación",
    test_mode: "Modo de prueba: no se envía ningún SMS. El código es {code}.",

    no_session: "Este enlace de verificación no es válido. Vuelve a empezar desde el sitio del que vienes.",
    ended: "Esta verificación ha terminado. Vuelve a empezar desde el sitio del que vienes.",
    out_of_step: "Esta página estaba desactualizada; aquí tienes el paso actual.",
    wrong_code: "Ese código no es correcto.",
    code_expired: "Ese código ha caducado. Pide uno nuevo.",
    code_replaced: "Este código ya no es válido. Pide uno nuevo.",
    wait_seconds: Plural::one_other(
        "Espera 1 segundo antes de pedir otro código.",
        "Espera {n} segundos antes de pedir otro código.",
    ),
    wait_minutes: Plural::one_other(
        "Demasiados intentos: inténtalo de nuevo en 1 minuto.",
        "Demasiados intentos: inténtalo de nuevo en {n} minutos.",
    ),
    too_many_codes: "Demasiados intentos. Vuelve a empezar desde el sitio del que vienes.",
    cannot_send_to: "No podemos enviar un código a este número.",
    use_app: "Ahora mismo no podemos enviar un SMS. Obtén el código en tu app de autenticación.",
    unavailable: "No pudimos contactar con el servicio de verificación. Inténtalo de nuevo en un momento.",

    phone_empty: "Introduce tu número de teléfono.",
    phone_too_long: "Es demasiado largo para ser un número de teléfono.",
    phone_not_a_number: "Usa solo cifras, por ejemplo +34 612 34 56 78.",
    phone_needs_country_code: "Añade el prefijo del país, empezando por +, o elige tu país.",
    phone_invalid: "No es un número de teléfono válido. Revisa las cifras y el país.",
    unknown_country: "No conocemos el país «{country}». Elige uno de la lista.",
    code_empty: "Introduce el código que te enviamos.",
    code_not_digits: "El código solo tiene cifras.",
    code_length: "El código tiene de {min} a {max} cifras.",

    sms_code: "Tu código de {site} es {code}",
};
