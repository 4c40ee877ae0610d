-- Customers are found by name through each word's beginnings (two letters to twelve, hashed: sen_name_prefixes) instead of the name's trigrams: in Vietnamese names every trigram is common (" ng", "ngu", "ung"), so the trigram index handed thousands of names to check for "ngo dung" (76 ms at 1 M) and 7–14 ms for words no name holds; a query's words each begin a word of the name (domain/search-text.ts nameSearchPattern), so its words are keys of the index as typed.
CREATE FUNCTION sen_name_prefixes(t text) RETURNS int4[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  w text;
  k int;
  keys int4[] := '{}';
BEGIN
  FOREACH w IN ARRAY string_to_array(t, ' ') LOOP
    FOR k IN 2..least(length(w), 12) LOOP
      keys := keys || hashtext(left(w, k));
    END LOOP;
  END LOOP;
  RETURN keys;
END
$$;--> statement-breakpoint
DROP INDEX "customers_name_trgm_idx";--> statement-breakpoint
CREATE INDEX "customers_name_prefixes_idx" ON "customers" USING gin (sen_name_prefixes("search_name"));
