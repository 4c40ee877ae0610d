/** The closed set of errors Sen reports, with stable codes and messages in Vietnamese and English. */

import { STATUS_LABELS, type Status } from './lifecycle';
import type { CustomerContactEvent } from './presence';
import { formatVietnamDateTime } from './time';

export type Locale = 'vi' | 'en';

const MESSAGES = {
  validation_failed: { status: 422, vi: 'Dữ liệu không hợp lệ.', en: 'The request is not valid.' },
  malformed_json: { status: 400, vi: 'Nội dung JSON không đọc được.', en: 'The JSON body could not be read.' },
  bad_request: { status: 400, vi: 'Yêu cầu không hợp lệ.', en: 'Bad request.' },
  malformed_multipart: { status: 400, vi: 'Không đọc được tệp gửi lên (dữ liệu multipart bị hỏng). Vui lòng gửi lại.', en: 'The upload could not be read (broken multipart data). Please send it again.' },
  payload_too_large: { status: 413, vi: 'Nội dung gửi lên quá lớn.', en: 'The request body is too large.' },
  unsupported_media_type: {
    status: 415,
    vi: 'Định dạng nội dung không được hỗ trợ (hãy dùng application/json).',
    en: 'Unsupported content type (use application/json).',
  },
  unauthenticated: { status: 401, vi: 'Bạn cần đăng nhập.', en: 'You need to log in.' },
  invalid_credentials: { status: 401, vi: 'Email hoặc mật khẩu không đúng.', en: 'Wrong email or password.' },
  login_attempts_exceeded: {
    status: 429,
    vi: 'Tài khoản này đã bị nhập sai mật khẩu quá nhiều lần và tạm khoá đăng nhập. Hãy thử lại sau, hoặc nhờ quản trị viên đặt lại mật khẩu.',
    en: 'Too many wrong passwords for this account: logging in is paused. Try again later, or ask an admin to reset the password.',
  },
  last_admin: {
    status: 409,
    vi: 'Sen cần ít nhất một quản trị viên đang hoạt động: không thể đổi vai trò hoặc khoá tài khoản quản trị cuối cùng.',
    en: 'Sen needs at least one active admin: the last admin account cannot lose its role or be deactivated.',
  },
  forbidden: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  csrf_failed: {
    status: 403,
    vi: 'Thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang.',
    en: 'Missing or wrong CSRF token. Reload the page.',
  },
  not_found: { status: 404, vi: 'Không tìm thấy.', en: 'Not found.' },
  complaint_not_found: { status: 404, vi: 'Không tìm thấy khiếu nại.', en: 'Complaint not found.' },
  customer_not_found: { status: 404, vi: 'Không tìm thấy khách hàng.', en: 'Customer not found.' },
  customer_has_open_complaints: {
    status: 409,
    vi: 'Khách hàng còn khiếu nại đang giải quyết: chỉ ẩn danh được khi mọi khiếu nại đã đóng.',
    en: 'The customer still has complaints being handled: their data can be erased only once all are closed.',
  },
  data_request_not_found: { status: 404, vi: 'Không tìm thấy yêu cầu về dữ liệu cá nhân.', en: 'Personal data request not found.' },
  data_request_closed: { status: 409, vi: 'Yêu cầu này đã được xử lý xong.', en: 'This request has been dealt with already.' },
  data_request_extended: {
    status: 409,
    vi: 'Yêu cầu này đã được gia hạn một lần; pháp luật chỉ cho phép gia hạn một lần.',
    en: 'This request has been extended once already; the law allows one extension.',
  },
  data_request_replied: {
    status: 409,
    vi: 'Yêu cầu này đã được phản hồi lần đầu; hãy ghi kết quả khi đóng yêu cầu.',
    en: 'This request has had its first reply; record the outcome when closing it.',
  },
  data_request_past_due: {
    status: 409,
    vi: 'Đã quá hạn xử lý: chỉ được gia hạn trước khi hết hạn.',
    en: 'The deadline has passed: a request can be extended only before it does.',
  },
  data_breach_not_found: { status: 404, vi: 'Không tìm thấy sự cố dữ liệu cá nhân.', en: 'Personal data breach not found.' },
  data_breach_closed: { status: 409, vi: 'Sự cố này đã được đóng.', en: 'This breach has been closed.' },
  data_breach_notified: {
    status: 409,
    vi: 'Đã ghi nhận thông báo sự cố này cho cơ quan chức năng.',
    en: 'The notice of this breach to the authority has been recorded already.',
  },
  customer_not_anonymised: {
    status: 409,
    vi: 'Dữ liệu của khách hàng chưa được ẩn danh: hãy ẩn danh trên trang hồ sơ khách hàng trước khi đóng yêu cầu xóa dữ liệu.',
    en: "The customer's data has not been erased yet: erase it on the customer's page before closing the deletion request.",
  },
  customer_anonymised: {
    status: 409,
    vi: 'Dữ liệu cá nhân của khách hàng này đã được ẩn danh.',
    en: "This customer's personal data has been erased.",
  },
  customer_merged: {
    status: 409,
    vi: 'Hồ sơ khách hàng này đã được gộp vào một hồ sơ khác.',
    en: 'This customer record has been merged into another.',
  },
  contacts_conflict: {
    status: 409,
    vi: 'Hai hồ sơ có số điện thoại hoặc email khác nhau: một hồ sơ chỉ giữ một số và một email, hãy sửa một hồ sơ trước khi gộp.',
    en: 'The two records have different phones or emails: a record keeps one of each, so correct one record before merging.',
  },
  contact_taken: {
    status: 409,
    vi: 'Số điện thoại hoặc email này đã thuộc về một khách hàng khác: chưa có gì được thay đổi. Nếu đó là cùng một người, hãy báo quản trị viên.',
    en: 'This phone number or email already belongs to another customer: nothing was changed. If they are the same person, tell an admin.',
  },
  invalid_transition: {
    status: 409,
    vi: 'Không thể chuyển khiếu nại sang trạng thái này.',
    en: 'The complaint cannot move to this status.',
  },
  withdrawal_not_possible: {
    status: 409,
    vi: 'Khiếu nại này không thể rút trên trang tra cứu ở bước hiện tại (đã giải quyết, đã kết thúc hoặc đã chuyển cơ quan có thẩm quyền). Vui lòng gọi đường dây nóng hoặc trả lời thư của chúng tôi.',
    en: 'This complaint cannot be withdrawn on the status page at its current step (resolved, over, or with an authority). Please call our hotline or reply to our email.',
  },
  reply_collision: {
    status: 409,
    vi: 'Trong lúc bạn soạn, khách hàng đã được liên hệ.',
    en: 'The customer was contacted while you were writing.',
  },
  customer_has_no_email: {
    status: 409,
    vi: 'Khách hàng chưa có email trong hồ sơ: hãy gọi điện rồi ghi nhận liên hệ, hoặc bổ sung email vào hồ sơ khách hàng.',
    en: 'The customer has no email on file: call them and log the contact, or add an email to their record.',
  },
  customer_has_no_phone: {
    status: 409,
    vi: 'Khách hàng chưa có số điện thoại trong hồ sơ để nhắn tin.',
    en: 'The customer has no phone number on file to text.',
  },
  sms_not_configured: {
    status: 409,
    vi: 'Chưa cấu hình cổng gửi SMS (SMS_URL): không thể nhắn tin cho khách hàng.',
    en: 'No SMS gateway is set up (SMS_URL): the customer cannot be texted.',
  },
  complaint_closed: {
    status: 409,
    vi: 'Khiếu nại này đã kết thúc nên không nhận thêm tin nhắn hay tệp. Nếu vấn đề chưa được giải quyết, Quý khách có thể mở lại khiếu nại trên trang tra cứu khi còn trong thời hạn mở lại; quá thời hạn đó, vui lòng gửi một khiếu nại mới.',
    en: 'This complaint is over and takes no more messages or files. If the problem is not solved, you can reopen the complaint on the status page while the reopening period lasts; after it, please file a new complaint.',
  },
  forbidden_transition: {
    status: 403,
    vi: 'Vai trò của bạn không được chuyển sang trạng thái này.',
    en: 'Your role may not move the complaint to this status.',
  },
  idempotency_key_reused: {
    status: 422,
    vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác.',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  idempotency_key_in_progress: {
    status: 409,
    vi: 'Yêu cầu đầu tiên với Idempotency-Key này vẫn đang được xử lý. Vui lòng thử lại sau giây lát.',
    en: 'The first request with this Idempotency-Key is still being handled. Please try again in a moment.',
  },
  idempotency_key_used: {
    status: 409,
    vi: 'Yêu cầu với Idempotency-Key này đã được thực hiện; kết quả của nó không được lưu để gửi lại (ví dụ: mã API chỉ hiện một lần).',
    en: 'The request with this Idempotency-Key was already carried out; its answer is not kept to send again (an API token, say, is shown once).',
  },
  rate_limited: {
    status: 429,
    vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau.',
    en: 'Too many requests, please try again later.',
  },
  contact_checks_exceeded: {
    status: 429,
    vi: 'Đã nhập sai mã khiếu nại hoặc số điện thoại/email quá nhiều lần. Vui lòng thử lại sau một giờ, hoặc mở đường dẫn trong thư chúng tôi đã gửi cho bạn.',
    en: 'The complaint code or phone/email was wrong too many times. Please try again in an hour, or open the link in the email we sent you.',
  },
  conflict: { status: 409, vi: 'Dữ liệu đã thay đổi, hãy thử lại.', en: 'The data changed; try again.' },
  backup_in_progress: {
    status: 409,
    vi: 'Một bản sao lưu đang được tạo; hãy đợi nó xong.',
    en: 'A backup is being made; wait for it to finish.',
  },
  backup_not_embedded: {
    status: 409,
    vi: 'Sen đang dùng máy chủ PostgreSQL: hãy sao lưu bằng công cụ của PostgreSQL (pg_dump) cùng thư mục DATA_DIR/files.',
    en: "Sen runs on a PostgreSQL server: back it up with PostgreSQL's own tools (pg_dump) and the DATA_DIR/files folder.",
  },
  mail_too_large: {
    status: 409,
    vi: 'Thư quá lớn để hệ thống đọc; hãy mở thư trong hộp thư và tạo khiếu nại thủ công.',
    en: 'This mail is too large for Sen to read; open it in the mailbox and file the complaint by hand.',
  },
  service_unavailable: {
    status: 503,
    vi: 'Hệ thống tạm thời không sẵn sàng, vui lòng thử lại sau ít phút.',
    en: 'Temporarily unavailable, please retry in a moment.',
  },
  webhook_unsigned: {
    status: 401,
    vi: 'Thiếu chữ ký hoặc thời điểm ký (X-Sen-Signature, X-Sen-Timestamp).',
    en: 'Missing signature or timestamp (X-Sen-Signature, X-Sen-Timestamp).',
  },
  webhook_bad_signature: { status: 401, vi: 'Chữ ký không đúng.', en: 'The signature does not match.' },
  webhook_stale: {
    status: 401,
    vi: 'Yêu cầu đã quá 5 phút (có thể là gửi lại): bị từ chối.',
    en: 'The request is older than 5 minutes (a possible replay) and was refused.',
  },
  // Status-page links in the mails to a customer (liên kết tra cứu).
  status_link_invalid: {
    status: 403,
    vi: 'Liên kết tra cứu không hợp lệ (có thể bị sao chép thiếu hoặc bị sửa). Quý khách vui lòng nhập mã khiếu nại và số điện thoại hoặc email đã dùng khi gửi khiếu nại.',
    en: 'This status link is not valid (it may be incomplete or altered). Please enter the complaint code and the phone number or email you gave with the complaint.',
  },
  status_link_expired: {
    status: 410,
    vi: 'Liên kết tra cứu đã hết hạn. Quý khách vui lòng nhập mã khiếu nại và số điện thoại hoặc email đã dùng khi gửi khiếu nại.',
    en: 'This status link has expired. Please enter the complaint code and the phone number or email you gave with the complaint.',
  },
  // Step 4 (giải quyết): proposals, escalations, authorities.
  proposal_not_found: { status: 404, vi: 'Không tìm thấy phương án giải quyết.', en: 'Proposal not found.' },
  proposal_not_offered: {
    status: 409,
    vi: 'Phương án này không còn chờ khách hàng trả lời (đã được trả lời hoặc đã thu hồi).',
    en: 'This proposal no longer awaits the customer’s answer (already answered or withdrawn).',
  },
  proposal_not_pending: { status: 409, vi: 'Phương án này không còn chờ duyệt.', en: 'This proposal no longer awaits approval.' },
  proposal_not_accepted: {
    status: 409,
    vi: 'Chỉ ghi nhận thực hiện được cho phương án khách hàng đã đồng ý.',
    en: 'Only a proposal the customer accepted can be implemented.',
  },
  proposal_open: {
    status: 409,
    vi: 'Khiếu nại đã có một phương án đang chờ duyệt, chờ khách hàng trả lời hoặc đã được chấp nhận và chờ thực hiện.',
    en: 'The complaint already has a proposal awaiting approval, the customer’s answer, or its implementation after acceptance.',
  },
  escalation_not_found: { status: 404, vi: 'Không tìm thấy hồ sơ chuyển cơ quan có thẩm quyền.', en: 'Escalation not found.' },
  authority_not_found: { status: 404, vi: 'Không tìm thấy cơ quan có thẩm quyền.', en: 'Authority not found.' },
  // Step 3 (xác minh): information requests, evidence, consultations and their reply links.
  info_request_not_found: { status: 404, vi: 'Không tìm thấy yêu cầu bổ sung thông tin.', en: 'Information request not found.' },
  info_request_open: {
    status: 409,
    vi: 'Khiếu nại đang có một yêu cầu bổ sung thông tin chưa được trả lời; hãy chờ khách hàng trả lời hoặc huỷ yêu cầu đó trước.',
    en: 'The complaint already has an unanswered information request; wait for the answer or cancel it first.',
  },
  info_request_closed: {
    status: 409,
    vi: 'Yêu cầu bổ sung thông tin này đã được trả lời hoặc đã huỷ.',
    en: 'This information request was already answered or cancelled.',
  },
  consultation_not_found: { status: 404, vi: 'Không tìm thấy yêu cầu tham vấn.', en: 'Consultation not found.' },
  consultation_closed: {
    status: 409,
    vi: 'Yêu cầu tham vấn này đã được trả lời hoặc đã huỷ; không thể trả lời thêm.',
    en: 'This consultation was already answered or cancelled; it cannot be answered again.',
  },
  consultation_link_invalid: {
    status: 403,
    vi: 'Liên kết trả lời tham vấn không hợp lệ (có thể bị sao chép thiếu hoặc bị sửa). Hãy mở đúng liên kết trong thư đã nhận.',
    en: 'This consultation reply link is not valid (it may be incomplete or altered). Open the exact link from the email.',
  },
  consultation_link_expired: {
    status: 410,
    vi: 'Liên kết trả lời tham vấn đã hết hạn. Vui lòng liên hệ bộ phận chăm sóc khách hàng để được gửi liên kết mới.',
    en: 'This consultation reply link has expired. Please contact customer care for a new link.',
  },
  consultation_link_revoked: {
    status: 410,
    vi: 'Liên kết này không còn hiệu lực vì yêu cầu tham vấn đã được gửi lại hoặc đã huỷ. Hãy dùng liên kết trong thư mới nhất.',
    en: 'This link is no longer valid because the consultation was re-sent or cancelled. Use the link in the latest email.',
  },
  // Step 5 (theo dõi): satisfaction surveys and their links, corrective actions.
  survey_not_found: {
    status: 404,
    vi: 'Không có phiếu khảo sát hài lòng cho khiếu nại này (khiếu nại chưa được giải quyết).',
    en: 'There is no satisfaction survey for this complaint (it has not been resolved).',
  },
  survey_already_answered: {
    status: 409,
    vi: 'Phiếu khảo sát này đã được trả lời; cảm ơn Quý khách. Mỗi phiếu chỉ trả lời một lần.',
    en: 'This survey was already answered; thank you. Each survey can be answered once.',
  },
  survey_link_invalid: {
    status: 403,
    vi: 'Liên kết khảo sát không hợp lệ (có thể bị sao chép thiếu hoặc bị sửa). Hãy mở đúng liên kết trong thư đã nhận.',
    en: 'This survey link is not valid (it may be incomplete or altered). Open the exact link from the email.',
  },
  survey_link_expired: {
    status: 410,
    vi: 'Liên kết khảo sát đã hết hạn. Quý khách vẫn có thể đánh giá trên trang tra cứu khiếu nại.',
    en: 'This survey link has expired. You can still rate us on the complaint status page.',
  },
  corrective_action_not_found: { status: 404, vi: 'Không tìm thấy hành động khắc phục.', en: 'Corrective action not found.' },
  root_cause_not_found: { status: 404, vi: 'Không tìm thấy nguyên nhân gốc.', en: 'Root cause not found.' },
  escalation_required: {
    status: 409,
    vi: 'Chuyển cơ quan có thẩm quyền cần chọn cơ quan và lập hồ sơ: hãy dùng chức năng Chuyển cơ quan có thẩm quyền.',
    en: 'Escalating needs an authority and a dossier: use the escalation action.',
  },
  information_request_required: {
    status: 409,
    vi: 'Chờ khách hàng bổ sung cần một yêu cầu bổ sung thông tin (danh mục, hạn trả lời): hãy dùng chức năng Yêu cầu bổ sung thông tin, hoặc huỷ yêu cầu đang mở để tiếp tục xác minh.',
    en: 'Waiting for the customer needs an information request (checklist, due date): use the information request action, or cancel the open request to resume the investigation.',
  },
  proposal_required: {
    status: 409,
    vi: 'Trạng thái Đã đề xuất phương án cần một phương án giải quyết: hãy dùng chức năng Đề xuất phương án.',
    en: 'The proposed status needs a proposal: use the proposal action.',
  },
  implementation_required: {
    status: 409,
    vi: 'Khiếu nại được giải quyết khi phương án khách hàng đã chấp nhận được thực hiện: hãy ghi nhận việc thực hiện phương án (mã hoàn tiền, mã vận đơn, ngày hoàn thành).',
    en: 'A complaint is resolved when the proposal the customer accepted is carried out: record its implementation (refund or shipment reference, date done).',
  },
  rejection_required: {
    status: 409,
    vi: 'Từ chối khiếu nại cần lý do gửi tới khách hàng: hãy dùng chức năng Từ chối khiếu nại.',
    en: 'Refusing a complaint needs a reason sent to the customer: use the refusal action.',
  },
  reopen_required: {
    status: 409,
    vi: 'Mở lại khiếu nại hãy dùng chức năng Mở lại (kiểm tra thời hạn mở lại).',
    en: 'Use the reopen action to reopen a complaint (it checks the reopen window).',
  },
  internal: { status: 500, vi: 'Đã có lỗi hệ thống.', en: 'Internal error.' },
} as const satisfies Record<string, { status: number; vi: string; en: string }>;

