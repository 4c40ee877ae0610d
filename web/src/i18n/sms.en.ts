import type { smsVi } from './sms.vi';

// Nhắn tin SMS cho khách (an agent's text to the customer's phone), English.

export const smsEn: Record<keyof typeof smsVi, string> = {
  'sms.section': 'Text the customer (SMS)',
  'sms.text': 'Message',
  'sms.hint': 'Sent to {phone}, without diacritics; it counts as a contact with the customer.',
  'sms.preview': '{count}/{max} characters, {parts} message(s). The customer will read:',
  'sms.required': 'Please write the message.',
  'sms.tooLong': 'The message is too long: {max} characters at most without diacritics (2 messages).',
  'sms.submit': 'Send text',
  'sms.sending': 'Sending…',
  'sms.sent': 'Text sent to the customer.',
  'sms.public': 'We texted you',
};
