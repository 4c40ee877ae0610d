-- Customers are found by any word of their name from its start ("long", "nguyen long"), not only by the start of
-- the whole name: a trigram index on the name with a space before it (domain/search-text.ts nameSearchPattern).
DROP INDEX "customers_search_name_idx";--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin ((' ' || "search_name") gin_trgm_ops);