import type { shortcutsVi } from './shortcuts.vi';

// Keyboard shortcuts of the staff console, English, key for key.

export const shortcutsEn: Record<keyof typeof shortcutsVi, string> = {
  'shortcuts.title': 'Keyboard shortcuts',
  'shortcuts.group.queue': 'Queue',
  'shortcuts.group.complaint': 'Complaint page',
  'shortcuts.group.everywhere': 'Every page',
  'shortcuts.queue.move': 'Down / up one complaint',
  'shortcuts.queue.open': 'Open the chosen complaint',
  'shortcuts.queue.select': 'Select the chosen complaint for bulk assignment',
  'shortcuts.queue.search': 'Search',
  'shortcuts.complaint.neighbours': 'Next / previous complaint in the queue',
  'shortcuts.complaint.reply': 'Write a reply to the customer',
  'shortcuts.complaint.note': 'Write an internal note',
  'shortcuts.complaint.back': 'Back to the queue',
  'shortcuts.help': 'Show the list of shortcuts',
  'shortcuts.enabled': 'Use single-key shortcuts in this browser',
  'shortcuts.enabledHint': 'Turn them off if you use speech input or often press keys by mistake. Shortcuts never act while you type in a field.',
  'shortcuts.close': 'Close',
  'queue.next': 'Next complaint',
  'queue.previous': 'Previous complaint',
  'queue.position': '{n} of {total} in the queue',
};
