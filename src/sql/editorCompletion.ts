/**
 * The CodeMirror side of the SQL completion: turns the pure completion
 * logic (completion.ts) into an autocompletion extension.
 */
import {
  autocompletion,
  Completion,
  CompletionContext,
  CompletionResult
} from '@codemirror/autocomplete';
import type { Extension } from '@codemirror/state';

import { completionContext, completionItems } from './completion';
import type { ISqlCompletions } from './types';

/** Boost so that names inside ref()/source() rank above anything else. */
const BOOST: Record<string, number> = { column: 2, model: 1, seed: 1 };

/**
 * An autocompletion extension reading the project's names from `provider`
 * (null while they are loading: nothing is offered).
 */
export function sqlCompletion(
  provider: () => ISqlCompletions | null
): Extension {
  const source = (context: CompletionContext): CompletionResult | null => {
    const completions = provider();
    if (!completions) {
      return null;
    }
    const text = context.state.doc.toString();
    const found = completionContext(text, context.pos);
    if (!found) {
      return null;
    }
    // A bare word needs typing (or Ctrl+Space); names in ref()/source()
    // and columns after a dot show at once.
    if (found.kind === 'word' && found.prefix === '' && !context.explicit) {
      return null;
    }
    const options = completionItems(found, text, completions).map(
      (item): Completion => ({
        label: item.label,
        type: item.type === 'column' ? 'property' : item.type,
        detail: item.detail,
        boost: BOOST[item.type] ?? 0
      })
    );
    if (options.length === 0) {
      return null;
    }
    return { from: found.from, options, validFor: /^[\w$]*$/ };
  };
  return autocompletion({
    override: [source],
    activateOnTyping: true,
    icons: true
  });
}
