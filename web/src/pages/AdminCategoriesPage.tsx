import { useEffect, useState } from 'react';
import { AdminTabs, LoadFailed, NotAllowed, useApiGet, useRole } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { AddNamedItem, LiveNotice, NamedTable, sortNamed, upsertNamed, useToggleActive, type NamedListSpec, type PageNotice } from '../components/named-list';
import { useI18n } from '../i18n';
import type { CategoryItem, ListOf } from '../types';

/** Danh mục khiếu nại — the kinds of complaint picked at intake: add, rename (vi/en), retire, use again. */
export function AdminCategoriesPage() {
  return (
    <StaffLayout>
      <Categories />
    </StaffLayout>
  );
}

const CATEGORIES: NamedListSpec = { path: '/api/v1/categories', keys: 'categories', idPrefix: 'cat', testIdPrefix: 'category' };

/** PATCH and POST answer without the slug. */
type CategoryAnswer = Omit<CategoryItem, 'slug'> & { slug?: string | null };

function Categories() {
  const { t } = useI18n();
  useTitle(t('categories.title'));
  const role = useRole();
  const isAdmin = role === 'admin';
  const [attempt, setAttempt] = useState(0);
  const loaded = useApiGet<ListOf<CategoryItem>>(isAdmin ? CATEGORIES.path : null, attempt);
  const [items, setItems] = useState<CategoryItem[] | null>(null);
  const [notice, setNotice] = useState<PageNotice>(null);

  // As the API lists them, by name; here the ones in use first.
  useEffect(() => {
    if (loaded.state === 'done') setItems(sortNamed(loaded.value.items));
  }, [loaded]);

  // An answer without the slug keeps the one already known.
  const replace = (next: CategoryAnswer) =>
    setItems((prev) => upsertNamed(prev, { ...next, slug: next.slug ?? prev?.find((x) => x.id === next.id)?.slug ?? null }));
  const toggle = useToggleActive<CategoryAnswer>(CATEGORIES.path, CATEGORIES.keys, replace, setNotice);

  if (role && !isAdmin) return <NotAllowed message={t('categories.adminsOnly')} testId="categories-forbidden" />;

  return (
    <div data-testid="categories-page">
      <AdminTabs />
      <div className="page-head">
        <h1>{t('categories.title')}</h1>
        <p className="lead">{t('categories.intro')}</p>
      </div>
      <AddNamedItem<CategoryAnswer>
        spec={CATEGORIES}
        onAdded={(c) => {
          replace(c);
          setNotice({ kind: 'success', text: t('categories.added', { name: c.name }) });
        }}
      />
      <LiveNotice notice={notice} testId="category-notice" />
      {loaded.state === 'loading' && !items ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {items && items.length === 0 ? <p className="muted">{t('categories.empty')}</p> : null}
      {items && items.length > 0 ? (
        <NamedTable<CategoryItem>
          spec={CATEGORIES}
          items={items}
          canManage
          onSaved={(next) => {
            replace(next);
            setNotice({ kind: 'success', text: t('categories.saved', { name: next.name }) });
          }}
          onToggle={(c) => void toggle(c)}
        />
      ) : null}
    </div>
  );
}
