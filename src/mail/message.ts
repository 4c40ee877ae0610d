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

/** Text and HTML bodies from the same lines; customer and staff text is escaped, the status link made clickable. */
export function renderMail(to: string, locale: 'vi' | 'en', subject: string, lines: string[], link: string): MailMessage {
  const text = lines.join('\n');
  const url = escapeHtml(link);
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.5">${lines
    .map((l) => (l ? `<p style="margin:0 0 4px">${escapeHtml(l).replace(url, `<a href="${url}">${url}</a>`)}</p>` : '<br>'))
    .join('')}</body></html>`;
  return { to, subject: subject.replace(/\s+/g, ' ').trim(), text, html, locale };
}

/** A mail from Sen to a staff member about a complaint: greeting, what happened, the complaint's link, in their language. */
export function renderStaffMail(m: { to: string; staffName: string; link: string; locale: 'vi' | 'en' }, subject: string, sentence: string): MailMessage {
  const vi = m.locale === 'vi';
  const lines = [
    vi ? `Chào ${m.staffName},` : `Hello ${m.staffName},`,
    '',
    sentence,
    '',
    vi ? `Mở khiếu nại: ${m.link}` : `Open the complaint: ${m.link}`,
    '',
    vi ? 'Sen — hệ thống giải quyết khiếu nại' : 'Sen — complaint handling',
  ];
  return renderMail(m.to, m.locale, subject, lines, m.link);
}
