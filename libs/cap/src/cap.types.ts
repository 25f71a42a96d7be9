/**
 * The normalized model of a CAP 1.2 alert. Every CAP 1.2 element has a field here; a CAP 1.1
 * message is converted into this model on import (see convert-1-1.ts). Optional elements that
 * were absent, or present but empty, are `undefined`; repeated elements are arrays (empty when
 * absent).
 */

import type {
  CapCategory,
  CapCertainty,
  CapMsgType,
  CapScope,
  CapSeverity,
  CapStatus,
  CapUrgency,
} from '@tocsin/contracts';

// The enumerations are shared with the alerts API and the PWA; they live in the contracts.
export {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  type CapCategory,
  type CapCertainty,
  type CapMsgType,
  type CapScope,
  type CapSeverity,
  type CapStatus,
  type CapUrgency,
} from '@tocsin/contracts';

export const CAP_RESPONSE_TYPES = [
  'Shelter',
  'Evacuate',
  'Prepare',
  'Execute',
  'Avoid',
  'Monitor',
  'Assess',
  'AllClear',
  'None',
] as const;
export type CapResponseType = (typeof CAP_RESPONSE_TYPES)[number];

/** The CAP version the message arrived in; the model itself is always CAP 1.2. */
export type CapSourceVersion = '1.2' | '1.1';

/**
 * A CAP date-time. `text` is the CAP 1.2 form with its numeric offset, as received
 * (`2003-04-02T14:39:01-05:00`); `instant` is the same moment in UTC as an ISO-8601 string
 * (`2003-04-02T19:39:01.000Z`), ready to compare or store. "-00:00" and "+00:00" mean UTC.
 */
export interface CapTime {
  readonly text: string;
  readonly instant: string;
}

/** [longitude, latitude], GeoJSON order. CAP writes points the other way round. */
export type LonLat = [number, number];

export interface CapCircle {
  readonly center: LonLat;
  /** Radius in kilometres; 0 marks a point. */
  readonly radiusKm: number;
}

/** A `valueName`/`value` pair (eventCode, parameter, geocode). */
export interface CapValuePair {
  readonly valueName: string;
  readonly value: string;
}

/** One entry of `<references>`: the extended identifier of an earlier message. */
export interface CapReference {
  readonly sender: string;
  readonly identifier: string;
  readonly sent: CapTime;
}

export interface CapResource {
  readonly resourceDesc: string;
  readonly mimeType: string;
  readonly size?: number;
  readonly uri?: string;
  readonly derefUri?: string;
  readonly digest?: string;
}

export interface CapArea {
  readonly areaDesc: string;
  /** Each polygon is one closed ring of [lon, lat] points, first equal to last. */
  readonly polygon: LonLat[][];
  readonly circle: CapCircle[];
  readonly geocode: CapValuePair[];
  /** Feet above mean sea level (CAP's unit). */
  readonly altitude?: number;
  readonly ceiling?: number;
}

export interface CapInfo {
  /** RFC 3066 language tag as received; `en-US` when the element was absent. */
  readonly language: string;
  readonly category: CapCategory[];
  readonly event: string;
  readonly responseType: CapResponseType[];
  readonly urgency: CapUrgency;
  readonly severity: CapSeverity;
  readonly certainty: CapCertainty;
  readonly audience?: string;
  readonly eventCode: CapValuePair[];
  readonly effective?: CapTime;
  readonly onset?: CapTime;
  readonly expires?: CapTime;
  readonly senderName?: string;
  readonly headline?: string;
  readonly description?: string;
  readonly instruction?: string;
  readonly web?: string;
  readonly contact?: string;
  readonly parameter: CapValuePair[];
  readonly resource: CapResource[];
  readonly area: CapArea[];
}

export interface CapAlert {
  readonly identifier: string;
  readonly sender: string;
  readonly sent: CapTime;
  readonly status: CapStatus;
  readonly msgType: CapMsgType;
  readonly source?: string;
  readonly scope: CapScope;
  readonly restriction?: string;
  /** Space-separated addresses as received (quoted when they contain spaces). */
  readonly addresses?: string;
  readonly code: string[];
  readonly note?: string;
  readonly references: CapReference[];
  /** Space-separated incident identifiers as received. */
  readonly incidents?: string;
  readonly info: CapInfo[];
  /** The version the message arrived in (1.1 is converted to the 1.2 model). */
  readonly sourceVersion: CapSourceVersion;
  /** Whether the message carried an enveloped XML signature (never verified, never exported). */
  readonly signed: boolean;
}

/** One problem found in a message, with the path of the element it concerns. */
export interface CapIssue {
  /** e.g. `alert/info[0]/area[1]/polygon[0]` */
  readonly element: string;
  readonly message: string;
}

/** Why a message was refused, for the caller to pick a status and a stable error code. */
export type CapRefusal =
  'too_large' | 'encoding' | 'malformed' | 'not_cap' | 'unsupported_version' | 'invalid';

export type CapParseResult =
  | { readonly ok: true; readonly alert: CapAlert; readonly warnings: CapIssue[] }
  | {
      readonly ok: false;
      readonly reason: CapRefusal;
      readonly errors: CapIssue[];
      readonly warnings: CapIssue[];
    };
