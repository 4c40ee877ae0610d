// Phím tắt của bảng điều khiển nhân viên, Vietnamese. Spread into vi.ts; shortcuts.en.ts must define exactly the
// same keys (the compiler checks it).

export const shortcutsVi = {
  'shortcuts.title': 'Phím tắt',
  'shortcuts.group.queue': 'Hàng đợi',
  'shortcuts.group.complaint': 'Trang khiếu nại',
  'shortcuts.group.everywhere': 'Mọi trang',
  'shortcuts.queue.move': 'Xuống / lên một khiếu nại',
  'shortcuts.queue.open': 'Mở khiếu nại đang chọn',
  'shortcuts.queue.select': 'Chọn khiếu nại đang chọn để phân công hàng loạt',
  'shortcuts.queue.search': 'Tìm kiếm',
  'shortcuts.complaint.neighbours': 'Khiếu nại tiếp theo / trước đó trong hàng đợi',
  'shortcuts.complaint.reply': 'Viết trả lời khách hàng',
  'shortcuts.complaint.note': 'Viết ghi chú nội bộ',
  'shortcuts.complaint.back': 'Quay lại hàng đợi',
  'shortcuts.help': 'Xem danh sách phím tắt',
  'shortcuts.enabled': 'Dùng phím tắt một phím trên trình duyệt này',
  'shortcuts.enabledHint': 'Tắt nếu bạn nhập bằng giọng nói hoặc hay bấm nhầm phím. Phím tắt không chạy khi bạn đang gõ trong ô nhập.',
  'shortcuts.close': 'Đóng',
  'queue.next': 'Khiếu nại tiếp theo',
  'queue.previous': 'Khiếu nại trước đó',
  'queue.position': '{n} / {total} trong hàng đợi',
} satisfies Record<string, string>;
