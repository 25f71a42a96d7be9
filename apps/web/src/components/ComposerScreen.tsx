import type { GroupView, TargetPreview } from '@tocsin/contracts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AreaInput } from '../api/endpoints';
import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { AlertAreasLayer } from '../map/AlertAreasLayer';
import { DrawAreaControl } from '../map/DrawAreaControl';
import { MapView } from '../map/MapView';
import { useServices } from '../state/session';
import { ComposerFields } from './ComposerFields';
import { draftOf, emptyForm, formFromAlert, problemsOf, type ComposerForm } from './composer-state';
import { PreviewResult } from './PreviewResult';

/** Compose (or update) an alert: area, texts, groups, preview, send. */
export function ComposerScreen({ updateOf }: { updateOf?: string }) {
  const { endpoints, alerts } = useServices();
  const original = useStore(alerts.store).list.find((alert) => alert.id === updateOf);
  const [form, setForm] = useState<ComposerForm>(() =>
    original ? formFromAlert(original) : emptyForm(),
  );
  const [area, setArea] = useState<AreaInput | null>(null);
  const [groups, setGroups] = useState<GroupView[]>([]);
  const [preview, setPreview] = useState<TargetPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shownOriginal = useMemo(() => (original ? [original] : []), [original]);
  const onArea = useCallback((next: AreaInput | null) => setArea(next), []);

  useEffect(() => {
    endpoints.groups().then(setGroups, () => undefined);
  }, [endpoints]);
  useEffect(() => setPreview(null), [form, area]);

  const problems = problemsOf(form, area, Boolean(updateOf));
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Something went wrong');
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () => run(async () => setPreview(await endpoints.preview(draftOf(form, area))));
  const doSend = () =>
    run(async () => {
      const draft = draftOf(form, area);
      const sent = updateOf
        ? await endpoints.update(updateOf, area ? draft : { ...draft, areas: undefined })
        : await endpoints.send(draft);
      alerts.upsert(sent);
      navigate(`/alerts/${sent.id}`);
    });

  return (
    <div className="composer">
      <h1>{updateOf ? 'Update alert' : 'New alert'}</h1>
      <MapView label="Map for drawing the alert area" className="map-compose">
        {original && !area && <AlertAreasLayer alerts={shownOriginal} fit="first" />}
        <DrawAreaControl onChange={onArea} areaDesc={form.areaDesc} />
      </MapView>
      <p className="muted" role="status" data-testid="area-status">
        {area ? 'Area drawn.' : updateOf ? 'Keeping the current area.' : 'No area yet.'}
      </p>
      <ComposerFields form={form} groups={groups} onChange={setForm} />
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {preview && <PreviewResult preview={preview} />}
      <div className="actions">
        {!updateOf && (
          <button
            type="button"
            disabled={busy || problems.length > 0}
            onClick={() => void doPreview()}
          >
            Preview recipients
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={busy || problems.length > 0}
          onClick={() => void doSend()}
        >
          {updateOf ? 'Send update' : 'Send alert'}
        </button>
      </div>
    </div>
  );
}
