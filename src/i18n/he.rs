//! Hebrew.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::He,
    verify_title: "אימות מספר הטלפון שלך",
    lead: "{site} יידע שהמספר הזה שלך.",
    country: "מדינה",
    phone_number: "מספר טלפון",
    get_the_code: "קבלת הקוד",
    by_sms: "ב-SMS",
    by_app: "מאפליקציית האימות שלי",
    send_code: "שליחת קוד",

    enter_code_title: "הזנת הקוד",
    code_from_app: "יש להזין את הקוד שמוצג באפליקציית האימות.",
    code_sent_by_sms: "שלחנו קוד ב-SMS אל {phone}.",
    code: "קוד",
    tries_left: Plural::one_other("נותר ניסיון אחד.", "נותרו {n} ניסיונות.")
        .two("נותרו שני ניסיונות."),
    code_works_for: Plural::one_other(
        "הקוד תקף לעוד דקה אחת.",
        "הקוד תקף לעוד {n} דקות.",
    )
    .two("הקוד תקף לעוד שתי דקות."),
    verify: "אימות",
    send_new_code: "שליחת קוד חדש",
    send_new_code_in: "שליחת קוד חדש בעוד {s} שנ׳",
    change_number: "שינוי המספר",
    cancel: "ביטול",

    verified_title: "המספר שלך אומת",
    cancelled_title: "האימות בוטל",
    done: "סיימנו.",
    taking_you_back: "חוזרים אל {site}…",
    continue_to: "המשך אל {site}",
    expired_title: "תוקף האימות הזה פג",
    start_again: "יש להתחיל מחדש מהאתר שממנו הגעת.",
    locked_title: "יותר מדי קודים שגויים",
    locked_body: "לביטחונך, האימות הזה ננעל. יש להתחיל מחדש מהאתר שממנו הגעת.",
    verification: "אימות",
    test_mode: "מצב בדיקה: לא נשלח SMS. הקוד הוא {code}.",

    no_session: "קישור האימות הזה אינו תקף. יש להתחיל מחדש מהאתר שממנו הגעת.",
    ended: "האימות הזה הסתיים. יש להתחיל מחדש מהאתר שממנו הגעת.",
    out_of_step: "הדף הזה לא היה מעודכן; זה השלב שבו נמצאים עכשיו.",
    wrong_code: "הקוד הזה שגוי.",
    code_expired: "תוקף הקוד הזה פג. יש לבקש קוד חדש.",
    code_replaced: "הקוד הזה כבר לא תקף. יש לשלוח קוד חדש.",
    wait_seconds: Plural::one_other(
        "יש להמתין שנייה אחת לפני בקשת קוד נוסף.",
        "יש להמתין {n} שניות לפני בקשת קוד נוסף.",
    )
    .two("יש להמתין שתי שניות לפני בקשת קוד נוסף."),
    wait_minutes: Plural::one_other(
        "יותר מדי ניסיונות: אפשר לנסות שוב בעוד דקה.",
        "יותר מדי ניסיונות: אפשר לנסות שוב בעוד {n} דקות.",
    )
    .two("יותר מדי ניסיונות: אפשר לנסות שוב בעוד שתי דקות."),
    too_many_codes: "יותר מדי ניסיונות. יש להתחיל מחדש מהאתר שממנו הגעת.",
    cannot_send_to: "אין לנו אפשרות לשלוח קוד למספר הזה.",
    unavailable: "לא הצלחנו להתחבר לשירות האימות. אפשר לנסות שוב בעוד רגע.",

    phone_empty: "יש להזין את מספר הטלפון שלך.",
    phone_too_long: "זה ארוך מדי בשביל מספר טלפון.",
    phone_not_a_number: "יש להשתמש בספרות בלבד, לדוגמה ‎+972 50 123 4567.",
    phone_needs_country_code: "יש להוסיף קידומת מדינה שמתחילה ב-+, או לבחור מדינה.",
    phone_invalid: "זה לא מספר טלפון תקין. כדאי לבדוק את הספרות ואת המדינה.",
    unknown_country: "המדינה „{country}” לא מוכרת לנו. יש לבחור מדינה מהרשימה.",
    code_empty: "יש להזין את הקוד ששלחנו.",
    code_not_digits: "הקוד מורכב מספרות בלבד.",
    code_length: "הקוד מורכב מ-{min} עד {max} ספרות.",

    sms_code: "הקוד שלך ל-{site} הוא {code}",
};
