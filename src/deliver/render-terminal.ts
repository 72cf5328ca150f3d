/** A backslash escape as `renderMarkdown` writes them: the character after it is text. */
const ESCAPABLE = /[\\`*_[\]<>|{}()#+.!-]/;
/** `[label](url)` or `![alt](src)`, the label itself possibly holding escapes. */
const LINK = /^!?\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)/;

function inline(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1]!)) {
      out += text[++i];
      continue;
    }
    if (c === '[' || (c === '!' && text[i + 1] === '[')) {
      const m = LINK.exec(text.slice(i));
      if (m) {
        const label = inline(m[1]!);
        // Our renderers label a message link "link" or by its number: on a terminal the address is what helps.
        out += /^(link|\d+)$/.test(label) ? m[2]! : `${label} (${m[2]!})`;
        i += m[0].length - 1;
        continue;
      }
    }
    // Member text reaches Markdown escaped, so an unescaped marker is formatting: a terminal shows none.
    if (c === '*' || c === '_' || c === '`') continue;
    out += c;
  }
  return out;
}

/**
 * Markdown as `renderMarkdown` (and the recap) writes it, as plain terminal text: no `\_`, `\*` or `\[` escapes,
 * no emphasis markers, links as their addresses (headings keep their `#`). Files keep the Markdown; this is for stdout.
 *
 * @example
 * markdownToTerminal('- Ana: “fixed the \\_init\\_ bug” ([link](https://t.me/c/1/5))') // '- Ana: “fixed the _init_ bug” (https://t.me/c/1/5)'
 */
export function markdownToTerminal(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      // A heading keeps its `#` marks: they read as plain text and show the outline.
      const heading = /^(#{1,6}\s+)(.*)$/.exec(line);
      return heading ? `${heading[1]!}${inline(heading[2]!)}` : inline(line);
    })
    .join('\n');
}
