-- Complaints recorded before unconfirmed_contacts existed keep their unconfirmed phone and email only in the
-- payload of their first event: copied here so that searching those contacts finds them too.
INSERT INTO "unconfirmed_contacts" ("complaint_id", "kind", "value")
SELECT "complaint_id", 'phone', "payload"->'unconfirmedContacts'->>'phone' FROM "timeline_events"
WHERE "type" = 'complaint.created' AND "payload"->'unconfirmedContacts'->>'phone' IS NOT NULL
UNION ALL
SELECT "complaint_id", 'email', "payload"->'unconfirmedContacts'->>'email' FROM "timeline_events"
WHERE "type" = 'complaint.created' AND "payload"->'unconfirmedContacts'->>'email' IS NOT NULL
ON CONFLICT DO NOTHING;
