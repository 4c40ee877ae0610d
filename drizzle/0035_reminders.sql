-- Nhắc tôi: a staff member's own reminders on complaints, told in the app and by mail when they come due.
CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"complaint_id" uuid NOT NULL,
	"remind_at" timestamp with time zone NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone,
	CONSTRAINT "reminders_note_length" CHECK (char_length("reminders"."note") <= 500)
);
--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reminders_due_idx" ON "reminders" USING btree ("remind_at") WHERE "reminders"."fired_at" is null;--> statement-breakpoint
CREATE INDEX "reminders_staff_idx" ON "reminders" USING btree ("staff_id","remind_at");--> statement-breakpoint
CREATE INDEX "reminders_complaint_idx" ON "reminders" USING btree ("complaint_id");