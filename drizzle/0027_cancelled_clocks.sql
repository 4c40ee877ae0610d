-- Clocks stopped by a withdrawal or a merge before their due were stored as met; they are cancelled:
-- neither kept nor broken, and left out of on-time rates (domain/clocks.ts, CLOCK_STATES).
UPDATE "complaints" c SET "clocks" = (
  SELECT jsonb_object_agg(x.k, CASE
    WHEN (x.v->>'stoppedAt') IS NOT NULL
     AND (x.v->>'stoppedAt')::timestamptz = e.at
     AND (x.v->>'stoppedAt')::timestamptz <= (x.v->>'dueAt')::timestamptz
    THEN x.v || '{"cancelled": true}'::jsonb ELSE x.v END)
  FROM jsonb_each(c."clocks") AS x(k, v)
)
FROM (
  SELECT "complaint_id", max("created_at") AS at FROM "timeline_events"
  WHERE "type" = 'status.changed' AND "payload"->>'to' IN ('withdrawn', 'merged')
  GROUP BY "complaint_id"
) e
WHERE e."complaint_id" = c."id" AND c."status" IN ('withdrawn', 'merged') AND c."clocks" <> '{}'::jsonb;
