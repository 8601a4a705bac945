import { describe, expect, it } from 'vitest';
import i18n from '.';
import {
  APPLICATIONS,
  APPLICATION_NAMES,
  ERROR_CODES,
  FIELD_CODES,
  HISTORY_ACTIONS,
  HISTORY_ACTION_GROUPS,
  HISTORY_ACTION_GROUP_LABELS,
  HISTORY_ACTION_LABELS,
  RIGHTS,
  RIGHT_LABELS,
  VERIFY_PROBLEMS,
  EXPORT_PROBLEMS,
  type Words,
} from '../api/types.gen';

// The vocabularies are declared once in Go and generated into types.gen.ts;
// each word a person reads must exist in both languages. A code added in Go
// without its sentence fails here.
const languages = ['fr', 'en'] as const;

/** The keys, among prefix.<code>, that a language has no sentence for (no fallback). */
function unlabelled(lang: string, prefix: string, codes: readonly string[]): string[] {
  return codes.filter((c) => {
    const v: unknown = i18n.getResource(lang, 'translation', `${prefix}.${c}`);
    return typeof v !== 'string' || v.trim() === '' || v === c;
  });
}

function emptyWords(labels: Record<string, Words>, codes: readonly string[]): string[] {
  return codes.filter((c) => !labels[c] || !labels[c].fr.trim() || !labels[c].en.trim() || labels[c].fr === c);
}

describe('every code the backend can give has words in French and English', () => {
  it.each(languages)('error codes (%s)', (lang) => {
    expect(unlabelled(lang, 'errors', ERROR_CODES)).toEqual([]);
  });
  it.each(languages)('field error codes (%s)', (lang) => {
    expect(unlabelled(lang, 'fields', FIELD_CODES)).toEqual([]);
  });
  it.each(languages)('problems of the integrity check (%s)', (lang) => {
    expect(unlabelled(lang, 'history.problem', VERIFY_PROBLEMS)).toEqual([]);
  });
  it.each(languages)('problems of an exported file (%s)', (lang) => {
    expect(unlabelled(lang, 'history.fileProblem', EXPORT_PROBLEMS)).toEqual([]);
  });
  it('rights', () => {
    expect(emptyWords(RIGHT_LABELS, RIGHTS)).toEqual([]);
  });
  it('applications', () => {
    expect(emptyWords(APPLICATION_NAMES, APPLICATIONS)).toEqual([]);
  });
  it('history actions and their kinds', () => {
    expect(emptyWords(HISTORY_ACTION_LABELS, HISTORY_ACTIONS)).toEqual([]);
    expect(emptyWords(HISTORY_ACTION_GROUP_LABELS, HISTORY_ACTION_GROUPS)).toEqual([]);
    expect(HISTORY_ACTIONS.filter((a) => !HISTORY_ACTION_GROUPS.includes(HISTORY_ACTION_LABELS[a].group))).toEqual([]);
  });
});
