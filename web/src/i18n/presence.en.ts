import type { presenceVi } from './presence.vi';

// Colleagues with the same complaint open, English, key for key.

export const presenceEn: Record<keyof typeof presenceVi, string> = {
  'presence.viewing': '{names} also has this complaint open.',
  'presence.replying': '{names} is writing a reply to the customer. Talk before you send, so the customer does not get two answers.',
  'presence.rowViewing': 'Open: {names}',
  'presence.rowReplying': 'Replying: {names}',
};
