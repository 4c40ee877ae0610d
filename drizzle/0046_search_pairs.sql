-- A phrase of several words is also found by its word pairs: each word of a complaint's folded text with the first three letters of the next (domain/search-text.ts pairedPart), hashed, as one more column of the search index; the trigrams of a Vietnamese name are all common, its pairs are not.
CREATE FUNCTION sen_search_pairs(t text) RETURNS int4[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT hashtext(a || ' ' || left(b, 3))), '{}')
  FROM (SELECT w AS a, lead(w) OVER (ORDER BY i) AS b FROM regexp_split_to_table(t, '[^a-z0-9]+') WITH ORDINALITY s(w, i)) p
  WHERE a <> '' AND b <> ''
$$;--> statement-breakpoint
DROP INDEX "complaints_search_idx";--> statement-breakpoint
CREATE INDEX "complaints_search_idx" ON "complaints" USING gin ("channel","priority","category_id","assignee_id","team_id",(replace("search_text", ' ', '')) gin_trgm_ops,sen_search_pairs("search_text"));
