//! Vietnamese.

use super::{Locale, Plural, Text};

pub(super) static TEXT: Text = Text {
    language: Locale::Vi,
    verify_title: "Xác minh số điện thoại của bạn",
    lead: "{site} sẽ biết số này là của bạn.",
    country: "Quốc gia",
    phone_number: "Số điện thoại",
    get_the_code: "Nhận mã",
    by_sms: "Qua SMS",
    by_app: "Từ ứng dụng xác thực của tôi",
    send_code: "Gửi mã",

    enter_code_title: "Nhập mã của bạn",
    code_from_app: "Nhập mã mà ứng dụng xác thực của bạn hiển thị.",
    code_sent_by_sms: "Chúng tôi đã gửi mã qua SMS tới {phone}.",
    code: "Mã",
    tries_left: Plural::one_other("Còn {n} lần thử.", "Còn {n} lần thử."),
    code_works_for: Plural::one_other("Mã còn hiệu lực trong {n} phút.", "Mã còn hiệu lực trong {n} phút."),
    verify: "Xác minh",
    send_new_code: "Gửi mã mới",
    send_new_code_in: "Gửi mã mới sau {s} giây",
    change_number: "Đổi số",
    cancel: "Hủy",

    verified_title: "Số của bạn đã được xác minh",
    cancelled_title: "Đã hủy xác minh",
    done: "Xong.",
    taking_you_back: "Đang đưa bạn trở lại {site}…",
    continue_to: "Tiếp tục đến {site}",
    expired_title: "Phiên xác minh này đã hết hạn",
    start_again: "Hãy bắt đầu lại từ trang web bạn đã đến.",
    locked_title: "Quá nhiều mã sai",
    locked_body: "Vì sự an toàn của bạn, phiên xác minh này đã bị khóa. Hãy bắt đầu lại từ trang web bạn đã đến.",
    verification: "Xác minh",
    test_mode: "Chế độ thử nghiệm: không gửi SMS. Mã là {code}.",

    no_session: "Liên kết xác minh này không hợp lệ. Hãy bắt đầu lại từ trang web bạn đã đến.",
    ended: "Phiên xác minh này đã kết thúc. Hãy bắt đầu lại từ trang web bạn đã đến.",
    out_of_step: "Trang này đã cũ; đây là bước hiện tại của bạn.",
    wrong_code: "Mã đó không đúng.",
    code_expired: "Mã đó đã hết hạn. Hãy yêu cầu mã mới.",
    code_replaced: "Mã này không còn hiệu lực. Hãy gửi mã mới.",
    wait_seconds: Plural::one_other(
        "Vui lòng đợi {n} giây trước khi yêu cầu mã khác.",
        "Vui lòng đợi {n} giây trước khi yêu cầu mã khác.",
    ),
    wait_minutes: Plural::one_other(
        "Quá nhiều lần thử: hãy thử lại sau {n} phút.",
        "Quá nhiều lần thử: hãy thử lại sau {n} phút.",
    ),
    too_many_codes: "Quá nhiều lần thử. Hãy bắt đầu lại từ trang web bạn đã đến.",
    cannot_send_to: "Chúng tôi không thể gửi mã tới số này.",
    use_app:
        "Hiện chúng tôi không thể gửi SMS. Thay vào đó, hãy lấy mã từ ứng dụng xác thực của bạn.",
    unavailable: "Không thể kết nối với dịch vụ xác minh. Vui lòng thử lại sau giây lát.",

    phone_empty: "Nhập số điện thoại của bạn.",
    phone_too_long: "Quá dài để là một số điện thoại.",
    phone_not_a_number: "Chỉ dùng chữ số, ví dụ +84 912 345 678.",
    phone_needs_country_code: "Thêm mã quốc gia bắt đầu bằng +, hoặc chọn quốc gia của bạn.",
    phone_invalid: "Đó không phải là số điện thoại hợp lệ. Hãy kiểm tra các chữ số và quốc gia.",
    unknown_country: "Chúng tôi không biết quốc gia “{country}”. Hãy chọn một quốc gia trong danh sách.",
    code_empty: "Nhập mã chúng tôi đã gửi cho bạn.",
    code_not_digits: "Mã chỉ gồm chữ số.",
    code_length: "Mã có từ {min} đến {max} chữ số.",

    sms_code: "Mã {site} của bạn là {code}",
};
