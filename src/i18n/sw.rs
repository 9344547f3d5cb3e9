//! Swahili.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Sw,
    verify_title: "Thibitisha nambari yako ya simu",
    lead: "{site} itajua kwamba nambari hii ni yako.",
    country: "Nchi",
    phone_number: "Nambari ya simu",
    get_the_code: "Pokea msimbo",
    by_sms: "Kwa SMS",
    by_app: "Kutoka kwenye programu yangu ya uthibitishaji",
    send_code: "Tuma msimbo",

    enter_code_title: "Weka msimbo wako",
    code_from_app: "Weka msimbo unaoonyeshwa na programu yako ya uthibitishaji.",
    code_sent_by_sms: "Tumetuma msimbo kwa SMS kwenda {phone}.",
    code: "Msimbo",
    tries_left: Plural::one_other("Limebaki jaribio 1.", "Yamebaki majaribio {n}."),
    code_works_for: Plural::one_other(
        "Msimbo utafanya kazi kwa dakika 1 zaidi.",
        "Msimbo utafanya kazi kwa dakika {n} zaidi.",
    ),
    verify: "Thibitisha",
    send_new_code: "Tuma msimbo mpya",
    send_new_code_in: "Tuma msimbo mpya baada ya sekunde {s}",
    change_number: "Badilisha nambari",
    cancel: "Ghairi",

    verified_title: "Nambari yako imethibitishwa",
    cancelled_title: "Uthibitishaji umeghairiwa",
    done: "Imekamilika.",
    taking_you_back: "Tunakurudisha kwenye {site}…",
    continue_to: "Endelea kwenye {site}",
    expired_title: "Muda wa uthibitishaji huu umeisha",
    start_again: "Anza upya kwenye tovuti uliyotoka.",
    locked_title: "Misimbo mingi mno isiyo sahihi",
    locked_body: "Kwa usalama wako, uthibitishaji huu umefungwa. Anza upya kwenye tovuti uliyotoka.",
    verification: "Uthibitishaji",
    test_mode: "Hali ya majaribio: hakuna SMS inayotumwa. Msimbo ni {code}.",

    no_session: "Kiungo hiki cha uthibitishaji si sahihi. Anza upya kwenye tovuti uliyotoka.",
    ended: "Uthibitishaji huu umekwisha. Anza upya kwenye tovuti uliyotoka.",
    out_of_step: "Ukurasa huu ulikuwa wa zamani; hapa ndipo ulipo sasa.",
    wrong_code: "Msimbo huo si sahihi.",
    code_expired: "Muda wa msimbo huo umeisha. Omba mpya.",
    code_replaced: "Msimbo huu haufai tena. Tuma mpya.",
    wait_seconds: Plural::one_other(
        "Tafadhali subiri sekunde 1 kabla ya kuomba msimbo mwingine.",
        "Tafadhali subiri sekunde {n} kabla ya kuomba msimbo mwingine.",
    ),
    wait_minutes: Plural::one_other(
        "Majaribio mengi mno: jaribu tena baada ya dakika 1.",
        "Majaribio mengi mno: jaribu tena baada ya dakika {n}.",
    ),
    too_many_codes: "Majaribio mengi mno. Anza upya kwenye tovuti uliyotoka.",
    cannot_send_to: "Hatuwezi kutuma msimbo kwa nambari hii.",
    use_app:
        "Hatuwezi kutuma SMS kwa sasa. Pata msimbo kutoka kwenye programu yako ya uthibitishaji.",
    unavailable: "Hatukuweza kufikia huduma ya uthibitishaji. Tafadhali jaribu tena baada ya muda mfupi.",

    phone_empty: "Weka nambari yako ya simu.",
    phone_too_long: "Hiyo ni ndefu mno kuwa nambari ya simu.",
    phone_not_a_number: "Tumia tarakimu pekee, kwa mfano +255 712 345 678.",
    phone_needs_country_code: "Ongeza msimbo wa nchi unaoanza na +, au chagua nchi yako.",
    phone_invalid: "Hiyo si nambari sahihi ya simu. Kagua tarakimu na nchi.",
    unknown_country: "Hatuijui nchi “{country}”. Chagua moja kutoka kwenye orodha.",
    code_empty: "Weka msimbo tuliokutumia.",
    code_not_digits: "Msimbo una tarakimu pekee.",
    code_length: "Msimbo una tarakimu {min} hadi {max}.",

    sms_code: "Msimbo wako wa {site} ni {code}",
};
