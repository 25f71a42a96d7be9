import { checkAlertRules } from './check-alert';
import { CapContext } from './cap-node';
import { identifyCapRoot } from './cap-versions';
import type { CapParseResult, CapRefusal } from './cap.types';
import { readAlert } from './read-alert';
import { decodeXml, XmlEncodingError } from './xml/decode';
import { readXml, type XmlElement, XmlSyntaxError } from './xml/xml-reader';

/**
 * The largest CAP message accepted, in bytes (5 MiB). Real alerts with detailed polygons and
 * embedded audio reach about a megabyte; the HTTP route enforces the same limit on the body.
 */
export const CAP_MAX_BYTES = 5 * 1024 * 1024;

/** Whether a body of that many bytes exceeds CAP_MAX_BYTES. */
export function capBodyTooLarge(byteLength: number): boolean {
  return byteLength > CAP_MAX_BYTES;
}

/**
 * Parses and validates one CAP 1.2 (or 1.1) message. Never throws on bad input: the result
 * says why it was refused and lists every problem with its element path.
 */
export function parseCap(input: string | Uint8Array): CapParseResult {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (capBodyTooLarge(size)) {
    return refuse('too_large', 'alert', `the message has ${size} bytes, over ${CAP_MAX_BYTES}`);
  }

  const root = readDocument(input);
  if ('reason' in root) return root;

  const check = identifyCapRoot(root);
  if (!check.ok) return refuse(check.reason, root.local, check.message);

  const ctx = new CapContext(root.ns, check.version);
  if (ctx.version === '1.1') ctx.warn('alert', 'CAP 1.1 message converted to CAP 1.2');
  const alert = readAlert(root, ctx);
  if (ctx.signed) ctx.warn('alert/Signature', 'XML signature present: not verified, not exported');
  if (ctx.errors.length === 0) checkAlertRules(alert, ctx);

  return ctx.errors.length === 0
    ? { ok: true, alert, warnings: ctx.warnings }
    : { ok: false, reason: 'invalid', errors: ctx.errors, warnings: ctx.warnings };
}

function readDocument(
  input: string | Uint8Array,
): XmlElement | Extract<CapParseResult, { ok: false }> {
  try {
    return readXml(decodeXml(input));
  } catch (error) {
    if (error instanceof XmlEncodingError) return refuse('encoding', 'document', error.message);
    if (error instanceof XmlSyntaxError) return refuse('malformed', 'document', error.message);
    throw error;
  }
}

function refuse(
  reason: CapRefusal,
  element: string,
  message: string,
): Extract<CapParseResult, { ok: false }> {
  return { ok: false, reason, errors: [{ element, message }], warnings: [] };
}
