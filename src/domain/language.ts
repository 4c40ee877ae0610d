import type { Language } from './vocabulary';

// Letters only Vietnamese writes (and the tone marks on its vowels): one word with them is a Vietnamese word.
const VIETNAMESE_LETTERS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

// Frequent words of Vietnamese typed without diacritics ("toi khong nhan duoc hang"), none of them an English word.
const VIETNAMESE_PLAIN = new Set(
  'toi khong cua va la da duoc cho voi mot nhung nay minh roi cung nhu thi neu khi vay nhe oi dc ko hok hong chua bi lai nua rat qua ve tai vi sao gi nao dau hay phai muon can xin cam giup em chi anh ban hang don san pham tien tra lai doi hoan cty cong ty khach kh nhan giao mua ngay thang nam'.split(' '),
);

// Frequent English words that are not also Vietnamese words written without diacritics ("an", "to", "me", "in" are).
const ENGLISH = new Set(
  "the and of is was for you your not have has had with this that please order received but are we our from at as my i i'm would could should will did does been there their they them which what when where why how if or just about after before still yet any some yes refund replace replacement item items product delivered delivery package customer service complaint dear hello hi thanks thank regards sincerely wrong broken damaged never since days weeks".split(
    ' ',
  ),
);

// Where the customer's own words end in a mail: a signature ("-- "), a forwarded or original message ("----- Original
// Message -----", "---------- Forwarded message ---------", Outlook's "________"), the line introducing a quote.
const END_OF_OWN_TEXT = [/^--\s*$/, /^\s*-{4,}/, /^\s*_{4,}\s*$/, /^\s*(on|vào)\s.*(wrote|viết):\s*$/i, /^\s*(wrote|đã viết):\s*$/i];

/** The customer's own words of a mail: up to the first quote, forward or signature, without quoted lines. */
function ownText(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (END_OF_OWN_TEXT.some((re) => re.test(line))) break;
    if (!/^\s*>/.test(line)) lines.push(line);
  }
  return lines.join('\n');
}

/**
 * The language a customer wrote in, from their own text (an email's subject and body; what it quotes, forwards or
 * signs with is left out): English only when clearly so — several frequent English words, more than twice the
 * Vietnamese evidence, a word with Vietnamese letters weighing double (an English disclaimer under two Vietnamese
 * lines stays Vietnamese; an English mail signed "Nguyễn Văn An" stays English). Anything else, a short or mixed text
 * among them, is Vietnamese, Sen's default; staff can change it on the complaint.
 */
export function guessLanguage(text: string): Language {
  let english = 0;
  let vietnamese = 0;
  for (const raw of ownText(text).toLowerCase().split(/[^\p{L}']+/u)) {
    const word = raw.replace(/^'+|'+$/g, '');
    if (!word) continue;
    if (VIETNAMESE_LETTERS.test(word)) vietnamese += 2;
    else if (VIETNAMESE_PLAIN.has(word)) vietnamese += 1;
    else if (ENGLISH.has(word)) english++;
  }
  return english >= 3 && english > 2 * vietnamese ? 'en' : 'vi';
}
