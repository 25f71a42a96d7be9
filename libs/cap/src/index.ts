export * from './cap.types';
export { parseCap, CAP_MAX_BYTES, capBodyTooLarge } from './parse-cap';
export { exportCap } from './export-cap';
export { toCapTime, formatCapTime } from './cap-time';
export { CAP_12_NAMESPACE, CAP_11_NAMESPACE } from './cap-versions';
export {
  capAreaToGeoJson,
  alertAreaUnion,
  CAP_CIRCLE_STEPS,
  type CapAreaGeometry,
} from './cap-geojson';
export { buildPublicAtomFeed, type PublicFeedEntry, type PublicFeedInput } from './atom-feed';
// The safe XML reader, for other XML the platform reads (Atom/RSS feeds listing CAP links).
export { readXml, XmlSyntaxError, XML_MAX_DEPTH, type XmlElement } from './xml/xml-reader';
export { decodeXml, XmlEncodingError } from './xml/decode';
