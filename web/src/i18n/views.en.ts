import type { viewsVi } from './views.vi';

// A staff member's named queue filters, English, key for key.

export const viewsEn: Record<keyof typeof viewsVi, string> = {
  'views.title': 'Saved views',
  'views.save': 'Save these filters',
  'views.name': 'View name',
  'views.nameHint': 'For example “My overdue work”. Only you see your views.',
  'views.nameRequired': 'Enter a name for the view.',
  'views.submit': 'Save',
  'views.cancel': 'Cancel',
  'views.saved': 'Saved the view “{name}”.',
  'views.delete': 'Delete the view {name}',
  'views.deleted': 'Deleted the view “{name}”.',
};
