-- The consumer's vulnerable group (Law on Protection of Consumers' Rights 2023, Art. 8): such complaints are handled first
-- (priority at least high, domain/vulnerability.ts). Null: none was said.
ALTER TABLE "complaints" ADD COLUMN "vulnerable_group" text;