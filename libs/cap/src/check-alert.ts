import type { CapContext } from './cap-node';
import type { CapAlert, CapInfo } from './cap.types';

/**
 * Rules of the CAP 1.2 specification that the XSD cannot express, checked once the elements
 * themselves are valid.
 */
export function checkAlertRules(alert: CapAlert, ctx: CapContext): void {
  checkReferences(alert, ctx);
  checkScope(alert, ctx);
  alert.info.forEach((info, i) => checkInfoTimes(alert, info, `alert/info[${i}]`, ctx));
}

/** Update, Cancel, Ack and Error act on the messages named in <references>. */
function checkReferences(alert: CapAlert, ctx: CapContext): void {
  if (alert.msgType === 'Alert' || alert.references.length > 0) return;
  if (ctx.errors.some((issue) => issue.element === 'alert/references')) return;
  ctx.error('alert/references', `msgType ${alert.msgType} needs <references> to earlier messages`);
}

function checkScope(alert: CapAlert, ctx: CapContext): void {
  if (alert.scope === 'Private' && alert.addresses === undefined) {
    ctx.error('alert/addresses', 'scope Private needs <addresses>');
  }
  if (alert.scope === 'Restricted' && alert.restriction === undefined) {
    ctx.warn('alert/restriction', 'scope Restricted without <restriction> text');
  }
}

/** An info cannot expire before it takes effect (effective, or sent when absent). */
function checkInfoTimes(alert: CapAlert, info: CapInfo, path: string, ctx: CapContext): void {
  if (!info.expires || alert.sent.instant === '') return;
  const start = info.effective ?? alert.sent;
  if (Date.parse(info.expires.instant) < Date.parse(start.instant)) {
    const what = info.effective ? 'effective' : 'sent';
    ctx.error(`${path}/expires`, `expires ${info.expires.text} is before ${what} ${start.text}`);
  }
}
