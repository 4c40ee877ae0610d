/** The closed vocabularies shared by the API, the database and the web UI. */

/** Kênh tiếp nhận — where a complaint came in. */
export const CHANNELS = ['hotline', 'office', 'email', 'web', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Mức ưu tiên. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
