CREATE TABLE "data_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" bigserial NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"requester_name" text NOT NULL,
	"contact" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"customer_id" uuid,
	"received_at" timestamp with time zone NOT NULL,
	"reply_due_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"extended_until" timestamp with time zone,
	"extension_reason" text,
	"replied_at" timestamp with time zone,
	"reply_note" text,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"outcome_note" text,
	"created_by" uuid,
	"handled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_requests_no_unique" UNIQUE("no"),
	CONSTRAINT "data_requests_kind_check" CHECK ("data_requests"."kind" in ('access','correction','deletion','restriction','objection','withdraw_consent')),
	CONSTRAINT "data_requests_status_check" CHECK ("data_requests"."status" in ('open','done','refused'))
);
--> statement-breakpoint
ALTER TABLE "data_requests" ADD CONSTRAINT "data_requests_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_requests" ADD CONSTRAINT "data_requests_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_requests" ADD CONSTRAINT "data_requests_handled_by_staff_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "data_requests_open_idx" ON "data_requests" USING btree ("due_at") WHERE "data_requests"."status" = 'open';--> statement-breakpoint
CREATE INDEX "data_requests_customer_idx" ON "data_requests" USING btree ("customer_id");