import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n';
import { AdminCalendarPage } from './pages/AdminCalendarPage';
import { ComplaintFormPage } from './pages/ComplaintFormPage';
import { ComplaintPage } from './pages/ComplaintPage';
import { ConfirmationPage } from './pages/ConfirmationPage';
import { HotlinePage } from './pages/HotlinePage';
import { InboundRejectsPage } from './pages/InboundRejectsPage';
import { LoginPage } from './pages/LoginPage';
import { LookupPage } from './pages/LookupPage';
import { NewComplaintPage } from './pages/NewComplaintPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { QueuePage } from './pages/QueuePage';
import { Routes, type Route } from './router';
import { SessionProvider } from './session';
import './styles.css';

/** Every page of the portal (Vietnamese paths) and of the staff console (under /staff). */
const routes: Route[] = [
  { path: '/', render: () => <ComplaintFormPage /> },
  { path: '/khieu-nai', render: () => <ComplaintFormPage /> },
  { path: '/khieu-nai/da-gui', render: () => <ConfirmationPage /> },
  { path: '/tra-cuu', render: () => <LookupPage /> },
  { path: '/staff/login', render: () => <LoginPage /> },
  { path: '/staff', render: () => <QueuePage /> },
  { path: '/staff/new', render: () => <NewComplaintPage /> },
  { path: '/staff/hotline', render: () => <HotlinePage /> },
  { path: '/staff/office', render: () => <NewComplaintPage office /> },
  { path: '/staff/inbound-rejects', render: () => <InboundRejectsPage /> },
  // key: a different complaint is a fresh page, not a re-render with stale form state.
  { path: '/staff/complaints/:code', render: ({ code }) => <ComplaintPage key={code} code={code} /> },
  { path: '/staff/admin/calendar', render: () => <AdminCalendarPage /> },
  { path: '/staff/notifications', render: () => <NotificationsPage /> },
];

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <Routes routes={routes} fallback={<NotFoundPage />} />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
