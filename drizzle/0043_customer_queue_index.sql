-- A name search reads the page of the customers the name fits from this index alone (customer, deadline, id); it serves every lookup by customer the old one did.
CREATE INDEX "complaints_customer_queue_idx" ON "complaints" USING btree ("customer_id","sort_due","id");--> statement-breakpoint
DROP INDEX "complaints_customer_idx";
