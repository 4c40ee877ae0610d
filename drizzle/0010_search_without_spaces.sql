-- The trigram index of complaints moves to the text without its spaces (src/domain/search-text.ts searchKey):
-- the trigrams across syllables keep two letters of one and one of the next, so a phrase narrows to few rows.
DROP INDEX "complaints_search_idx";--> statement-breakpoint
CREATE INDEX "complaints_search_idx" ON "complaints" USING gin ((replace("search_text", ' ', '')) gin_trgm_ops);