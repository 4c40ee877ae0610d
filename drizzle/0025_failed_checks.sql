CREATE TABLE "failed_checks" (
	"subject" text PRIMARY KEY NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"failures" integer NOT NULL
);