export type ErrorCode = keyof typeof MESSAGES;

/** Field-level problems, each with a stable code. */
const FIELD_MESSAGES = {
  required: { vi: 'Trường này là bắt buộc.', en: 'This field is required.' },
  too_long: { vi: 'Quá dài.', en: 'Too long.' },
  too_short: { vi: 'Quá ngắn.', en: 'Too short.' },
  wrong_password: { vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' },
  email_taken: { vi: 'Đã có tài khoản với email này.', en: 'There is already an account with this email.' },
  view_name_taken: { vi: 'Bạn đã có một bộ lọc mang tên này.', en: 'You already have a view with this name.' },
  too_many_views: { vi: 'Bạn đã lưu 20 bộ lọc: hãy xoá bớt một bộ lọc trước.', en: 'You have saved 20 views: delete one first.' },
  too_many_reminders: {
    vi: 'Bạn đang có 100 lời nhắc chưa đến hạn: hãy xoá bớt một lời nhắc trước.',
    en: 'You have 100 reminders waiting: delete one first.',
  },
  same_as_email: { vi: 'Mật khẩu không được trùng với email.', en: 'The password must not be the email.' },

  wrong_type: { vi: 'Sai kiểu dữ liệu.', en: 'Wrong type.' },
  invalid_characters: { vi: 'Có ký tự không hợp lệ (ký tự điều khiển hoặc lỗi mã hoá).', en: 'Contains characters that are not allowed (control characters or broken encoding).' },
  unknown_field: { vi: 'Trường không được hỗ trợ.', en: 'Unknown field.' },
  invalid_value: { vi: 'Giá trị không hợp lệ.', en: 'Invalid value.' },
  not_mentionable: {
    vi: 'Không nhắc được người này: tài khoản không còn hoạt động hoặc không xử lý khiếu nại.',
    en: 'This person cannot be mentioned: the account is inactive or does not work on complaints.',
  },
  phone_invalid: {
    vi: 'Số điện thoại không hợp lệ: cần số di động hoặc số cố định (ví dụ: 0912 345 678).',
    en: 'Not a valid phone number: a mobile or landline number is needed (e.g. 0912 345 678).',
  },
  email_invalid: { vi: 'Địa chỉ email không hợp lệ.', en: 'Not a valid email address.' },
  contact_required: {
    vi: 'Cần ít nhất số điện thoại hoặc email để chúng tôi liên hệ.',
    en: 'Give a phone number or an email so that we can reach you.',
  },
  province_unknown: {
    vi: 'Không có tỉnh, thành phố này (34 tỉnh, thành phố từ 01/07/2025; ví dụ: Hà Nội, Đắk Lắk).',
    en: 'No such province (the 34 provinces and cities since 01/07/2025; e.g. Hà Nội, Đắk Lắk).',
  },
  consent_required: {
    vi: 'Bạn cần đồng ý cho phép xử lý dữ liệu cá nhân để gửi khiếu nại.',
    en: 'Your consent to the processing of personal data is required.',
  },
  reason_required: { vi: 'Cần nêu lý do.', en: 'A reason is required.' },
  not_found: { vi: 'Không tồn tại.', en: 'Does not exist.' },
  inactive: { vi: 'Đã ngừng sử dụng: hãy chọn mục khác.', en: 'No longer in use: choose another.' },
  // Merging a duplicate complaint into the one that carries on.
  same_complaint: { vi: 'Không thể gộp khiếu nại vào chính nó: hãy nhập mã của khiếu nại kia.', en: 'A complaint cannot be merged into itself: enter the other complaint’s code.' },
  target_closed: {
    vi: 'Khiếu nại này đã kết thúc: hãy gộp vào một khiếu nại còn đang xử lý.',
    en: 'That complaint is over: merge into one that is still being handled.',
  },
  contact_taken: { vi: 'Liên hệ này đã thuộc về một khách hàng khác.', en: 'This contact already belongs to another customer.' },
  contacts_conflict: { vi: 'Hai hồ sơ có giá trị khác nhau ở trường này.', en: 'The two records differ in this field.' },
  same_customer: { vi: 'Đây chính là hồ sơ đang mở.', en: 'That is this very record.' },
  // Working calendar and SLA policy settings.
  invalid_time: { vi: 'Giờ không hợp lệ (dạng HH:MM, ví dụ 08:00).', en: 'Not a valid time (HH:MM, e.g. 08:00).' },
  invalid_date: {
    vi: 'Ngày không hợp lệ (dạng YYYY-MM-DD, phải là ngày có thật).',
    en: 'Not a valid date (YYYY-MM-DD, and a real calendar date).',
  },
  out_of_range: { vi: 'Giá trị nằm ngoài khoảng cho phép.', en: 'The value is outside the allowed range.' },
  end_before_start: { vi: 'Giờ kết thúc phải sau giờ bắt đầu.', en: 'The end must be after the start.' },
  overlap: {
    vi: 'Khoảng giờ này chồng lên một khoảng giờ khác trong cùng ngày.',
    en: 'This interval overlaps another interval of the same day.',
  },
  must_be_positive: { vi: 'Phải là số lớn hơn 0.', en: 'Must be a number greater than 0.' },
  must_be_integer: { vi: 'Phải là số nguyên.', en: 'Must be a whole number.' },
  duplicate: { vi: 'Giá trị này bị trùng lặp.', en: 'This value is listed twice.' },
  too_many: { vi: 'Quá nhiều mục.', en: 'Too many entries.' },
  too_many_rows: {
    vi: 'Kỳ này có hơn 50.000 khiếu nại: hãy chọn một khoảng thời gian ngắn hơn.',
    en: 'This period has more than 50,000 complaints: choose a shorter period.',
  },
  seven_weekdays: {
    vi: 'Cần đủ 7 ngày trong tuần (vị trí 0 là Chủ nhật).',
    en: 'All 7 weekdays are needed (index 0 is Sunday).',
  },
  no_working_hours: {
    vi: 'Cần ít nhất một ngày trong tuần có giờ làm việc.',
    en: 'At least one weekday needs working hours.',
  },
  off_and_working: {
    vi: 'Một ngày không thể vừa là ngày nghỉ riêng vừa là ngày làm việc thêm.',
    en: 'A date cannot be both a company day off and an extra working day.',
  },
  saturday_has_hours: {
    vi: 'Thứ Bảy đã có giờ làm việc riêng; bỏ chọn “làm việc sáng thứ Bảy” hoặc xóa giờ của thứ Bảy.',
    en: 'Saturday already has its own hours; untick “Saturday morning” or remove Saturday’s hours.',
  },
  no_morning_hours: {
    vi: 'Ngày làm việc chuẩn không có giờ nào trước 12:00 để làm sáng thứ Bảy.',
    en: 'The standard working day has no hours before 12:00 to work on Saturday morning.',
  },
  file_type_not_allowed: {
    vi: 'Loại tệp không được chấp nhận (chỉ nhận ảnh JPG/PNG/WebP/HEIC/GIF/TIFF và PDF, kiểm tra theo nội dung tệp).',
    en: 'File type not accepted (images JPG/PNG/WebP/HEIC/GIF/TIFF and PDF only, checked by content).',
  },
  file_too_large: { vi: 'Tệp quá lớn (tối đa 10 MB mỗi tệp).', en: 'File too large (10 MB at most per file).' },
  too_many_files: { vi: 'Quá nhiều tệp (tối đa 10 tệp).', en: 'Too many files (10 at most).' },
  empty_file: { vi: 'Tệp rỗng.', en: 'The file is empty.' },
  attachments_too_large: {
    vi: 'Các tệp đính kèm quá lớn để gửi qua email (tối đa 15 MB cho cả thư).',
    en: 'The attached files are too large to send by email (15 MB at most in all).',
  },
  must_be_future: { vi: 'Phải là một thời điểm trong tương lai.', en: 'Must be a time in the future.' },
  too_far_ahead: { vi: 'Quá xa trong tương lai (tối đa 2 năm kể từ hôm nay).', en: 'Too far ahead (at most 2 years from today).' },
  spam_suspected: {
    vi: 'Biểu mẫu có vẻ được điền tự động. Vui lòng kiểm tra lại và gửi lại.',
    en: 'The form looks automatically filled. Please check it and send it again.',
  },
  must_be_past: { vi: 'Không được là thời điểm trong tương lai.', en: 'Must not be in the future.' },
  before_previous_step: {
    vi: 'Không được trước bước trước đó (ngày tiếp nhận khiếu nại hoặc ý kiến trước đó của khách hàng).',
    en: 'Cannot be before the earlier step (when the complaint was received or the customer’s previous answer).',
  },
  before_decision: {
    vi: 'Không được trước thời điểm khách hàng chấp nhận phương án.',
    en: 'Cannot be before the customer accepted the proposal.',
  },
  before_escalation: {
    vi: 'Không được trước thời điểm chuyển hồ sơ cho cơ quan có thẩm quyền.',
    en: 'Cannot be before the complaint was escalated.',
  },
  after_outcome: {
    vi: 'Ngày bàn giao không được sau ngày cơ quan có kết quả.',
    en: 'The hand-over cannot be after the authority’s outcome.',
  },
  amount_required: {
    vi: 'Cần nhập số tiền (VND) cho phương án hoàn tiền hoặc phiếu mua hàng.',
    en: 'An amount in VND is required for a refund or a voucher.',
  },
  one_of_required: {
    vi: 'Cần chọn cơ quan trong danh mục hoặc nhập tên cơ quan (chỉ một trong hai).',
    en: 'Pick an authority from the directory or type its name (one of the two).',
  },
  in_future: { vi: 'Thời điểm này chưa đến.', en: 'This time has not come yet.' },
  too_old: { vi: 'Thời điểm này đã quá xa (quá 7 ngày).', en: 'This time is too long ago (over 7 days).' },
  too_fast: {
    vi: 'Biểu mẫu được gửi quá nhanh. Vui lòng kiểm tra lại nội dung rồi gửi lại.',
    en: 'The form was sent too quickly. Please check it and send it again.',
  },
} as const satisfies Record<string, { vi: string; en: string }>;

export type FieldErrorCode = keyof typeof FIELD_MESSAGES;

export interface FieldError {
  field: string;
  code: FieldErrorCode;
}

/** An expected failure with a stable code; anything else is a 500 whose details stay in the log. */
/** What an error may say beyond its code: the fields at fault, the moves allowed, the complaints in the way, when to retry. */
export interface ErrorDetails {
  fields?: FieldError[];
  allowed?: string[];
  complaints?: string[];
  retryAfterSeconds?: number;
  /** reply_collision: the contact a colleague made meanwhile (its event type, who, when). */
  contact?: { type: CustomerContactEvent; by: string | null; at: string };
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetails = {},
  ) {
    super(code);
  }
  get status(): number {
    return MESSAGES[this.code].status;
  }
}

