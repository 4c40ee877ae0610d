import { useState } from 'react';
import { formatDate } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { fillReplyTemplate, type ComplaintDetail, type ListOf, type ReplyTemplate, type ReplyTemplatePlaceholder } from '../types';
import { useApiGet } from './followup-common';
import '../reply-templates.css';

/**
 * Mẫu trả lời in the reply card: the values a template's placeholders take for one complaint, and the select that
 * inserts a filled template into the reply the agent is writing.
 */

/** What each placeholder stands for on this complaint, written by this staff member (the due date as dd/MM/yyyy, Vietnam time). */
export function replyTemplateValues(detail: ComplaintDetail, agentName: string): Record<ReplyTemplatePlaceholder, string> {
  // The resolution clock's deadline moves with pauses; the complaint's own column is the promise made at intake.
  const due = detail.clocks?.find((c) => c.kind === 'resolution')?.dueAt ?? detail.resolutionDueAt;
  return {
    customerName: detail.customer.name,
    code: detail.code,
    subject: detail.subject,
    resolutionDueAt: due ? formatDate(due) : '',
    agentName,
  };
}

/** The reply with a template's text added: in place of an empty reply, else after a blank line. */
export function appendToReply(current: string, text: string): string {
  return current.trim() ? `${current.replace(/\s+$/, '')}\n\n${text}` : text;
}

/**
 * "Chèn mẫu trả lời": the templates in use in the complaint's language, and a button that hands the chosen one's filled
 * text to `onInsert` (a button, not the select's change: arrowing through a closed select changes it); the select then
 * returns to its prompt. Nothing is shown while none exists (or they cannot be loaded: the agent still writes by hand).
 */
export function ReplyTemplatePicker({ detail, onInsert }: { detail: ComplaintDetail; onInsert: (text: string) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [chosenId, setChosenId] = useState('');
  const loaded = useApiGet<ListOf<ReplyTemplate>>(`/api/v1/reply-templates?language=${encodeURIComponent(detail.language)}`);
  const templates = loaded.state === 'done' ? loaded.value.items.filter((x) => x.active && x.language === detail.language) : [];
  if (!templates.length) return null;

  function insert() {
    const chosen = templates.find((x) => x.id === chosenId);
    if (!chosen) return;
    // Back on the prompt: the same template may be inserted twice.
    setChosenId('');
    onInsert(fillReplyTemplate(chosen.body, replyTemplateValues(detail, session?.user.name ?? '')));
  }

  return (
    <div className="field rt-picker" data-testid="reply-template-picker">
      <label htmlFor="reply-template">{t('replyTemplates.insert')}</label>
      <p className="field-hint" id="reply-template-hint">
        {t('replyTemplates.insertHint')}
      </p>
      <div className="picker-row">
        <select
          id="reply-template"
          value={chosenId}
          onChange={(e) => setChosenId(e.target.value)}
          aria-describedby="reply-template-hint"
          data-testid="reply-template-select"
        >
          <option value="">{t('replyTemplates.insertChoose')}</option>
          {templates.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn" onClick={insert} disabled={!chosenId} data-testid="reply-template-insert">
          {t('replyTemplates.insertButton')}
        </button>
      </div>
    </div>
  );
}
