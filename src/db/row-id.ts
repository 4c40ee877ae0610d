import { v7 } from 'uuid';

/**
 * The id of a new row of a table that grows without end (complaints, customers, the outbox, mail):
 * a UUIDv7, whose first 48 bits are the time, so that each primary-key B-tree (and every index keyed
 * by a complaint) grows at one end instead of taking a random leaf page per insert. With random (v4)
 * ids, at a million complaints an intake touched pages scattered over every such index, each also
 * written whole to the WAL after a checkpoint: PostgreSQL's CPU per intake 0.30–0.46 → 0.23–0.25 ms
 * (bench/README.md). The other 74 bits are random: ids stay unguessable.
 */
export const newRowId = (): string => v7();
