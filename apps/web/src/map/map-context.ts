import type { Map as LeafletMap } from 'leaflet';
import { createContext, useContext } from 'react';

export const MapContext = createContext<LeafletMap | null>(null);

/** The Leaflet map of the enclosing MapView. */
export function useLeafletMap(): LeafletMap {
  const map = useContext(MapContext);
  if (!map) throw new Error('useLeafletMap outside MapView');

  return map;
}
