-- Ngôn ngữ liên lạc: the language Sen writes to the customer in (mails, status link, printed receipt). A constant default
-- adds the column without rewriting the table.
ALTER TABLE "complaints" ADD COLUMN "language" text DEFAULT 'vi' NOT NULL;