export function errorStatus(code: ErrorCode): number {
  return MESSAGES[code].status;
}

/** Errors whose `allowed` list is the moves the actor may make from the complaint's status: the message names them. */
const LISTS_ALLOWED: readonly ErrorCode[] = ['invalid_transition', 'forbidden_transition'];

const ALLOWED_SENTENCE = {
  vi: { some: 'Từ trạng thái hiện tại, bạn có thể chuyển sang: ', none: 'Từ trạng thái hiện tại, bạn không thể chuyển khiếu nại sang trạng thái nào.' },
  en: { some: 'From its current status, you may move it to: ', none: 'From its current status, you may not move it to any other status.' },
} as const;

/** The message of an error in `locale`; a refused move also says which moves are allowed, by their status names. */
export function errorMessage(code: ErrorCode, locale: Locale, details: ErrorDetails = {}): string {
  const base = MESSAGES[code][locale];
  if (code === 'reply_collision' && details.contact) return `${base} ${contactSentence(details.contact, locale)}`;
  if (!details.allowed || !LISTS_ALLOWED.includes(code)) return base;
  const words = ALLOWED_SENTENCE[locale];
  const names = details.allowed.map((s) => `“${STATUS_LABELS[s as Status]?.[locale] ?? s}”`);
  return `${base} ${names.length ? `${words.some}${names.join(', ')}.` : words.none}`;
}

