CREATE TABLE "consultation_files" (
	"consultation_id" uuid NOT NULL,
	"attachment_id" uuid NOT NULL,
	CONSTRAINT "consultation_files_consultation_id_attachment_id_pk" PRIMARY KEY("consultation_id","attachment_id")
);
--> statement-breakpoint
ALTER TABLE "consultation_files" ADD CONSTRAINT "consultation_files_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_files" ADD CONSTRAINT "consultation_files_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consultation_files_attachment_idx" ON "consultation_files" USING btree ("attachment_id");