CREATE TABLE "data_breaches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" bigserial NOT NULL,
	"discovered_at" timestamp with time zone NOT NULL,
	"description" text NOT NULL,
	"data_kinds" text DEFAULT '' NOT NULL,
	"affected_count" integer,
	"measures" text DEFAULT '' NOT NULL,
	"notice_due_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"notice_ref" text,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"outcome_note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_breaches_no_unique" UNIQUE("no"),
	CONSTRAINT "data_breaches_status_check" CHECK ("data_breaches"."status" in ('open','closed'))
);
--> statement-breakpoint
ALTER TABLE "data_breaches" ADD CONSTRAINT "data_breaches_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;