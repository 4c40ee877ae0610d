CREATE TABLE "authorities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"province" text,
	"address" text,
	"email" text,
	"phone" text,
	"website" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"target_kind" text NOT NULL,
	"team_id" uuid,
	"party_name" text,
	"party_email" text,
	"question" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"link_nonce" text NOT NULL,
	"overdue_notified_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultations_target_check" CHECK ("consultations"."target_kind" in ('internal','external')),
	CONSTRAINT "consultations_status_check" CHECK ("consultations"."status" in ('open','answered','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "corrective_action_complaints" (
	"action_id" uuid NOT NULL,
	"complaint_id" uuid NOT NULL,
	CONSTRAINT "corrective_action_complaints_action_id_complaint_id_pk" PRIMARY KEY("action_id","complaint_id")
);
--> statement-breakpoint
CREATE TABLE "corrective_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_id" uuid,
	"root_cause_id" uuid,
	"due_date" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "corrective_actions_status_check" CHECK ("corrective_actions"."status" in ('open','in_progress','done','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"authority_id" uuid,
	"authority_name" text NOT NULL,
	"reason" text NOT NULL,
	"dossier_pdf_sha256" text,
	"dossier_zip_sha256" text,
	"handed_over_at" timestamp with time zone,
	"reference_no" text,
	"outcome" text,
	"outcome_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "info_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"items" jsonb NOT NULL,
	"message" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reminded_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"answer" text,
	CONSTRAINT "info_requests_status_check" CHECK ("info_requests"."status" in ('open','answered','expired','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"amount_vnd" bigint,
	"status" text NOT NULL,
	"client_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"offered_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decision_channel" text,
	"decision_note" text,
	"implementation" jsonb,
	"implemented_at" timestamp with time zone,
	CONSTRAINT "proposals_kind_check" CHECK ("proposals"."kind" in ('exchange','refund','repair','service','voucher','other')),
	CONSTRAINT "proposals_status_check" CHECK ("proposals"."status" in ('pending_approval','offered','accepted','rejected','withdrawn','implemented'))
);
--> statement-breakpoint
CREATE TABLE "root_causes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text,
	"name" text NOT NULL,
	"name_en" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "root_causes_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"resolution_no" integer NOT NULL,
	"send_after" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"rating" integer,
	"comment" text,
	"link_nonce" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_rating_check" CHECK ("surveys"."rating" is null or "surveys"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "staff_users" DROP CONSTRAINT "staff_users_role_check";--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "info_request_id" uuid;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "consultation_id" uuid;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "verification" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "verification_note" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "verified_by" uuid;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "product" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reopen_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "root_cause_id" uuid;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "previous_complaint_id" uuid;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_answered_by_staff_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_action_complaints" ADD CONSTRAINT "corrective_action_complaints_action_id_corrective_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."corrective_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_action_complaints" ADD CONSTRAINT "corrective_action_complaints_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_owner_id_staff_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_root_cause_id_root_causes_id_fk" FOREIGN KEY ("root_cause_id") REFERENCES "public"."root_causes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "info_requests" ADD CONSTRAINT "info_requests_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "info_requests" ADD CONSTRAINT "info_requests_requested_by_staff_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_approved_by_staff_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consultations_complaint_idx" ON "consultations" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "consultations_team_idx" ON "consultations" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "consultations_open_due_idx" ON "consultations" USING btree ("due_at") WHERE "consultations"."status" = 'open';--> statement-breakpoint
CREATE INDEX "corrective_action_complaints_complaint_idx" ON "corrective_action_complaints" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "escalations_complaint_idx" ON "escalations" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "info_requests_complaint_idx" ON "info_requests" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "info_requests_open_due_idx" ON "info_requests" USING btree ("due_at") WHERE "info_requests"."status" = 'open';--> statement-breakpoint
CREATE INDEX "proposals_complaint_idx" ON "proposals" USING btree ("complaint_id");--> statement-breakpoint
CREATE UNIQUE INDEX "proposals_client_key" ON "proposals" USING btree ("complaint_id","client_key") WHERE "proposals"."client_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_complaint_resolution_key" ON "surveys" USING btree ("complaint_id","resolution_no");--> statement-breakpoint
CREATE INDEX "surveys_send_idx" ON "surveys" USING btree ("send_after") WHERE "surveys"."sent_at" is null;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_role_check" CHECK ("staff_users"."role" in ('agent','supervisor','admin','auditor','department'));
--> statement-breakpoint
-- Default directory of competent authorities (research-law-calendar.md; 34 provincial units since 1/7/2025); admins edit it.
INSERT INTO authorities (kind, name, province) VALUES
  ('department_of_industry_trade', 'Sở Công Thương Hà Nội', 'Hà Nội'),
  ('department_of_industry_trade', 'Sở Công Thương Hải Phòng', 'Hải Phòng'),
  ('department_of_industry_trade', 'Sở Công Thương Huế', 'Huế'),
  ('department_of_industry_trade', 'Sở Công Thương Đà Nẵng', 'Đà Nẵng'),
  ('department_of_industry_trade', 'Sở Công Thương Cần Thơ', 'Cần Thơ'),
  ('department_of_industry_trade', 'Sở Công Thương Thành phố Hồ Chí Minh', 'Thành phố Hồ Chí Minh'),
  ('department_of_industry_trade', 'Sở Công Thương Tuyên Quang', 'Tuyên Quang'),
  ('department_of_industry_trade', 'Sở Công Thương Cao Bằng', 'Cao Bằng'),
  ('department_of_industry_trade', 'Sở Công Thương Lai Châu', 'Lai Châu'),
  ('department_of_industry_trade', 'Sở Công Thương Lào Cai', 'Lào Cai'),
  ('department_of_industry_trade', 'Sở Công Thương Thái Nguyên', 'Thái Nguyên'),
  ('department_of_industry_trade', 'Sở Công Thương Điện Biên', 'Điện Biên'),
  ('department_of_industry_trade', 'Sở Công Thương Lạng Sơn', 'Lạng Sơn'),
  ('department_of_industry_trade', 'Sở Công Thương Sơn La', 'Sơn La'),
  ('department_of_industry_trade', 'Sở Công Thương Phú Thọ', 'Phú Thọ'),
  ('department_of_industry_trade', 'Sở Công Thương Bắc Ninh', 'Bắc Ninh'),
  ('department_of_industry_trade', 'Sở Công Thương Quảng Ninh', 'Quảng Ninh'),
  ('department_of_industry_trade', 'Sở Công Thương Hưng Yên', 'Hưng Yên'),
  ('department_of_industry_trade', 'Sở Công Thương Ninh Bình', 'Ninh Bình'),
  ('department_of_industry_trade', 'Sở Công Thương Thanh Hóa', 'Thanh Hóa'),
  ('department_of_industry_trade', 'Sở Công Thương Nghệ An', 'Nghệ An'),
  ('department_of_industry_trade', 'Sở Công Thương Hà Tĩnh', 'Hà Tĩnh'),
  ('department_of_industry_trade', 'Sở Công Thương Quảng Trị', 'Quảng Trị'),
  ('department_of_industry_trade', 'Sở Công Thương Quảng Ngãi', 'Quảng Ngãi'),
  ('department_of_industry_trade', 'Sở Công Thương Gia Lai', 'Gia Lai'),
  ('department_of_industry_trade', 'Sở Công Thương Khánh Hòa', 'Khánh Hòa'),
  ('department_of_industry_trade', 'Sở Công Thương Lâm Đồng', 'Lâm Đồng'),
  ('department_of_industry_trade', 'Sở Công Thương Đắk Lắk', 'Đắk Lắk'),
  ('department_of_industry_trade', 'Sở Công Thương Đồng Nai', 'Đồng Nai'),
  ('department_of_industry_trade', 'Sở Công Thương Tây Ninh', 'Tây Ninh'),
  ('department_of_industry_trade', 'Sở Công Thương Vĩnh Long', 'Vĩnh Long'),
  ('department_of_industry_trade', 'Sở Công Thương Đồng Tháp', 'Đồng Tháp'),
  ('department_of_industry_trade', 'Sở Công Thương Cà Mau', 'Cà Mau'),
  ('department_of_industry_trade', 'Sở Công Thương An Giang', 'An Giang'),
  ('consumer_association', 'Hội Tiêu chuẩn và Bảo vệ người tiêu dùng Việt Nam (VINASTAS)', null),
  ('consumer_association', 'Hội Bảo vệ quyền lợi người tiêu dùng cấp tỉnh', null),
  ('mediation', 'Tổ chức hòa giải thương mại', null),
  ('arbitration', 'Trung tâm Trọng tài Quốc tế Việt Nam (VIAC)', null),
  ('court', 'Tòa án nhân dân', null);--> statement-breakpoint
INSERT INTO root_causes (slug, name, name_en) VALUES
  ('product-defect', 'Lỗi sản phẩm', 'Product defect'),
  ('delivery', 'Giao hàng chậm hoặc sai', 'Late or wrong delivery'),
  ('wrong-item', 'Giao sai hàng, thiếu hàng', 'Wrong or missing item'),
  ('billing', 'Sai hoá đơn, thanh toán', 'Billing or payment error'),
  ('warranty', 'Bảo hành, đổi trả không đúng cam kết', 'Warranty or returns not honoured'),
  ('staff', 'Thái độ, nghiệp vụ nhân viên', 'Staff conduct or error'),
  ('information', 'Thông tin, quảng cáo sai lệch', 'Misleading information'),
  ('process', 'Quy trình nội bộ', 'Internal process'),
  ('customer', 'Do khách hàng (sử dụng sai, hiểu nhầm)', 'Customer side (misuse, misunderstanding)'),
  ('other', 'Khác', 'Other');
