-- The starting taxonomy; admins edit it afterwards.
INSERT INTO categories (slug, name, name_en) VALUES
  ('product_defect', 'Sản phẩm lỗi', 'Product defect'),
  ('wrong_item', 'Giao sai sản phẩm', 'Wrong item'),
  ('delivery', 'Giao hàng chậm', 'Late delivery'),
  ('delivery_damage', 'Hư hỏng khi vận chuyển', 'Damaged in delivery'),
  ('billing', 'Thanh toán, hóa đơn', 'Billing'),
  ('refund_delay', 'Chậm hoàn tiền', 'Refund delay'),
  ('deposit', 'Tiền đặt cọc', 'Deposit'),
  ('warranty', 'Bảo hành', 'Warranty'),
  ('return_policy', 'Chính sách đổi trả', 'Return policy'),
  ('installation', 'Lắp đặt', 'Installation'),
  ('service_quality', 'Chất lượng dịch vụ', 'Service quality'),
  ('service_disruption', 'Gián đoạn dịch vụ', 'Service disruption'),
  ('service_outage', 'Mất dịch vụ', 'Service outage'),
  ('staff_attitude', 'Thái độ nhân viên', 'Staff attitude'),
  ('contract', 'Hợp đồng', 'Contract'),
  ('promotion', 'Khuyến mại', 'Promotion'),
  ('claim_denied', 'Từ chối bồi thường', 'Claim denied'),
  ('product_safety', 'An toàn sản phẩm', 'Product safety'),
  ('food_safety', 'An toàn thực phẩm', 'Food safety'),
  ('other', 'Khác', 'Other')
ON CONFLICT (slug) DO NOTHING;
