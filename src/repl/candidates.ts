// What a completion offers, and how a chosen one is typed in. Kept apart
// from completion.ts, which needs the parser, so that the prompt can use
// it before the engine has loaded.

export type CandidateKind =
  | 'keyword' | 'table' | 'column' | 'file' | 'folder' | 'command'
  /** A REPL command's argument, inserted as it is. */
  | 'argument';

export interface Candidate {
  /** What replaces the word being typed. */
  text: string;
  kind: CandidateKind;
}

export interface Completion {
  /** Offset where the word being completed starts. */
  from: number;
  /** The word typed so far. */
  typed: string;
  candidates: Candidate[];
}

/** The text to insert for one chosen candidate, with what follows it. */
export function completionText(candidate: Candidate): string {
  switch (candidate.kind) {
    case 'folder': case 'argument': return candidate.text;
    case 'file': return candidate.text + '"';
    default: return candidate.text + ' ';
  }
}

/** What several candidates agree on, to type as much as is certain. */
export function commonPrefix(candidates: readonly Candidate[]): string {
  let prefix = candidates[0]?.text ?? '';
  for (const { text } of candidates.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < text.length &&
      prefix[i]!.toLowerCase() === text[i]!.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
