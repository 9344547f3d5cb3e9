//! Turkish.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Tr,
    verify_title: "Telefon numaranızı doğrulayın",
    lead: "{site}, bu numaranın size ait olduğunu bilecek.",
    country: "Ülke",
    phone_number: "Telefon numarası",
    get_the_code: "Kodu alma",
    by_sms: "SMS ile",
    by_app: "Kimlik doğrulama uygulamamdan",
    send_code: "Kod gönder",

    enter_code_title: "Kodunuzu girin",
    code_from_app: "Kimlik doğrulama uygulamanızın gösterdiği kodu girin.",
    code_sent_by_sms: "{phone} numarasına SMS ile bir kod gönderdik.",
    code: "Kod",
    tries_left: Plural::one_other("{n} deneme hakkınız kaldı.", "{n} deneme hakkınız kaldı."),
    code_works_for: Plural::one_other(
        "Kod {n} dakika daha geçerli.",
        "Kod {n} dakika daha geçerli.",
    ),
    verify: "Doğrula",
    send_new_code: "Yeni kod gönder",
    send_new_code_in: "{s} sn sonra yeni kod gönder",
    change_number: "Numarayı değiştir",
    cancel: "İptal",

    verified_title: "Numaranız doğrulandı",
    cancelled_title: "Doğrulama iptal edildi",
    done: "Tamam.",
    taking_you_back: "{site} sitesine dönülüyor…",
    continue_to: "{site} ile devam et",
    expired_title: "Bu doğrulamanın süresi doldu",
    start_again: "Geldiğiniz siteden yeniden başlayın.",
    locked_title: "Çok fazla yanlış kod",
    locked_body: "Güvenliğiniz için bu doğrulama kilitlendi. Geldiğiniz siteden yeniden başlayın.",
    verification: "Doğrulama",
    test_mode: "Test modu: SMS gönderilmez. Kod {code}.",

    no_session: "Bu doğrulama bağlantısı geçersiz. Geldiğiniz siteden yeniden başlayın.",
    ended: "Bu doğrulama sona erdi. Geldiğiniz siteden yeniden başlayın.",
    out_of_step: "Bu sayfa güncel değildi; şu anki adımınız burada.",
    wrong_code: "Bu kod doğru değil.",
    code_expired: "Bu kodun süresi doldu. Yeni bir kod isteyin.",
    code_replaced: "Bu kod artık geçerli değil. Yeni bir kod gönderin.",
    wait_seconds: Plural::one_other(
        "Başka bir kod istemeden önce lütfen {n} saniye bekleyin.",
        "Başka bir kod istemeden önce lütfen {n} saniye bekleyin.",
    ),
    wait_minutes: Plural::one_other(
        "Çok fazla deneme: {n} dakika sonra yeniden deneyin.",
        "Çok fazla deneme: {n} dakika sonra yeniden deneyin.",
    ),
    too_many_codes: "Çok fazla deneme. Geldiğiniz siteden yeniden başlayın.",
    cannot_send_to: "Bu numaraya kod gönderemiyoruz.",
    use_app: "Şu anda SMS gönderemiyoruz. Bunun yerine kodu kimlik doğrulama uygulamanızdan alın.",
    unavailable: "Doğrulama hizmetine ulaşılamadı. Lütfen biraz sonra yeniden deneyin.",

    phone_empty: "Telefon numaranızı girin.",
    phone_too_long: "Bu, bir telefon numarası için fazla uzun.",
    phone_not_a_number: "Yalnızca rakam kullanın, örneğin +90 532 123 45 67.",
    phone_needs_country_code: "+ ile başlayan ülke kodunu ekleyin veya ülkenizi seçin.",
    phone_invalid: "Bu geçerli bir telefon numarası değil. Rakamları ve ülkeyi kontrol edin.",
    unknown_country: "“{country}” ülkesini tanımıyoruz. Listeden bir ülke seçin.",
    code_empty: "Size gönderdiğimiz kodu girin.",
    code_not_digits: "Kod yalnızca rakamlardan oluşur.",
    code_length: "Kod {min} ile {max} rakamdan oluşur.",

    sms_code: "{site} kodunuz: {code}",
};
