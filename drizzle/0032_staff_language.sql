-- The staff member's language: the console opens in it and Sen's mails to them (SLA alerts) are written in it.
ALTER TABLE "staff_users" ADD COLUMN "language" text DEFAULT 'vi' NOT NULL;