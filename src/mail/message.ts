/** Every outbound message has this shape; templates build it, the outbox stores it, a transport sends it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: 'vi' | 'en';
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML mail bodies: customer and staff text never becomes markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
