// Ngôn ngữ liên lạc — the language Sen writes to the customer in (mails, the printed receipt, the status-page
// link), Vietnamese. Spread into vi.ts; language.en.ts must define exactly the same keys (the compiler checks it).
// Not the language of the UI: staff may read the console in Vietnamese about a customer written to in English.

export const languageVi = {
  'language.label': 'Ngôn ngữ liên lạc với khách hàng',
  'language.hint': 'Thư gửi khách hàng, giấy biên nhận và đường dẫn tra cứu được viết bằng ngôn ngữ này.',
  'language.short': 'Ngôn ngữ liên lạc',
  'event.language.changed': 'Đổi ngôn ngữ liên lạc',
} satisfies Record<string, string>;
