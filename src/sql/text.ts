/**
 * Text operations of the SQL buffer that need no editor: what to run, and
 * replacing an unknown relation name with a suggestion.
 */

/** The text to run and where it starts in the buffer. */
export interface IRunText {
  text: string;
  /** The buffer line (1-based) of the text's first line. */
  firstLine: number;
  /** Whether this is a selection rather than the whole buffer. */
  selection: boolean;
}

/** The part of `text` to run: the selection when there is one. */
export function runTextOf(
  text: string,
  selectionStart: number,
  selectionEnd: number
): IRunText {
  const from = Math.min(selectionStart, selectionEnd);
  const to = Math.max(selectionStart, selectionEnd);
  const selected = text.slice(from, to);
  if (from === to || selected.trim() === '') {
    return { text, firstLine: 1, selection: false };
  }
  const firstLine = text.slice(0, from).split('\n').length;
  return { text: selected, firstLine, selection: true };
}

/**
 * Replace the unknown name `name` with `replacement` where it is an
 * argument of ref()/source() (else everywhere as a whole word).
 */
export function replaceRelationName(
  text: string,
  name: string,
  replacement: string
): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const quoted = new RegExp(`(['"])${escaped}\\1`, 'g');
  if (quoted.test(text)) {
    return text.replace(
      quoted,
      (_, quote: string) => `${quote}${replacement}${quote}`
    );
  }
  return text.replace(new RegExp(`\\b${escaped}\\b`, 'g'), replacement);
}
