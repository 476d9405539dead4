/**
 * Recognizes the HTML constructs GitHub's Markdown passes through as raw HTML, at one position of a
 * text. Every matcher errs on the side of "this is markup": a stretch wrongly taken for markup is at
 * worst removed from the prompt, while markup wrongly taken for text could hide an instruction.
 */

export interface HtmlAttribute {
  /** Lower-cased name. */
  name: string;
  /** Unquoted value; `undefined` for a bare attribute such as `hidden`. */
  value: string | undefined;
}

export type HtmlConstruct =
  /** Comment, processing instruction, declaration or CDATA: never shown. */
  | { kind: 'hidden-markup'; end: number }
  | { kind: 'open-tag'; end: number; name: string; attributes: HtmlAttribute[]; selfClosing: boolean }
  | { kind: 'close-tag'; end: number; name: string }
  /** `<https://example.com>`: shown as a link, kept as written. */
  | { kind: 'autolink'; end: number };

/** Where each kind of never-shown markup ends; unclosed ones hide the rest of the text. */
const hiddenMarkupEnds: Array<{ start: string; end: RegExp }> = [
  // `<!-->` and `<!--->` are complete (empty) comments in HTML and in CommonMark.
  { start: '<!--', end: /^<!---?>|--!?>/ },
  { start: '<![CDATA[', end: /\]\]>/ },
  { start: '<?', end: /\?>/ },
];

const declarationStart = /<![A-Za-z]/y;
const tagName = /<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])/y;
const closeTagName = /<\/([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])/y;
const autolink = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9.-]+>/y;
const attribute = /([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

function matchAt(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

function hiddenMarkupEnd(text: string, index: number): number | undefined {
  for (const { start, end } of hiddenMarkupEnds) {
    if (!text.startsWith(start, index)) continue;
    const rest = text.slice(index);
    const closing = end.exec(rest);
    return closing === null ? text.length : index + closing.index + closing[0].length;
  }
  if (matchAt(declarationStart, text, index) !== null) {
    const close = text.indexOf('>', index);
    return close === -1 ? text.length : close + 1;
  }
  return undefined;
}

/** Parses the attribute part of an open tag (everything between the name and `>`). */
export function parseHtmlAttributes(source: string): HtmlAttribute[] {
  const attributes: HtmlAttribute[] = [];
  for (const match of source.matchAll(attribute)) {
    const raw = match[2];
    const value = raw === undefined ? undefined : raw.replace(/^(["'])([\s\S]*)\1$/, '$2');
    attributes.push({ name: (match[1] ?? '').toLowerCase(), value });
  }
  return attributes;
}

/**
 * Where a tag whose attributes start at each offset ends: the offset of the first `>` outside
 * quotes, or -1 when the text ends first (then it is no tag). Computed backwards once per text,
 * so matching every `<` of a text is linear: a regex would rescan to the end for each unterminated
 * `<div "`, which makes hostile input quadratic.
 */
function tagEnds(text: string): Int32Array {
  const length = text.length;
  const [plain, inDouble, inSingle] = [
    new Int32Array(length + 1),
    new Int32Array(length + 1),
    new Int32Array(length + 1),
  ];
  plain[length] = inDouble[length] = inSingle[length] = -1;
  for (let index = length - 1; index >= 0; index -= 1) {
    const character = text[index];
    const next = index + 1;
    plain[index] =
      character === '>'
        ? index
        : character === '"'
          ? (inDouble[next] ?? -1)
          : character === "'"
            ? (inSingle[next] ?? -1)
            : (plain[next] ?? -1);
    inDouble[index] = character === '"' ? (plain[next] ?? -1) : (inDouble[next] ?? -1);
    inSingle[index] = character === "'" ? (plain[next] ?? -1) : (inSingle[next] ?? -1);
  }
  return plain;
}

/** Matches HTML constructs in one text; build one per text and ask it for any offset. */
export interface HtmlScanner {
  /** The construct starting at `index` (which must hold `<`), or `undefined` for plain text. */
  matchAt(index: number): HtmlConstruct | undefined;
}

export function createHtmlScanner(text: string): HtmlScanner {
  let ends: Int32Array | undefined;
  const tagEndFrom = (index: number): number => {
    ends ??= tagEnds(text);
    return ends[index] ?? -1;
  };
  const lastGreaterThan = text.lastIndexOf('>');
  return {
    matchAt(index) {
      if (text[index] !== '<') return undefined;
      const hiddenEnd = hiddenMarkupEnd(text, index);
      if (hiddenEnd !== undefined) return { kind: 'hidden-markup', end: hiddenEnd };
      const link = matchAt(autolink, text, index);
      if (link !== null) return { kind: 'autolink', end: index + link[0].length };
      const open = matchAt(tagName, text, index);
      if (open !== null) {
        const attributesStart = index + open[0].length;
        const end = tagEndFrom(attributesStart);
        if (end === -1) return undefined;
        const attributeSource = text.slice(attributesStart, end);
        return {
          kind: 'open-tag',
          end: end + 1,
          name: (open[1] ?? '').toLowerCase(),
          attributes: parseHtmlAttributes(attributeSource.replace(/\/\s*$/, '')),
          selfClosing: /\/\s*$/.test(attributeSource),
        };
      }
      const close = matchAt(closeTagName, text, index);
      if (close === null || index > lastGreaterThan) return undefined;
      const end = text.indexOf('>', index);
      return { kind: 'close-tag', end: end + 1, name: (close[1] ?? '').toLowerCase() };
    },
  };
}

const strictCloseTag = /<\/([A-Za-z][A-Za-z0-9-]*)\s*>/y;

/**
 * The close tag at `index` in CommonMark's strict form `</name>` (any case). Only this form ends a
 * hidden element: GitHub shows a sloppy `</div x>` as text, so the element goes on after it.
 */
export function matchStrictCloseTag(text: string, index: number): { name: string; end: number } | undefined {
  const close = matchAt(strictCloseTag, text, index);
  return close === null ? undefined : { name: (close[1] ?? '').toLowerCase(), end: index + close[0].length };
}
