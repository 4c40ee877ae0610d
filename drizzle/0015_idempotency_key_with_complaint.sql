-- An intake claims its idempotency key together with the id its complaint will have, and writes the complaint
-- later in the same transaction: the key's reference to it is checked at commit instead of at once. (It used to
-- be claimed empty and filled in by an UPDATE: a second row version per intake, and a lookup whose cached plan
-- scanned the whole table when it was planned while the table was still small.)
ALTER TABLE "idempotency_keys" ALTER CONSTRAINT "idempotency_keys_complaint_id_complaints_id_fk" DEFERRABLE INITIALLY DEFERRED;
