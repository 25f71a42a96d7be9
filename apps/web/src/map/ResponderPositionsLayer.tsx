import type { ResponderPositionView } from '@tocsin/contracts';
import { useEffect, useState } from 'react';
import type { Endpoints } from '../api/endpoints';
import { formatTime } from '../lib/format';
import L from './leaflet';
import { useLeafletMap } from './map-context';

/** How often staff see positions refreshed; responders report theirs about as often. */
const REFRESH_MS = 30_000;

interface ResponderPositionsLayerProps {
  endpoints: Endpoints;
}

/**
 * For the agency's staff: where its people last reported being, one small circle each with
 * their name and the time as a tooltip (text nodes only). Removed with the component.
 */
export function ResponderPositionsLayer({ endpoints }: ResponderPositionsLayerProps) {
  const map = useLeafletMap();
  const positions = usePositions(endpoints);

  useEffect(() => {
    const layer = L.featureGroup();
    for (const position of positions) {
      const marker = L.circleMarker([position.lat, position.lon], {
        radius: 6,
        color: '#8ab4f8',
        weight: 2,
        fillOpacity: 0.8,
        className: 'responder-position',
      });
      marker.bindTooltip(() => tooltipContent(position));
      layer.addLayer(marker);
    }
    layer.addTo(map);

    return () => {
      layer.remove();
    };
  }, [map, positions]);

  return null;
}

function usePositions(endpoints: Endpoints): ResponderPositionView[] {
  const [positions, setPositions] = useState<ResponderPositionView[]>([]);

  useEffect(() => {
    let stopped = false;
    const load = () => {
      endpoints.responderPositions().then(
        (list) => !stopped && setPositions(list),
        () => undefined, // Offline or refused: keep the last positions on the map.
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);

    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [endpoints]);

  return positions;
}

function tooltipContent(position: ResponderPositionView): HTMLElement {
  const box = document.createElement('span');
  box.textContent = `${position.displayName} · ${formatTime(position.reportedAt)}`;

  return box;
}
