/**
 * Diacritic- and case-insensitive folding for search ("Đồng hồ" → "dong ho"). The same function folds
 * what is stored and what is searched, so the database needs no unaccent dictionary.
 */
export function foldText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The folded text a complaint is found by: code, subject, description, contacts, order. The customer's
 * name is not in it: names share a few syllables ("nguyen", "van", "thi") that would make every
 * name search match most of the table; names are found through customers.search_name instead.
 */
export function complaintSearchText(parts: {
  code: string;
  subject: string;
  description: string;
  phoneE164?: string | null;
  phoneNational?: string | null;
  email?: string | null;
  orderRef?: string | null;
}): string {
  return foldText(
    [
      parts.code,
      parts.subject,
      parts.phoneE164 ?? '',
      parts.phoneNational ?? '',
      parts.email ?? '',
      parts.orderRef ?? '',
      parts.description,
    ].join(' \u0001 '),
  );
}

/**
 * The text the trigram index of complaints holds: the folded search text with its spaces taken out
 * (`searchKey`; in SQL `replace(search_text, ' ', '')`). pg_trgm cuts text into words at spaces, so
 * "thai thi thi hang" would give only the trigrams of its syllables — common everywhere — and the
 * index would hand back every complaint holding them anywhere to be checked. Without the spaces
 * ("thaithithihang") the trigrams across syllables ("ait", "ith", "hih") keep their order with two
 * letters of one syllable and one of the next, which few complaints share, so the index narrows a phrase
 * to a few rows; the phrase with its spaces is then checked on those (a match without spaces is not
 * a match). Measured at 1 M complaints: customer-name searches SQL p50 26 → 0.5 ms, p95 ~100 → ~45 ms
 * against the earlier index with the spaces joined by a "z" (whose trigrams across words keep one letter each side).
 */
export function searchKey(folded: string): string {
  return folded.replaceAll(' ', '');
}

/**
 * The words of a folded text as the word-pair index cuts it (SQL `sen_search_pairs`, migration 0046): runs of
 * letters and digits, anything else between them a separator.
 */
const textWords = (folded: string): string[] => folded.split(/[^a-z0-9]+/).filter(Boolean);

/**
 * The part of a phrase of several words whose word pairs a complaint holding it must have in the word-pair
 * index, or null when it has no pair. The index keeps each word with the first three letters of the next
 * ("hoang dung" → "hoang dun"): every Vietnamese syllable is common, so a name's trigrams are in most
 * complaints and the trigram index handed thousands of candidates to check for a phrase none held ("hoang
 * dung": 365–465 ms at 1 M), where its pair is in a few. The phrase matches from the start of a word
 * ({@link phraseStartPattern}), so its words are whole but the last, which may be cut short as typed: a last
 * word shorter than three letters ("hoang du") cannot name its pair and is left out. Three digits in a row make
 * trigrams rare enough, and the trigram index is then the better one: an order number's pair ("kh-pe3703217" →
 * "kh pe3") is shared by every order of its series (measured at 1 M: 10 ms by the pair, 3 ms by the trigrams).
 */
export function pairedPart(folded: string): string | null {
  const words = textWords(folded);
  if (words.length < 2 || /\d{3}/.test(folded)) return null;
  const lastWhole = /[^a-z0-9]$/.test(folded) || words[words.length - 1].length >= 3;
  const paired = lastWhole ? words : words.slice(0, -1);
  return paired.length >= 2 ? paired.join(' ') : null;
}

/** Whether a folded query is a phrase of two words or more, which matches from the start of a word. */
export const isMultiWordPhrase = (folded: string): boolean => textWords(folded).length >= 2;

/**
 * A POSIX regular expression (PostgreSQL `~`) true when a folded text holds a phrase starting at the start of a
 * word ("ong ho" does not find "dong ho"; "dong ho" finds "(dong ho" and "dong hoa"): the condition of the
 * word-pair index, checked on every complaint it hands back and along the queue walk.
 */
export function phraseStartPattern(folded: string): string {
  const escaped = folded.replace(/[\\^$.|?*+()[\]{}]/g, (m) => `\\${m}`);
  return /^[a-z0-9]/.test(folded) ? `(^|[^a-z0-9])${escaped}` : escaped;
}

/** Escapes LIKE's wildcards (and its escape character) in text to be matched as written. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * The LIKE pattern a folded query matches a customer's name with, on `' ' || search_name`: each word
 * of the query starts a word of the name, in the query's order, words in between allowed: "long",
 * "thanh long", "nguyen long" and "nguyen van thanh long" all find "Nguyễn Văn Thành Long", as a caller
 * gives it (the given name, family and given name, the whole name); "uyen" and "long nguyen" do not.
 */
export function nameSearchPattern(folded: string): string {
  return `% ${folded.split(' ').map(escapeLike).join('% ')}%`;
}

/** The longest beginning of a name's word that the name index keeps (SQL `sen_name_prefixes`, migration 0047). */
export const NAME_PREFIX_MAX = 12;

/**
 * What the name index is asked for on a name search: each word of the query of two letters or more, cut to
 * NAME_PREFIX_MAX. The index keeps every beginning of each word of a name (two letters to twelve, split at spaces
 * as here), so a name that fits nameSearchPattern holds every one of them; "nguyen v" asks for "nguyen" alone, and
 * the pattern is checked on what the index gives.
 */
export function nameIndexKeys(folded: string): string[] {
  return [...new Set(folded.split(' ').filter((w) => w.length >= 2).map((w) => w.slice(0, NAME_PREFIX_MAX)))];
}

/**
 * An order number typed with another separator than the one stored, or none: the forms to search, each
 * as written — as typed, with a dash, and with nothing between its letters and its digits ("DH12345" and
 * "dh 12345" find "DH-12345"; "DH-12345" finds "DH12345"). Each form costs a trigram index scan (measured
 * at 1 M: six forms took order-number searches from p95 39 to 87 ms), so only the two usual stored forms
 * are added. Null when the query is not letters then digits (at least three).
 */
export function orderNumberVariants(folded: string): string[] | null {
  const m = /^([a-z]{1,6})[-_/. ]?(\d{3,})$/.exec(folded);
  if (!m) return null;
  return [...new Set([folded, `${m[1]}-${m[2]}`, `${m[1]}${m[2]}`])];
}

/**
 * The words a text search falls back to when no complaint holds the query as a phrase: "samsung tivi"
 * then finds "Tivi Samsung bị sọc màn hình", each word at the start of a word of the complaint's text,
 * in any order. Words of one letter say nothing and are left out. Null when that leaves fewer than two
 * words (the phrase was the whole search) or none of three letters (the trigram index would have
 * nothing to narrow the complaints with).
 */
export function searchWords(folded: string): string[] | null {
  const words = [...new Set(folded.split(/[^a-z0-9]+/).filter((w) => w.length >= 2))];
  if (words.length < 2 || !words.some((w) => w.length >= 3)) return null;
  return words;
}

/**
 * A POSIX regular expression (PostgreSQL `~`) true when a folded text has a word starting with `word`
 * (letters and digits only, as searchWords gives them): at the start or after anything else.
 */
export const wordStartPattern = (word: string): string => `(^|[^a-z0-9])${word}`;
