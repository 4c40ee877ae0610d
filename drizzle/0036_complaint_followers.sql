-- Theo dõi: staff following a complaint, told in the app of what its customer does and of its status changes.
CREATE TABLE "complaint_followers" (
	"complaint_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_followers_complaint_id_staff_id_pk" PRIMARY KEY("complaint_id","staff_id")
);
--> statement-breakpoint
ALTER TABLE "complaint_followers" ADD CONSTRAINT "complaint_followers_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_followers" ADD CONSTRAINT "complaint_followers_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_followers_staff_idx" ON "complaint_followers" USING btree ("staff_id");