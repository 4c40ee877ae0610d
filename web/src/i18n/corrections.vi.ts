// Correcting a customer's details and a complaint's own text (Vietnamese). Spread into vi.ts;
// corrections.en.ts must define exactly the same keys (the compiler checks it).

export const correctionsVi = {
  'correction.edit': 'Sửa',
  'correction.editCustomer': 'Sửa thông tin khách hàng',
  'correction.editComplaint': 'Sửa nội dung khiếu nại',
  'correction.customerTitle': 'Sửa thông tin khách hàng',
  'correction.customerHint':
    'Sửa họ tên, số điện thoại hoặc email khi ghi nhầm hoặc khi khách hàng yêu cầu. Thay đổi được ghi vào dòng thời gian của mọi khiếu nại của khách hàng này (giá trị cũ và mới). Khách hàng cần ít nhất một số điện thoại hoặc email.',
  'correction.complaintTitle': 'Sửa nội dung khiếu nại',
  'correction.complaintHint': 'Sửa tiêu đề, mô tả hoặc mã đơn hàng khi ghi nhầm. Giá trị cũ và mới được ghi vào dòng thời gian.',
  'correction.reason': 'Lý do sửa',
  'correction.reasonHint': 'Ví dụ: khách hàng báo sai chính tả tên. Lý do được ghi cùng thay đổi.',
  'correction.save': 'Lưu thay đổi',
  'correction.cancel': 'Huỷ',
  'correction.nothingChanged': 'Chưa có gì thay đổi.',
  'correction.nameRequired': 'Vui lòng nhập họ tên khách hàng.',
  'correction.contactRequired': 'Cần ít nhất số điện thoại hoặc email để liên hệ khách hàng.',
  'correction.subjectRequired': 'Vui lòng nhập tiêu đề.',
  'correction.descriptionRequired': 'Vui lòng nhập mô tả.',
  'correction.customerSaved': 'Đã sửa thông tin khách hàng.',
  'correction.complaintSaved': 'Đã sửa nội dung khiếu nại.',
  'correction.field.name': 'Họ tên',
  'correction.field.phone': 'Số điện thoại',
  'correction.field.email': 'Email',
  'correction.field.subject': 'Tiêu đề',
  'correction.field.description': 'Mô tả',
  'correction.field.orderRef': 'Mã đơn hàng',
  'correction.change': '{field}: “{old}” → “{new}”',
  'correction.empty': '(trống)',
  'event.customer.corrected': 'Sửa thông tin khách hàng',
  'event.complaint.corrected': 'Sửa nội dung khiếu nại',
} satisfies Record<string, string>;
