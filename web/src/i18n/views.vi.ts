// Bộ lọc đã lưu — a staff member's named queue filters, Vietnamese. Spread into vi.ts; views.en.ts must define exactly
// the same keys (the compiler checks it).

export const viewsVi = {
  'views.title': 'Bộ lọc đã lưu',
  'views.save': 'Lưu bộ lọc này',
  'views.name': 'Tên bộ lọc',
  'views.nameHint': 'Ví dụ “Việc của tôi quá hạn”. Chỉ bạn thấy bộ lọc của mình.',
  'views.nameRequired': 'Nhập tên bộ lọc.',
  'views.submit': 'Lưu',
  'views.cancel': 'Huỷ',
  'views.saved': 'Đã lưu bộ lọc “{name}”.',
  'views.delete': 'Xoá bộ lọc {name}',
  'views.deleted': 'Đã xoá bộ lọc “{name}”.',
} satisfies Record<string, string>;
