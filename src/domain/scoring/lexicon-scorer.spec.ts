import { LexiconScorer } from './lexicon-scorer';
import type { PostScore, SeverityFlag } from './post-score';

const scorer = new LexiconScorer();
const score = (text: string, lang?: string | null): PostScore => scorer.score({ text, lang });

const clearComplaint = '@HalcyonAir lost my bag and nobody answers, worst airline ever';
const praise = 'thanks for fixing it so fast, great crew';
const question = 'what time does the lounge open?';

/** The contract every score keeps, whatever the text. */
function expectWellFormed(result: PostScore): void {
  expect(Number.isFinite(result.polarityScore)).toBe(true);
  expect(result.polarityScore).toBeGreaterThanOrEqual(-1);
  expect(result.polarityScore).toBeLessThanOrEqual(1);
  expect(Number.isFinite(result.complaintProbability)).toBe(true);
  expect(result.complaintProbability).toBeGreaterThanOrEqual(0);
  expect(result.complaintProbability).toBeLessThanOrEqual(1);
  expect(Number.isInteger(result.urgency)).toBe(true);
  expect(result.urgency).toBeGreaterThanOrEqual(0);
  expect(result.urgency).toBeLessThanOrEqual(100);
  expect(['negative', 'neutral', 'positive']).toContain(result.polarity);
  if (result.polarity === 'negative') expect(result.polarityScore).toBeLessThan(0);
  if (result.polarity === 'positive') expect(result.polarityScore).toBeGreaterThan(0);
  expect(result.complaint).toBe(result.complaintProbability >= 0.5);
  expect(Array.isArray(result.severity)).toBe(true);
  for (const reason of result.reasons) {
    expect(typeof reason).toBe('string');
    expect(reason.trim().length).toBeGreaterThan(0);
  }
  expect(result.scorer).toBe('lexicon-v1');
}

