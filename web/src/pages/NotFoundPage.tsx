import { PortalLayout, useTitle } from '../components/layout';
import { useI18n } from '../i18n';
import { Link } from '../router';

export function NotFoundPage() {
  const { t } = useI18n();
  useTitle(t('notFound.title'));
  return (
    <PortalLayout>
      <div className="card" data-testid="not-found">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body')}</p>
        <p>
          <Link to="/" className="btn btn-primary">
            {t('notFound.home')}
          </Link>
        </p>
      </div>
    </PortalLayout>
  );
}