const CONTACT_WORDS: Record<CustomerContactEvent, { vi: string; en: string }> = {
  'reply.sent': { vi: 'đã trả lời khách qua email', en: 'replied to the customer by email' },
  'sms.sent': { vi: 'đã nhắn tin SMS cho khách', en: 'texted the customer' },
  'contact.logged': { vi: 'đã ghi nhận một lần liên hệ với khách', en: 'logged a contact with the customer' },
  'proposal.offered': { vi: 'đã gửi khách một phương án giải quyết', en: 'offered the customer a solution' },
  'info_request.created': { vi: 'đã gửi khách yêu cầu bổ sung thông tin', en: 'asked the customer for information' },
};

/** "Lê Thị Mai replied to the customer by email at 14:05 on 29/11/2026. Read it before you send yours." */
function contactSentence(contact: NonNullable<ErrorDetails['contact']>, locale: Locale): string {
  const who = contact.by ?? (locale === 'vi' ? 'Một đồng nghiệp' : 'A colleague');
  const when = formatVietnamDateTime(new Date(contact.at));
  return locale === 'vi'
    ? `${who} ${CONTACT_WORDS[contact.type].vi} lúc ${when}. Hãy đọc lại trước khi gửi thư của bạn.`
    : `${who} ${CONTACT_WORDS[contact.type].en} at ${when}. Read it before you send yours.`;
}

