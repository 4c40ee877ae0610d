CREATE TABLE "file_deletions" (
	"sha256" text PRIMARY KEY NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
-- Files of customers erased before this queue existed, in case deleting one failed then: each is deleted
-- (or, another customer's too, kept) the next time the retention job runs.
INSERT INTO "file_deletions" ("sha256")
SELECT a.sha256 FROM attachments a JOIN complaints c ON c.id = a.complaint_id JOIN customers cu ON cu.id = c.customer_id WHERE cu.anonymised_at IS NOT NULL
UNION SELECT m.raw_sha256 FROM mail_messages m JOIN complaints c ON c.id = m.complaint_id JOIN customers cu ON cu.id = c.customer_id WHERE cu.anonymised_at IS NOT NULL AND m.raw_sha256 IS NOT NULL
ON CONFLICT DO NOTHING;
