-- Trả lời kèm tệp: the complaint files an agent sends with a reply, read from the file store when the mail goes.
ALTER TABLE "outbound_messages" ADD COLUMN "attachments" jsonb;
