-- Hẹn gọi lại: a reminder that is the call back promised to the customer when a contact was logged; the next contact removes it.
ALTER TABLE "reminders" ADD COLUMN "call_back" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "reminders_call_back_idx" ON "reminders" USING btree ("complaint_id","remind_at") WHERE "reminders"."call_back";