describe('LexiconScorer', () => {
  it('names itself lexicon-v1 so stored scores can be traced', () => {
    expect(scorer.name).toBe('lexicon-v1');
    expect(score(clearComplaint).scorer).toBe('lexicon-v1');
  });

  it('marks a clear complaint as a negative complaint and says why', () => {
    const result = score(clearComplaint);
    expectWellFormed(result);
    expect(result.complaint).toBe(true);
    expect(result.complaintProbability).toBeGreaterThanOrEqual(0.5);
    expect(result.polarity).toBe('negative');
    expect(result.polarityScore).toBeLessThan(0);
    expect(result.severity).toEqual([]);
    expect(result.reasons.length).toBeGreaterThan(0);
    expect(result.reasons.join(' | ')).toMatch(/nobody answers/);
    expect(result.reasons.join(' | ')).toMatch(/bag/);
  });

  it.each([
    ['day 3 and still no bag', /still/],
    ['on hold for 2 hours', /on hold/],
  ])('marks %p as a complaint even without angry words', (text, cue) => {
    const result = score(text);
    expectWellFormed(result);
    expect(result.complaint).toBe(true);
    expect(result.complaintProbability).toBeGreaterThanOrEqual(0.5);
    expect(result.polarity).not.toBe('positive');
    expect(result.reasons.length).toBeGreaterThan(0);
    expect(result.reasons.join(' | ')).toMatch(cue);
  });

  it('does not take praise for a complaint, and reads it as positive', () => {
    const result = score(praise);
    expectWellFormed(result);
    expect(result.complaint).toBe(false);
    expect(result.complaintProbability).toBeLessThan(0.5);
    expect(result.polarity).toBe('positive');
    expect(result.polarityScore).toBeGreaterThan(0);
    expect(result.severity).toEqual([]);
  });

  it('does not take a plain question for a complaint', () => {
    const result = score(question);
    expectWellFormed(result);
    expect(result.complaint).toBe(false);
    expect(result.complaintProbability).toBeLessThan(0.5);
    expect(result.polarity).not.toBe('negative');
    expect(result.severity).toEqual([]);
  });

  it.each([
    ['es', 'Perdieron mi maleta y nadie contesta, la peor aerolínea'],
    ['de', 'Mein Koffer ist verloren und niemand antwortet, worst airline'],
  ])('leaves a post in %p unscored for a person to read', (lang, text) => {
    const result = score(text, lang);
    expectWellFormed(result);
    expect(result.unscoredLanguage).toBe(lang);
    expect(result.polarity).toBe('neutral');
    expect(result.polarityScore).toBe(0);
    expect(result.complaint).toBe(false);
    expect(result.complaintProbability).toBe(0);
    expect(result.reasons.length).toBeGreaterThan(0);
    expect(result.reasons.join(' | ')).toMatch(/language/i);
    expect(result.reasons.join(' | ')).toContain(lang);
  });

  it.each([[undefined], [null], ['en'], ['en-GB'], ['EN']])('scores an English post (lang %p)', (lang) => {
    const result = score(clearComplaint, lang);
    expect(result.unscoredLanguage).toBeUndefined();
    expect(result.complaint).toBe(true);
    expect(result.polarity).toBe('negative');
  });

  it.each([[''], ['   '], ['😡😡😡'], ['🙂👍'], ['@HalcyonAir'], ['https://t.co/abc123'], ['!!!']])('scores %p without throwing', (text) => {
    let result: PostScore | undefined;
    expect(() => {
      result = score(text);
    }).not.toThrow();
    if (!result) throw new Error('expected a score');
    expectWellFormed(result);
    expect(result.severity).toEqual([]);
  });

  it('reads HTML entities and markup as the text they stand for', () => {
    const encoded = score('delayed &amp; no info <b>again</b>');
    expectWellFormed(encoded);
    expect(encoded).toEqual(score('delayed & no info again'));
    expect(encoded.complaint).toBe(true);
    expect(encoded.reasons.join(' | ')).toMatch(/delay/);
    expect(encoded.reasons.join(' | ')).not.toMatch(/amp|<b>|<\/b>/);
  });

  it('reads a typographic apostrophe like a plain one', () => {
    // Phones type ’ by default; "doesn’t work" is the same complaint as "doesn't work".
    expect(score('the app doesn’t work and nobody answers')).toEqual(score("the app doesn't work and nobody answers"));
  });

  it.each([
    ['a long rant', 'lost my bag and nobody answers, worst airline ever. '.repeat(200).slice(0, 10_000)],
    ['one long word', 'x'.repeat(10_000)],
    ['an unclosed tag', '<' + 'a'.repeat(9_999)],
    ['many tags', '<b>'.repeat(3_333) + 'x'],
  ])('scores a 10,000-character text (%s) without throwing', (_label, text) => {
    expect(text).toHaveLength(10_000);
    let result: PostScore | undefined;
    expect(() => {
      result = score(text);
    }).not.toThrow();
    if (!result) throw new Error('expected a score');
    expectWellFormed(result);
  });

  it('still reads a long rant as a negative complaint', () => {
    const result = score('lost my bag and nobody answers, worst airline ever. '.repeat(200).slice(0, 10_000));
    expect(result.complaint).toBe(true);
    expect(result.polarity).toBe('negative');
  });

  it.each<[string, SeverityFlag]>([
    ['smoke in the cabin', 'safety'],
    ['my lawyer will hear about this', 'legal_threat'],
    ["I could see someone else's booking details", 'privacy'],
    ['I could see someone else&#39;s booking details', 'privacy'],
  ])('raises a severity flag for %p', (text, flag) => {
    const result = score(text);
    expectWellFormed(result);
    expect(result.severity).toContain(flag);
    expect(result.reasons.length).toBeGreaterThan(0);
    expect(result.reasons.join(' | ')).toMatch(/severity/);
  });

  it.each([['@HalcyonAir there is smoke in the cabin'], ['my lawyer will hear about this'], ["I could see someone else's booking details"]])(
    'treats a severe post (%p) as a complaint, since triage drops anything below the complaint threshold',
    (text) => {
      const result = score(text);
      expect(result.severity.length).toBeGreaterThan(0);
      expect(result.complaint).toBe(true);
      expect(result.complaintProbability).toBeGreaterThanOrEqual(0.5);
    },
  );

  it('raises no severity flag for an ordinary complaint or praise', () => {
    expect(score(clearComplaint).severity).toEqual([]);
    expect(score('on hold for 2 hours').severity).toEqual([]);
    expect(score(praise).severity).toEqual([]);
  });

  it.each([['no reply after 3 days, this is disgusting'], ['still no bag and the worst service ever'], ['Not happy. Flight cancelled, rude staff, terrible']])(
    'lets a negation flip only what it negates: %p is still a negative complaint',
    (text) => {
      const result = score(text);
      expectWellFormed(result);
      expect(result.polarity).toBe('negative');
      expect(result.complaint).toBe(true);
    },
  );

  it('gives a complaint a higher urgency than a non-complaint', () => {
    const complaints = [clearComplaint, 'day 3 and still no bag', 'on hold for 2 hours'].map((text) => score(text));
    const others = [praise, question, ''].map((text) => score(text));
    for (const complaint of complaints) expect(complaint.complaint).toBe(true);
    for (const other of others) expect(other.complaint).toBe(false);
    const lowestComplaint = Math.min(...complaints.map((result) => result.urgency));
    const highestOther = Math.max(...others.map((result) => result.urgency));
    expect(lowestComplaint).toBeGreaterThan(highestOther);
  });

  it('keeps every score in range and explains every cue it fired', () => {
    const texts = [
      clearComplaint,
      'day 3 and still no bag',
      'on hold for 2 hours',
      praise,
      question,
      'THIS IS RIDICULOUS WHERE IS MY BAG!!',
      'my flight was delayed 5 hours and the staff were rude',
      'charged twice and never refunded, my lawyer will hear about this, smoke in the cabin, unsafe',
      'Love the new lounge, thank you!',
      'delayed &amp; no info <b>again</b>',
    ];
    for (const text of texts) {
      const result = score(text);
      expectWellFormed(result);
      const cueFired = result.complaint || result.severity.length > 0 || result.polarity !== 'neutral';
      if (cueFired) expect(result.reasons.length).toBeGreaterThan(0);
      for (const flag of result.severity) expect(result.reasons.join(' | ')).toContain(flag.split('_')[0]);
    }
  });
});
