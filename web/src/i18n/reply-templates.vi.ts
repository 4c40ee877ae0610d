// Mẫu trả lời (reply templates), Vietnamese: the page where supervisors and admins keep them, and the picker of the
// complaint page's reply card. Spread into vi.ts; reply-templates.en.ts must define exactly the same keys (the
// compiler checks it).

export const replyTemplatesVi = {
  'navReplyTemplates.link': 'Mẫu trả lời',
  'adminTabs.replyTemplates': 'Mẫu trả lời',

  // —— The page ——
  'replyTemplates.title': 'Mẫu trả lời',
  'replyTemplates.intro':
    'Những câu trả lời nhóm viết đi viết lại, theo từng ngôn ngữ liên lạc. Nhân viên chèn mẫu vào thư trả lời khách hàng rồi sửa lại trước khi gửi.',
  'replyTemplates.forbidden': 'Chỉ giám sát viên và quản trị viên quản lý mẫu trả lời. Nhân viên chọn mẫu ngay trong ô trả lời của khiếu nại.',
  'replyTemplates.add': 'Thêm mẫu trả lời',
  'replyTemplates.addSubmit': 'Thêm mẫu',
  'replyTemplates.added': 'Đã thêm mẫu “{name}”.',
  'replyTemplates.saved': 'Đã lưu mẫu “{name}”.',
  'replyTemplates.save': 'Lưu mẫu',
  'replyTemplates.name': 'Tên mẫu',
  'replyTemplates.nameHint': 'Tên ngắn để nhân viên nhận ra mẫu trong danh sách, ví dụ “Đã chuyển bộ phận kho”.',
  'replyTemplates.nameRequired': 'Nhập tên mẫu.',
  'replyTemplates.language': 'Ngôn ngữ của mẫu',
  'replyTemplates.languageHint': 'Mẫu chỉ hiện với khiếu nại có ngôn ngữ liên lạc này.',
  'replyTemplates.body': 'Nội dung',
  'replyTemplates.bodyHint':
    'Viết như khi trả lời khách hàng. Lời chào đầu thư, mã khiếu nại ở tiêu đề và liên kết tra cứu được thêm tự động khi gửi.',
  'replyTemplates.bodyRequired': 'Nhập nội dung mẫu.',
  'replyTemplates.unknownPlaceholder': 'Mẫu có chỗ điền không được hỗ trợ: {names}. Chỉ dùng các chỗ điền liệt kê dưới ô nội dung.',
  'replyTemplates.invalidPlaceholder': 'Mẫu có chỗ điền không được hỗ trợ. Chỉ dùng các chỗ điền liệt kê dưới ô nội dung.',
  'replyTemplates.placeholders': 'Chỗ điền: khi chèn vào thư, Sen thay mỗi chỗ điền bằng thông tin của khiếu nại.',
  'replyTemplates.placeholderInsert': 'Chèn chỗ điền {placeholder} ({meaning}) vào nội dung',
  'replyTemplates.placeholder.customerName': 'họ tên khách hàng',
  'replyTemplates.placeholder.code': 'mã khiếu nại, ví dụ KN-2026-000123',
  'replyTemplates.placeholder.subject': 'tiêu đề khiếu nại',
  'replyTemplates.placeholder.resolutionDueAt': 'hạn giải quyết, dạng ngày/tháng/năm',
  'replyTemplates.placeholder.agentName': 'tên nhân viên gửi thư',
  'replyTemplates.list': 'Các mẫu đã có',
  'replyTemplates.count': '{count} mẫu, đang dùng trước.',
  'replyTemplates.empty': 'Chưa có mẫu trả lời nào. Thêm mẫu đầu tiên ở trên.',
  'replyTemplates.active': 'Đang dùng',
  'replyTemplates.inactive': 'Ngừng dùng',
  'replyTemplates.updatedAt': 'Sửa lần cuối {at}',
  'replyTemplates.edit': 'Sửa',
  'replyTemplates.editLabel': 'Sửa mẫu “{name}”',
  'replyTemplates.closeEdit': 'Đóng',
  'replyTemplates.deactivate': 'Ngừng dùng',
  'replyTemplates.deactivateLabel': 'Ngừng dùng mẫu “{name}”',
  'replyTemplates.reactivate': 'Dùng lại',
  'replyTemplates.reactivateLabel': 'Dùng lại mẫu “{name}”',
  'replyTemplates.deactivated': 'Đã ngừng dùng mẫu “{name}”: nhân viên không còn thấy mẫu này.',
  'replyTemplates.reactivated': 'Đã dùng lại mẫu “{name}”.',

  // —— The picker in the reply card ——
  'replyTemplates.insert': 'Chèn mẫu trả lời',
  'replyTemplates.insertHint': 'Chọn một mẫu rồi bấm “Chèn”: nội dung đã điền thông tin khiếu nại được thêm vào ô thư bên dưới để bạn sửa trước khi gửi.',
  'replyTemplates.insertChoose': '— Chọn mẫu —',
  'replyTemplates.insertButton': 'Chèn',
} satisfies Record<string, string>;
