//! Spanish.

use super::Text;

pub(super) static TEXT: Text = Text {
    verify_title: "Verifica tu número de teléfono",
    lead: |site| format!("{site} sabrá que este número es tuyo."),
    country: "País",
    phone_number: "Número de teléfono",
    get_the_code: "Recibir el código",
    by_sms: "Por SMS",
    by_app: "Desde mi app de autenticación",
    send_code: "Enviar código",

    enter_code_title: "Introduce tu código",
    code_from_app: "Introduce el código que muestra tu app de autenticación.",
    code_sent_by_sms: |phone| format!("Te enviamos un código por SMS al {phone}."),
    code: "Código",
    tries_left: |tries| match tries {
        1 => "Te queda 1 intento.".to_owned(),
        n => format!("Te quedan {n} intentos."),
    },
    code_works_for: |minutes| match minutes {
        1 => "El código vale 1 minuto más.".to_owned(),
        n => format!("El código vale {n} minutos más."),
    },
    verify: "Verificar",
    send_new_code: "Enviar un código nuevo",
    send_new_code_in: "Enviar un código nuevo en {s} s",
    change_number: "Cambiar el número",
    cancel: "Cancelar",

    verified_title: "Tu número está verificado",
    cancelled_title: "Verificación cancelada",
    done: "Listo.",
    taking_you_back: |site| format!("Volviendo a {site}…"),
    continue_to: |site| format!("Continuar a {site}"),
    expired_title: "Esta verificación ha caducado",
    start_again: "Vuelve a empezar desde el sitio del que vienes.",
    locked_title: "Demasiados códigos incorrectos",
    locked_body: "Por tu seguridad, esta verificación está bloqueada. Vuelve a empezar desde el sitio del que vienes.",
    verification: "Verificación",
    test_mode: |code| format!("Modo de prueba: no se envía ningún SMS. El código es {code}."),

    no_session: "Este enlace de verificación no es válido. Vuelve a empezar desde el sitio del que vienes.",
    ended: "Esta verificación ha terminado. Vuelve a empezar desde el sitio del que vienes.",
    out_of_step: "Esta página estaba desactualizada; aquí tienes el paso actual.",
    wrong_code: "Ese código no es correcto.",
    code_expired: "Ese código ha caducado. Pide uno nuevo.",
    code_replaced: "Este código ya no es válido. Pide uno nuevo.",
    too_soon: |seconds| match seconds {
        ..=120 => format!("Espera {seconds} segundos antes de pedir otro código."),
        _ => format!("Demasiados intentos: inténtalo de nuevo en {} minutos.", (seconds + 59) / 60),
    },
    too_many_codes: "Demasiados intentos. Vuelve a empezar desde el sitio del que vienes.",
    cannot_send_to: "No podemos enviar un código a este número.",
    unavailable: "No pudimos contactar con el servicio de verificación. Inténtalo de nuevo en un momento.",

    phone_empty: "Introduce tu número de teléfono.",
    phone_too_long: "Es demasiado largo para ser un número de teléfono.",
    phone_not_a_number: "Usa solo cifras, por ejemplo +34 612 34 56 78.",
    phone_needs_country_code: "Añade el prefijo del país, empezando por +, o elige tu país.",
    phone_invalid: "No es un número de teléfono válido. Revisa las cifras y el país.",
    unknown_country: |code| format!("No conocemos el país «{code}». Elige uno de la lista."),
    code_empty: "Introduce el código que te enviamos.",
    code_not_digits: "El código solo tiene cifras.",
    code_length: |min, max| format!("El código tiene de {min} a {max} cifras."),
};
