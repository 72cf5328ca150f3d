/** HTML that is safe to send as is: built by {@link html} (which escapes every value) or marked by {@link trusted}. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: chat titles and message text are untrusted, so every `<`, `&` and quote becomes an entity. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Marks markup we produced ourselves (an SVG our renderer escaped) as safe to embed. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

type Value = SafeHtml | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly Value[]).map(render).join('');
  return escapeHtml(String(value as string | number));
}

/**
 * A template tag that escapes every interpolated value unless it is already {@link SafeHtml}; arrays are joined.
 *
 * @example
 * html`<h1>${chat.title}</h1><ul>${points.map((p) => html`<li>${p.text}</li>`)}</ul>`
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:.6rem 1.5rem}header a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:1000px;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.8rem 0 .2rem;overflow-wrap:anywhere}h2{font-size:1.15rem;margin:1.6rem 0 .4rem}
table{border-collapse:collapse;background:#fff;width:100%}th,td{border:1px solid #dde1e7;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#eef0f4;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.status{display:inline-block;padding:.05rem .5rem;border-radius:.8rem;background:#e4e7ec;font-size:.85rem;font-weight:600}
.status.COMPLETED{background:#d3f2dc}.status.RUNNING{background:#dbe8ff}.status.FAILED,.status.TERMINATED,.status.TIMED_OUT{background:#fbd9d6}
.muted{color:#5b6473}.error{background:#fff3f2;border:1px solid #f2b8b2;padding:.8rem 1rem;border-radius:.4rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;background:#fff;padding:.8rem 1rem;border:1px solid #dde1e7}dt{font-weight:600}dd{margin:0}
figure{margin:0;background:#fff;border:1px solid #dde1e7;padding:.5rem}figure svg{max-width:100%;height:auto}
`;

/** A whole page: our inline stylesheet (no external assets), an optional refresh while a run is moving. */
export function page(opts: { title: string; body: SafeHtml; refreshSeconds?: number }): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}
<title>${opts.title} · tgpulse</title><style>${trusted(STYLE)}</style></head>
<body><header><a href="/">tgpulse</a></header><main>
${opts.body}
</main></body></html>
`.value;
}
