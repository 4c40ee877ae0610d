ALTER TABLE "idempotency_keys" ADD COLUMN "response_status" integer;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "response_body" text;--> statement-breakpoint
CREATE INDEX "idempotency_keys_replays_idx" ON "idempotency_keys" USING btree ("created_at") WHERE "idempotency_keys"."scope" like 'http:%';