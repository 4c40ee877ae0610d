// Trả lời kèm tệp (the complaint's files sent with an agent's reply), Vietnamese. Spread into vi.ts;
// reply-files.en.ts must define exactly the same keys (the compiler checks it).

export const replyFilesVi = {
  'replyFiles.legend': 'Gửi kèm tài liệu của khiếu nại',
  'replyFiles.hint': 'Tối đa 10 tệp, tổng 15 MB. Tệp mới: thêm ở mục “Tài liệu đính kèm” rồi chọn ở đây.',
  'replyFiles.picked': 'Đã chọn {count} tệp, {size}.',
  'replyFiles.tooMany': 'Chỉ gửi kèm được tối đa 10 tệp: bỏ bớt tệp.',
  'replyFiles.tooLarge': 'Các tệp đã chọn quá 15 MB để gửi qua email: bỏ bớt tệp.',
  'replyFiles.timeline': 'Tệp gửi kèm',
  'replyFiles.public': 'Tệp gửi kèm thư (xem trong hộp thư của bạn):',
  'replyFiles.sent': 'Đã gửi thư cho khách hàng, kèm {count} tệp.',
} as const;
