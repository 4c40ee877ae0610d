import { lazy, StrictMode, Suspense, useEffect, type ReactNode } from 'react';
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
import { RemindersPage } from './pages/RemindersPage';
import { QueuePage } from './pages/QueuePage';
import { navigate, Routes, type Route } from './router';
import { SessionProvider } from './session';
import './styles.css';

// Loaded on first use: an outside party's reply page and the department inbox are separate chunks.
const ConsultationReplyPage = lazy(() => import('./pages/ConsultationReplyPage').then((m) => ({ default: m.ConsultationReplyPage })));
const ConsultationsPage = lazy(() => import('./pages/ConsultationsPage').then((m) => ({ default: m.ConsultationsPage })));
const ConsultationPage = lazy(() => import('./pages/ConsultationsPage').then((m) => ({ default: m.ConsultationPage })));

// Step 5 (theo dõi và cải tiến): reports, corrective actions, admin lists, the survey page.
const ReportsPage = lazy(() => import('./pages/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const CorrectiveActionsPage = lazy(() => import('./pages/CorrectiveActionsPage').then((m) => ({ default: m.CorrectiveActionsPage })));
const AdminRootCausesPage = lazy(() => import('./pages/AdminRootCausesPage').then((m) => ({ default: m.AdminRootCausesPage })));
const AdminAuthoritiesPage = lazy(() => import('./pages/AdminAuthoritiesPage').then((m) => ({ default: m.AdminAuthoritiesPage })));
const AdminBackupsPage = lazy(() => import('./pages/AdminBackupsPage').then((m) => ({ default: m.AdminBackupsPage })));
const AdminWorkflowPage = lazy(() => import('./pages/AdminWorkflowPage').then((m) => ({ default: m.AdminWorkflowPage })));
// Staff accounts and teams, the complaint categories (admin), and one's own account (every staff member).
const AdminUsersPage = lazy(() => import('./pages/AdminUsersPage').then((m) => ({ default: m.AdminUsersPage })));
const AdminCategoriesPage = lazy(() => import('./pages/AdminCategoriesPage').then((m) => ({ default: m.AdminCategoriesPage })));
// Mẫu trả lời: the team's reply templates (supervisors and admins).
const AdminRoutingPage = lazy(() => import('./pages/AdminRoutingPage').then((m) => ({ default: m.AdminRoutingPage })));
const AdminReplyTemplatesPage = lazy(() => import('./pages/AdminReplyTemplatesPage').then((m) => ({ default: m.AdminReplyTemplatesPage })));
const AccountPage = lazy(() => import('./pages/AccountPage').then((m) => ({ default: m.AccountPage })));
// Personal data (Law 91/2025): a customer's page, data subjects' requests and personal-data breaches.
const CustomerPage = lazy(() => import('./pages/CustomerPage').then((m) => ({ default: m.CustomerPage })));
const DataRequestsPage = lazy(() => import('./pages/DataRequestsPage').then((m) => ({ default: m.DataRequestsPage })));
const DataBreachesPage = lazy(() => import('./pages/DataBreachesPage').then((m) => ({ default: m.DataBreachesPage })));
const SurveyPage = lazy(() => import('./pages/SurveyPage').then((m) => ({ default: m.SurveyPage })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="loading">…</p>}>{children}</Suspense>;
}

/** Sends a short address (/khach-hang/…) to the console page of that name, replacing it in the history. */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** Every page of the portal (Vietnamese paths) and of the staff console (under /staff). */
const routes: Route[] = [
  { path: '/', render: () => <ComplaintFormPage /> },
  { path: '/khieu-nai', render: () => <ComplaintFormPage /> },
  { path: '/khieu-nai/da-gui', render: () => <ConfirmationPage /> },
  { path: '/tra-cuu', render: () => <LookupPage /> },
  // An outside party answers a consultation through the signed link in its email (no account).
  {
    path: '/tham-van',
    render: () => (
      <Loading>
        <ConsultationReplyPage />
      </Loading>
    ),
  },
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
  { path: '/staff/nhac-hen', render: () => <RemindersPage /> },
  // Tham vấn: the department inbox (a department member's home) and one consultation.
  {
    path: '/staff/consultations',
    render: () => (
      <Loading>
        <ConsultationsPage />
      </Loading>
    ),
  },
  {
    path: '/staff/consultations/:id',
    render: ({ id }) => (
      <Loading>
        <ConsultationPage key={id} id={id} />
      </Loading>
    ),
  },
  // Khảo sát hài lòng: the customer opens the signed link from the survey email (no account).
  { path: '/khao-sat/:token', render: ({ token }) => <Loading><SurveyPage key={token} token={token} /></Loading> },
  { path: '/staff/reports', render: () => <Loading><ReportsPage /></Loading> },
  { path: '/staff/corrective-actions', render: () => <Loading><CorrectiveActionsPage /></Loading> },
  { path: '/staff/admin/root-causes', render: () => <Loading><AdminRootCausesPage /></Loading> },
  { path: '/staff/admin/authorities', render: () => <Loading><AdminAuthoritiesPage /></Loading> },
  { path: '/staff/admin/workflow', render: () => <Loading><AdminWorkflowPage /></Loading> },
  { path: '/staff/admin/backups', render: () => <Loading><AdminBackupsPage /></Loading> },
  { path: '/staff/admin/users', render: () => <Loading><AdminUsersPage /></Loading> },
  { path: '/staff/admin/categories', render: () => <Loading><AdminCategoriesPage /></Loading> },
  { path: '/staff/admin/reply-templates', render: () => <Loading><AdminReplyTemplatesPage /></Loading> },
  { path: '/staff/admin/routing', render: () => <Loading><AdminRoutingPage /></Loading> },
  { path: '/staff/account', render: () => <Loading><AccountPage /></Loading> },
  { path: '/staff/khach-hang/:id', render: ({ id }) => <Loading><CustomerPage key={id} id={id} /></Loading> },
  { path: '/staff/yeu-cau-du-lieu', render: () => <Loading><DataRequestsPage /></Loading> },
  { path: '/staff/su-co-du-lieu', render: () => <Loading><DataBreachesPage /></Loading> },
  // Staff pages live under /staff (the login returns only there); the same addresses without it lead there.
  { path: '/khach-hang/:id', render: ({ id }) => <Redirect to={`/staff/khach-hang/${encodeURIComponent(id)}`} /> },
  { path: '/yeu-cau-du-lieu', render: () => <Redirect to="/staff/yeu-cau-du-lieu" /> },
  { path: '/su-co-du-lieu', render: () => <Redirect to="/staff/su-co-du-lieu" /> },
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
