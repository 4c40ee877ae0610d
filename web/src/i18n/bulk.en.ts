import type { bulkVi } from './bulk.vi';

// Bulk assignment in the queue (phân công hàng loạt), English, key for key.

export const bulkEn: Record<keyof typeof bulkVi, string> = {
  'bulk.selectColumn': 'Select',
  'bulk.select': 'Select {code}',
  'bulk.selectAll': 'Select all complaints on this page',
  'bulk.region': 'Bulk assignment',
  'bulk.selected': '{count} complaints selected',
  'bulk.selectedOne': '1 complaint selected',
  'bulk.assignee': 'Assignee',
  'bulk.team': 'Team',
  'bulk.keep': 'Leave as is',
  'bulk.me': 'Me',
  'bulk.clearAssignee': 'Remove the assignee',
  'bulk.clearTeam': 'Remove the team',
  'bulk.submit': 'Assign',
  'bulk.submitting': 'Assigning…',
  'bulk.clearSelection': 'Clear selection',
  'bulk.nothingChosen': 'Choose an assignee or a team.',
  'bulk.tooMany': 'At most {max} complaints can be assigned at once; untick some.',
  'bulk.resultAssigned': 'Assigned {count} complaints',
  'bulk.resultAssignedOne': 'Assigned 1 complaint',
  'bulk.resultUnchanged': '{count} unchanged',
  'bulk.resultFailed': '{count} could not be assigned',
  'bulk.failures': 'Complaints not assigned',
};
