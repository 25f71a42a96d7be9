import { formatCapCircle, formatCapPolygon, decimal } from './cap-geometry';
import { formatCapTime } from './cap-time';
import { CAP_12_NAMESPACE } from './cap-versions';
import type { CapAlert, CapArea, CapInfo, CapResource, CapTime, CapValuePair } from './cap.types';
import { XmlWriter } from './xml/xml-writer';

/**
 * Writes an alert as CAP 1.2 XML in the element order of the OASIS schema. Times keep their
 * offset (never "Z"), polygons and circles go back to "lat,lon" order, text is escaped, and
 * optional elements that are undefined or empty are left out. An XML signature is never
 * written: it signed other bytes and would no longer verify.
 */
export function exportCap(alert: CapAlert): string {
  const w = new XmlWriter().open('alert', { xmlns: CAP_12_NAMESPACE });
  w.leaf('identifier', alert.identifier)
    .leaf('sender', alert.sender)
    .leaf('sent', time(alert.sent))
    .leaf('status', alert.status)
    .leaf('msgType', alert.msgType)
    .leaf('source', alert.source)
    .leaf('scope', alert.scope)
    .leaf('restriction', alert.restriction)
    .leaf('addresses', alert.addresses);
  alert.code.forEach((code) => w.leaf('code', code));
  w.leaf('note', alert.note)
    .leaf('references', references(alert))
    .leaf('incidents', alert.incidents);
  alert.info.forEach((info) => writeInfo(w, info));

  return w.close('alert').toString();
}

function writeInfo(w: XmlWriter, info: CapInfo): void {
  w.open('info').leaf('language', info.language);
  info.category.forEach((category) => w.leaf('category', category));
  w.leaf('event', info.event);
  info.responseType.forEach((type) => w.leaf('responseType', type));
  w.leaf('urgency', info.urgency)
    .leaf('severity', info.severity)
    .leaf('certainty', info.certainty)
    .leaf('audience', info.audience);
  info.eventCode.forEach((pair) => writePair(w, 'eventCode', pair));
  w.leaf('effective', time(info.effective))
    .leaf('onset', time(info.onset))
    .leaf('expires', time(info.expires))
    .leaf('senderName', info.senderName)
    .leaf('headline', info.headline)
    .leaf('description', info.description)
    .leaf('instruction', info.instruction)
    .leaf('web', info.web)
    .leaf('contact', info.contact);
  info.parameter.forEach((pair) => writePair(w, 'parameter', pair));
  info.resource.forEach((resource) => writeResource(w, resource));
  info.area.forEach((area) => writeArea(w, area));
  w.close('info');
}

function writeResource(w: XmlWriter, resource: CapResource): void {
  w.open('resource')
    .leaf('resourceDesc', resource.resourceDesc)
    .leaf('mimeType', resource.mimeType)
    .leaf('size', resource.size === undefined ? undefined : decimal(resource.size))
    .leaf('uri', resource.uri)
    .leaf('derefUri', resource.derefUri)
    .leaf('digest', resource.digest)
    .close('resource');
}

function writeArea(w: XmlWriter, area: CapArea): void {
  w.open('area').leaf('areaDesc', area.areaDesc);
  area.polygon.forEach((ring) => w.leaf('polygon', formatCapPolygon(ring)));
  area.circle.forEach((circle) => w.leaf('circle', formatCapCircle(circle)));
  area.geocode.forEach((pair) => writePair(w, 'geocode', pair));
  w.leaf('altitude', area.altitude === undefined ? undefined : decimal(area.altitude))
    .leaf('ceiling', area.ceiling === undefined ? undefined : decimal(area.ceiling))
    .close('area');
}

/** valueName and value are required by the schema, so they are written even when empty. */
function writePair(w: XmlWriter, name: string, pair: CapValuePair): void {
  w.open(name).leafAlways('valueName', pair.valueName).leafAlways('value', pair.value).close(name);
}

function references(alert: CapAlert): string | undefined {
  if (alert.references.length === 0) return undefined;

  return alert.references.map((r) => `${r.sender},${r.identifier},${time(r.sent)}`).join(' ');
}

function time(value: CapTime | undefined): string | undefined {
  return value === undefined ? undefined : formatCapTime(value);
}
