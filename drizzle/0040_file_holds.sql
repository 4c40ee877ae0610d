-- An S3-compatible file store: when each file was last stored, locked by a deletion while it decides (files/s3-store.ts).
CREATE TABLE "file_holds" (
	"sha256" text PRIMARY KEY NOT NULL,
	"held_at" timestamp with time zone NOT NULL
);
