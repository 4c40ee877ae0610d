/**
 * Values written into a query's text, for statements run by EXECUTE in a simple query (the intake's
 * batch: several statements in one round trip). Strings are E'…' literals, so that a backslash means
 * the same whatever `standard_conforming_strings` says; a one-dimensional array becomes an array
 * literal inside one. One pass over each value: no string is escaped twice.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    let out = "E'{";
    for (let i = 0; i < value.length; i += 1) {
      if (i) out += ',';
      out += arrayElement(value[i]);
    }
    return `${out}}'`;
  }
  return `E'${String(value).replace(/[\\']/g, escapeInString)}'`;
}

const escapeInString = (c: string) => (c === '\\' ? '\\\\' : "''");

/**
 * An element is double-quoted, `"` and `\` escaped by a backslash for the array's parser, and every
 * backslash doubled again and every `'` doubled for the E'…' string around the array.
 */
const escapeInElement = (c: string) => (c === "'" ? "''" : c === '"' ? '\\\\"' : '\\\\\\\\');

function arrayElement(x: unknown): string {
  return x === null || x === undefined ? 'NULL' : `"${String(x).replace(/["\\']/g, escapeInElement)}"`;
}
