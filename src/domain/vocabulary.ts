/** The closed vocabularies shared by the API, the database and the web UI. */

/** Kênh tiếp nhận — where a complaint came in. */
export const CHANNELS = ['hotline', 'office', 'email', 'web', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Mức ưu tiên. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
/** Mức ưu tiên in words, for documents and exports. */
export const PRIORITY_LABELS: Record<Priority, { vi: string; en: string }> = {
  low: { vi: 'Thấp', en: 'Low' },
  normal: { vi: 'Bình thường', en: 'Normal' },
  high: { vi: 'Cao', en: 'High' },
  urgent: { vi: 'Khẩn cấp', en: 'Urgent' },
};

/**
 * Nhóm người tiêu dùng dễ bị tổn thương — the vulnerable consumers of the Law on Protection of Consumers' Rights 2023,
 * Art. 8: their requests are handled first (a delay or a refusal is itself compensable), so a complaint of one is
 * at least `high` priority (domain/vulnerability.ts).
 */
export const VULNERABLE_GROUPS = [
  'elderly',
  'disabled',
  'child',
  'ethnic_minority',
  'seriously_ill',
  'pregnant_or_infant',
  'poor_household',
] as const;
export type VulnerableGroup = (typeof VULNERABLE_GROUPS)[number];

/**
 * Ngôn ngữ liên lạc — the language Sen writes to a customer in about their complaint: every mail, the status-page
 * link, the printed receipt. Vietnamese unless the customer used English (the portal's language, an English email).
 */
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How each language is named to customers and staff (in each language). */
export const LANGUAGE_LABELS: Record<Language, { vi: string; en: string }> = {
  vi: { vi: 'Tiếng Việt', en: 'Vietnamese' },
  en: { vi: 'Tiếng Anh', en: 'English' },
};

/** The queue's filters, as its address and a saved view (domain/saved-views.ts) keep them; the console reads the same list. */
export const QUEUE_FILTER_KEYS = ['status', 'channel', 'priority', 'assigneeId', 'teamId', 'categoryId', 'sla', 'following', 'q'] as const;
export type QueueFilterKey = (typeof QUEUE_FILTER_KEYS)[number];

/** The most complaints one bulk assignment (phân công hàng loạt) takes: two pages of the queue. */
export const MAX_BULK_ASSIGN = 100;

/** How many colleagues one internal note may name (nhắc tên): a note is for a few people, not a broadcast. */
export const MAX_NOTE_MENTIONS = 10;
