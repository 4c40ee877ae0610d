/**
 * One-dimensional `text[]` and `jsonb[]` parameters in PostgreSQL's binary format (what `array_recv`
 * reads), for statements that send whole columns as arrays (the intake's batch, `unnest`).
 *
 * node-postgres sends an array as a text literal (`{"…","…"}`): it escapes every quote and backslash of
 * every element, and PostgreSQL's `array_in` reads the literal twice, character by character, before it
 * has the elements. For the intake's long texts (description, search text, receipt, event payload: ~5 KB
 * per complaint) that was ~15 % of PostgreSQL's CPU per intake (`perf`, bench/README.md). In the binary
 * format each element is its length and its UTF-8 bytes: no escaping, and PostgreSQL copies it as it is
 * (after the same UTF-8 check as for text). A Buffer parameter is sent by node-postgres as binary.
 *
 * The statement must give the parameter its type (`$1::text[]`, `$2::jsonb[]`): the element type written
 * here has to be the one PostgreSQL expects, or it refuses the array ("wrong element type").
 */

const TEXT_OID = 25;
const JSONB_OID = 3802;
/** Version byte that starts a jsonb value in binary form (followed by the JSON text). */
const JSONB_VERSION = 1;

/** `values` as a binary `text[]`; null elements stay null. */
export function binaryTextArray(values: readonly (string | null | undefined)[]): Buffer {
  return encode(values, TEXT_OID, 0);
}

/** JSON texts (already serialised, e.g. by `JSON.stringify`) as a binary `jsonb[]`; null elements stay null. */
export function binaryJsonbArray(values: readonly (string | null | undefined)[]): Buffer {
  return encode(values, JSONB_OID, 1);
}

function encode(values: readonly (string | null | undefined)[], elementOid: number, prefix: 0 | 1): Buffer {
  const n = values.length;
  if (n === 0) {
    // No dimensions: the empty array.
    const empty = Buffer.allocUnsafe(12);
    empty.writeInt32BE(0, 0);
    empty.writeInt32BE(0, 4);
    empty.writeInt32BE(elementOid, 8);
    return empty;
  }
  // At most 3 UTF-8 bytes per UTF-16 code unit: room for any string; the unused end is cut off.
  let room = 20;
  let hasNull = 0;
  for (let i = 0; i < n; i += 1) {
    const v = values[i];
    if (v == null) hasNull = 1;
    else room += prefix + 3 * v.length;
    room += 4;
  }
  const buf = Buffer.allocUnsafe(room);
  buf.writeInt32BE(1, 0); // dimensions
  buf.writeInt32BE(hasNull, 4);
  buf.writeInt32BE(elementOid, 8);
  buf.writeInt32BE(n, 12); // length of the dimension
  buf.writeInt32BE(1, 16); // its lower bound
  let at = 20;
  for (let i = 0; i < n; i += 1) {
    const v = values[i];
    if (v == null) {
      buf.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    const start = at + 4;
    if (prefix) buf[start] = JSONB_VERSION;
    const written = prefix + buf.write(v, start + prefix, 'utf8');
    buf.writeInt32BE(written, at);
    at = start + written;
  }
  return buf.subarray(0, at);
}
