import type { callBackVi } from './call-back.vi';

// Hẹn gọi lại (a call back promised to the customer with a logged contact), English.

export const callBackEn: Record<keyof typeof callBackVi, string> = {
  'callBack.field': 'Call back at',
  'callBack.hint': 'If you promised to call the customer back: Sen reminds you on time, and everyone handling the complaint sees the promise until the next contact.',
  'callBack.invalid': 'Enter the date and time of the call back, or leave it empty.',
  'callBack.promised': 'Call back promised',
  'callBack.by': '{at} — promised by {name}',
  'callBack.late': 'overdue',
  'callBack.timeline': 'Call back promised for {at}',
  'callBack.public': 'We will call you back at {at}.',
  'callBack.reminder': 'Call the customer back',
  'callBack.due': 'Time to call the customer back, as promised ({at}).',
  'callBack.set': 'Contact logged. Sen will remind you to call back at {at}.',
};
