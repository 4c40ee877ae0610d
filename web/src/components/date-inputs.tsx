import { useId, useRef, useState, type InputHTMLAttributes } from 'react';
import { formatDateText, isIsoDate, parseDateText, parseTimeText, timeOfLocal } from '../date-text';
import { useI18n } from '../i18n';

type Passthrough = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max' | 'defaultValue' | 'step'>;

interface DateInputProps extends Passthrough {
  id: string;
  /**
   * YYYY-MM-DD; '' when nothing is typed; what is typed, as typed, when it is not a date, so that the
   * form refuses it rather than taking it for an empty field.
   */
  value: string;
  onValue: (iso: string) => void;
  /** YYYY-MM-DD bounds for the calendar. */
  min?: string;
  max?: string;
  'data-testid'?: string;
}

/** What a date field holds for its text: the ISO date, '' for nothing, or the text itself when it is not a date. */
function dateValueOf(text: string): string {
  const iso = parseDateText(text);
  return iso === null ? text.trim() : iso;
}

const isTrue = (v: unknown) => v === true || v === 'true';

/**
 * A date typed as dd/mm/yyyy (Vietnamese order in every browser language), with a button opening the
 * browser's calendar. What is not a date is said so under the field once the user leaves it.
 */
export function DateInput({ id, value, onValue, min, max, className, disabled, 'aria-describedby': describedBy, onBlur, ...rest }: DateInputProps) {
  const { t } = useI18n();
  const [text, setText] = useState(() => formatDateText(value));
  const [shown, setShown] = useState(value);
  const [touched, setTouched] = useState(false);
  const native = useRef<HTMLInputElement>(null);
  // A value set from outside (a preset, "end call now", a reset) replaces what is typed, in the same
  // render; typing itself does not echo back (what it reports is what the text already reads as).
  if (value !== shown) {
    setShown(value);
    if (dateValueOf(text) !== value) setText(isIsoDate(value) ? formatDateText(value) : value);
  }
  const invalid = touched && parseDateText(text) === null;
  const formatId = `${id}-format`;
  const openPicker = () => {
    const el = native.current;
    if (!el) return;
    try {
      el.showPicker();
    } catch {
      el.focus();
    }
  };
  return (
    <span className={`date-input${className ? ` ${className}` : ''}`}>
      <input
        {...rest}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('date.placeholder')}
        value={text}
        disabled={disabled}
        onChange={(e) => {
          const next = dateValueOf(e.target.value);
          setText(e.target.value);
          setShown(next);
          setTouched(false);
          onValue(next);
        }}
        onBlur={(e) => {
          setTouched(true);
          const iso = parseDateText(text);
          if (iso) setText(formatDateText(iso));
          onBlur?.(e);
        }}
        aria-invalid={invalid || isTrue(rest['aria-invalid']) ? true : undefined}
        aria-describedby={[describedBy, invalid ? formatId : null].filter(Boolean).join(' ') || undefined}
      />
      <button type="button" className="date-input-pick" onClick={openPicker} disabled={disabled} aria-label={t('date.pick')} title={t('date.pick')} tabIndex={-1}>
        <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <rect x="3" y="5" width="18" height="16" rx="2" />
          <path d="M3 10h18M8 3v4M16 3v4" />
        </svg>
      </button>
      <input
        ref={native}
        className="date-input-native"
        type="date"
        tabIndex={-1}
        aria-hidden="true"
        value={isIsoDate(value) ? value : ''}
        min={min}
        max={max}
        onChange={(e) => {
          setText(formatDateText(e.target.value));
          setShown(e.target.value);
          setTouched(false);
          onValue(e.target.value);
        }}
      />
      {invalid ? (
        <span className="field-error date-input-format" id={formatId} data-testid={`format-error-${id}`}>
          {t('date.invalid')}
        </span>
      ) : null}
    </span>
  );
}

interface DateTimeInputProps extends Omit<DateInputProps, 'min' | 'max'> {
  /**
   * YYYY-MM-DDTHH:mm (HH:mm:ss with seconds); '' when both parts are empty; otherwise what is typed
   * (date, "T", time), which is not a date and time, so that the form refuses it.
   */
  value: string;
  /** Bounds as YYYY-MM-DDTHH:mm; the calendar gets their dates. */
  min?: string;
  max?: string;
  withSeconds?: boolean;
  /** The time field's accessible name (the visible label names the date field). */
  timeLabel?: string;
}

/** A date (dd/mm/yyyy) and a 24-hour time (14:30, 14h30) side by side, Vietnam wall time. */
export function DateTimeInput({ id, value, onValue, min, max, withSeconds = false, timeLabel, 'data-testid': testId, ...rest }: DateTimeInputProps) {
  const { t } = useI18n();
  const [date, setDate] = useState(value.slice(0, 10));
  const [time, setTime] = useState(() => timeOfLocal(value, withSeconds));
  const [shown, setShown] = useState(value);
  const [timeTouched, setTimeTouched] = useState(false);
  const hintId = useId();
  const combine = (d: string, tm: string) => {
    const hhmm = parseTimeText(tm, withSeconds);
    if (!d && !tm.trim()) return '';
    return isIsoDate(d) && hhmm ? `${d}T${hhmm}` : `${d}T${tm.trim()}`;
  };
  // As in DateInput: a value from outside replaces both parts in the same render; typing does not.
  if (value !== shown) {
    setShown(value);
    if (combine(date, time) !== value) {
      const [d = '', tm = ''] = value.split('T');
      setDate(d);
      setTime(isIsoDate(d) ? timeOfLocal(value, withSeconds) : tm);
    }
  }
  const report = (d: string, tm: string) => {
    const combined = combine(d, tm);
    setShown(combined);
    onValue(combined);
  };
  const timeInvalid = timeTouched && parseTimeText(time, withSeconds) === null;
  const timeId = `${id}-time`;
  return (
    <span className="datetime-input">
      <DateInput
        {...rest}
        id={id}
        value={date}
        min={min?.slice(0, 10)}
        max={max?.slice(0, 10)}
        data-testid={testId}
        onValue={(d) => {
          setDate(d);
          report(d, time);
        }}
      />
      <span className={withSeconds ? 'time-input with-seconds' : 'time-input'}>
        <input
          id={timeId}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          className="input-time"
          placeholder={withSeconds ? t('date.timePlaceholderSeconds') : t('date.timePlaceholder')}
          aria-label={timeLabel ?? t('date.time')}
          value={time}
          disabled={rest.disabled}
          onChange={(e) => {
            setTime(e.target.value);
            setTimeTouched(false);
            report(date, e.target.value);
          }}
          onBlur={() => {
            setTimeTouched(true);
            const hhmm = parseTimeText(time, withSeconds);
            if (hhmm) setTime(hhmm);
          }}
          aria-invalid={timeInvalid || isTrue(rest['aria-invalid']) ? true : undefined}
          aria-describedby={[rest['aria-describedby'], timeInvalid ? hintId : null].filter(Boolean).join(' ') || undefined}
          data-testid={testId ? `${testId}-time` : undefined}
        />
        {timeInvalid ? (
          <span className="field-error date-input-format" id={hintId} data-testid={`format-error-${timeId}`}>
            {t('date.invalidTime')}
          </span>
        ) : null}
      </span>
    </span>
  );
}
