-- A query's words are matched each on its own, in any order, customer name included (src/domain/search-text.ts
-- searchTerms): "tran minh" finds "Trần Văn Minh", "lê" (two letters, which trigrams cannot find) finds "Lê Văn Đức".
-- The words of a folded text, as searchWords cuts them: runs of a–z and 0–9, at most 60 long (WORD_MAX).
-- Repeats stay (array_to_tsvector keeps each once): without DISTINCT it costs ~25 µs a complaint, not ~40.
CREATE FUNCTION sen_words(folded text) RETURNS text[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
  SELECT coalesce(array_agg(w), '{}') FROM unnest(regexp_split_to_array(folded, '[^a-z0-9]+')) AS w
  WHERE w <> '' AND length(w) <= 60
$$;--> statement-breakpoint
-- Stored texts gain what complaintSearchText now appends: the customer's folded name and the order number
-- without its separators (orderRefKey: "DH-12345" → "dh12345"), as foldText would join them.
UPDATE "complaints" c SET "search_text" = c."search_text" || regexp_replace(rtrim(
    E' \u0001 ' || cu."search_name" || E' \u0001 ' || coalesce(regexp_replace(sen_fold(c."order_ref"), '[-_ /.]+', '', 'g'), '')
  ), ' +', ' ', 'g')
FROM "customers" cu WHERE cu."id" = c."customer_id";--> statement-breakpoint
-- With the queue filters no btree index starts with, as the trigram index has them (0013): a search with
-- a channel reads only the rows having both.
CREATE INDEX "complaints_search_words_idx" ON "complaints" USING gin ("channel","priority","category_id","assignee_id","team_id",array_to_tsvector(sen_words("search_text")));