export function fieldErrorMessage(code: FieldErrorCode, locale: Locale): string {
  return FIELD_MESSAGES[code][locale];
}

/**
 * Picks vi or en from an Accept-Language header by its weights (q): the most wanted of the two, the
 * earlier on a tie; `q=0` refuses one, so the other is taken. Vietnamese when the header names neither.
 */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'vi';
  const weight: Partial<Record<Locale | '*', { q: number; at: number }>> = {};
  acceptLanguage.split(',').forEach((part, at) => {
    const [rawTag, ...params] = part.split(';');
    const tag = rawTag.trim().toLowerCase();
    const key = tag === '*' ? '*' : (['vi', 'en'] as const).find((l) => tag === l || tag.startsWith(`${l}-`));
    if (!key) return;
    const qParam = params.find((p) => /^\s*q\s*=/i.test(p));
    // A weight that is not one (q=abc, q=2) makes the entry say nothing.
    const qValue = qParam === undefined ? '1' : /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(qParam)?.[1];
    if (qValue === undefined) return;
    const q = Number(qValue);
    // The highest weight a language is given counts (en-GB;q=1, en;q=0.5: en at 1).
    const seen = weight[key];
    if (!seen || q > seen.q) weight[key] = { q, at: seen?.at ?? at };
  });
  // A language the header does not name takes the weight of `*`, if it has one.
  const vi = weight.vi ?? weight['*'];
  const en = weight.en ?? weight['*'];
  if (vi && vi.q > 0 && en && en.q > 0) return en.q > vi.q || (en.q === vi.q && en.at < vi.at) ? 'en' : 'vi';
  if (en && en.q > 0) return 'en';
  if (vi && vi.q > 0) return 'vi';
  // Neither is wanted: Vietnamese, unless it alone was refused.
  return vi?.q === 0 && !en ? 'en' : 'vi';
}

/** Throws a validation error if any field problem was found. */
export function assertNoFieldErrors(fields: FieldError[]): void {
  if (fields.length) throw new AppError('validation_failed', { fields });
}
