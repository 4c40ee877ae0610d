// Hẹn gọi lại (a call back promised to the customer with a logged contact), Vietnamese. Spread into vi.ts;
// call-back.en.ts must define exactly the same keys (the compiler checks it).

export const callBackVi = {
  'callBack.field': 'Hẹn gọi lại lúc',
  'callBack.hint': 'Nếu bạn đã hẹn gọi lại cho khách: Sen nhắc bạn đúng giờ, và ai xử lý khiếu nại cũng thấy lời hẹn cho đến khi có liên hệ tiếp theo.',
  'callBack.invalid': 'Nhập ngày và giờ hẹn gọi lại, hoặc để trống.',
  'callBack.promised': 'Đã hẹn gọi lại',
  'callBack.by': '{at} — {name} hẹn',
  'callBack.late': 'quá giờ hẹn',
  'callBack.timeline': 'Hẹn gọi lại lúc {at}',
  'callBack.public': 'Chúng tôi hẹn gọi lại cho bạn lúc {at}.',
  'callBack.reminder': 'Hẹn gọi lại khách hàng',
  'callBack.due': 'Đến giờ hẹn gọi lại khách hàng ({at}).',
  'callBack.set': 'Đã ghi nhận liên hệ. Sen sẽ nhắc bạn gọi lại lúc {at}.',
} as const;
