// Naming colleagues in an internal note, English. Spread into en.ts; the same keys as mentions.vi.ts.
import type { mentionsVi } from './mentions.vi';

export const mentionsEn: Record<keyof typeof mentionsVi, string> = {
  'mentions.label': 'Mention colleagues',
  'mentions.hint': 'Each is told in Sen and by mail (your name and the complaint’s code only, not the note). At most {max}.',
  'mentions.choose': '— Choose a colleague —',
  'mentions.add': 'Add',
  'mentions.remove': 'Remove {name}',
  'mentions.chosen': 'Will mention',
  'mentions.full': '{max} already chosen.',
  'mentions.timeline': 'Mentioned: {names}',
  'mentions.unknown': '(someone no longer listed)',
  'notifications.kind.note.mentioned': 'Mentioned',
  'notifications.noteMentioned': '{by} mentioned you in an internal note.',
};
