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
 * The folded text a complaint is found by: code, subject, contacts, order number, description, the
 * customer's name, and the order number without its separators (orderRefKey), so that "DH12345" finds
 * "DH-12345". Names are in it since a query's words are matched each on its own (searchTerms): "tran minh"
 * finds the complaint of "Trần Văn Minh" about "đồng hồ", and so does "minh dong ho". The parts are
 * joined by \u0001, which folding keeps and search counts as a break between words.
 */
export function complaintSearchText(parts: {
  code: string;
  subject: string;
  description: string;
  phoneE164?: string | null;
  phoneNational?: string | null;
  email?: string | null;
  orderRef?: string | null;
  /** The customer's name as it is now (null once erased): a correction of it must rewrite the text. */
  customerName: string | null;
}): string {
  // The name and the order key come last so that migration 0028 could append them to the stored texts.
  return foldText(
    [
      parts.code,
      parts.subject,
      parts.phoneE164 ?? '',
      parts.phoneNational ?? '',
      parts.email ?? '',
      parts.orderRef ?? '',
      parts.description,
      parts.customerName ?? '',
      parts.orderRef ? orderRefKey(parts.orderRef) : '',
    ].join(' \u0001 '),
  );
}

/** Mã đơn hàng — an order number folded without its separators: "DH-12 345", "dh_12345", "DH12345" → "dh12345". */
export function orderRefKey(orderRef: string): string {
  return foldText(orderRef).replace(/[-_ /.]+/g, '');
}

/** Words this long or shorter are matched whole ("le" finds "Lê", not "lệnh" or "lên"); longer ones by their start. */
export const SHORT_WORD_MAX = 2;

/**
 * Longer words are left out of the index of words (sen_words, migration 0028: a lexeme is at most 2 KB,
 * and nobody looks for a pasted token by its start); a query word this long is looked for anywhere instead.
 */
export const WORD_MAX = 60;

/** The shortest query accepted: a single letter would match most complaints. */
export const MIN_SEARCH_LENGTH = 2;

/**
 * The words of a folded text as search counts them: runs of letters a–z and digits, so "DH-12345" is
 * "dh" and "12345", "thegioiso.vn" is "thegioiso" and "vn". In SQL: sen_words (migration 0028), which
 * also drops words longer than WORD_MAX.
 */
export function searchWords(folded: string): string[] {
  return folded.split(/[^a-z0-9]+/).filter(Boolean);
}

/**
 * One word of a query and how a complaint must hold it: `word` whole (one or two letters: "le" finds "Lê"
 * and not "lệnh"), `prefix` at the start of a word ("minh" finds "Minh" and "minhanh@…", not "kinh"'s "inh"), `contains`
 * anywhere (a word with digits: the tail of an order or phone number, "5678", "12345" of "DH12345").
 */
export interface SearchTerm {
  text: string;
  match: 'word' | 'prefix' | 'contains';
}

/**
 * The terms of a query, each to be found somewhere in a complaint, in any order ("tran minh" finds
 * "Trần Văn Minh"); null when none has MIN_SEARCH_LENGTH characters (a one-letter query).
 */
export function searchTerms(query: string): SearchTerm[] | null {
  const words = [...new Set(searchWords(foldText(query)))];
  if (!words.some((w) => w.length >= MIN_SEARCH_LENGTH)) return null;
  return words.map((text) => ({
    text,
    match: text.length <= SHORT_WORD_MAX ? 'word' : /\d/.test(text) || text.length > WORD_MAX ? 'contains' : 'prefix',
  }));
}

/**
 * The order-number form of a query with digits ("dh 12345", "DH-12345" → "dh12345"), to be found among
 * the complaints' order keys (complaintSearchText); null when the query has no digit or is one word already.
 */
export function orderRefQuery(query: string): string | null {
  const key = orderRefKey(query);
  if (!/^[a-z0-9]{3,}$/.test(key) || !/\d/.test(key)) return null;
  const words = searchWords(foldText(query));
  return words.length === 1 && words[0] === key ? null : key;
}

/**
 * The text the trigram index of complaints holds: the folded search text with its spaces taken out
 * (`searchKey`; in SQL `replace(search_text, ' ', '')`). It was made for phrases, whose trigrams across
 * syllables ("thaithithihang": "ait", "ith") few complaints share; since queries match word by word
 * (searchTerms) through the index of words, it serves what that index cannot: words with digits found
 * anywhere ("12345" in "dh12345", a phone number's tail) and order keys (orderRefQuery). A match in it is
 * checked on the text with its spaces, which a term never holds.
 */
export function searchKey(folded: string): string {
  return folded.replaceAll(' ', '');
}
