-- Thư tóm tắt: news of complaints left unread is mailed to staff who want it, once, by the digest job.
ALTER TABLE "notifications" ADD COLUMN "digested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "mail_digest" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "notifications_digest_idx" ON "notifications" USING btree ("created_at") WHERE "notifications"."read_at" is null and "notifications"."digested_at" is null and "notifications"."kind" in ('complaint.assigned','complaint.customer_activity','complaint.status_changed');