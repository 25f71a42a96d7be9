import type { AlertView, CapCertainty, CapSeverity, CapUrgency } from '@tocsin/contracts';
import type { AlertDraft, AreaInput } from '../api/endpoints';

/** The composer's form, as text fields and choices. */
export interface ComposerForm {
  event: string;
  headline: string;
  description: string;
  instruction: string;
  severity: CapSeverity;
  urgency: CapUrgency;
  certainty: CapCertainty;
  expiresInHours: number;
  areaDesc: string;
  groupIds: string[];
}

export const EXPIRY_CHOICES = [1, 2, 4, 8, 12, 24, 48, 72];

export function emptyForm(): ComposerForm {
  return {
    event: '',
    headline: '',
    description: '',
    instruction: '',
    severity: 'Severe',
    urgency: 'Immediate',
    certainty: 'Observed',
    expiresInHours: 4,
    areaDesc: '',
    groupIds: [],
  };
}

export function formFromAlert(alert: AlertView): ComposerForm {
  const hours = Math.max(1, Math.round((Date.parse(alert.expires) - Date.now()) / 3_600_000));

  return {
    event: alert.event,
    headline: alert.headline,
    description: alert.description ?? '',
    instruction: alert.instruction ?? '',
    severity: alert.severity,
    urgency: alert.urgency,
    certainty: alert.certainty,
    expiresInHours: EXPIRY_CHOICES.find((choice) => choice >= hours) ?? 72,
    areaDesc: alert.areas[0]?.areaDesc ?? '',
    groupIds: alert.groupIds,
  };
}

/** The request body; empty optional texts are left out rather than sent blank. */
export function draftOf(form: ComposerForm, area: AreaInput | null): AlertDraft {
  return {
    event: form.event.trim(),
    headline: form.headline.trim(),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    ...(form.instruction.trim() ? { instruction: form.instruction.trim() } : {}),
    severity: form.severity,
    urgency: form.urgency,
    certainty: form.certainty,
    expires: new Date(Date.now() + form.expiresInHours * 3_600_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    areas: area ? [area] : [],
    ...(form.groupIds.length > 0 ? { groupIds: form.groupIds } : {}),
  };
}

/** What is missing before the alert can be previewed or sent, in words. */
export function problemsOf(form: ComposerForm, area: AreaInput | null, updating: boolean) {
  const problems: string[] = [];
  if (!form.event.trim()) problems.push('Name the event.');
  if (!form.headline.trim()) problems.push('Write a headline.');
  if (!area && !updating) problems.push('Draw the area on the map.');

  return problems;
}
