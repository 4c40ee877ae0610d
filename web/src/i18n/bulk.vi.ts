// Phân công hàng loạt — ticking complaints in the queue and assigning them at once, Vietnamese. Spread into vi.ts;
// bulk.en.ts must define exactly the same keys (the compiler checks it). A count of one has its own key where
// English needs the singular; Vietnamese says the same in both.

export const bulkVi = {
  'bulk.selectColumn': 'Chọn',
  'bulk.select': 'Chọn {code}',
  'bulk.selectAll': 'Chọn tất cả khiếu nại trên trang này',
  'bulk.region': 'Phân công hàng loạt',
  'bulk.selected': 'Đã chọn {count} khiếu nại',
  'bulk.selectedOne': 'Đã chọn 1 khiếu nại',
  'bulk.assignee': 'Người phụ trách',
  'bulk.team': 'Nhóm',
  'bulk.keep': 'Giữ nguyên',
  'bulk.me': 'Tôi',
  'bulk.clearAssignee': 'Bỏ người phụ trách',
  'bulk.clearTeam': 'Bỏ nhóm',
  'bulk.submit': 'Phân công',
  'bulk.submitting': 'Đang phân công…',
  'bulk.clearSelection': 'Bỏ chọn',
  'bulk.nothingChosen': 'Hãy chọn người phụ trách hoặc nhóm.',
  'bulk.tooMany': 'Mỗi lần phân công được tối đa {max} khiếu nại; hãy bỏ chọn bớt.',
  'bulk.resultAssigned': 'Đã phân công {count} khiếu nại',
  'bulk.resultAssignedOne': 'Đã phân công 1 khiếu nại',
  'bulk.resultUnchanged': '{count} không đổi',
  'bulk.resultFailed': '{count} không thực hiện được',
  'bulk.failures': 'Khiếu nại không phân công được',
} satisfies Record<string, string>;
