// Theo dõi khiếu nại, thông báo cho người phụ trách, và các khiếu nại khác của khách hàng, Vietnamese. Spread into vi.ts;
// follow.en.ts must define exactly the same keys (the compiler checks it).

export const followVi = {
  'complaint.otherComplaints': 'Khiếu nại khác của khách hàng ({count})',
  'complaint.otherReceived': 'nhận',
  'complaint.otherAll': 'Xem cả {count} khiếu nại trong hồ sơ khách hàng',
  'account.digest': 'Thư tóm tắt thông báo',
  'account.digestLabel': 'Gửi thư cho tôi khi có tin về khiếu nại của tôi mà tôi chưa đọc trong Sen',
  'account.digestHint': 'Khách hàng trả lời, khiếu nại được giao cho bạn, trạng thái thay đổi: nếu sau 10 phút bạn chưa đọc trong Sen, Sen gom lại trong một thư.',
  'account.digestOn': 'Đã bật thư tóm tắt thông báo.',
  'account.digestOff': 'Đã tắt thư tóm tắt thông báo.',
  'follow.follow': 'Theo dõi',
  'follow.following': 'Đang theo dõi',
  'follow.names': 'Người theo dõi: {names}',
  'notifications.kind.complaint.assigned': 'Được giao',
  'notifications.kind.complaint.customer_activity': 'Khách hàng',
  'notifications.kind.complaint.status_changed': 'Trạng thái',
  'notifications.assigned': '{by} đã giao khiếu nại này cho bạn.',
  'notifications.customer.message.received': 'Khách hàng đã gửi tin nhắn mới.',
  'notifications.customer.info_request.answered': 'Khách hàng đã trả lời yêu cầu bổ sung thông tin.',
  'notifications.customer.proposal.accepted': 'Khách hàng đã đồng ý phương án giải quyết.',
  'notifications.customer.proposal.rejected': 'Khách hàng đã từ chối phương án giải quyết.',
  'notifications.customer.attachments.added': 'Khách hàng đã gửi thêm tài liệu.',
  'notifications.customer.survey.answered': 'Khách hàng đã đánh giá kết quả: {rating}/5.',
  'notifications.customer.status.changed': 'Khách hàng đã chuyển khiếu nại sang “{status}”.',
  'notifications.statusChanged': '{by} đã chuyển khiếu nại sang “{status}”.',
  'notifications.system': 'Sen',
} satisfies Record<string, string>;
