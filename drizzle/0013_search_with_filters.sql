-- The trigram index also holds the queue filters no btree index starts with (channel, priority, category)
-- and assignee and team, through btree_gin: a search with such a filter reads only the rows having both.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "complaints_search_idx";--> statement-breakpoint
CREATE INDEX "complaints_search_idx" ON "complaints" USING gin ("channel","priority","category_id","assignee_id","team_id",(replace("search_text", ' ', '')) gin_trgm_ops);
