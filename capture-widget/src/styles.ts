// Scoped styles of the shadow root. Colours pass WCAG AA on white (text ≥ 4.5:1, UI ≥ 3:1).

export const STYLES = `
:host { display: block; max-width: 720px; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #111827; --accent: var(--probant-accent, #1d4ed8); --accent-dark: #1e3a8a; --muted: #4b5563;
  --line: #d1d5db; --ok: #166534; --bad: #b91c1c; --warn-bg: #fffbeb; --warn: #92400e; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 20px 24px; box-shadow: 0 1px 3px rgba(0,0,0,.06); }
header { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; }
.brand { font-weight: 700; letter-spacing: .01em; color: var(--accent-dark); }
.mode { color: var(--muted); font-size: .875rem; }
ol.steps { list-style: none; display: flex; gap: 4px; padding: 0; margin: 0 0 16px; flex-wrap: wrap; font-size: .8125rem; }
ol.steps li { flex: 1 1 0; min-width: 80px; padding: 6px 0 0; border-top: 4px solid var(--line); color: var(--muted); }
ol.steps li.done { border-color: var(--accent); color: #111827; }
ol.steps li[aria-current="step"] { border-color: var(--accent); color: var(--accent-dark); font-weight: 700; }
h2 { font-size: 1.25rem; margin: 0 0 12px; }
h2:focus { outline: none; } /* focused by script on each step, for screen readers; not a tab stop */
p { margin: 0 0 12px; }
.muted { color: var(--muted); }
ul.perms { padding-left: 20px; margin: 0 0 12px; }
ul.perms li { margin-bottom: 4px; }
button { font: inherit; font-weight: 600; border-radius: 8px; padding: 10px 18px; cursor: pointer; min-height: 44px;
  border: 2px solid var(--accent); background: #fff; color: var(--accent-dark); }
button.primary { background: var(--accent); color: #fff; }
button.primary:hover:not(:disabled) { background: var(--accent-dark); border-color: var(--accent-dark); }
button.danger { border-color: var(--bad); color: var(--bad); }
button.small { min-height: 36px; padding: 4px 12px; font-size: .875rem; }
button:disabled { border-color: #9ca3af; color: #4b5563; background: #f3f4f6; cursor: not-allowed; }
button:focus-visible, a:focus-visible, input:focus-visible, textarea:focus-visible, canvas:focus-visible {
  outline: 3px solid #f59e0b; outline-offset: 2px; box-shadow: 0 0 0 5px #1e3a8a; }
.actions { display: flex; gap: 12px; flex-wrap: wrap; justify-content: flex-end; align-items: center; margin-top: 16px; }
.actions .spacer { flex: 1; }
.stage { position: relative; background: #0b1220; border-radius: 10px; overflow: hidden; aspect-ratio: 16 / 9; }
.stage video { width: 100%; height: 100%; object-fit: contain; display: block; }
.overlay { position: absolute; inset: auto 0 0 0; padding: 8px 12px; background: rgba(11,18,32,.8); color: #fff; font-weight: 600; }
.big { position: absolute; inset: 0; display: grid; place-items: center; font-size: 4rem; font-weight: 800; color: #fff; background: rgba(11,18,32,.45); }
.rec::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 50%; background: #ef4444; margin-right: 8px; }
.bar { display: flex; align-items: center; gap: 12px; margin-top: 12px; flex-wrap: wrap; }
.notice { border-left: 4px solid var(--warn); background: var(--warn-bg); color: var(--warn); padding: 8px 12px; border-radius: 4px; margin-bottom: 12px; }
.alert { border-left: 4px solid var(--bad); background: #fef2f2; color: #7f1d1d; padding: 10px 12px; border-radius: 4px; margin-bottom: 12px; }
.alert:empty { display: none; }
ul.items { list-style: none; padding: 0; margin: 12px 0 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); }
ul.items.review { grid-template-columns: 1fr; }
ul.items li { border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
ul.items.review li { display: grid; grid-template-columns: 200px 1fr; gap: 12px; }
.thumb { width: 100%; aspect-ratio: 4 / 3; object-fit: cover; border-radius: 6px; background: #0b1220; display: block; }
.thumb.restored { display: flex; align-items: center; justify-content: center; color: #e5e7eb; font-size: 0.8rem; text-align: center; padding: 4px; box-sizing: border-box; }
.status { font-size: .8125rem; color: var(--muted); margin: 4px 0; }
.status.ok { color: var(--ok); } .status.bad { color: var(--bad); }
.progress { height: 8px; background: #e5e7eb; border-radius: 4px; overflow: hidden; }
.progress > span { display: block; height: 100%; background: var(--accent); transition: width .2s; }
.row { display: flex; gap: 6px; margin-top: 6px; flex-wrap: wrap; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
input[type=text], textarea { width: 100%; font: inherit; padding: 8px 10px; border: 1px solid #6b7280; border-radius: 6px; color: #111827; background: #fff; }
textarea { min-height: 72px; resize: vertical; }
.hint { font-size: .875rem; color: var(--muted); margin: 2px 0 0; }
.field-error { font-size: .875rem; color: var(--bad); margin: 4px 0 0; }
[aria-invalid="true"] { border-color: var(--bad) !important; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 16px; margin: 16px 0 0; }
legend { font-weight: 700; padding: 0 6px; }
.grid3 { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0 12px; align-items: end; }
.grid2 { display: grid; grid-template-columns: 1fr 2fr; gap: 0 12px; }
canvas.signature { width: 100%; max-width: 600px; aspect-ratio: 3 / 1; border: 1px dashed #6b7280; border-radius: 8px; touch-action: none; background: #fff; display: block; }
.check { display: flex; gap: 10px; align-items: flex-start; font-weight: 400; }
.check input { width: 20px; height: 20px; margin-top: 3px; flex: none; }
.price { font-size: 1.125rem; font-weight: 700; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 12px; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8125rem; overflow-wrap: anywhere; }
a { color: var(--accent-dark); font-weight: 600; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 560px) { .card { padding: 16px; } ul.items.review li { grid-template-columns: 1fr; } .grid3, .grid2 { grid-template-columns: 1fr; } }
@media (prefers-reduced-motion: reduce) { .progress > span { transition: none; } }
`;
