/** The widget's look, applied inside its shadow root so the host page's CSS cannot reach it. */
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; padding: 12px 18px;
  border: 0; border-radius: 24px; background: #b3261e; color: #fff; font-size: 15px;
  cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.panel { position: fixed; right: 20px; bottom: 76px; z-index: 2147483000; width: 340px;
  max-height: 520px; display: flex; flex-direction: column; background: #fff; color: #1b1b1b;
  border-radius: 10px; box-shadow: 0 4px 18px rgba(0,0,0,.35); overflow: hidden; }
.panel[hidden] { display: none; }
header { background: #b3261e; color: #fff; padding: 10px 12px; }
header h2 { margin: 0; font-size: 16px; }
.status { font-size: 13px; opacity: .9; }
.alerts { background: #fff4e5; border-bottom: 1px solid #f0c36d; padding: 6px 12px; font-size: 13px; }
.alerts:empty { display: none; }
.log { flex: 1; overflow-y: auto; padding: 10px 12px; min-height: 160px; }
.msg { margin: 6px 0; padding: 6px 9px; border-radius: 8px; background: #eef1f5;
  white-space: pre-wrap; word-wrap: break-word; font-size: 14px; }
.msg.mine { background: #dbeafe; margin-left: 30px; }
.who { display: block; font-size: 11px; color: #555; }
.notice { background: #e8f5e9; border-top: 1px solid #a5d6a7; padding: 8px 12px; font-size: 13px; }
.notice:empty { display: none; }
.error { color: #b3261e; padding: 4px 12px; font-size: 13px; }
.error:empty { display: none; }
form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #ddd; flex-wrap: wrap; }
input, textarea { flex: 1; padding: 7px; border: 1px solid #bbb; border-radius: 6px; font-size: 14px;
  min-width: 0; }
button { padding: 7px 12px; border: 0; border-radius: 6px; background: #1f4e8c; color: #fff;
  cursor: pointer; font-size: 14px; }
button.secondary { background: #666; }
.start { flex-direction: column; }
`;
