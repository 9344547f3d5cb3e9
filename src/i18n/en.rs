//! English.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::En,
    verify_title: "Verify your phone number",
    lead: "{site} will know that this number is yours.",
    country: "Country",
    phone_number: "Phone number",
    get_the_code: "Get the code",
    by_sms: "By SMS",
    by_app: "From my authenticator app",
    send_code: "Send code",

    enter_code_title: "Enter your code",
    code_from_app: "Enter the code your authenticator app shows.",
    code_sent_by_sms: "We sent a code by SMS to {phone}.",
    code: "Code",
    tries_left: Plural::one_other("1 try left.", "{n} tries left."),
    code_works_for: Plural::one_other(
        "The code works for 1 more minute.",
        "The code works for {n} more minutes.",
    ),
    verify: "Verify",
    send_new_code: "Send a new code",
    send_new_code_in: "Send a new code in {s} s",
    change_number: "Change number",
    cancel: "Cancel",

    verified_title: "Your number is verified",
    cancelled_title: "Verification cancelled",
    done: "Done.",
    taking_you_back: "Taking you back to {site}…",
    continue_to: "Continue to {site}",
    expired_title: "This verification has expired",
    start_again: "Start again from the site you came from.",
    locked_title: "Too many wrong codes",
    locked_body:
        "For your safety this verification is locked. Start again from the site you came from.",
    verification: "Verification",
    test_mode: "Test mode: no SMS is sent. The code is {code}.",

    no_session: "This verification link is not valid. Start again from the site you came from.",
    ended: "This verification has ended. Start again from the site you came from.",
    out_of_step: "This page was out of date; here is where you are now.",
    wrong_code: "That code is not right.",
    code_expired: "That code has expired. Ask for a new one.",
    code_replaced: "This code is no longer valid. Send a new one.",
    wait_seconds: Plural::one_other(
        "Please wait 1 second before asking for another code.",
        "Please wait {n} seconds before asking for another code.",
    ),
    wait_minutes: Plural::one_other(
        "Too many attempts: try again in 1 minute.",
        "Too many attempts: try again in {n} minutes.",
    ),
    too_many_codes: "Too many attempts. Start again from the site you came from.",
    cannot_send_to: "We can't send a code to this number.",
    use_app: "We can't send an SMS right now. Get your code from your authenticator app instead.",
    unavailable: "We could not reach the verification service. Please try again in a moment.",

    phone_empty: "Enter your phone number.",
    phone_too_long: "That is too long to be a phone number.",
    phone_not_a_number: "Use digits only, for example +1 415 555 0123.",
    phone_needs_country_code: "Add your country code, starting with +, or pick your country.",
    phone_invalid: "That is not a valid phone number. Check the digits and the country.",
    unknown_country: "We do not know the country “{country}”. Pick one from the list.",
    code_empty: "Enter the code we sent you.",
    code_not_digits: "The code has digits only.",
    code_length: "The code has {min} to {max} digits.",

    sms_code: "Your {site} code is {code}",
};
