-- A receipt (text + HTML, ~2.7 KB) went over the 2 KB at which PostgreSQL compresses a row with pglz, which cost
-- ~6 % of PostgreSQL's time per intake (perf, 27/11/2026). Rows up to a page now stay as they are.
ALTER TABLE "outbound_messages" SET (toast_tuple_target = 8160);
