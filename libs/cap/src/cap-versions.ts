import type { CapRefusal, CapSourceVersion } from './cap.types';
import type { XmlElement } from './xml/xml-reader';

export const CAP_12_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_11_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.1';
export const XMLDSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';
const CAP_10_NAMESPACES = [
  'http://www.incident.com/cap/1.0',
  'urn:oasis:names:tc:emergency:cap:1.0',
];

export type RootCheck =
  { ok: true; version: CapSourceVersion } | { ok: false; reason: CapRefusal; message: string };

/** Decides from the root element alone whether this is a CAP message we accept. */
export function identifyCapRoot(root: XmlElement): RootCheck {
  if (root.local === 'alert' && root.ns === CAP_12_NAMESPACE) return { ok: true, version: '1.2' };
  if (root.local === 'alert' && root.ns === CAP_11_NAMESPACE) return { ok: true, version: '1.1' };
  if (CAP_10_NAMESPACES.includes(root.ns)) {
    return refuse(
      'unsupported_version',
      `CAP 1.0 (namespace ${root.ns}) is not accepted: only CAP 1.2 and CAP 1.1 are`,
    );
  }
  if (root.local === 'EDXLDistribution') {
    return refuse('not_cap', 'an EDXL-DE envelope is not a CAP alert: send the <alert> alone');
  }
  if (root.local === 'alerts') {
    return refuse('not_cap', 'root <alerts> is a collection, not a CAP alert: send each alone');
  }
  if (root.local === 'alert') {
    const ns = root.ns === '' ? 'no namespace' : `namespace "${root.ns}"`;

    return refuse('not_cap', `<alert> in ${ns} is not CAP (expected ${CAP_12_NAMESPACE})`);
  }

  return refuse('not_cap', `root element <${root.name}> is not a CAP <alert>`);
}

function refuse(reason: CapRefusal, message: string): RootCheck {
  return { ok: false, reason, message };
}

/**
 * CAP 1.1 to 1.2, where the conversion is unambiguous:
 * - the namespace becomes CAP 1.2's;
 * - times: "Z" (allowed by 1.1's xs:dateTime) becomes "-00:00"; see cap-time.ts;
 * - certainty "Very Likely", deprecated by CAP 1.1 "to be treated as Likely", becomes Likely;
 * - responseType, urgency, severity, status, msgType, scope: 1.1's values are a subset of 1.2's;
 * - altitude and ceiling, free strings in 1.1, must be decimals as 1.2 requires;
 * - a resource without mimeType (optional in 1.1, required in 1.2) is refused: no type can be
 *   inferred without guessing.
 */
export function convertCertainty11(value: string): { value: string; converted: boolean } {
  if (value === 'Very Likely') return { value: 'Likely', converted: true };

  return { value, converted: false };
}
