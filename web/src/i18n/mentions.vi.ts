// Nhắc tên đồng nghiệp trong ghi chú nội bộ — naming colleagues in an internal note, Vietnamese. Spread into vi.ts;
// mentions.en.ts must define exactly the same keys (the compiler checks it).

export const mentionsVi = {
  'mentions.label': 'Nhắc đồng nghiệp',
  'mentions.hint': 'Người được nhắc nhận thông báo trong Sen và thư (chỉ tên bạn và mã khiếu nại, không kèm nội dung ghi chú). Tối đa {max} người.',
  'mentions.choose': '— Chọn đồng nghiệp —',
  'mentions.add': 'Thêm',
  'mentions.remove': 'Bỏ nhắc {name}',
  'mentions.chosen': 'Sẽ nhắc',
  'mentions.full': 'Đã đủ {max} người.',
  'mentions.timeline': 'Nhắc: {names}',
  'mentions.unknown': '(người không còn trong danh sách)',
  'notifications.kind.note.mentioned': 'Được nhắc tên',
  'notifications.noteMentioned': '{by} nhắc bạn trong một ghi chú nội bộ.',
} satisfies Record<string, string>;
