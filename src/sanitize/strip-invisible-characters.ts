/**
 * Characters a reader never sees but a model reads: zero-width characters, bidi controls, Unicode
 * "tag" characters (which can spell out whole hidden ASCII sentences), variation selectors (used to
 * smuggle bytes behind an emoji), soft hyphens, fillers, and C0/C1 control characters. Also their
 * HTML entity spellings (`&#8203;`, `&zwnj;`), which GitHub renders as the same invisible character.
 */

/**
 * Unicode's own list of characters renderers must ignore (`Default_Ignorable_Code_Point`, which
 * covers zero-width, bidi, tag, variation selector and filler characters), every other format
 * character (`Cf`), and the control characters except tab, line feed and carriage return.
 */
const invisibleClass =
  '[\\p{Default_Ignorable_Code_Point}\\p{Cf}\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]';
const invisibleCharacters = new RegExp(invisibleClass, 'gu');
const oneInvisibleCharacter = new RegExp(`^${invisibleClass}$`, 'u');

/** Named HTML entities whose character is invisible (HTML5 names are case-sensitive). */
const invisibleNamedEntities = new Set([
  'shy',
  'zwj',
  'zwnj',
  'lrm',
  'rlm',
  'ZeroWidthSpace',
  'NegativeVeryThinSpace',
  'NegativeThinSpace',
  'NegativeMediumSpace',
  'NegativeThickSpace',
  'NoBreak',
  'ApplyFunction',
  'af',
  'InvisibleTimes',
  'it',
  'InvisibleComma',
  'ic',
]);

const numericEntity = /&#(?:[xX]([0-9a-fA-F]{1,8})|(\d{1,10}));?/g;
const namedEntity = /&([A-Za-z][A-Za-z0-9]{0,40});/g;

/** True when the code point is one of the invisible characters above. */
function isInvisibleCodePoint(codePoint: number): boolean {
  if (!Number.isInteger(codePoint) || codePoint < 0 || codePoint > 0x10ffff) return false;
  return oneInvisibleCharacter.test(String.fromCodePoint(codePoint));
}

/** Removes invisible characters written as themselves. */
export function stripInvisibleCharacters(text: string): string {
  return text.replace(invisibleCharacters, '');
}

/**
 * Removes HTML entities that stand for an invisible character. Other entities stay as written:
 * decoding them would turn visible text such as `&lt;!-- x --&gt;` into markup.
 */
export function stripInvisibleEntities(text: string): string {
  return text
    .replace(numericEntity, (entity, hex: string | undefined, decimal: string | undefined) => {
      const codePoint = hex === undefined ? Number(decimal) : Number.parseInt(hex, 16);
      return isInvisibleCodePoint(codePoint) ? '' : entity;
    })
    .replace(namedEntity, (entity, name: string) => (invisibleNamedEntities.has(name) ? '' : entity));
}
