// Nhắn tin SMS cho khách (an agent's text to the customer's phone), Vietnamese. Spread into vi.ts;
// sms.en.ts must define exactly the same keys (the compiler checks it).

export const smsVi = {
  'sms.section': 'Nhắn tin SMS cho khách hàng',
  'sms.text': 'Nội dung tin nhắn',
  'sms.hint': 'Gửi đến {phone}. Tin nhắn được gửi không dấu; được tính là một lần liên hệ với khách hàng.',
  'sms.preview': '{count}/{max} ký tự, {parts} tin nhắn. Khách hàng sẽ nhận:',
  'sms.required': 'Vui lòng nhập nội dung tin nhắn.',
  'sms.tooLong': 'Tin nhắn quá dài: tối đa {max} ký tự không dấu (2 tin nhắn).',
  'sms.submit': 'Gửi tin nhắn',
  'sms.sending': 'Đang gửi…',
  'sms.sent': 'Đã gửi tin nhắn SMS cho khách hàng.',
  'sms.public': 'Chúng tôi đã nhắn tin SMS cho bạn',
} as const;
