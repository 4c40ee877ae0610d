// Ai đang xem — colleagues with the same complaint open, Vietnamese. Spread into vi.ts; presence.en.ts must define
// exactly the same keys (the compiler checks it).

export const presenceVi = {
  'presence.viewing': '{names} cũng đang mở khiếu nại này.',
  'presence.replying': '{names} đang soạn trả lời khách hàng. Hãy trao đổi trước khi gửi để khách không nhận hai câu trả lời.',
  'presence.rowViewing': 'Đang mở: {names}',
  'presence.rowReplying': 'Đang trả lời: {names}',
} satisfies Record<string, string>;
