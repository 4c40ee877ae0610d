CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid,
	"provider_call_id" text,
	"caller_e164" text,
	"agent_id" uuid,
	"agent_ref" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"recording_url" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imap_state" (
	"mailbox" text PRIMARY KEY NOT NULL,
	"uid_validity" bigint,
	"last_uid" bigint DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_rejects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"from_address" text,
	"subject" text NOT NULL,
	"message_id" text,
	"body_hash" text NOT NULL,
	"raw_sha256" text NOT NULL,
	"excerpt" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"converted_complaint_id" uuid
);
--> statement-breakpoint
CREATE TABLE "mail_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid,
	"direction" text NOT NULL,
	"message_id" text,
	"from_address" text NOT NULL,
	"subject" text NOT NULL,
	"body_hash" text NOT NULL,
	"raw_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_messages_direction_check" CHECK ("mail_messages"."direction" in ('in','out'))
);
--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_agent_id_staff_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_rejects" ADD CONSTRAINT "inbound_rejects_converted_complaint_id_complaints_id_fk" FOREIGN KEY ("converted_complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calls_provider_call_key" ON "calls" USING btree ("provider_call_id") WHERE "calls"."provider_call_id" is not null;--> statement-breakpoint
CREATE INDEX "calls_caller_idx" ON "calls" USING btree ("caller_e164");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_rejects_identity_key" ON "inbound_rejects" USING btree ("message_id","from_address","body_hash") WHERE "inbound_rejects"."message_id" is not null;--> statement-breakpoint
CREATE INDEX "inbound_rejects_received_idx" ON "inbound_rejects" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_messages_identity_key" ON "mail_messages" USING btree ("message_id","from_address","body_hash") WHERE "mail_messages"."message_id" is not null;--> statement-breakpoint
CREATE INDEX "mail_messages_message_id_idx" ON "mail_messages" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "mail_messages_complaint_idx" ON "mail_messages" USING btree ("complaint_id");