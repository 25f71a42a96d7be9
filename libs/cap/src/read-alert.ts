import { CapContext, CapNode, clip, rules } from './cap-node';
import { parseCapTime } from './cap-time';
import {
  CAP_MSG_TYPES,
  CAP_SCOPES,
  CAP_STATUSES,
  type CapAlert,
  type CapReference,
} from './cap.types';
import { readInfo } from './read-info';
import type { XmlElement } from './xml/xml-reader';

const ALERT_RULES = rules({
  identifier: 'required',
  sender: 'required',
  sent: 'required',
  status: 'required',
  msgType: 'required',
  source: 'optional',
  scope: 'required',
  restriction: 'optional',
  addresses: 'optional',
  code: 'repeated',
  note: 'optional',
  references: 'optional',
  incidents: 'optional',
  info: 'repeated',
});

/** CAP 1.2: identifier and sender "MUST NOT include spaces, commas or restricted characters". */
const FORBIDDEN_IN_ID = /[\s,<&]/;

/**
 * Bounds CAP itself leaves open. Real identifiers and senders stay under a hundred characters,
 * and real messages carry one <info> per language (a handful) and a few references; the bounds
 * keep a hostile message from filling indexes (PostgreSQL refuses index rows over ~2.7 KB) or
 * fanning one import out into thousands of rows.
 */
export const CAP_LIMITS = { idLength: 256, infoBlocks: 64, references: 100 } as const;

/** Reads `<alert>` into the model; errors go to the context. */
export function readAlert(root: XmlElement, ctx: CapContext): CapAlert {
  const node = new CapNode(root, 'alert', ctx, ALERT_RULES);
  const identifier = checkedId(node, 'identifier');
  const sender = checkedId(node, 'sender');
  const sent = node.time('sent') ?? { text: '', instant: '' };

  const alert: CapAlert = {
    identifier,
    sender,
    sent,
    status: node.enumValue('status', CAP_STATUSES),
    msgType: node.enumValue('msgType', CAP_MSG_TYPES),
    source: node.text('source'),
    scope: node.enumValue('scope', CAP_SCOPES),
    restriction: node.text('restriction'),
    addresses: node.text('addresses'),
    code: node.texts('code').map((code) => code.text),
    note: node.text('note'),
    references: readReferences(node),
    incidents: node.text('incidents'),
    info: readInfos(node),
    sourceVersion: ctx.version,
    signed: false,
  };

  return { ...alert, signed: ctx.signed };
}

function checkedId(node: CapNode, name: 'identifier' | 'sender'): string {
  const value = node.requiredText(name);
  if (FORBIDDEN_IN_ID.test(value)) {
    node.ctx.error(`alert/${name}`, 'must not contain spaces, commas, "<" or "&"');
  }
  if (value.length > CAP_LIMITS.idLength) {
    node.ctx.error(`alert/${name}`, `is ${value.length} characters, over ${CAP_LIMITS.idLength}`);
  }

  return value;
}

function readInfos(node: CapNode): CapAlert['info'] {
  const infos = node.all('info');
  if (infos.length > CAP_LIMITS.infoBlocks) {
    node.ctx.error('alert/info', `${infos.length} <info> blocks, over ${CAP_LIMITS.infoBlocks}`);

    return [];
  }

  return infos.map((info) => readInfo(info, node.ctx));
}

/** `<references>`: whitespace-separated "sender,identifier,sent" triples. */
function readReferences(node: CapNode): CapReference[] {
  const text = node.text('references');
  if (text === undefined) return [];

  const entries = text.split(/\s+/);
  if (entries.length > CAP_LIMITS.references) {
    const count = `${entries.length} references`;
    node.ctx.error('alert/references', `${count}, over ${CAP_LIMITS.references}`);

    return [];
  }

  return entries.flatMap((entry, i) => {
    const reference = readReference(entry, node.ctx);
    if (typeof reference === 'string') {
      node.ctx.error('alert/references', `reference ${i + 1} "${clip(entry)}" ${reference}`);

      return [];
    }

    return [reference];
  });
}

function readReference(entry: string, ctx: CapContext): CapReference | string {
  const parts = entry.split(',');
  if (parts.length !== 3 || parts.some((part) => part === '')) {
    return 'is not of the form "sender,identifier,sent"';
  }
  const [sender, identifier, sentText] = parts as [string, string, string];
  if (sender.length > CAP_LIMITS.idLength || identifier.length > CAP_LIMITS.idLength) {
    return `has a sender or identifier over ${CAP_LIMITS.idLength} characters`;
  }
  const sent = parseCapTime(sentText, ctx.version);
  if ('error' in sent) return `has a bad sent time: ${sent.error}`;

  return { sender, identifier, sent: sent.time };
}
