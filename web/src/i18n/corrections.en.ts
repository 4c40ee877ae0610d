import type { correctionsVi } from './corrections.vi';

// Correcting a customer's details and a complaint's own text (English), key for key.

export const correctionsEn: Record<keyof typeof correctionsVi, string> = {
  'correction.edit': 'Edit',
  'correction.editCustomer': 'Edit the customer’s details',
  'correction.editComplaint': 'Edit the complaint’s text',
  'correction.customerTitle': 'Correct the customer’s details',
  'correction.customerHint':
    'Correct the name, phone number or email when it was taken down wrong or the customer asks. The change (old and new values) is written in the timeline of every complaint of this customer. The customer needs at least a phone number or an email.',
  'correction.complaintTitle': 'Correct the complaint’s text',
  'correction.complaintHint': 'Correct the subject, description or order number when it was taken down wrong. The old and new values are written in the timeline.',
  'correction.reason': 'Reason for the correction',
  'correction.reasonHint': 'For example: the customer says their name was misspelt. The reason is kept with the change.',
  'correction.save': 'Save changes',
  'correction.cancel': 'Cancel',
  'correction.nothingChanged': 'Nothing has changed yet.',
  'correction.nameRequired': 'Enter the customer’s name.',
  'correction.contactRequired': 'A phone number or an email is needed to reach the customer.',
  'correction.subjectRequired': 'Enter a subject.',
  'correction.descriptionRequired': 'Enter a description.',
  'correction.customerSaved': 'The customer’s details were corrected.',
  'correction.complaintSaved': 'The complaint’s text was corrected.',
  'correction.field.name': 'Name',
  'correction.field.phone': 'Phone',
  'correction.field.email': 'Email',
  'correction.field.subject': 'Subject',
  'correction.field.description': 'Description',
  'correction.field.orderRef': 'Order number',
  'correction.change': '{field}: “{old}” → “{new}”',
  'correction.empty': '(empty)',
  'correction.mailRedirected': '{count} undelivered mail(s) sent on to the new address.',
  'correction.mailStopped': '{count} waiting mail(s) stopped: the email was removed.',
  'event.customer.corrected': 'Customer details corrected',
  'event.complaint.corrected': 'Complaint text corrected',
};
