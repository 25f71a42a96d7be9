import { parseCapCircle, parseCapPolygon } from './cap-geometry';
import { CapContext, CapNode, checkEnum, type Located, rules } from './cap-node';
import { convertCertainty11 } from './cap-versions';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_RESPONSE_TYPES,
  CAP_SEVERITIES,
  CAP_URGENCIES,
  type CapArea,
  type CapCertainty,
  type CapInfo,
  type CapResource,
} from './cap.types';

const INFO_RULES = rules({
  language: 'optional',
  category: 'requiredRepeated',
  event: 'required',
  responseType: 'repeated',
  urgency: 'required',
  severity: 'required',
  certainty: 'required',
  audience: 'optional',
  eventCode: 'repeated',
  effective: 'optional',
  onset: 'optional',
  expires: 'optional',
  senderName: 'optional',
  headline: 'optional',
  description: 'optional',
  instruction: 'optional',
  web: 'optional',
  contact: 'optional',
  parameter: 'repeated',
  resource: 'repeated',
  area: 'repeated',
});

const RESOURCE_RULES = rules({
  resourceDesc: 'required',
  mimeType: 'required',
  size: 'optional',
  uri: 'optional',
  derefUri: 'optional',
  digest: 'optional',
});
/** CAP 1.1 makes mimeType optional; it is checked by hand so the message can say why. */
const RESOURCE_RULES_11 = new Map([...RESOURCE_RULES, ['mimeType', 'optional' as const]]);

const AREA_RULES = rules({
  areaDesc: 'required',
  polygon: 'repeated',
  circle: 'repeated',
  geocode: 'repeated',
  altitude: 'optional',
  ceiling: 'optional',
});

/** xs:language */
const LANGUAGE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

export function readInfo(located: Located, ctx: CapContext): CapInfo {
  const node = new CapNode(located.element, located.path, ctx, INFO_RULES);

  return {
    language: readLanguage(node),
    category: node.texts('category').map((c) => checkEnum(c.text, CAP_CATEGORIES, c.path, ctx)),
    event: node.requiredText('event'),
    responseType: node
      .texts('responseType')
      .map((r) => checkEnum(r.text, CAP_RESPONSE_TYPES, r.path, ctx)),
    urgency: node.enumValue('urgency', CAP_URGENCIES),
    severity: node.enumValue('severity', CAP_SEVERITIES),
    certainty: readCertainty(node),
    audience: node.text('audience'),
    eventCode: node.all('eventCode').map((code) => CapNode.valuePair(code, ctx)),
    effective: node.time('effective'),
    onset: node.time('onset'),
    expires: node.time('expires'),
    senderName: node.text('senderName'),
    headline: node.text('headline'),
    description: node.text('description'),
    instruction: node.text('instruction'),
    web: node.text('web'),
    contact: node.text('contact'),
    parameter: node.all('parameter').map((parameter) => CapNode.valuePair(parameter, ctx)),
    resource: node.all('resource').map((resource) => readResource(resource, ctx)),
    area: node.all('area').map((area) => readArea(area, ctx)),
  };
}

function readLanguage(node: CapNode): string {
  const language = node.text('language') ?? 'en-US';
  if (!LANGUAGE.test(language)) {
    node.ctx.error(`${node.path}/language`, `"${language}" is not a language tag`);
  }

  return language;
}

function readCertainty(node: CapNode): CapCertainty {
  if (node.ctx.version === '1.2' || node.all('certainty').length === 0) {
    return node.enumValue('certainty', CAP_CERTAINTIES);
  }
  const path = `${node.path}/certainty`;
  const raw = node.text('certainty') ?? '';
  const converted = convertCertainty11(raw);
  if (converted.converted) node.ctx.warn(path, `CAP 1.1 "${raw}" read as "${converted.value}"`);

  return checkEnum(converted.value, CAP_CERTAINTIES, path, node.ctx);
}

function readResource(located: Located, ctx: CapContext): CapResource {
  const resourceRules = ctx.version === '1.1' ? RESOURCE_RULES_11 : RESOURCE_RULES;
  const node = new CapNode(located.element, located.path, ctx, resourceRules);
  const mimeType = node.text('mimeType');
  if (mimeType === undefined) {
    const why = ctx.version === '1.1' ? ' (optional in CAP 1.1, required in CAP 1.2)' : '';
    ctx.error(`${located.path}/mimeType`, `a resource needs a mimeType${why}`);
  }

  return {
    resourceDesc: node.requiredText('resourceDesc'),
    mimeType: mimeType ?? '',
    size: readNumber(node, 'size', /^\+?\d+$/, 'a whole number of bytes'),
    uri: node.text('uri'),
    derefUri: node.text('derefUri'),
    digest: node.text('digest'),
  };
}

function readArea(located: Located, ctx: CapContext): CapArea {
  const node = new CapNode(located.element, located.path, ctx, AREA_RULES);
  const altitude = readNumber(node, 'altitude', DECIMAL, 'a decimal number of feet');
  const ceiling = readNumber(node, 'ceiling', DECIMAL, 'a decimal number of feet');
  if (ceiling !== undefined && altitude === undefined) {
    ctx.error(`${located.path}/ceiling`, 'ceiling may only be given with altitude');
  }

  return {
    areaDesc: node.requiredText('areaDesc'),
    polygon: readShapes(node, 'polygon', parseCapPolygon),
    circle: readShapes(node, 'circle', parseCapCircle),
    geocode: node.all('geocode').map((geocode) => CapNode.valuePair(geocode, ctx)),
    altitude,
    ceiling,
  };
}

/** Polygons or circles; an empty element (a common NWS quirk) is treated as absent. */
function readShapes<T>(
  node: CapNode,
  name: 'polygon' | 'circle',
  parse: (text: string) => { value: T } | { error: string },
): T[] {
  const shapes: T[] = [];
  for (const { element, path } of node.all(name)) {
    const text = element.children.length > 0 ? undefined : element.text.trim();
    if (text === undefined) node.ctx.error(path, 'must hold text, not elements');
    else if (text === '') node.ctx.warn(path, `empty <${name}> ignored`);
    else {
      const result = parse(text);
      if ('error' in result) node.ctx.error(path, result.error);
      else shapes.push(result.value);
    }
  }

  return shapes;
}

function readNumber(
  node: CapNode,
  name: string,
  pattern: RegExp,
  expected: string,
): number | undefined {
  const text = node.text(name);
  if (text === undefined) return undefined;
  if (!pattern.test(text)) node.ctx.error(`${node.path}/${name}`, `"${text}" is not ${expected}`);

  return Number(text);
}
