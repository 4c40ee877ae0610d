import type { followVi } from './follow.vi';

// Following complaints, telling their assignees, and the customer's other complaints, English, key for key.

export const followEn: Record<keyof typeof followVi, string> = {
  'complaint.otherComplaints': 'Other complaints of this customer ({count})',
  'complaint.otherReceived': 'received',
  'complaint.otherAll': 'See all {count} in the customer record',
  'account.digest': 'Notice digest',
  'account.digestLabel': 'Mail me news of my complaints that I have not read in Sen',
  'account.digestHint': 'A customer’s reply, a complaint given to you, a status moved: left unread in Sen for 10 minutes, Sen gathers them in one mail.',
  'account.digestOn': 'The notice digest is on.',
  'account.digestOff': 'The notice digest is off.',
  'queue.following': 'Only complaints I follow',
  'follow.toggle': 'Follow this complaint',
  'follow.follow': 'Follow',
  'follow.names': 'Followed by: {names}',
  'notifications.kind.complaint.assigned': 'Assigned',
  'notifications.kind.complaint.customer_activity': 'Customer',
  'notifications.kind.complaint.status_changed': 'Status',
  'notifications.kind.complaint.low_rating': 'Low rating',
  'notifications.lowRating': 'The customer rated it only {rating}/5: worth a call to ask why.',
  'notifications.assigned': '{by} gave you this complaint.',
  'notifications.customer.message.received': 'The customer sent a new message.',
  'notifications.customer.info_request.answered': 'The customer answered the request for information.',
  'notifications.customer.proposal.accepted': 'The customer accepted the proposed solution.',
  'notifications.customer.proposal.rejected': 'The customer rejected the proposed solution.',
  'notifications.customer.attachments.added': 'The customer sent more documents.',
  'notifications.customer.survey.answered': 'The customer rated the outcome: {rating}/5.',
  'notifications.customer.status.changed': 'The customer moved the complaint to “{status}”.',
  'notifications.statusChanged': '{by} moved the complaint to “{status}”.',
  'notifications.system': 'Sen',
};
