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
 * The letter that stands for a space in the trigram index of complaints (`searchKey`). pg_trgm cuts
 * text into words at spaces, so "le tan bao" gives only the trigrams of "le", "tan" and "bao" — common
 * everywhere — and every complaint holding the three syllables anywhere must be read to check the
 * phrase. Joined ("leztanzbao"), the trigrams across the spaces ("ezt", "nzb") keep the order of the
 * words, and the index alone narrows a phrase to the few complaints that hold it. Folded Vietnamese
 * has no "z"; a query only finds more than it should where it has a space and the text a "z".
 */
export const SEARCH_JOINER = 'z';

/** A folded query as the trigram index of complaints sees it (its SQL twin: replace(search_text, ' ', 'z')). */
export function searchKey(folded: string): string {
  return folded.replaceAll(' ', SEARCH_JOINER);
}
