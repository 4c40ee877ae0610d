DROP INDEX "complaints_search_idx";--> statement-breakpoint
CREATE INDEX "complaints_search_idx" ON "complaints" USING gin ((replace("search_text", ' ', 'z')) gin_trgm_ops);