-- Ai đang xem: heartbeats of staff with a complaint open (viewing, or writing to its customer), so that two agents
-- do not answer the same customer unknowingly. Rows past a heartbeat's life mean nothing and are cleared as staff move on.
CREATE TABLE "complaint_viewers" (
	"complaint_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"activity" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_viewers_complaint_id_staff_id_pk" PRIMARY KEY("complaint_id","staff_id"),
	CONSTRAINT "complaint_viewers_activity_check" CHECK ("complaint_viewers"."activity" in ('viewing','replying'))
);
--> statement-breakpoint
ALTER TABLE "complaint_viewers" ADD CONSTRAINT "complaint_viewers_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_viewers" ADD CONSTRAINT "complaint_viewers_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_viewers_staff_idx" ON "complaint_viewers" USING btree ("staff_id","seen_at");
