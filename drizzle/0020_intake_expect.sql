-- The intake writes a batch in the same round trip as the claim of its numbers, on numbers it expects
-- (src/commands/create-complaint.ts); the write calls this with whether the claim went as expected, and a
-- batch that would be out of step fails whole (nothing written) and is written again the careful way.
CREATE FUNCTION "sen_intake_expect"("ok" boolean) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "ok" THEN
    RAISE EXCEPTION 'intake batch out of step with the complaint counter' USING ERRCODE = 'SN001';
  END IF;
  RETURN 0;
END
$$;
