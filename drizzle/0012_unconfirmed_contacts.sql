CREATE TABLE "unconfirmed_contacts" (
	"value" text NOT NULL,
	"complaint_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "unconfirmed_contacts_value_complaint_id_pk" PRIMARY KEY("value","complaint_id")
);
--> statement-breakpoint
ALTER TABLE "unconfirmed_contacts" ADD CONSTRAINT "unconfirmed_contacts_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;