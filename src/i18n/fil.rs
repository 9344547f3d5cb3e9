//! Filipino.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Fil,
    verify_title: "I-verify ang iyong numero ng telepono",
    lead: "Malalaman ng {site} na sa iyo ang numerong ito.",
    country: "Bansa",
    phone_number: "Numero ng telepono",
    get_the_code: "Kunin ang code",
    by_sms: "Sa SMS",
    by_app: "Mula sa aking authenticator app",
    send_code: "Ipadala ang code",

    enter_code_title: "Ilagay ang iyong code",
    code_from_app: "Ilagay ang code na ipinapakita ng iyong authenticator app.",
    code_sent_by_sms: "Nagpadala kami ng code sa SMS sa {phone}.",
    code: "Code",
    tries_left: Plural::one_other("{n} subok na lang ang natitira.", "{n} subok na lang ang natitira."),
    code_works_for: Plural::one_other(
        "Gumagana pa ang code nang {n} minuto.",
        "Gumagana pa ang code nang {n} minuto.",
    ),
    verify: "I-verify",
    send_new_code: "Magpadala ng bagong code",
    send_new_code_in: "Magpadala ng bagong code sa loob ng {s} s",
    change_number: "Palitan ang numero",
    cancel: "Kanselahin",

    verified_title: "Na-verify na ang iyong numero",
    cancelled_title: "Kinansela ang pag-verify",
    done: "Tapos na.",
    taking_you_back: "Ibinabalik ka sa {site}…",
    continue_to: "Magpatuloy sa {site}",
    expired_title: "Nag-expire na ang pag-verify na ito",
    start_again: "Magsimulang muli mula sa site na pinanggalingan mo.",
    locked_title: "Masyadong maraming maling code",
    locked_body: "Para sa iyong kaligtasan, naka-lock ang pag-verify na ito. Magsimulang muli mula sa site na pinanggalingan mo.",
    verification: "Pag-verify",
    test_mode: "Test mode: walang ipinapadalang SMS. Ang code ay {code}.",

    no_session: "Hindi valid ang link na ito. Magsimulang muli mula sa site na pinanggalingan mo.",
    ended: "Tapos na ang pag-verify na ito. Magsimulang muli mula sa site na pinanggalingan mo.",
    out_of_step: "Luma na ang pahinang ito; narito ang kasalukuyan mong hakbang.",
    wrong_code: "Mali ang code na iyan.",
    code_expired: "Nag-expire na ang code na iyan. Humingi ng bago.",
    code_replaced: "Hindi na valid ang code na ito. Magpadala ng bago.",
    wait_seconds: Plural::one_other(
        "Maghintay nang {n} segundo bago humingi ng ibang code.",
        "Maghintay nang {n} segundo bago humingi ng ibang code.",
    ),
    wait_minutes: Plural::one_other(
        "Masyadong maraming subok: subukang muli pagkalipas ng {n} minuto.",
        "Masyadong maraming subok: subukang muli pagkalipas ng {n} minuto.",
    ),
    too_many_codes: "Masyadong maraming subok. Magsimulang muli mula sa site na pinanggalingan mo.",
    cannot_send_to: "Hindi kami makapagpadala ng code sa numerong ito.",
    use_app: "Hindi kami makapagpadala ng SMS ngayon. Kunin ang code sa iyong authenticator app.",
    unavailable: "Hindi namin maabot ang serbisyo ng pag-verify. Subukang muli mamaya.",

    phone_empty: "Ilagay ang iyong numero ng telepono.",
    phone_too_long: "Masyadong mahaba iyan para sa numero ng telepono.",
    phone_not_a_number: "Mga digit lang ang gamitin, halimbawa +63 917 123 4567.",
    phone_needs_country_code: "Idagdag ang country code na nagsisimula sa +, o piliin ang iyong bansa.",
    phone_invalid: "Hindi iyan valid na numero ng telepono. Suriin ang mga digit at ang bansa.",
    unknown_country: "Hindi namin kilala ang bansang “{country}”. Pumili ng isa sa listahan.",
    code_empty: "Ilagay ang code na ipinadala namin.",
    code_not_digits: "Mga digit lang ang laman ng code.",
    code_length: "Ang code ay may {min} hanggang {max} digit.",

    sms_code: "Ang iyong {site} code ay {code}",
};
